"""Every fact that came from a source document names the document and the span that state it, in the
store, over GraphQL and in the RDF: a walk over the model's relationships (graph/model.py RELS, every
one with ``sources``) and a project's own facts, on the bundled data and the seed pages loaded into a
store. A fact of the reference data names its file and the record (a YAML entry, a row of the
territory's tables) as its span."""

from __future__ import annotations

import json
from collections import defaultdict

import httpx
import pytest
from rdflib.namespace import PROV

from graph.cypher.generated import Edge
from graph.model import RELS
from loaders.pipeline import BUNDLED_DIR, load_paths
from rdf.export import stream
from rdf.mapping import mapper
from schema.enums import NodeLabel
from server.app import create_app
from tests.support import BACKENDS, bundled_copy, descriptions

SEEDS = sorted((BUNDLED_DIR.parent / "seeds").glob("*.txt"))
SOURCED = [edge for edge in Edge.every() if "sources" in RELS[edge.type].prop_names]
SAMPLE = 4  # subjects per relationship and label pair checked over GraphQL (the territory has thousands)
BASE = "https://kpss.example.org/"
STATEMENTS = """query($label: NodeLabel!, $id: ID!, $after: String) { statements(label: $label, id: $id, after: $after) {
  pageInfo { hasNextPage endCursor } nodes { predicate subjectId objectId sources { span address document { id } } } } }"""
PROVENANCE = """query($n: String!) { project(registrationNumber: $n) { provenance { fact span document { id } } } }"""
# A project's own facts as the model stores them -> the name its sources' spans give them.
OWN_FACTS = {"registration_number": "registration_number", "name": "name", "period_start": "start",
             "period_end": "end", "total_cost_minor": "total_cost_czk"}

Fact = tuple[str, str, str]  # (relationship, from id, to id)


def _sources(row: dict) -> set[tuple[str, str]]:
    return {tuple(entry.rsplit("@", 1)) for entry in json.loads(row.get("sources") or "[]")}


async def _stored(store) -> dict[tuple[Edge, str, str], set[tuple[str, str]]]:
    facts = {}
    for edge in SOURCED:
        skip = 0
        while rows := await store.read(edge.all, skip=skip, limit=5000):
            for row in rows:
                facts.setdefault((edge, row["from_id"], row["to_id"]), set()).update(_sources(row))
            skip += len(rows)
    return facts


@pytest.mark.parametrize("backend", BACKENDS)
async def test_every_fact_names_its_document_and_span_over_graphql_and_in_rdf(backend, tmp_path):
    store = await bundled_copy(backend, tmp_path)
    try:
        await load_paths(store, SEEDS)
        facts = await _stored(store)
        documents = {row["id"] for row in await store.read("all.node.SourceDocument", after="", limit=10_000)}
        nt = "".join([chunk async for chunk in stream(store, "nt", BASE)])
        async with httpx.AsyncClient(transport=httpx.ASGITransport(app=create_app(store=store)), base_url="http://t") as client:
            async def ask(query: str, **variables) -> dict:
                body = (await client.post("/graphql", json={"query": query, "variables": variables})).json()
                assert "errors" not in body, body
                return body["data"]

            over_graphql = await _statements(ask, facts)
            projects = await _own_facts(ask, store)
    finally:
        await store.close()

    # In the store: every kind of fact is there, each with at least one document, each with a span.
    kinds = {(e.type, e.source, e.target) for e, _, _ in facts}
    assert {"SEATED_IN", "GOVERNS", "IN_COUNTRY", "PARTICIPATES_IN", "COVERS", "IN_ORP", "MANAGES", "PROVIDED_BY",
            "FUNDED_UNDER", "PRODUCED", "TARGETS", "HAS_WORKING_GROUP", "FOLLOWS"} <= {k[0] for k in kinds}, kinds
    unsourced = sorted(f"{e.type} {a} -> {b}: {sorted(s)}" for (e, a, b), s in facts.items()
                       if not s or any(not span or doc not in documents for doc, span in s))
    assert not unsourced, unsourced[:20]

    # Over GraphQL: the statements of a sample of every kind's subjects are the store's, document and span alike.
    for key, sources in over_graphql.items():
        assert sources == facts[key], key

    # A project's own facts (number, name, dates, total cost), each with a span of a document that states it.
    for pid, (row, provenance) in projects.items():
        spanned = {fact for fact, span, _ in provenance if span}
        stated = {name for prop, name in OWN_FACTS.items() if row.get(prop) is not None}
        assert stated <= spanned, (pid, stated - spanned)

    # In the RDF: every (document, span) of every fact is a qualified derivation of a node naming both ends.
    missing = _missing_in_rdf(descriptions(nt), facts)
    assert not missing, missing[:20]


async def _statements(ask, facts) -> dict:
    """The facts of a sample of subjects of every relationship and label pair, as GraphQL gives them."""
    subjects: dict[Edge, list[str]] = defaultdict(list)
    for edge, a, _ in sorted(facts, key=lambda k: (k[0].type, k[0].source, k[0].target, k[1])):
        if a not in subjects[edge] and len(subjects[edge]) < SAMPLE:
            subjects[edge].append(a)
    got: dict = {}
    for edge, ids in subjects.items():
        for node_id in ids:
            for s in await _every_statement(ask, NodeLabel(edge.source).name, node_id):
                if s["subjectId"] == node_id and s["predicate"] == edge.type:
                    found = {(src["document"]["id"], src["span"] or "") for src in s["sources"]}
                    key = next((k for k in facts if k[0].type == edge.type and k[1] == node_id and k[2] == s["objectId"]), None)
                    assert key, s
                    got[key] = got.get(key, set()) | found
    assert {k[0] for k in got} == set(subjects)  # every kind of fact was asked for
    return got


async def _every_statement(ask, label: str, node_id: str) -> list[dict]:
    out, after = [], None
    while True:
        page = (await ask(STATEMENTS, label=label, id=node_id, after=after))["statements"]
        out += page["nodes"]
        if not page["pageInfo"]["hasNextPage"]:
            return out
        after = page["pageInfo"]["endCursor"]


async def _own_facts(ask, store) -> dict:
    rows = await store.read("all.node.Project", after="", limit=10_000)
    out = {}
    for row in rows:
        provenance = (await ask(PROVENANCE, n=row["id"]))["project"]["provenance"]
        out[row["id"]] = (row, [(p["fact"], p["span"], p["document"]["id"]) for p in provenance])
    return out


def _missing_in_rdf(said: dict[str, dict[str, list[str]]], facts) -> list[str]:
    m = mapper(BASE)
    by_derivation: dict[tuple[str, str], set] = defaultdict(set)  # (document IRI, span) -> the nodes it qualifies
    for holder, props in list(said.items()):
        for derivation in props.get(str(PROV.qualifiedDerivation), ()):
            for doc in said[derivation].get(str(PROV.entity), ()):
                for span in said[derivation].get(str(m.k.span), ()):
                    by_derivation[doc, span].add(holder)
    missing = []
    for (edge, a, b), sources in facts.items():
        ends = {str(m.iri(edge.source, a)), str(m.iri(edge.target, b))}
        for doc, span in sources:
            holders = by_derivation.get((str(m.iri("SourceDocument", doc)), span), set())
            if not any(ends <= {h, *(o for objects in said[h].values() for o in objects)} for h in holders):
                missing.append(f"{edge.type} {a} -> {b} @ {doc} {span}")
    return missing

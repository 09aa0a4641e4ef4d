"""Every fact's source, span and words over GraphQL: participations, funding shares, a project's
own facts (dates, amounts) and the edges to earlier projects, places, target groups and seats name
the document, its address, the span and its text."""

from __future__ import annotations

import httpx
import pytest

from loaders.page import read_page
from loaders.pipeline import BUNDLED_DIR, load_paths
from server.app import create_app
from tests.support import BACKENDS, fresh_store

SEEDS = BUNDLED_DIR.parent / "seeds"
PROVENANCE = "sources { span quote address document { id uri } }"
QUERY = """query($n: String!) { project(registrationNumber: $n) {
  participations { organisation { name } %s }
  funding { source %s }
  provenance { fact span quote address }
} }""" % (PROVENANCE, PROVENANCE)


@pytest.mark.parametrize("backend", BACKENDS)
async def test_facts_of_a_page_name_their_document_span_and_words(backend, tmp_path):
    page = sorted(SEEDS.glob("*.txt"))[0]
    doc = read_page(page)
    [project] = doc.dataset.projects
    store = await fresh_store(backend, tmp_path)
    try:
        await load_paths(store, [page])
        async with httpx.AsyncClient(transport=httpx.ASGITransport(app=create_app(store=store)), base_url="http://t") as client:
            body = (await client.post("/graphql", json={"query": QUERY, "variables": {"n": project.registration_number}})).json()
    finally:
        await store.close()
    assert "errors" not in body, body
    got = body["data"]["project"]
    text = doc.text
    for part in got["participations"]:
        [source] = part["sources"]
        start, end = (int(x) for x in source["span"].split("-"))
        assert source["quote"] == text[start:end].strip().split("\n")[0].strip()  # the page's own words
        assert source["document"]["id"] == doc.source.id and source["address"] == doc.source.uri
        assert part["organisation"]["name"] and len(source["quote"]) <= 160
    assert got["funding"] and all(s["span"] and s["quote"] for share in got["funding"] for s in share["sources"])
    facts = {p["fact"]: p for p in got["provenance"]}
    assert {"registration_number", "start", "end", "total_cost_czk"} <= facts.keys(), facts.keys()
    assert_quotes(facts["total_cost_czk"], text)


def assert_quotes(source: dict, text: str) -> None:
    """The source's quote is the first line of its span in ``text``: the page's own words."""
    start, end = (int(x) for x in source["span"].split("-"))
    assert source["quote"] and source["quote"] == text[start:end].strip().split("\n")[0].strip(), source


EDGES = """query($n: Int!) { projects(first: $n) { nodes { registrationNumber
  followsSourced { node { registrationNumber } %s }
  followedBySourced { node { registrationNumber } %s }
  coversSourced { node { __typename } %s }
  targetGroupsSourced { node { name } %s }
  participations { organisation { seatSourced { node { name } %s } } }
} } }""" % ((PROVENANCE,) * 5)


@pytest.mark.parametrize("backend", BACKENDS)
async def test_edges_to_projects_places_groups_and_seats_name_their_sources(backend, tmp_path):
    pages = sorted(SEEDS.glob("*.txt"))
    texts = {doc.source.uri: doc.text for doc in map(read_page, pages)}
    store = await fresh_store(backend, tmp_path)
    try:
        await load_paths(store, pages)
        async with httpx.AsyncClient(transport=httpx.ASGITransport(app=create_app(store=store)), base_url="http://t") as client:
            body = (await client.post("/graphql", json={"query": EDGES, "variables": {"n": len(pages)}})).json()
    finally:
        await store.close()
    assert "errors" not in body, body
    projects = body["data"]["projects"]["nodes"]
    edges = {field: [e for p in projects for e in p[field]]
             for field in ("followsSourced", "followedBySourced", "coversSourced", "targetGroupsSourced")}
    edges["seatSourced"] = [e for p in projects for part in p["participations"] for e in part["organisation"]["seatSourced"]]
    assert all(edges.values()), {k: len(v) for k, v in edges.items()}  # the seed pages state each kind of edge
    for field, found in edges.items():
        for edge in found:
            # A page states it, by its address; a seat may be the reference data's alone (a ministry in Praha).
            assert field == "seatSourced" or any(s["address"] in texts for s in edge["sources"]), (field, edge)
            for source in edge["sources"]:
                assert source["document"]["uri"] == source["address"] and source["span"], (field, source)
                if source["address"] in texts:
                    assert_quotes(source, texts[source["address"]])
                else:  # a structured file: the first line of the record stating it
                    assert source["quote"], (field, source)

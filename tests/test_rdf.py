"""The graph as RDF: every dump format parses back to the same graph, the dump holds every bundled
project as the YAML states it, SHACL shapes hold (and catch a broken graph), subsets, the mapping's
check against the model, and `kpss export`."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from decimal import Decimal
from pathlib import Path

import pyoxigraph
import pytest
from pyshacl import validate
from rdflib import DCTERMS, RDF, SKOS, XSD, Graph, Literal, URIRef

from rdf.catalog import shapes, vocabulary
from rdf.export import stream
from rdf.mapping import CONCEPT_SCHEMES, Mapper, check, date_literal
from rdf.serialize import FORMATS
from rdf.vocab import EURIO, NUTS, ORG, SCHEMA, encode_key, entity_iri, kpss
from tests.bundled import bundled_projects, numbered_projects, nuts3_codes, project_regions
from tests.support import descriptions, load_bundled, oxigraph_triples, parse_rdf, server_env

BASE = "https://kpss.example.org/"
DOCS = Path(__file__).parent.parent / "docs" / "linked-data.md"
K = kpss(BASE)
RDFLIB_FORMAT = {"ttl": "turtle", "nt": "nt", "jsonld": "json-ld", "rdf": "xml"}


class Dumps:
    """The dumps of a store, made once and parsed once (the bundled dump with the territory has some
    160,000 triples) for the tests that read them; a test that changes a graph works on a copy."""

    def __init__(self) -> None:
        self._texts: dict[tuple, str] = {}
        self._graphs: dict[tuple, Graph] = {}

    async def text(self, store, fmt: str, **subset) -> str:
        key = (id(store), fmt, *sorted(subset.items()))
        if key not in self._texts:
            self._texts[key] = "".join([chunk async for chunk in stream(store, fmt, BASE, **subset)])
        return self._texts[key]

    async def graph(self, store, fmt: str = "nt", **subset) -> Graph:
        key = (id(store), fmt, *sorted(subset.items()))
        if key not in self._graphs:
            self._graphs[key] = parse_rdf(await self.text(store, fmt, **subset), fmt)
        return self._graphs[key]


@pytest.fixture(scope="module")
def dumps() -> Dumps:
    """Module-scoped, so that the tests reading the dumps run in one worker (tests/conftest.py), which
    makes and parses each once."""
    return Dumps()


def project_iri(reg: str) -> URIRef:
    return entity_iri(BASE, "project", reg)


def money(g: Graph, node) -> Decimal:
    (value,) = g.objects(node, SCHEMA.value)
    assert value.datatype == XSD.decimal and g.value(node, SCHEMA.currency) == Literal("CZK")
    return Decimal(str(value))


async def test_every_format_parses_back_to_the_same_graph(bundled_store, dumps):
    # The whole graph by pyoxigraph (blank nodes are made anew by each parse: counted, not compared);
    # every format, by rdflib, on a region's subset (rdflib's parsers take minutes for every
    # municipality's triples).
    whole = {fmt: sum(1 for _ in oxigraph_triples(await dumps.text(bundled_store, fmt), fmt)) for fmt in ("nt", "ttl")}
    nt = await dumps.text(bundled_store, "nt")
    assert whole["nt"] == whole["ttl"] == len(set(line for line in nt.splitlines() if line.strip())) > 150_000
    part = {fmt: len(Graph().parse(data=await dumps.text(bundled_store, fmt, region="CZ07"), format=RDFLIB_FORMAT[fmt]))
            for fmt in FORMATS}
    assert len(set(part.values())) == 1 and part["nt"] > 1500, part


async def test_small_pages_give_the_same_graph(bundled_store, dumps):
    """Keyset paging over many pages loses and repeats nothing: pages of 3 nodes over a region's
    subset (its projects and organisations on several pages), of 100 over the whole graph (its
    6,258 municipalities on 63)."""
    for page_size, subset in ((3, {"region": "CZ072"}), (100, {})):
        paged = "".join([chunk async for chunk in stream(bundled_store, "nt", BASE, page_size=page_size, **subset)])
        whole = await dumps.text(bundled_store, "nt", **subset)
        strip = lambda text: sorted(line for line in text.splitlines() if "modified" not in line)  # noqa: E731
        assert strip(paged) == strip(whole)


async def test_the_dump_holds_every_bundled_project_as_its_yaml_says(bundled_store, dumps):
    g = await dumps.graph(bundled_store)
    for p in numbered_projects():  # the IRI is made from the registration number
        reg = p["registration_number"]
        s = project_iri(reg)
        assert str(s).endswith(encode_key(reg)) and "%2F" in str(s)
        assert (s, RDF.type, SCHEMA.Project) in g and (s, RDF.type, EURIO.Project) in g
        assert list(g.objects(s, DCTERMS.identifier)) == [Literal(reg)]
        assert Literal(p["name"], lang="cs") in set(g.objects(s, SCHEMA.name))
        # Dates exactly as precise as the source.
        for key, pred in (("start", SCHEMA.startDate), ("end", SCHEMA.endDate)):
            assert [(str(v), str(v.datatype)) for v in g.objects(s, pred)] == (
                [(p[key], date_literal(p[key]).datatype)] if key in p else [])
        if "total_cost_czk" in p:
            assert money(g, g.value(s, EURIO.hasTotalCost)) == Decimal(p["total_cost_czk"])
        # Funding shares: source and exact amount.
        shares = {str(g.value(f, K.fundingSource)).rsplit("/", 1)[1]: g.value(f, SCHEMA.amount)
                  for f in g.objects(s, SCHEMA.funding)}
        for f in p.get("funding", []):
            amount = shares[f["source"]]
            assert (amount and money(g, amount)) == (f.get("amount_czk") and Decimal(f["amount_czk"])), (reg, f)
        # Programme, priority axis, call.
        assert g.value(s, K.programme) == entity_iri(BASE, "programme", p["programme"])
        assert g.value(s, K.priorityAxis) == entity_iri(BASE, "priority-axis", f"{p['programme']}/{p['priority_axis']}")
        call = g.value(s, K.call)
        assert g.value(call, SKOS.notation) == Literal(p["call"])
        assert g.value(call, SKOS.broader) == g.value(s, K.priorityAxis)
        assert (g.value(s, K.priorityAxis), SKOS.inScheme, g.value(s, K.programme)) in g
        # Partners with their roles: W3C ORG memberships.
        memberships = list(g.objects(s, EURIO.hasInvolvedParty))
        by_role: dict[str, set[str]] = {}
        for m in memberships:
            assert (m, RDF.type, ORG.Membership) in g and g.value(m, ORG.organization) == s
            role = str(g.value(m, ORG.role)).rsplit("/", 1)[1]
            by_role.setdefault(role, set()).add(str(g.value(g.value(m, ORG.member), SCHEMA.name)))
        stated: dict[str, set[str]] = {}
        for x in p["participants"]:
            stated.setdefault(x["role"], set()).add(x["name"])
        assert {r: len(n) for r, n in by_role.items()} == {r: len(n) for r, n in stated.items()}, reg
        known = {str(o) for o in g.objects(None, SCHEMA.name)}
        for role, names in stated.items():
            assert {n for n in names if n in known} <= by_role[role], (reg, role)
        # Its region, linked to the NUTS IRI, through the places it covers.
        regions = set(g.query(
            "SELECT ?nuts WHERE { ?p dcterms:spatial/schema:containedInPlace* ?r . ?r skos:exactMatch ?nuts "
            "FILTER(STRSTARTS(STR(?nuts), STR(nuts:))) }",
            initNs={"dcterms": DCTERMS, "schema": SCHEMA, "skos": SKOS, "nuts": NUTS}, initBindings={"p": s}))
        assert regions, f"{reg} has no region linked to a NUTS IRI"
        for place in p.get("places", []):
            if place.get("kind") == "region":
                covered = [r for r in g.objects(s, DCTERMS.spatial) if Literal(place["name"], lang="cs") in set(g.objects(r, SCHEMA.name))]
                assert covered and str(g.value(covered[0], SKOS.exactMatch)).startswith(str(NUTS))
        assert g.value(s, URIRef("http://www.w3.org/ns/prov#wasDerivedFrom")) is not None


async def test_regions_and_countries_link_to_eu_authorities(bundled_store, dumps):
    g = await dumps.graph(bundled_store)
    zlin = entity_iri(BASE, "region", "CZ072")
    assert g.value(zlin, SKOS.exactMatch) == URIRef("http://data.europa.eu/nuts/code/CZ072")
    assert g.value(entity_iri(BASE, "country", "CZ"), SKOS.exactMatch) == URIRef(
        "http://publications.europa.eu/resource/authority/country/CZE")


async def test_the_dump_carries_the_dcat_catalogue_and_the_vocabulary(bundled_store, dumps):
    g = await dumps.graph(bundled_store)
    dcat = URIRef("http://www.w3.org/ns/dcat#")
    (dataset,) = g.subjects(RDF.type, URIRef(str(dcat) + "Dataset"))
    titles = {t.language for t in g.objects(dataset, DCTERMS.title)}
    assert titles == {"cs", "en"}
    urls = {str(g.value(d, URIRef(str(dcat) + "downloadURL"))) for d in g.objects(dataset, URIRef(str(dcat) + "distribution"))}
    assert urls == {f"{BASE}rdf/dump.{f.extension}" for f in FORMATS.values()}
    for t in vocabulary(BASE):
        assert t in g


def test_every_code_list_value_and_own_term_is_defined_in_cs_and_en():
    v = vocabulary(BASE)
    for scheme, enum in CONCEPT_SCHEMES.items():
        for value in enum:
            concept = URIRef(f"{BASE}id/{scheme}/{value.value}")
            assert {label.language for label in v.objects(concept, SKOS.prefLabel)} == {"cs", "en"}, concept
    own = {s for s in v.subjects() if str(s).startswith(str(K))}
    assert own
    for term in own:
        for pred in (URIRef("http://www.w3.org/2000/01/rdf-schema#label"), URIRef("http://www.w3.org/2000/01/rdf-schema#comment")):
            assert {x.language for x in v.objects(term, pred)} == {"cs", "en"}, term


def test_the_code_lists_are_the_models_with_its_labels():
    """Both ways: every concept of a scheme is a value of the model's enum, every value a concept,
    and its labels are the model's."""
    v = vocabulary(BASE)
    for scheme, enum in CONCEPT_SCHEMES.items():
        concepts = {str(c).rpartition("/")[2]: c for c in v.subjects(SKOS.inScheme, URIRef(f"{BASE}id/{scheme}"))}
        assert set(concepts) == {value.value for value in enum}, scheme
        for value in enum:
            labels = {label.language: str(label) for label in v.objects(concepts[value.value], SKOS.prefLabel)}
            assert labels == {"cs": value.cs, "en": value.en}, (scheme, value)


async def test_every_kpss_term_the_dump_uses_is_defined(bundled_store, dumps):
    g, v = await dumps.graph(bundled_store), vocabulary(BASE)
    used = {p for p in g.predicates() if str(p).startswith(str(K))}
    assert used and used <= set(v.subjects()), used - set(v.subjects())


async def test_shacl_shapes_hold_for_the_bundled_dump_and_catch_a_broken_graph(bundled_store, dumps):
    g = await dumps.graph(bundled_store)
    conforms, _, report = validate(g, shacl_graph=shapes(BASE), inplace=True)  # no inference: nothing is added to g
    assert conforms, report

    # Broken on a region's subset (whole by itself, and validated in seconds, not in a minute).
    broken = Graph() + await dumps.graph(bundled_store, region="CZ072")
    assert validate(broken, shacl_graph=shapes(BASE))[0]
    s = project_iri("CZ.1.04/5.1.01/12.00075")
    broken.set((s, DCTERMS.identifier, Literal("12.00075")))  # not a registration number
    broken.set((s, SCHEMA.startDate, Literal("June 2009")))
    member = next(broken.objects(s, EURIO.hasInvolvedParty))
    broken.remove((member, ORG.role, None))
    conforms, _, report = validate(broken, shacl_graph=shapes(BASE))
    assert not conforms
    for what in ("dcterms:identifier", "PartialDate", "org:role"):
        assert what in report, what


async def test_subsets_by_region_and_programme_are_whole(bundled_store, dumps):
    projects = {p["registration_number"]: p for p in numbered_projects()}
    olomouc = await dumps.graph(bundled_store, region="CZ071")
    in_olomouc = {project_iri(r) for r, p in projects.items() if "CZ071" in project_regions(p)}
    assert in_olomouc and set(olomouc.subjects(RDF.type, SCHEMA.Project)) >= in_olomouc
    moravia = await dumps.graph(bundled_store, region="CZ07")  # NUTS 2: both its kraje
    in_moravia = {project_iri(r) for r, p in projects.items() if project_regions(p) & {"CZ071", "CZ072"}}
    assert set(moravia.subjects(RDF.type, SCHEMA.Project)) >= in_moravia > in_olomouc
    srop = await dumps.graph(bundled_store, programme="CZ.04.1.05")
    wanted = {project_iri(r) for r, p in projects.items() if p["programme"] == "CZ.04.1.05"}
    in_srop = set(srop.subjects(RDF.type, SCHEMA.Project))
    assert in_srop >= wanted and len(in_srop) == sum(p.get("programme") == "CZ.04.1.05" for p in bundled_projects())
    # Whole: every entity IRI the subset links to is described in it.
    for g in (olomouc, srop):
        described = set(g.subjects())
        linked = {o for o in g.objects() if isinstance(o, URIRef) and str(o).startswith(f"{BASE}id/")}
        assert linked <= described, linked - described
    covered = set().union(*map(project_regions, bundled_projects()))
    uncovered = sorted(set(nuts3_codes()) - covered)  # every kraj has a project: a foreign region
    nothing = await dumps.graph(bundled_store, region=uncovered[0])
    assert not set(nothing.subjects(RDF.type, SCHEMA.Project))


def test_the_mapping_is_checked_against_the_model():
    m = Mapper(BASE)
    entities = dict(m.entities)
    entities.pop("Call")
    with pytest.raises(AssertionError, match="labels"):
        check(entities, m.links)
    links = dict(m.links)
    links.pop("COVERS")
    with pytest.raises(AssertionError, match="relationships"):
        check(m.entities, links)


def test_dates_keep_their_precision():
    assert date_literal("2009").datatype == str(XSD.gYear)
    assert date_literal("2009-06").datatype == str(XSD.gYearMonth)
    assert date_literal("2009-06-15").datatype == str(XSD.date)
    with pytest.raises(ValueError):
        date_literal("15. 6. 2009")


@pytest.mark.slow
def test_kpss_export_writes_a_parseable_file(backend, tmp_path: Path):
    env = server_env(backend, tmp_path)
    load_bundled(env)
    sizes = {}
    for fmt in ("ttl", "jsonld"):  # of a region (CZ07, two kraje), as the whole graph parses slowly
        out = tmp_path / f"dump.{fmt}"
        done = subprocess.run([sys.executable, "-m", "kpss", "export", "--format", fmt, "--region", "CZ07",
                               "--output", str(out)], env=env, capture_output=True, text=True)
        assert done.returncode == 0, done.stderr
        sizes[fmt] = len(Graph().parse(out, format=RDFLIB_FORMAT[fmt]))
    assert sizes["ttl"] == sizes["jsonld"] > 1500
    subset = subprocess.run([sys.executable, "-m", "kpss", "export", "--format", "nt", "--region", "CZ071"],
                            env=env, capture_output=True, text=True, check=True)
    assert 0 < len(Graph().parse(data=subset.stdout, format="nt")) < sizes["ttl"]
    bad = subprocess.run([sys.executable, "-m", "kpss", "export", "--format", "xml"], env=env, capture_output=True, text=True)
    assert bad.returncode != 0 and "ttl" in bad.stderr


async def test_no_dump_repeats_a_triple(bundled_store, dumps):
    """Every format is written from the same blocks, and N-Triples a line for each of their pairs: no
    line twice is no triple twice among them (an organisation in two roles of one project is one
    org:hasMember)."""
    lines = [line for line in (await dumps.text(bundled_store, "nt")).splitlines() if line.strip()]
    assert len(lines) == len(set(lines)) > 1500


async def test_participations_name_their_sources_with_spans(bundled_store, dumps):
    """PROV-O: a participation is prov:wasDerivedFrom each document that states it, with a
    qualified prov:Derivation giving the span."""
    from rdflib import PROV

    g = await dumps.graph(bundled_store)
    derivations = list(g.subjects(RDF.type, PROV.Derivation))
    assert derivations and all(g.value(d, PROV.entity) is not None for d in derivations)
    # Structured files state no spans; where a page does, it is start-end.
    assert all(str(span).count("-") == 1 for span in g.objects(None, K.span))
    for member in g.subjects(RDF.type, ORG.Membership):
        docs = set(g.objects(member, PROV.wasDerivedFrom))
        assert docs == {g.value(d, PROV.entity) for d in g.objects(member, PROV.qualifiedDerivation)}


async def test_every_fact_with_a_source_names_it_and_its_span(backend, tmp_path: Path):
    """Seed pages state spans. Every edge with sources — FOLLOWS, COVERS, funding, the programme,
    seats… — and every dated, costed or named fact of a project is, in RDF, derived from each of its
    documents with the span: on a node of the fact (a statement of the triple, a participation's
    membership), or on the entity itself for all its values of the property (kpss:ofProperty)."""
    from rdflib import PROV

    from graph.model import RELS
    from loaders.pipeline import BUNDLED_DIR, load_paths
    from rdf.mapping import sources
    from tests.support import fresh_store

    store = await fresh_store(backend, tmp_path)
    try:
        await load_paths(store, sorted((BUNDLED_DIR.parent / "seeds").glob("*.txt")))
        m = Mapper(BASE)
        text = "".join([c async for c in stream(store, "nt", BASE)])
        said = descriptions(text)
        stated: dict[frozenset, set[tuple]] = {}  # the ends of a fact -> its (document, span)s
        for node, props in list(said.items()):
            types = props[str(RDF.type)]
            ends = (RDF.subject, RDF.object) if str(RDF.Statement) in types else (
                (ORG.member, ORG.organization) if str(ORG.Membership) in types else None)
            for q in props[str(PROV.qualifiedDerivation)]:
                facts = [frozenset(props[str(end)][0] for end in ends)] if ends else [
                    frozenset((node, o)) for p in said[q][str(K.ofProperty)] for o in props[p]]
                for key in facts:
                    stated.setdefault(key, set()).add((said[q][str(PROV.entity)][0], next(iter(said[q][str(K.span)]), None)))

        def derived(a, b, doc: str, span: str | None) -> bool:
            return (str(m.iri("SourceDocument", doc)), span) in stated.get(frozenset((str(a), str(b))), ())

        # As rdflib reads it, without what the territory says of its places (130,000 triples, which
        # the bundled dump's tests check, would make this a minute): of a place, its types.
        place = re.compile(f"{re.escape(BASE)}id/(municipality|okres|orp|pou)/[^/#]+")
        g = parse_rdf(text, keep=lambda t: not (of := place.match(t.subject.value))
                      or (t.subject.value == of.group() and t.predicate.value == str(RDF.type)))
        checked = set()
        for rel in RELS.values():
            for a, b in rel.pairs if rel.type != "DESCRIBED_BY" else ():
                for edge in await store.read(f"all.rel.{rel.type}.{a}.{b}", skip=0, limit=10_000):
                    for doc, span in sources(edge):
                        ends = (m.iri(a, edge["from_id"]), m.iri(b, edge["to_id"]))
                        if rel.type == "FUNDED_UNDER":  # stated by the project's programme, axis and call
                            assert any(derived(ends[0], o, doc, span) for o in g.objects(ends[0], K.programme))
                        else:
                            assert derived(*ends, doc, span), (rel.type, edge)
                        checked.add(rel.type)
        assert {"FOLLOWS", "COVERS", "HAS_FUNDING", "PARTICIPATES_IN", "TARGETS", "FUNDED_UNDER"} <= checked
        facts = set()
        for edge in await store.read("all.rel.DESCRIBED_BY.Project.SourceDocument", skip=0, limit=10_000):
            project, doc = m.iri("Project", edge["from_id"]), m.iri("SourceDocument", edge["to_id"])
            for fact, span in json.loads(edge["spans"] or "{}").items():
                if fact in ("name", "start", "end", "total_cost_czk", "registration_number") and span:
                    about = [node for node in (project, *g.subjects(RDF.subject, project))
                             if (doc, Literal(span)) in {(g.value(q, PROV.entity), g.value(q, K.span))
                                                         for q in g.objects(node, PROV.qualifiedDerivation)}]
                    assert about, (edge["from_id"], fact, span)
                    facts.add(fact)
        assert facts == {"name", "start", "end", "total_cost_czk", "registration_number"}

        # The query docs/linked-data.md gives for a fact's spans, whichever form holds them.
        query = re.search(r"SPARQL asks for both forms.*?```sparql\n(.*?)```", DOCS.read_text(encoding="utf-8"), re.S)[1]
        oxi = pyoxigraph.Store()
        oxi.load(text.encode("utf-8"), pyoxigraph.RdfFormat.N_TRIPLES)
        prefixes = {"kpss": str(K), "prov": str(PROV), "rdf": str(RDF)}
        answered = {(row["project"].value, row["continued"].value, row["span"].value)
                    for row in oxi.query(query, prefixes=prefixes)}
        follows = {(str(m.iri("Project", e["from_id"])), str(m.iri("Project", e["to_id"])), span)
                   for e in await store.read("all.rel.FOLLOWS.Project.Project", skip=0, limit=10_000)
                   for _, span in sources(e) if span}
        assert answered == follows and follows

        conforms, _, report = validate(g, shacl_graph=shapes(BASE))
        assert conforms, report
        a_statement = next(g.subjects(RDF.type, RDF.Statement))
        g.remove((a_statement, PROV.wasDerivedFrom, None))  # the rest conforms: validated at that node alone
        conforms, _, report = validate(g, shacl_graph=shapes(BASE), focus_nodes=[a_statement])
        assert not conforms and "wasDerivedFrom" in report
    finally:
        await store.close()

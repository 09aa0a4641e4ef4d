"""Linked data and SPARQL over HTTP: content negotiation on entity IRIs, 404 and 406, dumps (gzip,
subsets), the catalogue, and a read-only SPARQL endpoint that answers like the store and follows loads."""

from __future__ import annotations

import csv
import gzip
import io
import json
import multiprocessing
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from urllib.parse import unquote

import httpx
import pytest
from rdflib import DCTERMS, Graph, Literal
from rdflib.plugins.sparql.results.xmlresults import XMLResultParser

from kpss.settings import DATA_DIR, Settings
from loaders.pipeline import load_paths
from server.app import create_app
from server.sparql import MAX_RUNNING
from server.negotiation import choose

from tests.bundled import bundled_projects
from tests.support import INDEX_WAIT_S, bundled_copy, indexed_app, live_server, load_bundled, server_env

REG = "CZ.1.04/3.1.03/65.00042"
PATH = "/id/project/CZ.1.04%2F3.1.03%2F65.00042"
BROWSER = "text/html,application/xhtml+xml,application/xml;q=0.9,image/avif,*/*;q=0.8"
PARSERS = {"text/turtle": "turtle", "application/ld+json": "json-ld", "application/n-triples": "nt",
           "application/rdf+xml": "xml"}
PARTICIPATIONS = """
SELECT ?registration ?organisation ?role ?programme WHERE {
  ?project a schema:Project ; dcterms:identifier ?registration ; kpss:programme/skos:notation ?programme ;
           eurio:hasInvolvedParty ?membership .
  ?membership org:member ?organisation ; org:role/skos:notation ?role .
}"""


@asynccontextmanager
async def client(store, **settings) -> AsyncIterator[httpx.AsyncClient]:
    """A client of an app over ``store`` whose SPARQL index is built."""
    app = await indexed_app(store, Settings(**settings) if settings else None)
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://test") as c:
        yield c


async def test_a_project_iri_answers_in_every_format_and_as_html(bundled_store):
    async with client(bundled_store) as c:
        for media, parser in PARSERS.items():
            r = await c.get(PATH, headers={"Accept": media})
            assert r.status_code == 200 and r.headers["content-type"].startswith(media), (media, r.text[:200])
            g = Graph().parse(data=r.text, format=parser)
            assert Literal(REG) in set(g.objects(None, DCTERMS.identifier)), media
            assert "Accept" in r.headers["vary"]
        html = await c.get(PATH, headers={"Accept": BROWSER})
        assert html.headers["content-type"].startswith("text/html")
        assert "Zavádění procesů komunitního plánování" in html.text and "<table>" in html.text
        assert 'id="participation/beneficiary/' in html.text  # hash IRIs of memberships land on their section
        assert (await c.get(PATH)).headers["content-type"].startswith("text/turtle")  # no Accept: Turtle
        assert (await c.get(PATH, headers={"Accept": "*/*"})).headers["content-type"].startswith("text/turtle")
        forced = await c.get(PATH + "?format=jsonld", headers={"Accept": BROWSER})
        assert forced.headers["content-type"].startswith("application/ld+json")
        # The key may also come with plain slashes: the same entity.
        plain = await c.get("/id/project/" + REG, headers={"Accept": "application/n-triples"})
        assert plain.status_code == 200 and plain.text == (await c.get(PATH, headers={"Accept": "application/n-triples"})).text


async def test_unknown_entities_are_404_and_unsupported_media_406(bundled_store):
    async with client(bundled_store) as c:
        assert (await c.get("/id/project/CZ.9.99%2F1.1.1%2F1.1")).status_code == 404
        assert (await c.get("/id/nosuchkind/x")).status_code == 404
        assert (await c.get("/id/organisation/ico:00000000")).status_code == 404
        r = await c.get(PATH, headers={"Accept": "application/pdf"})
        assert r.status_code == 406 and "text/turtle" in r.text
        assert (await c.get(PATH, headers={"Accept": "text/turtle;q=0, image/*"})).status_code == 406
        assert (await c.get(PATH + "?format=docx")).status_code == 406
        # Code lists and the vocabulary are resources too.
        role = await c.get("/id/role/partner", headers={"Accept": "text/turtle"})
        assert role.status_code == 200 and '"Partner"@en' in role.text
        onto = await c.get("/ontology", headers={"Accept": "application/n-triples"})
        assert onto.status_code == 200 and "areaOfSupport" in onto.text


async def test_dumps_stream_gzip_and_subsets(bundled_store):
    async with client(bundled_store) as c:
        sizes = {}
        for ext, parser in (("ttl", "turtle"), ("nt", "nt"), ("jsonld", "json-ld"), ("rdf", "xml")):
            # A region's (two kraje): rdflib parses the whole graph (every municipality) slowly.
            r = await c.get(f"/rdf/dump.{ext}?region=CZ07", headers={"Accept-Encoding": "gzip"})
            assert r.status_code == 200 and r.headers["content-encoding"] == "gzip"
            sizes[ext] = len(Graph().parse(data=r.text, format=parser))
        assert len(set(sizes.values())) == 1 and sizes["nt"] > 1500
        raw = await c.get("/rdf/dump.nt", headers={"Accept-Encoding": "identity"})
        assert "content-encoding" not in raw.headers and raw.text.count("\n") > 150_000
        subset = await c.get("/rdf/dump.nt?region=CZ071")
        assert 0 < len(Graph().parse(data=subset.text, format="nt")) < sizes["nt"]
        for bad in ("region=cz072", "region=CZ", "region=';x", "programme=NOPE"):
            refused = await c.get(f"/rdf/dump.nt?{bad}")
            assert refused.status_code == 400 and "is not a" in refused.text
        assert (await c.get("/rdf/dump.xml")).status_code == 404
        ctx = await c.get("/rdf/context.jsonld")
        assert ctx.json()["@context"]["schema"] == "https://schema.org/"
        cat = await c.get("/rdf/catalog", headers={"Accept": "text/turtle"})
        assert "dcat:Catalog" in cat.text and "dcat:downloadURL" in cat.text
        assert "Katalog" in (await c.get("/rdf/catalog", headers={"Accept": BROWSER})).text


async def _store_participations(store) -> set[tuple]:
    rows, skip = [], 0
    while page := await store.read("all.rel.PARTICIPATES_IN.Organisation.Project", skip=skip, limit=100):
        rows += page
        skip += len(page)
    projects = sorted({r["to_id"] for r in rows})
    programme = {r["project_id"]: r["programme_id"] for r in await store.read("read.funded_under_by_project", ids=projects)}
    numbered = {r["id"] for r in await store.read("all.node.Project", after="", limit=10_000) if r["registration_number"]}
    # The query asks for the registration number and the programme: projects stating both.
    return {(r["to_id"], r["from_id"], r["role"], programme[r["to_id"]]) for r in rows
            if r["to_id"] in numbered and r["to_id"] in programme}


def _org_id(iri: str) -> str:
    return unquote(iri.rsplit("/id/organisation/", 1)[1])


async def test_sparql_answers_which_partners_joined_which_projects_like_the_store(bundled_store):
    expected = await _store_participations(bundled_store)
    assert len(expected) > 30
    async with client(bundled_store) as c:
        r = await c.get("/sparql", params={"query": PARTICIPATIONS})
        assert r.status_code == 200 and r.headers["content-type"].startswith("application/sparql-results+json")
        got = {(b["registration"]["value"], _org_id(b["organisation"]["value"]), b["role"]["value"], b["programme"]["value"])
               for b in r.json()["results"]["bindings"]}
        assert got == expected
        # The same by POST, and in every results format.
        posted = await c.post("/sparql", data={"query": PARTICIPATIONS}, headers={"Accept": "text/csv"})
        assert posted.headers["content-type"].startswith("text/csv")
        table = list(csv.DictReader(io.StringIO(posted.text)))
        assert {(row["registration"], _org_id(row["organisation"]), row["role"], row["programme"]) for row in table} == expected
        tsv = await c.post("/sparql", content=PARTICIPATIONS, headers={"Content-Type": "application/sparql-query",
                                                                        "Accept": "text/tab-separated-values"})
        assert tsv.text.splitlines()[0] == "?registration\t?organisation\t?role\t?programme"
        assert len(tsv.text.splitlines()) == len(expected) + 1
        xml = await c.get("/sparql", params={"query": PARTICIPATIONS}, headers={"Accept": "application/sparql-results+xml"})
        assert len(list(XMLResultParser().parse(io.BytesIO(xml.content)))) == len(expected)
        ask = await c.get("/sparql", params={"query": f'ASK {{ ?p dcterms:identifier "{REG}" }}'})
        assert ask.json()["boolean"] is True
        graph = await c.get("/sparql", params={"query": "CONSTRUCT { ?p schema:name ?n } WHERE { ?p a schema:Project ; schema:name ?n }"},
                            headers={"Accept": "application/n-triples"})
        assert len(Graph().parse(data=graph.text, format="nt")) == len(bundled_projects())
        assert (await c.get("/sparql", params={"query": "SELECT WHERE {"})).status_code == 400
        assert (await c.get("/sparql", headers={"Accept": BROWSER})).headers["content-type"].startswith("text/html")


async def test_sparql_refuses_updates(bundled_store):
    insert = 'PREFIX ex: <http://example.org/> INSERT DATA { ex:a ex:b "c" }'
    async with client(bundled_store) as c:
        for r in (
            await c.post("/sparql", data={"update": insert}),
            await c.post("/sparql", content=insert, headers={"Content-Type": "application/sparql-update"}),
            await c.post("/sparql", data={"query": insert}),
            await c.get("/sparql", params={"query": "# comment\nDROP ALL"}),
            await c.get("/sparql", params={"update": insert}),
        ):
            assert r.status_code == 403 and "read-only" in r.text
        count = await c.get("/sparql", params={"query": "ASK { ?s <http://example.org/b> ?o }"})
        assert count.json()["boolean"] is False


async def test_sparql_refuses_federated_queries_and_fetches_nothing(bundled_store):
    import http.server
    import threading

    calls: list[str] = []

    class Listener(http.server.BaseHTTPRequestHandler):
        def do_GET(self):  # noqa: N802 (the handler's API)
            calls.append(self.path)
            self.send_response(200)
            self.end_headers()

        do_POST = do_GET

        def log_message(self, *args):
            pass

    listener = http.server.HTTPServer(("127.0.0.1", 0), Listener)
    threading.Thread(target=listener.serve_forever, daemon=True).start()
    probe = f"http://127.0.0.1:{listener.server_port}/probe"
    try:
        async with client(bundled_store) as c:
            for query in (f"SELECT * WHERE {{ SERVICE <{probe}> {{ ?s ?p ?o }} }}",
                          f"select * where {{ service silent<{probe}>{{?s ?p ?o}} }}"):
                r = await c.get("/sparql", params={"query": query})
                assert r.status_code == 403 and "SERVICE" in r.text
            # The word in a string or an IRI is no SERVICE clause.
            ok = await c.get("/sparql", params={"query": 'ASK { ?s ?p "SERVICE" }'})
            assert ok.status_code == 200
    finally:
        listener.shutdown()
    assert calls == []


async def test_sparql_limits_results_and_time(bundled_store):
    async with client(bundled_store, sparql_result_limit=3) as c:
        r = await c.get("/sparql", params={"query": "SELECT ?s WHERE { ?s a schema:Project }"})
        assert len(r.json()["results"]["bindings"]) == 3 and r.headers["x-results-truncated"] == "true"
        # Exactly as many rows as the limit: all of them, not marked as cut.
        whole = await c.get("/sparql", params={"query": "SELECT ?s WHERE { ?s a schema:Project } LIMIT 3"})
        assert len(whole.json()["results"]["bindings"]) == 3 and "x-results-truncated" not in whole.headers
    async with client(bundled_store, query_timeout_s=1) as c:
        # More runaway queries, one after another, than may run at once: each is stopped at the limit,
        # and frees its place for the next.
        runaway = {"query": "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"}
        for _ in range(MAX_RUNNING + 1):
            slow = await c.get("/sparql", params=runaway)
            assert slow.status_code == 503 and "time limit of 1 s" in slow.text
    async with client(bundled_store) as c:  # the default limit: a busy machine's fork and answer fit in it
        after = await c.get("/sparql", params={"query": "ASK { ?s a schema:Project }"})
        assert after.status_code == 200 and after.json()["boolean"] is True
    assert not [p for p in multiprocessing.active_children() if p.is_alive()]  # no query goes on using a core


async def test_sparql_index_follows_loads(backend, tmp_path):
    store = await bundled_copy(backend, tmp_path)
    try:
        count = "SELECT (COUNT(?p) AS ?n) WHERE { ?p a schema:Project }"
        app = create_app(settings=Settings(query_timeout_s=INDEX_WAIT_S), store=store)  # each load rebuilds the index
        async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://test") as c:
            async def projects() -> int:
                return int((await c.get("/sparql", params={"query": count})).json()["results"]["bindings"][0]["n"]["value"])

            assert await projects() == len(bundled_projects())
            assert await projects() == len(bundled_projects())  # from the same index: the graph is as it was
            assert app.state.sparql_index.builds == 1
            # A load that only changes a value is seen too: the edited file is a new source document.
            source = (DATA_DIR / "bundled" / "olomoucky-kraj-planovani.yaml").read_text(encoding="utf-8")
            edited = tmp_path / "renamed.yaml"
            edited.write_text(source.replace("    name: Podpora plánování", "    name: Přejmenovaná podpora plánování"),
                              encoding="utf-8")
            await load_paths(store, [edited])
            renamed = await c.get("/sparql", params={"query": 'ASK { ?p schema:name "Přejmenovaná podpora plánování '
                                                              'rozvoje sociálních služeb v Olomouckém kraji"@cs }'})
            assert renamed.json()["boolean"] is True and app.state.sparql_index.builds == 2
    finally:
        await store.close()


def test_accept_negotiation():
    offers = ["text/turtle", "text/html", "application/ld+json"]
    assert choose(None, offers) == "text/turtle"
    assert choose("*/*", offers) == "text/turtle"
    assert choose(BROWSER, offers) == "text/html"
    assert choose("application/ld+json;q=0.9, text/turtle;q=0.5", offers) == "application/ld+json"
    assert choose("text/*;q=0.5, application/ld+json;q=0.4", offers) == "text/turtle"
    assert choose("text/*, text/turtle;q=0", offers) == "text/html"
    assert choose("image/png", offers) is None


@pytest.mark.slow
def test_a_live_server_serves_encoded_iris_dumps_and_sparql(backend, tmp_path):
    env = server_env(backend, tmp_path, KPSS_BASE_IRI="https://data.example.cz/kpss")
    load_bundled(env)
    with live_server(env) as url:
        r = httpx.get(url + PATH, headers={"Accept": "application/ld+json"})
        assert r.status_code == 200
        nodes = {n["@id"]: n for n in r.json()["@graph"]}
        assert "https://data.example.cz/kpss/id/project/CZ.1.04%2F3.1.03%2F65.00042" in nodes
        # The dump and the SPARQL index take in every municipality: generous waits on a busy machine.
        with httpx.stream("GET", f"{url}/rdf/dump.nt", headers={"Accept-Encoding": "gzip"}, timeout=INDEX_WAIT_S) as dump:
            assert dump.headers["content-encoding"] == "gzip"
            body = gzip.decompress(b"".join(dump.iter_raw()))
        assert len(Graph().parse(data=body.decode(), format="nt")) > 1500
        answer = httpx.get(f"{url}/sparql", params={"query": PARTICIPATIONS}, timeout=INDEX_WAIT_S)
        assert len(answer.json()["results"]["bindings"]) > 30
        assert json.loads(httpx.get(f"{url}/rdf/context.jsonld").text)["@context"]["kpss"] == "https://data.example.cz/kpss/ontology#"


async def test_the_served_shapes_validate_the_served_dump(bundled_store):
    from pyshacl import validate

    async with client(bundled_store) as c:
        shapes = Graph().parse(data=(await c.get("/rdf/shapes", headers={"Accept": "text/turtle"})).text, format="turtle")
        # A region's dump (the whole one is held to the shapes in tests/test_rdf.py)
        dump = Graph().parse(data=(await c.get("/rdf/dump.ttl?region=CZ07")).text, format="turtle")
        assert (await c.get("/rdf/shapes", headers={"Accept": "application/ld+json"})).headers["content-type"] == \
            "application/ld+json"
    conforms, _, report = validate(dump, shacl_graph=shapes)
    assert conforms, report

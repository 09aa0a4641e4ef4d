"""What the tests share besides fixtures: stores on every backend, the graph's facts, a live
server. (Imported as ``tests.support`` everywhere, so its state exists once.)

Neo4j Community has one database, so the tests that use it say what they need in it:
``bundled_store`` (in conftest) makes sure it holds exactly the bundled dataset, ``fresh_store``
and ``server_env`` empty it — whatever ran before, in any order. Emptied, it keeps the territorial
reference data that every load brings (``empty_neo4j``), which a load then leaves as it is.

Every load brings the whole reference territory (some 6,000 municipalities), which takes seconds to
write, so on the embedded store a fresh store is a copy of one that a load of no documents filled
(``fresh_store``), and a test that needs the bundled dataset gets a copy of a store folder that
`kpss load` filled (``bundled_copy``, ``load_bundled``): each made once per test run (``_template``).
"""

from __future__ import annotations

import asyncio
import fcntl
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import weakref
from collections import defaultdict
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from functools import cache
from pathlib import Path

import httpx
import pyoxigraph
import pytest
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.namespace import XSD
from starlette.applications import Starlette

from graph.store import GraphStore, open_store
from kpss.settings import Settings
from loaders.pipeline import bundled_paths, load_paths
from rdf.index import SparqlIndex
from server.app import create_app

NEO4J_URI = os.environ.get("KPSS_NEO4J_URI")
BACKENDS = [
    "embedded",
    # Under pytest-xdist every test on Neo4j runs in one worker, in turn: they share its one database.
    pytest.param("neo4j", marks=[pytest.mark.xdist_group("neo4j"), pytest.mark.skipif(
        not NEO4J_URI, reason="KPSS_NEO4J_URI is not set: run `make test`, which starts Neo4j (needs Java and Maven)")]),
]


class Neo4jContents:
    """What the one Neo4j database holds: ``"bundled"`` or unknown (None)."""

    holds: str | None = None


# Everything but the facts of the territorial reference data (loaders/pipeline.py writes them only
# when they are not stored): the documents' facts, and what else the reference files say of places.
_BUT_TERRITORY = (
    "MATCH (n) WHERE NOT (n:Municipality OR n:Okres OR n:Orp OR n:Pou OR n:Region OR n.id = $doc) DETACH DELETE n",
    "MATCH (m:Municipality) WHERE NOT EXISTS { (m)-[:DESCRIBED_BY]->() } DETACH DELETE m",  # abroad
    "MATCH (r:Region) WHERE NOT EXISTS { (r)<-[:IN_REGION]-() } DETACH DELETE r",
    "MATCH ()-[x]->(e) WHERE coalesce(x.source, e.id) <> $doc DELETE x",
)


def empty_neo4j() -> None:
    """The one Neo4j database as a load of no documents would leave it, minus the reference files'
    facts, which any load brings again: rewriting the 40,000 facts of the territory for every test
    would take most of the suite's time on Neo4j."""
    import neo4j

    from loaders.reference import territory

    Neo4jContents.holds = None
    with neo4j.GraphDatabase.driver(NEO4J_URI) as driver:
        for statement in _BUT_TERRITORY:
            driver.execute_query(statement, doc=territory().source.id)


def store_settings(backend: str, folder: Path) -> Settings:
    # A generous read limit: on a busy machine a cold Neo4j can take longer than the served default
    # over its first reads (the tests of the limit set their own).
    return Settings(backend=backend, db_path=folder / "graph.lbug", neo4j_uri=NEO4J_URI, query_timeout_s=120)


async def fresh_store(backend: str, folder: Path) -> GraphStore:
    """A store as a load of no documents leaves it: on the embedded backend a copy of one such store
    (writing the territory's 40,000 facts takes seconds, and every load brings them anyway), the one
    Neo4j database emptied of all but the territory."""
    if backend == "embedded":
        _copy_store(_territory_template(), store_settings(backend, folder).db_path)
    store = await open_store(store_settings(backend, folder).store_config())
    if backend == "neo4j":
        empty_neo4j()
    return store


# A folder the processes of one test run share (pytest-xdist's controller makes it: tests/conftest.py),
# where each store template is made once for all of them.
SHARED_ENV = "KPSS_TEST_SHARED"


def _template(name: str, make: Callable[[Path], None]) -> Path:
    """The embedded store ``name`` that ``make(db_path)`` fills, made by whichever test process asks
    first; the others wait for it and copy it (it is never changed after)."""
    folder = Path(os.environ[SHARED_ENV]) / name
    with open(f"{folder}.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)  # released when the file closes, or the process dies
        if not Path(f"{folder}.done").exists():
            shutil.rmtree(folder, ignore_errors=True)  # what a process that died meanwhile left
            folder.mkdir()
            make(folder / "graph.lbug")
            Path(f"{folder}.done").touch()
    return folder / "graph.lbug"


@cache
def _territory_template() -> Path:
    """An embedded store that a load of no documents filled (the reference data)."""

    async def fill(db_path: Path) -> None:
        store = await open_store(store_settings("embedded", db_path.parent).store_config())
        try:
            await load_paths(store, [])
        finally:
            await store.close()

    def make(db_path: Path) -> None:
        with ThreadPoolExecutor(1) as thread:  # asyncio.run, from tests whose own event loop is running
            thread.submit(asyncio.run, fill(db_path)).result()

    return _template("territory", make)


def server_env(backend: str, folder: Path, **extra: str) -> dict[str, str]:
    """The environment of a `kpss` command on ``backend``: a store folder of its own, or the
    test Neo4j — emptied, since the command will load what the test needs."""
    env = {**os.environ, "KPSS_BACKEND": backend, "KPSS_DB_PATH": str(folder / "live.lbug"), **extra}
    if backend == "neo4j":
        empty_neo4j()
    return env


def _kpss_load(env: dict[str, str]) -> None:
    subprocess.run([sys.executable, "-m", "kpss", "load"], env=env, check=True, capture_output=True)


@cache
def _bundled_template() -> Path:
    """An embedded store that `kpss load` filled with the bundled dataset."""
    return _template("bundled", lambda db_path: _kpss_load(
        {**os.environ, "KPSS_BACKEND": "embedded", "KPSS_DB_PATH": str(db_path)}))


def _copy_bundled(db_path: Path) -> None:
    """The embedded store at ``db_path`` (none yet) becomes a copy of the bundled template."""
    _copy_store(_bundled_template(), db_path)


def _copy_store(template: Path, db_path: Path) -> None:
    db_path.parent.mkdir(parents=True, exist_ok=True)
    for part in template.parent.iterdir():  # the database file and whatever the engine keeps beside it
        target = db_path.parent / part.name.replace(template.name, db_path.name, 1)
        (shutil.copytree if part.is_dir() else shutil.copy2)(part, target)


def load_bundled(env: dict[str, str]) -> None:
    """The bundled dataset in the store of ``env``: `kpss load` on Neo4j, a copy of a store `kpss load`
    filled on the embedded backend."""
    if env["KPSS_BACKEND"] == "embedded":
        _copy_bundled(Path(env["KPSS_DB_PATH"]))
    else:
        _kpss_load(env)


async def bundled_copy(backend: str, folder: Path) -> GraphStore:
    """A store of its own holding the bundled dataset, which the test may change: a copy on the
    embedded backend, the one Neo4j database emptied and loaded."""
    if backend == "embedded":
        _copy_bundled(store_settings(backend, folder).db_path)
        return await open_store(store_settings(backend, folder).store_config())
    store = await fresh_store(backend, folder)
    await load_paths(store, bundled_paths())
    return store


PROVENANCE = {"source", "span", "spans", "sources", "names_projects"}  # names_projects: what named a link


_BUNDLED_FACTS: dict[str, set[tuple]] = {}


async def bundled_facts(backend: str, store: GraphStore) -> set[tuple]:
    """``graph_facts`` of a store holding the bundled dataset and nothing else, as ``store`` does
    when called: read once per backend and test process, for tests that check a store is unchanged."""
    if backend not in _BUNDLED_FACTS:
        _BUNDLED_FACTS[backend] = await graph_facts(store)
    return _BUNDLED_FACTS[backend]


# Pages of graph_facts: each page of an ordered read sorts the whole table again (the territory's
# 6,258 rows: 7 pages of 1,000 take five times as long as one of all).
_FACTS_PAGE = 100_000


def _facts(kind: str, rows: list[dict], provenance: bool) -> set[tuple]:
    # A statement's rows have its RETURN's columns in its order: a row's pairs in that order are canonical.
    keys = [k for k in rows[0] if provenance or k not in PROVENANCE]
    return {(kind, tuple(zip(keys, map(row.__getitem__, keys)))) for row in rows}


async def graph_facts(store: GraphStore, provenance: bool = False) -> set[tuple]:
    """Every node and edge with its properties. Without ``provenance`` the source documents and
    spans are left out: what two loads of the same facts from different sources must agree on."""
    from graph.model import NODES, RELS

    facts: set[tuple] = set()
    for label in NODES:
        if label == "SourceDocument" and not provenance:
            continue
        after = ""
        while rows := await store.read(f"all.node.{label}", after=after, limit=_FACTS_PAGE):
            facts |= _facts(label, rows, provenance)
            after = rows[-1]["id"]
    for rel in RELS.values():
        if rel.type == "DESCRIBED_BY" and not provenance:
            continue
        for a, b in rel.pairs:
            skip = 0
            while rows := await store.read(f"all.rel.{rel.type}.{a}.{b}", skip=skip, limit=_FACTS_PAGE):
                facts |= _facts(rel.type, rows, provenance)
                skip += len(rows)
    return facts


SERVER_PIDS: dict[str, int] = {}  # a live server's process by its URL, for tests that watch its memory


@contextmanager
def live_server(env: dict[str, str]) -> Iterator[str]:
    """`kpss serve` on a free port with ``env``, once it is ready; yields its URL and stops it afterwards."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    log = tempfile.TemporaryFile()  # not a pipe: a full pipe would stall the server
    server = subprocess.Popen([sys.executable, "-m", "kpss", "serve", "--port", str(port)], env=env,
                              stdout=subprocess.DEVNULL, stderr=log)
    url = f"http://127.0.0.1:{port}"
    try:
        # A busy machine may take long to start it: wait while it runs, up to a bound no start nears.
        deadline = time.monotonic() + 180
        while not _ready(url):
            if server.poll() is not None:
                log.seek(0)
                pytest.fail(f"`kpss serve` exited with {server.returncode}: {log.read().decode()[-2000:]}")
            if time.monotonic() > deadline:
                pytest.fail("`kpss serve` did not become ready within 180 s")
            time.sleep(0.2)
        SERVER_PIDS[url] = server.pid
        yield url
    finally:
        SERVER_PIDS.pop(url, None)
        server.terminate()
        try:
            server.wait(timeout=30)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()
        log.close()


def _ready(url: str) -> bool:
    try:
        return httpx.get(f"{url}/health/ready", timeout=10).status_code == 200
    except httpx.TransportError:
        return False


_OXIGRAPH_FORMATS = {"nt": pyoxigraph.RdfFormat.N_TRIPLES, "ttl": pyoxigraph.RdfFormat.TURTLE}


def _rdflib_term(term):
    if isinstance(term, pyoxigraph.NamedNode):
        return URIRef(term.value)
    if isinstance(term, pyoxigraph.BlankNode):
        return BNode(term.value)
    datatype = None if term.language or term.datatype.value == str(XSD.string) else URIRef(term.datatype.value)
    return Literal(term.value, lang=term.language, datatype=datatype)


def parse_rdf(text: str, fmt: str = "nt", keep: Callable[[pyoxigraph.Triple], bool] = lambda _: True) -> Graph:
    """A whole dump as an rdflib graph, parsed by pyoxigraph: rdflib's own parsers take half a minute
    for the 160,000 triples of the territory (the tests that check rdflib reads every format parse a
    region's subset with it)."""
    g, term = Graph(), cache(_rdflib_term)  # a term recurs (predicates, types, subjects): made once
    g.addN((term(t.subject), term(t.predicate), term(t.object), g) for t in oxigraph_triples(text, fmt) if keep(t))
    return g


def descriptions(text: str, fmt: str = "nt") -> dict[str, dict[str, list[str]]]:
    """subject -> predicate -> objects of a dump, as strings (IRIs, literals' values, blank node ids):
    what a test that follows links over the territory's 160,000 triples reads in seconds, where
    an rdflib graph of them takes most of a minute."""
    out: defaultdict[str, defaultdict[str, list[str]]] = defaultdict(lambda: defaultdict(list))
    for t in oxigraph_triples(text, fmt):
        out[t.subject.value][t.predicate.value].append(t.object.value)
    return out


def oxigraph_triples(text: str, fmt: str = "nt") -> Iterator[pyoxigraph.Triple]:
    """The triples of a dump as pyoxigraph parses them (seconds for the territory's 160,000)."""
    return pyoxigraph.parse(text.encode("utf-8"), format=_OXIGRAPH_FORMATS[fmt])


INDEX_WAIT_S = 600  # building the SPARQL index over every municipality takes a while on a busy machine
# One index a store, shared by the apps the tests make over it: it is rebuilt whenever its store's
# graph changes (the index's own rule); otherwise every app would build it for the bundled graph again.
_INDEXES: weakref.WeakKeyDictionary[GraphStore, SparqlIndex] = weakref.WeakKeyDictionary()


async def indexed_app(store: GraphStore, settings: Settings | None = None) -> Starlette:
    """An app over ``store`` whose SPARQL index is built: a query's own time limit includes waiting
    for the index, which is not what the tests that use this are about."""
    app = create_app(settings=settings, store=store)
    app.state.sparql_index = _INDEXES.setdefault(store, app.state.sparql_index)
    await app.state.sparql_index.current(store, INDEX_WAIT_S)
    return app

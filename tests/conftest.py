"""Fixtures: real stores on every backend. Neo4j runs when KPSS_NEO4J_URI points at one
(e.g. `docker compose up neo4j`); the tests then own and wipe that database."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from collections.abc import AsyncIterator, Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx
import pytest

from graph.store import GraphStore, open_store
from kpss.settings import Settings
from loaders.pipeline import bundled_paths, load_paths

NEO4J_URI = os.environ.get("KPSS_NEO4J_URI")
BACKENDS = [
    "embedded",
    pytest.param("neo4j", marks=pytest.mark.skipif(not NEO4J_URI, reason="KPSS_NEO4J_URI is not set: no Neo4j to test")),
]


def store_settings(backend: str, folder: Path) -> Settings:
    return Settings(backend=backend, db_path=folder / "graph.lbug")


async def fresh_store(backend: str, folder: Path) -> GraphStore:
    store = await open_store(store_settings(backend, folder))
    if backend == "neo4j":
        await store.clear()
    return store


@pytest.fixture(params=BACKENDS)
def backend(request: pytest.FixtureRequest) -> str:
    return request.param


@pytest.fixture
async def empty_store(backend: str, tmp_path: Path) -> AsyncIterator[GraphStore]:
    store = await fresh_store(backend, tmp_path)
    yield store
    await store.close()


@pytest.fixture(scope="session", params=BACKENDS)
async def bundled_store(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> AsyncIterator[GraphStore]:
    """The bundled dataset loaded once per backend; tests must only read it."""
    store = await fresh_store(request.param, tmp_path_factory.mktemp(f"bundled-{request.param}"))
    await load_paths(store, bundled_paths())
    yield store
    await store.close()


PROVENANCE = {"source", "span", "spans"}


async def graph_facts(store: GraphStore) -> set[tuple]:
    """Every node and edge with its properties, provenance (source documents, spans) left out:
    what two loads of the same facts from different sources must agree on."""
    from graph.model import NODES, RELS

    facts: set[tuple] = set()
    for label in NODES:
        if label == "SourceDocument":
            continue
        after = ""
        while rows := await store.read(f"all.node.{label}", after=after, limit=1000):
            facts |= {(label, tuple(sorted((k, v) for k, v in row.items() if v is not None))) for row in rows}
            after = rows[-1]["id"]
    for rel in RELS.values():
        if rel.type == "DESCRIBED_BY":
            continue
        for a, b in rel.pairs:
            skip = 0
            while rows := await store.read(f"all.rel.{rel.type}.{a}.{b}", skip=skip, limit=1000):
                facts |= {
                    (rel.type, tuple(sorted((k, v) for k, v in row.items() if v is not None and k not in PROVENANCE)))
                    for row in rows
                }
                skip += len(rows)
    return facts


@contextmanager
def live_server(env: dict[str, str]) -> Iterator[str]:
    """`kpss serve` on a free port with ``env``, ready; yields its URL and stops it afterwards."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    server = subprocess.Popen([sys.executable, "-m", "kpss", "serve", "--port", str(port)], env=env,
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    url = f"http://127.0.0.1:{port}"
    try:
        for _ in range(100):
            try:
                if httpx.get(f"{url}/health/live").status_code == 200:
                    break
            except httpx.TransportError:
                time.sleep(0.1)
        yield url
    finally:
        server.terminate()
        server.wait(timeout=10)

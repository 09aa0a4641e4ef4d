"""32 clients for a bounded time against a live server — GraphQL queries, dumps and SPARQL — while
`kpss load` updates the graph: no 5xx, every answer is one the graph before or after the update
gives, and the server's memory levels off. On each backend."""

from __future__ import annotations

import asyncio
import json
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest
from rdflib import RDF

from kpss.settings import DATA_DIR
from tests.bundled import bundled_projects
from tests.support import BACKENDS, SERVER_PIDS, live_server, server_env

pytestmark = pytest.mark.slow  # a live server and a `kpss load` beside it

SEED = DATA_DIR / "bundled" / "zlinsky-kraj-planovani.yaml"
RUN_S = 20
STEADY_S = 10  # the same mix without an update, before and after: the server's memory then
CLIENTS = {"graphql": 24, "dump": 4, "sparql": 4}  # SPARQL runs at most 4 queries at once (server/sparql.py)
COUNT = "{ projects { totalCount } }"
TYPED_PROJECT = f"<{RDF.type}> <https://schema.org/Project> ."
SPARQL = "SELECT (COUNT(?p) AS ?n) WHERE { ?p a <https://schema.org/Project> }"


async def _client(kind: str, url: str, allowed: set[int], until: float, answers: list, problems: list) -> None:
    async with httpx.AsyncClient(base_url=url, timeout=120) as c:
        while time.monotonic() < until:
            if kind == "graphql":
                r = await c.post("/graphql", json={"query": COUNT})
                got = r.json()["data"]["projects"]["totalCount"] if r.status_code == 200 and "errors" not in r.json() else None
            elif kind == "dump":
                r = await c.get("/rdf/dump.nt")
                got = None
                if r.status_code == 200:
                    # One line per triple: the projects are the subjects typed schema:Project.
                    got = sum(1 for line in r.text.splitlines() if line.endswith(TYPED_PROJECT))
            else:
                r = await c.get("/sparql", params={"query": SPARQL}, headers={"Accept": "application/sparql-results+json"})
                got = int(r.json()["results"]["bindings"][0]["n"]["value"]) if r.status_code == 200 else None
            answers.append(kind)
            if r.status_code >= 500 or got not in allowed:
                problems.append((kind, r.status_code, got, r.text[:300]))


def _sparql_catches_up(url: str, count: int) -> None:
    deadline = time.monotonic() + 900  # a bound no build nears: what is tested is that it catches up
    while True:
        r = httpx.get(f"{url}/sparql", params={"query": SPARQL}, headers={"Accept": "application/sparql-results+json"},
                      timeout=300)
        if r.status_code == 200 and int(r.json()["results"]["bindings"][0]["n"]["value"]) == count:
            return
        assert time.monotonic() < deadline, f"the SPARQL index did not show the update: {r.status_code} {r.text[:300]}"
        time.sleep(1)


def rss_bytes(pid: int) -> int:
    """The resident memory of a process (Linux)."""
    status = Path(f"/proc/{pid}/status").read_text()
    return int(next(line.split()[1] for line in status.splitlines() if line.startswith("VmRSS:"))) * 1024


@pytest.mark.parametrize("backend", BACKENDS)
def test_32_clients_while_an_update_runs(backend, tmp_path):
    # A time limit no query nears on a quiet machine, generous for a busy one: what is tested is that
    # nothing fails, not how fast 32 clients are served on two cores.
    env = server_env(backend, tmp_path, KPSS_QUERY_TIMEOUT_S="120")
    subprocess.run([sys.executable, "-m", "kpss", "load", str(SEED)], env=env, check=True, capture_output=True)
    with live_server(env) as url:
        before = httpx.post(f"{url}/graphql", json={"query": COUNT}, timeout=60).json()["data"]["projects"]["totalCount"]
        after = len(bundled_projects())
        answers: list[str] = []
        problems: list[tuple] = []

        async def mix(seconds: float, allowed: set[int], update: bool) -> int:
            until = time.monotonic() + seconds
            clients = [_client(kind, url, allowed, until, answers, problems)
                       for kind, n in CLIENTS.items() for _ in range(n)]
            if not update:
                await asyncio.gather(*clients)
                return 0
            load = await asyncio.create_subprocess_exec(sys.executable, "-m", "kpss", "load", env=env,
                                                        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
            return (await asyncio.gather(load.wait(), *clients))[0]

        asyncio.run(mix(STEADY_S, {before}, update=False))  # warmed up: caches, the SPARQL index, the allocator
        warm = rss_bytes(SERVER_PIDS[url])
        assert asyncio.run(mix(RUN_S, {before, after}, update=True)) == 0
        assert not problems, problems[:5]
        assert all(answers.count(kind) for kind in CLIENTS), "every kind of client was answered"
        assert httpx.post(f"{url}/graphql", json={"query": COUNT}, timeout=60).json()["data"]["projects"]["totalCount"] == after
        # The SPARQL index follows the graph in the background; until it has, a query reads the one
        # before it (server/sparql.py), which on a busy machine can outlast the update by a minute.
        _sparql_catches_up(url, after)
        asyncio.run(mix(STEADY_S, {after}, update=False))
        middle = rss_bytes(SERVER_PIDS[url])
        asyncio.run(mix(STEADY_S, {after}, update=False))
        end = rss_bytes(SERVER_PIDS[url])
        assert not problems, problems[:5]
        print(json.dumps({**{kind: answers.count(kind) for kind in CLIENTS},
                          "rss_mib": [round(m / 1024**2) for m in (warm, middle, end)]}))
        # Stable: the update and the larger graph may take more (on the embedded store the server runs
        # the load itself), but then the same traffic again takes about no more.
        assert end < middle * 1.25, (warm, middle, end)

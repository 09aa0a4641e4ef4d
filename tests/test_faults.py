"""Faults survived with nothing lost: a `kpss load` killed with SIGKILL at several moments of a large
load leaves the store openable and either exactly as before or wholly loaded (each backend); a server whose Neo4j goes away
says so on /health/ready within seconds, stays live, and is ready again when Neo4j returns."""

from __future__ import annotations

import asyncio
import os
import signal
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path

import httpx
import pytest

from bench.synthetic import dataset
from graph.store import open_store
from kpss.settings import Settings
from tests.support import BACKENDS, NEO4J_URI, graph_facts, live_server, load_bundled, server_env

pytestmark = pytest.mark.slow  # `kpss load` processes killed, a live server

KILL_AFTER_S = (0.5, 2.0, 5.0)  # reading the files, resolving, writing (on a 2-core machine)


def facts(env: dict[str, str]) -> set[tuple]:
    settings = Settings(backend=env["KPSS_BACKEND"], db_path=Path(env["KPSS_DB_PATH"]), neo4j_uri=NEO4J_URI)

    async def read() -> set[tuple]:
        store = await open_store(settings.store_config())
        try:
            return await graph_facts(store)
        finally:
            await store.close()

    return asyncio.run(read())


def _difference(state: set[tuple], expected: set[tuple]) -> str:
    lost, gained = sorted(expected - state), sorted(state - expected)
    return f"{len(lost)} facts lost (first: {lost[:3]}), {len(gained)} gained (first: {gained[:3]})"


@pytest.mark.parametrize("backend", BACKENDS)
def test_a_load_killed_at_any_moment_leaves_the_store_as_it_was_or_wholly_loaded(backend, tmp_path):
    env = server_env(backend, tmp_path)
    load_bundled(env)
    before = facts(env)
    big = tmp_path / "big.json"
    big.write_text(dataset(1500, 400).dataset.model_dump_json(exclude_none=True), encoding="utf-8")
    load = [sys.executable, "-m", "kpss", "load", str(big)]
    left = {}  # the store after each kill
    for moment in KILL_AFTER_S:
        process = subprocess.Popen(load, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        time.sleep(moment)
        assert process.poll() is None, f"the load ended within {moment} s: make the data larger for this machine"
        os.kill(process.pid, signal.SIGKILL)
        process.wait()
        left[moment] = facts(env)
    if changed := {moment: state for moment, state in left.items() if state != before}:
        # All or nothing: a process killed after its commit (closing the store) leaves the whole load,
        # which the same load run to its end also leaves (a second load changes nothing).
        subprocess.run(load, env=env, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        after = facts(env)
        for moment, state in changed.items():
            assert state == after, f"killed after {moment} s: neither as before nor wholly loaded: {_difference(state, before)}"
    assert KILL_AFTER_S[0] not in changed, "killed while it was still starting, it had written something"


class Outage:
    """A TCP relay between the server and Neo4j that the test can cut and restore on the same port:
    Neo4j going away and coming back, as the server sees it. Cutting it refuses new connections and
    drops every connection it carries, pooled ones too, as a server gone away does."""

    def __init__(self, upstream: tuple[str, int]) -> None:
        self.upstream = upstream
        probe = socket.socket()
        probe.bind(("127.0.0.1", 0))
        self.port = probe.getsockname()[1]
        probe.close()
        self._lock = threading.Lock()  # the listener and the connections carried change together
        self._listener: socket.socket | None = None
        self._carried: set[socket.socket] = set()

    def up(self) -> None:
        with self._lock:
            self._listener = socket.create_server(("127.0.0.1", self.port))
            threading.Thread(target=self._accept, args=(self._listener,), daemon=True).start()

    def down(self) -> None:
        with self._lock:
            listener, self._listener = self._listener, None
            carried, self._carried = self._carried, set()
        _drop(listener)  # shut down first: closing alone leaves a blocked accept() listening on Linux
        for s in carried:
            _drop(s)

    def _accept(self, listener: socket.socket) -> None:
        while True:
            try:
                client, _ = listener.accept()
            except OSError:
                return  # shut down by down()
            try:
                server = socket.create_connection(self.upstream)
            except OSError:
                _drop(client)
                continue
            with self._lock:
                cut = self._listener is not listener  # cut while this one was being connected
                if not cut:
                    self._carried |= {client, server}
            if cut:
                _drop(client)
                _drop(server)
                return
            for a, b in ((client, server), (server, client)):
                threading.Thread(target=self._pump, args=(a, b), daemon=True).start()

    @staticmethod
    def _pump(source: socket.socket, sink: socket.socket) -> None:
        try:
            while data := source.recv(65536):
                sink.sendall(data)
        except OSError:
            pass
        finally:
            _drop(source)
            _drop(sink)


def _drop(s: socket.socket) -> None:
    try:
        s.shutdown(socket.SHUT_RDWR)
    except OSError:
        pass
    s.close()


def _until(check, bound_s: float = 60) -> float:
    """Seconds until ``check()`` holds; fails past a bound no healthy run nears."""
    start = time.monotonic()
    while not check():
        assert time.monotonic() - start < bound_s, "not within the bound"
        time.sleep(0.2)
    return time.monotonic() - start


QUERY_TIMEOUT_S = 5
COUNT = {"query": "{ projects { totalCount } }"}


@pytest.mark.parametrize("backend", [p for p in BACKENDS if getattr(p, "values", (p,))[0] == "neo4j"])
def test_ready_fails_while_neo4j_is_away_and_recovers(backend, tmp_path):
    host, _, port = NEO4J_URI.rpartition("/")[2].partition(":")
    relay = Outage((host, int(port)))
    relay.up()
    env = server_env(backend, tmp_path, KPSS_NEO4J_URI=f"bolt://127.0.0.1:{relay.port}",
                     KPSS_QUERY_TIMEOUT_S=str(QUERY_TIMEOUT_S))
    load_bundled(env)
    with live_server(env) as url, httpx.Client(base_url=url, timeout=120) as c:
        ready = lambda: c.get("/health/ready").status_code  # noqa: E731
        assert ready() == 200 and c.post("/graphql", json=COUNT).json()["data"]["projects"]["totalCount"] > 0
        relay.down()
        # Nothing answers from the graph once it is gone, not even over a connection the server had
        # open; every request is answered, with an error the client can read, never a 500 or a hang.
        # (The bound is generous for a busy machine: the driver gives up within the time limit.)
        for ask in (lambda: c.post("/graphql", json=COUNT), lambda: c.get("/rdf/dump.nt"),
                    lambda: c.get("/sparql", params={"query": "ASK { ?s ?p ?o }"})):
            start = time.monotonic()
            r = ask()
            took = time.monotonic() - start
            assert r.status_code in (200, 503), (r.request.url, r.text)
            assert r.status_code == 503 or r.json().get("errors"), r.text
            assert took < 6 * QUERY_TIMEOUT_S, f"{r.request.url} took {took:.1f} s"
            print(f"{r.request.url.path} during the outage: {r.status_code} in {took:.1f} s")
        took = _until(lambda: ready() == 503)
        assert took < 30, f"/health/ready took {took:.1f} s to notice"
        print(f"/health/ready noticed in {took:.1f} s")
        assert c.get("/health/live").status_code == 200
        relay.up()
        _until(lambda: ready() == 200)
        assert c.post("/graphql", json=COUNT).json()["data"]["projects"]["totalCount"] > 0
        assert c.get("/rdf/dump.nt").status_code == 200
    relay.down()

"""The SPARQL index: an Oxigraph store on disk (a temporary folder), built from the N-Triples dump
in the background — from the server's start, and again when the graph changed; each query opens it
read-only in its own process (server/sparql_worker.py). "Changed" is told by a fingerprint, the
counts of nodes per label and edges per type (``store.counts()``), checked before every query. Every
load that changes anything changes them: source documents are nodes keyed by the hash of their
content, so an edited file adds one. The index is built from one snapshot of the graph (rdf/export.py),
never from a graph half loaded. A query waits for a build at most as long as it is told to."""

from __future__ import annotations

import asyncio
import logging
import tempfile
from contextlib import aclosing
from datetime import UTC, datetime

import pyoxigraph as ox

from graph.store import GraphStore
from rdf.export import stream

log = logging.getLogger("kpss.sparql")


class SparqlIndex:
    def __init__(self, base: str) -> None:
        self.base = base
        self._fingerprint: tuple | None = None
        self._observed = datetime.now(UTC)
        self._built_for: tuple | None = None
        # The index in use and the one before it: a query started on the older one may still read it.
        self._folders: list[tempfile.TemporaryDirectory] = []
        self._building: asyncio.Task | None = None
        self.builds = 0  # how many times the index was (re)built: tests and logs read it

    @property
    def state(self) -> str:
        """What /health/ready reports: "building", "ready" (for the graph as last seen) or "not built"."""
        if self._building is not None and not self._building.done():
            return "building"
        return "ready" if self._folders and self._built_for == self._fingerprint else "not built"

    @property
    def latest(self) -> str | None:
        """The folder of the newest index built, for whichever graph it was built (None before the first)."""
        return self._folders[-1].name if self._folders else None

    async def observe(self, store: GraphStore) -> datetime:
        """When this process first saw the graph as it is now (the catalogue's dcterms:modified)."""
        fingerprint = tuple(sorted((await store.counts()).items()))
        if fingerprint != self._fingerprint:
            self._fingerprint, self._observed = fingerprint, datetime.now(UTC)
        return self._observed

    def begin(self, store: GraphStore) -> None:
        """At the server's start: the first build, in the background (a store not yet reachable only
        delays it: the next query tries again)."""
        self._building = asyncio.create_task(self._first(store))

    async def _first(self, store: GraphStore) -> None:
        try:
            modified = await self.observe(store)
            await self._build(store, self._fingerprint, modified)
        except Exception:  # noqa: BLE001 — logged; /health/ready reports the store, a query retries
            log.exception("the SPARQL index could not be built at the start")

    async def start(self, store: GraphStore) -> asyncio.Task:
        """Starts building the index for the graph as it is now, unless that build runs already."""
        await self.observe(store)
        if self._building is None or (self._building.done() and self._built_for != self._fingerprint):
            self._building = asyncio.create_task(self._build(store, self._fingerprint, self._observed))
        return self._building

    async def current(self, store: GraphStore, wait: float) -> str | None:
        """The folder of the index for the graph as it is now, (re)built if the graph changed; None
        when that build did not finish within ``wait`` seconds (it goes on in the background)."""
        deadline = asyncio.get_running_loop().time() + wait
        while True:
            await self.observe(store)
            if self._folders and self._built_for == self._fingerprint:
                return self._folders[-1].name
            build = await self.start(store)
            try:
                await asyncio.wait_for(asyncio.shield(build), max(deadline - asyncio.get_running_loop().time(), 0))
            except TimeoutError:
                return None

    async def _build(self, store: GraphStore, fingerprint: tuple | None, modified: datetime) -> None:
        loop = asyncio.get_running_loop()
        folder = tempfile.TemporaryDirectory(prefix="kpss-sparql-")
        try:
            fresh = ox.Store(folder.name)

            def parse(chunk: str) -> None:
                # bulk_load skips the per-load transaction (3× faster): nobody reads a store being built,
                # and a failed build's folder is thrown away.
                fresh.bulk_load(chunk.encode(), format=ox.RdfFormat.N_TRIPLES)

            async with aclosing(stream(store, "nt", self.base, modified=modified)) as chunks:  # one snapshot
                async for chunk in chunks:
                    if chunk:  # parsing a chunk is the index's CPU work: off the event loop
                        await loop.run_in_executor(None, parse, chunk)
            await loop.run_in_executor(None, fresh.flush)
            del fresh  # closed: the query processes open it read-only
        except BaseException:
            folder.cleanup()
            raise
        self._folders = [*self._folders[-1:], folder]
        self._built_for = fingerprint
        self.builds += 1

    async def stop(self) -> None:
        if self._building is not None and not self._building.done():
            self._building.cancel()
            await asyncio.gather(self._building, return_exceptions=True)

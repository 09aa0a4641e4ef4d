"""The SPARQL index: an Oxigraph store on disk (a temporary folder), built lazily from the N-Triples
dump and rebuilt when the graph changed; each query opens it read-only in its own process
(server/sparql_worker.py). "Changed" is told by a fingerprint, the counts of nodes per label and edges per
type (``store.counts()``), checked before every query. Every load that changes anything changes
them: source documents are nodes keyed by the hash of their content, so an edited file adds one."""

from __future__ import annotations

import asyncio
import tempfile
from datetime import UTC, datetime

import pyoxigraph as ox

from graph.store import GraphStore
from rdf.export import stream


class SparqlIndex:
    def __init__(self, base: str) -> None:
        self.base = base
        self._fingerprint: tuple | None = None
        self._observed = datetime.now(UTC)
        self._built_for: tuple | None = None
        # The index in use and the one before it: a query started on the older one may still read it.
        self._folders: list[tempfile.TemporaryDirectory] = []
        self._lock = asyncio.Lock()
        self.builds = 0  # how many times the index was (re)built: tests and logs read it

    async def observe(self, store: GraphStore) -> datetime:
        """When this process first saw the graph as it is now (the catalogue's dcterms:modified)."""
        fingerprint = tuple(sorted((await store.counts()).items()))
        if fingerprint != self._fingerprint:
            self._fingerprint, self._observed = fingerprint, datetime.now(UTC)
        return self._observed

    async def current(self, store: GraphStore) -> str:
        """The folder of the index for the graph as it is now, (re)built if the graph changed."""
        modified = await self.observe(store)
        async with self._lock:
            if not self._folders or self._built_for != self._fingerprint:
                fingerprint = self._fingerprint
                folder = tempfile.TemporaryDirectory(prefix="kpss-sparql-")
                fresh = ox.Store(folder.name)
                async for chunk in stream(store, "nt", self.base, modified=modified):
                    if chunk:
                        fresh.load(chunk.encode(), format=ox.RdfFormat.N_TRIPLES)
                fresh.flush()
                del fresh  # closed: the query processes open it read-only
                self._folders = [*self._folders[-1:], folder]
                self._built_for = fingerprint
                self.builds += 1
            return self._folders[-1].name

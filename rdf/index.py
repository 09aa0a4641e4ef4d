"""The SPARQL index: an in-memory Oxigraph store built lazily from the N-Triples dump, rebuilt when
the graph changed. "Changed" is told by a fingerprint, the counts of nodes per label and edges per
type (``store.counts()``), checked before every query: a load that adds or removes anything is
seen at the next query. (An edit that changes only property values keeps the counts and is not.)"""

from __future__ import annotations

import asyncio
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
        self._oxigraph: ox.Store | None = None
        self._lock = asyncio.Lock()
        self.builds = 0  # how many times the index was (re)built: tests and logs read it

    async def observe(self, store: GraphStore) -> datetime:
        """When this process first saw the graph as it is now (the catalogue's dcterms:modified)."""
        fingerprint = tuple(sorted((await store.counts()).items()))
        if fingerprint != self._fingerprint:
            self._fingerprint, self._observed = fingerprint, datetime.now(UTC)
        return self._observed

    async def current(self, store: GraphStore) -> ox.Store:
        """The Oxigraph store for the graph as it is now, (re)built if the graph changed."""
        modified = await self.observe(store)
        async with self._lock:
            if self._oxigraph is None or self._built_for != self._fingerprint:
                fingerprint = self._fingerprint
                fresh = ox.Store()
                async for chunk in stream(store, "nt", self.base, modified=modified):
                    if chunk:
                        fresh.load(chunk.encode(), format=ox.RdfFormat.N_TRIPLES)
                self._oxigraph, self._built_for = fresh, fingerprint
                self.builds += 1
            return self._oxigraph

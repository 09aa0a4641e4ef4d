"""RDF export: the streamed dump (rdf/export.py: a page of nodes at a time, serialised as it goes)
against building one rdflib Graph of the same triples and serialising that. Peak memory by
tracemalloc (a run of its own), time as the median of runs without tracing."""

from __future__ import annotations

import asyncio
import statistics
import tempfile
import time
import tracemalloc
from pathlib import Path

from rdflib import Graph

from bench.synthetic import dataset
from graph.store.embedded import EmbeddedStore
from loaders.pipeline import aliases, reference_documents
from loaders.resolve import resolve
from rdf.export import entity_pages, static_blocks, stream
from rdf.mapping import mapper

BASE = "https://kpss.example.org/"
RDFLIB = {"nt": "nt", "ttl": "turtle"}


async def _streamed(store, fmt: str) -> int:
    size = 0
    async for chunk in stream(store, fmt, BASE):
        size += len(chunk.encode("utf-8"))  # what a response or file would be sent
    return size


async def _graph(store, fmt: str) -> int:
    g = Graph()
    for s, pairs in static_blocks(BASE):
        for p, o in pairs:
            g.add((s, p, o))
    async for blocks in entity_pages(store, mapper(BASE)):
        for s, pairs in blocks:
            for p, o in pairs:
                g.add((s, p, o))
    return len(g.serialize(format=RDFLIB[fmt], encoding="utf-8"))


def _measure(work, store, fmt: str, repeats: int) -> dict:
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        size = asyncio.run(work(store, fmt))
        times.append(time.perf_counter() - start)
    tracemalloc.start()
    asyncio.run(work(store, fmt))
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    return {"s": statistics.median(times), "peak_mib": peak / 2**20, "bytes": size}


async def _load(folder: Path, projects: int) -> EmbeddedStore:
    batch = resolve([*reference_documents(), dataset(projects, organisations=max(50, projects * 2))], aliases()).batch
    store = EmbeddedStore(folder / "db")
    await store.ensure_schema()
    await store.write(batch)
    return store


def run(sizes=(200, 1000), formats=("nt", "ttl"), repeats=3) -> list[dict]:
    results = []
    for size in sizes:
        with tempfile.TemporaryDirectory() as tmp:
            loop = asyncio.new_event_loop()
            store = loop.run_until_complete(_load(Path(tmp), size))
            for fmt in formats:
                product = _measure(_streamed, store, fmt, repeats)
                baseline = _measure(_graph, store, fmt, repeats)
                results.append({
                    "bench": f"export {size} projects as {fmt} ({product['bytes']:,} bytes)",
                    "product_s": product["s"], "baseline_s": baseline["s"],
                    "product_peak_mib": product["peak_mib"], "baseline_peak_mib": baseline["peak_mib"],
                })
            loop.run_until_complete(store.close())
            loop.close()
    return results

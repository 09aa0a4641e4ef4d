"""RDF: the product's streamed dump (`rdf/export.py`, a page of nodes at a time) per format, in a
process of its own so that its peak resident memory is the dump's, against serialising the same
triples with rdflib (one `Graph`, then `serialize`) and with pyoxigraph (`pyoxigraph.serialize`
of the triples in memory). Baselines time the serialisation only: the floor of writing the format.

`python -m bench.rdf_export DB FORMAT` dumps the store at DB and prints seconds and bytes as JSON."""

from __future__ import annotations

import asyncio
import io
import json
import os
import sys
import time
from pathlib import Path

import pyoxigraph
from rdflib import Graph

from bench.ingest import timed_command
from graph.store.embedded import EmbeddedStore
from rdf.export import entity_pages, static_blocks, stream
from rdf.mapping import mapper
from rdf.terms import rdflib_term

BASE = "https://kpss.example.org/"
FORMATS = {"ttl": ("turtle", pyoxigraph.RdfFormat.TURTLE), "nt": ("nt", pyoxigraph.RdfFormat.N_TRIPLES),
           "jsonld": ("json-ld", pyoxigraph.RdfFormat.JSON_LD)}


async def _dump(db: Path, fmt: str) -> dict:
    store = EmbeddedStore(db)
    start = time.perf_counter()
    size = lines = 0
    async for chunk in stream(store, fmt, BASE):
        size += len(chunk.encode("utf-8"))  # what a response or a file would be sent, then dropped
        lines += chunk.count("\n")  # N-Triples: a line per triple
    elapsed = time.perf_counter() - start
    await store.close()
    return {"seconds": elapsed, "bytes": size, "lines": lines}


async def _graph(db: Path, limit: int) -> Graph:
    """The dump's first ``limit`` triples or so (whole pages), as one rdflib graph."""
    store = EmbeddedStore(db)
    g = Graph()
    async def pages():
        yield static_blocks(BASE)
        async for blocks in entity_pages(store, mapper(BASE)):
            yield blocks
    async for blocks in pages():
        for s, pairs in blocks:
            for p, o in pairs:
                g.add((s, p, rdflib_term(o)))
        if len(g) >= limit:
            break
    await store.close()
    return g


def _timed(work) -> float:
    start = time.perf_counter()
    work()
    return time.perf_counter() - start


def run(db: Path, baseline_triples: int = 300_000, formats: tuple[str, ...] = tuple(FORMATS)) -> dict:
    """Per format: the product's triples/s and peak RSS, and both baselines' triples/s — measured on
    at most ``baseline_triples`` of the same triples (rdflib's Turtle and JSON-LD serialisers take
    minutes and gigabytes for millions; their rate per triple is what is compared). The whole dump's
    triples are counted as N-Triples lines, so ``formats`` should hold ``nt``."""
    g = asyncio.run(_graph(db, baseline_triples))
    if len(g) > baseline_triples:
        part = Graph()
        for _, triple in zip(range(baseline_triples), g):
            part.add(triple)
        g = part
    oxi = list(pyoxigraph.parse(g.serialize(format="nt", encoding="utf-8"), format=pyoxigraph.RdfFormat.N_TRIPLES))
    out: dict = {}
    triples = 0  # of the whole dump: its N-Triples lines, so N-Triples goes first
    for fmt in sorted(formats, key=lambda f: f != "nt"):
        rdflib_name, oxi_format = FORMATS[fmt]
        env = {**os.environ, "KPSS_DB_PATH": str(db)}
        result_file = db.parent / f"dump-{fmt}.json"
        seconds, peak = timed_command([sys.executable, "-m", "bench.rdf_export", str(db), fmt, str(result_file)], env)
        product = json.loads(result_file.read_text())
        triples = triples or product["lines"]
        rdflib_s = _timed(lambda name=rdflib_name: g.serialize(format=name, encoding="utf-8"))
        oxi_s = _timed(lambda f=oxi_format: pyoxigraph.serialize(oxi, io.BytesIO(), format=f))
        out[fmt] = {"triples": triples, "seconds": product["seconds"], "bytes": product["bytes"],
                    "triples_per_s": triples / product["seconds"], "peak_rss_mb": peak,
                    "baseline_triples": len(g), "baseline_triples_per_s": len(g) / rdflib_s,
                    "pyoxigraph_triples_per_s": len(g) / oxi_s}
    return out


if __name__ == "__main__":
    db_path, fmt_name, result = Path(sys.argv[1]), sys.argv[2], Path(sys.argv[3])
    result.write_text(json.dumps(asyncio.run(_dump(db_path, fmt_name))))

"""Bulk load into the embedded store: the COPY path against UNWIND statements (MERGE nodes, CREATE edges)."""

from __future__ import annotations

import asyncio
import statistics
import tempfile
import time
from pathlib import Path

from bench.synthetic import dataset
from graph.store.embedded import EmbeddedStore
from loaders.reference import aliases, reference_documents
from loaders.resolve import resolve


def _batch(projects: int):
    doc = dataset(projects, organisations=max(50, projects * 2))
    return resolve([*reference_documents(), doc], aliases()).batch


async def _write(batch, copy_threshold: int) -> float:
    with tempfile.TemporaryDirectory() as tmp:
        store = EmbeddedStore(Path(tmp) / "db", copy_threshold=copy_threshold)
        await store.ensure_schema()
        start = time.perf_counter()
        await store.write(batch)
        elapsed = time.perf_counter() - start
        await store.close()
    return elapsed


def run(sizes=(200, 1000), repeats=3) -> list[dict]:
    results = []
    for size in sizes:
        batch = _batch(size)
        rows = len(batch.nodes) + len(batch.rels)
        copy = [asyncio.run(_write(batch, copy_threshold=0)) for _ in range(repeats)]
        # Baseline: the same plan through UNWIND statements (MERGE nodes, CREATE edges).
        merge = [asyncio.run(_write(batch, copy_threshold=10**12)) for _ in range(repeats)]
        results.append(
            {
                "bench": f"load {size} projects ({rows} node+edge records)",
                "product_s": statistics.median(copy),
                "baseline_s": statistics.median(merge),
                "product_rows_per_s": rows / statistics.median(copy),
                "baseline_rows_per_s": rows / statistics.median(merge),
            }
        )
    return results

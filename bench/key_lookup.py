"""The key look-up of a load (which stored nodes hold a key the load brings, graph/store/base.py
``_identities``) in a store that holds thousands of organisations and projects.

`python -m bench.key_lookup [ORGANISATIONS] [BACKEND]` loads synthetic projects whose partners
come from a pool of ORGANISATIONS, then times, over several runs, the look-up of every key of a
second load of as many projects from the same pool (``fetch.key.*`` for both labels) and the
planning of that load (a dry run). BACKEND is embedded (default) or neo4j (KPSS_NEO4J_URI).
"""

from __future__ import annotations

import asyncio
import json
import statistics
import sys
import tempfile
import time
from pathlib import Path

from bench.load_on_top import halves
from graph.cypher.generated import Node
from graph.store import open_store
from kpss.settings import Settings
from loaders.reference import aliases, reference_documents
from loaders.resolve import resolve

RUNS = 5


async def run(organisations: int = 4000, backend: str = "embedded") -> dict:
    first, second = halves(organisations // 2)  # halves() draws from a pool twice the projects
    with tempfile.TemporaryDirectory() as tmp:
        settings = Settings(backend=backend, db_path=Path(tmp) / "db")
        store = await open_store(settings.store_config())
        try:
            await store.clear()
            await store.write(resolve([*reference_documents(), first], aliases()).batch)
            batch = resolve([*reference_documents(), second], aliases()).batch
            keys = {label: sorted({json.dumps(k, ensure_ascii=False) for rec in batch.nodes if rec.label == label
                                   for k in {rec.id, *json.loads(rec.props.get("keys") or "[]")}})
                    for label in ("Organisation", "Project")}
            lookup, plan = [], []
            for _ in range(RUNS):
                start = time.perf_counter()
                for label, wanted in keys.items():
                    await store.read(Node(label).key, keys=wanted)
                lookup.append(time.perf_counter() - start)
                start = time.perf_counter()
                await store.write(batch, dry_run=True)
                plan.append(time.perf_counter() - start)
            counts = await store.counts()
        finally:
            await store.close()
    result = {"backend": backend, "organisations": counts["Organisation"], "projects": counts["Project"],
              "keys_looked_up": sum(map(len, keys.values())), "lookup_s": statistics.median(lookup),
              "plan_s": statistics.median(plan)}
    print(result, flush=True)
    return result


if __name__ == "__main__":
    asyncio.run(run(int(sys.argv[1]) if len(sys.argv) > 1 else 4000, sys.argv[2] if len(sys.argv) > 2 else "embedded"))

"""A big load into an embedded store that already holds a big load: synthetic projects, then as
many new ones (new registration numbers, the same pool of organisations) on top.

`python -m bench.load_on_top [PROJECTS]` prints the time of each load and the store's counts.
"""

from __future__ import annotations

import asyncio
import dataclasses
import sys
import tempfile
import time
from pathlib import Path

from bench.synthetic import dataset
from graph.store.embedded import EmbeddedStore
from loaders import records as r
from loaders.files import Document
from loaders.reference import aliases, reference_documents
from loaders.resolve import resolve


def halves(projects: int) -> tuple[Document, Document]:
    """Two documents of ``projects`` projects each, drawn from one pool of organisations."""
    whole = dataset(2 * projects, organisations=max(50, projects * 2))
    items = whole.dataset.projects
    return tuple(  # type: ignore[return-value]
        Document(dataclasses.replace(whole.source, id=f"{whole.source.id[:18]}{i:02d}", uri=f"synthetic-{i}.yaml"),
                 r.Dataset(projects=part))
        for i, part in enumerate((items[:projects], items[projects:]))
    )


async def run(projects: int) -> list[dict]:
    results = []
    with tempfile.TemporaryDirectory() as tmp:
        store = EmbeddedStore(Path(tmp) / "db")
        await store.ensure_schema()
        for i, doc in enumerate(halves(projects)):
            batch = resolve([*reference_documents(), doc], aliases()).batch
            start = time.perf_counter()
            report = await store.write(batch)
            elapsed = time.perf_counter() - start
            results.append({"load": i + 1, "records": len(batch.nodes) + len(batch.rels), "seconds": elapsed,
                            "created": sum(report.created.values())})
            print(results[-1], flush=True)
        await store.close()
    return results


if __name__ == "__main__":
    asyncio.run(run(int(sys.argv[1]) if len(sys.argv) > 1 else 20_000))

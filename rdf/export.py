"""Dumps streamed from the store: pages of nodes (``all.node.<Label>`` keyset pages, or ``fetch.node``
for a subset) are described and serialised one page at a time, never as one in-memory graph. A dump
reads one snapshot of the store, so a load meanwhile is in it whole or not at all; the snapshot is
held until the dump ends, so a consumer that may be slow spools it first (server/linked_data.py)."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import AsyncGenerator
from contextlib import aclosing
from datetime import UTC, datetime

from graph.allocation import no_cycle_collection
from graph.cypher.generated import Node
from graph.cypher.rdf import PROJECTS_IN_REGION, PROJECTS_UNDER_PROGRAMME
from graph.model import NODES
from graph.store import GraphStore, Reader
from graph.values import BadValue, NutsCode, ProgrammeCode
from rdf.catalog import catalog, vocabulary
from rdf.mapping import Block, Mapper, group, mapper
from rdf.serialize import writer

PAGE_SIZE = 1000  # nodes per page (measured in BENCHMARKS.md)


def subset_problem(region: str | None, programme: str | None) -> tuple[str, str] | None:
    """(parameter, message) for the first of a subset's parameters that is no code of its kind."""
    for name, value, code in (("region", region, NutsCode), ("programme", programme, ProgrammeCode)):
        try:
            if value is not None:
                code.parse(value)
        except BadValue as e:
            return name, str(e)
    return None


async def _selected_projects(store: Reader, region: str | None, programme: str | None) -> set[str]:
    selected: set[str] | None = None
    for name, params in ((PROJECTS_IN_REGION, {"region": region}), (PROJECTS_UNDER_PROGRAMME, {"programme": programme})):
        if next(iter(params.values())) is None:
            continue
        ids = {row["id"] for row in await store.read(name, **params)}
        selected = ids if selected is None else selected & ids
    return selected or set()


async def entity_pages(
    store: Reader, m: Mapper, *, region: str | None = None, programme: str | None = None, page_size: int = PAGE_SIZE
) -> AsyncGenerator[list[Block], None]:
    """Every entity's blocks, a page at a time. With ``region`` / ``programme``: the projects they
    select and, transitively, every entity those describe links to, so that the subset is whole."""
    if region is None and programme is None:
        for label in NODES:
            after = ""
            while rows := await store.read(Node(label).all, after=after, limit=page_size):
                yield (await m.describe(store, label, rows))[0]
                after = rows[-1]["id"]
        return
    pending: dict[str, set[str]] = defaultdict(set)
    seen: dict[str, set[str]] = defaultdict(set)
    pending["Project"] = await _selected_projects(store, region, programme)
    seen["Project"] = set(pending["Project"])
    while any(pending.values()):
        label = next(label for label in NODES if pending.get(label))
        ids = sorted(pending.pop(label))
        for start in range(0, len(ids), page_size):
            rows = await store.read(Node(label).fetch, ids=ids[start : start + page_size])
            blocks, refs = await m.describe(store, label, rows)
            yield blocks
            for ref_label, ref_id in refs:
                if ref_id not in seen[ref_label]:
                    seen[ref_label].add(ref_id)
                    pending[ref_label].add(ref_id)


def static_blocks(base: str, modified: datetime | None = None) -> list[Block]:
    """The catalogue and the vocabulary, which every dump carries."""
    return group(catalog(base, modified or datetime.now(UTC))) + group(vocabulary(base))


async def stream(
    store: GraphStore,
    fmt: str,
    base: str,
    *,
    region: str | None = None,
    programme: str | None = None,
    modified: datetime | None = None,
    page_size: int = PAGE_SIZE,
) -> AsyncGenerator[str, None]:
    """The dump in ``fmt`` (ttl, nt, jsonld, rdf) as text chunks, one per page, of one snapshot.
    Consume it with ``contextlib.aclosing``, so that the snapshot ends even if the consumer stops early."""
    w, m = writer(fmt, base), mapper(base)
    yield w.head() + w.page(static_blocks(base, modified))
    # Without the cycle collector (graph.allocation) for the whole dump, not page by page: its runs
    # between pages walked the page's objects still alive, a tenth of a dump's time (BENCHMARKS.md).
    with no_cycle_collection():
        async with store.snapshot() as graph, aclosing(
                entity_pages(graph, m, region=region, programme=programme, page_size=page_size)) as pages:
            async for blocks in pages:
                yield w.page(blocks)
    yield w.tail()


async def describe_one(store: GraphStore, base: str, label: str, key: str) -> list[Block] | None:
    """One entity's description, or None when the store has no such entity."""
    m = mapper(base)
    rows = await store.read(Node(label).fetch, ids=[key])
    return (await m.describe(store, label, rows))[0] if rows else None

"""The GraphStore interface and what both backends share: the write plan and its report.

A write is planned against what the store holds (fetched by key), so that the same batch twice
changes nothing, the report says what was created and updated, and a backend only applies a plan.
"""

from __future__ import annotations

import time
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from typing import Any, Protocol

from graph import cypher
from graph.model import NODES, RELS, GraphBatch, check_node, check_rel, with_derived

Row = dict[str, Any]


class StoreError(RuntimeError):
    """The store could not do what was asked (unreachable, locked, a statement failed)."""


class QueryTimeout(StoreError):
    """The store stopped a read at the configured time limit."""


@dataclass
class WriteReport:
    created: Counter = field(default_factory=Counter)  # per label or relationship type
    updated: Counter = field(default_factory=Counter)
    unchanged: Counter = field(default_factory=Counter)

    @property
    def changed(self) -> bool:
        return bool(sum(self.created.values()) or sum(self.updated.values()))


@dataclass
class WritePlan:
    """Rows to create and to update, grouped by the statement suffix they go to
    (``<Label>`` or ``<TYPE>.<From>.<To>``)."""

    create_nodes: dict[str, list[Row]] = field(default_factory=lambda: defaultdict(list))
    update_nodes: dict[str, list[Row]] = field(default_factory=lambda: defaultdict(list))
    create_rels: dict[str, list[Row]] = field(default_factory=lambda: defaultdict(list))
    update_rels: dict[str, list[Row]] = field(default_factory=lambda: defaultdict(list))
    report: WriteReport = field(default_factory=WriteReport)


@dataclass
class Health:
    ok: bool
    backend: str
    detail: str
    latency_ms: float


class GraphStore(Protocol):
    backend: str
    calls: int  # statements run since opening: lets tests count round trips

    async def ensure_schema(self) -> None: ...
    async def write(self, batch: GraphBatch, *, dry_run: bool = False) -> WriteReport: ...
    async def read(self, name: str, **params: Any) -> list[Row]: ...
    async def counts(self) -> dict[str, int]: ...
    async def health(self) -> Health: ...
    async def clear(self) -> None: ...
    async def missing(self, label: str, ids: set[str]) -> set[str]: ...
    async def close(self) -> None: ...


def _merge(records: dict[Any, dict], key: Any, props: dict) -> None:
    # The same node or edge twice in one batch: later non-null values win.
    records.setdefault(key, {}).update({k: v for k, v in props.items() if v is not None})


def _changes(incoming: dict, existing: dict) -> dict:
    return {k: v for k, v in incoming.items() if v is not None and existing.get(k) != v}


class BaseStore:
    """Planning, counting and health on top of a backend's ``_run(statement text, params)``."""

    backend: str

    def __init__(self) -> None:
        self.calls = 0

    async def _run(self, text: str, params: dict[str, Any] | None = None, *, write: bool = False) -> list[Row]:
        raise NotImplementedError

    async def read(self, name: str, **params: Any) -> list[Row]:
        self.calls += 1
        return await self._run(cypher.get(name).text(self.backend), params)

    async def ensure_schema(self) -> None:
        for name, st in cypher.CATALOGUE.items():
            if name.startswith("schema.") and (text := st.form(self.backend)):
                await self._run(text, write=True)

    async def counts(self) -> dict[str, int]:
        out = {}
        for label in NODES:
            out[label] = (await self.read(f"count.node.{label}"))[0]["n"]
        for rel in RELS:
            out[rel] = (await self.read(f"count.rel.{rel}"))[0]["n"]
        return out

    async def health(self) -> Health:
        start = time.perf_counter()
        try:
            await self.read("admin.health")
        except Exception as exc:  # noqa: BLE001 - health reports any failure, it never raises
            return Health(False, self.backend, str(exc), (time.perf_counter() - start) * 1000)
        return Health(True, self.backend, "ok", (time.perf_counter() - start) * 1000)

    async def clear(self) -> None:
        await self._run(cypher.get("admin.clear").text(self.backend), write=True)

    async def plan(self, batch: GraphBatch) -> WritePlan:
        plan = WritePlan()
        nodes: dict[str, dict[str, dict]] = defaultdict(dict)
        for rec in batch.nodes:
            check_node(rec)
            _merge(nodes[rec.label], rec.id, with_derived(rec.label, rec.props))
        for label, by_id in nodes.items():
            existing = {row["id"]: row for row in await self.read(f"fetch.node.{label}", ids=list(by_id))}
            for node_id, props in by_id.items():
                row = {p: props.get(p) for p in NODES[label].prop_names} | {"id": node_id}
                if node_id not in existing:
                    plan.create_nodes[label].append(row)
                    plan.report.created[label] += 1
                elif _changes(props, existing[node_id]):
                    plan.update_nodes[label].append(row)
                    plan.report.updated[label] += 1
                else:
                    plan.report.unchanged[label] += 1

        rels: dict[str, dict[tuple, dict]] = defaultdict(dict)
        for rel in batch.rels:
            check_rel(rel)
            _merge(rels[f"{rel.type}.{rel.from_label}.{rel.to_label}"], rel.identity(), rel.props)
        await self._check_ends(batch, {label: set(by_id) for label, by_id in nodes.items()})
        for suffix, by_identity in rels.items():
            rel_type = RELS[suffix.split(".")[0]]
            from_ids = sorted({identity[0] for identity in by_identity})
            existing = {
                (row["from_id"], row["to_id"], *(row[p] for p in rel_type.identity)): row
                for row in await self.read(f"fetch.rel.{suffix}", ids=from_ids)
            }
            for identity, props in by_identity.items():
                row = {p: props.get(p) for p in rel_type.prop_names}
                row |= {"from_id": identity[0], "to_id": identity[1]}
                if identity not in existing:
                    plan.create_rels[suffix].append(row)
                    plan.report.created[rel_type.type] += 1
                elif _changes(props, existing[identity]):
                    plan.update_rels[suffix].append(row)
                    plan.report.updated[rel_type.type] += 1
                else:
                    plan.report.unchanged[rel_type.type] += 1
        return plan

    async def missing(self, label: str, ids: set[str]) -> set[str]:
        """Those of ``ids`` that no ``label`` node in the store has."""
        found = {row["id"] for row in await self.read(f"fetch.node.{label}", ids=sorted(ids))} if ids else set()
        return ids - found

    async def _check_ends(self, batch: GraphBatch, batch_ids: dict[str, set[str]]) -> None:
        """Refuses edges whose end nodes are neither in the batch nor in the store: Cypher would
        otherwise drop them without a word."""
        wanted: dict[str, set[str]] = defaultdict(set)
        for rel in batch.rels:
            for label, node_id in ((rel.from_label, rel.from_id), (rel.to_label, rel.to_id)):
                if node_id not in batch_ids.get(label, ()):
                    wanted[label].add(node_id)
        dangling = [f"{label} {node_id}" for label, ids in wanted.items() for node_id in sorted(await self.missing(label, ids))]
        if dangling:
            raise StoreError(f"edges lead to nodes that exist nowhere: {', '.join(dangling[:10])}")

    async def write(self, batch: GraphBatch, *, dry_run: bool = False) -> WriteReport:
        plan = await self.plan(batch)
        if not dry_run and plan.report.changed:
            await self._apply(plan)
        return plan.report

    async def _apply(self, plan: WritePlan) -> None:
        raise NotImplementedError

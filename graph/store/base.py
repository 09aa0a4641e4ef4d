"""The GraphStore interface and what both backends share: the write plan and its report.

A write is planned against what the store holds (fetched by key), so that the same batch twice
changes nothing, the report says what was created and updated, and a backend only applies a plan.
"""

from __future__ import annotations

import json
import time
from collections import Counter, defaultdict
from contextlib import AbstractAsyncContextManager
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any, Protocol

import networkx as nx

from graph import cypher
from graph.text import shorten
from graph.model import (
    KEY_TABLES, NODES, RELS, GraphBatch, NodeRecord, RelRecord, check_node, check_rel, display_name, key_strength,
    with_derived,
)

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
    merged: Counter = field(default_factory=Counter)  # stored nodes merged into another (re-keyed)
    merges: list[str] = field(default_factory=list)  # each such merge, and why
    replaced: list[str] = field(default_factory=list)  # stored facts the write gives another value

    @property
    def changed(self) -> bool:
        return bool(sum(self.created.values()) or sum(self.updated.values()) or sum(self.merged.values()))


@dataclass
class WritePlan:
    """Rows to create and to update, grouped by the statement suffix they go to
    (``<Label>`` or ``<TYPE>.<From>.<To>``)."""

    create_nodes: dict[str, list[Row]] = field(default_factory=lambda: defaultdict(list))
    update_nodes: dict[str, list[Row]] = field(default_factory=lambda: defaultdict(list))
    create_rels: dict[str, list[Row]] = field(default_factory=lambda: defaultdict(list))
    update_rels: dict[str, list[Row]] = field(default_factory=lambda: defaultdict(list))
    delete_nodes: dict[str, list[str]] = field(default_factory=lambda: defaultdict(list))  # merged away; goes first
    report: WriteReport = field(default_factory=WriteReport)


@dataclass
class Health:
    ok: bool
    backend: str
    detail: str
    latency_ms: float


class Reader(Protocol):
    async def read(self, name: str, **params: Any) -> list[Row]: ...


class GraphStore(Reader, Protocol):
    backend: str
    calls: int  # statements run since opening: lets tests count round trips
    memo: dict[str, Any] | None  # results derived from the graph as it is now (see BaseStore)
    generation: int

    async def ensure_schema(self) -> None: ...
    async def write(self, batch: GraphBatch, *, dry_run: bool = False) -> WriteReport: ...
    def snapshot(self) -> AbstractAsyncContextManager[Reader]:
        """Reads that see one graph, however many statements they take: no write lands meanwhile
        (a write waits for them, they wait for a write under way). For dumps and the SPARQL index."""
        ...
    async def counts(self) -> dict[str, int]: ...
    async def health(self) -> Health: ...
    async def clear(self) -> None: ...
    async def missing(self, label: str, ids: set[str]) -> set[str]: ...
    async def close(self) -> None: ...


_COLLECTED = {p.name for props in (*(n.props for n in NODES.values()), *(r.props for r in RELS.values()))
              for p in props if p.collected}


def _merge(records: dict[Any, dict], key: Any, props: dict, *, edge: bool = False) -> None:
    """The same node or edge twice: later non-null values win, collected sets join (as Python sets
    until the plan's rows are made: ``_as_stored``), and of several sources the first in id order
    names the fact (so that no order of loads flips it)."""
    record = records.setdefault(key, {})
    for k, v in props.items():
        if v is None or (edge and k == "span"):
            continue
        if k in _COLLECTED:
            record.setdefault(k, set()).update(_items(v))
        elif edge and k == "source":
            _provenance(record, v, props.get("span"))
        else:
            record[k] = v


@lru_cache(maxsize=100_000)
def _items(value: str) -> tuple[str, ...]:
    """A collected value's items (the same JSON array recurs across records: decoded once)."""
    return tuple(json.loads(value))


def _provenance(record: dict, source: str, span: str | None) -> None:
    record.setdefault("sources", set()).add(f"{source}@{span or ''}")
    if record.get("source") is None or (source, span or "") < (record["source"], record.get("span") or ""):
        record["source"], record["span"] = source, span


def _as_stored(record: dict, stored: dict) -> dict:
    """A merged record with each collected set joined with what the store holds, as the store's
    JSON array (graph.model.collect's form)."""
    out = dict(record)
    for k in _COLLECTED.intersection(record).union(_COLLECTED.intersection(stored)):
        items = set(record.get(k) or ()) | set(_items(stored[k]) if stored.get(k) else ())
        out[k] = _array(tuple(sorted(items))) if items else None
    return out


@lru_cache(maxsize=100_000)
def _array(items: tuple[str, ...]) -> str:
    """The JSON array of sorted items (a document's sources recur on each of its edges: encoded once)."""
    return json.dumps(items, ensure_ascii=False)


# Kept up to date by the store from the name and the period, provenance (which source said it,
# where), or sets that every write joins: not facts a write replaces.
_NOT_FACTS = {"id", "from_id", "to_id", "name_search", "name_sort", "period_start_date", "period_end_date", "source",
              "span", "spans", *_COLLECTED}


def _replaced(what: str, stored: dict, row: dict) -> list[str]:
    """The facts of a stored node or edge that the row gives another value (docs/data-format.md,
    "Conflicts": the load's value wins, and is reported)."""
    return [f"{what}: {key} {shorten(repr(stored[key]))} is replaced by {shorten(repr(value))}"
            for key, value in sorted(row.items())
            if key not in _NOT_FACTS and value is not None and stored.get(key) not in (None, value)]


def _changes(incoming: dict, existing: dict) -> dict:
    return {k: v for k, v in incoming.items() if v is not None and existing.get(k) != v}


def _stored(row: Row) -> dict:
    """A stored node's or edge's properties as a record's: its ends and derived keys left out."""
    return {k: v for k, v in row.items()
            if v is not None and k not in ("id", "from_id", "to_id", "name_search", "name_sort")}


class BaseStore:
    """Planning, counting and health on top of a backend's ``_run(statement text, params)``."""

    backend: str
    # What readers built from the whole graph (the API's facts), kept while the graph is unchanged;
    # None where the store cannot tell (Neo4j: another process may load at any time).
    memo: dict[str, Any] | None = None

    def __init__(self) -> None:
        self.calls = 0
        self.generation = 0  # writes through this store so far

    async def _run(self, text: str, params: dict[str, Any] | None = None, *, write: bool = False) -> list[Row]:
        raise NotImplementedError

    async def read(self, name: str, **params: Any) -> list[Row]:
        self.calls += 1
        return await self._run(cypher.get(name).text(self.backend), params)

    async def ensure_schema(self) -> None:
        for name, st in cypher.CATALOGUE.items():
            if name.startswith("schema.") and (text := st.form(self.backend)):
                await self._run(text, write=True)
        await self._migrate()
        await self._fill_key_tables()

    async def _migrate(self) -> None:
        """A store written by an older model gets what this model adds to existing tables (the
        embedded store's columns; Neo4j is schemaless and needs nothing)."""

    async def _fill_key_tables(self) -> None:
        """A graph written before the key tables existed gets them filled from its nodes' keys."""
        for table in KEY_TABLES:
            label = table.removesuffix("Key")
            if (await self.read(f"count.node.{table}"))[0]["n"] or not (await self.read(f"count.node.{label}"))[0]["n"]:
                continue
            plan, after = WritePlan(), ""
            while rows := await self.read(f"all.node.{label}", after=after, limit=10_000):
                plan.create_nodes[table] += [{"id": key, "node": row["id"]} for row in rows
                                             for key in sorted({row["id"], *json.loads(row.get("keys") or "[]")})]
                after = rows[-1]["id"]
            await self._apply(plan)

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
        for rec in batch.nodes:
            check_node(rec)
        for rel in batch.rels:
            check_rel(rel)
        batch = await self._identities(batch, plan)
        nodes: dict[str, dict[str, dict]] = defaultdict(dict)
        by_reference: set[tuple[str, str]] = set()
        for rec in batch.nodes:
            _merge(nodes[rec.label], rec.id, rec.props)
            if rec.named_by_reference:
                by_reference.add((rec.label, rec.id))
                nodes[rec.label][rec.id]["name"] = rec.props["name"]
        for label, by_id in nodes.items():
            existing = {row["id"]: row for row in await self.read(f"fetch.node.{label}", ids=list(by_id))}
            for node_id, merged in by_id.items():
                stored = existing.get(node_id, {})
                props = _as_stored(merged, stored)
                if props.get("aliases") and (label, node_id) not in by_reference:
                    props["name"] = display_name(_items(props["aliases"]))
                props = with_derived(label, props)
                row = {p: props.get(p) for p in NODES[label].prop_names} | {"id": node_id}
                if node_id not in existing:
                    plan.create_nodes[label].append(row)
                    plan.report.created[label] += 1
                    continue
                if label != "SourceDocument":  # a document's digest and title are its own, not a fact
                    plan.report.replaced += _replaced(f"{label} {node_id}", stored, row)
                if _changes(props, stored):
                    plan.update_nodes[label].append(row)
                    plan.report.updated[label] += 1
                else:
                    plan.report.unchanged[label] += 1
            if NODES[label].keyed:
                await self._plan_keys(label, [*plan.create_nodes.get(label, []), *plan.update_nodes.get(label, [])], plan)

        rels: dict[str, dict[tuple, dict]] = defaultdict(dict)
        for rel in batch.rels:
            _merge(rels[f"{rel.type}.{rel.from_label}.{rel.to_label}"], rel.identity(), rel.props, edge=True)
        await self._check_ends(batch, {label: set(by_id) for label, by_id in nodes.items()})
        for suffix, by_identity in rels.items():
            rel_type = RELS[suffix.split(".")[0]]
            from_ids = sorted({identity[0] for identity in by_identity})
            existing = {
                (row["from_id"], row["to_id"], *(row[p] for p in rel_type.identity)): row
                for row in await self.read(f"fetch.rel.{suffix}", ids=from_ids)
            }
            for identity, merged in by_identity.items():
                stored = existing.get(identity, {})
                if stored.get("source"):  # provenance joins what the store holds
                    _provenance(merged, stored["source"], stored.get("span"))
                props = _as_stored(merged, stored)
                row = {p: props.get(p) for p in rel_type.prop_names}
                row |= {"from_id": identity[0], "to_id": identity[1]}
                if identity not in existing:
                    plan.create_rels[suffix].append(row)
                    plan.report.created[rel_type.type] += 1
                    continue
                plan.report.replaced += _replaced(f"{rel_type.type} {identity[0]} → {identity[1]}", stored, row)
                if _changes(props, stored):
                    plan.update_rels[suffix].append(row)
                    plan.report.updated[rel_type.type] += 1
                else:
                    plan.report.unchanged[rel_type.type] += 1
        return plan

    async def _plan_keys(self, label: str, rows: list[Row], plan: WritePlan) -> None:
        """The key table's rows for the keys of nodes written: each key names the node holding it
        now (after a merge, the node that stays). Bookkeeping, so not in the report."""
        holder = {key: row["id"] for row in rows for key in {row["id"], *json.loads(row.get("keys") or "[]")}}
        if not holder:
            return
        stored = {row["key"]: row["id"] for row in await self.read(f"fetch.key.{label}", keys=sorted(holder))}
        for key, node_id in sorted(holder.items()):
            if key not in stored:
                plan.create_nodes[f"{label}Key"].append({"id": key, "node": node_id})
            elif stored[key] != node_id:
                plan.update_nodes[f"{label}Key"].append({"id": key, "node": node_id})

    async def _identities(self, batch: GraphBatch, plan: WritePlan) -> GraphBatch:
        """One node per thing whatever the order of loads: nodes, stored or incoming, that share a
        key (an id a source may give the thing) are one node under the strongest id
        (graph.model.key_strength). A stored node merged away gives its properties and edges to the
        one that stays and is deleted, in the same write."""
        renames: dict[tuple[str, str], str] = {}
        for label in sorted({rec.label for rec in batch.nodes if NODES[rec.label].keyed}):
            keys_of: dict[str, set[str]] = defaultdict(set)
            for rec in batch.nodes:
                if rec.label == label:
                    keys_of[rec.id] |= {rec.id, *json.loads(rec.props.get("keys") or "[]")}
            holders: dict[str, set[str]] = defaultdict(set)  # key -> ids holding it
            stored_ids: set[str] = set()
            for row in await self.read(f"fetch.key.{label}", keys=sorted(set().union(*keys_of.values()))):
                holders[row["key"]].add(row["id"])
                stored_ids.add(row["id"])
            for node_id, keys in keys_of.items():
                for k in keys:
                    holders[k].add(node_id)
            for group in _components(holders.values()):
                keep = min(group, key=lambda i: key_strength(label, i))
                rivals = sorted(i for i in group if key_strength(label, i)[0] == key_strength(label, keep)[0])
                if len(rivals) > 1:  # two IČOs, two registration numbers: a shared name decides nothing
                    plan.report.merges.append(f"{label} {', '.join(rivals)} share a key but are kept apart: "
                                              "none is the stronger")
                    continue
                for other in sorted(group - {keep}):
                    renames[(label, other)] = keep
                    if other in stored_ids:
                        plan.delete_nodes[label].append(other)
                        plan.report.merged[label] += 1
                        plan.report.merges.append(f"{label} {other} of the graph becomes {keep}: they share a key; "
                                                  "its names, facts and edges are kept there")
        if not renames:
            return batch
        moved = await self._stored_records(plan.delete_nodes)

        def to(label: str, node_id: str) -> str:
            return renames.get((label, node_id), node_id)

        # A record is copied only where an id changes: a big batch renames few.
        out = GraphBatch()
        for rec in (*moved.nodes, *batch.nodes):
            new_id = to(rec.label, rec.id)
            out.nodes.append(rec if new_id == rec.id else
                             NodeRecord(rec.label, new_id, rec.props, rec.named_by_reference))
        for rel in (*moved.rels, *batch.rels):
            from_id, to_id = to(rel.from_label, rel.from_id), to(rel.to_label, rel.to_id)
            out.rels.append(rel if (from_id, to_id) == (rel.from_id, rel.to_id) else
                            RelRecord(rel.type, rel.from_label, from_id, rel.to_label, to_id, rel.props))
        return out

    async def _stored_records(self, ids: dict[str, list[str]]) -> GraphBatch:
        """The stored nodes ``ids`` with their edges both ways, as records."""
        out = GraphBatch()
        for label, node_ids in ids.items():
            for row in await self.read(f"fetch.node.{label}", ids=node_ids):
                out.nodes.append(NodeRecord(label, row["id"], _stored(row)))
            for rel in RELS.values():
                for a, b in rel.pairs:
                    for statement, end in (("fetch.rel", a), ("fetch.rel_to", b)):
                        if end == label:
                            for row in await self.read(f"{statement}.{rel.type}.{a}.{b}", ids=node_ids):
                                out.rels.append(RelRecord(rel.type, a, row["from_id"], b, row["to_id"], _stored(row)))
        return out

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


def _components(sets: Any) -> list[set[str]]:
    """Groups of more than one id, two ids being in one group when some set holds both."""
    graph = nx.Graph()
    for ids in sets:
        nx.add_path(graph, sorted(ids))
    return [group for group in nx.connected_components(graph) if len(group) > 1]

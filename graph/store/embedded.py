"""The embedded backend: ladybug, an on-disk Cypher database in this process; nothing to start.

Many new nodes or edges of a table go in through COPY from a CSV file when the table is empty (a
first bulk load); few (incremental loads) and changed ones through parameterised UNWIND
statements. BENCHMARKS.md has the figures. The whole plan runs in one transaction, so a failed
load leaves the store as it was; a snapshot (a dump's many statements) holds a shared lock that the
write takes exclusively, so a dump never straddles a load; the engine holds the transaction's rows in its buffer pool until
it commits, so a write too big for the usual pool runs on one sized for it.
"""

from __future__ import annotations

import asyncio
import csv
import os
import tempfile
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

import aiorwlock
import ladybug

from graph import cypher
from graph.model import KEY_TABLES, NODES, RELS, NodeType, RelType
from graph.store.base import BaseStore, Row, StoreError, WritePlan

_BUFFER_POOL = 512 * 1024**2  # the default takes most of the machine's memory
# What a write holds in the buffer pool per row until it commits, with a margin: a write of more
# rows than the pool holds this way runs on a pool sized for it (BENCHMARKS.md, bench/load_on_top.py).
_POOL_PER_ROW = 2048
COPY_THRESHOLD = 2000  # new rows of one table from which COPY beats UNWIND statements (bench/load.py)


class EmbeddedStore(BaseStore):
    backend = "embedded"

    def __init__(self, path: Path, *, copy_threshold: int = COPY_THRESHOLD) -> None:
        super().__init__()
        self.copy_threshold = copy_threshold
        path.parent.mkdir(parents=True, exist_ok=True)
        self._path = path
        self._open(_BUFFER_POOL)
        self._lock = asyncio.Lock()  # one connection: statements (and a write's transaction) in turn
        self._fence = aiorwlock.RWLock()  # snapshots share it, a write holds it alone (a waiting write goes first)
        self.memo = {}  # this process alone has the store open, so every change goes through here

    def _changed(self) -> None:
        self.generation += 1
        self.memo = {}

    def _open(self, buffer_pool: int) -> None:
        try:
            self._db = ladybug.Database(str(self._path), buffer_pool_size=buffer_pool)
        except RuntimeError as exc:
            hint = " — another process (a running `kpss serve`?) has it open" if "lock" in str(exc).lower() else ""
            raise StoreError(f"cannot open the embedded store at {self._path}{hint}: {exc}") from exc
        self._conn = ladybug.Connection(self._db)
        self._buffer_pool = buffer_pool

    def _reopen(self, buffer_pool: int) -> None:
        self._conn.close()
        self._db.close()
        self._open(buffer_pool)

    def _execute(self, text: str, params: dict[str, Any] | None = None) -> list[Row]:
        result = self._conn.execute(text, params or {})
        assert not isinstance(result, list)  # one statement, one result
        columns = result.get_column_names()
        return [dict(zip(columns, row)) for row in result.get_all()]

    async def read(self, name: str, **params: Any) -> list[Row]:
        statement = cypher.get(name)
        ids = params.get("ids")
        if not isinstance(ids, list):
            return await super().read(name, **params)
        self.calls += 1
        if statement.embedded_one is not None and len(ids) == 1:  # a detail view's DataLoaders ask for one id
            return await self._run(statement.embedded_one, {k: v for k, v in params.items() if k != "ids"} | {"id": ids[0]})
        text = statement.text(self.backend)
        if cypher.IDS_BOUNDS in text:  # cypher.key_in_ids: the engine's string order is Python's (code points)
            params |= {"ids_min": min(ids, default=""), "ids_max": max(ids, default="")}
        return await self._run(text, params)

    async def _run(self, text: str, params: dict[str, Any] | None = None, *, write: bool = False) -> list[Row]:
        if write:
            self._changed()
        async with self._lock:
            try:
                return await asyncio.to_thread(self._execute, text, params)
            except RuntimeError as exc:
                raise StoreError(str(exc)) from exc

    async def _migrate(self) -> None:
        """``CREATE … IF NOT EXISTS`` leaves an existing table as an older model made it: the
        properties and label pairs this model adds are added to it (new rows of them read null)."""
        tables: dict[str, NodeType | RelType] = {**NODES, **KEY_TABLES, **RELS}
        for name, table in tables.items():
            have = {row["name"] for row in await self._run(f"CALL table_info('{name}') RETURN *")}
            for prop in table.props:
                if prop.name not in have:
                    await self._run(f"ALTER TABLE {name} ADD {prop.name} {prop.type.value}", write=True)
            if name in RELS:
                pairs = {(row["source table name"], row["destination table name"])
                         for row in await self._run(f"CALL show_connection('{name}') RETURN *")}
                for a, b in RELS[name].pairs:
                    if (a, b) not in pairs:
                        await self._run(f"ALTER TABLE {name} ADD FROM {a} TO {b}", write=True)

    @asynccontextmanager
    async def snapshot(self) -> AsyncIterator[EmbeddedStore]:
        async with self._fence.reader_lock:
            yield self

    async def _apply(self, plan: WritePlan) -> None:
        async with self._fence.writer_lock, self._lock:
            try:
                await asyncio.to_thread(self._apply_sized, plan)
            finally:  # after the write: a result read before it or during the wait is not kept
                self._changed()

    def _apply_sized(self, plan: WritePlan) -> None:
        """A write whose rows would not fit the buffer pool until it commits runs with the store
        reopened on a pool sized for it, given back afterwards."""
        rows = sum(len(r) for groups in (plan.create_nodes, plan.create_rels, plan.update_nodes, plan.update_rels)
                   for r in groups.values())
        needed = min(rows * _POOL_PER_ROW, _memory() // 2)
        if needed <= self._buffer_pool:
            return self._apply_sync(plan)
        self._reopen(needed)
        try:
            self._apply_sync(plan)
        finally:
            self._reopen(_BUFFER_POOL)

    def _apply_sync(self, plan: WritePlan) -> None:
        with tempfile.TemporaryDirectory(prefix="kpss-copy-") as tmp:
            self._conn.execute("BEGIN TRANSACTION")
            try:
                for label, ids in plan.delete_nodes.items():
                    self._statement(f"delete.node.{label}", {"rows": ids})
                for kind, groups in (("node", plan.create_nodes), ("rel", plan.create_rels)):
                    copied = self._copied(kind, groups)
                    for suffix, rows in groups.items():
                        self._create(kind, suffix, rows, Path(tmp), copy=suffix.split(".")[0] in copied)
                for kind, groups in (("node", plan.update_nodes), ("rel", plan.update_rels)):
                    for suffix, rows in groups.items():
                        self._statement(f"update.{kind}.{suffix}", {"rows": rows})
                self._conn.execute("COMMIT")
            except BaseException as exc:
                self._rollback()
                raise StoreError(f"the write was rolled back: {exc}") from exc

    def _copied(self, kind: str, groups: dict[str, list[Row]]) -> set[str]:
        """The tables whose new rows go in by COPY: many rows, and the table empty before this
        write. Decided once per table, so that every group of a relationship table with several
        label pairs goes in by COPY, not only the first (UNWIND … CREATE grows quadratically there)."""
        rows: dict[str, int] = {}
        for suffix, group in groups.items():
            table = suffix.split(".")[0]
            rows[table] = rows.get(table, 0) + len(group)
        return {table for table, n in rows.items() if n >= self.copy_threshold and not self._count(f"count.{kind}.{table}")}

    def _create(self, kind: str, suffix: str, rows: list[Row], folder: Path, *, copy: bool) -> None:
        """COPY into a table that was empty (a first bulk load); UNWIND statements otherwise.
        (A COPY rolled back from a table that held rows before the write can crash ladybug on close.)"""
        table = suffix.split(".")[0]
        if not copy:
            self._statement(f"write.{kind}.{suffix}", {"rows": rows})
            return
        columns = ["id", *(NODES | KEY_TABLES)[table].prop_names] if kind == "node" else ["from_id", "to_id", *RELS[table].prop_names]
        path = _csv(folder / f"{kind}_{suffix}.csv", columns, rows)
        self.calls += 1
        self._conn.execute(cypher.get(f"copy.{kind}.{suffix}").text(self.backend).format(path=path))

    def _count(self, name: str) -> int:
        self.calls += 1
        return self._execute(cypher.get(name).text(self.backend))[0]["n"]

    def _statement(self, name: str, params: dict[str, Any]) -> None:
        self.calls += 1
        self._conn.execute(cypher.get(name).text(self.backend), params)

    def _rollback(self) -> None:
        try:
            self._conn.execute("ROLLBACK")
        except RuntimeError:
            pass  # a failed statement has already rolled the transaction back

    async def close(self) -> None:
        async with self._lock:
            self._conn.close()
            self._db.close()


def _memory() -> int:
    """The machine's physical memory in bytes."""
    return os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES")


def _csv(path: Path, columns: list[str], rows: list[Row]) -> Path:
    with path.open("w", newline="", encoding="utf-8") as fh:
        out = csv.writer(fh, quoting=csv.QUOTE_MINIMAL)
        out.writerow(columns)
        for row in rows:
            out.writerow(["" if row.get(c) is None else _cell(row[c]) for c in columns])
    return path


def _cell(value: Any) -> Any:
    if isinstance(value, bool):
        return "true" if value else "false"
    return value

"""The embedded backend: ladybug, an on-disk Cypher database in this process; nothing to start.

Many new nodes or edges of a table go in through COPY from a CSV file when the table is empty (a
first bulk load); few (incremental loads) and changed ones through parameterised UNWIND
statements. BENCHMARKS.md has the figures. The whole plan runs in one transaction, so a failed
load leaves the store as it was; the engine holds the transaction's rows in its buffer pool until
it commits, so a write too big for the usual pool runs on one sized for it.
"""

from __future__ import annotations

import asyncio
import csv
import os
import tempfile
from pathlib import Path
from typing import Any

import ladybug

from graph import cypher
from graph.model import KEY_TABLES, NODES, RELS
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

    async def _run(self, text: str, params: dict[str, Any] | None = None, *, write: bool = False) -> list[Row]:
        async with self._lock:
            try:
                return await asyncio.to_thread(self._execute, text, params)
            except RuntimeError as exc:
                raise StoreError(str(exc)) from exc

    async def _apply(self, plan: WritePlan) -> None:
        async with self._lock:
            await asyncio.to_thread(self._apply_sized, plan)

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
                    for suffix, rows in groups.items():
                        self._create(kind, suffix, rows, Path(tmp))
                for kind, groups in (("node", plan.update_nodes), ("rel", plan.update_rels)):
                    for suffix, rows in groups.items():
                        self._statement(f"update.{kind}.{suffix}", {"rows": rows})
                self._conn.execute("COMMIT")
            except BaseException as exc:
                self._rollback()
                raise StoreError(f"the write was rolled back: {exc}") from exc

    def _create(self, kind: str, suffix: str, rows: list[Row], folder: Path) -> None:
        """COPY into an empty table when there are many rows; UNWIND statements otherwise.
        (A COPY rolled back from a table that already held rows can crash ladybug on close.)"""
        table = suffix.split(".")[0]
        if len(rows) < self.copy_threshold or self._count(f"count.{kind}.{table}"):
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

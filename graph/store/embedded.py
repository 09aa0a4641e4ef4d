"""The embedded backend: ladybug, an on-disk Cypher database in this process; nothing to start.

Many new nodes or edges of a table go in through COPY from a CSV file when the table is empty (a
first bulk load); few (incremental loads) and changed ones through parameterised UNWIND
statements. BENCHMARKS.md has the figures. The whole plan runs in one transaction, so a failed
load leaves the store as it was.
"""

from __future__ import annotations

import asyncio
import csv
import tempfile
from pathlib import Path
from typing import Any

import ladybug

from graph import cypher
from graph.model import NODES, RELS
from graph.store.base import BaseStore, Row, StoreError, WritePlan

_BUFFER_POOL = 512 * 1024**2  # the default takes most of the machine's memory
COPY_THRESHOLD = 2000  # new rows of one table from which COPY beats UNWIND statements (bench/load.py)


class EmbeddedStore(BaseStore):
    backend = "embedded"

    def __init__(self, path: Path, *, copy_threshold: int = COPY_THRESHOLD) -> None:
        super().__init__()
        self.copy_threshold = copy_threshold
        path.parent.mkdir(parents=True, exist_ok=True)
        try:
            self._db = ladybug.Database(str(path), buffer_pool_size=_BUFFER_POOL)
        except RuntimeError as exc:
            hint = " — another process (a running `kpss serve`?) has it open" if "lock" in str(exc).lower() else ""
            raise StoreError(f"cannot open the embedded store at {path}{hint}: {exc}") from exc
        self._conn = ladybug.Connection(self._db)
        self._lock = asyncio.Lock()  # one connection: statements (and a write's transaction) in turn

    def _execute(self, text: str, params: dict[str, Any] | None = None) -> list[Row]:
        result = self._conn.execute(text, params or {})
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
            await asyncio.to_thread(self._apply_sync, plan)

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
        columns = ["id", *NODES[table].prop_names] if kind == "node" else ["from_id", "to_id", *RELS[table].prop_names]
        path = _csv(folder / f"{kind}_{suffix}.csv", columns, rows)
        self.calls += 1
        self._conn.execute(cypher.get(f"copy.{kind}.{suffix}").text(self.backend).format(path=path))

    def _count(self, name: str) -> int:
        self.calls += 1
        return self._conn.execute(cypher.get(name).text(self.backend)).get_all()[0][0]

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

"""The Neo4j backend (official async driver): the production store.

Constraints and indexes are created idempotently; a write plan runs as batched ``UNWIND … MERGE``
statements inside one managed transaction, so it lands whole or not at all. Neo4j reads committed
data statement by statement, so reads of many statements that must see one graph (a snapshot: dumps,
the SPARQL index) run in one transaction that first locks a fence node, which every write locks
first too: Neo4j's lock manager makes each wait for the other (docs/design.md, "Consistent reads"). Reads carry the
configured time limit to the server (it stops the statement there); connection, acquisition and
retry times are bounded, so an unreachable server is reported within seconds; every driver error
becomes a ``StoreError``. Reads and writes share the driver's bookmark manager, so a read after a
load sees the load on a cluster too.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

import neo4j
from neo4j.exceptions import DriverError, Neo4jError

from graph import cypher
from graph.store.base import BaseStore, Health, QueryTimeout, Row, StoreError, WritePlan

_BATCH = 1000  # rows per UNWIND statement
_CONNECT_S = 5.0  # to open a connection, and to wait for a free one
_TIMED_OUT = "Neo.ClientError.Transaction.TransactionTimedOut"  # the prefix of every timeout code
_OUT_OF_MEMORY = {"Neo.TransientError.General.MemoryPoolOutOfMemoryError",
                  "Neo.ClientError.General.TransactionOutOfMemoryError"}


class Neo4jStore(BaseStore):
    backend = "neo4j"

    def __init__(self, uri: str, user: str, password: str | None, database: str,
                 *, read_timeout_s: float | None = None) -> None:
        super().__init__()
        auth = (user, password) if password is not None else None
        self._driver = neo4j.AsyncGraphDatabase.driver(
            uri, auth=auth, connection_timeout=_CONNECT_S, connection_acquisition_timeout=_CONNECT_S,
            max_transaction_retry_time=read_timeout_s or 30.0, notifications_min_severity="OFF",
        )
        self._database = database
        self._read_timeout_s = read_timeout_s

    async def ensure_schema(self) -> None:
        await self._reachable()
        await super().ensure_schema()

    async def health(self) -> Health:
        try:
            await self._reachable()
        except StoreError as exc:
            return Health(False, self.backend, str(exc), 0.0)
        return await super().health()

    async def _reachable(self) -> None:
        """Fails at once when the server cannot be reached, where statements would retry first."""
        try:
            await self._driver.verify_connectivity()
        except (Neo4jError, DriverError) as exc:
            raise _store_error(exc) from exc

    async def _run(self, text: str, params: dict[str, Any] | None = None, *, write: bool = False) -> list[Row]:
        routing = neo4j.RoutingControl.WRITE if write else neo4j.RoutingControl.READ
        query = neo4j.Query(text, timeout=None if write else self._read_timeout_s)  # type: ignore[arg-type]
        try:
            records, _, _ = await self._driver.execute_query(
                query, params or {}, database_=self._database, routing_=routing
            )
        except (Neo4jError, DriverError) as exc:
            raise _store_error(exc) from exc
        return [record.data() for record in records]

    @asynccontextmanager
    async def snapshot(self) -> AsyncIterator[_TransactionReader]:
        # Rolled back at the end: the fence's lock is what it is for, its timestamp need not be kept.
        try:
            async with self._driver.session(database=self._database,
                                            bookmark_manager=self._driver.execute_query_bookmark_manager) as session:
                tx = await session.begin_transaction()
                try:
                    await (await tx.run(cypher.get("admin.fence").text(self.backend))).consume()
                    yield _TransactionReader(self, tx)
                finally:
                    await tx.close()
        except (Neo4jError, DriverError) as exc:
            raise _store_error(exc) from exc

    async def _apply(self, plan: WritePlan) -> None:
        statements = [(f"delete.node.{label}", ids) for label, ids in plan.delete_nodes.items()] + [
            (f"write.{kind}.{suffix}", rows)
            for kind, groups in (
                ("node", plan.create_nodes),
                ("node", plan.update_nodes),
                ("rel", plan.create_rels),
                ("rel", plan.update_rels),
            )
            for suffix, rows in groups.items()
        ]

        # One explicit transaction, not retried: a load that fails is reported (and rolled back)
        # rather than run again, since its failures (memory, constraints) would recur.
        bookmarks = self._driver.execute_query_bookmark_manager
        try:
            async with self._driver.session(database=self._database, bookmark_manager=bookmarks) as session:
                async with await session.begin_transaction() as tx:
                    await (await tx.run(cypher.get("admin.fence").text(self.backend))).consume()  # waits for snapshots
                    for name, rows in statements:
                        text = cypher.get(name).text(self.backend)
                        for start in range(0, len(rows), _BATCH):
                            self.calls += 1
                            await (await tx.run(text, rows=rows[start : start + _BATCH])).consume()
                    await tx.commit()
        except (Neo4jError, DriverError) as exc:
            raise StoreError(f"the write was rolled back: {_store_error(exc)}") from exc

    async def close(self) -> None:
        await self._driver.close()


class _TransactionReader:
    """Catalogue reads inside a snapshot's transaction."""

    def __init__(self, store: Neo4jStore, tx: neo4j.AsyncTransaction) -> None:
        self._store, self._tx = store, tx

    async def read(self, name: str, **params: Any) -> list[Row]:
        self._store.calls += 1
        try:
            return await (await self._tx.run(cypher.get(name).text(self._store.backend), params)).data()
        except (Neo4jError, DriverError) as exc:
            raise _store_error(exc) from exc


def _store_error(exc: Exception) -> StoreError:
    if isinstance(exc, Neo4jError) and (exc.code or "").startswith(_TIMED_OUT):
        return QueryTimeout(f"Neo4j stopped the statement at its time limit: {exc.message}")
    if isinstance(exc, Neo4jError) and exc.code in _OUT_OF_MEMORY:
        return StoreError(f"the load needs more transaction memory than Neo4j allows ({exc.message}); raise "
                          "dbms.memory.transaction.total.max or the heap, see BENCHMARKS.md")
    if isinstance(exc, Neo4jError):
        return StoreError(f"Neo4j refused the statement: {exc.code}: {exc.message}")
    return StoreError(f"Neo4j is not reachable or the connection failed: {exc}")

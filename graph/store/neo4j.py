"""The Neo4j backend (official async driver): the production store.

Constraints and indexes are created idempotently; a write plan runs as batched ``UNWIND … MERGE``
statements inside one managed transaction, so it lands whole or not at all.
"""

from __future__ import annotations

from typing import Any

import neo4j
from neo4j.exceptions import Neo4jError, ServiceUnavailable

from graph import cypher
from graph.store.base import BaseStore, Row, StoreError, WritePlan

_BATCH = 1000  # rows per UNWIND statement


class Neo4jStore(BaseStore):
    backend = "neo4j"

    def __init__(self, uri: str, user: str, password: str | None, database: str) -> None:
        super().__init__()
        auth = (user, password) if password is not None else None
        self._driver = neo4j.AsyncGraphDatabase.driver(uri, auth=auth)
        self._database = database

    async def _run(self, text: str, params: dict[str, Any] | None = None, *, write: bool = False) -> list[Row]:
        routing = neo4j.RoutingControl.WRITE if write else neo4j.RoutingControl.READ
        try:
            records, _, _ = await self._driver.execute_query(
                text, params or {}, database_=self._database, routing_=routing
            )
        except (Neo4jError, ServiceUnavailable) as exc:
            raise StoreError(str(exc)) from exc
        return [record.data() for record in records]

    async def _apply(self, plan: WritePlan) -> None:
        statements = [
            (f"write.{kind}.{suffix}", rows)
            for kind, groups in (
                ("node", plan.create_nodes),
                ("node", plan.update_nodes),
                ("rel", plan.create_rels),
                ("rel", plan.update_rels),
            )
            for suffix, rows in groups.items()
        ]

        async def work(tx: neo4j.AsyncManagedTransaction) -> None:
            for name, rows in statements:
                text = cypher.get(name).text(self.backend)
                for start in range(0, len(rows), _BATCH):
                    self.calls += 1
                    result = await tx.run(text, rows=rows[start : start + _BATCH])
                    await result.consume()

        try:
            async with self._driver.session(database=self._database) as session:
                await session.execute_write(work)
        except (Neo4jError, ServiceUnavailable) as exc:
            raise StoreError(f"the write was rolled back: {exc}") from exc

    async def close(self) -> None:
        await self._driver.close()

"""Graph stores: one interface (``GraphStore``), two backends, chosen by a ``StoreConfig`` (which
the command line and the server make from their settings)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from graph.store.base import GraphStore, Health, QueryTimeout, StoreError, WriteReport

__all__ = ["GraphStore", "Health", "QueryTimeout", "StoreConfig", "StoreError", "WriteReport", "open_store"]


@dataclass(frozen=True)
class StoreConfig:
    db_path: Path  # the embedded store's folder
    backend: Literal["embedded", "neo4j"] = "embedded"
    neo4j_uri: str | None = None
    neo4j_user: str = "neo4j"
    neo4j_password: str | None = None
    neo4j_database: str = "neo4j"
    read_timeout_s: float = 10.0  # carried to Neo4j with every read


async def open_store(config: StoreConfig) -> GraphStore:
    """Opens the configured backend and makes sure its schema exists."""
    if config.backend == "neo4j":
        from graph.store.neo4j import Neo4jStore

        if not config.neo4j_uri:
            raise StoreError("KPSS_BACKEND is neo4j but KPSS_NEO4J_URI is not set")
        store: GraphStore = Neo4jStore(config.neo4j_uri, config.neo4j_user, config.neo4j_password,
                                       config.neo4j_database, read_timeout_s=config.read_timeout_s)
    else:
        from graph.store.embedded import EmbeddedStore

        store = EmbeddedStore(config.db_path)
    try:
        await store.ensure_schema()
    except BaseException:
        await store.close()
        raise
    return store

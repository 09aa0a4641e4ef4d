"""Graph stores: one interface (``GraphStore``), two backends, chosen by settings."""

from __future__ import annotations

from kpss.settings import Settings
from graph.store.base import GraphStore, Health, QueryTimeout, Reader, StoreError, WriteReport

__all__ = ["GraphStore", "Health", "QueryTimeout", "Reader", "StoreError", "WriteReport", "open_store"]


async def open_store(settings: Settings) -> GraphStore:
    """Opens the configured backend and makes sure its schema exists."""
    if settings.backend == "neo4j":
        from graph.store.neo4j import Neo4jStore

        if not settings.neo4j_uri:
            raise StoreError("KPSS_BACKEND is neo4j but KPSS_NEO4J_URI is not set")
        password = settings.neo4j_password.get_secret_value() if settings.neo4j_password else None
        store: GraphStore = Neo4jStore(settings.neo4j_uri, settings.neo4j_user, password, settings.neo4j_database,
                                       read_timeout_s=settings.query_timeout_s)
    else:
        from graph.store.embedded import EmbeddedStore

        store = EmbeddedStore(settings.db_path)
    try:
        await store.ensure_schema()
    except BaseException:
        await store.close()
        raise
    return store

"""The HTTP application: GraphQL, linked data, SPARQL, dashboard and health, on one store."""

from __future__ import annotations

from contextlib import asynccontextmanager

from starlette.applications import Starlette
from starlette.middleware import Middleware
from starlette.middleware.gzip import GZipMiddleware
from starlette.routing import BaseRoute

from graph.store import GraphStore, open_store
from kpss.settings import Settings, get_settings
from rdf.index import SparqlIndex
from server import graphql, health, linked_data, sparql
from server import dashboard
from server.security import SecurityHeaders


def create_app(settings: Settings | None = None, store: GraphStore | None = None) -> Starlette:
    """The app; with ``store`` given the caller owns it, otherwise the app opens and closes one."""
    settings = settings or get_settings()

    @asynccontextmanager
    async def lifespan(app: Starlette):
        owned = store is None
        app.state.store = store or await open_store(settings.store_config())
        app.state.sparql_index.begin(app.state.store)  # in the background: /health/ready tells
        try:
            yield
        finally:
            await app.state.sparql_index.stop()
            if owned:
                await app.state.store.close()

    routes: list[BaseRoute] = [*health.routes(), *graphql.routes(settings), *linked_data.routes(), *sparql.routes()]
    routes += dashboard.routes()  # /dashboard and its files; / redirects there
    # Gzip for clients that accept it: the dumps compress about tenfold, streamed chunk by chunk.
    middleware = [Middleware(SecurityHeaders), Middleware(GZipMiddleware, minimum_size=1024)]
    app = Starlette(routes=routes, lifespan=lifespan, middleware=middleware)
    app.state.settings = settings
    app.state.sparql_index = SparqlIndex(settings.base_iri)
    app.state.store = store  # set now too, for clients that run no lifespan (httpx's ASGI transport)
    return app

"""The HTTP application: GraphQL, linked data, SPARQL, dashboard and health, on one store."""

from __future__ import annotations

import asyncio
from contextlib import asynccontextmanager

from starlette.applications import Starlette
from starlette.middleware import Middleware
from starlette.middleware.gzip import GZipMiddleware
from starlette.requests import Request
from starlette.responses import PlainTextResponse
from starlette.routing import BaseRoute

from graph.store import GraphStore, StoreError, open_store
from kpss.settings import Settings, get_settings
from rdf.index import SparqlIndex
from server import admin, graphql, health, linked_data, sparql
from server import dashboard
from server.security import BodyLimit, SecurityHeaders


async def _store_unavailable(request: Request, exc: Exception) -> PlainTextResponse:
    """The store failing (Neo4j gone, a statement past its time limit) is no fault of the client's."""
    return PlainTextResponse("The graph store is not answering now (/health/ready says why); try again shortly.",
                             status_code=503, headers={"Retry-After": "5"})


def create_app(settings: Settings | None = None, store: GraphStore | None = None) -> Starlette:
    """The app; with ``store`` given the caller owns it, otherwise the app opens and closes one."""
    settings = settings or get_settings()

    @asynccontextmanager
    async def lifespan(app: Starlette):
        owned = store is None
        app.state.store = store or await open_store(settings.store_config())
        app.state.sparql_index.begin(app.state.store)  # in the background: /health/ready tells
        if owned and settings.backend == "embedded":
            # This process holds the store: `kpss load` sends its loads here instead (server/admin.py).
            app.state.handoff = admin.Handoff.create(settings)
        try:
            yield
        finally:
            if app.state.handoff:
                app.state.handoff.remove(settings)
            await app.state.sparql_index.stop()
            if owned:
                await app.state.store.close()

    routes: list[BaseRoute] = [*health.routes(), *graphql.routes(settings), *linked_data.routes(), *sparql.routes(),
                               *admin.routes()]
    routes += dashboard.routes()  # /dashboard and its files; / redirects there
    # Gzip for clients that accept it: the dumps compress about tenfold, streamed chunk by chunk.
    middleware = [Middleware(SecurityHeaders), Middleware(BodyLimit, settings=settings),
                  Middleware(GZipMiddleware, minimum_size=1024)]
    app = Starlette(routes=routes, lifespan=lifespan, middleware=middleware,
                    exception_handlers={StoreError: _store_unavailable})
    app.state.settings = settings
    app.state.sparql_index = SparqlIndex(settings.base_iri)
    app.state.handoff = None
    app.state.loading = asyncio.Lock()
    app.state.store = store  # set now too, for clients that run no lifespan (httpx's ASGI transport)
    return app

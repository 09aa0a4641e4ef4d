"""GraphQL over HTTP at /graphql, with the GraphiQL explorer for browsers."""

from __future__ import annotations

from starlette.requests import Request
from starlette.routing import Route
from strawberry.asgi import GraphQL

from schema.context import Data
from kpss.settings import Settings
from schema.query import make_schema


class _App(GraphQL):
    async def get_context(self, request: Request, response=None) -> dict:
        store, settings = request.app.state.store, request.app.state.settings
        # A fresh Data per request: its DataLoaders and facts never outlive the request.
        return {"store": store, "request": request, "data": Data(store, settings.max_page_size, settings.query_timeout_s)}


def routes(settings: Settings) -> list[Route]:
    app = _App(make_schema(settings), graphql_ide="graphiql")
    return [Route("/graphql", app, methods=["GET", "POST"])]

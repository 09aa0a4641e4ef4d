"""GraphQL over HTTP at /graphql, with the GraphiQL explorer for browsers."""

from __future__ import annotations

from starlette.requests import Request
from starlette.routing import Route
from strawberry.asgi import GraphQL

from schema.query import schema


class _App(GraphQL):
    async def get_context(self, request: Request, response=None) -> dict:
        return {"store": request.app.state.store, "request": request}


def routes() -> list[Route]:
    app = _App(schema, graphql_ide="graphiql")
    return [Route("/graphql", app, methods=["GET", "POST"])]

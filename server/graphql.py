"""GraphQL over HTTP at /graphql, with the GraphiQL explorer for browsers."""

from __future__ import annotations

import json
import logging

from starlette.requests import Request
from starlette.routing import Route
from starlette.types import Message, Receive, Scope, Send
from strawberry.asgi import GraphQL

from graph.text import shorten
from kpss.settings import Settings
from schema.context import Data
from schema.errors import BAD_USER_INPUT, MAX_MESSAGE
from schema.query import make_schema

log = logging.getLogger(__name__)
# Far above any query with its variables (no string may be longer than 2,000 characters): a
# larger body is refused before it is read whole.
MAX_BODY_BYTES = 4 * 1024**2


class _App(GraphQL):
    async def get_context(self, request: Request, response=None) -> dict:
        store, settings = request.app.state.store, request.app.state.settings
        # A fresh Data per request: its DataLoaders and facts never outlive the request.
        return {"store": store, "request": request, "data": Data(store, settings.max_page_size, settings.query_timeout_s)}


class _CodedRequestErrors:
    """Request-level mistakes (a body that is not UTF-8 or not a JSON object, a batch, a mutation
    over GET…) answered as GraphQL errors with ``extensions.code`` BAD_USER_INPUT and status 400,
    never as plain text or a 500."""

    def __init__(self, app: GraphQL) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["method"] != "POST":
            return await self._plain_errors_coded(scope, receive, send)
        chunks, size = [], 0
        while True:
            message = await receive()
            chunks.append(message.get("body", b""))
            size += len(chunks[-1])
            if size > MAX_BODY_BYTES:
                return await _error(send, f"The request body is larger than {MAX_BODY_BYTES:,} bytes.")
            if not message.get("more_body"):
                break
        body = b"".join(chunks)
        problem = _body_problem(body, dict(scope["headers"]).get(b"content-type", b"").decode("latin-1"))
        if problem:
            return await _error(send, problem)
        replayed = False

        async def replay() -> Message:
            nonlocal replayed
            if replayed:
                return await receive()
            replayed = True
            return {"type": "http.request", "body": body, "more_body": False}

        await self._plain_errors_coded(scope, replay, send)

    async def _plain_errors_coded(self, scope: Scope, receive: Receive, send: Send) -> None:
        """Passes the answer on, but turns a plain-text 4xx of the GraphQL view into a coded error."""
        start: Message | None = None

        async def sending(message: Message) -> None:
            nonlocal start
            if message["type"] == "http.response.start":
                headers = dict(message.get("headers", []))
                if 400 <= message["status"] < 500 and headers.get(b"content-type", b"").startswith(b"text/plain"):
                    start = message
                    return
            elif start is not None and message["type"] == "http.response.body":
                return await _error(send, message.get("body", b"").decode("utf-8", "replace") or "Bad request.")
            await send(message)

        try:
            await self.app(scope, receive, sending)
        except Exception:  # noqa: BLE001 — a client's request must never come back as a 500
            log.exception("a GraphQL request failed before it ran")
            await _error(send, "The request could not be read as a GraphQL request.")


def _body_problem(body: bytes, content_type: str) -> str | None:
    if not content_type.split(";")[0].strip().lower().endswith("json"):
        return None  # forms and multipart are the view's to read
    try:
        document = json.loads(body.decode("utf-8"))
    except UnicodeDecodeError:
        return "The request body is not UTF-8 text."
    except json.JSONDecodeError as exc:
        return f"The request body is not valid JSON: {exc.msg} (line {exc.lineno}, column {exc.colno})."
    except RecursionError:
        return "The request body is JSON nested too deeply."
    if isinstance(document, list):
        return "Batched requests (a JSON array) are not accepted: send one operation per request."
    if not isinstance(document, dict):
        return 'The request body must be a JSON object such as {"query": "{ programmes { code } }"}.'
    return None


async def _error(send: Send, message: str) -> None:
    body = json.dumps({"errors": [{"message": shorten(message, MAX_MESSAGE), "extensions": {"code": BAD_USER_INPUT}}]}).encode()
    await send({"type": "http.response.start", "status": 400,
                "headers": [(b"content-type", b"application/json"), (b"content-length", str(len(body)).encode())]})
    await send({"type": "http.response.body", "body": body})


def routes(settings: Settings) -> list[Route]:
    app = _App(make_schema(settings.query_limits()), graphql_ide="graphiql")
    return [Route("/graphql", _CodedRequestErrors(app), methods=["GET", "POST"])]

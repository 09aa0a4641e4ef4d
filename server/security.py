"""Security headers on every response, in one place: ``X-Content-Type-Options: nosniff`` and a
``Referrer-Policy`` everywhere; on HTML, a Content-Security-Policy that allows exactly what the page
needs and that no one may frame it. A handler that sets its own policy (the dashboard's, GraphiQL's) keeps it."""

from __future__ import annotations

import base64
import hashlib

from starlette.datastructures import MutableHeaders
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from server.page import STYLE

COMMON = {"X-Content-Type-Options": "nosniff", "Referrer-Policy": "strict-origin-when-cross-origin"}
HTML = {"X-Frame-Options": "DENY"}


def _hash(text: str) -> str:
    return "'sha256-" + base64.b64encode(hashlib.sha256(text.encode()).digest()).decode() + "'"


def _policy(styles: list[str]) -> str:
    return (f"default-src 'none'; script-src 'none'; style-src {' '.join(styles)}; img-src 'self' data:; "
            "connect-src 'self'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'")


# Every HTML page (/id/…, /ontology, the /sparql form) but the dashboard and GraphiQL, which set their own.
DEFAULT_POLICY = _policy([_hash(STYLE)])


class SecurityHeaders:
    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            return await self.app(scope, receive, send)

        async def sending(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = MutableHeaders(scope=message)
                added = dict(COMMON)
                if headers.get("content-type", "").startswith("text/html"):
                    added |= HTML | {"Content-Security-Policy": DEFAULT_POLICY}
                for name, value in added.items():
                    if name not in headers:
                        headers[name] = value
            await send(message)

        await self.app(scope, receive, sending)


class BodyLimit:
    """A request body longer than the limit is refused with 413 before any handler reads it:
    KPSS_MAX_BODY_BYTES for reads, KPSS_MAX_UPLOAD_BYTES for the write endpoint (/admin/…).
    /graphql keeps its own limit, answered as a coded GraphQL error (server/graphql.py)."""

    def __init__(self, app: ASGIApp, settings) -> None:
        self.app = app
        self.settings = settings

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["path"] == "/graphql":
            return await self.app(scope, receive, send)
        writes = scope["path"].startswith("/admin/")
        limit = self.settings.max_upload_bytes if writes else self.settings.max_body_bytes
        setting = "KPSS_MAX_UPLOAD_BYTES" if writes else "KPSS_MAX_BODY_BYTES"
        declared = dict(scope["headers"]).get(b"content-length", b"")
        if declared.isdigit() and int(declared) > limit:
            return await _too_large(send, limit, setting)
        received = 0

        async def counting() -> Message:
            nonlocal received
            message = await receive()
            received += len(message.get("body", b""))
            if received > limit:
                raise _TooLarge
            return message

        try:
            await self.app(scope, counting, send)
        except _TooLarge:
            await _too_large(send, limit, setting)


class _TooLarge(Exception):
    pass


async def _too_large(send: Send, limit: int, setting: str) -> None:
    body = f"The request body is larger than {limit} bytes ({setting}).".encode()
    await send({"type": "http.response.start", "status": 413,
                "headers": [(b"content-type", b"text/plain; charset=utf-8"), (b"content-length", str(len(body)).encode())]})
    await send({"type": "http.response.body", "body": body})

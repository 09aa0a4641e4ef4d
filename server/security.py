"""Security headers on every response, in one place: ``X-Content-Type-Options: nosniff`` and a
``Referrer-Policy`` everywhere; on HTML, a Content-Security-Policy that allows exactly what the page
needs and that no one may frame it. A handler that sets its own policy (the dashboard's) keeps it."""

from __future__ import annotations

import base64
import hashlib
from html.parser import HTMLParser

from starlette.datastructures import MutableHeaders
from starlette.types import ASGIApp, Message, Receive, Scope, Send
from strawberry.http.ides import get_graphql_ide_html

from server.linked_data import STYLE

COMMON = {"X-Content-Type-Options": "nosniff", "Referrer-Policy": "strict-origin-when-cross-origin"}
HTML = {"X-Frame-Options": "DENY"}


def _hash(text: str) -> str:
    return "'sha256-" + base64.b64encode(hashlib.sha256(text.encode()).digest()).decode() + "'"


def _policy(scripts: list[str] = (), styles: list[str] = ()) -> str:
    script_src, style_src = " ".join(scripts) or "'none'", " ".join(styles) or "'none'"
    return (f"default-src 'none'; script-src {script_src}; style-src {style_src}; img-src 'self' data:; "
            "connect-src 'self'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'")


class _Page(HTMLParser):
    """What a page loads and runs: script and stylesheet URLs, inline scripts and styles."""

    def __init__(self, markup: str) -> None:
        super().__init__()
        self.scripts: list[str] = []
        self.styles: list[str] = []
        self._inline: str | None = None
        self.feed(markup)

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "script" and attrs.get("src"):
            self.scripts.append(attrs["src"])
        elif tag == "link" and attrs.get("rel") == "stylesheet":
            self.styles.append(attrs["href"])
        elif tag in ("script", "style"):
            self._inline = tag
            self.scripts.append("") if tag == "script" else self.styles.append("")

    def handle_data(self, data):
        if self._inline:
            (self.scripts if self._inline == "script" else self.styles)[-1] += data

    def handle_endtag(self, tag):
        if tag == self._inline:
            target = self.scripts if tag == "script" else self.styles
            target[-1] = _hash(target[-1])
            self._inline = None


def graphiql_policy() -> str:
    """GraphiQL (strawberry's page) loads React and GraphiQL from unpkg.com and runs one inline
    script: those exact URLs and that script's hash, nothing else."""
    page = _Page(get_graphql_ide_html("graphiql"))
    return _policy(page.scripts, page.styles)


# Pages by path; every other HTML page (/id/…, /ontology, the /sparql form) gets the default.
POLICIES = {"/graphql": graphiql_policy()}
DEFAULT_POLICY = _policy(styles=[_hash(STYLE)])


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
                    added |= HTML | {"Content-Security-Policy": POLICIES.get(scope["path"], DEFAULT_POLICY)}
                for name, value in added.items():
                    if name not in headers:
                        headers[name] = value
            await send(message)

        await self.app(scope, receive, sending)

"""The GraphiQL explorer at /graphql (for browsers) and its files, all served from this server.

The page and its script live in ``server/explorer/``; React, GraphiQL and its explorer plugin come
from ``server/explorer/node_modules`` (pinned in its package.json, installed by ``make setup``), so
the explorer works without internet and its Content-Security-Policy allows only this origin.
"""

from __future__ import annotations

from pathlib import Path

from starlette.responses import FileResponse, Response
from starlette.routing import Route

from server import assets

FOLDER = Path(__file__).resolve().parent / "explorer"
MODULES = FOLDER / "node_modules"
PAGE = FOLDER / "index.html"

# URL name -> (file, media type): the page's own files, then the libraries' browser builds.
ASSETS: dict[str, tuple[Path, str]] = {
    "explorer.js": (FOLDER / "explorer.js", "text/javascript"),
    "explorer.css": (FOLDER / "explorer.css", "text/css"),
    "react.production.min.js": (MODULES / "react" / "umd" / "react.production.min.js", "text/javascript"),
    "react-dom.production.min.js": (MODULES / "react-dom" / "umd" / "react-dom.production.min.js", "text/javascript"),
    "graphiql.min.js": (MODULES / "graphiql" / "graphiql.min.js", "text/javascript"),
    "graphiql.min.css": (MODULES / "graphiql" / "graphiql.min.css", "text/css"),
    "plugin-explorer.umd.js": (MODULES / "@graphiql" / "plugin-explorer" / "dist" / "index.umd.js", "text/javascript"),
    "plugin-explorer.css": (MODULES / "@graphiql" / "plugin-explorer" / "dist" / "style.css", "text/css"),
}

# Everything the explorer loads comes from this server; no inline script or style runs.
CSP = ("default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
       "font-src 'self' data:; connect-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'")
HEADERS = {"Content-Security-Policy": CSP, "Cache-Control": "no-cache"}


def page() -> Response:
    return FileResponse(PAGE, media_type="text/html; charset=utf-8", headers=HEADERS)


def routes() -> list[Route]:
    return [assets.route("/graphql/assets/{name}", ASSETS, HEADERS)]

"""The dashboard: one page at /dashboard (partnership network and funding, in Czech) and its files.

The page talks only to the app's own /graphql. Its browser libraries — cytoscape, Chart.js, Leaflet
and topojson-client, with world-atlas's Natural Earth borders for the map (no tiles) — come from ``dashboard/node_modules`` (installed by ``npm ci --prefix dashboard``, see the Makefile),
served from here: only the named files below are reachable, nothing else of that folder.
"""

from __future__ import annotations

from pathlib import Path

from starlette.requests import Request
from starlette.responses import FileResponse, RedirectResponse, Response
from starlette.routing import Route

from server import assets

FOLDER = Path(__file__).resolve().parent.parent / "dashboard"
MODULES = FOLDER / "node_modules"

# URL name -> (file, media type). The page's own files, then the libraries' browser builds.
ASSETS: dict[str, tuple[Path, str]] = {
    "dashboard.js": (FOLDER / "dashboard.js", "text/javascript"),
    "dashboard.css": (FOLDER / "dashboard.css", "text/css"),
    "cytoscape.esm.min.mjs": (MODULES / "cytoscape" / "dist" / "cytoscape.esm.min.mjs", "text/javascript"),
    "chart.umd.min.js": (MODULES / "chart.js" / "dist" / "chart.umd.min.js", "text/javascript"),
    "chart.umd.min.js.map": (MODULES / "chart.js" / "dist" / "chart.umd.min.js.map", "application/json"),
    # The map: Leaflet without tiles, Czechia's border from Natural Earth (world-atlas, TopoJSON).
    "leaflet-src.esm.js": (MODULES / "leaflet" / "dist" / "leaflet-src.esm.js", "text/javascript"),
    "leaflet.css": (MODULES / "leaflet" / "dist" / "leaflet.css", "text/css"),
    "topojson-client.min.js": (MODULES / "topojson-client" / "dist" / "topojson-client.min.js", "text/javascript"),
    "countries-50m.json": (MODULES / "world-atlas" / "countries-50m.json", "application/json"),
}

# Everything the page loads comes from this server: the browser refuses anything else.
CSP = ("default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
       "connect-src 'self'; font-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'")
HEADERS = {"Content-Security-Policy": CSP, "X-Content-Type-Options": "nosniff", "Cache-Control": "no-cache"}


async def page(request: Request) -> Response:
    return FileResponse(FOLDER / "index.html", media_type="text/html; charset=utf-8", headers=HEADERS)


async def home(request: Request) -> Response:
    return RedirectResponse("/dashboard", status_code=307)


def routes() -> list[Route]:
    return [
        Route("/", home),
        Route("/dashboard", page),
        assets.route("/dashboard/assets/{name}", ASSETS, HEADERS),
    ]

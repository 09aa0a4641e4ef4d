"""Files a page loads from this server (its own script and style, its libraries' browser builds
from an npm folder): only the named ones are reachable, nothing else of their folders."""

from __future__ import annotations

from pathlib import Path

from starlette.requests import Request
from starlette.responses import FileResponse, PlainTextResponse, Response
from starlette.routing import Route


def route(path: str, assets: dict[str, tuple[Path, str]], headers: dict[str, str]) -> Route:
    """``path`` ending in ``{name}``, answering the file ``assets`` names (with its media type)."""

    async def asset(request: Request) -> Response:
        found = assets.get(request.path_params["name"])
        if found is None:
            return PlainTextResponse("Not found.", status_code=404)
        file, media_type = found
        if not file.is_file():
            # A library is missing when its `npm ci` has not run (`make setup` runs it).
            return PlainTextResponse(f"{file.name} is not installed: run `make setup`.", status_code=404)
        return FileResponse(file, media_type=media_type, headers=headers)

    return Route(path, asset)

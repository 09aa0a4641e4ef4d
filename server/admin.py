"""Writes over HTTP: ``POST /admin/load``, the only one. Everything else the server answers is read-only.

A write needs ``Authorization: Bearer <token>``: KPSS_ADMIN_TOKEN (no default: without it writes
from the network are off), or the token `kpss serve` on the embedded store leaves for `kpss load`
in a file beside the store that only its owner can read (see ``Handoff``). Tokens are compared in
constant time. The body is JSON: ``{"files": [{"name": "projects.csv", "content": "<base64>"}, …],
"dry_run": false, "if_empty": false, "encoding": null, "delimiter": null}``; the load runs on the
server's own store exactly as `kpss load` would, one at a time, in one transaction: readers see
the graph before it or after it.
"""

from __future__ import annotations

import base64
import binascii
import hmac
import json
import os
import secrets
import tempfile
from dataclasses import dataclass, replace
from pathlib import Path, PurePath

from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import Route

from kpss.settings import Settings
from loaders.errors import LoadError
from loaders.pipeline import LoadReport, load_paths
from loaders.tables import CsvOptions


@dataclass(frozen=True)
class Handoff:
    """How `kpss load` finds the `kpss serve` that holds the embedded store open: a file beside the
    store with the server's address and a token made for this run (mode 0600, removed at exit)."""

    url: str
    token: str

    @staticmethod
    def path(settings: Settings) -> Path:
        return settings.db_path.with_name(settings.db_path.name + ".server.json")

    @classmethod
    def create(cls, settings: Settings) -> Handoff:
        host = "127.0.0.1" if settings.host in ("0.0.0.0", "::", "") else settings.host
        handoff = cls(f"http://{host}:{settings.port}", secrets.token_urlsafe(32))
        path = cls.path(settings)
        descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(descriptor, "w") as file:
            json.dump({"url": handoff.url, "token": handoff.token}, file)
        return handoff

    @classmethod
    def find(cls, settings: Settings) -> Handoff | None:
        try:
            found = json.loads(cls.path(settings).read_text())
            return cls(found["url"], found["token"])
        except (OSError, ValueError, KeyError, TypeError):
            return None

    def remove(self, settings: Settings) -> None:
        if Handoff.find(settings) == self:  # not another server's, started since
            Handoff.path(settings).unlink(missing_ok=True)


def _tokens(request: Request) -> list[str]:
    settings, handoff = request.app.state.settings, request.app.state.handoff
    configured = settings.admin_token.get_secret_value() if settings.admin_token else ""  # empty is none
    return [token for token in (configured, handoff and handoff.token) if token]


def _refused(request: Request) -> JSONResponse | None:
    tokens = _tokens(request)
    if not tokens:
        return JSONResponse({"error": "Writes over HTTP are off: set KPSS_ADMIN_TOKEN to allow them."}, status_code=403)
    scheme, _, given = request.headers.get("authorization", "").partition(" ")
    # Every token compared, in constant time: neither the answer nor its timing tells how close a guess was.
    if scheme.lower() != "bearer" or not any([hmac.compare_digest(given.encode(), t.encode()) for t in tokens]):
        return JSONResponse({"error": "A write needs 'Authorization: Bearer <KPSS_ADMIN_TOKEN>'."}, status_code=401,
                            headers={"WWW-Authenticate": 'Bearer realm="kpss-admin"'})
    return None


def _bad(message: str) -> JSONResponse:
    return JSONResponse({"error": message}, status_code=400)


def report_json(report: LoadReport) -> dict:
    """A load's report as `kpss load` prints it, over HTTP."""
    w = report.write
    kinds = sorted(set(w.created) | set(w.updated) | set(w.unchanged))
    return {"files": report.files, "warnings": report.warnings, "merges": report.merges, "graph_merges": w.merges,
            "replaced": report.replaced,
            "counts": {k: {"created": w.created[k], "updated": w.updated[k], "unchanged": w.unchanged[k]} for k in kinds}}


async def load(request: Request) -> JSONResponse:
    if refused := _refused(request):
        return refused
    try:
        body = json.loads(await request.body())
        files = [(PurePath(f["name"]).name, base64.b64decode(f["content"], validate=True)) for f in body["files"]]
        options = {k: body.get(k) for k in ("dry_run", "if_empty", "encoding", "delimiter")}
    except (ValueError, KeyError, TypeError, binascii.Error):
        return _bad('The body must be JSON: {"files": [{"name": "projects.csv", "content": "<base64>"}, …]}.')
    if not files or any(name in ("", ".", "..") for name, _ in files):
        return _bad("Name at least one file, each with a file name.")
    store, settings = request.app.state.store, request.app.state.settings
    async with request.app.state.loading:  # one at a time: each plans against what the last one wrote
        if options["if_empty"] and (await store.counts()).get("Project", 0):
            return JSONResponse({"loaded": False, "reason": "the store already holds projects (if_empty)"})
        with tempfile.TemporaryDirectory(prefix="kpss-upload-") as folder:
            paths = []
            for number, (name, content) in enumerate(files):  # a folder each: two files may share a name
                path = Path(folder, f"{number:05d}", name)
                path.parent.mkdir()
                path.write_bytes(content)
                paths.append(path)
            try:
                report = await load_paths(store, paths, dry_run=bool(options["dry_run"]),
                                          csv_options=CsvOptions(options["encoding"], options["delimiter"]),
                                          publish_contacts=settings.publish_contacts)
            except LoadError as exc:
                # Named as the client named them, not by where they were kept here.
                problems = [str(replace(p, file=PurePath(p.file).name) if p.file.startswith(folder) else p)
                            for p in exc.problems]
                return JSONResponse({"loaded": False, "problems": problems}, status_code=422)
    if report.write.changed:
        await request.app.state.sparql_index.start(store)  # the SPARQL index follows at once
    return JSONResponse({"loaded": True, **report_json(report)})


def routes() -> list[Route]:
    return [Route("/admin/load", load, methods=["POST"])]

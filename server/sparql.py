"""A read-only SPARQL 1.1 endpoint at /sparql (the SPARQL protocol's query operation, GET and POST)
over the SPARQL index (rdf/index.py), with a time limit and a result limit from the settings."""

from __future__ import annotations

import asyncio
import multiprocessing
import threading
import time
from urllib.parse import parse_qs

from starlette.requests import Request
from starlette.responses import HTMLResponse, PlainTextResponse, Response
from starlette.routing import Route

from rdf.vocab import prefixes
from server import sparql_worker
from server.negotiation import negotiate
from server.sparql_worker import GRAPH_TYPES, READ_ONLY, RESULT_TYPES, QueryError

# Each query runs in a child process (server/sparql_worker.py), killed at the time limit; at most
# this many at once, more are refused as busy. The fork server starts clean, with the worker loaded.
MAX_RUNNING = 4
_running = threading.BoundedSemaphore(MAX_RUNNING)
_processes = multiprocessing.get_context("forkserver")
_processes.set_forkserver_preload(["server.sparql_worker"])

_FORM = """<!doctype html><html lang="en"><head><meta charset="utf-8"><title>SPARQL · kpss-graph</title></head>
<body><h1>SPARQL</h1><p>Read-only SPARQL 1.1 query endpoint. Prefixes %s are predeclared.</p>
<form method="post" action="sparql"><textarea name="query" rows="14" cols="100">SELECT ?project ?name WHERE {
  ?project a schema:Project ; schema:name ?name .
} LIMIT 20</textarea><br><button>Run</button></form></body></html>"""


def _utf8(body: bytes) -> str:
    try:
        return body.decode("utf-8")
    except UnicodeDecodeError:
        raise QueryError(400, "The request body is not UTF-8 text.") from None


async def _query_text(request: Request) -> str | None:
    if request.method == "GET":
        if "update" in request.query_params:
            raise QueryError(403, READ_ONLY)
        return request.query_params.get("query")
    content_type = request.headers.get("content-type", "").split(";")[0].strip().lower()
    if content_type == "application/sparql-update":
        raise QueryError(403, READ_ONLY)
    if content_type == "application/sparql-query":
        return _utf8(await request.body())
    if content_type != "application/x-www-form-urlencoded":
        raise QueryError(415, "POST a query as application/x-www-form-urlencoded or application/sparql-query.")
    form = parse_qs(_utf8(await request.body()))
    if "update" in form:
        raise QueryError(403, READ_ONLY)
    return form["query"][0] if form.get("query") else None


async def sparql(request: Request) -> Response:
    settings = request.app.state.settings
    try:
        query = await _query_text(request)
        if query is None:
            if request.method == "GET" and negotiate(request, ["text/html", "application/sparql-results+json"]) == "text/html":
                return HTMLResponse(_FORM % ", ".join(sorted(prefixes(settings.base_iri))))
            raise QueryError(400, "Give a SPARQL query in the `query` parameter (GET or form POST) "
                                  "or as an application/sparql-query body.")
        # One time limit for waiting for the index and running the query.
        deadline = time.monotonic() + settings.query_timeout_s
        # Once an index exists, a query waits half its time for the one a load asks for, then reads the
        # one before it: the graph as it was before the load, whole, rather than a refusal.
        sparql_index = request.app.state.sparql_index
        wait = settings.query_timeout_s / 2 if sparql_index.latest else settings.query_timeout_s
        index = await sparql_index.current(request.app.state.store, wait) or sparql_index.latest
        if index is None:
            raise QueryError(503, f"The SPARQL index is still being built (see /health/ready); it was not ready "
                                  f"within the time limit of {settings.query_timeout_s:g} s. Try again shortly.")
        if not _running.acquire(blocking=False):
            raise QueryError(503, f"{MAX_RUNNING} queries are running; try again shortly.")
        try:
            status, media_type, body, headers = await _evaluate(
                index, query, prefixes(settings.base_iri), settings.sparql_result_limit,
                negotiate(request, list(RESULT_TYPES)), negotiate(request, list(GRAPH_TYPES)),
                max(deadline - time.monotonic(), 0.0), settings.query_timeout_s)
        finally:
            _running.release()
    except QueryError as exc:
        headers = {"Retry-After": "5"} if exc.status == 503 else None
        return PlainTextResponse(str(exc), status_code=exc.status, headers=headers)
    return Response(body, status_code=status, media_type=media_type, headers=headers)


async def _evaluate(index: str, query: str, prefixes: dict[str, str], limit: int, select_media: str | None,
                    graph_media: str | None, timeout: float, limit_s: float) -> tuple[int, str, bytes, dict[str, str]]:
    """Runs the query in a child process; past ``timeout`` (what is left of ``limit_s``) it is killed."""
    loop = asyncio.get_running_loop()
    receiving, sending = _processes.Pipe(duplex=False)
    process = _processes.Process(target=sparql_worker.serve, daemon=True,
                                 args=(sending, index, query, prefixes, limit, select_media, graph_media))
    process.start()
    sending.close()
    try:
        if not await loop.run_in_executor(None, receiving.poll, timeout):
            raise QueryError(503, f"The query ran longer than the time limit of {limit_s:g} s and was stopped.")
        try:
            return await loop.run_in_executor(None, receiving.recv)
        except EOFError:
            # The engine gave up on the query itself (a parser nested past its stack, an error it
            # has no message for): the query's fault, and the server is unharmed.
            raise QueryError(400, "The query could not be evaluated: it is malformed or nested too deeply.") from None
    finally:
        process.kill()
        await loop.run_in_executor(None, process.join)
        receiving.close()


def routes() -> list[Route]:
    return [Route("/sparql", sparql, methods=["GET", "POST"])]

"""A read-only SPARQL 1.1 endpoint at /sparql (the SPARQL protocol's query operation, GET and POST)
over the SPARQL index (rdf/index.py), with a time limit and a result limit from the settings."""

from __future__ import annotations

import asyncio
import csv
import io
import json
import re
import threading
from itertools import islice
from urllib.parse import parse_qs
from xml.sax.saxutils import escape, quoteattr

import pyoxigraph as ox
from starlette.requests import Request
from starlette.responses import HTMLResponse, PlainTextResponse, Response
from starlette.routing import Route

from rdf.vocab import prefixes
from server.negotiation import negotiate

RESULT_TYPES = {
    "application/sparql-results+json": "json",
    "application/json": "json",
    "application/sparql-results+xml": "xml",
    "application/xml": "xml",
    "text/csv": "csv",
    "text/tab-separated-values": "tsv",
}
GRAPH_TYPES = {
    "text/turtle": ox.RdfFormat.TURTLE,
    "application/n-triples": ox.RdfFormat.N_TRIPLES,
    "application/rdf+xml": ox.RdfFormat.RDF_XML,
    "application/ld+json": ox.RdfFormat.JSON_LD,
}
# Oxigraph cannot stop a query once it runs: one past the time limit is answered with 503 but
# finishes in its worker thread. At most this many run at once; more are refused as busy.
MAX_RUNNING = 4
_running = threading.BoundedSemaphore(MAX_RUNNING)
READ_ONLY = "This SPARQL endpoint is read-only: updates are refused. The graph changes only through `kpss load`."
# An update's first keyword after its prologue (BASE / PREFIX declarations and comments).
_PROLOGUE = re.compile(r"^(\s|#[^\n]*\n|(BASE\s*<[^>]*>)|(PREFIX\s+[\w.-]*:\s*<[^>]*>))*", re.IGNORECASE)
_UPDATE = re.compile(r"(INSERT|DELETE|LOAD|CLEAR|CREATE|DROP|COPY|MOVE|ADD|WITH)\b", re.IGNORECASE)


def is_update(text: str) -> bool:
    return bool(_UPDATE.match(text[_PROLOGUE.match(text).end():]))


NO_SERVICE = ("Federated queries (SERVICE) are refused: this endpoint answers from its own graph only "
              "and makes no requests of its own.")
# What may hold the word SERVICE without being the keyword: IRIs, strings and comments.
_NOT_KEYWORDS = re.compile(
    r'<[^>\s]*>|"""[\s\S]*?"""|' r"'''[\s\S]*?'''|" r'"(?:[^"\\\n]|\\.)*"|' r"'(?:[^'\\\n]|\\.)*'|#[^\n]*"
)
_SERVICE = re.compile(r"\bSERVICE\b", re.IGNORECASE)


def uses_service(text: str) -> bool:
    """A SERVICE clause would make the server fetch from any address a client names."""
    return bool(_SERVICE.search(_NOT_KEYWORDS.sub(" ", text)))


class QueryError(Exception):
    def __init__(self, status: int, message: str) -> None:
        super().__init__(message)
        self.status = status


def _run(index: ox.Store, query: str, base: str, limit: int):
    """Parses, evaluates and takes at most ``limit`` results (in a worker thread)."""
    try:
        result = index.query(query, prefixes=prefixes(base))
        if isinstance(result, ox.QueryBoolean):
            return "boolean", bool(result), False
        rows = list(islice(result, limit + 1))
    except SyntaxError as exc:
        raise QueryError(400, f"SPARQL syntax error: {exc}") from exc
    except OSError as exc:  # evaluation errors
        raise QueryError(400, f"SPARQL evaluation error: {exc}") from exc
    truncated = len(rows) > limit
    if isinstance(result, ox.QuerySolutions):
        return "select", ([v.value for v in result.variables], rows[:limit]), truncated
    return "graph", rows[:limit], truncated


def _term_json(t) -> dict:
    if isinstance(t, ox.NamedNode):
        return {"type": "uri", "value": t.value}
    if isinstance(t, ox.BlankNode):
        return {"type": "bnode", "value": t.value}
    out = {"type": "literal", "value": t.value}
    if t.language:
        out["xml:lang"] = t.language
    elif t.datatype and t.datatype.value != "http://www.w3.org/2001/XMLSchema#string":
        out["datatype"] = t.datatype.value
    return out


def _term_xml(t) -> str:
    if isinstance(t, ox.NamedNode):
        return f"<uri>{escape(t.value)}</uri>"
    if isinstance(t, ox.BlankNode):
        return f"<bnode>{escape(t.value)}</bnode>"
    if t.language:
        return f"<literal xml:lang={quoteattr(t.language)}>{escape(t.value)}</literal>"
    if t.datatype and t.datatype.value != "http://www.w3.org/2001/XMLSchema#string":
        return f"<literal datatype={quoteattr(t.datatype.value)}>{escape(t.value)}</literal>"
    return f"<literal>{escape(t.value)}</literal>"


def serialise_select(variables: list[str], rows: list, kind: str) -> str:
    if kind == "json":
        bindings = [{v: _term_json(row[v]) for v in variables if row[v] is not None} for row in rows]
        return json.dumps({"head": {"vars": variables}, "results": {"bindings": bindings}}, ensure_ascii=False)
    if kind == "xml":
        head = "".join(f"<variable name={quoteattr(v)}/>" for v in variables)
        results = "".join(
            "<result>" + "".join(f"<binding name={quoteattr(v)}>{_term_xml(row[v])}</binding>"
                                 for v in variables if row[v] is not None) + "</result>"
            for row in rows
        )
        return ('<?xml version="1.0"?>\n<sparql xmlns="http://www.w3.org/2005/sparql-results#">'
                f"<head>{head}</head><results>{results}</results></sparql>\n")
    buffer = io.StringIO()
    if kind == "csv":
        out = csv.writer(buffer, lineterminator="\r\n")
        out.writerow(variables)
        out.writerows([("" if row[v] is None else row[v].value) for v in variables] for row in rows)
        return buffer.getvalue()
    lines = ["\t".join(f"?{v}" for v in variables)]
    lines += ["\t".join("" if row[v] is None else str(row[v]) for v in variables) for row in rows]
    return "\n".join(lines) + "\n"


def serialise_boolean(value: bool, kind: str) -> str:
    if kind == "xml":
        return ('<?xml version="1.0"?>\n<sparql xmlns="http://www.w3.org/2005/sparql-results#"><head/>'
                f"<boolean>{str(value).lower()}</boolean></sparql>\n")
    if kind in ("csv", "tsv"):
        return f"{str(value).lower()}\n"
    return json.dumps({"head": {}, "boolean": value})


_FORM = """<!doctype html><html lang="en"><head><meta charset="utf-8"><title>SPARQL · kpss-graph</title></head>
<body><h1>SPARQL</h1><p>Read-only SPARQL 1.1 query endpoint. Prefixes %s are predeclared.</p>
<form method="post" action="sparql"><textarea name="query" rows="14" cols="100">SELECT ?project ?name WHERE {
  ?project a schema:Project ; schema:name ?name .
} LIMIT 20</textarea><br><button>Run</button></form></body></html>"""


async def _query_text(request: Request) -> str | None:
    if request.method == "GET":
        if "update" in request.query_params:
            raise QueryError(403, READ_ONLY)
        return request.query_params.get("query")
    content_type = request.headers.get("content-type", "").split(";")[0].strip().lower()
    if content_type == "application/sparql-update":
        raise QueryError(403, READ_ONLY)
    if content_type == "application/sparql-query":
        return (await request.body()).decode("utf-8")
    if content_type != "application/x-www-form-urlencoded":
        raise QueryError(415, "POST a query as application/x-www-form-urlencoded or application/sparql-query.")
    form = parse_qs((await request.body()).decode("utf-8"))
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
        if is_update(query):
            raise QueryError(403, READ_ONLY)
        if uses_service(query):
            raise QueryError(403, NO_SERVICE)
        index = await request.app.state.sparql_index.current(request.app.state.store)
        if not _running.acquire(blocking=False):
            raise QueryError(503, f"{MAX_RUNNING} queries are running; try again shortly.")

        def work():
            try:
                return _run(index, query, settings.base_iri, settings.sparql_result_limit)
            finally:
                _running.release()

        # Shielded: on timeout the worker still runs to its end and frees its place.
        running = asyncio.get_running_loop().run_in_executor(None, work)
        try:
            kind, value, truncated = await asyncio.wait_for(asyncio.shield(running), timeout=settings.query_timeout_s)
        except TimeoutError as exc:
            running.add_done_callback(lambda f: f.cancelled() or f.exception())  # its outcome is nobody's now
            raise QueryError(503, f"The query ran longer than the time limit of {settings.query_timeout_s:g} s.") from exc
    except QueryError as exc:
        return PlainTextResponse(str(exc), status_code=exc.status)
    headers = {"X-Result-Limit": str(settings.sparql_result_limit)}
    if truncated:
        headers["X-Results-Truncated"] = "true"
    if kind == "graph":
        media = negotiate(request, list(GRAPH_TYPES))
        if media is None:
            return PlainTextResponse("Not acceptable; graph results come as " + ", ".join(GRAPH_TYPES), status_code=406)
        return Response(ox.serialize(value, format=GRAPH_TYPES[media]), media_type=media, headers=headers)
    media = negotiate(request, list(RESULT_TYPES))
    if media is None:
        return PlainTextResponse("Not acceptable; results come as " + ", ".join(RESULT_TYPES), status_code=406)
    fmt = RESULT_TYPES[media]
    body = serialise_boolean(value, fmt) if kind == "boolean" else serialise_select(*value, fmt)
    media_type = {"json": "application/sparql-results+json", "xml": "application/sparql-results+xml"}.get(fmt, media)
    return Response(body, media_type=media_type, headers=headers)


def routes() -> list[Route]:
    return [Route("/sparql", sparql, methods=["GET", "POST"])]

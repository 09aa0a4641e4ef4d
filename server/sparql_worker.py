"""One SPARQL query, checked and evaluated in a process of its own so that it can be stopped.

Oxigraph cannot interrupt a query once it runs; a query that outlives the time limit would go on
using a core. The endpoint (server/sparql.py) starts this in a child process over the on-disk
index (rdf/index.py) and kills the process at the time limit. The answer comes back serialised.

The endpoint reads its own graph only. A query is parsed (rdflib's SPARQL grammar) before it runs
and refused when its syntax tree holds a SERVICE pattern or when it is an update, whatever the
spelling; and the process that evaluates it first leaves the host's network (a network namespace
of its own, with no interface up), so that a SERVICE the check missed would reach nothing.
"""

from __future__ import annotations

import csv
import ctypes
import io
import json
import logging
from itertools import islice
from multiprocessing.connection import Connection
from xml.sax.saxutils import escape, quoteattr

import pyoxigraph as ox
from rdflib.plugins.sparql import parser as grammar
from rdflib.plugins.sparql.parserutils import CompValue

from graph.text import shorten

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
MAX_QUERY_CHARS = 50_000
READ_ONLY = "This SPARQL endpoint is read-only: updates are refused. The graph changes only through `kpss load`."
NO_SERVICE = ("Federated queries (SERVICE) are refused: this endpoint answers from its own graph only "
              "and makes no requests of its own.")
log = logging.getLogger("kpss.sparql")


class QueryError(Exception):
    def __init__(self, status: int, message: str) -> None:
        super().__init__(shorten(message, 400))  # parser messages may quote the query
        self.status = status


def _nodes(tree) -> list:
    """Every node of a parse tree, walked without recursion (a query may nest deeply)."""
    out, todo = [], [tree]
    while todo:
        node = todo.pop()
        out.append(node)
        if isinstance(node, dict):
            todo.extend(node.values())
        elif isinstance(node, (list, tuple)) or hasattr(node, "asList"):
            todo.extend(node)
    return out


def check(query: str) -> None:
    """Refuses what this endpoint does not run: updates, federation, text too long or too nested to read."""
    if len(query) > MAX_QUERY_CHARS:
        raise QueryError(413, f"The query has {len(query):,} characters; at most {MAX_QUERY_CHARS:,} are read.")
    try:
        tree = grammar.parseQuery(query)
    except RecursionError:
        raise QueryError(400, "The query is nested too deeply to be read.") from None
    except Exception as exc:  # noqa: BLE001 — the parser's every failure is about the text it was given
        try:
            grammar.parseUpdate(query)
        except Exception:  # noqa: BLE001 — not an update either: the query's own syntax error stands
            raise QueryError(400, f"SPARQL syntax error: {exc}") from None
        raise QueryError(403, READ_ONLY) from None
    if any(isinstance(node, CompValue) and node.name == "ServiceGraphPattern" for node in _nodes(tree)):
        raise QueryError(403, NO_SERVICE)


_CLONE_NEWUSER, _CLONE_NEWNET = 0x10000000, 0x40000000


def leave_network() -> bool:
    """Moves this (single-threaded, child) process into a network namespace of its own, with no
    interface up: nothing it does can reach another address. False where the kernel or a
    container's seccomp profile refuses unprivileged namespaces."""
    libc = ctypes.CDLL(None, use_errno=True)
    return libc.unshare(_CLONE_NEWUSER | _CLONE_NEWNET) == 0


def _run(index: ox.Store, query: str, prefixes: dict[str, str], limit: int):
    """Evaluates and takes at most ``limit`` results."""
    try:
        result = index.query(query, prefixes=prefixes)
        if isinstance(result, ox.QueryBoolean):
            return "boolean", bool(result), False
        rows = list(islice(result, limit + 1))
    except SyntaxError as exc:
        raise QueryError(400, f"SPARQL syntax error: {exc}") from exc
    except (OSError, ValueError, RuntimeError) as exc:  # evaluation errors
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


def answer(path: str, query: str, prefixes: dict[str, str], limit: int, select_media: str | None,
           graph_media: str | None) -> tuple[int, str, bytes, dict[str, str]]:
    """(status, media type, body, headers) of a query over the index at ``path``."""
    check(query)
    kind, value, truncated = _run(ox.Store.read_only(path), query, prefixes, limit)
    headers = {"X-Result-Limit": str(limit)} | ({"X-Results-Truncated": "true"} if truncated else {})
    if kind == "graph":
        if graph_media is None:
            return 406, "text/plain", ("Not acceptable; graph results come as " + ", ".join(GRAPH_TYPES)).encode(), {}
        return 200, graph_media, ox.serialize(value, format=GRAPH_TYPES[graph_media]), headers
    if select_media is None:
        return 406, "text/plain", ("Not acceptable; results come as " + ", ".join(RESULT_TYPES)).encode(), {}
    fmt = RESULT_TYPES[select_media]
    body = serialise_boolean(value, fmt) if kind == "boolean" else serialise_select(*value, fmt)
    media_type = {"json": "application/sparql-results+json", "xml": "application/sparql-results+xml"}.get(fmt, select_media)
    return 200, media_type, body.encode(), headers


def serve(conn: Connection, *args) -> None:
    """The child process: answers, or reports the query's error, through ``conn``."""
    if not leave_network():
        log.warning("SPARQL queries run with the host's network: this system refuses network namespaces")
    try:
        conn.send(answer(*args))
    except QueryError as exc:
        conn.send((exc.status, "text/plain", str(exc).encode(), {}))
    finally:
        conn.close()

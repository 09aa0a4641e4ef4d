"""Linked data over HTTP: every entity's IRI (/id/<kind>/<key>) answers with its description in the
format the client accepts (Turtle, JSON-LD, N-Triples, RDF/XML or a readable HTML page); the
vocabulary (/ontology), the DCAT catalogue (/rdf/catalog), the JSON-LD context and the streamed
dumps (/rdf/dump.<ext>, optionally a subset by ?region= / ?programme=)."""

from __future__ import annotations


from html import escape

from rdflib import DCTERMS, FOAF, RDF, RDFS, SKOS, Graph, Literal, URIRef
from starlette.requests import Request
from starlette.responses import HTMLResponse, JSONResponse, PlainTextResponse, Response, StreamingResponse
from starlette.routing import Route

from graph.text import shorten
from rdf.catalog import catalog, catalog_iri, shapes, vocabulary
from rdf.export import describe_one, stream, subset_problem
from rdf.mapping import Block, group, mapper
from rdf.serialize import FORMATS, context, writer
from rdf.vocab import SCHEMA, concept_iri, normal_base
from server.negotiation import negotiate

HTML = "text/html"
BY_MEDIA = {f.media_type: f.key for f in FORMATS.values()}
OFFERS = [FORMATS["ttl"].media_type, HTML, FORMATS["jsonld"].media_type, FORMATS["nt"].media_type, FORMATS["rdf"].media_type]
_LABELS = (SCHEMA.name, SKOS.prefLabel, DCTERMS.title, RDFS.label, FOAF.name)
# The pages' one inline style; the Content-Security-Policy (server/security.py) allows it by its hash.
STYLE = ("body{font-family:sans-serif;max-width:70em;margin:2em auto;padding:0 1em}"
         "th{text-align:left;vertical-align:top;padding-right:1em;font-weight:normal;color:#555}"
         "td,th{border-bottom:1px solid #eee;padding:.2em .5em}table{border-collapse:collapse}h2{font-size:1em}")


def _base(request: Request) -> str:
    return normal_base(request.app.state.settings.base_iri)


def _chosen(request: Request) -> str | None:
    """The media type to answer with: ?format=ttl|nt|jsonld|rdf|html overrides the Accept header."""
    forced = request.query_params.get("format")
    if forced:
        return HTML if forced == "html" else (FORMATS[forced].media_type if forced in FORMATS else None)
    return negotiate(request, OFFERS)


def _not_acceptable() -> Response:
    return PlainTextResponse("Not acceptable. This resource is available as " + ", ".join(OFFERS) + ".", status_code=406)


def _label(pairs: list, fallback: str) -> str:
    values = [o for p, o in pairs if p in _LABELS and isinstance(o, Literal)]
    values.sort(key=lambda o: (o.language != "cs", o.language is not None and o.language != "en"))
    return str(values[0]) if values else fallback


def _href(base: str, iri: str) -> str:
    """Own IRIs link to this server's path, so that the pages browse wherever it runs."""
    return "/" + iri[len(base):] if iri.startswith(base) else iri


def render_html(base: str, blocks: list[Block], title_iri: str) -> str:
    """A readable page: each subject with its predicates and values, IRIs as links."""
    qname = writer("ttl", base).qname

    def short(iri: str) -> str:
        q = qname(iri)
        return f"{q[0]}:{q[1]}" if q else iri

    def term(o) -> str:
        if isinstance(o, URIRef):
            return f'<a href="{escape(_href(base, str(o)))}">{escape(short(str(o)))}</a>'
        if not isinstance(o, Literal):  # a blank node (a SHACL list, say): shown by its label
            return f"<code>_:{escape(str(o))}</code>"
        if o.language:
            return f'<span lang="{escape(o.language)}">{escape(str(o))}</span> <small>@{escape(o.language)}</small>'
        suffix = f" <small>{escape(short(str(o.datatype)))}</small>" if o.datatype else ""
        return f"<span>{escape(str(o))}</span>{suffix}"

    title = _label(blocks[0][1], title_iri) if blocks else title_iri
    sections = []
    for subject, pairs in blocks:
        rows = "".join(f"<tr><th>{'a' if p == RDF.type else term(p)}</th><td>{term(o)}</td></tr>" for p, o in pairs)
        link = f'<a href="{escape(_href(base, str(subject)))}">{escape(str(subject))}</a>'
        fragment = str(subject).partition("#")[2]  # a hash IRI's fragment lands on its section
        anchor = f' id="{escape(fragment)}"' if fragment else ""
        sections.append(f"<section{anchor}><h2>{link}</h2><table>{rows}</table></section>")
    formats = " · ".join(f'<a href="?format={f.key}">{f.label}</a>' for f in FORMATS.values())
    return (
        f'<!doctype html><html lang="cs"><head><meta charset="utf-8"><title>{escape(title)} · kpss-graph</title>'
        f"<style>{STYLE}</style>"
        f"</head><body><h1>{escape(title)}</h1><p>{escape(title_iri)}</p><p>Also as {formats}.</p>"
        f"{''.join(sections)}</body></html>"
    )


def _answer(request: Request, blocks: list[Block], iri: str) -> Response:
    media = _chosen(request)
    if media is None:
        return _not_acceptable()
    headers = {"Vary": "Accept", "Link": f'<{iri}>; rel="canonical"'}
    if media == HTML:
        return HTMLResponse(render_html(_base(request), blocks, iri), headers=headers)
    return Response(writer(BY_MEDIA[media], _base(request)).whole(blocks), media_type=media, headers=headers)


def _static(graph: Graph, iri: URIRef) -> list[Block]:
    """A resource of a static graph: its own triples and those of its hash IRIs."""
    prefix = str(iri) + "#"
    return group(t for t in graph if t[0] == iri or str(t[0]).startswith(prefix))


async def entity(request: Request) -> Response:
    base = _base(request)
    segment, key = request.path_params["segment"], request.path_params.get("key")
    m = mapper(base)
    label = m.segments.get(segment)
    # The router hands the key percent-decoded: /id/project/CZ.1.04%2F3.1.03%2F65.00042 and the
    # same path with plain slashes name the same entity.
    iri, blocks = URIRef(f"{base}id/{segment}"), None
    if key is not None:
        iri = m.iri(label, key) if label else concept_iri(base, segment, key)
        if label:
            blocks = await describe_one(request.app.state.store, base, label, key)
    if blocks is None:
        blocks = _static(vocabulary(base), iri) or None
    if blocks is None:
        return PlainTextResponse(f"No such entity: {shorten(str(iri))}", status_code=404)
    return _answer(request, blocks, str(iri))


async def ontology(request: Request) -> Response:
    base = _base(request)
    return _answer(request, group(vocabulary(base)), base + "ontology")


_SHAPE_FORMATS = {"text/turtle": "turtle", "application/ld+json": "json-ld", "application/n-triples": "nt",
                  "application/rdf+xml": "xml"}


async def shapes_document(request: Request) -> Response:
    """The SHACL shapes the published data keeps, with this server's IRIs, so that anyone can
    validate a dump. Small, with blank-node lists: written by rdflib; Turtle unless asked otherwise."""
    media = negotiate(request, list(_SHAPE_FORMATS)) or "text/turtle"
    return Response(shapes(_base(request)).serialize(format=_SHAPE_FORMATS[media]), media_type=media)


async def catalogue(request: Request) -> Response:
    base = _base(request)
    modified = await request.app.state.sparql_index.observe(request.app.state.store)
    return _answer(request, group(catalog(base, modified)), str(catalog_iri(base)))


async def jsonld_context(request: Request) -> Response:
    return JSONResponse(context(_base(request)), media_type="application/ld+json")


async def dump(request: Request) -> Response:
    key = request.path_params["ext"]
    if key not in FORMATS:
        return PlainTextResponse(f"No dump as .{shorten(key)}; there are " + ", ".join(f"dump.{k}" for k in FORMATS), status_code=404)
    store, base = request.app.state.store, _base(request)
    region, programme = request.query_params.get("region"), request.query_params.get("programme")
    if problem := subset_problem(region, programme):
        return PlainTextResponse("{}: {}.".format(*problem), status_code=400)
    modified = await request.app.state.sparql_index.observe(store)

    async def body():
        async for chunk in stream(store, key, base, region=region, programme=programme, modified=modified):
            yield chunk.encode("utf-8")

    filename = "kpss" + (f"-{region}" if region else "") + (f"-{programme}" if programme else "") + f".{key}"
    headers = {"Content-Disposition": f'attachment; filename="{filename}"'}
    return StreamingResponse(body(), media_type=FORMATS[key].media_type, headers=headers)


def routes() -> list[Route]:
    return [
        Route("/id/{segment}", entity),
        Route("/id/{segment}/{key:path}", entity),
        Route("/ontology", ontology),
        Route("/rdf/catalog", catalogue),
        Route("/rdf/shapes", shapes_document),
        Route("/rdf/context.jsonld", jsonld_context),
        Route("/rdf/dump.{ext}", dump),
    ]


"""Streaming serialisers: each writes a head once, then any number of pages of blocks (subject,
[(predicate, object)]), then a tail, so that a dump never needs the whole graph in memory.

N-Triples is a line per triple; Turtle a block per subject with the prefixes declared once; JSON-LD
one node object per subject in ``@graph`` under the published context; RDF/XML an
``rdf:Description`` per subject.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from functools import lru_cache
from xml.sax.saxutils import escape, quoteattr

from rdflib import RDF, XSD, URIRef

from rdf.mapping import Block
from rdf.terms import Lit
from rdf.vocab import prefixes

_TYPE = RDF.type
_STRING = str(XSD.string)
_LOCAL = re.compile(r"^[A-Za-z_][A-Za-z0-9_\-]*$")


@dataclass(frozen=True)
class Format:
    key: str  # the --format / file extension
    media_type: str
    extension: str
    label: str


FORMATS: dict[str, Format] = {
    f.key: f
    for f in (
        Format("ttl", "text/turtle", "ttl", "Turtle"),
        Format("nt", "application/n-triples", "nt", "N-Triples"),
        Format("jsonld", "application/ld+json", "jsonld", "JSON-LD"),
        Format("rdf", "application/rdf+xml", "rdf", "RDF/XML"),
    )
}


class Writer:
    def __init__(self, base: str) -> None:
        self.prefixes = prefixes(base)
        self._prefix_of = {str(ns): prefix for prefix, ns in self.prefixes.items()}
        # IRIs recur (every predicate and type, documents, organisations): each written once, with
        # a bound so that memory stays flat however big the dump.
        self.iri = lru_cache(maxsize=1 << 16)(self._iri)

    def _iri(self, iri: URIRef) -> str:
        return iri.n3()

    def head(self) -> str:
        return ""

    def page(self, blocks: list[Block]) -> str:
        raise NotImplementedError

    def tail(self) -> str:
        return ""

    def whole(self, blocks: list[Block]) -> str:
        return self.head() + self.page(blocks) + self.tail()

    def qname(self, iri: str) -> tuple[str, str] | None:
        # Every namespace ends in "/" or "#" and a local name holds neither: one look-up, not a
        # scan of the prefixes (a dump asks this for every term).
        cut = max(iri.rfind("/"), iri.rfind("#")) + 1
        prefix = self._prefix_of.get(iri[:cut])
        return (prefix, iri[cut:]) if prefix and _LOCAL.match(iri[cut:]) else None


class NTriples(Writer):
    def page(self, blocks: list[Block]) -> str:
        iri, out = self.iri, []
        for s, pairs in blocks:
            subject = iri(s)
            for p, o in pairs:
                out.append(f"{subject} {iri(p)} {o.nt() if isinstance(o, Lit) else iri(o)} .\n")
        return "".join(out)


class Turtle(Writer):
    def head(self) -> str:
        return "".join(f"@prefix {p}: <{ns}> .\n" for p, ns in self.prefixes.items()) + "\n"

    def __init__(self, base: str) -> None:
        super().__init__(base)
        self.predicate = lru_cache(maxsize=1024)(lambda p: "a" if p == _TYPE else self.iri(p))

    def _iri(self, iri: URIRef) -> str:
        q = self.qname(str(iri))
        return f"{q[0]}:{q[1]}" if q else iri.n3()

    def term(self, t) -> str:
        if not isinstance(t, Lit):
            return self.iri(t)
        if t.datatype and not t.lang:
            q = self.qname(t.datatype)
            return f"{t.quoted()}^^{q[0]}:{q[1]}" if q else t.nt()
        return t.nt()

    def page(self, blocks: list[Block]) -> str:
        out, term, predicate = [], self.term, self.predicate
        for s, pairs in blocks:
            if pairs:
                out.append(f"{term(s)}\n" + " ;\n".join([f"    {predicate(p)} {term(o)}" for p, o in pairs]) + " .\n\n")
        return "".join(out)


class JsonLd(Writer):
    def __init__(self, base: str) -> None:
        super().__init__(base)
        self.first = True
        self.compact = lru_cache(maxsize=1024)(self._compact)  # predicates and types recur

    def context(self) -> dict:
        return {"@context": dict(self.prefixes)}

    def head(self) -> str:
        ctx = json.dumps(self.context()["@context"], ensure_ascii=False)
        return '{"@context": ' + ctx + ', "@graph": [\n'

    def _compact(self, iri: str) -> str:
        q = self.qname(iri)
        return f"{q[0]}:{q[1]}" if q else iri

    def value(self, o) -> dict | str:
        if not isinstance(o, Lit):
            return {"@id": str(o)}
        if o.lang:
            return {"@value": o.value, "@language": o.lang}
        if o.datatype and o.datatype != _STRING:
            return {"@value": o.value, "@type": self.compact(o.datatype)}
        return o.value

    def page(self, blocks: list[Block]) -> str:
        out = []
        for s, pairs in blocks:
            node: dict = {"@id": str(s)}
            for p, o in pairs:
                if p == _TYPE:
                    node.setdefault("@type", []).append(self.compact(str(o)))
                else:
                    node.setdefault(self.compact(str(p)), []).append(self.value(o))
            out.append(("" if self.first else ",\n") + json.dumps(node, ensure_ascii=False))
            self.first = False
        return "".join(out)

    def tail(self) -> str:
        return "\n]}\n"


class RdfXml(Writer):
    def head(self) -> str:
        ns = "".join(f"\n    xmlns:{p}={quoteattr(iri)}" for p, iri in self.prefixes.items())
        return f'<?xml version="1.0" encoding="utf-8"?>\n<rdf:RDF{ns}>\n'

    def page(self, blocks: list[Block]) -> str:
        out = []
        for s, pairs in blocks:
            out.append(f"  <rdf:Description rdf:about={quoteattr(str(s))}>\n")
            for p, o in pairs:
                q = self.qname(str(p))
                if q is None:
                    raise ValueError(f"predicate {p} has no XML qualified name under the published prefixes")
                tag = f"{q[0]}:{q[1]}"
                if isinstance(o, URIRef):
                    out.append(f"    <{tag} rdf:resource={quoteattr(str(o))}/>\n")
                elif isinstance(o, Lit):
                    attr = f" xml:lang={quoteattr(o.lang)}" if o.lang else (
                        f" rdf:datatype={quoteattr(o.datatype)}" if o.datatype else "")
                    out.append(f"    <{tag}{attr}>{escape(o.value)}</{tag}>\n")
                else:
                    raise ValueError(f"{o!r}: an RDF/XML page writes IRIs and literals, not blank nodes")
            out.append("  </rdf:Description>\n")
        return "".join(out)

    def tail(self) -> str:
        return "</rdf:RDF>\n"


_WRITERS = {"ttl": Turtle, "nt": NTriples, "jsonld": JsonLd, "rdf": RdfXml}


def writer(key: str, base: str) -> Writer:
    return _WRITERS[key](base)


def context(base: str) -> dict:
    """The JSON-LD context published at /rdf/context.jsonld (the dumps carry it inline too)."""
    return JsonLd(base).context()

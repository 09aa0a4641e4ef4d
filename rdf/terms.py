"""The terms of a dump's blocks: IRIs are rdflib URIRefs (rdf/mapping.py makes each once), literals
are ``Lit`` — plain data. A dump only writes its literals out, and making an rdflib Literal parses
and normalises the value: about a fifth of a dump's time, for nothing."""

from __future__ import annotations

from typing import NamedTuple

import rdflib

# N-Triples' (and Turtle's) escapes in a quoted string.
_ESCAPES = str.maketrans({"\\": "\\\\", '"': '\\"', "\n": "\\n", "\r": "\\r"})
_XSD = str(rdflib.XSD)


class Lit(NamedTuple):
    """A literal: its lexical form, with a language or a datatype (neither: a plain string)."""

    value: str
    lang: str | None = None
    datatype: str | None = None  # an IRI

    def quoted(self) -> str:
        return '"' + self.value.translate(_ESCAPES) + '"'

    def nt(self) -> str:
        """The literal in N-Triples (valid Turtle too)."""
        if self.lang:
            return f"{self.quoted()}@{self.lang}"
        return f"{self.quoted()}^^<{self.datatype}>" if self.datatype else self.quoted()

    def xsd(self, name: str) -> bool:
        """Whether its datatype is ``xsd:<name>``."""
        return self.datatype == _XSD + name

    @classmethod
    def of(cls, literal: rdflib.Literal) -> Lit:
        return cls(str(literal), literal.language, str(literal.datatype) if literal.datatype else None)

    def literal(self) -> rdflib.Literal:
        """The rdflib Literal, for code that builds an rdflib Graph of a dump's triples."""
        return rdflib.Literal(self.value, self.lang, rdflib.URIRef(self.datatype) if self.datatype else None)


Term = rdflib.URIRef | rdflib.BNode | Lit


def rdflib_term(term: Term) -> rdflib.term.Node:
    return term.literal() if isinstance(term, Lit) else term


def nt(term: Term) -> str:
    """A term in N-Triples."""
    return term.nt() if isinstance(term, Lit) else term.n3()

"""Namespaces of the published RDF, and the IRIs of the service's own resources under the base IRI."""

from __future__ import annotations

from functools import lru_cache
from urllib.parse import quote

from rdflib import DCAT, DCTERMS, FOAF, OWL, PROV, RDF, RDFS, SKOS, XSD, Namespace, URIRef

SCHEMA = Namespace("https://schema.org/")
ORG = Namespace("http://www.w3.org/ns/org#")
EURIO = Namespace("http://data.europa.eu/s66#")
NUTS = Namespace("http://data.europa.eu/nuts/code/")
EU_COUNTRY = Namespace("http://publications.europa.eu/resource/authority/country/")
EU_LANGUAGE = Namespace("http://publications.europa.eu/resource/authority/language/")
EU_LICENCE = Namespace("http://publications.europa.eu/resource/authority/licence/")
EU_FILE_TYPE = Namespace("http://publications.europa.eu/resource/authority/file-type/")
EU_THEME = Namespace("http://publications.europa.eu/resource/authority/data-theme/")
IANA = Namespace("http://www.iana.org/assignments/media-types/")
GEO = Namespace("http://www.w3.org/2003/01/geo/wgs84_pos#")  # W3C Basic Geo: lat / long in WGS 84
RUIAN = Namespace("https://linked.cuzk.cz/resource/ruian/")  # ČÚZK's RÚIAN linked data: obec/<code>, okres/<code>, orp/<code>, pou/<code>

# Prefixes of every serialisation (Turtle, the JSON-LD context, RDF/XML); ``kpss`` is added per base.
PREFIXES: dict[str, str] = {
    "rdf": str(RDF),
    "rdfs": str(RDFS),
    "xsd": str(XSD),
    "owl": str(OWL),
    "schema": str(SCHEMA),
    "org": str(ORG),
    "eurio": str(EURIO),
    "dcterms": str(DCTERMS),
    "dcat": str(DCAT),
    "skos": str(SKOS),
    "prov": str(PROV),
    "foaf": str(FOAF),
    "geo": str(GEO),
}


def normal_base(base_iri: str) -> str:
    return base_iri.rstrip("/") + "/"


def kpss(base: str) -> Namespace:
    """The service's own terms: ``<base>ontology#``, defined in rdf/kpss.ttl."""
    return Namespace(normal_base(base) + "ontology#")


def prefixes(base: str) -> dict[str, str]:
    return {**PREFIXES, "kpss": str(kpss(base))}


@lru_cache(maxsize=1 << 16)  # a dump names each document and organisation many times
def encode_key(key: str) -> str:
    """A natural key as one IRI path segment: UTF-8 percent-encoding of every character but the
    unreserved ones (A-Z a-z 0-9 - . _ ~) and ':'; so '/' becomes %2F and '#' %23."""
    return quote(key, safe=":")


def entity_iri(base: str, segment: str, key: str) -> URIRef:
    return URIRef(f"{normal_base(base)}id/{segment}/{encode_key(key)}")


@lru_cache(maxsize=1024)  # a few dozen concepts, named by every participation and share
def concept_iri(base: str, scheme: str, value: str) -> URIRef:
    return URIRef(f"{normal_base(base)}id/{scheme}/{encode_key(value)}")

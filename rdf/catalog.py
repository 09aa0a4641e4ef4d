"""The static part of the open data: the DCAT-AP description of the dataset (/rdf/catalog) and the
vocabulary with its code lists (rdf/kpss.ttl, /ontology). Both are small rdflib graphs."""

from __future__ import annotations

from datetime import datetime
from functools import lru_cache
from pathlib import Path

from rdflib import DCAT, DCTERMS, FOAF, RDF, XSD, Graph, Literal, URIRef

from rdf.serialize import FORMATS
from rdf.vocab import EU_COUNTRY, EU_FILE_TYPE, EU_LANGUAGE, EU_LICENCE, EU_THEME, IANA, normal_base, prefixes

HERE = Path(__file__).resolve().parent
VOCABULARY = HERE / "kpss.ttl"
SHAPES = HERE / "shapes.ttl"
LICENCE = EU_LICENCE.CC_BY_4_0
_FILE_TYPES = {"ttl": "RDF_TURTLE", "nt": "RDF_N_TRIPLES", "jsonld": "JSON_LD", "rdf": "RDF_XML"}


def _bound(g: Graph, base: str) -> Graph:
    for prefix, ns in prefixes(base).items():
        g.bind(prefix, ns, override=True)
    return g


@lru_cache(maxsize=8)
def vocabulary(base: str) -> Graph:
    """rdf/kpss.ttl with its relative IRIs resolved against ``base``."""
    return _bound(Graph(), base).parse(VOCABULARY, format="turtle", publicID=normal_base(base))


@lru_cache(maxsize=8)
def shapes(base: str) -> Graph:
    return Graph().parse(SHAPES, format="turtle", publicID=normal_base(base))


def catalog_iri(base: str) -> URIRef:
    return URIRef(normal_base(base) + "rdf/catalog")


def dataset_iri(base: str) -> URIRef:
    return URIRef(normal_base(base) + "rdf/catalog#dataset")


def catalog(base: str, modified: datetime) -> Graph:
    """The DCAT-AP catalogue: the dataset, its four distributions and the SPARQL service."""
    b = normal_base(base)
    g = _bound(Graph(), base)
    cat, ds, service, publisher = catalog_iri(b), dataset_iri(b), URIRef(b + "rdf/catalog#sparql"), URIRef(b + "rdf/catalog#publisher")
    stamp = Literal(modified.replace(microsecond=0).isoformat(), datatype=XSD.dateTime)

    def titled(node: URIRef, cs: str, en: str) -> None:
        g.add((node, DCTERMS.title, Literal(cs, lang="cs")))
        g.add((node, DCTERMS.title, Literal(en, lang="en")))

    g.add((publisher, RDF.type, FOAF.Agent))
    g.add((publisher, FOAF.name, Literal("Provozovatel služby kpss-graph", lang="cs")))
    g.add((publisher, FOAF.name, Literal("Operator of the kpss-graph service", lang="en")))
    g.add((publisher, FOAF.homepage, URIRef(b)))

    g.add((cat, RDF.type, DCAT.Catalog))
    titled(cat, "Katalog otevřených dat kpss-graph", "kpss-graph open data catalogue")
    g.add((cat, DCTERMS.description, Literal("Otevřená data o komunitním plánování sociálních služeb v Česku.", lang="cs")))
    g.add((cat, DCTERMS.description, Literal("Open data on community planning of social services in Czechia.", lang="en")))
    g.add((cat, DCTERMS.publisher, publisher))
    g.add((cat, DCTERMS.license, LICENCE))
    g.add((cat, DCTERMS.modified, stamp))
    g.add((cat, DCTERMS.language, EU_LANGUAGE.CES))
    g.add((cat, FOAF.homepage, URIRef(b)))
    g.add((cat, DCAT.dataset, ds))
    g.add((cat, DCAT.service, service))

    g.add((ds, RDF.type, DCAT.Dataset))
    titled(ds, "Komunitní plánování sociálních služeb: projekty, organizace, území a programy",
           "Community planning of social services: projects, organisations, places and programmes")
    g.add((ds, DCTERMS.description, Literal(
        "Projekty komunitního plánování sociálních služeb financované z veřejných zdrojů, organizace, které je "
        "realizovaly nebo se na nich podílely a v jaké roli, obce a kraje, kterých se týkají, programy, prioritní "
        "osy a výzvy, podíly financování a zdrojové dokumenty.", lang="cs")))
    g.add((ds, DCTERMS.description, Literal(
        "Publicly funded projects of community planning of social services, the organisations that ran or joined "
        "them and in which role, the municipalities and regions they cover, the programmes, priority axes and calls "
        "that funded them, funding shares and source documents.", lang="en")))
    g.add((ds, DCTERMS.publisher, publisher))
    g.add((ds, DCTERMS.license, LICENCE))
    g.add((ds, DCTERMS.modified, stamp))
    g.add((ds, DCTERMS.language, EU_LANGUAGE.CES))
    g.add((ds, DCTERMS.spatial, EU_COUNTRY.CZE))
    g.add((ds, DCAT.theme, EU_THEME.SOCI))
    g.add((ds, DCTERMS.conformsTo, URIRef(b + "ontology")))
    for word_cs, word_en in (("komunitní plánování", "community planning"), ("sociální služby", "social services")):
        g.add((ds, DCAT.keyword, Literal(word_cs, lang="cs")))
        g.add((ds, DCAT.keyword, Literal(word_en, lang="en")))

    for fmt in FORMATS.values():
        dist, url = URIRef(f"{b}rdf/catalog#dump-{fmt.key}"), URIRef(f"{b}rdf/dump.{fmt.extension}")
        g.add((ds, DCAT.distribution, dist))
        g.add((dist, RDF.type, DCAT.Distribution))
        titled(dist, f"Celý graf ve formátu {fmt.label}", f"The whole graph as {fmt.label}")
        g.add((dist, DCAT.accessURL, url))
        g.add((dist, DCAT.downloadURL, url))
        g.add((dist, DCAT.mediaType, IANA[fmt.media_type]))
        g.add((dist, DCTERMS.format, EU_FILE_TYPE[_FILE_TYPES[fmt.key]]))
        g.add((dist, DCTERMS.license, LICENCE))
        g.add((dist, DCTERMS.modified, stamp))

    g.add((service, RDF.type, DCAT.DataService))
    titled(service, "SPARQL endpoint kpss-graph", "kpss-graph SPARQL endpoint")
    g.add((service, DCAT.endpointURL, URIRef(b + "sparql")))
    g.add((service, DCAT.servesDataset, ds))
    g.add((service, DCTERMS.conformsTo, URIRef("https://www.w3.org/TR/sparql11-protocol/")))
    g.add((service, DCTERMS.license, LICENCE))
    return g

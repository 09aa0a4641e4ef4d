"""The HTML view of linked data (/id/…, /ontology, /rdf/catalog) for people: in Czech, its name and
kind, its facts under Czech labels, participants by name with their role, amounts the Czech way,
links labelled by the name of what they lead to, and the machine formats offered beside it."""

from __future__ import annotations

from datetime import date
from decimal import Decimal, InvalidOperation
from functools import lru_cache
from html import escape
from urllib.parse import unquote

from rdflib import DCTERMS, FOAF, RDF, RDFS, SKOS, URIRef

from graph.cypher.generated import Node
from graph.store import GraphStore
from rdf.catalog import vocabulary
from rdf.mapping import Block, group, mapper
from rdf.serialize import FORMATS, writer
from rdf.terms import Lit
from rdf.vocab import SCHEMA

LABELS = (SCHEMA.name, SKOS.prefLabel, DCTERMS.title, RDFS.label, FOAF.name)
# The pages' one inline style; the Content-Security-Policy (server/security.py) allows it by its hash.
STYLE = ("body{font-family:sans-serif;max-width:70em;margin:2em auto;padding:0 1em}"
         "th{text-align:left;vertical-align:top;padding-right:1em;font-weight:normal;color:#555}"
         "td,th{border-bottom:1px solid #eee;padding:.2em .5em}table{border-collapse:collapse}h2{font-size:1.1em}"
         ".kind{color:#555}.formats{font-size:.9em;color:#555}")

# Czech names of the terms the published data uses (qnames as rdf/serialize writes them).
TERMS = {
    "schema:name": "Název", "dcterms:title": "Název", "skos:prefLabel": "Název", "rdfs:label": "Název",
    "foaf:name": "Název", "skos:altLabel": "Jiný název", "dcterms:identifier": "Identifikátor",
    "skos:notation": "Kód", "dcterms:description": "Popis", "rdfs:comment": "Popis",
    "schema:startDate": "Začátek", "schema:endDate": "Konec", "eurio:hasTotalCost": "Celkové náklady",
    "schema:value": "Částka", "schema:amount": "Částka", "schema:currency": "Měna",
    "kpss:areaOfSupport": "Oblast podpory", "kpss:programmeStated": "Program (jak jej uvádí zdroj)",
    "kpss:programme": "Operační program", "kpss:priorityAxis": "Prioritní osa", "kpss:call": "Výzva",
    "schema:funding": "Financování", "kpss:fundingSource": "Zdroj financování", "kpss:sharePercent": "Podíl (%)",
    "kpss:contribution": "Příspěvek", "schema:funder": "Poskytovatel", "kpss:fund": "Fond",
    "org:hasUnit": "Pracovní skupina", "dcterms:spatial": "Území", "schema:areaServed": "Působí v území",
    "dcterms:audience": "Cílová skupina", "prov:wasDerivedFrom": "Zdroj", "dcterms:source": "Zdroj",
    "kpss:follows": "Navazuje na", "eurio:isImplementedBy": "Realizuje", "org:role": "Role",
    "kpss:roleStated": "Role podle zdroje", "org:member": "Organizace", "eurio:isRoleOf": "Organizace",
    "org:organization": "Projekt", "org:classification": "Druh", "kpss:legalFormStated": "Právní forma podle zdroje",
    "schema:location": "Sídlo", "schema:address": "Adresa", "schema:addressCountry": "Stát",
    "schema:containedInPlace": "Leží v", "kpss:isOrp": "Obec s rozšířenou působností", "kpss:orpName": "ORP",
    "kpss:nutsLevel": "Úroveň NUTS", "skos:exactMatch": "Totéž jinde", "skos:broader": "Nadřazený pojem",
    "skos:inScheme": "Číselník", "skos:topConceptOf": "Číselník", "schema:sha256": "SHA-256",
    "schema:url": "Adresa", "foaf:homepage": "Domovská stránka", "dcterms:format": "Formát",
    "dcterms:license": "Licence", "dcterms:modified": "Změněno", "dcterms:publisher": "Vydavatel",
    "dcterms:language": "Jazyk", "dcterms:conformsTo": "Odpovídá", "dcterms:type": "Typ",
    "dcat:dataset": "Datová sada", "dcat:distribution": "Distribuce", "dcat:accessURL": "Přístup",
    "dcat:downloadURL": "Ke stažení", "dcat:mediaType": "Typ souboru", "dcat:keyword": "Klíčové slovo",
    "dcat:theme": "Téma", "dcat:service": "Služba", "dcat:servesDataset": "Poskytuje", "dcat:endpointURL": "Adresa služby",
    "rdfs:domain": "Obor", "rdfs:range": "Rozsah hodnot", "rdfs:subPropertyOf": "Podvlastnost",
    "prov:qualifiedDerivation": "Odvozeno ze zdroje", "prov:entity": "Zdrojový dokument", "kpss:span": "Úsek zdroje",
    "kpss:ofProperty": "Platí pro vlastnost", "rdf:subject": "Podmět", "rdf:predicate": "Vlastnost",
    "rdf:object": "Hodnota",
}
# Czech names of the kinds, the most telling first: a page shows the first its subject has.
KINDS = {
    "schema:Project": "Projekt", "org:Membership": "Účast v projektu", "schema:MonetaryGrant": "Zdroj financování",
    "org:OrganizationalUnit": "Pracovní skupina", "schema:Organization": "Organizace", "schema:Country": "Stát",
    "schema:AdministrativeArea": "Území", "schema:Place": "Místo", "schema:DigitalDocument": "Zdrojový dokument",
    "schema:MonetaryAmount": "Částka", "skos:ConceptScheme": "Číselník", "skos:Concept": "Pojem",
    "dcat:Catalog": "Katalog dat", "dcat:Dataset": "Datová sada", "dcat:Distribution": "Distribuce",
    "dcat:DataService": "Datová služba", "owl:Ontology": "Slovník", "owl:ObjectProperty": "Vlastnost",
    "owl:DatatypeProperty": "Vlastnost", "dcterms:AgentClass": "Cílová skupina", "prov:Derivation": "Odvození ze zdroje",
    "rdf:Statement": "Výrok",
}
# Shown in the participants' table, not as facts of their own.
_PARTICIPATION = {"eurio:hasInvolvedParty", "org:hasMember"}
LABEL_QNAMES = {"schema:name", "skos:prefLabel", "dcterms:title", "rdfs:label", "foaf:name"}  # the heading
_NAMED_PROPERTIES = ("name", "title")


def czk(amount: Decimal) -> str:
    """1723038 -> '1 723 038,00 Kč' (no-break spaces, as Czech typesetting keeps a number together)."""
    return f"{amount:,.2f}".replace(",", "\u00a0").replace(".", ",") + "\u00a0Kč"


async def names(store: GraphStore, base: str, blocks: list[Block]) -> dict[str, str]:
    """The name of every IRI the blocks mention: own entities by their name in the store, concepts
    and vocabulary terms by their Czech label."""
    found: dict[str, str] = {}
    for graph_blocks in (_vocabulary_blocks(base), blocks):
        for subject, pairs in graph_blocks:
            if label := _label(pairs):
                found.setdefault(str(subject), label)
    m, prefix = mapper(base), base + "id/"
    wanted: dict[str, dict[str, str]] = {}
    for _, pairs in blocks:
        for _, o in pairs:
            iri = str(o)
            if isinstance(o, URIRef) and iri.startswith(prefix) and "#" not in iri and iri not in found:
                segment, _, key = iri[len(prefix):].partition("/")
                if segment in m.segments and key:
                    wanted.setdefault(m.segments[segment], {})[unquote(key)] = iri
    for label, by_id in wanted.items():
        for row in await store.read(Node(label).fetch, ids=sorted(by_id)):
            # An entity without a name of its own (a funding share) is shown by its key.
            found[by_id[row["id"]]] = next((row[p] for p in _NAMED_PROPERTIES if row.get(p)), row["id"])
    return found


@lru_cache
def _vocabulary_blocks(base: str) -> list[Block]:
    return group(vocabulary(base))


def _label(pairs: list) -> str | None:
    values = [o for p, o in pairs if p in LABELS and isinstance(o, Lit)]
    values.sort(key=lambda o: (o.lang != "cs", o.lang is not None and o.lang != "en"))
    return values[0].value if values else None


def _href(base: str, iri: str) -> str:
    """Own IRIs link to this server's path, so that the pages browse wherever it runs."""
    return "/" + iri[len(base):] if iri.startswith(base) else iri


def render(base: str, blocks: list[Block], title_iri: str, known: dict[str, str]) -> str:
    qname = writer("ttl", base).qname

    def short(iri) -> str:
        q = qname(str(iri))
        return f"{q[0]}:{q[1]}" if q else str(iri)

    by_subject = {str(s): pairs for s, pairs in blocks}

    def money(iri: str) -> str | None:
        """A hash block that is an amount, written as such."""
        pairs = by_subject.get(iri, [])
        value = next((o for p, o in pairs if short(p) in ("schema:value", "schema:amount")), None)
        return _amount(value) if value is not None else None

    def term(o, predicate: str = "") -> str:
        if isinstance(o, URIRef):
            if shown := money(str(o)):
                return shown
            text = known.get(str(o)) or short(o)
            return f'<a href="{escape(_href(base, str(o)))}">{escape(text)}</a>'
        if not isinstance(o, Lit):  # a blank node (a SHACL list, say)
            return f"<code>_:{escape(str(o))}</code>"
        if predicate in ("schema:value", "schema:amount", "kpss:contribution") and (shown := _amount(o)):
            return shown
        if o.xsd("boolean"):
            return "ano" if o.value in ("true", "1") else "ne"
        if o.xsd("date") and (day := _day(o.value)):
            return f"{day.day}. {day.month}. {day.year}"
        lang = f' lang="{escape(o.lang)}"' if o.lang and o.lang != "cs" else ""
        return f"<span{lang}>{escape(o.value)}</span>"

    def kind(pairs) -> str:
        types = {short(o) for p, o in pairs if p == RDF.type}
        return next((name for t, name in KINDS.items() if t in types), "")

    def facts(pairs, skip=()) -> str:
        rows = [(short(p), o) for p, o in pairs if p != RDF.type and short(p) not in skip and short(p) not in LABEL_QNAMES]
        return "".join(f"<tr><th>{escape(TERMS.get(p, p))}</th><td>{term(o, p)}</td></tr>" for p, o in rows)

    main_pairs = blocks[0][1] if blocks else []
    title = _label(main_pairs) or title_iri
    memberships = [(s, pairs) for s, pairs in blocks[1:] if kind(pairs) == "Účast v projektu"]
    shown_inline = {str(o) for _, pairs in blocks for _, o in pairs if isinstance(o, URIRef) and money(str(o))}
    body = [f'<p class="kind">{escape(kind(main_pairs))}</p>', f"<table>{facts(main_pairs, _PARTICIPATION)}</table>"]
    if memberships:
        rows = []
        for subject, pairs in memberships:
            get = {short(p): o for p, o in pairs}
            fragment = escape(str(subject).partition("#")[2])  # the membership's IRI lands on its row
            member, role = get.get("org:member"), get.get("org:role")
            amount = get.get("schema:amount") or get.get("kpss:contribution")
            cells = [term(member) if member else "", term(role) if role else "",
                     term(get["kpss:roleStated"]) if "kpss:roleStated" in get else "",
                     term(amount, "schema:amount") if amount is not None else ""]
            rows.append(f'<tr id="{fragment}">' + "".join(f"<td>{cell}</td>" for cell in cells) + "</tr>")
        body.append("<h2>Účastníci</h2><table><tr><th>Organizace</th><th>Role</th><th>Role podle zdroje</th>"
                    f"<th>Částka</th></tr>{''.join(rows)}</table>")
    for subject, pairs in blocks[1:]:
        if (subject, pairs) in memberships or str(subject) in shown_inline:
            continue
        fragment = str(subject).partition("#")[2]  # a hash IRI's fragment lands on its section
        anchor = f' id="{escape(fragment)}"' if fragment else ""
        heading = escape(_label(pairs) or kind(pairs) or short(subject))
        body.append(f"<section{anchor}><h2>{heading}</h2><table>{facts(pairs)}</table></section>")
    formats = " · ".join(f'<a href="?format={f.key}">{f.label}</a>' for f in FORMATS.values())
    return (
        f'<!doctype html><html lang="cs"><head><meta charset="utf-8"><title>{escape(title)} · kpss-graph</title>'
        f"<style>{STYLE}</style></head><body><h1>{escape(title)}</h1>{''.join(body)}"
        f'<p class="formats">Strojově čitelně: {formats} · identifikátor <a href="{escape(_href(base, title_iri))}">'
        f"{escape(title_iri)}</a></p></body></html>"
    )


def _day(value: str) -> date | None:
    try:
        return date.fromisoformat(value)
    except ValueError:  # an xsd:date with a time zone: shown as written
        return None


def _amount(value) -> str | None:
    try:
        return czk(Decimal(value.value if isinstance(value, Lit) else str(value)))
    except InvalidOperation:
        return None

"""The graph as RDF: which classes each label is, which term each property and relationship becomes.

The tables below are keyed by the model's labels, properties and relationship types
(``graph.model.NODES`` / ``RELS``) and checked against them on import, so that a property or
relationship added to the model without a decision here fails loudly instead of vanishing from the
open data. Established vocabularies first (schema.org, W3C ORG, DCTERMS, SKOS, PROV-O, EURIO);
own terms (``kpss:``, defined in rdf/kpss.ttl) only where none fits.

An entity's description is a list of blocks (subject, [(predicate, object)]): the entity itself,
then the nodes it owns under hash IRIs (memberships, monetary amounts). Edges are described by one
end, the *owner*: mostly the start node, but a project holds the participations that point at it.
"""

from __future__ import annotations

import hashlib
import json
from collections import Counter, defaultdict
from collections.abc import Awaitable, Callable, Iterable
from dataclasses import dataclass
from functools import lru_cache
from typing import Any, Literal as Kind

import rdflib
from rdflib import URIRef

from graph.cypher.generated import Edge
from graph.cypher.rdf import PROGRAMME_OF_CALLS
from graph.cypher.reads import FUNDED_UNDER_BY_PROJECT
from graph.model import NODES, RELS, CoverageKind, FundingSource, OrganisationKind, OutputKind, Role
from graph.values import Money, PartialDate
from graph.store import Reader
from rdf import vocab
from rdf.terms import Lit, Term, nt
from rdf.vocab import concept_iri, encode_key, entity_iri, kpss, normal_base

Pair = tuple[URIRef, Term]
Block = tuple[URIRef, list[Pair]]
Ref = tuple[str, str]  # (label, id) of an entity a description links to
Source = tuple[str, str | None]  # (document id, span or None)

# Enumerations published as SKOS concept schemes (rdf/kpss.ttl): IRI segment -> values.
CONCEPT_SCHEMES: dict[str, type] = {
    "role": Role,
    "organisation-kind": OrganisationKind,
    "funding-source": FundingSource,
    "coverage-kind": CoverageKind,
    "output-kind": OutputKind,
}
TARGET_GROUP_SCHEME = "target-group"


class Terms:
    """A namespace whose terms are made once: rdflib makes a new URIRef at every attribute access
    (microseconds each, several per triple of a dump)."""

    def __init__(self, namespace: Any) -> None:
        self._namespace = namespace

    def __getattr__(self, name: str) -> URIRef:
        if name.startswith("_"):  # no term's name: copy, pickle and introspection asking for theirs
            raise AttributeError(name)
        term = getattr(self._namespace, name)
        setattr(self, name, term)
        return term

    def __getitem__(self, name: str) -> URIRef:
        return self._namespace[name]


DCTERMS, FOAF, PROV, RDF, RDFS, SKOS, XSD = (Terms(ns) for ns in (
    rdflib.DCTERMS, rdflib.FOAF, rdflib.PROV, rdflib.RDF, rdflib.RDFS, rdflib.SKOS, rdflib.XSD))
EU_COUNTRY, EURIO, GEO, NUTS, ORG, RUIAN, SCHEMA = (Terms(ns) for ns in (
    vocab.EU_COUNTRY, vocab.EURIO, vocab.GEO, vocab.NUTS, vocab.ORG, vocab.RUIAN, vocab.SCHEMA))
_DECIMAL = str(XSD[Money.XSD])


class Desc:
    """One subject's pairs and the hash-IRI nodes it owns."""

    def __init__(self, subject: URIRef) -> None:
        self.subject = subject
        self.pairs: list[Pair] = []
        self._seen: set[Pair] = set()  # the pairs again, for a look-up that does not grow with them
        self.children: dict[str, Desc] = {}  # by fragment
        self.sourced: dict[Pair, set[Source]] = {}  # its facts with sources -> them (see ``provenance``)

    def add(self, predicate: URIRef, obj: Term | None) -> None:
        # Once each: an organisation with two roles in a project is one member of it.
        if obj is not None and (predicate, obj) not in self._seen:
            self._seen.add((predicate, obj))
            self.pairs.append((predicate, obj))

    def state(self, predicate: URIRef, obj: Term, stated_by: tuple[Source, ...]) -> None:
        """A fact of the subject, one triple, with the documents (and spans) that state it."""
        self.add(predicate, obj)
        if stated_by:
            self.sourced.setdefault((predicate, obj), set()).update(stated_by)

    def child(self, fragment: str) -> Desc:
        """The node it owns under ``fragment``; asked for twice, the same node."""
        if d := self.children.get(fragment):
            return d
        sep = "/" if "#" in self.subject else "#"
        d = self.children[fragment] = Desc(URIRef(f"{self.subject}{sep}{fragment}"))
        return d

    def blocks(self) -> list[Block]:
        """Its own block, then its children's, depth first."""
        out: list[Block] = []
        todo = [self]
        while todo:
            d = todo.pop()
            out.append((d.subject, d.pairs))
            todo += reversed(d.children.values())
        return out


# --- property emitters: (mapper, description, value, row) -> None ----------------------------------

Emit = Callable[["Mapper", Desc, Any, dict], None]
_LANG_BY_COUNTRY = {"CZ": "cs", "SK": "sk", "GB": "en"}


def _name_lang(row: dict) -> str | None:
    """Names are Czech unless the row says the thing is abroad (then its language where known)."""
    return _LANG_BY_COUNTRY.get(row.get("country_code") or "CZ")


def text(pred: URIRef, lang: str | Callable[[dict], str | None] = "cs") -> Emit:
    return lambda m, d, v, row: d.add(pred, Lit(v, lang(row) if callable(lang) else lang))


def plain(pred: URIRef) -> Emit:
    return lambda m, d, v, row: d.add(pred, Lit(v))


def typed(pred: URIRef, datatype: URIRef) -> Emit:
    dt = str(datatype)
    return lambda m, d, v, row: d.add(pred, Lit(str(v).lower() if isinstance(v, bool) else str(v), datatype=dt))


@lru_cache(maxsize=4096)  # dates recur across projects and their documents
def date_literal(value: str) -> Lit:
    """An ISO partial date exactly as precise as the source: xsd:gYear, xsd:gYearMonth or xsd:date."""
    return Lit(value, datatype=str(XSD[PartialDate.xsd(value)]))


def date(pred: URIRef) -> Emit:
    return lambda m, d, v, row: d.add(pred, date_literal(v))


def money_node(d: Desc, pred: URIRef, fragment: str, minor: int, currency: str | None) -> None:
    amount = d.child(fragment)
    d.add(pred, amount.subject)
    amount.add(RDF.type, SCHEMA.MonetaryAmount)
    amount.add(RDF.type, EURIO.MonetaryAmount)
    amount.add(SCHEMA.value, Lit(str(Money.from_minor(minor)), datatype=_DECIMAL))
    amount.add(SCHEMA.currency, Lit(currency or "CZK"))


def money(pred: URIRef, fragment: str) -> Emit:
    return lambda m, d, v, row: money_node(d, pred, fragment, v, row.get("currency"))


def labels(pred: URIRef) -> Emit:
    """A collected property (a JSON array of names) as one Czech literal each."""
    def emit(m: Mapper, d: Desc, v: str, row: dict) -> None:
        for name in json.loads(v):
            d.add(pred, Lit(name, "cs"))
    return emit


def concept(pred: URIRef, scheme: str) -> Emit:
    return lambda m, d, v, row: d.add(pred, concept_iri(m.base, scheme, v))


def exact_match(namespace: Terms) -> Emit:
    return lambda m, d, v, row: d.add(SKOS.exactMatch, namespace[v])


def ruian(kind: str) -> Emit:
    """The same unit in ČÚZK's RÚIAN linked data, by its RÚIAN code."""
    return lambda m, d, v, row: d.add(SKOS.exactMatch, RUIAN[f"{kind}/{v}"])


def _ruian(kind: str) -> Emit:
    """A key that is a RÚIAN code where it is all digits (Czech municipalities; not towns abroad)."""
    code = both(plain(SKOS.notation), ruian(kind))
    def emit(m: Mapper, d: Desc, v: str, row: dict) -> None:
        if v.isdigit():
            code(m, d, v, row)
    return emit


def both(*emits: Emit) -> Emit:
    """Each of several emitters in turn."""
    def emit(m: Mapper, d: Desc, v: Any, row: dict) -> None:
        for each in emits:
            each(m, d, v, row)
    return emit


# A record's field named in a document's spans -> the model property it becomes, where they differ.
SPANNED_FACTS = {"start": "period_start", "end": "period_end", "total_cost_czk": "total_cost_minor"}

INTERNAL: Emit | None = None  # derived for the store's own use (search, sort, overlap filters)


@dataclass(frozen=True)
class EntityMap:
    segment: str  # /id/<segment>/<key>
    types: tuple[URIRef, ...]
    props: dict[str, Emit | None]
    key: Emit | None = None  # what the id itself says, where it is a public code (NUTS, ISO)


@dataclass(frozen=True)
class Link:
    """An edge as one triple per pair (from label, to label) -> predicates, held by ``owner``."""

    predicates: dict[tuple[str, str], tuple[URIRef, ...]] | tuple[URIRef, ...]
    owner: Kind["from", "to"] = "from"

    def for_pair(self, pair: tuple[str, str]) -> tuple[URIRef, ...]:
        return self.predicates[pair] if isinstance(self.predicates, dict) else self.predicates


# An edge type described by hand: (mapper, store, descriptions by id of the label's page) -> refs.
Custom = Callable[["Mapper", Reader, dict[str, Desc]], Awaitable[set[Ref]]]


@dataclass(frozen=True)
class CustomLink:
    label: str  # the label whose descriptions hold it
    describe: Custom


def _entities(k: Terms) -> dict[str, EntityMap]:
    name = text(SCHEMA.name, _name_lang)
    country = plain(SCHEMA.addressCountry)
    return {
        "Project": EntityMap(
            "project",
            (SCHEMA.Project, EURIO.Project, ORG.OrganizationalCollaboration),
            {
                "registration_number": plain(DCTERMS.identifier),
                "name": text(SCHEMA.name),
                "description": text(DCTERMS.description),
                "period_start": date(SCHEMA.startDate),
                "period_end": date(SCHEMA.endDate),
                "total_cost_minor": money(EURIO.hasTotalCost, "total-cost"),
                "currency": INTERNAL,  # stated on each monetary amount
                "area_of_support": plain(k.areaOfSupport),
                "programme_stated": text(k.programmeStated),
                "keys": INTERNAL,  # the ids sources gave it, for merges across loads
                "names_projects": INTERNAL,  # published as FOLLOWS once both projects are in the graph
            },
        ),
        "Organisation": EntityMap(
            "organisation",
            (SCHEMA.Organization, ORG.Organization, EURIO.Organisation),
            {
                "name": name,
                "ico": plain(DCTERMS.identifier),
                "kind": concept(ORG.classification, "organisation-kind"),
                "legal_form": text(k.legalFormStated),
                "country_code": country,
                "address": plain(SCHEMA.address),
                "website": typed(SCHEMA.url, XSD.anyURI),
                "aliases": labels(SKOS.altLabel),
                "keys": INTERNAL,
            },
        ),
        "Municipality": EntityMap(
            "municipality",
            (SCHEMA.AdministrativeArea, EURIO.AdministrativeArea),
            {
                "name": name,
                "country_code": country,
                "lau_code": plain(DCTERMS.identifier),
                "orp": text(k.orpName),
                "is_orp": typed(k.isOrp, XSD.boolean),
                "status": text(k.municipalityStatus),
                "population": typed(k.population, XSD.integer),
                "lat": typed(GEO.lat, XSD.decimal),
                "lon": typed(GEO.long, XSD.decimal),
            },
            key=_ruian("obec"),
        ),
        # The okres, ORP and POU districts: /id/okres|orp|pou/<code>, linked to the same RÚIAN unit.
        **{label: EntityMap(
            label.lower(),
            (SCHEMA.AdministrativeArea, EURIO.AdministrativeArea),
            {"code": plain(SKOS.notation), "ruian_code": ruian(label.lower()), "name": name},
        ) for label in ("Okres", "Orp", "Pou")},
        "Region": EntityMap(
            "region",
            (SCHEMA.AdministrativeArea, EURIO.AdministrativeArea),
            {
                "name": name,
                "name_en": text(SCHEMA.name, "en"),
                "nuts_level": typed(k.nutsLevel, XSD.integer),
                "country_code": country,
            },
            key=both(plain(SKOS.notation), exact_match(NUTS)),
        ),
        "Country": EntityMap(
            "country",
            (SCHEMA.Country, EURIO.Country),
            {"name": text(SCHEMA.name), "name_en": text(SCHEMA.name, "en"), "alpha3": exact_match(EU_COUNTRY)},
            key=plain(SKOS.notation),
        ),
        "Microregion": EntityMap(
            "microregion", (SCHEMA.Place,), {"name": text(SCHEMA.name), "kind": concept(DCTERMS.type, "coverage-kind")}
        ),
        "Programme": EntityMap(
            "programme",
            (SKOS.ConceptScheme,),
            {
                "code": plain(SKOS.notation),
                "name": text(SKOS.prefLabel),
                "name_en": text(SKOS.prefLabel, "en"),
                "abbreviation": text(SKOS.altLabel),
                "period_start": date(SCHEMA.startDate),
                "period_end": date(SCHEMA.endDate),
                "fund": plain(k.fund),
            },
        ),
        "PriorityAxis": EntityMap(
            "priority-axis", (SKOS.Concept,), {"code": plain(SKOS.notation), "name": text(SKOS.prefLabel)}
        ),
        "Call": EntityMap(
            "call",
            (SKOS.Concept,),
            {"code": plain(SKOS.notation), "name": text(SKOS.prefLabel), "area_of_support": plain(k.areaOfSupport)},
        ),
        "TargetGroup": EntityMap(
            TARGET_GROUP_SCHEME,
            (SKOS.Concept, DCTERMS.AgentClass),
            {"name": text(SKOS.prefLabel), "aliases": labels(SKOS.altLabel)},
            key=lambda m, d, v, row: d.add(SKOS.inScheme, URIRef(f"{m.base}id/{TARGET_GROUP_SCHEME}")),
        ),
        "Output": EntityMap(
            "output",
            (SCHEMA.CreativeWork, FOAF.Document),
            {
                "name": text(SCHEMA.name),
                "kind": concept(DCTERMS.type, "output-kind"),
                "period_start": date(SCHEMA.startDate),
                "period_end": date(SCHEMA.endDate),
            },
        ),
        "WorkingGroup": EntityMap("working-group", (ORG.OrganizationalUnit,), {"name": text(SCHEMA.name)}),
        "FundingShare": EntityMap(
            "funding-share",
            (SCHEMA.MonetaryGrant,),
            {
                "source": concept(k.fundingSource, "funding-source"),
                "stated_as": text(RDFS.label),
                "amount_minor": money(SCHEMA.amount, "amount"),
                "percent": typed(k.sharePercent, XSD.decimal),
                "currency": INTERNAL,
            },
        ),
        "SourceDocument": EntityMap(
            "source-document",
            (SCHEMA.DigitalDocument, FOAF.Document, PROV.Entity),
            {
                "title": plain(DCTERMS.title),
                "uri": plain(DCTERMS.source),
                "sha256": plain(SCHEMA.sha256),
                "media_type": plain(DCTERMS.format),
                "quotes": INTERNAL,  # the words of cited spans: GraphQL's Provenance.quote
                "facts_sha256": INTERNAL,  # load bookkeeping
            },
        ),
    }


async def _participations(m: Mapper, store: Reader, descs: dict[str, Desc]) -> set[Ref]:
    """PARTICIPATES_IN as W3C ORG memberships (also EURIO organisation roles) held by the project."""
    refs: set[Ref] = set()
    for row in await store.read(Edge("PARTICIPATES_IN", "Organisation", "Project").fetch_to, ids=list(descs)):
        project, org = descs[row["to_id"]], m.iri("Organisation", row["from_id"])
        member = project.child(f"participation/{row['role']}/{encode_key(row['from_id'])}")
        project.add(EURIO.hasInvolvedParty, member.subject)
        project.add(ORG.hasMember, org)
        for t in (ORG.Membership, EURIO.OrganisationRole):
            member.add(RDF.type, t)
        member.add(ORG.member, org)
        member.add(EURIO.isRoleOf, org)
        member.add(ORG.organization, project.subject)
        member.add(ORG.role, concept_iri(m.base, "role", row["role"]))
        if row.get("role_stated"):
            member.add(m.k.roleStated, Lit(row["role_stated"], "cs"))
        if row.get("amount_minor") is not None:
            money_node(member, m.k.contribution, "amount", row["amount_minor"], None)
        refs.add(("Organisation", row["from_id"]))
        derivations(m, member, sources(row))
        refs |= {("SourceDocument", doc) for doc, _ in sources(row)}
    return refs


def derivations(m: Mapper, d: Desc, stated_by: Iterable[Source]) -> list[Desc]:
    """PROV-O qualified derivations: per source document stating the fact, prov:wasDerivedFrom it
    and a prov:Derivation naming it with the character span (kpss:span) where it says so."""
    out = []
    for doc, span in stated_by:
        d.add(PROV.wasDerivedFrom, m.iri("SourceDocument", doc))
        q = d.child(f"derivation/{encode_key(doc)}" + (f"/{span}" if span else ""))
        d.add(PROV.qualifiedDerivation, q.subject)
        q.add(RDF.type, PROV.Derivation)
        q.add(PROV.entity, m.iri("SourceDocument", doc))
        if span:
            q.add(m.k.span, Lit(span))
        out.append(q)
    return out


def provenance(m: Mapper, d: Desc) -> set[Ref]:
    """The sources of an entity's facts (``Desc.state``), per property: where every value of the
    property on the entity has the same sources (a municipality's four places, from one row of the
    territory's file), the entity's own qualified derivations, each naming the property
    (kpss:ofProperty); otherwise an rdf:Statement (RDF 1.1 reification) of each triple, owned by its
    subject, with the derivations of its own sources."""
    by_property: dict[URIRef, list[tuple[Term, frozenset[Source]]]] = defaultdict(list)
    for (predicate, obj), docs in d.sourced.items():
        by_property[predicate].append((obj, frozenset(docs)))
    values = Counter(p for p, _ in d.pairs) if by_property else Counter()
    for predicate, facts in by_property.items():
        if values[predicate] == len(facts) and len({of for _, of in facts}) == 1:
            for q in derivations(m, d, _ordered(facts[0][1])):
                q.add(m.k.ofProperty, predicate)
            continue
        for obj, of in facts:
            stated = d.child(_statement_fragment(predicate, obj))
            stated.add(RDF.type, RDF.Statement)
            stated.add(RDF.subject, d.subject)
            stated.add(RDF.predicate, predicate)
            stated.add(RDF.object, obj)
            derivations(m, stated, _ordered(of))
    return {("SourceDocument", doc) for docs in d.sourced.values() for doc, _ in docs}


def _ordered(stated_by: Iterable[Source]) -> list[Source]:
    return sorted(stated_by, key=lambda s: (s[0], s[1] or ""))


@lru_cache(maxsize=1 << 16)  # the same link (a programme, a call, a municipality) is stated by many
def _statement_fragment(predicate: URIRef, obj: Term) -> str:
    return "statement/" + hashlib.sha256(f"{nt(predicate)} {nt(obj)}".encode()).hexdigest()[:16]


def sources(row: dict) -> tuple[Source, ...]:
    """(document id, span or None) of every source of an edge's fact."""
    if row.get("sources"):
        return _sources(row["sources"])
    return ((row["source"], row.get("span")),) if row.get("source") else ()


@lru_cache(maxsize=1 << 16)  # one document's sources recur on each edge it states
def _sources(value: str) -> tuple[Source, ...]:
    pairs = [entry.rpartition("@") for entry in json.loads(value)]
    return tuple((doc, span or None) for doc, _, span in pairs)


async def _funded_under(m: Mapper, store: Reader, descs: dict[str, Desc]) -> set[Ref]:
    """FUNDED_UNDER as links to the programme, the priority axis and the call, as far as known."""
    refs: set[Ref] = set()
    for row in await store.read(FUNDED_UNDER_BY_PROJECT, ids=list(descs)):
        for label, column, pred in (
            ("Programme", "programme_id", m.k.programme),
            ("PriorityAxis", "axis_id", m.k.priorityAxis),
            ("Call", "call_id", m.k.call),
        ):
            if row.get(column):
                descs[row["project_id"]].state(pred, m.iri(label, row[column]), sources(row))
                refs.add((label, row[column]))
    return refs


async def _call_schemes(m: Mapper, store: Reader, descs: dict[str, Desc]) -> set[Ref]:
    rows = await store.read(PROGRAMME_OF_CALLS, ids=list(descs))
    for row in rows:
        descs[row["from_id"]].add(SKOS.inScheme, m.iri("Programme", row["to_id"]))
    return {("Programme", row["to_id"]) for row in rows}


def _links(k: Terms) -> dict[str, Link | CustomLink]:
    place = (SCHEMA.containedInPlace,)
    return {
        "PARTICIPATES_IN": CustomLink("Project", _participations),
        "FUNDED_UNDER": CustomLink("Project", _funded_under),
        "OF": Link(
            {("Call", "PriorityAxis"): (SKOS.broader,), ("PriorityAxis", "Programme"): (SKOS.topConceptOf, SKOS.inScheme)}
        ),
        "HAS_FUNDING": Link((SCHEMA.funding,)),
        "PROVIDED_BY": Link((SCHEMA.funder,)),
        "SEATED_IN": Link((SCHEMA.location,)),
        "GOVERNS": Link((SCHEMA.areaServed,)),
        "MANAGES": Link((EURIO.isImplementedBy,), owner="to"),
        "IN_REGION": Link(place),
        "PART_OF": Link(place),
        "IN_OKRES": Link(place),
        "IN_ORP": Link(place),
        "IN_POU": Link(place),
        "IN_COUNTRY": Link(
            {("Region", "Country"): place, ("Municipality", "Country"): place, ("Organisation", "Country"): (SCHEMA.location,)}
        ),
        "FOLLOWS": Link((k.follows,)),
        "TARGETS": Link((DCTERMS.audience,)),
        "PRODUCED": Link((k.output,)),
        "HAS_WORKING_GROUP": Link((ORG.hasUnit,)),
        "COVERS": Link((DCTERMS.spatial,)),
        "DESCRIBED_BY": Link((PROV.wasDerivedFrom,)),
    }


# Extra reads per label that are not an edge of the model: calls in their programme's scheme.
_EXTRA: dict[str, tuple[Custom, ...]] = {"Call": (_call_schemes,)}


def check(entities: dict[str, EntityMap], links: dict[str, Link | CustomLink]) -> None:
    """Every label, property and relationship of the model has a decision here, and nothing else."""
    problems = []
    if set(entities) != set(NODES):
        problems.append(f"labels: mapped {sorted(entities)}, model {sorted(NODES)}")
    for label, node in NODES.items():
        if label in entities:
            declared = set(node.prop_names) - {"name_search", "name_sort", "period_start_date", "period_end_date"}
            if set(entities[label].props) != declared:
                problems.append(f"{label}: mapped {sorted(entities[label].props)}, model {sorted(declared)}")
    if set(links) != set(RELS):
        problems.append(f"relationships: mapped {sorted(links)}, model {sorted(RELS)}")
    for t, link in links.items():
        if isinstance(link, Link) and isinstance(link.predicates, dict) and t in RELS:
            if set(link.predicates) != set(RELS[t].pairs):
                problems.append(f"{t}: mapped pairs {sorted(link.predicates)}, model {sorted(RELS[t].pairs)}")
    if problems:
        raise AssertionError("the RDF mapping does not match graph/model.py: " + "; ".join(problems))


class Mapper:
    """The mapping for one base IRI."""

    def __init__(self, base: str) -> None:
        self.base = normal_base(base)
        self.k = Terms(kpss(self.base))
        self.entities = _entities(self.k)
        self.links = _links(self.k)
        check(self.entities, self.links)
        self.segments = {e.segment: label for label, e in self.entities.items()}
        # Documents, organisations and places are named by many entities of a dump: made once.
        self.iri: Callable[[str, str], URIRef] = lru_cache(maxsize=1 << 16)(self._iri)

    def _iri(self, label: str, key: str) -> URIRef:
        return entity_iri(self.base, self.entities[label].segment, key)

    @staticmethod
    def _spanned(d: Desc, stated: dict[tuple[str, str], list[Pair]], edge: dict) -> None:
        """The entity's own facts that a document states at a span (DESCRIBED_BY's ``spans``)."""
        for fact, span in json.loads(edge.get("spans") or "{}").items():
            for predicate, obj in stated.get((edge["from_id"], SPANNED_FACTS.get(fact, fact)), []) if span else []:
                d.state(predicate, obj, ((edge["to_id"], span),))

    async def describe(self, store: Reader, label: str, rows: list[dict]) -> tuple[list[Block], set[Ref]]:
        """Blocks for a page of ``label`` rows (as ``all.node.*`` / ``fetch.node.*`` return them) and
        the entities they link to."""
        if not rows:
            return [], set()
        emap = self.entities[label]
        descs: dict[str, Desc] = {}
        stated: dict[tuple[str, str], list[Pair]] = {}  # (id, property) -> the pairs that state it
        for row in rows:
            d = descs[row["id"]] = Desc(self.iri(label, row["id"]))
            for rdf_type in emap.types:
                d.add(RDF.type, rdf_type)
            if emap.key:
                emap.key(self, d, row["id"], row)
            for prop, emit in emap.props.items():
                if emit is not None and row.get(prop) is not None and row.get(prop) != "":
                    before = len(d.pairs)
                    emit(self, d, row[prop], row)
                    stated[(row["id"], prop)] = d.pairs[before:]
        refs: set[Ref] = set()
        ids = list(descs)
        for t, link in self.links.items():
            if isinstance(link, CustomLink):
                if link.label == label:
                    refs |= await link.describe(self, store, descs)
                continue
            for a, b in RELS[t].pairs:
                if link.owner == "from" and a == label:
                    edges, own, other, other_label = await store.read(Edge(t, a, b).fetch, ids=ids), "from_id", "to_id", b
                elif link.owner == "to" and b == label:
                    edges, own, other, other_label = await store.read(Edge(t, a, b).fetch_to, ids=ids), "to_id", "from_id", a
                else:
                    continue
                first, *more = link.for_pair((a, b))
                for edge in edges:
                    d, target = descs[edge[own]], self.iri(other_label, edge[other])
                    d.state(first, target, () if t == "DESCRIBED_BY" else sources(edge))  # sourced: its first triple
                    for pred in more:
                        d.add(pred, target)
                    refs.add((other_label, edge[other]))
                    if t == "DESCRIBED_BY":
                        self._spanned(d, stated, edge)
        for extra in _EXTRA.get(label, ()):
            refs |= await extra(self, store, descs)
        for d in descs.values():
            refs |= provenance(self, d)
        return [block for d in descs.values() for block in d.blocks()], refs


@lru_cache(maxsize=8)
def mapper(base: str) -> Mapper:
    return Mapper(base)


def group(triples) -> list[Block]:
    """Triples (e.g. of a small rdflib graph) as blocks, one per subject, in a stable order."""
    by_subject: dict[URIRef, list[Pair]] = defaultdict(list)
    for s, p, o in sorted(triples):
        by_subject[s].append((p, Lit.of(o) if isinstance(o, rdflib.Literal) else o))
    return list(by_subject.items())



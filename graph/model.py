"""The knowledge graph's model: node labels, relationship types, their properties and keys.

The single source of truth that the store schema, the Cypher catalogue, the loaders, the GraphQL
types, the RDF mapping and the SHACL shapes read. Every node has a string ``id`` derived from its
natural key (see ``graph.keys``).

Storage conventions, the same on every backend:
- money is an integer count of minor units (haléř, 1/100 CZK) in ``*_minor`` properties, so sums
  are exact in Cypher; ``money_to_minor`` / ``minor_to_money`` convert to and from ``Decimal``;
- a date keeps its source's precision as ISO text (``2009``, ``2009-06``, ``2009-06-15``);
  ``period_start_date`` / ``period_end_date`` hold the earliest and latest day a period can mean,
  for overlap filters;
- nodes with a ``name`` also carry ``name_search`` (case- and diacritics-folded) and ``name_sort``
  (Czech collation key), derived here on write.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from enum import StrEnum
from functools import cached_property
from typing import Any

from graph import keys
from graph.text import fold, sort_key
from graph.values import Money


class PropType(StrEnum):
    STRING = "STRING"
    INT = "INT64"
    BOOL = "BOOLEAN"


@dataclass(frozen=True)
class Prop:
    name: str
    type: PropType = PropType.STRING
    doc: str = ""
    collected: bool = False  # a set gathered from every source (JSON array text), not one value


@dataclass(frozen=True)
class NodeType:
    label: str
    doc: str
    props: tuple[Prop, ...]
    key_doc: str  # how ``id`` is made from the natural key

    # Cached: the load asks these for every record it resolves and plans.
    @cached_property
    def prop_names(self) -> tuple[str, ...]:
        return tuple(p.name for p in self.props)

    @cached_property
    def named(self) -> bool:
        return "name" in self.prop_names

    @cached_property
    def keyed(self) -> bool:
        """Whether its nodes carry ``keys``: the ids sources may give it, so that loads meet."""
        return "keys" in self.prop_names


@dataclass(frozen=True)
class RelType:
    type: str
    doc: str
    pairs: tuple[tuple[str, str], ...]  # (from label, to label)
    props: tuple[Prop, ...] = ()
    identity: tuple[str, ...] = ()  # props that tell two edges between the same nodes apart

    @cached_property
    def prop_names(self) -> tuple[str, ...]:
        return tuple(p.name for p in self.props)


class Labelled(StrEnum):
    """A code list of the model: each value carries its Czech (``cs``) and English (``en``) label,
    which GraphQL returns, the dashboard shows and the SKOS concepts of rdf/kpss.ttl hold (a test
    compares them)."""

    cs: str
    en: str

    def __new__(cls, value: str, cs: str, en: str) -> Labelled:
        member = str.__new__(cls, value)
        member._value_ = value
        member.cs, member.en = cs, en
        return member


class Role(Labelled):
    """The part an organisation plays in a project."""

    BENEFICIARY = "beneficiary", "Příjemce", "Beneficiary"  # also realizátor, žadatel
    PARTNER = "partner", "Partner", "Partner"  # partner s / bez finančního příspěvku
    CO_FUNDER = "co_funder", "Spolufinancující subjekt", "Co-funder"
    MANAGING_AUTHORITY = "managing_authority", "Řídící orgán", "Managing authority"
    INTERMEDIATE_BODY = "intermediate_body", "Zprostředkující subjekt", "Intermediate body"


class OrganisationKind(Labelled):
    MUNICIPALITY = "municipality", "Obec / město", "Municipality"  # the legal person; also statutární město
    REGION = "region", "Kraj", "Region"  # the legal person
    UNION_OF_MUNICIPALITIES = "union_of_municipalities", "Svazek obcí / mikroregion", "Union of municipalities"
    CONTRIBUTORY_ORGANISATION = "contributory_organisation", "Příspěvková organizace", "Contributory organisation"
    ASSOCIATION = "association", "Spolek / občanské sdružení", "Association"  # o.s., z.s.
    PUBLIC_BENEFIT_COMPANY = "public_benefit_company", "Obecně prospěšná společnost", "Public benefit company"  # o.p.s.
    INSTITUTE = "institute", "Zapsaný ústav", "Institute"  # z.ú.
    CHURCH_CHARITY = "church_charity", "Církevní charita", "Church charity"  # Charita, Diakonie
    STATE_BODY = "state_body", "Státní orgán", "State body"  # ministerstvo, úřad práce
    FOREIGN_PUBLIC_BODY = "foreign_public_body", "Zahraniční veřejný subjekt", "Foreign public body"  # Newcastle City Council
    COMPANY = "company", "Obchodní společnost", "Company"  # s.r.o., a.s.
    OTHER = "other", "Jiné", "Other"


class FundingSource(Labelled):
    """Where a project's money came from."""

    ESF = "esf", "Evropský sociální fond", "European Social Fund"
    EU = "eu", "Zdroje EU", "EU structural funds"  # EU structural funds in general (příspěvek ze zdrojů EU)
    STATE_BUDGET = "state_budget", "Státní rozpočet", "State budget"
    NATIONAL_PUBLIC = "national_public", "Národní veřejné zdroje", "National public sources"  # state + local, not split
    REGION = "region", "Kraj", "Region"
    MUNICIPALITY = "municipality", "Obec / město", "Municipality"
    OWN = "own", "Vlastní zdroje příjemce", "Beneficiary's own resources"


class OutputKind(Labelled):
    """What a planning process produced (výstup projektu)."""

    COMMUNITY_PLAN = "community_plan", "Komunitní plán", "Community plan"  # komunitní plán (sociálních služeb)
    MEDIUM_TERM_PLAN = "medium_term_plan", "Střednědobý plán rozvoje sociálních služeb", "Medium-term plan"
    ACTION_PLAN = "action_plan", "Akční plán", "Action plan"  # also prováděcí plán
    PLAN = "plan", "Plán", "Plan"  # a plan the source does not qualify
    ANALYSIS = "analysis", "Analýza", "Analysis"  # also mapování, katalog
    SURVEY = "survey", "Průzkum", "Survey"  # also šetření, dotazník


class CoverageKind(Labelled):
    ORP_DISTRICT = "orp_district", "Správní obvod ORP", "ORP district"  # obce s rozšířenou působností
    MICROREGION = "microregion", "Mikroregion", "Microregion"  # also svazek obcí


S, I, B = PropType.STRING, PropType.INT, PropType.BOOL
_NAMED = (
    Prop("name", S, "Name as the sources give it."),
    Prop("name_search", S, "Name folded for case- and diacritics-insensitive search."),
    Prop("name_sort", S, "Czech collation key of the name."),
)

NODES: dict[str, NodeType] = {
    n.label: n
    for n in (
        NodeType(
            "Project",
            "A publicly funded project (projekt) of community planning of social services.",
            (
                Prop("registration_number", S, "Registrační číslo, e.g. CZ.1.04/3.1.03/65.00042; absent when no source states it."),
                *_NAMED,
                Prop("description", S, "What the project set out to do, as the source says."),
                Prop("period_start", S, "Start as precise as the source: YYYY, YYYY-MM or YYYY-MM-DD."),
                Prop("period_end", S, "End as precise as the source."),
                Prop("period_start_date", S, "Earliest day the start can mean (YYYY-MM-DD)."),
                Prop("period_end_date", S, "Latest day the end can mean (YYYY-MM-DD)."),
                Prop("total_cost_minor", I, "Total cost (celkové náklady) in haléř."),
                Prop("currency", S, "ISO 4217 currency of the amounts, CZK."),
                Prop("area_of_support", S, "Oblast podpory / opatření, e.g. 3.1."),
                Prop("programme_stated", S, "The programme as the source names it, verbatim."),
                Prop("keys", S, "JSON array of every id a source may give it (its number, name:… keys).", collected=True),
                Prop("names_projects", S, "JSON array of '<follows|followed_by>\\t<name or number as stated>\\t"
                     "<document id>@<span>': each project a source names as earlier or later, kept so that the "
                     "FOLLOWS link is made whichever of the two is loaded first.", collected=True),
            ),
            "the registration number (graph.keys.code), e.g. `CZ.1.04/3.1.03/65.00042`; a project whose "
            "sources state none is keyed by what they state (graph.keys.project_by_name), 'name:' + the slug "
            "of its name + '@' + the slug of its beneficiary's name key (else of its first place), e.g. "
            "`name:komunitni-plan-pro-mesto-hlucin@hlucin`, and becomes the numbered project of the same name "
            "and beneficiary or place when a source states its number, in the same load or any other (the "
            "merge is reported)",
        ),
        NodeType(
            "Organisation",
            "A legal person or public body that takes part in projects.",
            (
                *_NAMED,
                Prop("ico", S, "IČO, the 8-digit Czech identification number, checksum-valid."),
                Prop("kind", S, "OrganisationKind."),
                Prop("legal_form", S, "Legal-form words as written (o.s., příspěvková organizace)."),
                Prop("country_code", S, "ISO 3166-1 alpha-2 country of its seat."),
                Prop("address", S, "Postal address of the seat as given."),
                Prop("website", S, "Web address."),
                Prop("aliases", S, "JSON array of every name a source gave it, the display name among them.", collected=True),
                Prop("keys", S, "JSON array of every id a source may give it (ico:…, gov:…, org:…).", collected=True),
            ),
            "ico:<IČO> (graph.keys.organisation_by_ico, e.g. `ico:00064581`); a municipality or region body "
            "gov:<place id> (graph.keys.organisation_governing, e.g. `gov:511382`); else org:<country, XX "
            "when not stated>:<slug of the name key (no legal-form words, abbreviations spelled one way)> "
            "(graph.keys.organisation_by_name, e.g. `org:CZ:charita-jablunkov`); a later load that links a "
            "weaker key to a stronger one (ico: > gov: > org:) merges them",
        ),
        NodeType(
            "Municipality",
            "A municipality (obec) as a place; the municipality as a legal person is an "
            "Organisation that GOVERNS it.",
            (
                *_NAMED,
                Prop("country_code", S, "ISO 3166-1 alpha-2."),
                Prop("lau_code", S, "Code of the municipality (kód obce, RÚIAN = ČSÚ = LAU 2) where known."),
                Prop("orp", S, "Name of the ORP district (obec s rozšířenou působností) it lies in."),
                Prop("is_orp", B, "Whether it is itself an ORP (type III municipality)."),
                Prop("status", S, "obec, město, městys, statutární město, hlavní město or vojenský újezd."),
                Prop("population", I, "Population at 1 January 2021 (ČSÚ)."),
                Prop("lat", S, "WGS 84 latitude of its main settlement, decimal degrees as text."),
                Prop("lon", S, "WGS 84 longitude of its main settlement, decimal degrees as text."),
            ),
            "a Czech municipality: its RÚIAN code (kód obce; graph.keys.code), e.g. `585599`; abroad "
            "<region NUTS code or country>:<slug of the name> (graph.keys.municipality_abroad), e.g. "
            "`SK022:dubnica-nad-vahom`, `GB:newcastle-upon-tyne`",
        ),
        NodeType(
            "Okres",
            "An okres (district, LAU 1): the statistical unit between the kraj and the municipalities.",
            (Prop("code", S, "LAU 1 code, e.g. CZ0724."), Prop("ruian_code", S, "RÚIAN code, e.g. 3705."), *_NAMED),
            "the LAU 1 code (graph.keys.code), e.g. `CZ0724`",
        ),
        NodeType(
            "Orp",
            "The district of an ORP (správní obvod obce s rozšířenou působností): the municipalities one "
            "municipality with extended powers serves; the unit community planning usually covers.",
            (Prop("code", S, "ČSÚ code (CIS0065), e.g. 7205; Praha 1000."), Prop("ruian_code", S, "RÚIAN code, e.g. 1431."), *_NAMED),
            "the ČSÚ ORP code (graph.keys.code), e.g. `7205`",
        ),
        NodeType(
            "Pou",
            "The district of a POU (správní obvod obce s pověřeným obecním úřadem): the municipalities one "
            "municipality with a delegated office serves; between the ORP district and the municipality.",
            (Prop("code", S, "ČSÚ code (CIS0061), e.g. 72051 (Napajedla); Praha 10000."),
             Prop("ruian_code", S, "RÚIAN code, e.g. 2887."), *_NAMED),
            "the ČSÚ POU code (graph.keys.code), e.g. `72051`",
        ),
        NodeType(
            "Region",
            "A NUTS region: a kraj (NUTS 3) or a cohesion region (NUTS 2).",
            (
                *_NAMED,
                Prop("name_en", S, "English name."),
                Prop("nuts_level", I, "NUTS level, 2 or 3."),
                Prop("country_code", S, "ISO 3166-1 alpha-2."),
            ),
            "the NUTS code (graph.keys.code), e.g. `CZ072`, `CZ07`",
        ),
        NodeType(
            "Country",
            "A country.",
            (
                *_NAMED,
                Prop("name_en", S, "English name."),
                Prop("alpha3", S, "ISO 3166-1 alpha-3 code."),
            ),
            "the ISO 3166-1 alpha-2 code (graph.keys.code), e.g. `CZ`",
        ),
        NodeType(
            "Microregion",
            "An area planned together: an ORP district or a microregion / union of municipalities.",
            (*_NAMED, Prop("kind", S, "CoverageKind.")),
            "mr:<slug of the name> (graph.keys.microregion), e.g. `mr:otrokovicko`",
        ),
        NodeType(
            "Programme",
            "An operational programme (operační program) that funds projects.",
            (
                Prop("code", S, "Programme code, e.g. CZ.1.04."),
                *_NAMED,
                Prop("name_en", S, "English name."),
                Prop("abbreviation", S, "Usual abbreviation, e.g. OP LZZ."),
                Prop("period_start", S, "First year of the programming period."),
                Prop("period_end", S, "Last year of the programming period."),
                Prop("fund", S, "Main EU fund, e.g. ESF."),
            ),
            "the programme code, the head of its registration numbers (graph.keys.code), e.g. `CZ.1.04`; "
            "`CZ.03+` for OP Z+ 2021–27, whose numbers begin CZ.03 as OP Z's do and are told apart by their form",
        ),
        NodeType(
            "PriorityAxis",
            "A priority axis (prioritní osa) or priority of a programme.",
            (Prop("code", S, "Number of the axis within its programme, e.g. 3."), *_NAMED),
            "<programme code>/<axis> (graph.keys.priority_axis), e.g. `CZ.1.04/3`",
        ),
        NodeType(
            "Call",
            "A call for proposals (výzva) or grant scheme under which projects were selected.",
            (
                Prop("code", S, "Number of the call, e.g. 65."),
                *_NAMED,
                Prop("area_of_support", S, "Area of support (oblast podpory), e.g. 3.1."),
            ),
            "the registration number up to the call (graph.keys.call), e.g. `CZ.1.04/3.1.03/65`; SROP "
            "`CZ.04.1.05/3.2.55.1`",
        ),
        NodeType(
            "TargetGroup",
            "A group of people a project serves (cílová skupina), from a controlled vocabulary.",
            (*_NAMED, Prop("aliases", S, "JSON array of the words sources used for it (senioři, seniory…).",
                           collected=True)),
            "tg:<slug of the vocabulary's name (data/reference/aliases.yaml, target_groups), else of the stated "
            "words> (graph.keys.target_group), e.g. `tg:rodiny-s-detmi`",
        ),
        NodeType(
            "Output",
            "What planning produced: a community or medium-term plan, an action plan, an analysis or a survey.",
            (
                *_NAMED,
                Prop("kind", S, "OutputKind."),
                Prop("period_start", S, "First year (or month, day) the plan is for, as precise as the source; not "
                     "the producing project's period."),
                Prop("period_end", S, "Last year (or month, day) the plan is for."),
            ),
            "out:<slug of the name>[@<period start>-<period end>]; a name that says no place (Akční plán "
            "rozvoje sociálních služeb) + '~' + the slug of the producing project's id (graph.keys.output), "
            "e.g. `out:komunitni-plan-socialnich-sluzeb-na-otrokovicku@2008-2012`, "
            "`out:akcni-plan@2018-2018~cz-03-2-63-0-0-0-0-16-063-0006529`",
        ),
        NodeType(
            "WorkingGroup",
            "A working group (pracovní skupina) of a community planning process.",
            _NAMED,
            "wg:<slug of the project's id>:<slug of the name> (graph.keys.working_group), e.g. "
            "`wg:cz-1-04-3-1-03-65-00042:seniori`",
        ),
        NodeType(
            "FundingShare",
            "One source's share of a project's money.",
            (
                Prop("source", S, "FundingSource."),
                Prop("stated_as", S, "The source's words for it, e.g. Evropský sociální fond."),
                Prop("amount_minor", I, "Amount in haléř."),
                Prop("percent", S, "Share of the budget in percent as a decimal, e.g. 85.00."),
                Prop("currency", S, "ISO 4217 currency, CZK."),
            ),
            "<project id>#<source>[-<slug of the provider's name key>] (graph.keys.funding_share), e.g. "
            "`CZ.1.04/3.1.00/05.00061#state_budget`, `CZ.1.04/3.1.00/05.00061#region-olomoucky-kraj`",
        ),
        NodeType(
            "SourceDocument",
            "A document facts were taken from: a project page or a structured file.",
            (
                Prop("title", S, "Title or file name."),
                Prop("uri", S, "Where it came from (file name or URL)."),
                Prop("sha256", S, "SHA-256 of its bytes."),
                Prop("media_type", S, "Media type, e.g. text/plain."),
                Prop("quotes", S, "JSON array of '<span>\\t<text>': the text of each span a fact cites, at most a "
                     "line of it.", collected=True),
                Prop("facts_sha256", S, "SHA-256 of the facts the product derives from it, on the territorial reference "
                     "data: a load leaves those facts as stored while it is the same (loaders/pipeline.py)."),
            ),
            "doc:<first 16 hex digits of the SHA-256> (graph.keys.source_document), e.g. `doc:196c834fdfbf4921`",
        ),
    )
}

# The store's own index of keys (not part of the published graph): one row per key of a keyed
# label, naming the node that holds it, so that a load finds the stored nodes sharing its keys by
# primary key on both backends rather than by scanning every node's ``keys``.
KEY_TABLES: dict[str, NodeType] = {
    f"{n.label}Key": NodeType(f"{n.label}Key", f"A key of a {n.label} node and the node holding it.",
                              (Prop("node", S, f"Id of the {n.label} holding the key."),), "the key itself")
    for n in NODES.values() if n.keyed
}

_PROVENANCE = (
    Prop("source", S, "Id of the SourceDocument stating this fact; of several, the first in id order."),
    Prop("span", S, "Character span start-end of the statement in that document."),
    Prop("sources", S, "JSON array of every '<document id>@<span>' stating this fact.", collected=True),
)
_ALL_BUT_DOCS = tuple(label for label in NODES if label != "SourceDocument")

RELS: dict[str, RelType] = {
    r.type: r
    for r in (
        RelType(
            "PARTICIPATES_IN",
            "An organisation's part in a project.",
            (("Organisation", "Project"),),
            (
                Prop("role", S, "Role."),
                Prop("role_stated", S, "The source's word for the role (příjemce, realizátor…)."),
                Prop("amount_minor", I, "Its money in the project in haléř, where known."),
                *_PROVENANCE,
            ),
            identity=("role",),
        ),
        RelType(
            "FUNDED_UNDER",
            "The most precise programme unit a project was funded under.",
            (("Project", "Call"), ("Project", "PriorityAxis"), ("Project", "Programme")),
            _PROVENANCE,
        ),
        RelType(
            "OF",
            "A call belongs to a priority axis, an axis to a programme.",
            (("Call", "PriorityAxis"), ("PriorityAxis", "Programme")),
            _PROVENANCE,
        ),
        RelType("HAS_FUNDING", "A project's funding share.", (("Project", "FundingShare"),), _PROVENANCE),
        RelType(
            "PROVIDED_BY",
            "The organisation that provided a funding share.",
            (("FundingShare", "Organisation"),),
            _PROVENANCE,
        ),
        RelType("SEATED_IN", "An organisation's seat.", (("Organisation", "Municipality"),), _PROVENANCE),
        RelType(
            "GOVERNS",
            "A municipality, region or union of municipalities as a legal person and its territory.",
            (("Organisation", "Municipality"), ("Organisation", "Region"), ("Organisation", "Microregion")),
            _PROVENANCE,
        ),
        RelType(
            "MANAGES",
            "The managing authority (řídící orgán) of a programme.",
            (("Organisation", "Programme"),),
            _PROVENANCE,
        ),
        RelType(
            "IN_REGION",
            "A municipality, okres, ORP or POU district or microregion lies in a region (NUTS 3).",
            (("Municipality", "Region"), ("Microregion", "Region"), ("Okres", "Region"), ("Orp", "Region"), ("Pou", "Region")),
            _PROVENANCE,
        ),
        RelType("IN_OKRES", "A municipality lies in an okres (LAU 1).", (("Municipality", "Okres"),), _PROVENANCE),
        RelType("IN_ORP", "A municipality or a POU district lies in an ORP district.", (("Municipality", "Orp"), ("Pou", "Orp")),
                _PROVENANCE),
        RelType("IN_POU", "A municipality lies in a POU district.", (("Municipality", "Pou"),), _PROVENANCE),
        RelType(
            "PART_OF",
            "A NUTS 3 region in its NUTS 2 region; a municipality in a microregion or ORP district.",
            (("Region", "Region"), ("Municipality", "Microregion")),
            _PROVENANCE,
        ),
        RelType(
            "IN_COUNTRY",
            "The country of a region, a foreign municipality or an organisation.",
            (("Region", "Country"), ("Municipality", "Country"), ("Organisation", "Country")),
            _PROVENANCE,
        ),
        RelType("FOLLOWS", "A project continues an earlier one.", (("Project", "Project"),), _PROVENANCE),
        RelType("TARGETS", "A project's target group.", (("Project", "TargetGroup"),), _PROVENANCE),
        RelType("PRODUCED", "A plan, analysis or survey a project produced.", (("Project", "Output"),), _PROVENANCE),
        RelType(
            "HAS_WORKING_GROUP", "A working group set up by a project.", (("Project", "WorkingGroup"),), _PROVENANCE
        ),
        RelType(
            "COVERS",
            "The area a project serves.",
            (("Project", "Municipality"), ("Project", "Region"), ("Project", "Microregion"), ("Project", "Orp")),
            _PROVENANCE,
        ),
        RelType(
            "DESCRIBED_BY",
            "A node is described by a source document.",
            tuple((label, "SourceDocument") for label in _ALL_BUT_DOCS),
            (Prop("spans", S, "JSON object: property -> character span start-end in the document."),),
        ),
    )
}


# --- what the GraphQL API leaves out ------------------------------------------------------------

# Node properties that no GraphQL field shows, for every label that has them, and why. Every other
# property of a label is a field of its GraphQL type (tests/test_model_exposed.py checks both ways),
# so a new property is either exposed or declared here with its reason.
NOT_IN_GRAPHQL: dict[str, str] = {
    "name_search": "derived search key of the name; filters match on it, the name itself is shown",
    "name_sort": "derived Czech collation key of the name; lists are ordered by it, the name is shown",
    "period_start_date": "derived earliest day of the start, for overlap filters; the start is shown as stated",
    "period_end_date": "derived latest day of the end, for overlap filters; the end is shown as stated",
    "keys": "identity bookkeeping: every id a source may give, so that loads meet; the one id is shown",
    "names_projects": "FOLLOWS links waiting for the other project's load; made links show as follows / followedBy",
    "quotes": "the words of the spans facts cite, shown with each fact as Provenance.quote",
    "facts_sha256": "load bookkeeping: whether the stored territory is what this version derives",
}


# --- records handed to the store -------------------------------------------------------------


@dataclass
class NodeRecord:
    label: str
    id: str
    props: dict[str, Any] = field(default_factory=dict)
    named_by_reference: bool = False  # its name is the reference data's: no other form replaces it


@dataclass
class RelRecord:
    type: str
    from_label: str
    from_id: str
    to_label: str
    to_id: str
    props: dict[str, Any] = field(default_factory=dict)

    def identity(self) -> tuple:
        return (self.from_id, self.to_id, *(self.props.get(p) for p in RELS[self.type].identity))


@dataclass
class GraphBatch:
    """Plain records for one all-or-nothing write."""

    nodes: list[NodeRecord] = field(default_factory=list)
    rels: list[RelRecord] = field(default_factory=list)

    def node(self, label: str, id: str, **props: Any) -> str:
        self.nodes.append(NodeRecord(label, id, props))
        return id

    def rel(self, type: str, from_: tuple[str, str], to: tuple[str, str], **props: Any) -> None:
        self.rels.append(RelRecord(type, from_[0], from_[1], to[0], to[1], props))

    def extend(self, other: GraphBatch) -> None:
        self.nodes.extend(other.nodes)
        self.rels.extend(other.rels)


class ModelError(ValueError):
    """A record does not fit the model (a programming error in a loader, not bad input)."""


_PYTHON_TYPES = {PropType.STRING: str, PropType.INT: int, PropType.BOOL: bool}


# Per label or type, each property's declared type and its Python type: every record of a batch is checked.
_TYPES: dict[str, dict[str, tuple[PropType, type]]] = {}


def _check_props(what: str, declared: tuple[Prop, ...], props: dict[str, Any]) -> None:
    types = _TYPES.get(what) or _TYPES.setdefault(what, {p.name: (p.type, _PYTHON_TYPES[p.type]) for p in declared})
    unknown = props.keys() - types.keys()
    if unknown:
        raise ModelError(f"{what} has no properties {sorted(unknown)}")
    for name, value in props.items():
        prop_type, expected = types[name]
        if value is None or type(value) is expected:  # nearly every value: one test
            continue
        # A subclass passes (a code list's StrEnum for a STRING), except a bool for an INT64.
        if not isinstance(value, expected) or (expected is not bool and isinstance(value, bool)):
            raise ModelError(f"{what}.{name} must be {prop_type.value}, not {value!r}")


def check_node(rec: NodeRecord) -> None:
    node = NODES.get(rec.label)
    if node is None:
        raise ModelError(f"unknown label {rec.label!r}")
    _check_props(rec.label, node.props, rec.props)


def check_rel(rec: RelRecord) -> None:
    rel = RELS.get(rec.type)
    if rel is None:
        raise ModelError(f"unknown relationship type {rec.type!r}")
    if (rec.from_label, rec.to_label) not in rel.pairs:
        raise ModelError(f"{rec.type} does not go from {rec.from_label} to {rec.to_label}")
    _check_props(rec.type, rel.props, rec.props)


# --- identity across loads ---------------------------------------------------------------------

_KEY_STRENGTH = {"Organisation": (keys.ICO, keys.GOVERNS), "Project": ()}


def key_strength(label: str, node_id: str) -> tuple[int, str]:
    """Which of two ids of one thing stays: an organisation's IČO, then its governed place, then
    its name key; a project's registration number before any ``name:`` key; ties by the id."""
    if label == "Project":
        return (1 if node_id.startswith(keys.PROJECT_NAME) else 0, node_id)
    strong = _KEY_STRENGTH.get(label, ())
    rank = next((i for i, prefix in enumerate(strong) if node_id.startswith(prefix)), len(strong))
    return (rank, node_id)


def collect(*values: str | None) -> str | None:
    """The union of collected values (JSON arrays), sorted: the same whatever the order."""
    items = {item for v in values if v for item in json.loads(v)}
    return json.dumps(sorted(items), ensure_ascii=False) if items else None


def collected(values: Any) -> str | None:
    """Values as a collected property."""
    items = sorted({v for v in values if v})
    return json.dumps(items, ensure_ascii=False) if items else None


def display_name(names: Any) -> str:
    """The name shown for a thing known by several: documented in docs/design.md ("Identity").
    Written with diacritics and not all in capitals first, then the most complete (longest), ties
    in Czech order — never the order in which sources came."""
    def rank(name: str) -> tuple:
        folded = fold(name)
        return (name.isupper(), folded == " ".join(name.casefold().split()), -len(folded), sort_key(name))

    return min(names, key=rank)


def with_derived(label: str, props: dict[str, Any]) -> dict[str, Any]:
    """Adds the search and sort keys of a named node."""
    name = props.get("name")
    if name and NODES[label].named:
        return {**props, "name_search": fold(name), "name_sort": sort_key(name)}
    return props


# --- money -----------------------------------------------------------------------------------

# The store's names for the one money rule (graph.values.Money).
money_to_minor = Money.to_minor
minor_to_money = Money.from_minor

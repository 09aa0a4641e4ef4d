"""GraphQL object types over the graph model; every type and field documented, Czech terms explained.

An object holds its node's row; fields that reach other nodes go through the request's
DataLoaders and facts (``schema.context``), so a nested query costs a fixed number of round trips.
"""

from __future__ import annotations

import json
from decimal import Decimal
from collections.abc import Callable, Iterable
from typing import Annotated, Any, ClassVar, Generic, TypeVar, overload

import strawberry
from strawberry.types import Info

from graph.model import Role as ModelRole
from graph.cypher.api import FACTS_OKRESY, FACTS_ORPS, FACTS_POUS
from graph.cypher.generated import Edge
from graph.model import RELS, minor_to_money
from graph.cypher.reads import FUNDED_UNDER_BY_PROJECT, FUNDING_BY_PROJECT
from schema.context import WORKING_ROLES, Row, data, sort_key
from schema.enums import CoverageKind, FundingSource, NodeLabel, OrganisationKind, OutputKind, Role
from schema.filters import (
    MunicipalityFilter,
    OrganisationFilter,
    OutputFilter,
    ProjectFilter,
    select_municipalities,
    select_outputs,
    select_organisations,
    select_projects,
)
from schema.paging import AFTER_DOC, FIRST_DOC, Connection, paginate

T = TypeVar("T")
First = Annotated[int | None, strawberry.argument(description=FIRST_DOC)]
After = Annotated[str | None, strawberry.argument(description=AFTER_DOC)]

# The edges the types walk, checked against the catalogue when this module is imported.
AXIS_OF = Edge("OF", "PriorityAxis", "Programme")
CALL_OF = Edge("OF", "Call", "PriorityAxis")
FOLLOWS = Edge("FOLLOWS", "Project", "Project")
HAS_WORKING_GROUP = Edge("HAS_WORKING_GROUP", "Project", "WorkingGroup")
MANAGES = Edge("MANAGES", "Organisation", "Programme")
MICROREGION_IN_REGION = Edge("IN_REGION", "Microregion", "Region")
MUNICIPALITY_IN_MICROREGION = Edge("PART_OF", "Municipality", "Microregion")
MUNICIPALITY_IN_OKRES = Edge("IN_OKRES", "Municipality", "Okres")
MUNICIPALITY_IN_ORP = Edge("IN_ORP", "Municipality", "Orp")
MUNICIPALITY_IN_POU = Edge("IN_POU", "Municipality", "Pou")
POU_IN_ORP = Edge("IN_ORP", "Pou", "Orp")
MUNICIPALITY_IN_REGION = Edge("IN_REGION", "Municipality", "Region")
PARTICIPATES_IN = Edge("PARTICIPATES_IN", "Organisation", "Project")
PRODUCED = Edge("PRODUCED", "Project", "Output")
PROJECT_DESCRIBED_BY = Edge("DESCRIBED_BY", "Project", "SourceDocument")
PROVIDED_BY = Edge("PROVIDED_BY", "FundingShare", "Organisation")
SEATED_IN = Edge("SEATED_IN", "Organisation", "Municipality")
TARGETS = Edge("TARGETS", "Project", "TargetGroup")


def _enum(enum: Any, value: str | None) -> Any:
    return None if value is None else enum(value)


@strawberry.type(description="An exact amount of money.")
class Money:
    amount: Decimal = strawberry.field(description="Exact decimal amount, to the haléř (1/100 CZK), as a string.")
    currency: str = strawberry.field(description="ISO 4217 currency code, CZK.")


@overload
def money(minor: int, currency: str | None = None) -> Money: ...


@overload
def money(minor: None, currency: str | None = None) -> None: ...


def money(minor: int | None, currency: str | None = None) -> Money | None:
    return None if minor is None else Money(amount=minor_to_money(minor), currency=currency or "CZK")


# --- pages of the lists that hang off objects (and the roots) ---------------------------------


async def project_page(info: Info, where: ProjectFilter | None, first: int | None, after: str | None,
                       **scope: set[str]) -> Connection[Project]:
    d = data(info)
    return paginate(await select_projects(d, where, **scope), sort_key, first, after, d.max_page_size, Project.of)


async def output_page(info: Info, where: OutputFilter | None, first: int | None, after: str | None) -> Connection[Output]:
    d = data(info)
    return paginate(await select_outputs(d, where), sort_key, first, after, d.max_page_size, Output.of)


async def organisation_page(info: Info, where: OrganisationFilter | None, first: int | None, after: str | None,
                            **scope: set[str]) -> Connection[Organisation]:
    d = data(info)
    rows = await select_organisations(d, where, **scope)
    return paginate(rows, sort_key, first, after, d.max_page_size, Organisation.of)


async def municipality_page(info: Info, where: MunicipalityFilter | None, first: int | None, after: str | None,
                            **scope: set[str]) -> Connection[Municipality]:
    d = data(info)
    rows = await select_municipalities(d, where, **scope)
    return paginate(rows, sort_key, first, after, d.max_page_size, Municipality.of)


ProjectsWhere = Annotated[ProjectFilter | None, strawberry.argument(description="Only projects matching this filter.")]
OrganisationsWhere = Annotated[OrganisationFilter | None, strawberry.argument(description="Only organisations matching this filter.")]


def _key(obj: Any) -> str:
    return getattr(obj, "id", None) or obj.code


def projects_field(scope: str, description: str) -> Any:
    """``projects(first, after, where)`` of an object: the root list narrowed to the object."""

    async def projects(self: Any, info: Info, first: First = None, after: After = None,
                       where: ProjectsWhere = None) -> Connection[Project]:
        return await project_page(info, where, first, after, **{scope: {_key(self)}})

    return strawberry.field(resolver=projects, description=description)


def organisations_field(scope: str, description: str) -> Any:
    """``organisations(first, after, where)`` of a place: the root list narrowed to the place."""

    async def organisations(self: Any, info: Info, first: First = None, after: After = None,
                            where: OrganisationsWhere = None) -> Connection[Organisation]:
        return await organisation_page(info, where, first, after, **{scope: {_key(self)}})

    return strawberry.field(resolver=organisations, description=description)


# --- places -----------------------------------------------------------------------------------


@strawberry.type(description="A country (stát).")
class Country:
    code: str = strawberry.field(description="ISO 3166-1 alpha-2 code, e.g. CZ.")
    name: str | None = strawberry.field(description="Name in Czech, e.g. Česko.")
    name_en: str | None = strawberry.field(description="Name in English.")
    alpha3: str | None = strawberry.field(description="ISO 3166-1 alpha-3 code, e.g. CZE.")

    @classmethod
    def of(cls, row: Row) -> Country:
        return cls(code=row["id"], name=row["name"], name_en=row["name_en"], alpha3=row["alpha3"])


async def country(info: Info, code: str | None) -> Country | None:
    if not code:
        return None
    row = await data(info).node("Country", code)
    return Country.of(row) if row else Country(code=code, name=None, name_en=None, alpha3=None)


@strawberry.type
class InCountry:
    """Base of the types whose nodes carry a country code."""

    country_code: strawberry.Private[str | None]

    @strawberry.field(description="The country (of the seat, for an organisation).")
    async def country(self, info: Info) -> Country | None:
        return await country(info, self.country_code)


@strawberry.type
class OfKind:
    """Base of the types that say what kind of organisation they are, by code and by name."""

    kind: OrganisationKind | None = strawberry.field(description="What kind of body it is.")

    @strawberry.field(description="The kind's name in Czech, as the model names it (e.g. Obec / město, "
                      "Spolek / občanské sdružení); what a page should show for `kind`.")
    def kind_name(self) -> str | None:
        return None if self.kind is None else self.kind.cs


@strawberry.type(description="A NUTS region: a kraj (self-governing region, NUTS 3) or a region soudržnosti "
                 "(cohesion region grouping kraje, NUTS 2).")
class Region(InCountry):
    code: str = strawberry.field(description="The NUTS code, e.g. CZ072 (Zlínský kraj) or CZ07 (Střední Morava).")
    name: str = strawberry.field(description="Name in the country's language, e.g. Zlínský kraj.")
    name_en: str | None = strawberry.field(description="Name in English.")
    nuts_level: int | None = strawberry.field(description="NUTS level: 3 for a kraj, 2 for a cohesion region.")
    parent_code: strawberry.Private[str | None]

    @classmethod
    def of(cls, row: Row) -> Region:
        return cls(code=row["id"], name=row["name"], name_en=row["name_en"], nuts_level=row["nuts_level"],
                   country_code=row["country_code"], parent_code=row.get("parent_id"))

    @strawberry.field(description="The NUTS 2 cohesion region a kraj belongs to.")
    async def parent(self, info: Info) -> Region | None:
        places = await data(info).places()
        row = places.region_by_id.get(self.parent_code or (places.region_by_id[self.code]["parent_id"] or ""))
        return Region.of(row) if row else None

    @strawberry.field(description="The kraje (NUTS 3) of a cohesion region, in Czech name order.")
    async def children(self, info: Info) -> list[Region]:
        places = await data(info).places()
        return [Region.of(r) for r in places.regions if r["parent_id"] == self.code]

    @strawberry.field(description="Municipalities (obce) in the region, in Czech name order.")
    async def municipalities(self, info: Info, first: First = None, after: After = None) -> Connection[Municipality]:
        return await municipality_page(info, None, first, after, region={self.code})

    organisations = organisations_field("region", "Organisations seated in or governing a place in the region, in Czech name order.")

    projects = projects_field("region", "Projects covering a place in the region, in Czech name order.")


async def region(info: Info, code: str | None) -> Region | None:
    row = (await data(info).places()).region_by_id.get(code or "")
    return Region.of(row) if row else None


@strawberry.type(description="A municipality (obec, město) as a place. The municipality as a legal person (obecní "
                 "úřad, Obec Bělov) is an Organisation of kind MUNICIPALITY that governs it.")
class Municipality(InCountry):
    id: strawberry.ID = strawberry.field(description="A Czech municipality's RÚIAN code (kód obce), e.g. 588318 (Bělov); abroad <NUTS code or country>:<slug of the name>, e.g. SK022:dubnica-nad-vahom.")
    name: str = strawberry.field(description="Name, e.g. Bělov.")
    lau_code: str | None = strawberry.field(description="Statistical code of the municipality (kód obce, LAU 2) where known.")
    orp: str | None = strawberry.field(description="Name of the ORP district it lies in: the obec s rozšířenou působností (municipality with extended powers) that administers state services for it.")
    is_orp: bool | None = strawberry.field(description="Whether it is itself an ORP (obec s rozšířenou působností, a type III municipality).")

    status: str | None = strawberry.field(description="obec, město, městys, statutární město, hlavní město or vojenský újezd (RÚIAN).")
    population: int | None = strawberry.field(description="Population at 1 January 2021 (ČSÚ).")
    latitude: float | None = strawberry.field(description="WGS 84 latitude of its main settlement.")
    longitude: float | None = strawberry.field(description="WGS 84 longitude of its main settlement.")

    @classmethod
    def of(cls, row: Row) -> Municipality:
        return cls(id=row["id"], name=row["name"], lau_code=row["lau_code"], orp=row["orp"], is_orp=row["is_orp"],
                   country_code=row["country_code"], status=row.get("status"), population=row.get("population"),
                   latitude=_float(row.get("lat")), longitude=_float(row.get("lon")))

    @strawberry.field(description="The okres (LAU 1) it lies in.")
    async def okres(self, info: Info) -> Okres | None:
        rows = await data(info).targets(MUNICIPALITY_IN_OKRES, self.id)
        return Okres.of(rows[0]) if rows else None

    @strawberry.field(description="The ORP district (správní obvod obce s rozšířenou působností) it lies in.")
    async def orp_district(self, info: Info) -> Orp | None:
        rows = await data(info).targets(MUNICIPALITY_IN_ORP, self.id)
        return Orp.of(rows[0]) if rows else None

    @strawberry.field(description="The POU district (správní obvod obce s pověřeným obecním úřadem) it lies in, "
                      "inside its ORP district.")
    async def pou_district(self, info: Info) -> Pou | None:
        rows = await data(info).targets(MUNICIPALITY_IN_POU, self.id)
        return Pou.of(rows[0]) if rows else None

    @strawberry.field(description="The kraj (NUTS 3 region) it lies in.")
    async def region(self, info: Info) -> Region | None:
        rows = await data(info).outgoing(MUNICIPALITY_IN_REGION, self.id)
        return await region(info, rows[0]["to_id"] if rows else None)

    organisations = organisations_field("municipality", "Organisations seated in it or governing it (the municipality's own body), in Czech name order.")

    projects = projects_field("municipality", "Projects covering it, directly or through a microregion or ORP district it belongs to, in Czech name order.")


def _float(text: str | None) -> float | None:
    return float(text) if text else None


@strawberry.type(description="A unit of the territorial division between the kraj and the municipality.")
class _Unit:
    code: str = strawberry.field(description="Its code.")
    ruian_code: str | None = strawberry.field(description="Its code in RÚIAN (the register of territorial identification).")
    name: str = strawberry.field(description="Name.")

    _facts: ClassVar[str]  # the statement reading every unit of the kind
    _in_region: ClassVar[Edge]
    _members: ClassVar[Edge]  # from its municipalities

    @classmethod
    def of(cls, row: Row) -> Any:
        return cls(code=row["id"], ruian_code=row["ruian_code"], name=row["name"])

    @classmethod
    async def every(cls, info: Info, region_code: str | None) -> list[Any]:
        """Every unit of the kind, in Czech name order; of one kraj, or of a cohesion region's kraje."""
        d = data(info)
        rows = sorted(await d.facts(cls._facts), key=sort_key)
        if region_code:
            wanted = (await d.places()).descendants(region_code)
            rows = [r for r in rows if r["region_id"] in wanted]
        return [cls.of(r) for r in rows]

    @strawberry.field(description="The kraj (NUTS 3 region) it lies in.")
    async def region(self, info: Info) -> Region | None:
        rows = await data(info).outgoing(self._in_region, self.code)
        return await region(info, rows[0]["to_id"] if rows else None)

    @strawberry.field(description="Its municipalities, in Czech name order.")
    async def municipalities(self, info: Info) -> list[Municipality]:
        return [Municipality.of(r) for r in await data(info).origins(self._members, self.code)]


@strawberry.type(description="The district of an ORP (správní obvod obce s rozšířenou působností): the municipalities "
                 "one municipality with extended powers serves, the unit community planning usually covers. Code: ČSÚ "
                 "CIS0065, e.g. 7205 (Otrokovice); Praha is 1000.")
class Orp(_Unit):
    _facts: ClassVar[str] = FACTS_ORPS
    _in_region: ClassVar[Edge] = Edge("IN_REGION", "Orp", "Region")
    _members: ClassVar[Edge] = MUNICIPALITY_IN_ORP

    @strawberry.field(description="Its POU districts (obce s pověřeným obecním úřadem), in Czech name order.")
    async def pous(self, info: Info) -> list[Pou]:
        return [Pou.of(r) for r in await data(info).origins(POU_IN_ORP, self.code)]


@strawberry.type(description="The district of a POU (správní obvod obce s pověřeným obecním úřadem): the "
                 "municipalities one municipality with a delegated office serves, between the ORP district and the "
                 "municipality. Code: ČSÚ CIS0061, e.g. 72051 (Napajedla); Praha is 10000.")
class Pou(_Unit):
    _facts: ClassVar[str] = FACTS_POUS
    _in_region: ClassVar[Edge] = Edge("IN_REGION", "Pou", "Region")
    _members: ClassVar[Edge] = MUNICIPALITY_IN_POU

    @strawberry.field(description="The ORP district it lies in.")
    async def orp_district(self, info: Info) -> Orp | None:
        rows = await data(info).targets(POU_IN_ORP, self.code)
        return Orp.of(rows[0]) if rows else None


@strawberry.type(description="An okres (district, LAU 1, formerly NUTS 4), e.g. CZ0724 (Zlín).")
class Okres(_Unit):
    _facts: ClassVar[str] = FACTS_OKRESY
    _in_region: ClassVar[Edge] = Edge("IN_REGION", "Okres", "Region")
    _members: ClassVar[Edge] = MUNICIPALITY_IN_OKRES


@strawberry.type(description="An area planned together: the district of an ORP (správní obvod obce s rozšířenou "
                 "působností) or a mikroregion / svazek obcí (union of municipalities), e.g. Otrokovicko.")
class Microregion:
    id: strawberry.ID = strawberry.field(description="mr:<slug of the name>, e.g. mr:otrokovicko.")
    name: str = strawberry.field(description="Name, e.g. Otrokovicko.")
    kind: CoverageKind | None = strawberry.field(description="ORP district or microregion.")

    @classmethod
    def of(cls, row: Row) -> Microregion:
        return cls(id=row["id"], name=row["name"], kind=_enum(CoverageKind, row["kind"]))

    @strawberry.field(description="The kraj it lies in.")
    async def region(self, info: Info) -> Region | None:
        rows = await data(info).outgoing(MICROREGION_IN_REGION, self.id)
        return await region(info, rows[0]["to_id"] if rows else None)

    @strawberry.field(description="Its municipalities, in Czech name order.")
    async def municipalities(self, info: Info) -> list[Municipality]:
        return [Municipality.of(r) for r in await data(info).origins(MUNICIPALITY_IN_MICROREGION, self.id)]


Place = Annotated[Municipality | Region | Microregion | Orp,
                  strawberry.union("Place", description="A place a project covers or an organisation governs.")]


_PLACE_TYPES: dict[str, type[Region] | type[Orp] | type[Microregion] | type[Municipality]] = {
    "Region": Region, "Orp": Orp, "Microregion": Microregion, "Municipality": Municipality}
# The edges to places, by (type, source): what an organisation governs, what a project covers.
_PLACE_EDGES = {(t, source): [Edge(t, source, label) for label in _PLACE_TYPES if (source, label) in RELS[t].pairs]
                for t, source in (("GOVERNS", "Organisation"), ("COVERS", "Project"))}


async def places(info: Info, rel: str, source: str, node_id: str) -> list[Any]:
    d = data(info)
    out: list[Any] = []
    for edge in _PLACE_EDGES[rel, source]:
        out += [_PLACE_TYPES[edge.target].of(r) for r in await d.targets(edge, node_id)]
    return out


# --- organisations and their part in projects ----------------------------------------------------


@strawberry.type(description="A legal person or public body that takes part in projects: a municipality or kraj "
                 "as a body, an NGO, a příspěvková organizace, a ministry…")
class Organisation(OfKind, InCountry):
    id: strawberry.ID = strawberry.field(description="ico:<IČO> when its IČO is known; a municipality's or kraj's body gov:<place id>; else org:<country>:<slug of the name without legal-form words>.")
    name: str = strawberry.field(description="Name as the sources give it.")
    ico: str | None = strawberry.field(description="IČO (identifikační číslo osoby), the 8-digit Czech identification number of a legal person.")
    legal_form: str | None = strawberry.field(description="Legal-form words as written, e.g. o.s. (občanské sdružení) or příspěvková organizace.")
    address: str | None = strawberry.field(description="Postal address of its seat (sídlo) as given.")
    website: str | None = strawberry.field(description="Web address.")
    aliases: list[str] = strawberry.field(description="Every name a source gave it, the display name among them, e.g. "
                                          "NADĚJE and Naděje o.s.")

    @classmethod
    def of(cls, row: Row) -> Organisation:
        return cls(id=row["id"], name=row["name"], ico=row["ico"], kind=_enum(OrganisationKind, row["kind"]),
                   legal_form=row["legal_form"], address=row["address"], website=row["website"],
                   aliases=json.loads(row.get("aliases") or "[]"), country_code=row["country_code"])

    @strawberry.field(description="The municipality of its seat (sídlo), where known.")
    async def seat(self, info: Info) -> Municipality | None:
        rows = await data(info).targets(SEATED_IN, self.id)
        return Municipality.of(rows[0]) if rows else None

    @strawberry.field(description="The municipality of its seat with where sources state it; empty where unknown.")
    async def seat_sourced(self, info: Info) -> list[Sourced[Municipality]]:
        return await sourced(info, [SEATED_IN], self.id, lambda _, r: Municipality.of(r))

    @strawberry.field(description="The kraj of its seat, or of the place it governs.")
    async def region(self, info: Info) -> Region | None:
        return await region(info, (await data(info).organisations()).seat_region.get(self.id))

    @strawberry.field(description="The territory it governs, for a municipality, kraj or union of municipalities.")
    async def governs(self, info: Info) -> list[Place]:
        return await places(info, "GOVERNS", "Organisation", self.id)

    @strawberry.field(description="Its part in each project, ordered by project name then role.")
    async def participations(self, info: Info, first: First = None, after: After = None,
                             role: Annotated[list[Role] | None, strawberry.argument(description="Only these roles.")] = None) -> Connection[Participation]:
        d = data(info)
        orgs, projects = await d.organisations(), await d.projects()
        roles = None if role is None else {r.value for r in role}
        rows = [p for p in orgs.participations.get(self.id, []) if roles is None or p["role"] in roles]

        def key(p: Row) -> tuple[str, str, str]:
            return (*sort_key(projects.by_id[p["project_id"]]), p["role"])

        return paginate(sorted(rows, key=key), key, first, after, d.max_page_size, Participation.of)

    projects = projects_field("organisation", "Projects it took part in (any role), in Czech name order.")

    @strawberry.field(description="Organisations that worked on a project with it (as beneficiary, partner or co-funder on "
                      "both sides), most shared projects first, then in Czech name order.")
    async def co_partners(self, info: Info, first: First = None, after: After = None) -> Connection[CoPartner]:
        d = data(info)
        orgs, projects = await d.organisations(), await d.projects()
        mine = {p["project_id"] for p in orgs.participations.get(self.id, []) if p["role"] in WORKING_ROLES}
        shared: dict[str, set[str]] = {}
        for pid in mine:
            for p in projects.participations.get(pid, []):
                if p["role"] in WORKING_ROLES and p["organisation_id"] != self.id:
                    shared.setdefault(p["organisation_id"], set()).add(pid)
        items = [CoPartner(organisation=Organisation.of(orgs.by_id[o]), shared_project_count=len(ps),
                           project_ids=sorted(ps, key=lambda i: sort_key(projects.by_id[i])))
                 for o, ps in shared.items()]

        def key(c: CoPartner) -> tuple[int, str, str]:
            return (-c.shared_project_count, *sort_key(orgs.by_id[c.organisation.id]))

        return paginate(sorted(items, key=key), key, first, after, d.max_page_size)


@strawberry.type(description="An organisation that shared projects with another one.")
class CoPartner:
    organisation: Organisation = strawberry.field(description="The other organisation.")
    shared_project_count: int = strawberry.field(description="How many projects both worked on.")
    project_ids: strawberry.Private[list[str]]

    @strawberry.field(description="The projects both worked on, in Czech name order.")
    async def shared_projects(self, info: Info) -> list[Project]:
        facts = await data(info).projects()
        return [Project.of(facts.by_id[i]) for i in self.project_ids]


@strawberry.type(description="An organisation's part in a project (the PARTICIPATES_IN edge).")
class Participation:
    role: Role = strawberry.field(description="The role, normalised.")
    role_stated: str | None = strawberry.field(description="The source's own word for the role, e.g. realizátor, příjemce, Partner na projektu.")
    amount: Money | None = strawberry.field(description="The organisation's money in the project (e.g. a co-funder's share), where known.")
    organisation_id: strawberry.Private[str]
    project_id: strawberry.Private[str]
    source_id: strawberry.Private[str | None]
    sources_json: strawberry.Private[str | None]

    @classmethod
    def of(cls, row: Row) -> Participation:
        return cls(role=_enum(Role, row["role"]), role_stated=row["role_stated"], amount=money(row["amount_minor"]),
                   organisation_id=row["organisation_id"], project_id=row["project_id"], source_id=row["source"],
                   sources_json=row.get("sources"))

    @strawberry.field(description="Every document that states this participation, with the span and its words.")
    def sources(self) -> list[Provenance]:
        return provenance(self.sources_json)

    @strawberry.field(description="The organisation.")
    async def organisation(self, info: Info) -> Organisation:
        row = await data(info).node("Organisation", self.organisation_id)
        assert row is not None, "a participation's edge joins two stored nodes"
        return Organisation.of(row)

    @strawberry.field(description="The project.")
    async def project(self, info: Info) -> Project:
        row = await data(info).node("Project", self.project_id)
        assert row is not None, "a participation's edge joins two stored nodes"
        return Project.of(row)

    @strawberry.field(description="The document that states this participation (of several, the first by id; see sources).")
    async def source(self, info: Info) -> SourceDocument | None:
        row = await data(info).node("SourceDocument", self.source_id) if self.source_id else None
        return SourceDocument.of(row) if row else None


# --- programmes ---------------------------------------------------------------------------------


@strawberry.type(description="An operational programme (operační program, OP) of EU cohesion policy that funds "
                 "projects, e.g. OP Lidské zdroje a zaměstnanost (OP LZZ).")
class Programme:
    code: str = strawberry.field(description="Programme code, e.g. CZ.1.04 (OP LZZ) or CZ.04.1.05 (SROP).")
    name: str = strawberry.field(description="Name in Czech.")
    name_en: str | None = strawberry.field(description="Name in English.")
    abbreviation: str | None = strawberry.field(description="Usual abbreviation, e.g. OP LZZ, SROP.")
    period_start: str | None = strawberry.field(description="First year of its programming period (programové období).")
    period_end: str | None = strawberry.field(description="Last year of its programming period.")
    fund: str | None = strawberry.field(description="Main EU fund, e.g. ESF (Evropský sociální fond) or ERDF.")

    @classmethod
    def of(cls, row: Row) -> Programme:
        return cls(code=row["id"], name=row["name"], name_en=row["name_en"], abbreviation=row["abbreviation"],
                   period_start=row["period_start"], period_end=row["period_end"], fund=row["fund"])

    @strawberry.field(description="Its priority axes (prioritní osy), by number.")
    async def priority_axes(self, info: Info) -> list[PriorityAxis]:
        rows = await data(info).origins(AXIS_OF, self.code)
        return [PriorityAxis.of(r) for r in sorted(rows, key=_by_number)]

    @strawberry.field(description="Its managing authority (řídící orgán), usually a ministry.")
    async def managing_authority(self, info: Info) -> Organisation | None:
        rows = await data(info).origins(MANAGES, self.code)
        return Organisation.of(rows[0]) if rows else None

    projects = projects_field("programme", "Projects funded under it, in Czech name order.")


def _by_number(row: Row) -> tuple:
    return tuple(int(p) if p.isdigit() else p for p in (row.get("code") or row["id"]).split("."))


@strawberry.type(description="A priority axis (prioritní osa) of a programme: one of its main lines of support.")
class PriorityAxis:
    id: strawberry.ID = strawberry.field(description="<programme code>/<axis number>, e.g. CZ.1.04/3.")
    code: str | None = strawberry.field(description="Number of the axis within its programme, e.g. 3.")
    name: str | None = strawberry.field(description="Name in Czech, e.g. Sociální integrace a rovné příležitosti.")

    @classmethod
    def of(cls, row: Row) -> PriorityAxis:
        return cls(id=row["id"], code=row["code"], name=row["name"])

    @strawberry.field(description="The programme.")
    async def programme(self, info: Info) -> Programme | None:
        rows = await data(info).targets(AXIS_OF, self.id)
        return Programme.of(rows[0]) if rows else None

    @strawberry.field(description="Its calls for proposals (výzvy) in the graph.")
    async def calls(self, info: Info) -> list[Call]:
        return [Call.of(r) for r in await data(info).origins(CALL_OF, self.id)]

    projects = projects_field("priority_axis", "Projects funded under it, in Czech name order.")


@strawberry.type(description="A call for proposals (výzva) or grant scheme (grantové schéma) under which projects were selected.")
class Call:
    id: strawberry.ID = strawberry.field(description="The registration number up to the call, e.g. CZ.1.04/3.1.03/65.")
    code: str | None = strawberry.field(description="Number of the call, e.g. 65.")
    name: str | None = strawberry.field(description="Name of the call, where known.")
    area_of_support: str | None = strawberry.field(description="Area of support (oblast podpory) of the call, e.g. 3.1.")

    @classmethod
    def of(cls, row: Row) -> Call:
        return cls(id=row["id"], code=row["code"], name=row["name"], area_of_support=row["area_of_support"])

    @strawberry.field(description="The priority axis it belongs to.")
    async def priority_axis(self, info: Info) -> PriorityAxis | None:
        rows = await data(info).targets(CALL_OF, self.id)
        return PriorityAxis.of(rows[0]) if rows else None

    projects = projects_field("call", "Projects selected in it, in Czech name order.")


# --- projects -----------------------------------------------------------------------------------


@strawberry.type(description="One source's share of a project's money (zdroj financování).")
class FundingShare:
    id: strawberry.ID = strawberry.field(description="<registration number>#<source>.")
    source: FundingSource | None = strawberry.field(description="Where the money came from.")
    stated_as: str | None = strawberry.field(description="The source's words for it, e.g. Evropský sociální fond, Státní rozpočet ČR.")
    amount: Money | None = strawberry.field(description="The amount.")
    percent: Decimal | None = strawberry.field(description="Share of the budget in percent, where stated.")
    sources_json: strawberry.Private[str | None]

    @strawberry.field(description="Every document that states this share, with the span and its words.")
    def sources(self) -> list[Provenance]:
        return provenance(self.sources_json)

    @strawberry.field(description="The organisation that provided the money, where known (e.g. the town co-funding).")
    async def provider(self, info: Info) -> Organisation | None:
        rows = await data(info).targets(PROVIDED_BY, self.id)
        return Organisation.of(rows[0]) if rows else None


@strawberry.type(description="A group of people a project serves (cílová skupina), e.g. senioři (older people), from a "
                 "controlled vocabulary: \"senioři\" and \"seniory\" are one group.")
class TargetGroup:
    id: strawberry.ID = strawberry.field(description="tg:<slug of the vocabulary's name, else of the stated words>.")
    name: str = strawberry.field(description="Name in Czech, e.g. osoby se zdravotním postižením (people with disabilities).")
    aliases: list[str] = strawberry.field(description="The words sources used for it, e.g. seniory, seniorů.")

    @classmethod
    def of(cls, row: Row) -> TargetGroup:
        return cls(id=row["id"], name=row["name"], aliases=json.loads(row.get("aliases") or "[]"))


@strawberry.type(description="A working group (pracovní skupina) of a community planning process, e.g. Senioři, "
                 "Rodina a děti.")
class WorkingGroup:
    id: strawberry.ID = strawberry.field(description="wg:<project>:<slug of the name>.")
    name: str = strawberry.field(description="Name in Czech.")


@strawberry.type(description="What planning produced: a community or medium-term plan (komunitní / střednědobý plán), "
                 "an action plan, an analysis or a survey.")
class Output:
    id: strawberry.ID = strawberry.field(description="out:<slug of the name>@<period>.")
    name: str = strawberry.field(description="Name in Czech, as the source writes it.")
    kind: OutputKind | None = strawberry.field(description="What it is.")
    start: str | None = strawberry.field(description="First year (or month, day) a plan is for — its own period, not "
                                         "the producing project's run.")
    end: str | None = strawberry.field(description="Last year a plan is for.")

    @strawberry.field(description="The kind's name in Czech, as the model names it (e.g. Komunitní plán); what a "
                      "page should show for `kind`.")
    def kind_name(self) -> str | None:
        return None if self.kind is None else self.kind.cs

    @classmethod
    def of(cls, row: Row) -> Output:
        return cls(id=row["id"], name=row["name"], kind=_enum(OutputKind, row["kind"]), start=row["period_start"],
                   end=row["period_end"])

    @strawberry.field(description="The projects that produced it.")
    async def produced_by(self, info: Info) -> list[Project]:
        return [Project.of(r) for r in await data(info).origins(PRODUCED, self.id)]

    @strawberry.field(description="Where a source says a project produced it: the document, address, span and words.")
    async def provenance(self, info: Info) -> list[Provenance]:
        return [p for edge in await data(info).incoming(PRODUCED, self.id)
                for p in provenance(edge.get("sources"))]


@strawberry.type(description="A document facts were taken from: a project page or a structured file.")
class SourceDocument:
    id: strawberry.ID = strawberry.field(description="doc:<first 16 hex digits of the SHA-256 of its bytes>.")
    title: str | None = strawberry.field(description="Title or file name.")
    uri: str | None = strawberry.field(description="Where it came from (file name or URL).")
    sha256: str | None = strawberry.field(description="SHA-256 of its bytes.")
    media_type: str | None = strawberry.field(description="Media type, e.g. application/yaml.")

    @classmethod
    def of(cls, row: Row) -> SourceDocument:
        return cls(id=row["id"], title=row["title"], uri=row["uri"], sha256=row["sha256"], media_type=row["media_type"])


@strawberry.type(description="Where a fact is stated: the document, its address, the character span and the words of "
                 "the span.")
class Provenance:
    fact: str | None = strawberry.field(description="Which of a project's own facts (start, end, total_cost_czk, name…); "
                                        "null for an edge's provenance (a participation, a funding share, a place covered…).")
    span: str | None = strawberry.field(description="Characters start-end of the statement in the document's text: a "
                                        "page's words, the record of a YAML or JSON file, a row of the territorial "
                                        "reference data; null where a CSV file states the fact (its rows are streamed).")
    document_id: strawberry.Private[str]

    async def _document(self, info: Info) -> Row | None:
        return await data(info).node("SourceDocument", self.document_id)

    @strawberry.field(description="The document.")
    async def document(self, info: Info) -> SourceDocument | None:
        row = await self._document(info)
        return SourceDocument.of(row) if row else None

    @strawberry.field(description="The document's address: its URL for a page read from the web, its file name for a file.")
    async def address(self, info: Info) -> str | None:
        row = await self._document(info)
        return row["uri"] if row else None

    @strawberry.field(description="The words of the span: its first line, at most 160 characters (contact details left "
                      "out unless the load published them); null for a row of the territorial reference data.")
    async def quote(self, info: Info) -> str | None:
        row = await self._document(info)
        quotes = dict(q.split("\t", 1) for q in json.loads((row or {}).get("quotes") or "[]"))
        return quotes.get(self.span) if self.span else None


def provenance(sources: str | None) -> list[Provenance]:
    """An edge's ``sources`` (JSON array of '<document id>@<span>') as Provenance."""
    pairs = (entry.rpartition("@") for entry in json.loads(sources or "[]"))
    return [Provenance(fact=None, span=span or None, document_id=doc) for doc, _, span in pairs]


@strawberry.type(description="One fact the graph holds as an edge between two nodes (a seat, a participation, a place "
                 "covered, a kraj a municipality lies in…), with where sources state it.")
class Statement:
    predicate: str = strawberry.field(description="The relationship of the model, e.g. SEATED_IN, PARTICIPATES_IN, "
                                      "COVERS, IN_REGION (docs/design.md lists them).")
    subject_label: NodeLabel = strawberry.field(description="The kind of node the edge goes from.")
    subject_id: strawberry.ID = strawberry.field(description="The id of the node the edge goes from.")
    object_label: NodeLabel = strawberry.field(description="The kind of node the edge goes to.")
    object_id: strawberry.ID = strawberry.field(description="The id of the node the edge goes to.")
    role: Role | None = strawberry.field(description="A participation's role: one organisation's two roles in one "
                                         "project are two statements. Null for other relationships.")
    sources_json: strawberry.Private[str | None]

    @strawberry.field(description="Every document that states it, with the span and its words.")
    def sources(self) -> list[Provenance]:
        return provenance(self.sources_json)


# Every edge of the model that sources state, by label pair.
_STATED = [edge for edge in Edge.every() if "sources" in RELS[edge.type].prop_names]


async def statement_page(info: Info, label: str, node_id: str, first: int | None, after: str | None) -> Connection[Statement]:
    """Every sourced edge from or to a node, by relationship, then the ends' ids and the role."""
    d, out = data(info), []
    for edge in _STATED:
        rows = (await d.outgoing(edge, node_id) if edge.source == label else []) + (
            await d.incoming(edge, node_id) if edge.target == label else [])
        out += [Statement(predicate=edge.type, subject_label=NodeLabel(edge.source), subject_id=r["from_id"],
                          object_label=NodeLabel(edge.target), object_id=r["to_id"],
                          role=_enum(Role, r.get("role")), sources_json=r.get("sources"))
                for r in rows]

    def key(s: Statement) -> tuple[str, str, str, str]:
        return (s.predicate, s.subject_id, s.object_id, s.role.value if s.role else "")

    return paginate(sorted(out, key=key), key, first, after, d.max_page_size)


@strawberry.type(description="What an edge leads to, with where sources state the edge.")
class Sourced(Generic[T]):
    node: T = strawberry.field(description="The node at the other end of the edge.")
    sources_json: strawberry.Private[str | None]

    @strawberry.field(description="Where sources state the edge: the document, its address, the span and its words.")
    def sources(self) -> list[Provenance]:
        return provenance(self.sources_json)


async def sourced(info: Info, rels: Iterable[Edge], node_id: str, make: Callable[[Edge, Row], Any],
                  into: bool = False) -> list[Sourced]:
    """The nodes at the other end of the edges ``rels`` from (or, ``into``, to) a node, each with its
    edge's sources: per edge type, then in name order."""
    d = data(info)
    out: list[Sourced] = []
    for rel in rels:
        edges = await (d.incoming(rel, node_id) if into else d.outgoing(rel, node_id))
        ends = {e["from_id" if into else "to_id"]: e.get("sources") for e in edges}
        rows = sorted(await d.nodes(rel.source if into else rel.target, list(ends)), key=sort_key)
        out += [Sourced(node=make(rel, r), sources_json=ends[r["id"]]) for r in rows]
    return out


@strawberry.type(description="A publicly funded project (projekt) of community planning of social services "
                 "(komunitní plánování sociálních služeb, KPSS).")
class Project:
    registration_number: strawberry.ID = strawberry.field(description="Registration number (registrační číslo), e.g. CZ.1.04/3.1.03/65.00042; also the project's id.")
    name: str = strawberry.field(description="Name in Czech.")
    description: str | None = strawberry.field(description="What the project set out to do, as the source says (in Czech).")
    start: str | None = strawberry.field(description="Start as precise as the source: YYYY, YYYY-MM or YYYY-MM-DD.")
    end: str | None = strawberry.field(description="End as precise as the source.")
    total_cost: Money | None = strawberry.field(description="Total cost (celkové náklady / celkové způsobilé výdaje).")
    area_of_support: str | None = strawberry.field(description="Area of support (oblast podpory) or measure (opatření), e.g. 3.1.")
    programme_stated: str | None = strawberry.field(description="The programme as the source names it, verbatim.")

    @classmethod
    def of(cls, row: Row) -> Project:
        return cls(registration_number=row["id"], name=row["name"], description=row["description"],
                   start=row["period_start"], end=row["period_end"],
                   total_cost=money(row["total_cost_minor"], row["currency"]),
                   area_of_support=row["area_of_support"], programme_stated=row["programme_stated"])

    async def _participations(self, info: Info) -> list[Row]:
        """By role, then the organisations in Czech name order."""
        d = data(info)
        edges = await d.incoming(PARTICIPATES_IN, self.registration_number)
        orgs = {o["id"]: o for o in await d.nodes("Organisation", [e["from_id"] for e in edges])}
        rows = [{**e, "organisation_id": e["from_id"], "project_id": e["to_id"]} for e in edges]
        return sorted(rows, key=lambda p: (p["role"], *sort_key(orgs.get(p["organisation_id"], {"id": p["organisation_id"]}))))

    async def _funded_under(self, info: Info) -> Row:
        rows = await data(info).grouped(FUNDED_UNDER_BY_PROJECT, "project_id", self.registration_number)
        return rows[0] if rows else {}

    @strawberry.field(description="Who took part in which role, by role, then the organisations in Czech name order.")
    async def participations(self, info: Info, role: Annotated[list[Role] | None, strawberry.argument(description="Only these roles.")] = None) -> list[Participation]:
        roles = None if role is None else {r.value for r in role}
        return [Participation.of(p)
                for p in await self._participations(info) if roles is None or p["role"] in roles]

    async def _organisations(self, info: Info, role: str) -> list[Organisation]:
        ids = [p["organisation_id"] for p in await self._participations(info) if p["role"] == role]
        return [Organisation.of(r) for r in await data(info).nodes("Organisation", ids)]

    @strawberry.field(description="Its partners (partneři), in Czech name order.")
    async def partners(self, info: Info) -> list[Organisation]:
        return await self._organisations(info, ModelRole.PARTNER.value)

    @strawberry.field(description="The beneficiary (příjemce, realizátor): the organisation that received the grant and ran the project.")
    async def beneficiary(self, info: Info) -> Organisation | None:
        found = await self._organisations(info, ModelRole.BENEFICIARY.value)
        return found[0] if found else None

    @strawberry.field(description="The operational programme (operační program) it was funded under.")
    async def programme(self, info: Info) -> Programme | None:
        pid = (await self._funded_under(info)).get("programme_id")
        row = await data(info).node("Programme", pid) if pid else None
        return Programme.of(row) if row else None

    @strawberry.field(description="The priority axis (prioritní osa) it was funded under.")
    async def priority_axis(self, info: Info) -> PriorityAxis | None:
        aid = (await self._funded_under(info)).get("axis_id")
        row = await data(info).node("PriorityAxis", aid) if aid else None
        return PriorityAxis.of(row) if row else None

    @strawberry.field(description="The call for proposals (výzva) it was selected in.")
    async def call(self, info: Info) -> Call | None:
        cid = (await self._funded_under(info)).get("call_id")
        row = await data(info).node("Call", cid) if cid else None
        return Call.of(row) if row else None

    @strawberry.field(description="Where its money came from (zdroje financování), largest share first.")
    async def funding(self, info: Info) -> list[FundingShare]:
        rows = await data(info).grouped(FUNDING_BY_PROJECT, "project_id", self.registration_number)
        return [FundingShare(id=r["id"], source=_enum(FundingSource, r["source"]), stated_as=r["stated_as"],
                             amount=money(r["amount_minor"], r["currency"]),
                             percent=Decimal(r["percent"]) if r["percent"] else None, sources_json=r["sources"])
                for r in rows]

    @strawberry.field(description="Earlier projects this one continues (navazuje na).")
    async def follows(self, info: Info) -> list[Project]:
        return [Project.of(r) for r in await data(info).targets(FOLLOWS, self.registration_number)]

    @strawberry.field(description="Later projects that continue this one.")
    async def followed_by(self, info: Info) -> list[Project]:
        return [Project.of(r) for r in await data(info).origins(FOLLOWS, self.registration_number)]

    @strawberry.field(description="The area it serves: kraje, microregions or ORP districts, municipalities.")
    async def covers(self, info: Info) -> list[Place]:
        return await places(info, "COVERS", "Project", self.registration_number)

    @strawberry.field(description="Earlier projects this one continues, each with where sources state it.")
    async def follows_sourced(self, info: Info) -> list[Sourced[Project]]:
        return await sourced(info, [FOLLOWS], self.registration_number, lambda _, r: Project.of(r))

    @strawberry.field(description="Later projects that continue this one, each with where sources state it.")
    async def followed_by_sourced(self, info: Info) -> list[Sourced[Project]]:
        return await sourced(info, [FOLLOWS], self.registration_number, lambda _, r: Project.of(r), into=True)

    @strawberry.field(description="The places it covers, each with where sources state it.")
    async def covers_sourced(self, info: Info) -> list[Sourced[Place]]:
        return await sourced(info, _PLACE_EDGES["COVERS", "Project"], self.registration_number,
                             lambda rel, r: _PLACE_TYPES[rel.target].of(r))

    @strawberry.field(description="The groups of people it serves (cílové skupiny).")
    async def target_groups(self, info: Info) -> list[TargetGroup]:
        rows = await data(info).targets(TARGETS, self.registration_number)
        return [TargetGroup.of(r) for r in rows]

    @strawberry.field(description="The target groups it serves, each with where sources state it.")
    async def target_groups_sourced(self, info: Info) -> list[Sourced[TargetGroup]]:
        return await sourced(info, [TARGETS], self.registration_number, lambda _, r: TargetGroup.of(r))

    @strawberry.field(description="The working groups (pracovní skupiny) of its planning process.")
    async def working_groups(self, info: Info) -> list[WorkingGroup]:
        rows = await data(info).targets(HAS_WORKING_GROUP, self.registration_number)
        return [WorkingGroup(id=r["id"], name=r["name"]) for r in rows]

    @strawberry.field(description="What it produced: plans (with the period each is for), analyses, surveys.")
    async def outputs(self, info: Info) -> list[Output]:
        return [Output.of(r) for r in await data(info).targets(PRODUCED, self.registration_number)]

    @strawberry.field(description="Where its own facts are stated — name, dates (start, end), amounts (total_cost_czk), "
                      "registration number… — one entry per fact and document, with the span and its words.")
    async def provenance(self, info: Info) -> list[Provenance]:
        rows = await data(info).outgoing(PROJECT_DESCRIBED_BY, self.registration_number)
        return [Provenance(fact=fact, span=span, document_id=r["to_id"])
                for r in sorted(rows, key=lambda r: r["to_id"])
                for fact, span in sorted(json.loads(r.get("spans") or "{}").items()) if span]

    @strawberry.field(description="The documents its facts were taken from.")
    async def sources(self, info: Info) -> list[SourceDocument]:
        rows = await data(info).outgoing(PROJECT_DESCRIBED_BY, self.registration_number)
        docs = await data(info).nodes("SourceDocument", sorted({r["to_id"] for r in rows}))
        return [SourceDocument.of(r) for r in docs]

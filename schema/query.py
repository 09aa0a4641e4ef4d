"""Root fields and the schema."""

from __future__ import annotations

from typing import Annotated

import strawberry
from strawberry.extensions import AddValidationRules, MaxAliasesLimiter, MaxTokensLimiter, QueryDepthLimiter
from strawberry.types import Info

from graph.cypher.api import FACTS_PROGRAMMES
from schema import analytics
from schema.analytics import (
    OrganisationPath,
    PartnershipNetwork,
    RolesArg,
    SearchHit,
    SearchKind,
    FundingSummary,
)
from schema.context import data, sort_key
from schema.documents import ParsedOnce, ValidatedOnce
from schema.enums import FundingGroupBy, NodeLabel
from schema.errors import ErrorCodes, bad_input
from schema.limits import KEY_DOC, MAX_KEY_LENGTH, TEXT_DOC, QueryLimits, RequestLimits
from schema.filters import (
    MunicipalityFilter, OrganisationFilter, OutputFilter, ProjectFilter, country_codes, text_matches, words,
)
from schema.paging import Connection
from schema.types import (
    After,
    First,
    Municipality,
    Okres,
    Orp,
    Pou,
    Organisation,
    Output,
    Programme,
    Project,
    Region,
    Statement,
    municipality_page,
    organisation_page,
    output_page,
    project_page,
    region,
    statement_page,
)


def _arg(description: str):
    return strawberry.argument(description=description)


# The units of one kraj, or of the kraje of a cohesion region.
_InRegion = Annotated[str | None, _arg(f"Only those in this kraj, or in the kraje of this cohesion region (NUTS code). {KEY_DOC}")]


@strawberry.type(description="Community planning of social services (komunitní plánování sociálních služeb, KPSS) "
                 "in Czechia: projects, the organisations that ran or joined them, the places they cover and the "
                 "programmes that funded them.")
class Query:
    @strawberry.field(description="A project by its registration number (registrační číslo); null when unknown.")
    async def project(self, info: Info, registration_number: Annotated[str, _arg(f"E.g. CZ.1.04/5.1.01/12.00075. {KEY_DOC}")]) -> Project | None:
        row = await data(info).node("Project", registration_number)
        return Project.of(row) if row else None

    @strawberry.field(description="Projects, in Czech name order.")
    async def projects(self, info: Info, where: Annotated[ProjectFilter | None, _arg("Only projects matching this filter.")] = None,
                       first: First = None, after: After = None) -> Connection[Project]:
        return await project_page(info, where, first, after)

    @strawberry.field(description="An organisation by its id (ico:<IČO>, gov:<place>, org:<country>:<slug>); null when unknown.")
    async def organisation(self, info: Info, id: Annotated[strawberry.ID, _arg(f"E.g. ico:70891320 or gov:CZ072:belov. {KEY_DOC}")]) -> Organisation | None:
        row = await data(info).node("Organisation", id)
        return Organisation.of(row) if row else None

    @strawberry.field(description="Organisations, in Czech name order.")
    async def organisations(self, info: Info, where: Annotated[OrganisationFilter | None, _arg("Only organisations matching this filter.")] = None,
                            first: First = None, after: After = None) -> Connection[Organisation]:
        return await organisation_page(info, where, first, after)

    @strawberry.field(description="What planning produced — community, medium-term and action plans with the period each "
                      "is for, analyses, surveys — in Czech name order. Which plans cover ORP Kroměříž and when: "
                      "`outputs(where: {project: {municipality: [\"CZ072:kromeriz\"]}}) { nodes { name start end } }`.")
    async def outputs(self, info: Info, where: Annotated[OutputFilter | None, _arg("Only outputs matching this filter.")] = None,
                      first: First = None, after: After = None) -> Connection[Output]:
        return await output_page(info, where, first, after)

    @strawberry.field(description="Every fact the graph holds as an edge from or to a node — its seat, participations, "
                      "places covered, the kraj, okres and ORP district a municipality lies in… — each with the documents, "
                      "spans and words that state it; by relationship, then the ends' ids. Empty for an unknown node.")
    async def statements(self, info: Info, label: Annotated[NodeLabel, _arg("The kind of node.")],
                         id: Annotated[strawberry.ID, _arg(f"Its id, e.g. ico:70891320. {KEY_DOC}")],
                         first: First = None, after: After = None) -> Connection[Statement]:
        return await statement_page(info, label.value, id, first, after)

    @strawberry.field(description="An operational programme (operační program) by its code, e.g. CZ.1.04; null when unknown.")
    async def programme(self, info: Info, code: Annotated[str, _arg(f"E.g. CZ.1.04. {KEY_DOC}")]) -> Programme | None:
        row = await data(info).node("Programme", code)
        return Programme.of(row) if row else None

    @strawberry.field(description="All operational programmes (a short, fixed list), in Czech name order.")
    async def programmes(self, info: Info, text: Annotated[str | None, _arg(f"Words in the name, case and diacritics ignored. {TEXT_DOC}")] = None) -> list[Programme]:
        tokens = words(text)
        rows = sorted(await data(info).facts(FACTS_PROGRAMMES), key=sort_key)
        return [Programme.of(r) for r in rows if text_matches(tokens, r["name"], r["abbreviation"], r["id"])]

    @strawberry.field(description="A NUTS region by its code, e.g. CZ072 (Zlínský kraj); null when unknown.")
    async def region(self, info: Info, code: Annotated[str, _arg(f"NUTS code, e.g. CZ072. {KEY_DOC}")]) -> Region | None:
        return await region(info, code)

    @strawberry.field(description="NUTS regions (a short, fixed list: kraje and cohesion regions), in Czech name order.")
    async def regions(self, info: Info,
                      nuts_level: Annotated[int | None, _arg("Only this NUTS level: 3 for kraje, 2 for cohesion regions.")] = None,
                      country: Annotated[str | None, _arg(f"Only this ISO alpha-2 country. {KEY_DOC}")] = None,
                      text: Annotated[str | None, _arg(f"Words in the name, case and diacritics ignored. {TEXT_DOC}")] = None) -> list[Region]:
        if nuts_level is not None and not 0 <= nuts_level <= 3:
            raise bad_input(f"`nutsLevel` is {nuts_level}, but NUTS levels are 0 to 3 (3 for kraje, 2 for cohesion regions)")
        if country is not None:
            country_codes([country], "country")
        tokens = words(text)
        return [Region.of(r) for r in (await data(info).places()).regions
                if (nuts_level is None or r["nuts_level"] == nuts_level) and (country is None or r["country_code"] == country)
                and text_matches(tokens, r["name"], r["name_en"], r["id"])]

    @strawberry.field(description="A municipality (obec) by its id or by its RÚIAN code (kód obce, e.g. 585599 "
                      "Otrokovice; a Czech municipality's id is its code); null when unknown.")
    async def municipality(self, info: Info, id: Annotated[strawberry.ID | None, _arg(f"E.g. 585599, or SK022:dubnica-nad-vahom abroad. {KEY_DOC}")] = None,
                           code: Annotated[str | None, _arg(f"RÚIAN code, e.g. 585599. {KEY_DOC}")] = None) -> Municipality | None:
        key = id if id is not None else code
        if key is None or (id is not None and code is not None):
            raise bad_input("give exactly one of `id` and `code`")
        row = await data(info).node("Municipality", key)
        return Municipality.of(row) if row else None

    @strawberry.field(description="An ORP district by its ČSÚ code, e.g. 7205 (Otrokovice); null when unknown.")
    async def orp(self, info: Info, code: Annotated[str, _arg(f"ČSÚ ORP code (CIS0065), e.g. 7205. {KEY_DOC}")]) -> Orp | None:
        row = await data(info).node("Orp", code)
        return Orp.of(row) if row else None

    @strawberry.field(description="The 206 ORP districts (205 and Praha), in Czech name order.")
    async def orps(self, info: Info, region: _InRegion = None) -> list[Orp]:
        return await Orp.every(info, region)

    @strawberry.field(description="A POU district (obec s pověřeným obecním úřadem) by its ČSÚ code, e.g. 72051 "
                      "(Napajedla); null when unknown.")
    async def pou(self, info: Info, code: Annotated[str, _arg(f"ČSÚ POU code (CIS0061), e.g. 72051. {KEY_DOC}")]) -> Pou | None:
        row = await data(info).node("Pou", code)
        return Pou.of(row) if row else None

    @strawberry.field(description="The 393 POU districts, in Czech name order.")
    async def pous(self, info: Info, region: _InRegion = None) -> list[Pou]:
        return await Pou.every(info, region)

    @strawberry.field(description="An okres (LAU 1) by its code, e.g. CZ0724 (Zlín); null when unknown.")
    async def okres(self, info: Info, code: Annotated[str, _arg(f"LAU 1 code, e.g. CZ0724. {KEY_DOC}")]) -> Okres | None:
        row = await data(info).node("Okres", code)
        return Okres.of(row) if row else None

    @strawberry.field(description="The 77 okresy (LAU 1), in Czech name order.")
    async def okresy(self, info: Info, region: _InRegion = None) -> list[Okres]:
        return await Okres.every(info, region)

    @strawberry.field(description="Municipalities (obce), in Czech name order.")
    async def municipalities(self, info: Info, where: Annotated[MunicipalityFilter | None, _arg("Only municipalities matching this filter.")] = None,
                             first: First = None, after: After = None) -> Connection[Municipality]:
        return await municipality_page(info, where, first, after)

    @strawberry.field(description="Search across projects, organisations, places at every level (municipality, ORP "
                      "district, POU district, okres, microregion, kraj and cohesion region), programmes, priority axes, calls and "
                      "target groups by name (and a project's registration number, an organisation's IČO, a unit's code), ignoring "
                      "case and diacritics: every word must occur. Exact names first, then names starting with the text, "
                      "then the rest; within each, by kind and in Czech name order.")
    async def search(self, info: Info, text: Annotated[str, _arg(f"The words to look for, e.g. belov or zlinsky kraj. {TEXT_DOC}")],
                     kinds: Annotated[list[SearchKind] | None, _arg("Only these kinds.")] = None,
                     first: First = None, after: After = None) -> Connection[SearchHit]:
        return await analytics.search(info, text, kinds, first, after)

    @strawberry.field(description="Organisations that took part in every one of the given projects, in Czech name order.")
    async def common_partners(self, info: Info,
                              registration_numbers: Annotated[list[str], _arg(f"Registration numbers of the projects, each at most {MAX_KEY_LENGTH} characters.")],
                              roles: RolesArg = None, first: First = None, after: After = None) -> Connection[Organisation]:
        return await analytics.common_partners(info, registration_numbers, roles, first, after)

    @strawberry.field(description="A shortest chain of shared projects linking two organisations (A worked with B on one "
                      "project, B with C on another…); null when there is none within maxHops projects.")
    async def path(self, info: Info, from_: Annotated[strawberry.ID, strawberry.argument(name="from", description=f"Id of the first organisation. {KEY_DOC}")],
                   to: Annotated[strawberry.ID, _arg(f"Id of the other organisation. {KEY_DOC}")],
                   max_hops: Annotated[int, _arg(f"Longest chain accepted, in projects (at most {analytics.MAX_PATH_HOPS}).")] = 4,
                   roles: RolesArg = None) -> OrganisationPath | None:
        return await analytics.path(info, from_, to, max_hops, roles)

    @strawberry.field(description="The partnership network of the projects matching `where`: organisations linked by the "
                      "projects they shared, with degree, weighted degree, betweenness and community computed by networkx.")
    async def partnership_network(self, info: Info, where: Annotated[ProjectFilter | None, _arg("The projects to build the network from.")] = None,
                                  roles: RolesArg = None) -> PartnershipNetwork:
        return await analytics.partnership_network(info, where, roles)

    @strawberry.field(description="Money totals and project counts of the projects matching `where`, grouped by programme, "
                      "priority axis, region (kraj), start year or funding source — and with `thenBy` by two of them at once "
                      "(programme × year, kraj × funding source), so that a dashboard needs no pivot of its own.")
    async def funding_summary(self, info: Info, group_by: Annotated[FundingGroupBy, _arg("How to group.")],
                              where: Annotated[ProjectFilter | None, _arg("Only projects matching this filter.")] = None,
                              then_by: Annotated[FundingGroupBy | None, _arg("Group each group again by this (its subgroups).")] = None,
                              ) -> FundingSummary:
        return await analytics.funding_summary(info, group_by, where, then_by)


DOCUMENTS_CACHED = 256  # query texts


class _Schema(strawberry.Schema):
    def process_errors(self, errors, execution_context=None) -> None:
        """Errors are the client's to read; ErrorCodes logs the unexpected ones."""


def make_schema(limits: QueryLimits | None = None) -> strawberry.Schema:
    """The schema; with ``limits`` (the server's), refusing queries deeper, longer, costlier or with
    more aliases than they allow, and strings longer than their argument accepts (one request must
    not keep the server busy for everyone else). Without, the types alone (the committed SDL)."""
    if limits is None:
        return _Schema(query=Query, extensions=[ErrorCodes])
    # Each query text parsed and validated once (schema/documents.py); the rules made once, as the
    # validation cache's key holds them.
    rules = [*QueryDepthLimiter(max_depth=limits.max_depth).validation_rules,
             *MaxAliasesLimiter(max_alias_count=limits.max_aliases).validation_rules]
    return _Schema(query=Query, extensions=[
        lambda: RequestLimits(max_cost=limits.max_cost, weights=limits.weights, page_size=limits.page_size),
        lambda: AddValidationRules(rules),
        lambda: MaxTokensLimiter(max_token_count=limits.max_tokens),
        lambda: ParsedOnce(maxsize=DOCUMENTS_CACHED),
        lambda: ValidatedOnce(maxsize=DOCUMENTS_CACHED),
        ErrorCodes,
    ])

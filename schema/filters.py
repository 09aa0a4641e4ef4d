"""Filter inputs and how they select from the request's facts.

Every field of a filter narrows the result (they compose with AND); a list field matches any of
its values (a single value may be given instead of a list). Filters reach through relationships:
projects by their programme, place, participants and those participants' kind or country;
organisations by their place and by the projects they took part in. Text matching ignores case and
diacritics: every word of the text must occur in the name ("belov" finds "Obec Bělov").
"""

from __future__ import annotations

import re
from decimal import Decimal

import strawberry

from graph.model import money_to_minor
from graph.text import fold
from loaders.resolve import period_bounds
from schema.context import Data, OrganisationFacts, Row
from schema.enums import OrganisationKind, Role
from schema.errors import bad_input

_DATE = re.compile(r"^\d{4}(-\d{2}(-\d{2})?)?$")


def words(text: str | None) -> list[str]:
    return fold(text or "").split()


def text_matches(tokens: list[str], *haystacks: str | None) -> bool:
    hay = " ".join(fold(h) for h in haystacks if h)
    return all(t in hay for t in tokens)


@strawberry.input(description="A time span given as precisely as known: YYYY, YYYY-MM or YYYY-MM-DD.")
class PeriodFilter:
    from_: str | None = strawberry.field(default=None, name="from", description="Start of the span (inclusive; `2009` means from 1 January 2009).")
    to: str | None = strawberry.field(default=None, description="End of the span (inclusive; `2010-06` means to 30 June 2010).")


@strawberry.input(description="An inclusive range of amounts in CZK.")
class MoneyRange:
    min: Decimal | None = strawberry.field(default=None, description="Smallest amount, inclusive.")
    max: Decimal | None = strawberry.field(default=None, description="Largest amount, inclusive.")


@strawberry.input(description="Conditions on one participation of a project: a project matches when one of its "
                  "participations meets all of them (e.g. an association as a partner).")
class ParticipantFilter:
    organisation: list[strawberry.ID] | None = strawberry.field(default=None, description="Organisation ids.")
    role: list[Role] | None = strawberry.field(default=None, description="Roles of the participation.")
    kind: list[OrganisationKind] | None = strawberry.field(default=None, description="Kinds of the organisation.")
    country: list[str] | None = strawberry.field(default=None, description="ISO alpha-2 countries of the organisation (CZ, SK, GB…).")
    text: str | None = strawberry.field(default=None, description="Words in the organisation's name, case and diacritics ignored.")


@strawberry.input(description="Which projects: every given field must match (AND).")
class ProjectFilter:
    text: str | None = strawberry.field(default=None, description="Words in the name or registration number, case and diacritics ignored.")
    registration_number: list[str] | None = strawberry.field(default=None, description="Registration numbers (registrační číslo).")
    programme: list[str] | None = strawberry.field(default=None, description="Codes of operational programmes (operační program), e.g. CZ.1.04.")
    priority_axis: list[strawberry.ID] | None = strawberry.field(default=None, description="Ids of priority axes (prioritní osa), e.g. CZ.1.04/3.")
    call: list[strawberry.ID] | None = strawberry.field(default=None, description="Ids of calls for proposals (výzva), e.g. CZ.1.04/3.1.03/65.")
    region: list[str] | None = strawberry.field(default=None, description="NUTS codes: projects covering a place in the region (a kraj, NUTS 3, or a cohesion region, NUTS 2), e.g. CZ072 for Zlínský kraj.")
    municipality: list[strawberry.ID] | None = strawberry.field(default=None, description="Municipality (obec) ids: projects covering the municipality or a microregion / ORP district (obec s rozšířenou působností) it belongs to.")
    participant: ParticipantFilter | None = strawberry.field(default=None, description="Projects with a participation meeting these conditions (role, organisation, its kind or country).")
    period: PeriodFilter | None = strawberry.field(default=None, description="Projects whose run overlaps this span; a missing start or end of a project counts as open.")
    total_cost: MoneyRange | None = strawberry.field(default=None, description="Range of the total cost (celkové náklady) in CZK.")


@strawberry.input(description="Which organisations: every given field must match (AND).")
class OrganisationFilter:
    text: str | None = strawberry.field(default=None, description="Words in the name (or the IČO), case and diacritics ignored.")
    kind: list[OrganisationKind] | None = strawberry.field(default=None, description="Kinds of organisation.")
    country: list[str] | None = strawberry.field(default=None, description="ISO alpha-2 country of the seat.")
    region: list[str] | None = strawberry.field(default=None, description="NUTS codes: organisations seated in, or governing, a place in the region.")
    municipality: list[strawberry.ID] | None = strawberry.field(default=None, description="Municipality ids: organisations seated in or governing the municipality.")
    role: list[Role] | None = strawberry.field(default=None, description="Organisations that took part in some project in one of these roles (in a project matching `project`, when given).")
    project: ProjectFilter | None = strawberry.field(default=None, description="Organisations that took part in some project matching this filter (in one of the roles of `role`, when given).")


@strawberry.input(description="Which municipalities: every given field must match (AND).")
class MunicipalityFilter:
    text: str | None = strawberry.field(default=None, description="Words in the name, case and diacritics ignored.")
    region: list[str] | None = strawberry.field(default=None, description="NUTS codes of the regions they lie in (NUTS 2 includes its kraje).")
    country: list[str] | None = strawberry.field(default=None, description="ISO alpha-2 country.")
    is_orp: bool | None = strawberry.field(default=None, description="Only ORPs (obec s rozšířenou působností), or only the others.")


def _values(items: list | None) -> set[str] | None:
    return None if items is None else {getattr(i, "value", i) for i in items}


def _period(period: PeriodFilter) -> tuple[str, str]:
    for value in (period.from_, period.to):
        if value is not None and not _DATE.match(value):
            raise bad_input(f"{value!r} is not a date: use YYYY, YYYY-MM or YYYY-MM-DD")
    try:
        start, end = period_bounds(period.from_, period.to)
    except ValueError as exc:
        raise bad_input(f"invalid date: {exc}") from None
    start, end = start or "0000-01-01", end or "9999-12-31"
    if start > end:
        raise bad_input("`period.from` is after `period.to`")
    return start, end


def _range(money: MoneyRange) -> tuple[int | None, int | None]:
    try:
        low = None if money.min is None else money_to_minor(money.min)
        high = None if money.max is None else money_to_minor(money.max)
    except ValueError as exc:
        raise bad_input(str(exc)) from None
    if low is not None and high is not None and low > high:
        raise bad_input("the range's `min` is above its `max`")
    return low, high


def _participation_test(where: ParticipantFilter | None, orgs: OrganisationFacts | None):
    if where is None:
        return None
    ids, roles = _values(where.organisation), _values(where.role)
    kinds, countries, tokens = _values(where.kind), _values(where.country), words(where.text)

    def test(part: Row) -> bool:
        org = orgs.by_id.get(part["organisation_id"], {}) if orgs else {}
        return ((ids is None or part["organisation_id"] in ids) and (roles is None or part["role"] in roles)
                and (kinds is None or org.get("kind") in kinds) and (countries is None or org.get("country_code") in countries)
                and (not tokens or text_matches(tokens, org.get("name"))))

    return test


async def select_projects(data: Data, where: ProjectFilter | None, **scope: set[str]) -> list[Row]:
    """Projects matching ``where`` and the ``scope`` (the same fields as the filter's, as sets of
    ids, from the object a nested list hangs off), in name order."""
    facts = await data.projects()
    where = where or ProjectFilter()
    needs_orgs = where.participant is not None and any(
        v is not None for v in (where.participant.kind, where.participant.country, where.participant.text))
    part_test = _participation_test(where.participant, await data.organisations() if needs_orgs else None)
    conditions = {
        "registration_number": _values(where.registration_number),
        "programme": _values(where.programme),
        "priority_axis": _values(where.priority_axis),
        "call": _values(where.call),
        "municipality": _values(where.municipality),
    }
    regions = _values(where.region)
    tokens = words(where.text)
    period = _period(where.period) if where.period else None
    cost = _range(where.total_cost) if where.total_cost else None
    scoped_orgs = scope.pop("organisation", None)
    scoped_regions = scope.pop("region", None)
    for name, values in scope.items():
        conditions[name] = values if conditions.get(name) is None else conditions[name] & values

    def matches(row: Row) -> bool:
        pid = row["id"]
        keys = {"registration_number": pid, "programme": row["programme_id"], "priority_axis": row["axis_id"],
                "call": row["call_id"]}
        for name, values in conditions.items():
            if values is None:
                continue
            if name == "municipality":
                if not facts.municipalities.get(pid, set()) & values:
                    return False
            elif keys[name] not in values:
                return False
        covered = facts.regions.get(pid, set())
        if regions is not None and not covered & regions:
            return False
        if scoped_regions is not None and not covered & scoped_regions:
            return False
        parts = facts.participations.get(pid, [])
        if part_test and not any(part_test(p) for p in parts):
            return False
        if scoped_orgs is not None and not any(p["organisation_id"] in scoped_orgs for p in parts):
            return False
        if tokens and not text_matches(tokens, row["name"], pid):
            return False
        if period and not ((row["period_start_date"] or "0000") <= period[1] and (row["period_end_date"] or "9999") >= period[0]):
            return False
        if cost:
            total = row["total_cost_minor"]
            if total is None or (cost[0] is not None and total < cost[0]) or (cost[1] is not None and total > cost[1]):
                return False
        return True

    # Regions match through the closure the facts hold: a NUTS 2 code matches its kraje's projects.
    return [row for row in facts.rows if matches(row)]


async def select_organisations(data: Data, where: OrganisationFilter | None, **scope: set[str]) -> list[Row]:
    """Organisations matching ``where`` and the ``scope`` (``region``, ``municipality``), in name order."""
    facts = await data.organisations()
    where = where or OrganisationFilter()
    kinds, countries, tokens = _values(where.kind), _values(where.country), words(where.text)
    regions, municipalities = _values(where.region), _values(where.municipality)
    roles = _values(where.role)
    projects = None
    if where.project is not None:
        projects = {row["id"] for row in await select_projects(data, where.project)}
    scoped_regions, scoped_municipalities = scope.get("region"), scope.get("municipality")

    def matches(row: Row) -> bool:
        oid = row["id"]
        here_regions = facts.regions.get(oid, set())
        here_municipalities = facts.municipalities.get(oid, set())
        if kinds is not None and row["kind"] not in kinds:
            return False
        if countries is not None and row["country_code"] not in countries:
            return False
        if tokens and not text_matches(tokens, row["name"], row["ico"]):
            return False
        for wanted, have in ((regions, here_regions), (scoped_regions, here_regions),
                             (municipalities, here_municipalities), (scoped_municipalities, here_municipalities)):
            if wanted is not None and not wanted & have:
                return False
        if roles is not None or projects is not None:
            return any((roles is None or p["role"] in roles) and (projects is None or p["project_id"] in projects)
                       for p in facts.participations.get(oid, []))
        return True

    return [row for row in facts.rows if matches(row)]


async def select_municipalities(data: Data, where: MunicipalityFilter | None, **scope: set[str]) -> list[Row]:
    places = await data.places()
    where = where or MunicipalityFilter()
    tokens, countries = words(where.text), _values(where.country)
    regions = [set().union(*(places.descendants(r) for r in wanted))
               for wanted in (_values(where.region), scope.get("region")) if wanted is not None]

    def matches(row: Row) -> bool:
        return ((not tokens or text_matches(tokens, row["name"]))
                and (countries is None or row["country_code"] in countries)
                and (where.is_orp is None or bool(row["is_orp"]) == where.is_orp)
                and all(row["region_id"] in wanted for wanted in regions))

    return [row for row in places.municipalities if matches(row)]

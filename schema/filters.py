"""Filter inputs and how they select from the request's facts.

Every field of a filter narrows the result (they compose with AND); a list field matches any of
its values (a single value may be given instead of a list). Filters reach through relationships:
projects by their programme, place, participants and those participants' kind, country or seat;
organisations by their place and by the projects they took part in. Text matching ignores case and
diacritics: every word of the text must occur in the name ("belov" finds "Obec Bělov").

Inputs are checked before anything is read, and a bad one is refused with BAD_USER_INPUT and a
message naming the field (`where.period.from`, `where.participant.region`…): dates must be real
dates given as YYYY, YYYY-MM or YYYY-MM-DD; amounts finite, not negative, at most
10^15 CZK and exact to the haléř; NUTS, country, ORP and okres codes well formed (the rules of
``graph.values``); ids not blank.
A well-formed code or id that names nothing in the graph simply matches nothing, as does an empty list.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

import strawberry

from graph.text import fold
from graph.values import BadValue, Code, CountryCode, Money, NutsCode, OkresCode, OrpCode, PartialDate, period_bounds
from schema.context import FUNDED_UNDER, Data, OrganisationFacts, Row
from schema.enums import OrganisationKind, OutputKind, Role
from schema.errors import bad_input
from schema.limits import OTHER_STRINGS_DOC, TEXT_DOC



def words(text: str | None) -> list[str]:
    return fold(text or "").split()


def text_matches(tokens: list[str], *haystacks: str | None) -> bool:
    hay = " ".join(fold(h) for h in haystacks if h)
    return all(t in hay for t in tokens)


@strawberry.input(description="A time span given as precisely as known: YYYY, YYYY-MM or YYYY-MM-DD (a real month and day).")
class PeriodFilter:
    from_: str | None = strawberry.field(default=None, name="from", description="Start of the span (inclusive; `2009` means from 1 January 2009).")
    to: str | None = strawberry.field(default=None, description="End of the span (inclusive; `2010-06` means to 30 June 2010).")


@strawberry.input(description="An inclusive range of amounts in CZK, each from 0 to 10^15 and exact to the haléř (at most 2 decimal places).")
class MoneyRange:
    min: Decimal | None = strawberry.field(default=None, description="Smallest amount, inclusive.")
    max: Decimal | None = strawberry.field(default=None, description="Largest amount, inclusive.")


@strawberry.input(description="Conditions on one participation of a project: a project matches when one of its "
                  f"participations meets all of them (e.g. an association as a partner). {OTHER_STRINGS_DOC}")
class ParticipantFilter:
    organisation: list[strawberry.ID] | None = strawberry.field(default=None, description="Organisation ids.")
    role: list[Role] | None = strawberry.field(default=None, description="Roles of the participation.")
    kind: list[OrganisationKind] | None = strawberry.field(default=None, description="Kinds of the organisation.")
    country: list[str] | None = strawberry.field(default=None, description="ISO alpha-2 countries of the organisation (CZ, SK, GB…).")
    text: str | None = strawberry.field(default=None, description=f"Words in the organisation's name, case and diacritics ignored. {TEXT_DOC}")
    region: list[str] | None = strawberry.field(default=None, description="NUTS codes: organisations seated in, or governing, a place in the region (a kraj, NUTS 3, or a cohesion region, NUTS 2, taking in its kraje), e.g. CZ071 for Olomoucký kraj.")
    municipality: list[strawberry.ID] | None = strawberry.field(default=None, description="Municipality (obec) ids: organisations seated in or governing the municipality, e.g. 500496 (Olomouc).")
    orp: list[str] | None = strawberry.field(default=None, description="ČSÚ ORP codes: organisations seated in, or governing a municipality of, the ORP district, e.g. 7205 (Otrokovice).")
    okres: list[str] | None = strawberry.field(default=None, description="LAU 1 codes: organisations seated in, or governing a municipality of, the okres, e.g. CZ0724 (Zlín).")


@strawberry.input(description=f"Which projects: every given field must match (AND). {OTHER_STRINGS_DOC}")
class ProjectFilter:
    text: str | None = strawberry.field(default=None, description=f"Words in the name or registration number, case and diacritics ignored. {TEXT_DOC}")
    registration_number: list[str] | None = strawberry.field(default=None, description="Registration numbers (registrační číslo).")
    programme: list[str] | None = strawberry.field(default=None, description="Codes of operational programmes (operační program), e.g. CZ.1.04.")
    priority_axis: list[strawberry.ID] | None = strawberry.field(default=None, description="Ids of priority axes (prioritní osa), e.g. CZ.1.04/3.")
    call: list[strawberry.ID] | None = strawberry.field(default=None, description="Ids of calls for proposals (výzva), e.g. CZ.1.04/3.1.03/65.")
    region: list[str] | None = strawberry.field(default=None, description="NUTS codes: projects covering a place in the region (a kraj, NUTS 3, or a cohesion region, NUTS 2), e.g. CZ072 for Zlínský kraj.")
    municipality: list[strawberry.ID] | None = strawberry.field(default=None, description="Municipality (obec) ids: projects covering the municipality or a microregion / ORP district (obec s rozšířenou působností) it belongs to.")
    orp: list[str] | None = strawberry.field(default=None, description="ČSÚ ORP codes: projects covering the ORP district or a municipality or microregion in it, e.g. 7205 (Otrokovice).")
    okres: list[str] | None = strawberry.field(default=None, description="LAU 1 codes: projects covering a municipality of the okres (directly or through an ORP district or microregion), e.g. CZ0724 (Zlín).")
    participant: ParticipantFilter | None = strawberry.field(default=None, description="Projects with a participation meeting these conditions (role, organisation, its kind, country, seat region or municipality).")
    period: PeriodFilter | None = strawberry.field(default=None, description="Projects whose run overlaps this span; a missing start or end of a project counts as open.")
    total_cost: MoneyRange | None = strawberry.field(default=None, description="Range of the total cost (celkové náklady) in CZK.")


@strawberry.input(description=f"Which plans, analyses and surveys: every given field must match (AND). {OTHER_STRINGS_DOC}")
class OutputFilter:
    kind: list[OutputKind] | None = strawberry.field(default=None, description="Kinds of output.")
    period: PeriodFilter | None = strawberry.field(default=None, description="Plans whose own period (the years a plan is "
                                                   "for, not its project's run) overlaps this span; a missing start or "
                                                   "end counts as open; an output without a period never matches.")
    project: ProjectFilter | None = strawberry.field(default=None, description="Produced by a project matching this filter: "
                                                     "e.g. `{municipality: [\"CZ072:kromeriz\"]}` for the plans of projects "
                                                     "covering Kroměříž or its ORP district, `{region: [\"CZ072\"]}` for a kraj.")


@strawberry.input(description=f"Which organisations: every given field must match (AND). {OTHER_STRINGS_DOC}")
class OrganisationFilter:
    text: str | None = strawberry.field(default=None, description=f"Words in the name (or the IČO), case and diacritics ignored. {TEXT_DOC}")
    kind: list[OrganisationKind] | None = strawberry.field(default=None, description="Kinds of organisation.")
    country: list[str] | None = strawberry.field(default=None, description="ISO alpha-2 country of the seat.")
    region: list[str] | None = strawberry.field(default=None, description="NUTS codes: organisations seated in, or governing, a place in the region.")
    municipality: list[strawberry.ID] | None = strawberry.field(default=None, description="Municipality ids: organisations seated in or governing the municipality.")
    orp: list[str] | None = strawberry.field(default=None, description="ČSÚ ORP codes: organisations seated in, or governing a municipality of, the ORP district.")
    okres: list[str] | None = strawberry.field(default=None, description="LAU 1 codes: organisations seated in, or governing a municipality of, the okres.")
    role: list[Role] | None = strawberry.field(default=None, description="Organisations that took part in some project in one of these roles (in a project matching `project`, when given).")
    project: ProjectFilter | None = strawberry.field(default=None, description="Organisations that took part in some project matching this filter (in one of the roles of `role`, when given).")


@strawberry.input(description=f"Which municipalities: every given field must match (AND). {OTHER_STRINGS_DOC}")
class MunicipalityFilter:
    text: str | None = strawberry.field(default=None, description=f"Words in the name, case and diacritics ignored. {TEXT_DOC}")
    region: list[str] | None = strawberry.field(default=None, description="NUTS codes of the regions they lie in (NUTS 2 includes its kraje).")
    country: list[str] | None = strawberry.field(default=None, description="ISO alpha-2 country.")
    is_orp: bool | None = strawberry.field(default=None, description="Only ORPs (obec s rozšířenou působností), or only the others.")


def _values(items: Sequence[Any] | None) -> set[str] | None:
    return None if items is None else {getattr(i, "value", i) for i in items}


# --- checking the inputs ----------------------------------------------------------------------


def _ids(items: Sequence[str] | None, field: str) -> set[str] | None:
    if items is not None and any(not item.strip() for item in items):
        raise bad_input(f"`{field}` holds an empty string, which is no id")
    return _values(items)


def _codes(items: list[str] | None, field: str, code: type[Code]) -> set[str] | None:
    for item in items or ():
        _checked(code.parse, item, field)
    return _values(items)


def _checked(parse, value, field: str):
    """``parse(value)``, a bad value refused naming the field."""
    try:
        return parse(value)
    except BadValue as e:
        raise bad_input(f"`{field}`: {e}") from None


def nuts_codes(items: list[str] | None, field: str) -> set[str] | None:
    return _codes(items, field, NutsCode)


def country_codes(items: list[str] | None, field: str) -> set[str] | None:
    return _codes(items, field, CountryCode)


def unit_codes(where, field: str) -> dict[str, set[str] | None]:
    """The ORP and okres codes a filter names, checked."""
    return {"orp": _codes(where.orp, f"{field}.orp", OrpCode), "okres": _codes(where.okres, f"{field}.okres", OkresCode)}


def _in_units(wanted: dict[str, set[str] | None], units: dict[str, dict[str, str]], municipalities: set[str]) -> bool:
    """Whether the municipalities lie in one of the wanted ORP districts and one of the wanted okresy."""
    return all(values is None or any(units[level].get(m) in values for m in municipalities)
               for level, values in wanted.items())


def _period(period: PeriodFilter, field: str) -> tuple[str, str]:
    for name, value in (("from", period.from_), ("to", period.to)):
        if value is not None:
            _checked(PartialDate.parse, value, f"{field}.{name}")
    start, end = period_bounds(period.from_, period.to)
    start, end = start or "0000-01-01", end or "9999-12-31"
    if start > end:
        raise bad_input(f"`{field}.from` is after `{field}.to`")
    return start, end


def amount_to_minor(amount: Decimal, field: str) -> int:
    """An amount of CZK in haléř, refused unless it is one (``graph.values.Money``)."""
    return Money.to_minor(_checked(Money.parse, amount, field))


def _range(money: MoneyRange, field: str) -> tuple[int | None, int | None]:
    low = None if money.min is None else amount_to_minor(money.min, f"{field}.min")
    high = None if money.max is None else amount_to_minor(money.max, f"{field}.max")
    if low is not None and high is not None and low > high:
        raise bad_input(f"`{field}.min` is above `{field}.max`")
    return low, high


@dataclass
class _Participants:
    """A checked ParticipantFilter."""

    ids: set[str] | None
    roles: set[str] | None
    kinds: set[str] | None
    countries: set[str] | None
    regions: set[str] | None
    municipalities: set[str] | None
    tokens: list[str]
    units: dict[str, set[str] | None]

    @classmethod
    def of(cls, where: ParticipantFilter, field: str) -> _Participants:
        return cls(_ids(where.organisation, f"{field}.organisation"), _values(where.role), _values(where.kind),
                   country_codes(where.country, f"{field}.country"), nuts_codes(where.region, f"{field}.region"),
                   _ids(where.municipality, f"{field}.municipality"), words(where.text), unit_codes(where, field))

    @property
    def needs_units(self) -> bool:
        return any(v is not None for v in self.units.values())

    @property
    def needs_organisations(self) -> bool:
        return bool(self.tokens) or self.needs_units or any(
            v is not None for v in (self.kinds, self.countries, self.regions, self.municipalities))

    def test(self, orgs: OrganisationFacts | None, units: dict[str, dict[str, str]] | None = None) -> Callable[[Row], bool]:
        def test(part: Row) -> bool:
            oid = part["organisation_id"]
            org = orgs.by_id.get(oid, {}) if orgs else {}  # the organisations' facts, when a condition needs them
            regions = orgs.regions.get(oid, set()) if orgs else set()
            places = orgs.municipalities.get(oid, set()) if orgs else set()
            return ((self.ids is None or oid in self.ids) and (self.roles is None or part["role"] in self.roles)
                    and (self.kinds is None or org.get("kind") in self.kinds)
                    and (self.countries is None or org.get("country_code") in self.countries)
                    # Regions hold their parents, so a NUTS 2 code matches the organisations of its kraje.
                    and (self.regions is None or bool(self.regions & regions))
                    and (self.municipalities is None or bool(self.municipalities & places))
                    and (units is None or _in_units(self.units, units, places))
                    and (not self.tokens or text_matches(self.tokens, org.get("name"))))

        return test


@dataclass
class _Projects:
    """A checked ProjectFilter."""

    conditions: dict[str, set[str] | None]
    regions: set[str] | None
    tokens: list[str]
    period: tuple[str, str] | None
    cost: tuple[int | None, int | None] | None
    participant: _Participants | None
    units: dict[str, set[str] | None]

    @classmethod
    def of(cls, where: ProjectFilter | None, field: str) -> _Projects:
        where = where or ProjectFilter()
        conditions = {
            "registration_number": _ids(where.registration_number, f"{field}.registrationNumber"),
            "programme": _ids(where.programme, f"{field}.programme"),
            "priority_axis": _ids(where.priority_axis, f"{field}.priorityAxis"),
            "call": _ids(where.call, f"{field}.call"),
            "municipality": _ids(where.municipality, f"{field}.municipality"),
        }
        return cls(conditions, nuts_codes(where.region, f"{field}.region"), words(where.text),
                   _period(where.period, f"{field}.period") if where.period else None,
                   _range(where.total_cost, f"{field}.totalCost") if where.total_cost else None,
                   _Participants.of(where.participant, f"{field}.participant") if where.participant else None,
                   unit_codes(where, field))


# --- selecting --------------------------------------------------------------------------------


async def select_projects(data: Data, where: ProjectFilter | None, **scope: set[str]) -> list[Row]:
    """Projects matching ``where`` and the ``scope`` (the same fields as the filter's, as sets of
    ids, from the object a nested list hangs off), in name order."""
    return await _select_projects(data, _Projects.of(where, "where"), scope)


async def _select_projects(data: Data, where: _Projects, scope: dict[str, set[str]]) -> list[Row]:
    facts = await data.projects()
    part_test = None
    if where.participant is not None:
        needs_orgs = where.participant.needs_organisations
        part_test = where.participant.test(await data.organisations() if needs_orgs else None,
                                           await data.units() if where.participant.needs_units else None)
    units = await data.units() if any(v is not None for v in where.units.values()) else None
    conditions = dict(where.conditions)
    regions, tokens, period, cost = where.regions, where.tokens, where.period, where.cost
    scope = dict(scope)
    scoped_orgs = scope.pop("organisation", None)
    scoped_regions = scope.pop("region", None)
    for name, values in scope.items():
        conditions[name] = values if (held := conditions.get(name)) is None else held & values

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
        if units is not None and not _in_units(where.units, units, facts.municipalities.get(pid, set())):
            return False
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

    rows = facts.rows
    for name in FUNDED_UNDER:  # a list under one programme, axis or call: only its projects
        if (unit := conditions.get(name)) is not None and len(unit) == 1:
            rows = facts.under.get((name, next(iter(unit))), [])
    for codes in (regions, scoped_regions):  # of one region: only the projects in it, when fewer
        if codes is not None and len(codes) == 1 and len(inside := facts.in_region.get(next(iter(codes)), [])) < len(rows):
            rows = inside
    # Regions match through the closure the facts hold: a NUTS 2 code matches its kraje's projects.
    return [row for row in rows if matches(row)]


async def select_organisations(data: Data, where: OrganisationFilter | None, **scope: set[str]) -> list[Row]:
    """Organisations matching ``where`` and the ``scope`` (``region``, ``municipality``), in name order."""
    where = where or OrganisationFilter()
    kinds, tokens, roles = _values(where.kind), words(where.text), _values(where.role)
    countries = country_codes(where.country, "where.country")
    regions = nuts_codes(where.region, "where.region")
    municipalities = _ids(where.municipality, "where.municipality")
    wanted_units = unit_codes(where, "where")
    units = await data.units() if any(v is not None for v in wanted_units.values()) else None
    project_filter = None if where.project is None else _Projects.of(where.project, "where.project")
    facts = await data.organisations()
    projects = None
    if project_filter is not None:
        projects = {row["id"] for row in await _select_projects(data, project_filter, {})}
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
        if units is not None and not _in_units(wanted_units, units, here_municipalities):
            return False
        if roles is not None or projects is not None:
            return any((roles is None or p["role"] in roles) and (projects is None or p["project_id"] in projects)
                       for p in facts.participations.get(oid, []))
        return True

    return [row for row in facts.rows if matches(row)]


async def select_outputs(data: Data, where: OutputFilter | None) -> list[Row]:
    """Outputs matching ``where``, in name order."""
    rows = await data.outputs()
    if where is None:
        return rows
    kinds = _values(where.kind)
    period = _period(where.period, "where.period") if where.period else None
    producers = {p["id"] for p in await select_projects(data, where.project)} if where.project else None
    out = []
    for row in rows:
        start, end = period_bounds(row["period_start"], row["period_end"])
        if kinds is not None and row["kind"] not in kinds:
            continue
        if period and not ((start or end) and (start or "0000") <= period[1] and (end or "9999") >= period[0]):
            continue
        if producers is not None and not producers & set(row["project_ids"]):
            continue
        out.append(row)
    return out


async def select_municipalities(data: Data, where: MunicipalityFilter | None, **scope: set[str]) -> list[Row]:
    where = where or MunicipalityFilter()
    tokens = words(where.text)
    countries = country_codes(where.country, "where.country")
    wanted_regions = nuts_codes(where.region, "where.region")
    places = await data.places()
    regions = [set().union(*(places.descendants(r) for r in wanted))
               for wanted in (wanted_regions, scope.get("region")) if wanted is not None]

    def matches(row: Row) -> bool:
        return ((not tokens or text_matches(tokens, row["name"]))
                and (countries is None or row["country_code"] in countries)
                and (where.is_orp is None or bool(row["is_orp"]) == where.is_orp)
                and all(row["region_id"] in wanted for wanted in regions))

    return [row for row in await data.municipalities() if matches(row)]

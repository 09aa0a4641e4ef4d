"""Canonical records: what every source is read into before resolution.

The structured files (JSON / YAML / CSV) are these records written down; the page extractor
produces them from Czech text. ``docs/data-format.md`` documents them for people and
``docs/schema/kpss-dataset.schema.json`` (generated from these models) for tools.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from decimal import Decimal
from functools import lru_cache
from typing import Annotated, Any

from pydantic import AfterValidator, BaseModel, BeforeValidator, ConfigDict, Field, ValidationInfo, field_validator

from graph import values as v
from graph.model import CoverageKind, FundingSource, OrganisationKind, OutputKind, Role
from loaders.normalise import is_valid_ico

Span = tuple[int, int]


def _stripped(parse: Callable[[Any], Any]) -> BeforeValidator:
    """The value's own check (graph.values), on text without surrounding space."""
    return BeforeValidator(lambda value: parse(value.strip() if isinstance(value, str) else value))


def _anchored(code: type[v.Code]) -> str:
    return f"^(?:{code.PATTERN.pattern})$"


# Keys become node ids and IRIs: each is checked against its form in every input format.
CountryCode = Annotated[str, Field(pattern=_anchored(v.CountryCode), description="ISO 3166-1 alpha-2 code"), _stripped(v.CountryCode.parse)]
NutsCode = Annotated[str, Field(pattern=_anchored(v.NutsCode), description="NUTS code"), _stripped(v.NutsCode.parse)]
RegistrationNo = Annotated[str, Field(description="Registration number, e.g. CZ.1.04/3.1.03/65.00042"), _stripped(v.RegistrationNumber.parse)]
ProgrammeCode = Annotated[str, Field(pattern=_anchored(v.ProgrammeCode), description="Programme code, e.g. CZ.1.04 (CZ.03+: OP Z+)"), _stripped(v.ProgrammeCode.parse)]
UnitCode = Annotated[str, Field(pattern=r"^[0-9A-Za-z]{1,6}(\.[0-9A-Za-z]{1,6}){0,3}$",
                                description="A priority axis's, area of support's or call's number, e.g. 5 or 55.1")]
PartialDate = Annotated[str, Field(pattern=v.PartialDate.PATTERN.pattern, description=v.PartialDate.DOC), _stripped(v.PartialDate.parse)]


@lru_cache(maxsize=1 << 16)  # an organisation's IČO recurs on each of its rows
def _ico(value: str | None) -> str | None:
    if value is None:
        return None
    ico = re.sub(r"\s", "", value)
    if not is_valid_ico(ico):
        raise ValueError(f"{value} is not a valid IČO (eight digits whose last is the check digit)")
    return ico


Ico = Annotated[str | None, AfterValidator(_ico), Field(description="IČO; checked against its check digit.")]
NonNegative = Annotated[Decimal, Field(ge=0, le=v.Money.MAX, decimal_places=2, description=v.Money.DOC), _stripped(v.Money.parse)]


class Record(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True, use_enum_values=False)


# Where a record stands in its document: the facts it gives cite it (loaders.files fills it in as a
# structured file is read; a page's rules note it).
Located = Annotated[Span | None, Field(description="Characters start-end of the document's text where it is stated; "
                                             "filled in when a structured file is read.")]


class Participant(Record):
    """An organisation's part in a project, as a source states it."""

    name: str = Field(min_length=1)
    role: Role
    role_stated: str | None = Field(None, description="The source's word for the role: příjemce, realizátor…")
    country: CountryCode | None = Field("CZ", description="Country of the organisation; null when a source does not tell.")
    ico: Ico = None
    kind: OrganisationKind | None = None
    amount_czk: NonNegative | None = None
    span: Span | None = None


class Funding(Record):
    """One source's share of a project's money."""

    source: FundingSource
    stated_as: str | None = None
    amount_czk: NonNegative | None = None
    percent: Annotated[Decimal, Field(ge=0, le=100)] | None = None
    provider: str | None = Field(None, description="Name of the organisation that gave the money.")
    span: Span | None = None


class Place(Record):
    """A place a project covers."""

    name: str = Field(min_length=1)
    kind: str = Field("municipality", pattern="^(municipality|region|microregion|orp_district)$")
    region: NutsCode | None = Field(None, description="NUTS 3 code that tells homonymous municipalities apart.")
    span: Span | None = None


class Output(Record):
    """A plan, analysis or survey a project produced, with the period a plan is for."""

    kind: OutputKind = OutputKind.PLAN
    name: str = Field(min_length=1)
    start: PartialDate | None = Field(None, description="First year the plan is for (not the project's start).")
    end: PartialDate | None = Field(None, description="Last year the plan is for.")
    span: Span | None = None


class Project(Record):
    registration_number: RegistrationNo | None = Field(
        None, description="Registrační číslo; null when the source states none or only a part of one.")
    registration_number_stated: str | None = Field(
        None, max_length=200, description="The number as the source wrote it, when that differs (repaired, or cut short).")
    name: str = Field(min_length=1)
    description: str | None = None
    start: PartialDate | None = None
    end: PartialDate | None = None
    total_cost_czk: NonNegative | None = None
    programme: ProgrammeCode | None = Field(None, description="Programme code; parsed from the registration number if absent.")
    programme_stated: str | None = Field(None, description="The programme as the source names it.")
    priority_axis: UnitCode | None = Field(None, description="Axis number within the programme, e.g. 5.")
    priority_axis_name: str | None = None
    area_of_support: str | None = None
    call: UnitCode | None = Field(None, description="Call number, e.g. 65.")
    call_name: str | None = None
    participants: list[Participant] = []
    funding: list[Funding] = []
    target_groups: list[str] = []
    working_groups: list[str] = []
    outputs: list[Output] = Field([], description="Plans, analyses and surveys the project produced.")
    places: list[Place] = []
    follows: list[str] = Field([], description="Registration numbers (or names) of projects this one continues.")
    followed_by: list[str] = Field([], description="Registration numbers (or names) of projects that continue this one.")
    spans: dict[str, Span] = Field({}, description="Where each scalar field was stated in the source.")

    @field_validator("end")
    @classmethod
    def _end_not_before_start(cls, end: str | None, info: ValidationInfo) -> str | None:
        start = info.data.get("start")
        if start and end and end < start[: len(end)]:
            raise ValueError(f"the end {end} is before the start {start}")
        return end


class Organisation(Record):
    """What is known of an organisation besides its participations."""

    name: str = Field(min_length=1)
    ico: Ico = None
    kind: OrganisationKind | None = None
    legal_form: str | None = None
    country: CountryCode = "CZ"
    seat: str | None = Field(None, description="Municipality of the seat.")
    seat_region: NutsCode | None = Field(None, description="NUTS 3 code of the seat.")
    address: str | None = None
    website: str | None = None
    governs: str | None = Field(None, description="Name of the municipality or region it is the legal person of.")
    aliases: list[str] = Field([], description="Other names the sources use for it.")
    span: Span | None = Field(None, description="Where the source states it, its seat, address or IČO; filled in when "
                          "a structured file is read.")


class Region(Record):
    code: NutsCode
    name: str
    name_en: str | None = None
    nuts_level: int = Field(ge=1, le=3)
    parent: NutsCode | None = Field(None, description="NUTS code of the enclosing region.")
    country: CountryCode
    span: Located = None


class Municipality(Record):
    name: str
    region: NutsCode | None = Field(None, description="NUTS 3 code; for a foreign town without one, leave empty.")
    country: CountryCode = "CZ"
    lau_code: str | None = None
    orp: str | None = Field(None, description="ORP district it lies in.")
    is_orp: bool | None = None
    microregions: list[str] = []
    span: Located = None


class Microregion(Record):
    name: str
    kind: CoverageKind
    region: NutsCode | None = None
    aliases: list[str] = []
    span: Located = None


class Axis(Record):
    code: UnitCode
    name: str
    span: Located = None


class Programme(Record):
    code: ProgrammeCode
    name: str
    name_en: str | None = None
    abbreviation: str | None = None
    period_start: str | None = None
    period_end: str | None = None
    fund: str | None = None
    managing_authority: str | None = Field(None, description="Name of the managing authority (řídící orgán).")
    aliases: list[str] = Field([], description="Other names the sources use, for matching text.")
    axes: list[Axis] = []
    span: Located = None


class Country(Record):
    code: CountryCode
    name: str
    name_en: str
    alpha3: str = Field(pattern=r"^[A-Z]{3}$")
    aliases: list[str] = Field([], description="Other names pages use for it (Velká Británie, UK).")
    span: Located = None


class ParticipationRow(Participant):
    """A participation in a file of participations: the project named by its registration number."""

    registration_number: RegistrationNo


class FundingRow(Funding):
    """A funding share in a file of funding shares."""

    registration_number: RegistrationNo


class Dataset(Record):
    """One structured document: any of the lists may be empty. Participations and funding shares
    may be nested in their project or listed apart (one file per kind)."""

    title: str | None = None
    source: str | None = Field(None, description="Address (URL) of the document the facts were read from; "
                               "the source of every fact in this file.")
    projects: list[Project] = []
    organisations: list[Organisation] = []
    regions: list[Region] = []
    municipalities: list[Municipality] = []
    microregions: list[Microregion] = []
    programmes: list[Programme] = []
    countries: list[Country] = []
    participations: list[ParticipationRow] = []
    funding: list[FundingRow] = []

    @field_validator("projects")
    @classmethod
    def _unique_projects(cls, projects: list[Project]) -> list[Project]:
        seen: set[str] = set()
        for p in projects:
            key = p.registration_number or p.name
            if key in seen:
                raise ValueError(f"project {key} is listed twice")
            seen.add(key)
        return projects


def json_schema() -> dict:
    """The JSON Schema of a structured document (docs/schema/kpss-dataset.schema.json)."""
    schema = Dataset.model_json_schema(mode="validation")
    return {"$schema": "https://json-schema.org/draft/2020-12/schema", "$id": "kpss-dataset.schema.json", **schema}


if __name__ == "__main__":  # python -m loaders.records > docs/schema/kpss-dataset.schema.json
    import json

    print(json.dumps(json_schema(), ensure_ascii=False, indent=2))

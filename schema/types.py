"""GraphQL types over the graph model; every field documented, Czech terms explained."""

from __future__ import annotations

from decimal import Decimal
from enum import Enum

import strawberry
from strawberry.types import Info

from graph.model import Role as ModelRole
from graph.model import minor_to_money

Role = strawberry.enum(
    Enum("Role", {r.name: r.value for r in ModelRole}),
    description="An organisation's part in a project: příjemce (beneficiary), partner, co-funder, "
    "řídící orgán (managing authority), zprostředkující subjekt (intermediate body).",
)


def _store(info: Info):
    return info.context["store"]


@strawberry.type(description="An exact amount of money.")
class Money:
    amount: Decimal = strawberry.field(description="Exact decimal amount.")
    currency: str = strawberry.field(description="ISO 4217 currency code, CZK.")


@strawberry.type(description="A country.")
class Country:
    code: str = strawberry.field(description="ISO 3166-1 alpha-2 code.")


@strawberry.type(description="A legal person or public body that takes part in projects.")
class Organisation:
    id: strawberry.ID = strawberry.field(description="ico:<IČO>, gov:<place> or org:<country>:<name>.")
    name: str = strawberry.field(description="Name as the sources give it.")
    kind: str | None = strawberry.field(description="Kind: municipality, region, association…")
    ico: str | None = strawberry.field(description="IČO, the Czech identification number.")
    country_code: strawberry.Private[str | None]

    @strawberry.field(description="Country of its seat.")
    def country(self) -> Country | None:
        return Country(code=self.country_code) if self.country_code else None


@strawberry.type(description="An organisation's part in a project (the edge).")
class Participation:
    role: Role = strawberry.field(description="The role.")
    amount: Money | None = strawberry.field(description="Its money in the project, where known.")
    organisation: Organisation = strawberry.field(description="The organisation.")


@strawberry.type(description="An operational programme (operační program) that funds projects.")
class Programme:
    code: str = strawberry.field(description="Programme code, e.g. CZ.1.04.")
    name: str = strawberry.field(description="Name in Czech.")


@strawberry.type(description="A publicly funded project of community planning of social services.")
class Project:
    registration_number: str = strawberry.field(description="Registrační číslo, e.g. CZ.1.04/3.1.03/65.00042.")
    name: str = strawberry.field(description="Name in Czech.")
    start: str | None = strawberry.field(description="Start as precise as the source: YYYY, YYYY-MM or YYYY-MM-DD.")
    end: str | None = strawberry.field(description="End as precise as the source.")
    total_cost: Money | None = strawberry.field(description="Total cost (celkové náklady).")

    @strawberry.field(description="The programme it was funded under.")
    async def programme(self, info: Info) -> Programme | None:
        rows = await _store(info).read("read.funded_under_by_project", ids=[self.registration_number])
        if not rows or not rows[0]["programme_id"]:
            return None
        [row] = await _store(info).read("fetch.node.Programme", ids=[rows[0]["programme_id"]])
        return Programme(code=row["code"], name=row["name"])

    @strawberry.field(description="Who took part, in which role (one round trip for the edges, one for the organisations).")
    async def participations(self, info: Info) -> list[Participation]:
        store = _store(info)
        edges = await store.read("read.participations_by_project", ids=[self.registration_number])
        orgs = {o["id"]: o for o in await store.read("fetch.node.Organisation", ids=sorted({e["organisation_id"] for e in edges}))}
        return [
            Participation(
                role=Role(e["role"]),
                amount=_money(e["amount_minor"]),
                organisation=_organisation(orgs[e["organisation_id"]]),
            )
            for e in edges
        ]


def _money(minor: int | None) -> Money | None:
    return None if minor is None else Money(amount=minor_to_money(minor), currency="CZK")


def _organisation(row: dict) -> Organisation:
    return Organisation(id=row["id"], name=row["name"], kind=row["kind"], ico=row["ico"], country_code=row["country_code"])


def project_from_row(row: dict) -> Project:
    return Project(
        registration_number=row["registration_number"], name=row["name"], start=row["period_start"],
        end=row["period_end"], total_cost=_money(row["total_cost_minor"]),
    )

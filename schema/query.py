"""Root fields."""

from __future__ import annotations

import strawberry
from strawberry.types import Info

from schema.types import Project, project_from_row


@strawberry.type
class Query:
    @strawberry.field(description="A project by its registration number (registrační číslo); null when unknown.")
    async def project(self, info: Info, registration_number: str) -> Project | None:
        rows = await info.context["store"].read("fetch.node.Project", ids=[registration_number])
        return project_from_row(rows[0]) if rows else None


schema = strawberry.Schema(query=Query)

"""GraphQL enums: the model's own code lists, so that they cannot drift apart, each described here."""

from __future__ import annotations

from enum import Enum
from typing import TYPE_CHECKING

import strawberry

from graph import model


def _expose(source: type[Enum], description: str) -> None:
    """Makes a model enum a GraphQL enum of its members' names (the model's class itself, so that
    GraphQL values are the model's members)."""
    strawberry.enum(source, description=description)


Role = model.Role
_expose(
    Role,
    "An organisation's part in a project: BENEFICIARY is the příjemce / realizátor / žadatel (the applicant "
    "that received the grant and ran the project); PARTNER a partner (partner s finančním příspěvkem or bez "
    "finančního příspěvku); CO_FUNDER a spolufinancující subjekt (it paid part of the budget); "
    "MANAGING_AUTHORITY the řídící orgán (the ministry managing the programme); INTERMEDIATE_BODY a "
    "zprostředkující subjekt (a body, often a kraj, administering the programme for the managing authority).",
)
OrganisationKind = model.OrganisationKind
_expose(
    OrganisationKind,
    "What kind of body an organisation is: MUNICIPALITY an obec / město / statutární město as a legal person; "
    "REGION a kraj as a legal person; UNION_OF_MUNICIPALITIES a svazek obcí or mikroregion; "
    "CONTRIBUTORY_ORGANISATION a příspěvková organizace (founded by a municipality, kraj or the state); "
    "ASSOCIATION a spolek / z.s. / o.s. (občanské sdružení); PUBLIC_BENEFIT_COMPANY an o.p.s. (obecně prospěšná "
    "společnost); INSTITUTE a z.ú. (zapsaný ústav); CHURCH_CHARITY a church charity (Charita, Diakonie); "
    "STATE_BODY a ministry or state office (ministerstvo, úřad práce); FOREIGN_PUBLIC_BODY a public body abroad; "
    "COMPANY an s.r.o. or a.s.; OTHER anything else.",
)
FundingSource = model.FundingSource
_expose(
    FundingSource,
    "Where money came from: ESF the Evropský sociální fond; EU EU structural funds in general (příspěvek ze "
    "zdrojů EU); STATE_BUDGET the státní rozpočet; NATIONAL_PUBLIC national public sources not split into state "
    "and local; REGION a kraj; MUNICIPALITY an obec or město; OWN the beneficiary's own money (vlastní zdroje).",
)
CoverageKind = model.CoverageKind
_expose(
    CoverageKind,
    "ORP_DISTRICT the administrative district (správní obvod) of an ORP, an obec s rozšířenou působností "
    "(municipality with extended powers); MICROREGION a microregion or union of municipalities (svazek obcí).",
)
OutputKind = model.OutputKind
_expose(
    OutputKind,
    "What planning produced: COMMUNITY_PLAN a komunitní plán (sociálních služeb); MEDIUM_TERM_PLAN a střednědobý "
    "plán rozvoje sociálních služeb; ACTION_PLAN an akční plán (a plan for a year); PLAN a plan the source does not "
    "qualify; ANALYSIS an analýza, mapping or catalogue of services; SURVEY a průzkum or šetření.",
)


@strawberry.enum(description="How fundingSummary groups projects: REGION by kraj (NUTS 3), ORP by ORP district "
                 "(ČSÚ code), OKRES by okres (LAU 1) of the municipalities the project covers.")
class FundingGroupBy(Enum):
    PROGRAMME = "programme"
    PRIORITY_AXIS = "priority_axis"
    REGION = "region"
    ORP = "orp"
    OKRES = "okres"
    YEAR = "year"
    FUNDING_SOURCE = "funding_source"


def _upper_snake(label: str) -> str:
    return "".join(f"_{c}" if c.isupper() and i else c for i, c in enumerate(label)).upper()


if TYPE_CHECKING:  # made from the model at run time: to a type checker, an Enum like the others
    class NodeLabel(Enum):
        pass
else:
    NodeLabel = strawberry.enum(
        Enum("NodeLabel", {_upper_snake(label): label for label in model.NODES if label != "SourceDocument"}),
        description="A kind of node of the graph (the model's labels): PROJECT, ORGANISATION, MUNICIPALITY, REGION, "
        "ORP, OKRES, PRIORITY_AXIS, FUNDING_SHARE, OUTPUT…",
    )

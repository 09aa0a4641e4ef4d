"""Every property of graph/model.py reaches GraphQL or is declared hidden with a reason
(``graph.model.NOT_IN_GRAPHQL``): the GraphQL types are written by hand, so this is what notices a
new property that never reached them."""

from __future__ import annotations

from dataclasses import replace

from strawberry.utils.str_converters import to_camel_case

from graph.model import NODES, NOT_IN_GRAPHQL, NodeType, Prop
from schema.query import make_schema

# Properties a GraphQL type shows under another field: (label, property) -> field.
RENAMED = {
    ("Project", "period_start"): "start",
    ("Project", "period_end"): "end",
    ("Project", "total_cost_minor"): "totalCost",
    ("Project", "currency"): "totalCost",  # Money.currency
    ("Output", "period_start"): "start",
    ("Output", "period_end"): "end",
    ("FundingShare", "amount_minor"): "amount",
    ("FundingShare", "currency"): "amount",  # Money.currency
    **{(label, "country_code"): "country" for label in ("Organisation", "Municipality", "Region")},
    ("Municipality", "lat"): "latitude",  # a float, where the store keeps the source's decimal text
    ("Municipality", "lon"): "longitude",
}

TYPES = make_schema()._schema.type_map


def problems(nodes: dict[str, NodeType], hidden: dict[str, str]) -> list[str]:
    """Properties of labels with a GraphQL type that are neither a field of it nor hidden, stale
    hidden entries, and renames to a field that does not exist."""
    found = []
    checked = {label: node for label, node in nodes.items() if label in TYPES}
    for label, node in checked.items():
        fields = TYPES[label].fields
        for prop in node.prop_names:
            if prop in hidden:
                continue
            field = RENAMED.get((label, prop), to_camel_case(prop))
            if field not in fields:
                found.append(f"{label}.{prop} is not exposed as {label}.{field} nor in NOT_IN_GRAPHQL")
    props = {prop for node in checked.values() for prop in node.prop_names}
    found += [f"NOT_IN_GRAPHQL names {prop}, which no exposed label has" for prop in sorted(set(hidden) - props)]
    found += [f"RENAMED names {label}.{prop}, which the model lacks" for label, prop in RENAMED
              if label not in nodes or prop not in nodes[label].prop_names]
    return found


def test_every_model_property_is_exposed_or_hidden_with_a_reason():
    assert {"Project", "Organisation", "FundingShare", "SourceDocument"} <= {label for label in NODES if label in TYPES}
    assert all(reason.strip() for reason in NOT_IN_GRAPHQL.values())
    assert problems(NODES, NOT_IN_GRAPHQL) == []


def test_the_check_reports_a_forgotten_property_and_a_stale_entry():
    project = NODES["Project"]
    nodes = {**NODES, "Project": replace(project, props=(*project.props, Prop("budget_note", doc="Forgotten.")))}
    assert problems(nodes, NOT_IN_GRAPHQL) == ["Project.budget_note is not exposed as Project.budgetNote nor in NOT_IN_GRAPHQL"]
    assert problems(NODES, {**NOT_IN_GRAPHQL, "no_such_property": "stale"}) == [
        "NOT_IN_GRAPHQL names no_such_property, which no exposed label has"]
    assert "budget_note" not in NODES["Project"].prop_names  # the model itself is untouched

"""fundingSummary by two dimensions at once: each group's subgroups are what the one-dimension
summary gives for that group's projects (programme × year, kraj × funding source)."""

from __future__ import annotations

import pytest

from tests.test_graphql_api import gql  # noqa: F401 — the fixture: GraphQL over the bundled data

GROUP = "key name total { amount } projectCount projectsWithoutAmount"


@pytest.mark.parametrize(("first", "then", "filter_field"), [("PROGRAMME", "YEAR", "programme"),
                                                               ("REGION", "FUNDING_SOURCE", "region")])
async def test_subgroups_are_the_summary_of_each_group(gql, first, then, filter_field):
    body = await gql(f"{{ fundingSummary(groupBy: {first}, thenBy: {then}) {{ thenBy groups {{ key "
                     f"subgroups {{ {GROUP} }} }} }} }}")
    summary = body["data"]["fundingSummary"]
    assert summary["thenBy"] == then and len(summary["groups"]) > 1
    pairs = 0
    for group in summary["groups"]:
        if group["key"] is None:
            continue
        alone = await gql(f'{{ fundingSummary(groupBy: {then}, where: {{{filter_field}: ["{group["key"]}"]}}) '
                          f"{{ groups {{ {GROUP} }} }} }}")
        assert group["subgroups"] == alone["data"]["fundingSummary"]["groups"], group["key"]
        pairs += len(group["subgroups"])
    assert pairs > len(summary["groups"])  # a real second dimension, not one subgroup each

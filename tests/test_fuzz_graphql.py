"""Hypothesis over GraphQL arguments, against a live server on each backend: whatever the values of
the root fields' arguments and filters (their field names read from the schema itself), the answer
is never a 5xx and never an unexpected error — every rejection carries a code."""

from __future__ import annotations

from collections.abc import Iterator

import httpx
import pytest
from graphql import GraphQLEnumType, GraphQLInputObjectType, GraphQLList, GraphQLNonNull
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from schema.query import make_schema
from tests.support import BACKENDS, live_server, load_bundled, server_env

pytestmark = pytest.mark.slow  # a live server

FUZZ = settings(max_examples=150, deadline=None, suppress_health_check=list(HealthCheck), derandomize=True)
TYPES = make_schema()._schema.type_map  # the types, without a server's limits
QUERIES = {
    "projects": "query($where: ProjectFilter, $first: Int, $after: String) { projects(where: $where, first: $first, after: $after) { totalCount edges { node { registrationNumber } } } }",
    "organisations": "query($where: OrganisationFilter, $first: Int, $after: String) { organisations(where: $where, first: $first, after: $after) { totalCount } }",
    "network": "query($where: ProjectFilter) { partnershipNetwork(where: $where) { projectCount } }",
    "funding": "query($where: ProjectFilter, $by: FundingGroupBy!) { fundingSummary(groupBy: $by, where: $where) { projectCount } }",
    "search": "query($text: String!, $first: Int, $after: String) { search(text: $text, first: $first, after: $after) { totalCount } }",
    "path": "query($from: ID!, $to: ID!, $hops: Int) { path(from: $from, to: $to, maxHops: $hops) { __typename } }",
    "project": "query($reg: String!) { project(registrationNumber: $reg) { name } }",
}
CODED = {"BAD_USER_INPUT", "NOT_FOUND", "LIMIT_EXCEEDED", "GRAPHQL_VALIDATION_FAILED"}

scalars = st.one_of(st.none(), st.booleans(), st.integers(-(2**70), 2**70), st.floats(allow_nan=False, allow_infinity=False),
                    st.text(max_size=40), st.sampled_from(["", "CZ072", "CZ.1.04", "2009-06", "2009-13-45", "-1", "1e400"]))


def value_for(type_) -> st.SearchStrategy:
    """A value shaped like the GraphQL input type — mostly: any field of it may also get any scalar."""
    while isinstance(type_, GraphQLNonNull):
        type_ = type_.of_type
    if isinstance(type_, GraphQLList):
        return st.lists(value_for(type_.of_type), max_size=3) | scalars
    if isinstance(type_, GraphQLEnumType):
        return st.sampled_from(list(type_.values)) | scalars
    if isinstance(type_, GraphQLInputObjectType):
        fields = type_.fields
        return st.deferred(lambda: st.dictionaries(st.sampled_from(sorted(fields)), st.deferred(
            lambda: st.one_of(*(value_for(f.type) for f in fields.values()))), max_size=4)) | scalars
    return scalars


VARIABLES = {
    "projects": st.fixed_dictionaries({"where": value_for(TYPES["ProjectFilter"]), "first": scalars, "after": scalars}),
    "organisations": st.fixed_dictionaries({"where": value_for(TYPES["OrganisationFilter"]), "first": scalars, "after": scalars}),
    "network": st.fixed_dictionaries({"where": value_for(TYPES["ProjectFilter"])}),
    "funding": st.fixed_dictionaries({"where": value_for(TYPES["ProjectFilter"]), "by": value_for(TYPES["FundingGroupBy"])}),
    "search": st.fixed_dictionaries({"text": scalars, "first": scalars, "after": scalars}),
    "path": st.fixed_dictionaries({"from": scalars, "to": scalars, "hops": scalars}),
    "project": st.fixed_dictionaries({"reg": scalars}),
}


@pytest.fixture(scope="module", params=BACKENDS)
def server(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Iterator[httpx.Client]:
    env = server_env(request.param, tmp_path_factory.mktemp("fuzz-graphql"))
    load_bundled(env)
    with live_server(env) as url, httpx.Client(base_url=url, timeout=120) as client:
        yield client


@pytest.mark.parametrize("field", sorted(QUERIES))
def test_no_argument_value_makes_a_500(server, field):
    @FUZZ
    @given(variables=VARIABLES[field])
    def check(variables):
        r = server.post("/graphql", json={"query": QUERIES[field], "variables": variables})
        assert r.status_code < 500, (variables, r.text[:500])
        for error in r.json().get("errors", []):
            assert error.get("extensions", {}).get("code") in CODED, (variables, error)

    check()

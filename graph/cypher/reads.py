"""Reads of the domain that the API, the command line and the tests share.

Every read takes a list of ids (``$ids``) where it serves a batch, so that callers make one round
trip per level of a request, not one per object.
"""

from __future__ import annotations

from graph.cypher import Statement, key_in_ids, register

_funding_columns = ("RETURN p.id AS project_id, f.id AS id, f.source AS source, f.stated_as AS stated_as, "
                    "f.amount_minor AS amount_minor, f.percent AS percent, f.currency AS currency, "
                    "h.sources AS sources ORDER BY project_id, f.amount_minor DESC, id")

PROJECTS_BY_NAME, PROJECTS_NAMING_PROJECTS, FUNDED_UNDER_BY_PROJECT, FUNDING_BY_PROJECT = register(
    Statement(
        # Projects by folded name: a project a source names as earlier or later, from an earlier load.
        "read.projects_by_name",
        "UNWIND $names AS k MATCH (p:Project) WHERE p.name_search = k RETURN k AS name, p.id AS id ORDER BY name, id",
    ),
    Statement(
        # Projects that name others as earlier or later: their links are made when those arrive.
        "read.projects_naming_projects",
        "MATCH (p:Project) WHERE p.names_projects IS NOT NULL RETURN p.id AS id, p.names_projects AS names_projects "
        "ORDER BY id",
    ),
    Statement(
        "read.funded_under_by_project",
        "UNWIND $ids AS k MATCH (p:Project {id: k})-[x:FUNDED_UNDER]->(u) "
        "OPTIONAL MATCH (u)-[:OF*0..2]->(g:Programme) "
        "OPTIONAL MATCH (u)-[:OF*0..1]->(a:PriorityAxis) "
        "OPTIONAL MATCH (u)-[:OF*0..0]->(c:Call) "
        "RETURN p.id AS project_id, g.id AS programme_id, a.id AS axis_id, c.id AS call_id, x.source AS source, "
        "x.span AS span, x.sources AS sources "
        "ORDER BY project_id, programme_id, axis_id, call_id",
    ),
    Statement(
        # The share's provider is an edge of its own (PROVIDED_BY), read only where it is asked for.
        "read.funding_by_project",
        f"UNWIND $ids AS k MATCH (p:Project {{id: k}})-[h:HAS_FUNDING]->(f:FundingShare) {_funding_columns}",
        # The embedded engine matches an UNWIND's ids by scanning every edge of the type for each of
        # them (20 ms at 12,000 projects); a list predicate on the key takes 2 ms, one key 0.1 ms.
        f"MATCH (p:Project)-[h:HAS_FUNDING]->(f:FundingShare) WHERE {key_in_ids('p')} {_funding_columns}",
        f"MATCH (p:Project)-[h:HAS_FUNDING]->(f:FundingShare) WHERE p.id = $id {_funding_columns}",
    ),
)

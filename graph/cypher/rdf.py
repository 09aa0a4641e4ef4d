"""Reads of the RDF export (``rdf/``): the projects a dump subset selects (``rdf.projects.*``) and
the programme of each call. Edges into an entity are the generated ``fetch.rel_to.*``."""

from __future__ import annotations

from graph.cypher import Statement, register


PROJECTS_IN_REGION, PROJECTS_UNDER_PROGRAMME, PROGRAMME_OF_CALLS = register(
    Statement(
        # Projects covering the region (NUTS 3, or NUTS 2 through its NUTS 3 regions), directly or
        # through the municipalities and microregions they cover.
        "rdf.projects.in_region",
        "MATCH (p:Project)-[:COVERS]->(:Region)-[:PART_OF*0..1]->(r:Region {id: $region}) RETURN p.id AS id "
        "UNION MATCH (p:Project)-[:COVERS]->(:Municipality)-[:IN_REGION]->(:Region)-[:PART_OF*0..1]->"
        "(r:Region {id: $region}) RETURN p.id AS id "
        "UNION MATCH (p:Project)-[:COVERS]->(:Microregion)-[:IN_REGION]->(:Region)-[:PART_OF*0..1]->"
        "(r:Region {id: $region}) RETURN p.id AS id",
    ),
    Statement(
        "rdf.projects.under_programme",
        "MATCH (p:Project)-[:FUNDED_UNDER]->(u) MATCH (u)-[:OF*0..2]->(g:Programme {id: $programme}) "
        "RETURN DISTINCT p.id AS id",
    ),
    Statement(
        # The programme (concept scheme) of each call, through its priority axis.
        "rdf.programme_of_calls",
        "UNWIND $ids AS k MATCH (c:Call {id: k})-[:OF]->(:PriorityAxis)-[:OF]->(g:Programme) "
        "RETURN c.id AS from_id, g.id AS to_id",
    ),
)

"""Reads of the RDF export (``rdf/``): incoming edges by the ids of their end nodes, so that an
entity's description can hold the edges that point at it (``rdf.in.<TYPE>.<From>.<To>``), and the
projects a dump subset selects (``rdf.projects.*``)."""

from __future__ import annotations

from graph.cypher import Statement, register
from graph.model import RELS, RelType


def _incoming(rel: RelType) -> list[Statement]:
    returned = ", ".join(["a.id AS from_id", "b.id AS to_id", *(f"x.{p} AS {p}" for p in rel.prop_names)])
    return [
        Statement(
            f"rdf.in.{rel.type}.{a}.{b}",
            f"UNWIND $ids AS k MATCH (a:{a})-[x:{rel.type}]->(b:{b} {{id: k}}) RETURN {returned} "
            "ORDER BY to_id, from_id",
        )
        for a, b in rel.pairs
    ]


register(
    *(st for rel in RELS.values() for st in _incoming(rel)),
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

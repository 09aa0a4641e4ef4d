"""Reads behind the GraphQL API.

Edges are walked from a batch of ids by the generated ``fetch.rel.*`` (forwards) and
``fetch.rel_to.*`` (backwards) statements. Here: ``api.facts.*``, one compact row per node or edge
of a kind, with the keys that list filters, sort orders, network and summary computations need. The
API filters, pages and aggregates over them in Python, which at this product's scale (thousands of
projects) is cheaper than one round trip per nested list and keeps every filter the same on both
backends.
"""

from __future__ import annotations

from graph.cypher import Statement, register
from graph.model import NODES


def _returned(label: str, var: str = "n") -> str:
    return ", ".join([f"{var}.id AS id", *(f"{var}.{p} AS {p}" for p in NODES[label].prop_names)])


SEARCH_COLUMNS = ("label", "id", "name_search", "name_sort")  # a search candidate's, as api.search returns it
# The labels search looks through; whether a part of a node's id finds it too (a registration
# number), and the codes that name it exactly.
_SEARCHED: tuple[tuple[str, bool, tuple[str, ...]], ...] = (
    ("Project", True, ()),
    ("Organisation", False, ("n.ico",)),
    ("Municipality", False, ()),
    ("Orp", False, ("n.id",)),
    ("Okres", False, ("toLower(n.id)",)),
    ("Pou", False, ("n.id",)),
    ("Microregion", False, ()),
    ("Region", False, ("toLower(n.id)",)),
    ("Programme", False, ("toLower(n.id)", "toLower(n.abbreviation)")),
    ("PriorityAxis", False, ()),
    ("Call", False, ()),
    ("TargetGroup", False, ()),
)


def _candidates(label: str, by_id: bool, codes: tuple[str, ...]) -> str:
    found_by = "".join([" OR toLower(n.id) CONTAINS $q" if by_id else "", *(f" OR {c} = $q" for c in codes)])
    return f"MATCH (n:{label}) WHERE n.name_search CONTAINS $q{found_by} RETURN {_name_columns(label)}"


def _names(label: str, by_id: bool, codes: tuple[str, ...]) -> str:
    id_search = "toLower(n.id)" if by_id else "''"
    code_0, code_1 = (*codes, "''", "''")[:2]
    return (f"MATCH (n:{label}) RETURN {_name_columns(label)}, {id_search} AS id_search, "
            f"{code_0} AS code_0, {code_1} AS code_1")


def _name_columns(label: str) -> str:
    return ", ".join([f"'{label}' AS label", *(f"n.{c} AS {c}" for c in SEARCH_COLUMNS[1:])])


(FACTS_PROJECTS, FACTS_PARTICIPATIONS, FACTS_PROJECT_PLACES, FACTS_ORGANISATION_PLACES, FACTS_ORGANISATIONS,
 FACTS_OUTPUTS, FACTS_MUNICIPALITIES, FACTS_MUNICIPALITY_UNITS, FACTS_ORPS, FACTS_OKRESY, FACTS_POUS, FACTS_REGIONS,
 FACTS_PROGRAMMES, FACTS_FUNDING, SEARCH, FACTS_NAMES) = register(
    Statement(
        "api.facts.projects",
        "MATCH (n:Project) OPTIONAL MATCH (n)-[:FUNDED_UNDER]->(u) "
        "OPTIONAL MATCH (u)-[:OF*0..2]->(g:Programme) "
        "OPTIONAL MATCH (u)-[:OF*0..1]->(a:PriorityAxis) "
        "OPTIONAL MATCH (u)-[:OF*0..0]->(c:Call) "
        f"RETURN {_returned('Project')}, g.id AS programme_id, a.id AS axis_id, c.id AS call_id",
    ),
    Statement(
        "api.facts.participations",
        "MATCH (o:Organisation)-[x:PARTICIPATES_IN]->(p:Project) "
        "RETURN p.id AS project_id, o.id AS organisation_id, x.role AS role, x.role_stated AS role_stated, "
        "x.amount_minor AS amount_minor, x.source AS source, x.sources AS sources",
    ),
    Statement(
        # The places a project covers, down to municipalities (through the microregions it covers)
        # and up to their regions; one row per (project, municipality or region).
        "api.facts.project_places",
        "MATCH (p:Project)-[:COVERS]->(r:Region) RETURN p.id AS project_id, '' AS municipality_id, r.id AS region_id "
        "UNION ALL MATCH (p:Project)-[:COVERS]->(m:Municipality) OPTIONAL MATCH (m)-[:IN_REGION]->(r:Region) "
        "RETURN p.id AS project_id, m.id AS municipality_id, coalesce(r.id, '') AS region_id "
        "UNION ALL MATCH (p:Project)-[:COVERS]->(c:Microregion) OPTIONAL MATCH (c)-[:IN_REGION]->(r:Region) "
        "RETURN p.id AS project_id, '' AS municipality_id, coalesce(r.id, '') AS region_id "
        "UNION ALL MATCH (p:Project)-[:COVERS]->(:Microregion)<-[:PART_OF]-(m:Municipality) "
        "RETURN p.id AS project_id, m.id AS municipality_id, '' AS region_id "
        "UNION ALL MATCH (p:Project)-[:COVERS]->(:Orp)<-[:IN_ORP]-(m:Municipality) OPTIONAL MATCH (m)-[:IN_REGION]->(r:Region) "
        "RETURN p.id AS project_id, m.id AS municipality_id, coalesce(r.id, '') AS region_id",
    ),
    Statement(
        # The places an organisation is at: its seat and what it governs, with their regions.
        "api.facts.organisation_places",
        "MATCH (o:Organisation)-[:SEATED_IN]->(m:Municipality) OPTIONAL MATCH (m)-[:IN_REGION]->(r:Region) "
        "RETURN o.id AS organisation_id, m.id AS municipality_id, coalesce(r.id, '') AS region_id, true AS seat "
        "UNION ALL MATCH (o:Organisation)-[:GOVERNS]->(m:Municipality) OPTIONAL MATCH (m)-[:IN_REGION]->(r:Region) "
        "RETURN o.id AS organisation_id, m.id AS municipality_id, coalesce(r.id, '') AS region_id, false AS seat "
        "UNION ALL MATCH (o:Organisation)-[:GOVERNS]->(r:Region) "
        "RETURN o.id AS organisation_id, '' AS municipality_id, r.id AS region_id, false AS seat "
        "UNION ALL MATCH (o:Organisation)-[:GOVERNS]->(:Microregion)-[:IN_REGION]->(r:Region) "
        "RETURN o.id AS organisation_id, '' AS municipality_id, r.id AS region_id, false AS seat",
    ),
    Statement("api.facts.organisations", f"MATCH (n:Organisation) RETURN {_returned('Organisation')}"),
    Statement(
        # What planning produced, with the projects that produced it.
        "api.facts.outputs",
        f"MATCH (n:Output) OPTIONAL MATCH (p:Project)-[:PRODUCED]->(n) RETURN {_returned('Output')}, "
        "collect(p.id) AS project_ids",
    ),
    Statement(
        "api.facts.municipalities",
        f"MATCH (n:Municipality) OPTIONAL MATCH (n)-[:IN_REGION]->(r:Region) RETURN {_returned('Municipality')}, "
        "r.id AS region_id",
    ),
    Statement(
        # Each Czech municipality's ORP district and okres: the filters and groups by ORP and okres.
        "api.facts.municipality_units",
        "MATCH (m:Municipality)-[:IN_ORP]->(o:Orp) OPTIONAL MATCH (m)-[:IN_OKRES]->(k:Okres) "
        "RETURN m.id AS municipality_id, o.id AS orp_id, coalesce(k.id, '') AS okres_id",
    ),
    *(Statement(f"api.facts.{label.lower()}",
                f"MATCH (n:{label}) OPTIONAL MATCH (n)-[:IN_REGION]->(r:Region) RETURN {_returned(label)}, r.id AS region_id")
      for label in ("Orp", "Okres", "Pou")),  # FACTS_ORPS, FACTS_OKRESY, FACTS_POUS
    Statement(
        "api.facts.regions",
        f"MATCH (n:Region) OPTIONAL MATCH (n)-[:PART_OF]->(r:Region) RETURN {_returned('Region')}, r.id AS parent_id",
    ),
    Statement("api.facts.programmes", f"MATCH (n:Programme) RETURN {_returned('Programme')}"),
    Statement(
        "api.facts.funding",
        "MATCH (p:Project)-[:HAS_FUNDING]->(f:FundingShare) "
        "RETURN p.id AS project_id, f.source AS source, f.amount_minor AS amount_minor",
    ),
    Statement(
        # Search candidates: nodes whose folded name (or a project's registration number) contains
        # $q, or that a code names exactly ($q as typed, folded); the API ranks them and checks the
        # other words.
        "api.search",
        " UNION ALL ".join(_candidates(*searched) for searched in _SEARCHED),
    ),
    Statement(
        # What a search looks through, of every searched node: the same candidates as api.search
        # where a name index is kept (schema/context.py).
        "api.facts.names",
        " UNION ALL ".join(_names(*searched) for searched in _SEARCHED),
    ),
)

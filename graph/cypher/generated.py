"""Statements the model implies: schema, key look-ups for the write diff, bulk writes, counts.

Names: ``schema.*``, ``fetch.node.<Label>``, ``fetch.rel.<TYPE>.<From>.<To>``,
``write.node.<Label>`` (Neo4j MERGE), ``update.node.<Label>``, ``copy.node.<Label>`` (embedded
COPY, with a ``{path}`` placeholder), and the same for relationships and the key tables
(``<Label>Key``); ``fetch.rel_to.*`` (edges by their end); ``fetch.key.<Label>`` (nodes holding a
key, for merges across loads) and
``delete.node.<Label>`` (a node merged into another, with its edges); ``count.*``; ``admin.*``.
"""

from __future__ import annotations

from dataclasses import dataclass

from graph.cypher import NOT_EMBEDDED, Statement, key_in_ids, known, register
from graph.model import KEY_TABLES, NODES, RELS, NodeType, Prop, PropType, RelType

# The CSV files COPY reads are written by Python's csv module (quote and escape '"'). The engine's
# dialect sniffer reads only the first few hundred rows: when none of them is quoted it reads a later
# quoted cell (a JSON of spans) as several values and the whole load fails, so it is turned off.
_COPY_CSV = "header=true, parallel=false, auto_detect=false"


def _coalesce_set(var: str, props: tuple[Prop, ...], *, embedded: bool = False) -> str:
    """SET clauses where a null in a record never erases what another source said. The embedded
    store types a parameter column that is null in every row as STRING, hence its casts."""

    def value(p: Prop) -> str:
        return f"CAST(r.{p.name} AS {p.type.value})" if embedded and p.type != PropType.STRING else f"r.{p.name}"

    return ", ".join(f"{var}.{p.name} = coalesce({value(p)}, {var}.{p.name})" for p in props)


def _node_statements(node: NodeType) -> list[Statement]:
    label, props = node.label, node.props
    returned = ", ".join(["n.id AS id", *(f"n.{p} AS {p}" for p in node.prop_names)])
    return [
        Statement(f"fetch.node.{label}", f"UNWIND $ids AS k MATCH (n:{label} {{id: k}}) RETURN {returned}"),
        Statement(
            f"write.node.{label}",
            f"UNWIND $rows AS r MERGE (n:{label} {{id: r.id}}) SET {_coalesce_set('n', props)}",
            f"UNWIND $rows AS r MERGE (n:{label} {{id: r.id}}) SET {_coalesce_set('n', props, embedded=True)}",
        ),
        Statement(
            f"update.node.{label}",
            f"UNWIND $rows AS r MATCH (n:{label} {{id: r.id}}) SET {_coalesce_set('n', props)}",
            f"UNWIND $rows AS r MATCH (n:{label} {{id: r.id}}) SET {_coalesce_set('n', props, embedded=True)}",
        ),
        Statement(f"copy.node.{label}", None, f"COPY {label} FROM '{{path}}' ({_COPY_CSV})"),
        Statement(f"count.node.{label}", f"MATCH (n:{label}) RETURN count(n) AS n"),
        Statement(f"delete.node.{label}", f"UNWIND $rows AS k MATCH (n:{label} {{id: k}}) DETACH DELETE n"),
        Statement(
            f"all.node.{label}",
            f"MATCH (n:{label}) WHERE n.id > $after RETURN {returned} ORDER BY n.id LIMIT $limit",
        ),
    ] + ([
        # By the primary key of the key table (graph.model.KEY_TABLES): a look-up, not a scan.
        Statement(f"fetch.key.{label}",
                  f"UNWIND $keys AS k MATCH (x:{label}Key {{id: k}}) RETURN k AS key, x.node AS id ORDER BY key, id"),
    ] if node.keyed else [])


def _rel_statements(rel: RelType) -> list[Statement]:
    t = rel.type
    returned = ", ".join(["a.id AS from_id", "b.id AS to_id", *(f"x.{p} AS {p}" for p in rel.prop_names)])
    same_edge = " AND ".join(f"x.{p} = r.{p}" for p in rel.identity)
    identity_map = ", ".join(f"{p}: r.{p}" for p in rel.identity)
    merge_pattern = f"[x:{t} {{{identity_map}}}]" if identity_map else f"[x:{t}]"
    settable = tuple(p for p in rel.props if p.name not in rel.identity)
    order = f"ORDER BY from_id, to_id{''.join(f', {p}' for p in rel.identity)}"  # readers may take the first row
    out = [Statement(f"count.rel.{t}", f"MATCH ()-[x:{t}]->() RETURN count(x) AS n")]
    for a, b in rel.pairs:
        ends = f"MATCH (a:{a} {{id: r.from_id}}) MATCH (b:{b} {{id: r.to_id}})"
        set_clause = f" SET {_coalesce_set('x', settable)}" if settable else ""
        embedded_set = f" SET {_coalesce_set('x', settable, embedded=True)}" if settable else ""
        created_set = f" SET {_coalesce_set('x', rel.props, embedded=True)}" if rel.props else ""
        where = f" WHERE {same_edge}" if same_edge else ""
        out += [
            # Embedded: an UNWIND in front of the pattern makes ladybug scan every edge of the type
            # for each id (BENCHMARKS.md); a list predicate on the end's key, within the list's bounds,
            # looks the ends up once, and one id is looked up by equality (Statement.embedded_one).
            # Neo4j: the hint keeps the plan on the given end, where the planner would start from
            # the far end when it has few nodes (6,258 municipalities DESCRIBED_BY one document).
            Statement(
                f"fetch.rel.{t}.{a}.{b}",
                f"UNWIND $ids AS k MATCH (a:{a} {{id: k}})-[x:{t}]->(b:{b}) USING INDEX a:{a}(id) RETURN {returned} {order}",
                f"MATCH (a:{a})-[x:{t}]->(b:{b}) WHERE {key_in_ids('a')} RETURN {returned} {order}",
                f"MATCH (a:{a})-[x:{t}]->(b:{b}) WHERE a.id = $id RETURN {returned} {order}",
            ),
            Statement(
                f"fetch.rel_to.{t}.{a}.{b}",
                f"UNWIND $ids AS k MATCH (a:{a})-[x:{t}]->(b:{b} {{id: k}}) USING INDEX b:{b}(id) RETURN {returned} {order}",
                f"MATCH (a:{a})-[x:{t}]->(b:{b}) WHERE {key_in_ids('b')} RETURN {returned} {order}",
                f"MATCH (a:{a})-[x:{t}]->(b:{b}) WHERE b.id = $id RETURN {returned} {order}",
            ),
            Statement(
                f"all.rel.{t}.{a}.{b}",
                f"MATCH (a:{a})-[x:{t}]->(b:{b}) RETURN {returned} "
                f"{order} SKIP $skip LIMIT $limit",
            ),
            Statement(
                f"write.rel.{t}.{a}.{b}",
                f"UNWIND $rows AS r {ends} MERGE (a)-{merge_pattern}->(b){set_clause}",
                # Embedded: the plan holds only new edges, and CREATE is far faster there than MERGE.
                f"UNWIND $rows AS r {ends} CREATE (a)-[x:{t}]->(b){created_set}",
            ),
        ]
        if set_clause:
            match = f"UNWIND $rows AS r MATCH (a:{a} {{id: r.from_id}})-[x:{t}]->(b:{b} {{id: r.to_id}}){where}"
            out.append(Statement(f"update.rel.{t}.{a}.{b}", match + set_clause, match + embedded_set))
        out.append(
            Statement(
                f"copy.rel.{t}.{a}.{b}",
                None,
                f"COPY {t} FROM '{{path}}' ({_COPY_CSV}, from='{a}', to='{b}')",
            )
        )
    return out


def _schema_statements() -> list[Statement]:
    out: list[Statement] = []
    for node in (*NODES.values(), *KEY_TABLES.values()):
        cols = ", ".join(["id STRING", *(f"{p.name} {p.type.value}" for p in node.props)])
        lower = node.label.lower()
        out.append(
            Statement(
                f"schema.node.{node.label}",
                f"CREATE CONSTRAINT {lower}_id IF NOT EXISTS FOR (n:{node.label}) REQUIRE n.id IS UNIQUE",
                f"CREATE NODE TABLE IF NOT EXISTS {node.label}({cols}, PRIMARY KEY(id))",
            )
        )
        if node.named:
            # Neo4j only (the embedded store, which has no text index, keeps a name index in the
            # server: schema/context.py): a text index answers search's CONTAINS on the folded name,
            # a range index the Czech sort key.
            out += [
                Statement(
                    f"schema.index.{node.label}.name_search",
                    f"CREATE TEXT INDEX {lower}_name_search_text IF NOT EXISTS FOR (n:{node.label}) ON (n.name_search)",
                    NOT_EMBEDDED,
                ),
                Statement(
                    f"schema.index.{node.label}.name_sort",
                    f"CREATE INDEX {lower}_name_sort IF NOT EXISTS FOR (n:{node.label}) ON (n.name_sort)",
                    NOT_EMBEDDED,
                ),
            ]
    for rel in RELS.values():
        pairs = ", ".join(f"FROM {a} TO {b}" for a, b in rel.pairs)
        cols = "".join(f", {p.name} {p.type.value}" for p in rel.props)
        out.append(
            Statement(
                f"schema.rel.{rel.type}",
                None,  # Neo4j needs no declaration of relationship types
                f"CREATE REL TABLE IF NOT EXISTS {rel.type}({pairs}{cols})",
            )
        )
    return out


register(
    *_schema_statements(),
    *(st for node in (*NODES.values(), *KEY_TABLES.values()) for st in _node_statements(node)),
    *(st for rel in RELS.values() for st in _rel_statements(rel)),
    Statement("admin.health", "RETURN 1 AS ok"),
    # Neo4j reads committed data statement by statement; this node is the fence that makes a load and
    # a snapshot (a dump's many statements) exclude each other: each locks it first (graph/store/neo4j.py).
    Statement("schema.fence", "CREATE CONSTRAINT storelock_id IF NOT EXISTS FOR (l:StoreLock) REQUIRE l.id IS UNIQUE",
              NOT_EMBEDDED),
    Statement("admin.fence", "MERGE (l:StoreLock {id: 'graph'}) SET l.locked_at = timestamp()", NOT_EMBEDDED),
    Statement("admin.clear", "MATCH (n) DETACH DELETE n"),
)


@dataclass(frozen=True)
class Node:
    """The generated reads of one label, for callers outside ``graph/``; an unknown label is refused."""

    label: str

    def __post_init__(self) -> None:
        known(self.fetch)

    @property
    def fetch(self) -> str:  # $ids -> the nodes
        return f"fetch.node.{self.label}"

    @property
    def all(self) -> str:  # $after, $limit -> a keyset page
        return f"all.node.{self.label}"

    @property
    def count(self) -> str:
        return f"count.node.{self.label}"

    @property
    def key(self) -> str:  # $keys -> the nodes holding them (a label whose nodes carry ``keys``)
        return known(f"fetch.key.{self.label}")


@dataclass(frozen=True)
class Edge:
    """The generated reads of one relationship type between two labels; a type or pair the model
    does not declare is refused."""

    type: str
    source: str
    target: str

    def __post_init__(self) -> None:
        known(self.fetch)

    @property
    def fetch(self) -> str:  # $ids of the sources -> their edges
        return f"fetch.rel.{self.type}.{self.source}.{self.target}"

    @property
    def fetch_to(self) -> str:  # $ids of the targets -> the edges into them
        return f"fetch.rel_to.{self.type}.{self.source}.{self.target}"

    @property
    def all(self) -> str:  # $skip, $limit -> a page of every edge
        return f"all.rel.{self.type}.{self.source}.{self.target}"

    @classmethod
    def every(cls) -> list[Edge]:
        return [cls(rel.type, a, b) for rel in RELS.values() for a, b in rel.pairs]

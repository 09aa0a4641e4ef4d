"""Questions over the whole graph: search, common partners, paths between organisations, the
partnership network with its metrics, and funding summaries. Each reads the request's facts (a
fixed number of round trips) and computes in Python; the network and its communities come from
igraph, betweenness from networkx."""

from __future__ import annotations

import random
from collections import Counter, defaultdict
from collections.abc import Callable
from enum import Enum
from itertools import combinations
from typing import Annotated, Any

import igraph as ig
import networkx as nx
import strawberry
from cachetools import LRUCache
from strawberry.types import Info
from strawberry.types.nodes import SelectedField

from graph.cypher.api import FACTS_FUNDING
from graph.model import FundingSource
from schema.context import CHECK_EVERY, WORKING_ROLES, Data, OrganisationFacts, ProjectFacts, Row, data, sort_key
from schema.enums import FundingGroupBy, OrganisationKind, Role
from schema.errors import bad_input, limit_exceeded, not_found
from schema.filters import ProjectFilter, select_projects, text_matches, words
from schema.paging import Connection, paginate
from schema.types import (
    Call,
    Money,
    Microregion,
    Municipality,
    OfKind,
    Okres,
    Organisation,
    Orp,
    Pou,
    PriorityAxis,
    Programme,
    Project,
    Region,
    TargetGroup,
    _enum,
    money,
    region,
)

MAX_PATH_HOPS = 6


def working_roles(roles: list[Any] | None) -> set[str]:
    return set(WORKING_ROLES) if roles is None else {r.value for r in roles}


RolesArg = Annotated[list[Role] | None, strawberry.argument(
    description="Roles that count as taking part; by default BENEFICIARY, PARTNER and CO_FUNDER (the bodies "
    "administering the programme, managing authority and intermediate body, are left out).")]


# --- search -------------------------------------------------------------------------------------


@strawberry.enum(description="Kinds of things search looks through.")
class SearchKind(Enum):
    PROJECT = "Project"
    ORGANISATION = "Organisation"
    MUNICIPALITY = "Municipality"
    ORP = "Orp"
    OKRES = "Okres"
    POU = "Pou"
    MICROREGION = "Microregion"
    REGION = "Region"
    PROGRAMME = "Programme"
    PRIORITY_AXIS = "PriorityAxis"
    CALL = "Call"
    TARGET_GROUP = "TargetGroup"


SearchHit = Annotated[
    Project | Organisation | Municipality | Orp | Okres | Pou | Microregion | Region | Programme | PriorityAxis | Call | TargetGroup,
    strawberry.union("SearchHit", description="Something search found."),
]
_KIND_ORDER = {k.value: i for i, k in enumerate(SearchKind)}
_WRAP = {"Project": Project.of, "Organisation": Organisation.of, "Municipality": Municipality.of, "Orp": Orp.of,
         "Okres": Okres.of, "Pou": Pou.of, "Microregion": Microregion.of, "Region": Region.of,
         "Programme": Programme.of, "PriorityAxis": PriorityAxis.of, "Call": Call.of,
         "TargetGroup": TargetGroup.of}


def _rank(folded: str, name: str) -> int:
    if name == folded:
        return 0
    if name.startswith(folded):
        return 1
    if f" {folded}" in f" {name}":
        return 2
    return 3


async def search(info: Info, text: str, kinds: list[SearchKind] | None, first: int | None,
                 after: str | None) -> Connection[SearchHit]:
    d = data(info)
    tokens = words(text)
    if not tokens:
        raise bad_input("search text must contain a word")
    wanted = None if kinds is None else {k.value for k in kinds}
    folded = " ".join(tokens)
    candidates = await d.search_candidates(max(tokens, key=len))
    hits = [h for h in candidates if (wanted is None or h["label"] in wanted)
            and text_matches(tokens, h["name_search"], h["id"])]
    unique = {(h["label"], h["id"]): h for h in hits}.values()

    def key(h: Row) -> tuple:
        return (_rank(folded, h["name_search"] or ""), _KIND_ORDER[h["label"]], h["name_sort"] or "", h["id"])

    # Its nodes are rows until they are made into the results below.
    page: Connection[Any] = paginate(sorted(unique, key=key), key, first, after, d.max_page_size)
    by_label: dict[str, list[str]] = defaultdict(list)
    for edge in page.edges:
        by_label[edge.node["label"]].append(edge.node["id"])
    rows: dict[tuple[str, str], Row] = {}
    for label, ids in by_label.items():  # one batched look-up per kind on the page
        rows |= {(label, r["id"]): r for r in await d.nodes(label, ids)}
    for edge in page.edges:
        edge.node = _WRAP[edge.node["label"]](rows[(edge.node["label"], edge.node["id"])])
    return page


# --- common partners and paths -------------------------------------------------------------------


async def common_partners(info: Info, registration_numbers: list[str], roles: list[Any] | None,
                          first: int | None, after: str | None) -> Connection[Organisation]:
    d = data(info)
    if not registration_numbers:
        raise bad_input("give at least one registration number")
    facts, orgs = await d.projects(), await d.organisations()
    unknown = [r for r in registration_numbers if r not in facts.by_id]
    if unknown:
        raise not_found(f"no project with registration number {', '.join(unknown)}")
    counted = working_roles(roles)
    sets = [{p["organisation_id"] for p in facts.participations.get(r, []) if p["role"] in counted}
            for r in registration_numbers]
    common = set.intersection(*sets)
    rows = [row for row in orgs.rows if row["id"] in common]
    return paginate(rows, sort_key, first, after, d.max_page_size, Organisation.of)


@strawberry.type(description="One link of a path: two organisations that worked on the same project.")
class PathStep:
    from_: Organisation = strawberry.field(name="from", description="The organisation the step starts at.")
    project: Project = strawberry.field(description="The project both took part in.")
    to: Organisation = strawberry.field(description="The organisation the step reaches.")


@strawberry.type(description="A shortest chain of shared projects between two organisations.")
class OrganisationPath:
    hops: int = strawberry.field(description="Number of projects in the chain (0 when both ends are the same organisation).")
    organisations: list[Organisation] = strawberry.field(description="The organisations along the chain, from start to end.")
    steps: list[PathStep] = strawberry.field(description="The links of the chain in order.")


async def path(info: Info, source: str, target: str, max_hops: int, roles: list[Any] | None) -> OrganisationPath | None:
    d = data(info)
    if max_hops < 0:
        raise bad_input("`maxHops` must not be negative")
    if max_hops > MAX_PATH_HOPS:
        raise limit_exceeded(f"`maxHops` is at most {MAX_PATH_HOPS}")
    orgs, facts = await d.organisations(), await d.projects()
    for oid in (source, target):
        if oid not in orgs.by_id:
            raise not_found(f"no organisation with id {oid}")
    chain = await d.compute(lambda: _shortest_chain(d, facts, working_roles(roles), source, target))
    if chain is None:
        return None
    hops = (len(chain) - 1) // 2
    if hops > max_hops:
        return None
    org = {oid: Organisation.of(orgs.by_id[oid]) for kind, oid in chain if kind == "o"}
    steps = [PathStep(from_=org[chain[i][1]], project=Project.of(facts.by_id[chain[i + 1][1]]), to=org[chain[i + 2][1]])
             for i in range(0, len(chain) - 1, 2)]
    return OrganisationPath(hops=hops, organisations=[org[oid] for kind, oid in chain if kind == "o"], steps=steps)


def _shortest_chain(d: Data, facts: ProjectFacts, counted: set[str], source: str, target: str) -> list | None:
    """A shortest chain organisation, project, organisation… from ``source`` to ``target``."""
    graph = nx.Graph()
    # In a stable order, so that ties between shortest paths resolve the same way.
    for n, project in enumerate(facts.rows):
        if n % (CHECK_EVERY // 100) == 0:
            d.check_time()
        for p in sorted(facts.participations.get(project["id"], []), key=lambda p: p["organisation_id"]):
            if p["role"] in counted:
                graph.add_edge(("o", p["organisation_id"]), ("p", project["id"]))
    graph.add_nodes_from([("o", source), ("o", target)])
    try:
        return nx.shortest_path(graph, ("o", source), ("o", target))
    except nx.NetworkXNoPath:
        return None


# --- the partnership network ---------------------------------------------------------------------

# Betweenness costs one shortest-path search per source node, each about as long as the network
# has edges: beyond this many edge visits it is estimated from a sample of source nodes instead.
BETWEENNESS_BUDGET = 3_000_000

# Networks kept between requests until the next write, the least recently asked for dropped first,
# up to this many links in all (a network's metrics and edge list take memory in proportion).
NETWORK_LINKS_KEPT = 500_000

_RANDOM = random.Random()


class Metrics:
    """The network's costlier parts: communities, betweenness and the edges' list, each computed
    when a request first asks for it (in the compute thread, so the server keeps answering) and
    kept with the network."""

    def __init__(self, graph: ig.Graph, members: dict[str, list[Row]]) -> None:
        self.graph = graph  # vertex i: the i-th organisation in Czech name order ("name": its id); edges "weight"
        self.members = members  # organisation id -> its projects in the network, in the projects' order
        self.sample = min(graph.vcount(), max(1, BETWEENNESS_BUDGET // max(graph.ecount(), 1)))
        self.done: dict[str, Any] = {}  # name -> its result, once computed

    async def _once(self, d: Data, name: str, compute: Callable[[], Any]) -> Any:
        if name not in self.done:  # the fields of a request asking for it at the same time wait for one computation
            self.done[name] = await d.once(f"network {id(self)} {name}", lambda: d.compute(compute))
        return self.done[name]

    async def betweenness(self, d: Data) -> dict[str, float]:
        return await self._once(d, "betweenness", self._betweenness)

    def _betweenness(self) -> dict[str, float]:
        # networkx's, for its seeded estimate from a sample of source nodes, which igraph does not offer
        ids, exact = self.graph.vs["name"], self.sample >= self.graph.vcount()
        graph = nx.Graph()
        graph.add_nodes_from(ids)
        graph.add_weighted_edges_from(((ids[a], ids[b], 1 / w) for (a, b), w in
                                       zip(self.graph.get_edgelist(), self.graph.es["weight"], strict=True)),
                                      weight="distance")
        return nx.betweenness_centrality(graph, k=None if exact else self.sample, seed=0, weight="distance",
                                         normalized=True)

    async def communities(self, d: Data) -> list[set[str]]:
        """Louvain communities, largest first (ties: the one whose first name sorts first)."""
        return (await self._once(d, "communities", self._communities))[0]

    def _communities(self) -> tuple[list[set[str]], dict[str, int]]:
        """The communities in order and each node's, computed once for every node of the network."""
        # igraph's Louvain visits the vertices in a random order, drawn from a generator igraph keeps per
        # thread: this thread's is set to ours and reseeded, so every request finds the same communities.
        ig.set_random_number_generator(_RANDOM)
        _RANDOM.seed(0)
        found = self.graph.community_multilevel(weights="weight")
        ranked = sorted(found, key=lambda c: (-len(c), min(c)))  # a vertex's index is its Czech name order
        ids = self.graph.vs["name"]
        return [{ids[v] for v in c} for c in ranked], {ids[v]: i for i, c in enumerate(ranked) for v in c}

    async def edges(self, d: Data) -> list[NetworkEdge]:
        return await self._once(d, "edges", lambda: self._edges(d))

    def _edges(self, d: Data) -> list[NetworkEdge]:
        ids = self.graph.vs["name"]
        # heaviest first, then by the Czech name order of source and target (a vertex's index)
        ranked = sorted(zip(self.graph.es["weight"], self.graph.get_edgelist(), strict=True),
                        key=lambda e: (-e[0], e[1]))
        edges = []
        for n, (weight, (a, b)) in enumerate(ranked):
            if n % CHECK_EVERY == 0:
                d.check_time()
            edges.append(NetworkEdge(source=strawberry.ID(ids[a]), target=strawberry.ID(ids[b]), weight=weight,
                                     pair=(ids[a], ids[b]), metrics=self))
        return edges

    def shared(self, a: str, b: str) -> list[Row]:
        """The projects both took part in, in the projects' order."""
        of_b = {p["id"] for p in self.members[b]}
        return [p for p in self.members[a] if p["id"] in of_b]


@strawberry.type(description="An organisation in the partnership network, with its network metrics.")
class NetworkNode(OfKind):
    id: strawberry.ID = strawberry.field(description="The organisation's id.")
    name: str = strawberry.field(description="The organisation's name.")
    project_count: int = strawberry.field(description="Projects of the network it took part in.")
    total_funding: Money = strawberry.field(description="Sum of the total costs (celkové náklady) of those projects.")
    degree: int = strawberry.field(description="Number of organisations it shares a project with.")
    weighted_degree: int = strawberry.field(description="Sum of the weights of its edges: shared projects counted per partner.")
    region_code: strawberry.Private[str | None]
    row: strawberry.Private[Row]
    metrics: strawberry.Private[Metrics]

    @strawberry.field(description="Normalised betweenness centrality (0–1): how often it lies on the shortest paths "
                      "between others (an edge's length is 1 / its weight). Exact, or estimated from a sample of "
                      "source nodes in a large network: see PartnershipNetwork.betweennessSampleSize.")
    def betweenness(self) -> float:
        # Computed for the whole network before its nodes are resolved (PartnershipNetwork.nodes): a
        # thousand awaits, one per node, would cost more than the metric.
        return round(self.metrics.done["betweenness"][self.id], 6)

    @strawberry.field(description="Number of its community (Louvain modularity on the weights; 0 is the largest).")
    def community(self) -> int:
        return self.metrics.done["communities"][1][self.id]

    @strawberry.field(description="The kraj of its seat, or of the place it governs.")
    async def region(self, info: Info) -> Region | None:
        return await region(info, self.region_code)

    @strawberry.field(description="The organisation.")
    def organisation(self) -> Organisation:
        return Organisation.of(self.row)


@strawberry.type(description="Two organisations that shared projects; the weight is how many.")
class NetworkEdge:
    source: strawberry.ID = strawberry.field(description="Id of one organisation (the first in Czech name order).")
    target: strawberry.ID = strawberry.field(description="Id of the other organisation.")
    weight: int = strawberry.field(description="Number of projects both took part in.")
    pair: strawberry.Private[tuple[str, str]]
    metrics: strawberry.Private[Metrics]

    @strawberry.field(description="The projects both took part in, in Czech name order.")
    def projects(self) -> list[Project]:
        return [Project.of(r) for r in self.metrics.shared(*self.pair)]


@strawberry.type(description="Who worked with whom: organisations linked by the projects they shared.")
class PartnershipNetwork:
    project_count: int = strawberry.field(description="Projects the network was built from.")
    all_nodes: strawberry.Private[list[NetworkNode]]
    metrics: strawberry.Private[Metrics]

    @strawberry.field(description="The organisations, in Czech name order.")
    async def nodes(self, info: Info) -> list[NetworkNode]:
        asked = _field_names(info.selected_fields)
        if "community" in asked:
            await self.metrics.communities(data(info))
        if "betweenness" in asked:
            await self.metrics.betweenness(data(info))
        return self.all_nodes

    @strawberry.field(description="Weighted links, heaviest first (then by the Czech name order of their source and target).")
    async def edges(self, info: Info) -> list[NetworkEdge]:
        return await self.metrics.edges(data(info))

    @strawberry.field(description="Number of communities found.")
    async def community_count(self, info: Info) -> int:
        return len(await self.metrics.communities(data(info)))

    @strawberry.field(description="Source nodes betweenness was computed from: all nodes (exact) in a network small "
                      "enough, a seeded random sample (an estimate, the same on every request) in a large one.")
    def betweenness_sample_size(self) -> int:
        return self.metrics.sample


async def partnership_network(info: Info, where: ProjectFilter | None, roles: list[Any] | None) -> PartnershipNetwork:
    d = data(info)
    projects = await select_projects(d, where)
    counted = working_roles(roles)
    kept = await d.shared("networks", _kept_networks)
    key = (tuple(p["id"] for p in projects), frozenset(counted))  # filters selecting the same projects share one
    if (network := kept.get(key)) is None:
        facts, orgs = await d.projects(), await d.organisations()
        network = await d.compute(lambda: _network(d, projects, facts, orgs, counted))
        if kept.getsizeof(network) <= kept.maxsize:
            kept[key] = network
    return network


async def _kept_networks(_: Data) -> LRUCache:
    return LRUCache(NETWORK_LINKS_KEPT, getsizeof=lambda network: 1 + network.metrics.graph.ecount())


def _network(d: Data, projects: list[Row], facts: ProjectFacts, orgs: OrganisationFacts, counted: set[str]) -> PartnershipNetwork:
    members: dict[str, list[Row]] = defaultdict(list)  # organisation -> its projects in the network
    weights: Counter[tuple[int, int]] = Counter()  # pair of organisations (by Czech name order) -> shared projects
    order = orgs.order
    for n, project in enumerate(projects):
        if n % (CHECK_EVERY // 100) == 0:  # each project adds up to (its participants)² pairs
            d.check_time()
        ids = sorted({order[p["organisation_id"]] for p in facts.participations.get(project["id"], [])
                      if p["role"] in counted})
        for i in ids:
            members[orgs.rows[i]["id"]].append(project)
        weights.update(combinations(ids, 2))
    ranks = sorted(order[o] for o in members)
    vertex = {rank: v for v, rank in enumerate(ranks)}
    d.check_time()
    graph = ig.Graph(n=len(ranks), edges=[(vertex[a], vertex[b]) for a, b in weights],
                     vertex_attrs={"name": [orgs.rows[r]["id"] for r in ranks]},
                     edge_attrs={"weight": list(weights.values())})
    metrics = Metrics(graph, members)
    nodes = [
        NetworkNode(
            id=o, name=orgs.by_id[o]["name"], kind=_enum(OrganisationKind, orgs.by_id[o]["kind"]),
            project_count=len(members[o]),
            total_funding=money(sum(p["total_cost_minor"] or 0 for p in members[o])),
            degree=degree, weighted_degree=int(strength),
            region_code=orgs.seat_region.get(o), row=orgs.by_id[o], metrics=metrics,
        )
        for o, degree, strength in zip(graph.vs["name"], graph.degree(), graph.strength(weights="weight"), strict=True)
    ]
    return PartnershipNetwork(all_nodes=nodes, project_count=len(projects), metrics=metrics)


def _field_names(selections: list[Any]) -> set[str]:
    """The names of every field selected below these, fragments included."""
    names = set()
    for selection in selections:
        if isinstance(selection, SelectedField):
            names.add(selection.name)
        names |= _field_names(selection.selections)
    return names


# --- funding summaries ---------------------------------------------------------------------------


@strawberry.type(description="Money and projects of one group.")
class FundingGroup:
    key: str | None = strawberry.field(description="The group: a programme code, priority axis id, NUTS 3 code, ORP code, okres (LAU 1) code, year or funding source (as its enum value, e.g. esf); null for projects without one.")
    name: str | None = strawberry.field(description="Name of the group, where it has one (programme, axis, region, ORP, okres).")
    total: Money = strawberry.field(description="Total cost of the group's projects; for FUNDING_SOURCE the sum of that source's shares.")
    project_count: int = strawberry.field(description="Number of projects in the group.")
    projects_without_amount: int = strawberry.field(description="How many of them state no amount (no total cost, or no amount for that source): the total leaves them out, it does not count them as zero.")
    subgroups: list[FundingGroup] = strawberry.field(description="With `thenBy`: the group's projects grouped by the second dimension (e.g. programme × year, kraj × funding source), by key; a funding source's share when either dimension is the funding source. Empty without `thenBy`.")


@strawberry.type(description="Money totals of projects, grouped.")
class FundingSummary:
    group_by: FundingGroupBy = strawberry.field(description="How the projects were grouped.")
    then_by: FundingGroupBy | None = strawberry.field(description="How each group was grouped again (its subgroups), if at all.")
    total: Money = strawberry.field(description="Total cost of all the projects summarised (each counted once).")
    project_count: int = strawberry.field(description="Number of projects summarised.")
    projects_without_amount: int = strawberry.field(description="How many of them state no total cost.")
    groups: list[FundingGroup] = strawberry.field(description="The groups, by key. A project covering places in several regions counts in each of their groups.")


async def _names(d: Data, label: str, ids: set[str]) -> dict[str, str]:
    return {r["id"]: r["name"] for r in await d.nodes(label, sorted(ids))}


Keyed = dict[str, list[tuple[str | None, int | None]]]  # project id -> (group key, amount) of each group it is in


async def _grouping(d: Data, group_by: FundingGroupBy, projects: list[Row]) -> tuple[Keyed, dict[str, str]]:
    """Each project's groups under one dimension, with the amount it brings to each (a funding
    source's share, else its total cost), and the groups' names."""
    keyed: Keyed = defaultdict(list)
    names: dict[str, str] = {}
    if group_by == FundingGroupBy.FUNDING_SOURCE:
        shares: dict[str, list[Row]] = defaultdict(list)
        for share in await d.facts(FACTS_FUNDING):
            shares[share["project_id"]].append(share)
        for project in projects:
            keyed[project["id"]] = [(s["source"], s["amount_minor"]) for s in shares.get(project["id"], [])]
        return keyed, {source.value: source.cs for source in FundingSource}
    if group_by == FundingGroupBy.REGION:
        facts, places = await d.projects(), await d.places()
        for project in projects:
            kraje = sorted(r for r in facts.regions.get(project["id"], ()) if places.region_by_id[r]["nuts_level"] == 3)
            cost = project["total_cost_minor"]
            keyed[project["id"]] = [(code, cost) for code in kraje] or [(None, cost)]
        return keyed, {code: places.region_by_id[code]["name"] for code in places.region_by_id}
    if group_by in (FundingGroupBy.ORP, FundingGroupBy.OKRES):
        facts, units = await d.projects(), (await d.units())[group_by.value]
        for project in projects:
            codes = sorted({units[m] for m in facts.municipalities.get(project["id"], ()) if m in units})
            cost = project["total_cost_minor"]
            keyed[project["id"]] = [(code, cost) for code in codes] or [(None, cost)]
        label = "Orp" if group_by == FundingGroupBy.ORP else "Okres"
        return keyed, await _names(d, label, {k for ks in keyed.values() for k, _ in ks if k})
    column = {FundingGroupBy.PROGRAMME: "programme_id", FundingGroupBy.PRIORITY_AXIS: "axis_id"}.get(group_by)
    for project in projects:
        key = project[column] if column else (project["period_start"] or "")[:4] or None
        keyed[project["id"]] = [(key, project["total_cost_minor"])]
    if column:
        label = "Programme" if group_by == FundingGroupBy.PROGRAMME else "PriorityAxis"
        names = await _names(d, label, {k for ks in keyed.values() for k, _ in ks if k})
    return keyed, names


def _groups(projects: list[Row], keyed: Keyed, names: dict[str, str], then: tuple[Keyed, dict[str, str]] | None,
            share_first: bool) -> list[FundingGroup]:
    """Groups of the first dimension, each with its subgroups of the second (``then``). Within a
    pair of groups a project brings its funding source's share when either dimension is the
    funding source (``share_first``: the first is), else its total cost."""
    totals: dict[str | None, int] = defaultdict(int)
    members: dict[str | None, set[str]] = defaultdict(set)
    unstated: dict[str | None, set[str]] = defaultdict(set)
    inner: dict[str | None, list[Row]] = defaultdict(list)
    inner_keyed: dict[str | None, Keyed] = defaultdict(lambda: defaultdict(list))
    for project in projects:
        for key, amount in keyed.get(project["id"], []):
            totals[key] += amount or 0
            members[key].add(project["id"])
            if amount is None:
                unstated[key].add(project["id"])
            if then:
                inner[key].append(project)
                for sub, sub_amount in then[0].get(project["id"], []):
                    inner_keyed[key][project["id"]].append((sub, amount if share_first else sub_amount))
    return [FundingGroup(key=k, name=names.get(k) if k else None, total=money(totals[k]), project_count=len(members[k]),
                         projects_without_amount=len(unstated[k]),
                         subgroups=_groups(list({p["id"]: p for p in inner[k]}.values()), inner_keyed[k], then[1], None,
                                           False) if then else [])
            for k in sorted(totals, key=lambda k: (k is None, k or ""))]


async def funding_summary(info: Info, group_by: FundingGroupBy, where: ProjectFilter | None,
                          then_by: FundingGroupBy | None = None) -> FundingSummary:
    d = data(info)
    projects = await select_projects(d, where)
    keyed, names = await _grouping(d, group_by, projects)
    then = await _grouping(d, then_by, projects) if then_by else None
    groups = _groups(projects, keyed, names, then, group_by == FundingGroupBy.FUNDING_SOURCE)
    return FundingSummary(group_by=group_by, then_by=then_by, total=money(sum(p["total_cost_minor"] or 0 for p in projects)),
                          project_count=len(projects), groups=groups,
                          projects_without_amount=sum(p["total_cost_minor"] is None for p in projects))

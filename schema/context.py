"""Per-request data access: DataLoaders that batch look-ups by id, and the request's facts.

Everything a request reads goes through one ``Data``, created per request, so that a nested query
makes one round trip per kind of look-up (a page's organisations together, not one by one) and
reads each kind of facts (``api.facts.*``) at most once, whatever the number of results.
"""

from __future__ import annotations

import asyncio
import time
from bisect import bisect_right
from collections import defaultdict
from collections.abc import Awaitable, Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from functools import cached_property
from itertools import accumulate
from typing import Any

from cachetools import LRUCache
from strawberry.dataloader import DataLoader
from strawberry.types import Info

from graph.cypher.api import (
    FACTS_MUNICIPALITIES,
    FACTS_MUNICIPALITY_UNITS,
    FACTS_NAMES,
    FACTS_ORGANISATION_PLACES,
    FACTS_ORGANISATIONS,
    FACTS_OUTPUTS,
    FACTS_PARTICIPATIONS,
    FACTS_PROJECT_PLACES,
    FACTS_PROJECTS,
    FACTS_REGIONS,
    SEARCH,
    SEARCH_COLUMNS,
)
from graph.cypher.generated import Edge, Node
from graph.model import Role
from graph.store import GraphStore, QueryTimeout
from schema.errors import limit_exceeded

Row = dict[str, Any]
# Organisations that take part in a project's work, not in running the programme.
WORKING_ROLES = (Role.BENEFICIARY.value, Role.PARTNER.value, Role.CO_FUNDER.value)
# CPU-heavy work of every request, one piece at a time: the event loop then shares the interpreter
# with one busy thread only, so cheap requests keep their latency while heavy ones run.
_COMPUTE = ThreadPoolExecutor(max_workers=1, thread_name_prefix="kpss-compute")
UNIT_LEVELS = ("orp", "okres")  # the territorial units between the kraj and the municipality
CHECK_EVERY = 10_000  # items a CPU-heavy loop handles between two checks of the time limit
LOOKUPS_KEPT = 50_000  # rows of look-ups by id kept between requests, the least recently used dropped first


def _rows(value: Any) -> int:
    """Rows a look-up's result holds: a node (or none), or a list of edges."""
    return len(value) + 1 if isinstance(value, list) else 1


def sort_key(row: Row) -> tuple[str, str]:
    """Czech collation order of named nodes, the id breaking ties."""
    return (row.get("name_sort") or "", row["id"])


# A project row's column for each unit of a programme it can be listed under.
FUNDED_UNDER = {"programme": "programme_id", "priority_axis": "axis_id", "call": "call_id"}


@dataclass
class ProjectFacts:
    rows: list[Row]  # every project, in name order
    by_id: dict[str, Row]
    participations: dict[str, list[Row]]  # project id -> its participations
    regions: dict[str, set[str]]  # project id -> regions it covers a place in, with their parents
    municipalities: dict[str, set[str]]  # project id -> municipalities it covers

    # The two indexes are built on first use, by the compute thread of the list that needs them.
    @cached_property
    def under(self) -> dict[tuple[str, str], list[Row]]:
        """("programme" | "priority_axis" | "call", id) -> its projects, in name order."""
        found: dict[tuple[str, str], list[Row]] = defaultdict(list)
        for row in self.rows:
            for name, column in FUNDED_UNDER.items():
                if row[column]:
                    found[name, row[column]].append(row)
        return dict(found)

    @cached_property
    def in_region(self) -> dict[str, list[Row]]:
        """Region code (at any level) -> the projects covering a place in it, in name order."""
        found: dict[str, list[Row]] = defaultdict(list)
        for row in self.rows:
            for code in self.regions.get(row["id"], ()):
                found[code].append(row)
        return dict(found)


@dataclass
class OrganisationFacts:
    rows: list[Row]
    by_id: dict[str, Row]
    participations: dict[str, list[Row]]  # organisation id -> its participations
    regions: dict[str, set[str]]  # organisation id -> regions of its seat and what it governs, with parents
    municipalities: dict[str, set[str]]  # organisation id -> its seat and the municipalities it governs
    seat_region: dict[str, str]  # organisation id -> the NUTS 3 region of its seat (or of what it governs)

    @cached_property
    def order(self) -> dict[str, int]:
        """Organisation id -> its place in Czech name order."""
        return {row["id"]: i for i, row in enumerate(self.rows)}


@dataclass
class PlaceFacts:
    regions: list[Row]
    region_by_id: dict[str, Row]
    children: dict[str, set[str]] = field(default_factory=dict)  # region -> its sub-regions

    def ancestors(self, region_id: str) -> set[str]:
        out, current = set(), region_id
        while current and current not in out:
            out.add(current)
            current = (self.region_by_id.get(current) or {}).get("parent_id") or ""
        return out

    def descendants(self, region_id: str) -> set[str]:
        out, todo = set(), [region_id]
        while todo:
            current = todo.pop()
            if current not in out:
                out.add(current)
                todo.extend(self.children.get(current, ()))
        return out


@dataclass
class NameIndex:
    """Every searched node's folded name (and a project's folded id) as a line of one text, so that
    the nodes containing a word are found by ``str.find``'s loop in C over the whole text rather than
    by the engine scanning twelve labels, and the nodes a code names by one dictionary look-up."""

    rows: list[Row]  # the candidates, as api.search returns them
    text: str
    starts: list[int]  # where each row's line begins, then one past the end of the text
    codes: dict[str, list[int]]  # a code that names nodes exactly -> their rows

    @classmethod
    def of(cls, names: list[Row]) -> NameIndex:
        """From the rows of ``api.facts.names``."""
        lines = [f"{r['name_search'] or ''}\t{r['id_search'] or ''}" for r in names]
        codes: dict[str, list[int]] = defaultdict(list)
        for i, r in enumerate(names):
            for code in {r["code_0"], r["code_1"]} - {None, ""}:
                codes[code].append(i)
        return cls([{c: r[c] for c in SEARCH_COLUMNS} for r in names], "\n".join(lines),
                   list(accumulate((len(line) + 1 for line in lines), initial=0)), dict(codes))

    def matching(self, word: str) -> list[Row]:
        """The rows api.search returns for ``word``, a folded word (no space, tab or line break,
        so a match never runs from one line or column into the next)."""
        found = set(self.codes.get(word, ()))
        at = self.text.find(word)
        while at != -1:
            line = bisect_right(self.starts, at) - 1
            found.add(line)
            at = self.text.find(word, self.starts[line + 1])  # the next line: each row found once
        return [self.rows[i] for i in sorted(found)]


class Data:
    def __init__(self, store: GraphStore, max_page_size: int, timeout_s: float | None = None) -> None:
        self.store = store
        self.max_page_size = max_page_size
        self.timeout_s = timeout_s
        self._deadline = None if timeout_s is None else time.monotonic() + timeout_s
        self._loaders: dict[str, DataLoader] = {}
        self._once: dict[str, asyncio.Future] = {}

    def check_time(self) -> None:
        """Refuses to go on once the request has run out of time; CPU-heavy loops call it now and
        then, so that work given up on also stops."""
        if self._deadline is not None and time.monotonic() > self._deadline:
            raise limit_exceeded(f"the query took longer than its time limit of {self.timeout_s:g} s")

    async def compute(self, work: Callable[[], Any]) -> Any:
        """CPU-heavy work (building the facts, network metrics) in the compute thread, so that the
        server keeps answering, given up once the request runs out of time: work still waiting is
        cancelled, work under way finishes unobserved."""
        self.check_time()
        remaining = None if self._deadline is None else max(self._deadline - time.monotonic(), 0)
        future = asyncio.get_running_loop().run_in_executor(_COMPUTE, work)
        try:
            return await asyncio.wait_for(future, remaining)
        except TimeoutError:
            self.check_time()
            raise

    async def read(self, statement: str, **params: Any) -> list[Row]:
        """A statement on the store, refused once the request has run out of time. (A statement
        under way is not interrupted: the embedded store runs one at a time on one connection.)"""
        self.check_time()
        try:
            return await self.store.read(statement, **params)
        except QueryTimeout as exc:
            raise limit_exceeded(f"the query took longer than its time limit of {self.timeout_s:g} s") from exc

    # --- batched look-ups ---------------------------------------------------------------------

    def _loader(self, name: str, load: Callable[[list[str]], Awaitable[list[Any]]]) -> DataLoader:
        if name not in self._loaders:
            self._loaders[name] = DataLoader(load_fn=lambda ids: self._kept(name, load, ids))
        return self._loaders[name]

    async def _kept(self, name: str, load: Callable[[list[str]], Awaitable[list[Any]]], ids: list[str]) -> list[Any]:
        """``load`` of these ids — where the store keeps results until the next write (``memo``),
        only of those not looked up before, so that a request asking for what an earlier one did
        (a project's detail, its participants) reads nothing."""
        memo, generation = self.store.memo, self.store.generation
        if memo is None:
            return await load(ids)
        kept = memo.setdefault("looked up", LRUCache(LOOKUPS_KEPT, getsizeof=_rows))
        found = {i: kept[(name, i)] for i in ids if (name, i) in kept}
        missing = [i for i in ids if i not in found]
        if missing:
            fresh = dict(zip(missing, await load(missing), strict=True))
            if generation == self.store.generation:  # not if a write landed meanwhile
                for i, value in fresh.items():
                    if _rows(value) <= kept.maxsize:
                        kept[(name, i)] = value
            found |= fresh
        return [found[i] for i in ids]

    async def node(self, label: str, node_id: str) -> Row | None:
        return await self._node_loader(label).load(node_id)

    async def nodes(self, label: str, ids: list[str]) -> list[Row]:
        """The nodes that exist, in the order of ``ids``."""
        return [row for row in await self._node_loader(label).load_many(ids) if row is not None]

    def _node_loader(self, label: str) -> DataLoader:
        async def load(ids: list[str]) -> list[Row | None]:
            found = {row["id"]: row for row in await self.read(Node(label).fetch, ids=list(ids))}
            return [found.get(i) for i in ids]

        return self._loader(f"node:{label}", load)

    async def grouped(self, statement: str, key: str, node_id: str) -> list[Row]:
        """Rows of a batched ``$ids`` statement whose ``key`` column is ``node_id``."""

        async def load(ids: list[str]) -> list[list[Row]]:
            groups: dict[str, list[Row]] = defaultdict(list)
            for row in await self.read(statement, ids=list(ids)):  # statements order their rows
                groups[row[key]].append(row)
            return [groups.get(i, []) for i in ids]

        return await self._loader(f"grouped:{statement}", load).load(node_id)

    async def outgoing(self, rel: Edge, node_id: str) -> list[Row]:
        """Edges ``rel`` from a node."""
        return await self.grouped(rel.fetch, "from_id", node_id)

    async def incoming(self, rel: Edge, node_id: str) -> list[Row]:
        """Edges ``rel`` into a node."""
        return await self.grouped(rel.fetch_to, "to_id", node_id)

    async def targets(self, rel: Edge, node_id: str) -> list[Row]:
        """The nodes at the end of the edges ``rel`` from a node, in name order."""
        ends = [e["to_id"] for e in await self.outgoing(rel, node_id)]
        return sorted(await self.nodes(rel.target, ends), key=sort_key)

    async def origins(self, rel: Edge, node_id: str) -> list[Row]:
        """The nodes at the start of the edges ``rel`` into a node, in name order."""
        starts = [e["from_id"] for e in await self.incoming(rel, node_id)]
        return sorted(await self.nodes(rel.source, starts), key=sort_key)

    # --- facts, each read at most once per request --------------------------------------------

    async def once(self, name: str, make: Callable[[], Awaitable[Any]]) -> Any:
        """Built once per request, however many fields ask for it at the same time."""
        if name not in self._once:
            self._once[name] = asyncio.ensure_future(make())
        return await self._once[name]

    async def shared(self, name: str, make: Callable[[Data], Awaitable[Any]]) -> Any:
        """``make(data)`` built once per request — and, where the store can tell that the graph is
        unchanged (``GraphStore.memo``), once for all requests until the next write, so that a list, a
        summary or a network reads the whole graph only the first time. That build belongs to the
        store's memo, not to the request that started it, and has no time limit of its own: a request
        that runs out of time stops waiting, not building, and the next one finds the build under way
        or done (at 48,000 projects the organisations' facts take 15 s, longer than a request may)."""
        self.check_time()
        memo = self.store.memo
        if memo is None:
            return await self.once(name, lambda: make(self))
        build = memo.get(name)
        if build is None or (build.done() and (build.cancelled() or build.exception() is not None)):
            build = memo[name] = asyncio.ensure_future(make(Data(self.store, self.max_page_size)))
        remaining = None if self._deadline is None else max(self._deadline - time.monotonic(), 0)
        try:
            return await asyncio.wait_for(asyncio.shield(build), remaining)
        except TimeoutError:
            self.check_time()
            raise

    async def facts(self, statement: str) -> list[Row]:
        return await self.shared(statement, lambda d: d.read(statement))

    async def places(self) -> PlaceFacts:
        return await self.shared("places", Data._places)

    async def _places(self) -> PlaceFacts:
        regions = await self.facts(FACTS_REGIONS)
        return await self.compute(lambda: _place_facts(regions))

    async def municipalities(self) -> list[Row]:
        """Every municipality (some 6,300) with its kraj, in Czech name order: read only by the
        questions about municipalities, not by every filter on regions."""
        return await self.shared("municipalities", Data._municipalities)

    async def _municipalities(self) -> list[Row]:
        rows = await self.facts(FACTS_MUNICIPALITIES)
        return await self.compute(lambda: sorted(rows, key=sort_key))

    async def units(self) -> dict[str, dict[str, str]]:
        """``"orp"`` and ``"okres"``: municipality id -> the code of its ORP district, its okres."""
        return await self.shared("units", Data._units)

    async def _units(self) -> dict[str, dict[str, str]]:
        rows = await self.facts(FACTS_MUNICIPALITY_UNITS)
        return await self.compute(lambda: {level: {r["municipality_id"]: r[f"{level}_id"] for r in rows if r[f"{level}_id"]}
                                           for level in UNIT_LEVELS})

    async def search_candidates(self, word: str) -> list[Row]:
        """The nodes a search for the folded ``word`` looks at (``api.search``). Where the store keeps
        results until the next write, from a name index kept with them: the statement scans every
        searched label on each request, the index one text (BENCHMARKS.md)."""
        if self.store.memo is None:
            return await self.read(SEARCH, q=word)
        index = await self.shared("names", Data._names)
        return index.matching(word)

    async def _names(self) -> NameIndex:
        names = await self.read(FACTS_NAMES)
        return await self.compute(lambda: NameIndex.of(names))

    async def projects(self) -> ProjectFacts:
        return await self.shared("projects", Data._projects)

    async def _projects(self) -> ProjectFacts:
        rows, parts, (regions, municipalities, _) = await self._owners(
            FACTS_PROJECTS, "project_id", FACTS_PROJECT_PLACES)
        return ProjectFacts(rows, {r["id"]: r for r in rows}, parts, regions, municipalities)

    async def organisations(self) -> OrganisationFacts:
        return await self.shared("organisations", Data._organisations)

    async def outputs(self) -> list[Row]:
        """Every plan, analysis and survey with its producing projects (``project_ids``), in name order."""
        return sorted(await self.facts(FACTS_OUTPUTS), key=sort_key)

    async def _organisations(self) -> OrganisationFacts:
        rows, parts, (regions, municipalities, first_region) = await self._owners(
            FACTS_ORGANISATIONS, "organisation_id", FACTS_ORGANISATION_PLACES)
        return OrganisationFacts(rows, {r["id"]: r for r in rows}, parts, regions, municipalities, first_region)

    async def _owners(self, statement: str, key: str, places_statement: str):
        """Rows of projects or organisations in name order, their participations, and the places
        each is at: regions (with the regions above), municipalities and the first region named
        (an organisation's places come seat first)."""
        nodes, places = await self.facts(statement), await self.places()
        participations, at = await self.facts(FACTS_PARTICIPATIONS), await self.facts(places_statement)
        return await self.compute(lambda: _owner_facts(nodes, places, participations, at, key, self.check_time))


def _place_facts(regions: list[Row]) -> PlaceFacts:
    regions = sorted(regions, key=sort_key)
    children: dict[str, set[str]] = defaultdict(set)
    for r in regions:
        if r["parent_id"]:
            children[r["parent_id"]].add(r["id"])
    return PlaceFacts(regions, {r["id"]: r for r in regions}, dict(children))


def _owner_facts(nodes: list[Row], places: PlaceFacts, participations: list[Row], at: list[Row], key: str,
                 check_time: Callable[[], None]):
    # One row per node, even should a project be funded under two units of a programme.
    rows = sorted({r["id"]: r for r in sorted(nodes, key=stable_order)}.values(), key=sort_key)
    parts: dict[str, list[Row]] = defaultdict(list)
    for i, p in enumerate(participations):
        if i % CHECK_EVERY == 0:
            check_time()
        parts[p[key]].append(p)
    regions: dict[str, set[str]] = defaultdict(set)
    municipalities: dict[str, set[str]] = defaultdict(set)
    first_region: dict[str, str] = {}
    for row in sorted(at, key=lambda r: (not r.get("seat"), stable_order(r))):
        owner = row[key]
        if row["region_id"]:
            regions[owner] |= places.ancestors(row["region_id"])
            first_region.setdefault(owner, row["region_id"])
        if row["municipality_id"]:
            municipalities[owner].add(row["municipality_id"])
    return rows, dict(parts), (dict(regions), dict(municipalities), first_region)


def stable_order(row: Row) -> tuple[str, ...]:
    """A total order of rows that does not depend on the order a backend returned them in."""
    return tuple(f"{k}={v!r}" for k, v in sorted(row.items()))


def data(info: Info) -> Data:
    return info.context["data"]

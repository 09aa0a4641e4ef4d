"""The two backends side by side, same data, same run: the write of a resolved load, then the
API's main questions asked through the GraphQL app in process (no HTTP), each a median of runs.

Neo4j is the one KPSS_NEO4J_URI names (`make bench` starts one in process, tools/neo4j); without
it only the embedded store is measured. The search is measured on Neo4j with its text index and,
as the baseline, with the same predicate evaluated without one (a label scan)."""

from __future__ import annotations

import asyncio
import os
import statistics
import tempfile
import time
from pathlib import Path

import httpx

from bench.synthetic import dataset
from graph.store import GraphStore, open_store
from kpss.settings import Settings
from loaders.reference import aliases, reference_documents
from loaders.resolve import resolve
from server.app import create_app

QUERIES = {
    "project_detail": ('query($r: String!) { project(registrationNumber: $r) { name start end '
                       'participations { role organisation { name } } funding { amount { amount } } } }'),
    "mission": ("{ programmes { code projects(first: 50) { edges { node { registrationNumber "
                "participations { role organisation { name } } } } } } }"),
    "co_partners": "query($o: ID!) { organisation(id: $o) { coPartners(first: 20) { totalCount } } }",
    "network": "{ partnershipNetwork { projectCount nodes { id degree } } }",
    "funding_summary": "{ fundingSummary(groupBy: PROGRAMME) { projectCount total { amount } } }",
    "search": '{ search(text: "organizace 12") { totalCount } }',
}


async def _open(backend: str, folder: Path) -> GraphStore:
    store = await open_store(Settings(backend=backend, db_path=folder / "bench.lbug",
                                      neo4j_uri=os.environ.get("KPSS_NEO4J_URI"), query_timeout_s=600).store_config())
    if backend == "neo4j":
        await store.clear()
    return store


async def _median(work, repeats: int) -> float:
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        await work()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


async def _queries(store: GraphStore, variables: dict, repeats: int) -> dict[str, float]:
    app = create_app(Settings(query_timeout_s=600), store=store)
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://bench", timeout=None) as c:
        async def ask(query: str) -> None:
            body = (await c.post("/graphql", json={"query": query, "variables": variables})).json()
            assert "errors" not in body, body["errors"]

        return {name: await _median(lambda q=query: ask(q), repeats) for name, query in QUERIES.items()}


async def _search_statement(store: GraphStore, hint: str, repeats: int) -> float:
    """Search's look-up of organisations by folded name, with or without a planner hint."""
    text = f"MATCH (n:Organisation) {hint} WHERE n.name_search CONTAINS $q RETURN n.id AS id"
    return await _median(lambda: store._run(text, {"q": "organizace 12"}), repeats)  # noqa: SLF001


async def _backend(backend: str, batch, variables: dict, repeats: int) -> dict:
    with tempfile.TemporaryDirectory() as tmp:
        store = await _open(backend, Path(tmp))
        start = time.perf_counter()
        await store.write(batch)
        result = {"load_s": time.perf_counter() - start, "queries_s": await _queries(store, variables, repeats)}
        if backend == "neo4j":
            await store._run("CALL db.awaitIndexes(300)")  # noqa: SLF001
            result["search_statement_s"] = {
                "text index": await _search_statement(store, "USING TEXT INDEX n:Organisation(name_search)", repeats),
                "label scan": await _search_statement(store, "USING SCAN n:Organisation", repeats)}
            await store.clear()
        await store.close()
    return result


def run(projects: int = 2000, repeats: int = 5) -> list[dict]:
    doc = dataset(projects, organisations=projects * 2)
    batch = resolve([*reference_documents(), doc], aliases()).batch
    variables = {"r": doc.dataset.projects[0].registration_number,
                 "o": next(n.id for n in batch.nodes if n.label == "Organisation" and n.id.startswith("org:"))}
    backends = ["embedded", *(["neo4j"] if os.environ.get("KPSS_NEO4J_URI") else [])]
    measured = {b: asyncio.run(_backend(b, batch, variables, repeats)) for b in backends}
    rows = len(batch.nodes) + len(batch.rels)
    return [{"bench": f"backends, {projects} projects ({rows} node+edge records)", "rows": rows, **measured}]


def describe(res: dict) -> str:
    """One line per backend: the load, then each question's median in milliseconds."""
    lines = [res["bench"]]
    for backend in ("embedded", "neo4j"):
        if backend in res:
            m = res[backend]
            queries = ", ".join(f"{q} {s * 1000:.0f} ms" for q, s in m["queries_s"].items())
            lines.append(f"  {backend}: load {m['load_s']:.1f} s ({res['rows'] / m['load_s']:,.0f} rows/s); {queries}")
            if "search_statement_s" in m:
                lines.append("  neo4j search statement: " + ", ".join(
                    f"{how} {s * 1000:.1f} ms" for how, s in m["search_statement_s"].items()))
    return "\n".join(lines)


if __name__ == "__main__":
    import sys

    for result in run(int(sys.argv[1]) if len(sys.argv) > 1 else 2000):
        print(describe(result))

"""Ingest: `kpss load` of a generated dataset into a fresh store, as a user runs it (reading,
resolution, planning, the one transaction), against the physical floor: the engine's own bulk
`COPY FROM` of the same rows, written as CSV files, with no reading and no resolution.

With ``neo4j=True`` (`make bench` starts an in-process Neo4j and sets KPSS_NEO4J_URI) the same load
into Neo4j, against its floor: the same rows sent as `UNWIND … CREATE` batches of 10,000 in one
transaction (no MERGE, no reading, no resolution), the fastest a client writes through Bolt."""

from __future__ import annotations

import asyncio
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import neo4j

from graph import cypher
from graph.model import KEY_TABLES, NODES, RELS
from graph.store.embedded import EmbeddedStore, _csv
from loaders.pipeline import read_all
from loaders.reference import aliases, reference_documents
from loaders.resolve import resolve


def timed_command(args: list[str], env: dict[str, str]) -> tuple[float, float]:
    """(seconds, peak resident MiB) of one command run to its end; its failure is an error. The
    command starts from a small launcher (bench.peak), whose own start is in the time (some 50 ms):
    started from this process, its peak would count this process's memory."""
    with tempfile.TemporaryDirectory(prefix="kpss-peak-") as tmp:
        peak = Path(tmp) / "peak"
        start = time.perf_counter()
        proc = subprocess.run([sys.executable, "-m", "bench.peak", str(peak), *args], env=env,
                              stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        elapsed = time.perf_counter() - start
        if proc.returncode:
            raise RuntimeError(f"{' '.join(args)} failed ({proc.returncode}): {proc.stderr.decode()[-2000:]}")
        return elapsed, float(peak.read_text())


def load(data: Path, db: Path, backend: str = "embedded") -> tuple[float, float]:
    """`kpss load DATA` into the store at ``db`` (Neo4j: the one KPSS_NEO4J_URI names)."""
    env = {**os.environ, "KPSS_DB_PATH": str(db), "KPSS_BACKEND": backend}
    return timed_command([sys.executable, "-m", "kpss", "load", str(data)], env)


async def _rows(data: Path, folder: Path) -> dict[str, dict[str, list[dict]]]:
    """The rows a first load of ``data`` creates, per table and pair (planned against an empty store)."""
    batch = resolve([*reference_documents(), *read_all([data])], aliases()).batch
    store = EmbeddedStore(folder / "plan.lbug")
    await store.ensure_schema()
    plan = await store.plan(batch)
    await store.close()
    return {"node": plan.create_nodes, "rel": plan.create_rels}


async def _copy_floor(rows: dict[str, dict[str, list[dict]]], folder: Path) -> float:
    """Seconds to write the rows as CSV and COPY them into empty tables, in one transaction."""
    store = EmbeddedStore(folder / "floor.lbug")
    await store.ensure_schema()
    start = time.perf_counter()
    store._conn.execute("BEGIN TRANSACTION")  # noqa: SLF001 - the engine itself is what is measured
    for kind, groups in rows.items():
        for suffix, group in groups.items():
            table = suffix.split(".")[0]
            columns = ["id", *(NODES.get(table) or KEY_TABLES[table]).prop_names] if kind == "node" else ["from_id", "to_id", *RELS[table].prop_names]
            path = _csv(folder / f"{kind}_{suffix}.csv", columns, group)
            store._conn.execute(cypher.get(f"copy.{kind}.{suffix}").text("embedded").format(path=path))  # noqa: SLF001
    store._conn.execute("COMMIT")  # noqa: SLF001
    elapsed = time.perf_counter() - start
    await store.close()
    return elapsed


_NEO4J_BATCH = 10_000


def _clear_neo4j(uri: str) -> None:
    """Neo4j emptied, in transactions of 10,000 nodes (one would hold the whole graph in its heap)."""
    with neo4j.GraphDatabase.driver(uri) as driver, driver.session() as session:
        session.run("MATCH (n) CALL (n) { DETACH DELETE n } IN TRANSACTIONS OF 10000 ROWS").consume()


def _create_statement(kind: str, suffix: str) -> str:
    if kind == "node":
        return f"UNWIND $rows AS r CREATE (n:{suffix}) SET n = r"
    rel, a, b = suffix.split(".")
    return f"UNWIND $rows AS r MATCH (a:{a} {{id: r.f}}) MATCH (b:{b} {{id: r.t}}) CREATE (a)-[x:{rel}]->(b) SET x = r.p"


def _neo4j_floor(rows: dict[str, dict[str, list[dict]]], uri: str) -> float:
    """Seconds to CREATE the rows in an empty Neo4j (its constraints in place), in one transaction."""
    batches = [(_create_statement(kind, suffix),
                group if kind == "node" else [{"f": r["from_id"], "t": r["to_id"],
                                               "p": {k: v for k, v in r.items() if k not in ("from_id", "to_id")}}
                                              for r in group])
               for kind, groups in rows.items() for suffix, group in groups.items()]
    _clear_neo4j(uri)
    with neo4j.GraphDatabase.driver(uri) as driver, driver.session() as session:
        start = time.perf_counter()
        with session.begin_transaction() as tx:
            for text, group in batches:
                for i in range(0, len(group), _NEO4J_BATCH):
                    tx.run(text, rows=group[i:i + _NEO4J_BATCH]).consume()
            tx.commit()
        return time.perf_counter() - start


def _on_neo4j(data: Path, rows: dict[str, dict[str, list[dict]]], count: int, repeats: int) -> dict:
    """`kpss load` into an emptied Neo4j and the CREATE floor, alternated like the embedded runs."""
    uri = os.environ["KPSS_NEO4J_URI"]
    product, floor = [], []
    for _ in range(repeats):
        _clear_neo4j(uri)
        product.append(load(data, Path(os.devnull), "neo4j")[0])
        floor.append(_neo4j_floor(rows, uri))
    _clear_neo4j(uri)
    return {"seconds": statistics.median(product), "runs_s": product, "rows_per_s": count / statistics.median(product),
            "baseline_seconds": statistics.median(floor), "baseline_runs_s": floor,
            "baseline_rows_per_s": count / statistics.median(floor), "noise": noise(product)}


def run(data: Path, db: Path, repeats: int = 3, *, on_neo4j: bool = False) -> dict:
    """Medians of ``repeats`` loads and floors, alternated so that both see the same machine; the
    last load's store stays at ``db`` for the benchmarks that read it."""
    with tempfile.TemporaryDirectory(prefix="kpss-ingest-") as tmp:
        folder = Path(tmp)
        rows = asyncio.run(_rows(data, folder))
        count = sum(len(g) for groups in rows.values() for g in groups.values())
        product, floor, peaks = [], [], []
        for i in range(repeats):
            target = db if i == repeats - 1 else folder / f"load{i}" / "graph.lbug"
            seconds, peak = load(data, target)
            product.append(seconds)
            peaks.append(peak)
            with tempfile.TemporaryDirectory(dir=folder) as run_dir:
                floor.append(asyncio.run(_copy_floor(rows, Path(run_dir))))
    return {
        "rows": count,
        "seconds": statistics.median(product), "runs_s": product,
        "rows_per_s": count / statistics.median(product),
        "baseline_seconds": statistics.median(floor), "baseline_runs_s": floor,
        "baseline_rows_per_s": count / statistics.median(floor),
        "peak_rss_mb": max(peaks),
        "noise": noise(product),
    } | ({"neo4j": _on_neo4j(data, rows, count, repeats)} if on_neo4j else {})


def noise(runs: list[float]) -> float:
    """The spread of repeated runs, (max - min) / median: 0.2 means figures vary by about 20 %."""
    return (max(runs) - min(runs)) / statistics.median(runs) if len(runs) > 1 else float("nan")

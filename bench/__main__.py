"""`python -m bench` (`make bench`): the national-scale suite on a generated dataset — ingest, GraphQL
and RDF, each figure beside a baseline measured in the same run — then the same at other scales.
Prints a table, writes bench/results/latest.json and the figures' section of BENCHMARKS.md.

`--quick` runs it at scale 0.02 with few repetitions (the test suite's smoke test); the other
benchmarks of this folder run on their own (`python -m bench.csv_read`, `bench.backends`, …)."""

from __future__ import annotations

import argparse
import csv
import json
import math
import os
import platform
import re
import sys
import tempfile
import time
from datetime import UTC, datetime
from importlib.metadata import version
from pathlib import Path

from bench import graphql, ingest, rdf_export
from graph import keys
from loaders.generate import generate

ROOT = Path(__file__).resolve().parent.parent
TARGETS = {  # the targets at scale 1 on the embedded store (BENCHMARKS.md)
    "ingest": "≤ 15 s, within 3× of the floor, peak ≤ 1 GB",
    "project_detail": "p95 ≤ 10 ms at 1; ≥ 50 % of the floor's rps at 32",
    "region_network": "p95 ≤ 200 ms",
    "search": "p95 ≤ 50 ms",
    "ttl": "≥ 300,000 triples/s, peak flat in S",
}


def _variables(data: Path) -> dict:
    """A project, an organisation with an IČO and its kraj, from the generated files."""
    with (data / "projects.csv").open(encoding="utf-8", newline="") as fh:
        project = next(csv.DictReader(fh))["registration_number"]
    with (data / "organisations.csv").open(encoding="utf-8", newline="") as fh:
        org = next(row for row in csv.DictReader(fh) if row["ico"] and row["kind"] == "association")
    return {"r": project, "o": keys.organisation_by_ico(org["ico"]), "k": org["seat_region"]}


def measure(scale: float, seed: int, folder: Path, *, repeats: int, requests: int, budget_s: float,
            baseline_triples: int = 300_000, give_up: bool = True, on_neo4j: bool = False,
            formats: tuple[str, ...] = tuple(rdf_export.FORMATS)) -> dict:
    data, db = folder / f"data-{scale}", folder / f"db-{scale}" / "graph.lbug"
    res: dict = {"scale": scale, "dataset": generate(scale, seed, data)}
    for part, work in (("ingest", lambda: ingest.run(data, db, repeats, on_neo4j=on_neo4j)),
                       ("graphql", lambda: graphql.run(db, _variables(data), requests, budget_s, give_up=give_up)),
                       ("rdf", lambda: rdf_export.run(db, baseline_triples, formats))):
        start = time.perf_counter()
        res[part] = work()
        # with its figures, so that a long run stopped early still tells what it measured
        print(f"scale {scale:g}: {part} measured in {time.perf_counter() - start:.0f} s: {json.dumps(res[part])}",
              file=sys.stderr, flush=True)
    return res


def _versions() -> dict:
    return {name: version(name) for name in ("ladybug", "strawberry-graphql", "rdflib", "pyoxigraph", "uvicorn")}


def _machine() -> str:
    cpus = len(os.sched_getaffinity(0))
    load = " / ".join(f"{x:.1f}" for x in os.getloadavg())
    return f"{platform.machine()}, {cpus} cores, Python {platform.python_version()}, load average {load} at the end"


def table(res: dict) -> list[str]:
    """BENCHMARKS.md's rows: each figure beside its same-run baseline."""
    i = res["ingest"]
    rows = ["| measure | product | baseline (same run) | product / baseline | noise | target |", "|---|---|---|---|---|---|",
            f"| ingest, `kpss load` ({i['rows']:,} rows) | {i['seconds']:.1f} s, {i['rows_per_s']:,.0f} rows/s, "
            f"peak {i['peak_rss_mb']:,.0f} MB | COPY FROM: {i['baseline_seconds']:.1f} s, "
            f"{i['baseline_rows_per_s']:,.0f} rows/s | {i['seconds'] / i['baseline_seconds']:.1f}× the time | "
            f"{_pct(i['noise'])} | {TARGETS['ingest']} |"]
    if n := i.get("neo4j"):
        rows.append(f"| ingest into Neo4j, `kpss load` | {n['seconds']:.1f} s, {n['rows_per_s']:,.0f} rows/s | "
                    f"`UNWIND … CREATE`: {n['baseline_seconds']:.1f} s, {n['baseline_rows_per_s']:,.0f} rows/s | "
                    f"{n['seconds'] / n['baseline_seconds']:.1f}× the time | {_pct(n['noise'])} | |")
    floor = res["graphql"]["floor"]
    for name, cells in res["graphql"].items():
        c1, c32 = cells["c1"], cells["c32"]
        errors = "".join(f", {c32[k]} {k}" for k in ("errors", "unanswered") if c32[k])
        rows.append(
            f"| GraphQL `{name}` | c1 p50 {c1['p50_ms']:.1f} / p95 {c1['p95_ms']:.1f} / p99 {c1['p99_ms']:.1f} ms; "
            f"c8 {cells['c8']['rps']:.0f} rps; c32 {c32['rps']:.0f} rps, p95 {c32['p95_ms']:.0f} ms"
            f"{errors} | `{{ __typename }}`: c1 p95 "
            f"{floor['c1']['p95_ms']:.1f} ms, c32 {floor['c32']['rps']:.0f} rps | "
            f"{100 * c32['rps'] / floor['c32']['rps']:.0f} % of its rps at 32 | {_pct(c1['noise'])} | "
            f"{TARGETS.get(name, '')} |")
    for fmt, r in res["rdf"].items():
        rows.append(f"| RDF dump `{fmt}` ({r['triples']:,} triples) | {r['triples_per_s']:,.0f} triples/s, "
                    f"peak {r['peak_rss_mb']:,.0f} MB | rdflib {r['baseline_triples_per_s']:,.0f}, pyoxigraph "
                    f"{r['pyoxigraph_triples_per_s']:,.0f} triples/s | "
                    f"{r['triples_per_s'] / r['baseline_triples_per_s']:.1f}× rdflib, "
                    f"{r['triples_per_s'] / r['pyoxigraph_triples_per_s']:.2f}× pyoxigraph | | {TARGETS.get(fmt, '')} |")
    return rows


def _pct(x: float) -> str:
    return "" if math.isnan(x) else f"±{50 * x:.0f} %"


def scaling_rows(results: list[dict]) -> list[str]:
    rows = ["| scale | projects | load | rows/s (COPY floor) | " + " | ".join(
        f"`{q}` c1 p50" for q in graphql.QUERIES if q != "floor") + " | Turtle triples/s, peak |",
        "|---|---|---|---|" + "---|" * (len(graphql.QUERIES) - 1) + "---|"]
    for res in results:
        i, g, t = res["ingest"], res["graphql"], res["rdf"]["ttl"]
        rows.append(f"| {res['scale']:g} | {res['dataset']['projects']:,} | {i['seconds']:.1f} s | "
                    f"{i['rows_per_s']:,.0f} ({i['baseline_rows_per_s']:,.0f}) | "
                    + " | ".join(f"{g[q]['c1']['p50_ms']:.0f} ms" for q in graphql.QUERIES if q != "floor")
                    + f" | {t['triples_per_s']:,.0f}, {t['peak_rss_mb']:,.0f} MB |")
    return rows


def markdown(res: dict, scaled: list[dict]) -> str:
    lines = [f"Scale {res['scale']:g} ({res['dataset']['projects']:,} projects, {res['dataset']['organisations']:,} "
             f"organisations, {res['dataset']['participations']:,} participations), seed {res['seed']}, measured "
             f"{res['date']} on {res['machine']}; {', '.join(f'{k} {v}' for k, v in res['versions'].items())}.",
             "", *table(res)]
    if scaled:
        lines += ["", "Scaling (one load each; the queries' median at one client):", "", *scaling_rows(scaled)]
    return "\n".join(lines)


def update(path: Path, text: str) -> None:
    """Replaces the section between the bench markers of ``path``."""
    source = path.read_text(encoding="utf-8")
    new, found = re.subn(r"(<!-- bench:begin -->\n).*?(<!-- bench:end -->)", lambda m: m[1] + text + "\n" + m[2],
                         source, flags=re.S)
    if not found:
        raise SystemExit(f"{path} has no <!-- bench:begin --> … <!-- bench:end --> section")
    path.write_text(new, encoding="utf-8")


def main(argv: list[str] | None = None) -> dict:
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__)
    parser.add_argument("--quick", action="store_true", help="scale 0.02, one load, few requests: a smoke test")
    parser.add_argument("--scale", type=float, default=1.0)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--scaling", default="0.1,4", help="other scales to run, comma-separated ('' for none)")
    parser.add_argument("--neo4j", action="store_true",
                        help="also load into the Neo4j KPSS_NEO4J_URI names, which it empties (`make bench` starts one)")
    parser.add_argument("--repeats", type=int, default=3, help="loads per ingest figure (the median is kept)")
    parser.add_argument("--results", type=Path, default=ROOT / "bench" / "results" / "latest.json")
    parser.add_argument("--markdown", type=Path, default=ROOT / "BENCHMARKS.md")
    args = parser.parse_args(argv)
    scale, repeats, requests, budget, sample = args.scale, args.repeats, 200, 20.0, 300_000
    scales = [float(s) for s in args.scaling.split(",") if s]
    if args.quick:
        scale, repeats, requests, budget, sample, scales = 0.02, 1, 4, 5.0, 20_000, []
    with tempfile.TemporaryDirectory(prefix="kpss-bench-") as tmp:
        # The quick mode waits for every answer, so that every figure is produced however busy the machine.
        res = measure(scale, args.seed, Path(tmp), repeats=repeats, requests=requests, budget_s=budget,
                      baseline_triples=sample, give_up=not args.quick, on_neo4j=args.neo4j)
        # The other scales: one load, the queries, and the Turtle dump (its triples counted as N-Triples).
        scaled = [measure(s, args.seed, Path(tmp), repeats=1, requests=20, budget_s=budget, formats=("nt", "ttl"))
                  for s in scales if s != scale]
    res |= {"seed": args.seed, "date": datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC"), "machine": _machine(),
            "versions": _versions(), "quick": args.quick}
    res["scaling"] = sorted([res, *scaled], key=lambda r: r["scale"]) if scaled else []
    args.results.parent.mkdir(parents=True, exist_ok=True)
    args.results.write_text(json.dumps({k: v for k, v in res.items() if k != "scaling"}
                                       | {"scaling": [{k: v for k, v in r.items() if k != "scaling"} for r in res["scaling"]]},
                                       indent=1, default=str), encoding="utf-8")
    text = markdown(res, res["scaling"])
    print(text)
    update(args.markdown, text)
    return res


if __name__ == "__main__":
    main()

"""The benchmark suite's quick mode as a smoke test: every figure of bench/results/latest.json
and of BENCHMARKS.md is produced, each beside its baseline (times are not asserted: the machine
is shared)."""

from __future__ import annotations

import json
import math
from pathlib import Path

import pytest

from bench.__main__ import main
from bench.graphql import QUERIES
from tests.support import NEO4J_URI, Neo4jContents

pytestmark = pytest.mark.slow  # the benchmark's quick mode starts servers and loads


def test_the_quick_suite_produces_every_figure_beside_its_baseline(tmp_path: Path) -> None:
    results, markdown = tmp_path / "latest.json", tmp_path / "BENCHMARKS.md"
    markdown.write_text("# Benchmarks\n\n<!-- bench:begin -->\nold figures\n<!-- bench:end -->\n\nkept\n", encoding="utf-8")
    # With the suite's Neo4j (`make test`) the load into Neo4j too, which empties it.
    Neo4jContents.holds = None
    main(["--quick", "--results", str(results), "--markdown", str(markdown), *(["--neo4j"] if NEO4J_URI else [])])

    res = json.loads(results.read_text(encoding="utf-8"))
    assert res["scale"] == 0.02 and res["dataset"]["projects"] == 240
    ingest = res["ingest"]
    figures = [ingest["rows_per_s"], ingest["baseline_rows_per_s"], ingest["peak_rss_mb"]]
    if NEO4J_URI:
        figures += [ingest["neo4j"]["rows_per_s"], ingest["neo4j"]["baseline_rows_per_s"]]
    for name in QUERIES:
        cells = res["graphql"][name]
        # On a busy machine the slowest questions may leave some of 32 clients' requests unanswered.
        assert cells["c1"]["requests"] >= 1 and cells["c32"]["requests"] + cells["c32"]["unanswered"] >= 32
        figures += [cells["c1"]["p50_ms"], cells["c1"]["p95_ms"], cells["c1"]["p99_ms"], cells["c32"]["rps"]]
    for fmt in ("ttl", "nt", "jsonld"):
        rdf = res["rdf"][fmt]
        assert rdf["triples"] > 10_000
        figures += [rdf["triples_per_s"], rdf["peak_rss_mb"], rdf["baseline_triples_per_s"], rdf["pyoxigraph_triples_per_s"]]
    assert all(isinstance(x, float) and math.isfinite(x) and x > 0 for x in figures)

    text = markdown.read_text(encoding="utf-8")
    assert "old figures" not in text and text.endswith("<!-- bench:end -->\n\nkept\n")
    assert "COPY FROM" in text and ("UNWIND … CREATE" in text) == bool(NEO4J_URI) and "`{ __typename }`" in text and "pyoxigraph" in text
    assert all(f"GraphQL `{name}`" in text for name in QUERIES)

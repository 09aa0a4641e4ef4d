"""Reading a large CSV export: the streamed reader against reading the whole file first."""

from __future__ import annotations

import csv
import io
import statistics
import tempfile
import time
import tracemalloc
from pathlib import Path

from pydantic import ValidationError

from loaders import records as r
from loaders.errors import LoadError
from loaders.tables import parse_amount, read_csv


def _write(path: Path, rows: int) -> None:
    with path.open("w", encoding="utf-8", newline="") as f:
        out = csv.writer(f)
        out.writerow(["registration_number", "name", "role", "amount_czk"])
        for i in range(rows):
            out.writerow([f"CZ.1.04/3.1.03/{i % 900:02d}.{i:05d}", f"Organizace číslo {i}, příspěvková organizace",
                          "partner", f"{i * 7919 % 10**8:,},50".replace(",", " ", f"{i * 7919 % 10**8:,}".count(","))])


def _whole_file(path: Path) -> int:
    """Baseline: the file read into one string, then parsed and validated row by row."""
    text = path.read_text(encoding="utf-8")
    reader = csv.DictReader(io.StringIO(text))
    rows = [r.ParticipationRow.model_validate({**row, "amount_czk": parse_amount(row["amount_czk"]) if row.get("amount_czk") else None})
            for row in reader]
    return len(rows)


def _measure(work) -> tuple[float, int]:
    """(seconds, peak bytes), from two runs: tracing allocations would slow the timed one."""
    start = time.perf_counter()
    work()
    elapsed = time.perf_counter() - start
    tracemalloc.start()
    work()
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return elapsed, peak


def run(rows: int = 100_000, repeats: int = 3) -> list[dict]:
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "participations.csv"
        _write(path, rows)
        size = path.stat().st_size
        product = [_measure(lambda: read_csv(path)) for _ in range(repeats)]
        baseline = [_measure(lambda: _whole_file(path)) for _ in range(repeats)]
    return [{
        "bench": f"read participations.csv, {rows:,} rows, {size / 2**20:.1f} MiB",
        "product_s": statistics.median(t for t, _ in product),
        "baseline_s": statistics.median(t for t, _ in baseline),
        "product_rows_per_s": rows / statistics.median(t for t, _ in product),
        "baseline_rows_per_s": rows / statistics.median(t for t, _ in baseline),
        "product_peak_mib": statistics.median(m for _, m in product) / 2**20,
        "baseline_peak_mib": statistics.median(m for _, m in baseline) / 2**20,
    }]


def run_broken(megabytes: int = 50, repeats: int = 3) -> list[dict]:
    """A large export whose rows are all wrong: the time until the user learns it."""
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "participations.csv"
        row = "CZ.1.04/3.1.03/65.00042,Organizace,nobody\n"
        with path.open("w", encoding="utf-8") as f:
            f.write("registration_number,name,role\n" + row * (megabytes * 2**20 // len(row)))
        product = [_measure(lambda: _refused(lambda: read_csv(path))) for _ in range(repeats)]
        baseline = [_measure(lambda: _refused(lambda: _whole_file(path))) for _ in range(repeats)]
    return [{
        "bench": f"refuse a broken {megabytes} MB participations.csv",
        "product_s": statistics.median(t for t, _ in product),
        "baseline_s": statistics.median(t for t, _ in baseline),
        "product_peak_mib": statistics.median(m for _, m in product) / 2**20,
        "baseline_peak_mib": statistics.median(m for _, m in baseline) / 2**20,
    }]


def _refused(work) -> None:
    try:
        work()
    except (LoadError, ValidationError):
        return
    raise AssertionError("the broken file was accepted")

"""Time against input size for the readers a hostile file could make slow: the HTML reader and the
CSV reader at 10 KB, 100 KB, 1 MB and 5 MB. Linear parsing shows as a time that grows tenfold with
the size (and fivefold from 1 to 5 MB); a refused input stops at its limit, whatever its size."""

from __future__ import annotations

import statistics
import tempfile
import time
from pathlib import Path

from bench.csv_read import _write
from loaders.errors import LoadError
from loaders.html import html_text
from loaders.tables import read_csv

SIZES = (10_000, 100_000, 1_000_000, 5_000_000)


def _median(work, repeats: int) -> float:
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        work()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def _nested(size: int) -> str:
    n = size // 13  # "<div>x " and "</div>": 13 bytes a level
    return "<html><body>" + "<div>x " * n + "</div>" * n + "</body></html>"


def _flat(size: int) -> str:
    row = "<tr><td>Partner</td><td>Charita Valašské Meziříčí, z. s.</td></tr>\n"
    return "<html><body><h1>Projekt</h1><table>" + row * (size // len(row.encode())) + "</table></body></html>"


def _csv_rows(folder: Path, size: int) -> Path:
    path = folder / "participations.csv"
    _write(path, max(size // 90, 1))  # about 90 bytes a row
    return path


def _csv_cell(folder: Path, size: int) -> Path:
    path = folder / "projects.csv"
    path.write_text(f'registration_number,name,description\nCZ.1.04/3.1.03/65.00042,P,"{"x" * size}"\n', encoding="utf-8")
    return path


def _read_or_refuse(path: Path) -> None:
    try:
        read_csv(path)
    except LoadError:
        pass


def run(repeats: int = 3) -> list[dict]:
    results = []
    for name, make in (("HTML reader, nested <div>s", _nested), ("HTML reader, a page of table rows", _flat)):
        results.append({"bench": name, "sizes": {size: _median(lambda m=make(size): html_text(m), repeats) for size in SIZES}})
    with tempfile.TemporaryDirectory() as tmp:
        for name, make in (("CSV reader, rows", _csv_rows), ("CSV reader, one cell (refused past 1 MiB)", _csv_cell)):
            results.append({"bench": name, "sizes": {size: _median(lambda p=make(Path(tmp), size): _read_or_refuse(p), repeats)
                                                     for size in SIZES}})
    return results


def line(res: dict) -> str:
    return f"{res['bench']}: " + " · ".join(f"{size / 1e6:g} MB {s:.3f} s" for size, s in res["sizes"].items())

"""Page extraction time against page size: a page whose partner list and prose grow to 10 KB …
5 MB, extracted whole (`loaders.page.extract`). Linear time shows as a flat time per KB."""

from __future__ import annotations

import statistics
import time

from loaders.page import extract

HEAD = ("Název projektu: Komunitní plánování sociálních služeb na Kelečsku\n"
        "Registrační číslo: CZ.1.04/3.1.03/65.00042\nTermín realizace: 1. 7. 2010 - 30. 6. 2012\n"
        "Celkové náklady: 2 500 000,- Kč\nPříjemce: Město Kelč\n\nPartneři projektu:\n")
PROSE = ("Pracovní skupina se sešla {i}. a projednala potřeby seniorů, rodin s dětmi a osob se zdravotním "
         "postižením v obcích Kelečska.\n")


def page(size: int) -> str:
    """A page of about ``size`` bytes: half a partner list, one organisation a line, half prose."""
    lines, i, total = [HEAD], 0, len(HEAD.encode())
    while total < size // 2:
        line = f"Spolek pro pomoc v obci č. {i}, z.s.\n"
        lines.append(line)
        total += len(line.encode())
        i += 1
    lines.append("\n")
    while total < size:
        line = PROSE.format(i=i) + "\n"
        lines.append(line)
        total += len(line.encode())
        i += 1
    return "".join(lines)


def timed(text: str, repeats: int) -> float:
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        extract(text, "bench.txt")
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def run(sizes=(10_000, 100_000, 1_000_000, 5_000_000)) -> list[dict]:
    out = []
    for size in sizes:
        text = page(size)
        seconds = timed(text, 3 if size <= 1_000_000 else 1)
        out.append({"bench": f"extract a {size // 1000:,} KB page", "bytes": len(text.encode()), "s": seconds,
                    "ms_per_kb": 1000 * seconds / (len(text.encode()) / 1000)})
    return out


if __name__ == "__main__":
    for res in run():
        print(f"{res['bench']}: {res['s']:.3f} s ({res['ms_per_kb']:.2f} ms per KB)")

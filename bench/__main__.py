"""`python -m bench`: runs every benchmark and prints medians and ratios (see BENCHMARKS.md)."""

from __future__ import annotations

import json
import sys

from bench import backends, csv_read, load, rdf_export, scaling


def _line(res: dict) -> str:
    """One result: each side's median time (and peak memory where measured), and the ratio."""
    sides = []
    for side in ("product", "baseline"):
        text = f"{side} {res[f'{side}_s']:.3f} s"
        if f"{side}_rows_per_s" in res:
            text += f" ({res[f'{side}_rows_per_s']:,.0f} rows/s)"
        if f"{side}_peak_mib" in res:
            text += f", peak {res[f'{side}_peak_mib']:.1f} MiB"
        sides.append(text)
    return f"{res['bench']}: {'; '.join(sides)}; baseline/product time {res['baseline_s'] / res['product_s']:.1f}x"


def main() -> None:
    results = load.run() + rdf_export.run() + csv_read.run() + csv_read.run_broken()
    for res in results:
        print(_line(res))
    sizes = scaling.run()
    for res in sizes:
        print(scaling.line(res))
    both = backends.run()
    for res in both:
        print(backends.describe(res))
    json.dump(results + sizes + both, sys.stderr, indent=1)


if __name__ == "__main__":
    main()

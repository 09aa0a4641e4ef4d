"""`python -m bench`: runs every benchmark and prints medians and ratios (see BENCHMARKS.md)."""

from __future__ import annotations

import json
import sys

from bench import load, rdf_export


def main() -> None:
    results = load.run()
    for res in results:
        ratio = res["baseline_s"] / res["product_s"]
        print(
            f"{res['bench']}: product {res['product_s']:.3f} s ({res['product_rows_per_s']:,.0f} rows/s), "
            f"baseline {res['baseline_s']:.3f} s ({res['baseline_rows_per_s']:,.0f} rows/s), "
            f"product is {ratio:.1f}x faster"
        )
    exports = rdf_export.run()
    for res in exports:
        print(
            f"{res['bench']}: streamed {res['product_s']:.3f} s, peak {res['product_peak_mib']:.1f} MiB; "
            f"rdflib Graph {res['baseline_s']:.3f} s, peak {res['baseline_peak_mib']:.1f} MiB"
        )
    json.dump(results + exports, sys.stderr, indent=1)


if __name__ == "__main__":
    main()

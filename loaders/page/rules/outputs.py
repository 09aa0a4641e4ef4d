"""The page form read: a plan named with the period it is for, in a heading, a download link or a
sentence ("Výstupem projektu bude Komunitní plán … na období 2020 – 2024", "Akční plán … na rok
2022"). That period is the plan's, not the project's.
"""

from __future__ import annotations

from loaders import records as r
from loaders.normalise import repair_transcript
from loaders.page import vocabulary as v
from loaders.page.structure import Page


def outputs(page: Page) -> list[r.Output]:
    """Each plan once (by kind and period: a page may spell its name twice), where first named."""
    found: dict[tuple, r.Output] = {}
    for m in v.PLAN_NAMED.finditer(page.folded):
        name = " ".join(repair_transcript(page.text[m.start():m.end("rest")]).split())
        start, end = m["start"], m["end"] or m["start"]
        key = (m["kind"], start, end)
        found.setdefault(key, r.Output(kind=v.PLAN_KINDS[m["kind"]], name=name, start=start, end=end,
                                       span=(m.start(), m.end())))
    return list(found.values())

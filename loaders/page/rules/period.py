"""The page form read: the period labelled ("Termín realizace:", "Datum zahájení:"), or stated in a sentence
about the project's run ("Projekt byl realizován od … do …").
"""

from __future__ import annotations

import re

from loaders import czech
from loaders.page.structure import Page, Span


def period(page: Page) -> tuple[str | None, str | None]:
    start = end = None
    for fact in page.facts:
        if fact.kind == "start" and start is None:
            found = czech.parse_date(fact.value)
            start = found and dated(page, "start", found, fact.span)
        elif fact.kind == "end" and end is None:
            found = czech.parse_date(fact.value)
            end = found and dated(page, "end", found, fact.span)
        elif fact.kind == "period" and start is None and end is None:
            first, last = czech.parse_period(fact.value)
            start = first and dated(page, "start", first, fact.span)
            end = last and dated(page, "end", last, fact.span)
    if start is None and end is None:  # "Od října roku 2005 do července roku 2007 byl … realizován projekt"
        for a, b in page.sentence_spans:
            if not re.search(r"realiz|probih|probeh|trval|trva\b|pobezi|bezi\b|bezel", page.folded[a:b]):
                continue
            first, last = czech.parse_period(page.text[a:b])
            if first and last:
                return dated(page, "start", first, (a, b)), dated(page, "end", last, (a, b))
    if start is None and end is None and (weak := page.first("period_weak")):  # "Realizace: 3/2011 – 2/2013"
        first, last = czech.parse_period(weak.value)
        start = first and dated(page, "start", first, weak.span)
        end = last and dated(page, "end", last, weak.span)
    return start, end


def dated(page: Page, key: str, found: czech.Found, within: Span) -> str:
    a, b = found.span
    page.note(key, (within[0] + a, within[0] + b))
    return found.value.iso()

"""The page form read: the period labelled ("Termín realizace:", "Datum zahájení:"), or stated in a sentence
about the project's run ("Projekt byl realizován od … do …").
"""

from __future__ import annotations

import re

from graph.text import fold
from loaders import czech
from loaders.page import vocabulary as v
from loaders.page.structure import Page, Span


def period(page: Page) -> tuple[str | None, str | None]:
    start = end = None
    for fact in page.facts:
        if fact.kind == "start" and start is None:
            found = czech.parse_date(fact.value)
            start = dated(page, "start", found, fact.span) if found else None
        elif fact.kind == "end" and end is None:
            found = czech.parse_date(fact.value)
            end = dated(page, "end", found, fact.span) if found else None
        elif fact.kind == "period" and start is None and end is None:
            first, last = czech.parse_period(fact.value)
            start = dated(page, "start", first, fact.span) if first else None
            end = dated(page, "end", last, fact.span) if last else None
    if start is None and end is None:
        start, end = _in_sentences(page)
    if start is None and end is None and (weak := page.first("period_weak")):  # "Realizace: 3/2011 – 2/2013"
        first, last = czech.parse_period(weak.value)
        start = dated(page, "start", first, weak.span) if first else None
        end = dated(page, "end", last, weak.span) if last else None
    if start and not end and (months := czech.find_duration(page.text)):  # "dvouletý projekt", "Doba trvání: 36"
        begun = czech.parse_date(start)
        until = begun.value.last_of(months.value) if begun else None
        if until:
            page.note("end", months.span)
            end = until.iso()
    return start, end


def _in_sentences(page: Page) -> tuple[str | None, str | None]:
    """The period in sentences about the project's run, those that name the project first: a
    range ("Od října roku 2005 do července roku 2007 byl … realizován"), else a date after a word
    that starts it ("od", "zahájen", "odstartovalo") and one after a word that ends it ("do",
    "ukončení je", "skončí"); a sentence's one date with a starting word anywhere is the start
    ("V červnu 2020 byl … odstartován projekt"). Not a plan's period ("plán na období 2015–2017")
    nor an earlier action's ("navazuje na akci z roku 2006–2007")."""
    name = page.spans.get("name")
    titled = fold(page.text[slice(*name)]) if name else None
    sentences = [(a, b) for a, b in page.sentence_spans
                 if v.RUN_SENTENCE.search(page.folded[a:b]) and not re.search(r"navaz", page.folded[a:b])]
    sentences.sort(key=lambda s: not (titled and titled in fold(page.text[s[0]:s[1]])))
    start = end = None
    for a, b in sentences:
        first, last = czech.parse_period(page.text[a:b])
        if start is None and first and last and v.RUN_WORDS.search(page.folded[a:b]) and not v.PLAN_PERIOD.search(
                page.folded[max(a, a + first.span[0] - 30):a + first.span[0]]):
            return dated(page, "start", first, (a, b)), dated(page, "end", last, (a, b))
        folded = page.folded[a:b]
        dates = [((y, mo, d), span) for (y, mo, d), span in czech.find_dates(page.text[a:b]) if y is not None]
        for k, (value, (lo, hi)) in enumerate(dates):
            before = folded[max(lo - 25, dates[k - 1][1][1] if k else 0):lo]
            if v.PLAN_PERIOD.search(before) or not czech.valid_date(*value):
                continue
            words = [(m.end(), "start") for m in v.START_WORDS.finditer(before)] + [(m.end(), "end") for m in v.END_WORDS.finditer(before)]
            kind = max(words)[1] if words else ("start" if len(dates) == 1 and v.START_WORDS.search(folded) else None)
            found = czech.Found(czech.PartialDate(*value), (lo, hi))
            if kind == "start" and start is None:
                start = dated(page, "start", found, (a, b))
            elif kind == "end" and end is None:
                end = dated(page, "end", found, (a, b))
        if start and end:
            break
    return start, end


def dated(page: Page, key: str, found: czech.Found[czech.PartialDate], within: Span) -> str:
    a, b = found.span
    page.note(key, (within[0] + a, within[0] + b))
    return found.value.iso()

"""The page form read: the title of any page, the number and the name as labelled ("Registrační číslo:",
"Název projektu:", "Projekt:"), quoted or named in a sentence ("projekt „…“", "projektu X, reg. č."),
else the first line that reads as a title; the description under its heading or the first paragraph about the project.
"""

from __future__ import annotations

import re

from graph.text import fold, fold_aligned
from loaders import czech
from loaders.page import vocabulary as v
from loaders.page.structure import NAV_LINE, Page, Span


def registration_number(page: Page) -> czech.StatedNumber | None:
    """The labelled number, else the first on the page: a sound one before a malformed one."""
    labelled = page.first("registration_number")
    for region in ([labelled.span] if labelled else []) + [(0, len(page.text))]:
        found = czech.find_registration_numbers(page.text, *region)
        if best := next((n for n in found if n.number), None) or next(iter(found), None):
            page.note("registration_number", best.span)
            return best
    return None


def only_a_title(page: Page) -> bool:
    """A name taken only from a title line, with nothing else a project page states."""
    return page.name_from_title and not any(
        page.first(kind) for kind in ("beneficiary", "period", "start", "end", "money", "partners"))


def name(page: Page) -> str | None:
    for fact in page.facts:
        if fact.kind == "name" or (fact.kind == "name_or_description" and re.match(r"\s*[„\"“]", fact.value)):
            return named(page, "name", fact.value, fact.span)
    for quoted in v.QUOTED_NAME.finditer(page.text):  # "Projekt „Komunitní plánování …“ byl realizován"
        if not re.search(r"navaz", page.folded[max(0, quoted.start() - 60):quoted.start()]):  # not a follow-up
            return named(page, "name", quoted[1], quoted.span(1))
    if sentence := v.NAMED_IN_SENTENCE.search(page.text):  # "… realizovalo … projekt X, reg. č. CZ…"
        return named(page, "name", sentence[1], sentence.span(1))
    # Else a line that reads as a title: preferably one about the subject, and not a site's
    # name over its menu ("Statutární město Frýdek-Místek" above "Magistrát › Odbor …").
    candidates = []
    i = 0
    while i < min(len(page.lines), 60):
        if not _title_like(page, i):
            i += 1
            continue
        k = i
        while k + 1 < len(page.lines) and _title_like(page, k + 1):
            k += 1
        span = (page.lines[i].start, page.lines[k].end)
        above_menu = any(NAV_LINE.search(page.lines[j].text) and not page.label_match(j)
                         for j in range(k + 1, min(k + 3, len(page.lines))))
        if len(" ".join(page.text[span[0]:span[1]].split())) <= 250:
            candidates.append((not v.SUBJECT.search(page.folded[span[0]:span[1]]), above_menu, span))
        i = k + 1
    if candidates:
        *_, span = min(candidates)  # stable: the first of the best
        page.name_from_title = True
        return named(page, "name", page.text[span[0]:span[1]], span)
    return None


def _title_like(page: Page, i: int) -> bool:
    """Not a title: navigation ("Úvod | Projekty", "Hledat…"), a site's name in capitals, a date,
    a field, a sentence, money."""
    text = page.lines[i].text.strip()
    letters = [c for c in text if c.isalpha()]
    return bool(
        len(text) >= 8 and len(text.split()) >= 2 and letters and not v.FUNDER_LOGO.fullmatch(fold(text))
        and fold(text) not in v.NAVIGATION and not NAV_LINE.search(text) and not page.label_match(i)
        and not text.endswith((".", "…", "...", ":")) and not re.search(r"%|\bKč\b|@|\bTel\b", text)
        and not czech.DATE.fullmatch(fold_aligned(text))
    )


def named(page: Page, key: str, value: str, span: Span) -> str:
    inner = re.search(r"[„\"“](.+?)[“\"”]", value, re.S)
    if inner:
        span, value = (span[0] + inner.start(1), span[0] + inner.end(1)), inner[1]
    page.note(key, span)
    return " ".join(value.split())


def description(page: Page) -> str | None:
    fact = page.first("description")
    if fact:
        items = page.items(*fact.span)
        page.note("description", fact.span)
        return " ".join(" ".join(item for item, _ in items).split()) or None
    for i, line in enumerate(page.lines):
        if line.blank or (i and not page.lines[i - 1].blank):
            continue
        k = i
        while k + 1 < len(page.lines) and not page.lines[k + 1].blank:
            k += 1
        para = " ".join(page.text[line.start:page.lines[k].end].split())
        if len(para) >= 200 and re.match(r"(Projekt|Cíl)", para):
            page.note("description", (line.start, page.lines[k].end))
            return para
    return None

"""The page form read: the programme as named anywhere (inflected, abbreviated, a logo's caption), its axis and call.
"""

from __future__ import annotations

import re

from loaders.page import vocabulary as v
from loaders.page.reference import reference
from loaders.page.rules.title import named
from loaders.page.structure import Page


def programme(page: Page) -> str | None:
    patterns = reference().programmes
    # The first named; of names that start there, the longest ("… Zaměstnanost plus", not "… Zaměstnanost").
    hits = [(m.start(), -m.end(), name) for pattern, name in patterns for m in pattern.finditer(page.folded)]
    if hits:
        a, b, name = min(hits)
        b = -b
        page.note("programme_stated", (a, b))
        return name
    fact = page.first("programme")
    if fact:
        value = re.split(r"\s(?:Prioritní osa|Priorita|Opatření|Oblast podpory)\b", fact.value)[0]
        return named(page, "programme_stated", value, fact.span)
    return None


def axis_name(page: Page, axis: str | None) -> str | None:
    m = re.search(r"\b(?:Prioritní osa|Priorita)\s+(\d+)\s*[-–:]?\s*(.*?)\s*(?=\s(?:Opatření|Oblast podpory|"
                  r"Investiční priorita|Bližší informace|Výzva)\b|$)", page.text, re.M)
    if not m or m[1] != axis or not m[2]:
        return None
    page.note("priority_axis_name", m.span(2))
    return m[2]


def call_name(page: Page) -> str | None:
    fact = page.first("call_name")
    if not fact:
        return None
    m = re.match(r"\s*(?:\d+(?:\.\d+)*\s*[-–]\s*)?(.+?)\s*$", fact.value, re.S)
    if not m or m[1] in ("-", "–"):
        return None
    return named(page, "call_name", m[1], (fact.span[0] + m.start(1), fact.span[0] + m.end(1)))

def call(page: Page) -> str | None:
    """The call's number as a page states it beside the word "výzva" (labelled or in a sentence):
    what tells a project's call when the page gives no registration number to read it from."""
    m = v.CALL_NUMBER.search(page.folded)
    if not m:
        return None
    page.note("call", m.span("call"))
    return m["call"]

# --- organisations ------------------------------------------------------------------------


def code_of(stated: str | None) -> str | None:
    """The code of a programme named by its reference name (what ``programme`` returns)."""
    return next((code for code, name in reference().programme_names.items() if name == stated), None)

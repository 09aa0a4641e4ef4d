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
    """The labelled number ("Registrační číslo: …" on its line or in running text), else the first
    on the page: a sound one before a malformed one. A page naming several projects is about the
    one whose number it labels."""
    labelled = page.first("registration_number")
    found = czech.find_registration_numbers(page.text)
    inline = [n for n in found if re.search(r"registracni cislo( projektu)?\s*:\s*$", page.folded[max(0, n.span[0] - 40):n.span[0]])]
    within = [n for n in found if labelled and labelled.span[0] <= n.span[0] < labelled.span[1]]
    for group in (within, inline, found):
        if best := next((n for n in group if n.number), None) or next(iter(group), None):
            page.note("registration_number", best.span)
            return best
    return None


def only_a_title(page: Page) -> bool:
    """A name taken only from a title line, on a page that does not speak of a project and states
    nothing a project page states."""
    return page.name_from_title and not re.search(r"\bprojekt", page.folded) and not any(
        page.first(kind) for kind in ("beneficiary", "period", "start", "end", "money", "partners"))


def name(page: Page) -> str | None:
    for fact in page.facts:
        if fact.kind == "name" or (fact.kind == "name_or_description" and re.match(r"\s*[„\"“]", fact.value)):
            value = v.NAME_TAIL.sub("", fact.value)  # "Projekt: X CZ.03.2.63/…": the number is not the name
            return named(page, "name", value, (fact.span[0], fact.span[0] + len(value)))
    # Named in a sentence. Where the page labels a number, the project named nearest before it.
    number = page.spans.get("registration_number")
    quoted = [q for q in v.QUOTED_NAME.finditer(page.text) if not _follow_up(page, q)]  # "Projekt „X“ byl realizován"
    if number and (before := [q for q in quoted if q.end() <= number[0] and number[0] - q.end() < 40]):
        return named(page, "name", before[-1][1], before[-1].span(1))
    if quoted:
        return named(page, "name", quoted[0][1], quoted[0].span(1))
    if sentence := v.NAMED_IN_SENTENCE.search(page.text):  # "… realizovalo … projekt X, reg. č. CZ…"
        return named(page, "name", sentence[1], sentence.span(1))
    sentence = next((m for m in v.NAMED_AFTER_WORD.finditer(page.text) if not _follow_up(page, m)), None)
    title = _title(page)
    if sentence and not (title and _runs_on(page, sentence.span(1), title)):
        return named(page, "name", sentence[1], sentence.span(1))  # "… projektu Komunitní plán pro město Hlučín, na který"
    if title:
        page.name_from_title = True
        value = v.NAME_TAIL.sub("", page.text[title[0]:title[1]])
        return named(page, "name", value, (title[0], title[0] + len(value)))
    return None


def _follow_up(page: Page, m: re.Match[str]) -> bool:
    """A project named as the one this continues ("navazuje na projekt …"), not this one."""
    return bool(re.search(r"navaz", page.folded[max(0, m.start() - 60):m.start()]))


def _runs_on(page: Page, named_span: Span, title: Span) -> bool:
    """A name in a sentence that starts as the title does but runs on into the sentence
    ("Projekt Mezinárodní spolupráce v KPSS navazuje …" under the title "Mezinárodní spolupráce v
    komunitním plánování …"): the title states the name. One the title holds whole is the name."""
    said, titled = fold(page.text[slice(*named_span)]), fold(page.text[slice(*title)])
    return said not in titled and said.split()[:2] == titled.split()[:2]


def _title(page: Page) -> Span | None:
    """A line that reads as a title: preferably one about the subject, and not a site's name over
    its menu ("Statutární město Frýdek-Místek" above "Magistrát › Odbor …")."""
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
            # The more of the subject's words a title has, the likelier it names the project.
            about = len(set(v.SUBJECT.findall(page.folded[span[0]:span[1]])))
            candidates.append((-about, above_menu, span))
        i = k + 1
    if candidates:
        *_, span = min(candidates)  # stable: the first of the best
        return span
    return None


def _title_like(page: Page, i: int) -> bool:
    """Not a title: navigation ("Úvod | Projekty", "Hledat…"), a site's name in capitals, a date,
    a field, a sentence (also one a cut page leaves unfinished: "Projekt vychází ze spoluprác"), money."""
    text = page.lines[i].text.strip()
    letters = [c for c in text if c.isalpha()]
    return bool(
        len(text) >= 8 and len(text.split()) >= 2 and letters and not v.FUNDER_LOGO.fullmatch(fold(text))
        and fold(text) not in v.NAVIGATION and not NAV_LINE.search(text) and not page.label_match(i)
        and not text.endswith((".", "…", "...", ":")) and not re.search(r"%|\bKč\b|@|\bTel\b", text)
        and not czech.DATE.fullmatch(fold_aligned(text)) and not set(fold(text).split()) <= v.GENERIC_TITLE_WORDS
        and not page.heading(i) and not v.SENTENCE_ABOUT_PROJECT.match(text)
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

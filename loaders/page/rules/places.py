"""The page form read: places listed ("Místo realizace:") or named in the name or description ("ve Zlínském
kraji", "na Otrokovicku"), target groups and working groups listed or in a sentence.
"""

from __future__ import annotations

import re

from graph.text import fold
from loaders import records as r
from loaders.page.reference import reference
from loaders.page.structure import Fact, Page, Span


def places(page: Page, name: str) -> list[r.Place]:
    """The area a project covers, from its name, else from its description: a region
    ("ve Zlínském kraji"), an area named after its town ("na Otrokovicku"), or a
    microregion ("v regionu Valašskomeziříčsko a Kelečsko")."""
    ref = reference()
    regions, microregions = ref.regions, ref.microregions
    if listed := page.first("places"):  # "Místo realizace: Uherské Hradiště, Staré Město, Kunovice"
        return [_place(text, (listed.span[0] + m.start(), listed.span[0] + m.end()))
                for m in re.finditer(r"[^,;\n]+", listed.value) if (text := " ".join(m[0].split()).strip(" .•-"))]
    name_span = page.spans.get("name")
    desc_span = page.spans.get("description")
    for span in (name_span, desc_span):
        if not span:
            continue
        folded = page.folded[span[0]:span[1]]
        places: list[r.Place] = []
        for form, region in regions.items():
            for m in re.finditer(rf"\b{re.escape(form)}\b", folded):
                places.append(r.Place(name=region, kind="region", span=(span[0] + m.start(), span[0] + m.end())))
        for m in re.finditer(r"\b(?:v (?:mikro)?regionu|mikroregionu?|na uzemi)\s+(.+?)(?=[,.;:()]|$| pro | v | ve )",
                             folded):
            text = page.text[span[0] + m.start(1):span[0] + m.end(1)]
            entry = microregions.get(fold(text))
            places.append(r.Place(name=entry[0] if entry else " ".join(text.split()), kind=entry[1] if entry else "microregion",
                                  span=(span[0] + m.start(1), span[0] + m.end(1))))
        for m in _ORP.finditer(page.text, span[0], span[1]):  # "SO ORP Kaplice", "správní obvod ORP Příbram"
            places.append(r.Place(name=m[1], kind="orp_district", span=m.span(1)))
        for m in re.finditer(r"\bna (\w+(?:sk|ck)u)\b", folded):
            word = page.text[span[0] + m.start(1):span[0] + m.end(1)][:-1] + "o"
            entry = microregions.get(fold(word))
            places.append(r.Place(name=entry[0] if entry else word, kind=entry[1] if entry else "microregion",
                                  span=(span[0] + m.start(1), span[0] + m.end(1))))
        unique = {(p.name, p.kind): p for p in sorted(places, key=lambda p: p.span or (0, 0), reverse=True)}
        if unique:
            return sorted(unique.values(), key=lambda p: p.span or (0, 0))
    return []


# "ORP" and the name of its seat: capitalised words, joined by nad / pod / na / u ("ORP Nové Město na Moravě").
_UPPER = "A-ZÁČĎÉĚÍŇÓŘŠŤÚŮÝŽ"
_ORP = re.compile(rf"\bORP\s+([{_UPPER}][\w-]*(?:\s+(?:(?:nad|pod|na|u)\s+)?[{_UPPER}][\w-]*)*)")


def _place(text: str, span: Span) -> r.Place:
    """A named place: a kraj, a known microregion or ORP district, else a municipality."""
    ref = reference()
    regions, microregions = ref.regions, ref.microregions
    if region := regions.get(fold(text)):
        return r.Place(name=region, kind="region", span=span)
    if entry := microregions.get(fold(text)):
        return r.Place(name=entry[0], kind=entry[1], span=span)
    if m := _ORP.search(text):  # "SO ORP Kaplice" in a list of places
        return r.Place(name=m[1], kind="orp_district", span=(span[0] + m.start(1), span[0] + m.end(1)))
    return r.Place(name=text, kind="municipality", span=span)


def target_groups(page: Page) -> list[str]:
    if fact := page.first("target_groups"):
        return _listed(page, "target_groups", _pieces(page, fact))
    # "… pro další cílové skupiny – rodiny s dětmi, …", "Cílovými skupinami byli senioři, … a rodiny s dětmi."
    if m := re.search(r"cilov\w* skupin\w*\s*(?:projektu\s+)?(?:[-–:]|byl[aiy]?|jsou|je)\s*([^.]+)\.", page.folded):
        return _listed(page, "target_groups", _split_list(page, m.start(1), m.end(1)))
    return []


def working_groups(page: Page) -> list[str]:
    if fact := page.first("working_groups"):  # "Pracovní skupiny: Senioři; Zdravotně postižení"
        return _listed(page, "working_groups", [(at, re.sub(r"^PS\s+", "", text)) for at, text in _pieces(page, fact)])
    if m := re.search(r"pracovni skupin\w*[ \t]*:[ \t]*([^\n]*[^\s:][^\n]*)", page.folded):  # "… tyto pracovní skupiny: A, B a C."
        return _listed(page, "working_groups", _split_list(page, m.start(1), m.end(1) - (page.text[m.end(1) - 1] == ".")))
    for i, line in enumerate(page.lines):  # "Vzniknou tyto pracovní skupiny:" over a list
        if "pracovni skupin" in fold(line.text) and line.text.rstrip().endswith(":"):
            j = page.skip_blank(i + 1)
            k = j
            while k < len(page.lines) and not page.lines[k].blank:
                k += 1
            if j < len(page.lines):
                items = page.items(page.lines[j].start, page.lines[k - 1].end)
                return _listed(page, "working_groups", [(a, re.sub(r"^PS\s+", "", item)) for item, (a, _) in items])
    return []


def _pieces(page: Page, fact: Fact) -> list[tuple[int, str]]:
    """A listed value's items with their offsets: list items, else parts between semicolons,
    else between commas; parenthesised remarks left out."""
    separators = r"[^;]+" if ";" in fact.value else r"[^,;]+"  # semicolons part items that hold commas
    pieces = []
    for item, (a, _) in page.items(*fact.span):
        pieces += [(a + m.start(), m[0]) for m in re.finditer(separators, item)]
    return [(at, re.sub(r"\([^)]*\)?", "", text)) for at, text in pieces]


def _split_list(page: Page, start: int, end: int) -> list[tuple[int, str]]:
    """A list in a sentence: parts between commas, the last two parted by "a"."""
    pieces = [(start + p.start(), p[0]) for p in re.finditer(r"[^,;]+", page.text[start:end])]
    if pieces:
        at, last = pieces[-1]
        joins = list(re.finditer(r"\s+a\s+", last))  # the last "a" joins the last two items
        if joins and len(pieces) > 1:
            m = joins[-1]
            pieces[-1:] = [(at, last[:m.start()]), (at + m.end(), last[m.end():])]
    return pieces


def _listed(page: Page, key: str, pieces: list[tuple[int, str]]) -> list[str]:
    """Cleaned list items, each span noted as ``key[i]``."""
    out: list[str] = []
    for at, text in pieces:
        clean = " ".join(text.split()).strip(" -–•.,")
        if clean:
            page.note(f"{key}[{len(out)}]", (at, at + len(text)))
            out.append(clean)
    return out

"""A page's structure: its lines, the labelled fields and headings with the blocks under them
("Termín realizace: …", "Příjemce" over its block), list items and sentences, each with its span."""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass
from functools import cached_property

from graph.text import fold, fold_aligned
from loaders.errors import Problem
from loaders.page import vocabulary as v

Span = tuple[int, int]

# Layout, not words: a "label: value" line, list bullets, sentence ends, menus, addresses, links.
LABEL_LINE = re.compile(r"^[\s•*·-]*(?P<label>[^\W\d_][^:\n]{0,70}?)\s*:(?!//)[ \t]*(?P<value>.*?)\s*$")
BULLET = re.compile(r"[\s•*·-]*(?:\d{1,2}[.)]\s+)?")
ITEM_MARK = re.compile(r"\s*(?:[•*·–-]|\d{1,2}[.)])\s")
SENTENCE_END = re.compile(rf"(?<=[.!?])\s+(?=[„\"“{v.UPPER}])|\n\s*\n")
ADDRESS = re.compile(r"^(?:[^\W\d][\w.]*\s)+\d+(?:/\d+)?\w?$|^\d{3}\s?\d{2}\b")  # "Tovární 1059/1", "790 01 Jeseník"
NAV_LINE = re.compile(r"\s[|›»>]\s|^[•·]|^\d{1,2}\.\s?\d{1,2}\.\s?\d{4}\b|^Zpět\b")  # menus, breadcrumbs, dates
URL = re.compile(r"(?:https?://|www\.)\S+")

@dataclass
class Line:
    start: int
    end: int
    text: str

    @property
    def blank(self) -> bool:
        return not self.text.strip()


@dataclass
class Fact:
    """A labelled value: its field, the label as written and where the value stands."""

    kind: str | None
    label: str
    value: str
    span: Span
    line: int


def kind_of(label: str, table: list[tuple[str, str]]) -> str | None:
    folded = fold(label)
    found = next((kind for word, kind in table if folded == word or word not in v.EXACT_LABELS and (
        folded.startswith(word + " ") or (len(word) > 6 and folded.startswith(word)))), None)
    if found or table is not v.LABELS or len(folded) > 50:
        return found
    # Words that mark a field wherever they stand: "Předpokládané ukončení projektu".
    return next((kind for pattern, kind in v.LABEL_WORDS if pattern.search(folded)), None)



class Page:
    """A page cut into its lines and its labelled fields and headings (``facts``); the rules read
    it and note where each fact stood (``spans``)."""

    def __init__(self, text: str, source: str) -> None:
        self.text, self.source = text, source
        self.folded = fold_aligned(text)
        self.lines: list[Line] = []
        pos = 0
        for raw in text.splitlines(keepends=True):
            self.lines.append(Line(pos, pos + len(raw.rstrip("\r\n")), raw.rstrip("\r\n")))
            pos += len(raw)
        self.starts = [line.start for line in self.lines]
        self.ends = [line.end for line in self.lines]
        self._labels: dict[int, re.Match[str] | None] = {}
        self.problems: list[Problem] = []
        self.spans: dict[str, Span] = {}
        self.name_from_title = False
        self.facts = self._facts()

    def _facts(self) -> list[Fact]:
        facts: list[Fact] = []
        i = 0
        while i < len(self.lines):
            line = self.lines[i]
            m = self.label_match(i)
            heading = None if m else self.heading(i)
            if m:
                kind = kind_of(m["label"], v.LABELS)
                start = line.start + m.start("value")
                end, j = line.start + m.end("value"), i + 1
                if kind and kind not in v.DETAILS:
                    if start == end:  # "Partneři na projektu:" with the list in the next block
                        j = self.skip_blank(i + 1)
                        if j < len(self.lines) and not self.starts_field(j):
                            start, end, j = self.lines[j].start, self.lines[j].end, j + 1
                    listed = kind in v.LISTS or start != line.start + m.start("value")
                    while j < len(self.lines) and self.continues(j, listed):
                        end, j = self.lines[j].end, j + 1
                facts.append(self._fact(kind, line.text[m.start("label"):m.end("label")], start, end, i))
                i = max(j, i + 1) if kind else i + 1
            elif heading:
                j = self.skip_blank(i + 1)
                k = j + 1
                bulleted = j < len(self.lines) and ITEM_MARK.match(self.lines[j].text)
                # The block under a heading: its paragraph, or its list when it starts with one.
                while k < len(self.lines) and not self.lines[k].blank and not self.starts_project_field(k) and (
                        not bulleted or ITEM_MARK.match(self.lines[k].text)):
                    k += 1
                if j < len(self.lines):
                    facts.append(self._fact(heading, line.text.strip(), self.lines[j].start, self.lines[k - 1].end, i))
                i += 1
            else:
                i += 1
        return facts

    def _fact(self, kind: str | None, label: str, start: int, end: int, line: int) -> Fact:
        value = self.text[start:end]
        cut = v.CUT.search(value)
        if cut:
            end = start + cut.start()
        return Fact(kind, label.strip(), self.text[start:end], (start, end), line)

    def heading(self, i: int) -> str | None:
        text = self.lines[i].text.strip()
        if not text or len(text) > 60 or text.endswith((".", ",")):
            return None
        nxt = self.skip_blank(i + 1)
        if nxt < len(self.lines) and self.is_label(nxt):
            return None
        return kind_of(text, v.HEADINGS)

    def label_match(self, i: int) -> re.Match[str] | None:
        """ "Label: value", or a well-known label and its value with no colon between
        ("Registrační číslo CZ.1.04/…", "Nositel projektu Statutární město …"). Asked of a line
        many times over, so kept."""
        if i not in self._labels:
            self._labels[i] = self._label_match(i)
        return self._labels[i]

    def _label_match(self, i: int) -> re.Match[str] | None:
        text = self.lines[i].text
        if m := LABEL_LINE.match(text):
            return m
        m = v.BARE_LABEL.match(fold_aligned(text))
        # A value starts like a name, a number or a quote; "Partneři projektu se scházeli…" is prose.
        return m if m and (text[m.start("value")].isupper() or text[m.start("value")] in "0123456789„\"") else None

    def continues(self, i: int, listed: bool) -> bool:
        """Whether line ``i`` goes on with the value above it: not after a blank line, not a new
        field or heading, and a bullet only in a list."""
        line, above = self.lines[i], self.lines[i - 1].text.rstrip()
        if line.blank or self.starts_field(i) or self.heading(i):
            return False
        if ITEM_MARK.match(line.text):
            return listed
        if listed:  # a list goes on, one name a line or wrapped, until a sentence
            return not (line.text.rstrip().endswith(".") and len(line.text.split()) >= 8)
        # Text wrapped to the next line: it goes on in lower case, after a comma or a dash, or
        # after a line as long as wrapped lines are; a short complete line ends the value.
        return line.text.lstrip()[:1].islower() or above.endswith((",", ";", "-", "–")) or len(above) >= 60

    def starts_field(self, i: int) -> bool:
        """A line that begins a field of its own, known or not ("Příspěvek ESF: 85 %")."""
        m = self.label_match(i)
        return bool(m and (kind_of(m["label"], v.LABELS) or self.lines[i].text[m.start("label")].isupper()))

    def starts_project_field(self, i: int) -> bool:
        """A field of the project, not a detail of the organisation above it (IČ, address)."""
        m = self.label_match(i)
        return bool(m and kind_of(m["label"], v.LABELS) not in (None, *v.DETAILS))

    def is_label(self, i: int) -> bool:
        m = self.label_match(i)
        return bool(m and kind_of(m["label"], v.LABELS))

    def skip_blank(self, i: int) -> int:
        while i < len(self.lines) and self.lines[i].blank:
            i += 1
        return i

    def first(self, *kinds: str) -> Fact | None:
        return next((f for f in self.facts if f.kind in kinds and f.value.strip()), None)

    def line_range(self, start: int, end: int) -> range:
        """The indices of the lines that overlap ``start``–``end`` (found by bisection: rules that
        read a block cost its size, not the page's)."""
        first = bisect.bisect_right(self.ends, start)
        last = bisect.bisect_left(self.starts, end)
        return range(first, max(first, last))

    def items(self, start: int, end: int) -> list[tuple[str, Span]]:
        """A block's bullet or numbered items (or its lines), each cleaned, with its span."""
        out = []
        for line in (self.lines[i] for i in self.line_range(start, end)):
            if line.end <= start or line.start >= end or line.blank:
                continue
            lo = max(line.start, start)
            m = BULLET.match(self.text, lo, min(line.end, end))
            a = m.end() if m else lo
            item = self.text[a:min(line.end, end)]
            out.append((item, (a, a + len(item))))
        return out

    # --- the run --------------------------------------------------------------------------

    def note(self, key: str, span: Span) -> None:
        self.spans.setdefault(key, span)

    def problem(self, span: Span | None, field_name: str | None, message: str) -> None:
        where = f"characters {span[0]}–{span[1]}" if span else None
        self.problems.append(Problem(self.source, where, field_name, message))

    @cached_property
    def sentence_spans(self) -> list[Span]:
        """Sentences: a paragraph break, or a full stop before a capital that does not close an
        abbreviation ("reg. č. CZ…", "Sv. Anežky") or a number."""
        spans, start = [], 0
        for m in SENTENCE_END.finditer(self.text):
            word = re.search(r"(\w+)[.!?]$", self.text[start:m.start()])
            if "\n" not in m[0] and word and (len(word[1]) <= 2 or fold(word[1]) in v.ABBREVIATIONS):
                continue
            spans.append((start, m.start()))
            start = m.end()
        return spans + [(start, len(self.text))]

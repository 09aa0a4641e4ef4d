"""Czech project pages (plain text or HTML) -> canonical records, every fact with its span.

Rules and dictionaries only: the page is cut into labelled fields ("Termín realizace: …"),
headings with the block under them ("Příjemce", "Cíle projektu") and sentences; the Czech
formats are parsed by ``loaders.czech``; names of programmes, regions, microregions and known
organisations come from the reference data. Nothing is guessed from outside the text.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from decimal import Decimal
from functools import lru_cache
from pathlib import Path

from pydantic import ValidationError

from graph.model import FundingSource, Role
from graph.text import fold, fold_aligned
from loaders import czech
from loaders import records as r
from loaders.errors import LoadError, Problem
from loaders.files import Document, Source
from loaders.html import html_text
from loaders.normalise import name_key, repair_transcript
from loaders.reference import reference_documents

MAX_PAGE_BYTES = 5 * 1024 * 1024
Span = tuple[int, int]

# Label words (folded, matched at the start of a label) -> the field they introduce.
LABELS: list[tuple[str, str]] = [
    ("registracni cislo", "registration_number"), ("reg. c", "registration_number"), ("reg. c.", "registration_number"), ("cislo projektu", "registration_number"),
    ("nazev projektu", "name"), ("projekt", "name"), ("popis projektu", "name_or_description"),
    ("termin realizace", "period"), ("doba realizace", "period"), ("obdobi realizace", "period"),
    ("doba trvani", "period"), ("realizace projektu", "period"), ("obdobi", "period"),
    ("realizace", "period_weak"),  # also an activity's dates: used only when nothing else dates the project
    ("datum zahajeni", "start"), ("zahajeni realizace", "start"), ("zahajeni projektu", "start"),
    ("zacatek projektu", "start"), ("zacatek realizace", "start"),
    ("datum ukonceni", "end"), ("ukonceni realizace", "end"), ("ukonceni projektu", "end"),
    ("konec projektu", "end"), ("konec realizace", "end"),
    ("celkove naklady", "money"), ("celkovy rozpocet", "money"), ("zdroje financovani", "money"),
    ("dotacni titul", "programme"), ("operacni program", "programme"), ("program", "programme"),
    ("nazev vyzvy", "call_name"), ("cislo vyzvy", "call"), ("vyzva", "call"),
    ("prijemce", "beneficiary"), ("zadatel", "beneficiary"), ("realizator", "beneficiary"),
    ("nositel projektu", "beneficiary"), ("predkladatel", "beneficiary"),
    ("ridici organ", "managing_authority"), ("zprostredkujici subjekt", "intermediate_body"),
    ("mezinarodni partner", "partners_abroad"), ("zahranicni partner", "partners_abroad"),
    ("cesti partner", "partners"), ("partner", "partners"),
    ("cilova skupina", "target_groups"), ("cilove skupiny", "target_groups"), ("pracovni skupiny", "working_groups"),
    ("vedouci partner", "beneficiary"),
    ("misto realizace", "places"), ("uzemi", "places"), ("lokalita", "places"),
    ("ic", "ico"), ("ico", "ico"), ("ulice", "street"), ("cislo popisne", "house_number"),
    ("mesto", "town"), ("obec", "town"), ("kraj", "seat_region"), ("psc", "postcode"),
    ("blizsi informace", "more"), ("vice informaci", "more"), ("kontakt", "more"),
]
# Labels well known enough to be read without a colon, matched on folded text.
_BARE_LABEL = re.compile(
    r"^[\s•*·-]*(?P<label>registracni cislo(?: projektu)?|reg\. c\.|nositel projektu|prijemce(?: dotace| podpory)?"
    r"|zadatel|realizator projektu|partneri projektu|partner projektu|termin realizace|doba realizace|realizace projektu"
    r"|obdobi realizace|celkove naklady(?: projektu)?|nazev projektu|ridici organ|zprostredkujici subjekt"
    r"|cilov[ae] skupin[ay]|misto realizace|uzemi realizace)\s+(?P<value>\S.*?)\s*$"
)
_LABEL_WORDS: list[tuple[re.Pattern[str], str]] = [
    (re.compile(r"\bregistracni\b"), "registration_number"),
    (re.compile(r"\b(zahajeni|zacatek)\b"), "start"),
    (re.compile(r"\b(ukonceni|konec|dokonceni)\b"), "end"),
    (re.compile(r"\b(termin|doba|obdobi) (realizace|trvani)\b"), "period"),
    (re.compile(r"\bpartner"), "partners"),
    (re.compile(r"\bcilov\w* skupin"), "target_groups"),
]
_EXACT_LABELS = {"projekt", "program"}  # "Projekt: X" names it; "Projekt je financován takto: …" does not
# Headings: a short line without a colon, the facts in the block under it.
HEADINGS: list[tuple[str, str]] = [
    ("prijemce", "beneficiary"), ("realizator", "beneficiary"), ("zadatel", "beneficiary"),
    ("cile projektu", "description"), ("cil projektu", "description"), ("anotace", "description"),
    ("o projektu", "description"), ("strucny popis", "description"), ("popis projektu", "description"),
    ("cilova skupina", "target_groups"), ("cilove skupiny", "target_groups"),
    ("partneri", "partners"), ("misto realizace", "places"), ("uzemi realizace", "places"),
    ("pracovni skupiny", "working_groups"), ("pro koho", "target_groups"),
]
_DETAILS = ("ico", "street", "house_number", "town", "seat_region", "postcode", "more")  # of an organisation
_LISTS = {"partners", "partners_abroad", "target_groups", "places", "money"}  # values that run on as lists
_ROLE_FIELDS = {"beneficiary": Role.BENEFICIARY, "managing_authority": Role.MANAGING_AUTHORITY,
                "intermediate_body": Role.INTERMEDIATE_BODY}
# Labels that end a value that runs on in the same line ("… program Bližší informace: www…").
_CUT = re.compile(r"\s(?:Bližší informace|Více informací|Registrační číslo|Řídící orgán|Zprostředkující subjekt)\s*:")
_LABEL_LINE = re.compile(r"^[\s•*·-]*(?P<label>[^\W\d_][^:\n]{0,70}?)\s*:(?!//)[ \t]*(?P<value>.*?)\s*$")
_BULLET = re.compile(r"[\s•*·-]*(?:\d{1,2}[.)]\s+)?")
_ITEM_MARK = re.compile(r"\s*(?:[•*·–-]|\d{1,2}[.)])\s")
_SENTENCE_END = re.compile(r"(?<=[.!?])\s+(?=[„\"“A-ZÁČĎÉĚÍŇÓŘŠŤÚŮÝŽ])|\n\s*\n")
_ABBREVIATIONS = {"reg", "tzv", "napr", "resp", "mj", "ing", "mgr", "bc", "judr", "phdr", "mudr", "sv", "ul", "tel", "cca"}
# Words and letters that give away a foreign body's country in a list of foreign partners.
_FOREIGN_CUES: list[tuple[re.Pattern[str], str]] = [
    (re.compile(r"^(Mesto|Mestská|Obecný úrad|Mestský úrad)\b|\bsamosprávny\b|[ôäĺľŕ]"), "SK"),
    (re.compile(r"^(Gmina|Miasto|Powiat|Stowarzyszenie|Urząd)\b|[łąęśźżńć]"), "PL"),
    (re.compile(r"\b(Council|Borough|County)\b|^City of\b"), "GB"),
    (re.compile(r"\b(Önkormányzat|Város)\b|[őű]"), "HU"),
]
# Names end before "ve spolupráci…" or a full stop that closes a sentence (not the one of "a.s.").
_NAME_END = r"(?=\s+(?:ve spolupráci|v partnerství|s partnery|společně s|projekt)\b|(?<![.\s]\w)[.;:](?:\s|$)|\n)"
_PROSE_BENEFICIARY = re.compile(
    r"\b(?:[Pp]rojekt\w*\s+(?P<verb>realizoval[aoi]?|realizuje|připravil[aoi]?|zajišťuje|zajišťoval[aoi]?)"
    r"|(?P<verb2>[Pp]říjemcem)(?:\s+(?:dotace|podpory))?\s+(?:je|byl[aoi]?|se stal[aoi]?)"
    r"|(?P<verb3>realizoval[aoi]?|realizuje)(?=\s+(?:statutární město|město|obec|městys|kraj)\s))"
    rf"\s+(?P<name>(?:statutární město|město|obec|městys)\s+[A-ZÁČĎÉĚÍŇÓŘŠŤÚŮÝŽ][^\n]*?|[A-ZÁČĎÉĚÍŇÓŘŠŤÚŮÝŽ][^\n]*?)"
    rf"{_NAME_END}"
)
_FORMS = r"o\.\s?s\.|z\.\s?s\.|o\.\s?p\.\s?s\.|z\.\s?ú\.|p\.\s?o\.|s\.\s?r\.\s?o\.|a\.\s?s\.|příspěvková organizace"
_ADDRESS = re.compile(r"^(?:[^\W\d][\w.]*\s)+\d+(?:/\d+)?\w?$|^\d{3}\s?\d{2}\b")  # "Tovární 1059/1", "790 01 Jeseník"
_PROSE_PARTNERS = re.compile(r"\b(?:(?:s|se)\s+partnery|(?:[Zz]ahraničním\s+)?[Pp]artner(?:y|em)\s+(?:projektu\s+)?"
                             r"(?:jsou|je|byl[aiy]?|se stal[aiy]?)|[Ss]polupracující\w*\s+organizac\w*(?:\s+\w+){0,3}?\s+"
                             r"(?:jsou|byl[aiy]?))\s*:?\s*(?P<list>[A-ZÁČĎÉĚÍŇÓŘŠŤÚŮÝŽ][^\n]*?)(?=(?<![.\s]\w)\.(?:\s|$)|\n|$)")
# What stands on a page as a funder's logo, not as a title.
_FUNDER_LOGO = re.compile(r"(evropsk\w* (unie|socialni fond)|investice do (vasi budoucnosti|rozvoje vzdelavani)|"
                          r"ministerstvo .*|operacni program .*|spolufinancovano .*|(english )?summary|abstract)")
_NAV_LINE = re.compile(r"\s[|›»>]\s|^[•·]|^\d{1,2}\.\s?\d{1,2}\.\s?\d{4}\b|^Zpět\b")  # menus, breadcrumbs, dates
_NAMED_IN_SENTENCE = re.compile(r"\b[Pp]rojekt(?:u|em)?\s+([A-ZÁČĎÉĚÍŇÓŘŠŤÚŮÝŽ][^,.\n„“]{8,200}?),?\s+(?:reg\.\s*č|registrační)")
# Words a project's title is about (folded): what tells it from a site's or a department's name.
_SUBJECT = re.compile(r"social|planova|sluzb|projekt|komunit|partner|podpor|rozvoj|spoluprac|integrac")
_QUOTED_NAME = re.compile(r"\b[Pp]rojekt(?:u|em)?\s+[„\"“]([^„“”\"\n]{8,250})[“”\"]")
_URL = re.compile(r"(?:https?://|www\.)\S+")
_NAVIGATION = {"zpet", "domu", "uvod", "menu", "tisk", "nahoru", "zpet na seznam"}


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


@dataclass
class Extraction:
    source: str
    project: r.Project | None = None
    organisations: list[r.Organisation] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)  # e.g. "no project here": nothing is loaded


# --- reading -----------------------------------------------------------------------------------


def decode(path: Path, data: bytes) -> str:
    """Text of a page: UTF-8, else Windows-1250, which Czech sites still serve."""
    if b"\x00" in data[:8192]:
        raise LoadError([Problem(str(path), None, None, "a binary file, not a text or HTML page")])
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        try:
            return data.decode("cp1250")
        except UnicodeDecodeError as exc:
            raise LoadError([Problem(str(path), f"byte {exc.start}", None,
                                     "neither UTF-8 nor Windows-1250 text")]) from exc


def read_page(path: Path) -> Document:
    """A Czech project page (.txt, .html) as a document of one project."""
    size = path.stat().st_size
    if size == 0:
        raise LoadError([Problem(str(path), None, None, "the file is empty")])
    if size > MAX_PAGE_BYTES:
        raise LoadError([Problem(str(path), None, None, f"{size:,} bytes is too large for a project page "
                                 f"(at most {MAX_PAGE_BYTES:,}); structured data belongs in CSV")])
    data = path.read_bytes()
    text, media_type = page_text(path, data)
    extraction = extract(text, str(path))
    if extraction.problems:
        raise LoadError(extraction.problems)
    project = extraction.project
    dataset = r.Dataset(title=project and project.name, projects=[project] if project else [],
                        organisations=extraction.organisations)
    address = _SOURCE_LINE.match(text)
    return Document(Source.of(path, data, media_type, dataset.title, address and address[1]), dataset,
                    tuple(extraction.warnings))


# A saved page may open with the address it was read from: "SOURCE: https://…".
_SOURCE_LINE = re.compile(r"\s*SOURCE:\s*(\S+)")


def page_text(path: Path, data: bytes) -> tuple[str, str]:
    text = repair_transcript(decode(path, data))
    if path.suffix.lower() in (".html", ".htm") or re.match(r"\s*<(!doctype|html)", text, re.I):
        return html_text(text), "text/html"
    return text, "text/plain"


# --- the extractor -----------------------------------------------------------------------------


def extract(text: str, source: str) -> Extraction:
    """What a page states, before resolution. Problems name the file, the characters and the field."""
    return _Page(text, source).run()


@dataclass(frozen=True)
class Reference:
    """The reference data as the extractor looks names up, all keyed by folded text."""

    programmes: list[tuple[re.Pattern[str], str]]  # name pattern -> programme name
    regions: dict[str, str]  # a form of a kraj's name ("zlinskem kraji") -> its name
    microregions: dict[str, tuple[str, str]]  # name or alias -> (name, kind)
    homes: dict[str, str]  # known organisation or town -> country code
    countries: dict[str, str]  # country name, alias or code -> country code
    programme_names: dict[str, str]  # programme code -> name


@lru_cache(maxsize=1)
def _reference() -> Reference:
    programmes, regions, microregions, countries, country_names = [], {}, {}, {}, {}
    for doc in reference_documents():
        ds = doc.dataset
        for p in ds.programmes:
            for name in (p.name, *p.aliases):
                programmes.append((_inflected(name), p.name))
        for reg in ds.regions:
            if reg.nuts_level == 3:
                for form in _region_forms(reg.name):
                    regions[form] = reg.name
        for mr in ds.microregions:
            for name in (mr.name, *mr.aliases):
                microregions[fold(name)] = (mr.name, mr.kind.value)
        for mun in ds.municipalities:
            countries.setdefault(fold(mun.name), mun.country)
        for c in ds.countries:
            for name in (c.code, c.name, c.name_en, c.alpha3, *c.aliases):
                country_names[fold(name)] = c.code
        for org in ds.organisations:
            for name in (org.name, *org.aliases):
                countries[name_key(name)] = org.country
    programmes.sort(key=lambda item: -len(item[0].pattern))
    names = {p.code: p.name for doc in reference_documents() for p in doc.dataset.programmes}
    return Reference(programmes, regions, microregions, countries, country_names, names)


def _inflected(name: str) -> re.Pattern[str]:
    """A name as a pattern over folded text that lets each longer word take any Czech ending;
    "operační program" may be shortened to "OP"."""
    words = fold(name).split()
    parts = [re.escape(w[: max(4, len(w) - 3)]) + r"\w*" if len(w) > 4 else re.escape(w) for w in words]
    if words[:2] == ["operacni", "program"]:
        parts[:2] = [r"(?:operac\w*\s+program\w*|op)"]
    return re.compile(r"\b" + r"[\s:]+".join(parts) + r"\b")  # "Operační program: Zaměstnanost" too


def _region_forms(name: str) -> list[str]:
    """Folded forms a region's name takes: "Zlínský kraj", "ve Zlínském kraji", "Zlínského kraje"."""
    folded = fold(name)
    m = re.fullmatch(r"(\w+)y kraj", folded)
    if m:
        return [folded, f"{m[1]}em kraji", f"{m[1]}eho kraje", f"{m[1]}ym krajem"]
    if folded == "kraj vysocina":
        return [folded, "kraji vysocina", "kraje vysocina"]
    if folded == "hlavni mesto praha":
        return [folded, "hlavnim meste praze", "hlavniho mesta prahy", "v praze"]
    return [folded]


class _Page:
    def __init__(self, text: str, source: str) -> None:
        self.text, self.source = text, source
        self.folded = fold_aligned(text)
        self.lines: list[Line] = []
        pos = 0
        for raw in text.splitlines(keepends=True):
            self.lines.append(Line(pos, pos + len(raw.rstrip("\r\n")), raw.rstrip("\r\n")))
            pos += len(raw)
        self.facts = self._facts()
        self.problems: list[Problem] = []
        self.spans: dict[str, Span] = {}
        self.name_from_title = False

    # --- structure ------------------------------------------------------------------------

    @staticmethod
    def _kind(label: str, table: list[tuple[str, str]]) -> str | None:
        folded = fold(label)
        found = next((kind for word, kind in table if folded == word or word not in _EXACT_LABELS and (
            folded.startswith(word + " ") or (len(word) > 6 and folded.startswith(word)))), None)
        if found or table is not LABELS or len(folded) > 50:
            return found
        # Words that mark a field wherever they stand: "Předpokládané ukončení projektu".
        return next((kind for pattern, kind in _LABEL_WORDS if pattern.search(folded)), None)

    def _facts(self) -> list[Fact]:
        facts: list[Fact] = []
        i = 0
        while i < len(self.lines):
            line = self.lines[i]
            m = self._label_match(i)
            heading = None if m else self._heading(i)
            if m:
                kind = self._kind(m["label"], LABELS)
                start = line.start + m.start("value")
                end, j = line.start + m.end("value"), i + 1
                if kind and kind not in _DETAILS:
                    if start == end:  # "Partneři na projektu:" with the list in the next block
                        j = self._skip_blank(i + 1)
                        if j < len(self.lines) and not self._starts_field(j):
                            start, end, j = self.lines[j].start, self.lines[j].end, j + 1
                    listed = kind in _LISTS or start != line.start + m.start("value")
                    while j < len(self.lines) and self._continues(j, listed):
                        end, j = self.lines[j].end, j + 1
                facts.append(self._fact(kind, line.text[m.start("label"):m.end("label")], start, end, i))
                i = max(j, i + 1) if kind else i + 1
            elif heading:
                j = self._skip_blank(i + 1)
                k = j + 1
                bulleted = j < len(self.lines) and _ITEM_MARK.match(self.lines[j].text)
                # The block under a heading: its paragraph, or its list when it starts with one.
                while k < len(self.lines) and not self.lines[k].blank and not self._starts_project_field(k) and (
                        not bulleted or _ITEM_MARK.match(self.lines[k].text)):
                    k += 1
                if j < len(self.lines):
                    facts.append(self._fact(heading, line.text.strip(), self.lines[j].start, self.lines[k - 1].end, i))
                i += 1
            else:
                i += 1
        return facts

    def _fact(self, kind: str | None, label: str, start: int, end: int, line: int) -> Fact:
        value = self.text[start:end]
        cut = _CUT.search(value)
        if cut:
            end = start + cut.start()
        return Fact(kind, label.strip(), self.text[start:end], (start, end), line)

    def _heading(self, i: int) -> str | None:
        text = self.lines[i].text.strip()
        if not text or len(text) > 60 or text.endswith((".", ",")):
            return None
        nxt = self._skip_blank(i + 1)
        if nxt < len(self.lines) and self._is_label(nxt):
            return None
        return self._kind(text, HEADINGS)

    def _label_match(self, i: int) -> re.Match[str] | None:
        """ "Label: value", or a well-known label and its value with no colon between
        ("Registrační číslo CZ.1.04/…", "Nositel projektu Statutární město …")."""
        text = self.lines[i].text
        if m := _LABEL_LINE.match(text):
            return m
        m = _BARE_LABEL.match(fold_aligned(text))
        # A value starts like a name, a number or a quote; "Partneři projektu se scházeli…" is prose.
        return m if m and (text[m.start("value")].isupper() or text[m.start("value")] in "0123456789„\"") else None

    def _continues(self, i: int, listed: bool) -> bool:
        """Whether line ``i`` goes on with the value above it: not after a blank line, not a new
        field or heading, and a bullet only in a list."""
        line, above = self.lines[i], self.lines[i - 1].text.rstrip()
        if line.blank or self._starts_field(i) or self._heading(i):
            return False
        if _ITEM_MARK.match(line.text):
            return listed
        if listed:  # a list goes on, one name a line or wrapped, until a sentence
            return not (line.text.rstrip().endswith(".") and len(line.text.split()) >= 8)
        # Text wrapped to the next line: it goes on in lower case, after a comma or a dash, or
        # after a line as long as wrapped lines are; a short complete line ends the value.
        return line.text.lstrip()[:1].islower() or above.endswith((",", ";", "-", "–")) or len(above) >= 60

    def _starts_field(self, i: int) -> bool:
        """A line that begins a field of its own, known or not ("Příspěvek ESF: 85 %")."""
        m = self._label_match(i)
        return bool(m and (self._kind(m["label"], LABELS) or self.lines[i].text[m.start("label")].isupper()))

    def _starts_project_field(self, i: int) -> bool:
        """A field of the project, not a detail of the organisation above it (IČ, address)."""
        m = self._label_match(i)
        return bool(m and self._kind(m["label"], LABELS) not in (None, *_DETAILS))

    def _is_label(self, i: int) -> bool:
        m = self._label_match(i)
        return bool(m and self._kind(m["label"], LABELS))

    def _skip_blank(self, i: int) -> int:
        while i < len(self.lines) and self.lines[i].blank:
            i += 1
        return i

    def _first(self, *kinds: str) -> Fact | None:
        return next((f for f in self.facts if f.kind in kinds and f.value.strip()), None)

    def _items(self, start: int, end: int) -> list[tuple[str, Span]]:
        """A block's bullet or numbered items (or its lines), each cleaned, with its span."""
        out = []
        for line in self.lines:
            if line.end <= start or line.start >= end or line.blank:
                continue
            lo = max(line.start, start)
            m = _BULLET.match(self.text, lo, min(line.end, end))
            a = m.end() if m else lo
            item = self.text[a:min(line.end, end)]
            out.append((item, (a, a + len(item))))
        return out

    # --- the run --------------------------------------------------------------------------

    def run(self) -> Extraction:
        out = Extraction(self.source)
        stated = self._registration_number()
        reg = czech.RegistrationNumber.parse(stated.number) if stated and stated.number else None
        name = self._name()
        if reg is None and (name is None or self._only_a_title()):
            out.warnings.append(f"{self.source}: no project here (the page names no project and states no "
                                "registration number, beneficiary, period or cost)")
            return out
        if stated and reg is None:
            out.warnings.append(f"{self.source}: characters {stated.span[0]}–{stated.span[1]}: registration number "
                                f"{stated.stated!r} is cut short or malformed; the project is kept without it")
        if name is None:
            self._problem(None, "name", "no project name found (a title line or “Název projektu:”)")
            name = reg.text  # stands in, so that the other facts still show; the load refuses it
        participants, organisations = self._organisations()
        funding, total, co_funders = self._money()
        start, end = self._period()
        fields = dict(
            registration_number=reg and reg.text, name=name,
            registration_number_stated=stated.stated if stated and (stated.repaired or reg is None) else None, description=self._description(), start=start, end=end,
            total_cost_czk=total, programme=reg and reg.programme, programme_stated=self._programme(),
            priority_axis=reg and reg.priority_axis, priority_axis_name=reg and self._axis_name(reg.priority_axis),
            area_of_support=reg and reg.area_of_support, call=reg and reg.call, call_name=self._call_name(),
            participants=participants + co_funders, funding=funding, target_groups=self._target_groups(),
            working_groups=self._working_groups(), places=self._places(name), spans=self.spans,
        )
        follows, followed_by = (
            [n for n in named if not reg or n != reg.text] for named in self._links())  # a page names its own number too
        for key, named in (("follows", follows), ("followed_by", followed_by)):
            for i, text in enumerate(named):
                at = self.text.find(text)
                if at >= 0:
                    self._note(f"{key}[{i}]", (at, at + len(text)))
        fields |= {"follows": follows, "followed_by": followed_by}
        try:
            out.project = r.Project.model_validate(fields)
            out.organisations = [r.Organisation.model_validate(o) for o in organisations]
        except ValidationError as exc:
            for err in exc.errors():
                where = str(err["loc"][0]) if err["loc"] else "end"  # the one check across fields
                span = self.spans.get(where or "") or self.spans.get("end")
                self._problem(span, where, err["msg"].removeprefix("Value error, "))
        out.problems = self.problems
        return out

    def _problem(self, span: Span | None, field_name: str | None, message: str) -> None:
        where = f"characters {span[0]}–{span[1]}" if span else None
        self.problems.append(Problem(self.source, where, field_name, message))

    def _note(self, key: str, span: Span) -> None:
        self.spans.setdefault(key, span)

    # --- project facts ----------------------------------------------------------------------

    def _registration_number(self) -> czech.StatedNumber | None:
        """The labelled number, else the first on the page: a sound one before a malformed one."""
        labelled = self._first("registration_number")
        for region in ([labelled.span] if labelled else []) + [(0, len(self.text))]:
            found = czech.find_registration_numbers(self.text, *region)
            if best := next((n for n in found if n.number), None) or next(iter(found), None):
                self._note("registration_number", best.span)
                return best
        return None

    def _only_a_title(self) -> bool:
        """A name taken only from a title line, with nothing else a project page states."""
        return self.name_from_title and not any(
            self._first(kind) for kind in ("beneficiary", "period", "start", "end", "money", "partners"))

    def _name(self) -> str | None:
        for fact in self.facts:
            if fact.kind == "name" or (fact.kind == "name_or_description" and re.match(r"\s*[„\"“]", fact.value)):
                return self._named("name", fact.value, fact.span)
        for quoted in _QUOTED_NAME.finditer(self.text):  # "Projekt „Komunitní plánování …“ byl realizován"
            if not re.search(r"navaz", self.folded[max(0, quoted.start() - 60):quoted.start()]):  # not a follow-up
                return self._named("name", quoted[1], quoted.span(1))
        if named := _NAMED_IN_SENTENCE.search(self.text):  # "… realizovalo … projekt X, reg. č. CZ…"
            return self._named("name", named[1], named.span(1))
        # Else a line that reads as a title: preferably one about the subject, and not a site's
        # name over its menu ("Statutární město Frýdek-Místek" above "Magistrát › Odbor …").
        candidates = []
        i = 0
        while i < min(len(self.lines), 60):
            if not self._title_like(i):
                i += 1
                continue
            k = i
            while k + 1 < len(self.lines) and self._title_like(k + 1):
                k += 1
            span = (self.lines[i].start, self.lines[k].end)
            above_menu = any(_NAV_LINE.search(self.lines[j].text) and not self._label_match(j)
                             for j in range(k + 1, min(k + 3, len(self.lines))))
            if len(" ".join(self.text[span[0]:span[1]].split())) <= 250:
                candidates.append((not _SUBJECT.search(self.folded[span[0]:span[1]]), above_menu, span))
            i = k + 1
        if candidates:
            *_, span = min(candidates)  # stable: the first of the best
            self.name_from_title = True
            return self._named("name", self.text[span[0]:span[1]], span)
        return None

    def _title_like(self, i: int) -> bool:
        """Not a title: navigation ("Úvod | Projekty", "Hledat…"), a site's name in capitals, a date,
        a field, a sentence, money."""
        text = self.lines[i].text.strip()
        letters = [c for c in text if c.isalpha()]
        return bool(
            len(text) >= 8 and len(text.split()) >= 2 and letters and not _FUNDER_LOGO.fullmatch(fold(text))
            and fold(text) not in _NAVIGATION and not _NAV_LINE.search(text) and not self._label_match(i)
            and not text.endswith((".", "…", "...", ":")) and not re.search(r"%|\bKč\b|@|\bTel\b", text)
            and not czech.DATE.fullmatch(fold_aligned(text))
        )

    def _named(self, key: str, value: str, span: Span) -> str:
        inner = re.search(r"[„\"“](.+?)[“\"”]", value, re.S)
        if inner:
            span, value = (span[0] + inner.start(1), span[0] + inner.end(1)), inner[1]
        self._note(key, span)
        return " ".join(value.split())

    def _description(self) -> str | None:
        fact = self._first("description")
        if fact:
            items = self._items(*fact.span)
            self._note("description", fact.span)
            return " ".join(" ".join(item for item, _ in items).split()) or None
        for i, line in enumerate(self.lines):
            if line.blank or (i and not self.lines[i - 1].blank):
                continue
            k = i
            while k + 1 < len(self.lines) and not self.lines[k + 1].blank:
                k += 1
            para = " ".join(self.text[line.start:self.lines[k].end].split())
            if len(para) >= 200 and re.match(r"(Projekt|Cíl)", para):
                self._note("description", (line.start, self.lines[k].end))
                return para
        return None

    def _period(self) -> tuple[str | None, str | None]:
        start = end = None
        for fact in self.facts:
            if fact.kind == "start" and start is None:
                found = czech.parse_date(fact.value)
                start = found and self._dated("start", found, fact.span)
            elif fact.kind == "end" and end is None:
                found = czech.parse_date(fact.value)
                end = found and self._dated("end", found, fact.span)
            elif fact.kind == "period" and start is None and end is None:
                first, last = czech.parse_period(fact.value)
                start = first and self._dated("start", first, fact.span)
                end = last and self._dated("end", last, fact.span)
        if start is None and end is None:  # "Od října roku 2005 do července roku 2007 byl … realizován projekt"
            for a, b in self._sentences():
                if not re.search(r"realiz|probih|probeh|trval|trva\b|pobezi|bezi\b|bezel", self.folded[a:b]):
                    continue
                first, last = czech.parse_period(self.text[a:b])
                if first and last:
                    return self._dated("start", first, (a, b)), self._dated("end", last, (a, b))
        if start is None and end is None and (weak := self._first("period_weak")):  # "Realizace: 3/2011 – 2/2013"
            first, last = czech.parse_period(weak.value)
            start = first and self._dated("start", first, weak.span)
            end = last and self._dated("end", last, weak.span)
        return start, end

    def _dated(self, key: str, found: czech.Found, within: Span) -> str:
        a, b = found.span
        self._note(key, (within[0] + a, within[0] + b))
        return found.value.iso()

    def _programme(self) -> str | None:
        patterns = _reference().programmes
        hits = [(m.start(), m.end(), name) for pattern, name in patterns for m in pattern.finditer(self.folded)]
        if hits:
            a, b, name = min(hits)
            self._note("programme_stated", (a, b))
            return name
        fact = self._first("programme")
        if fact:
            value = re.split(r"\s(?:Prioritní osa|Priorita|Opatření|Oblast podpory)\b", fact.value)[0]
            return self._named("programme_stated", value, fact.span)
        return None

    def _axis_name(self, axis: str | None) -> str | None:
        m = re.search(r"\b(?:Prioritní osa|Priorita)\s+(\d+)\s*[-–:]?\s*(.*?)\s*(?=\s(?:Opatření|Oblast podpory|"
                      r"Investiční priorita|Bližší informace|Výzva)\b|$)", self.text, re.M)
        if not m or m[1] != axis or not m[2]:
            return None
        self._note("priority_axis_name", m.span(2))
        return m[2]

    def _call_name(self) -> str | None:
        fact = self._first("call_name")
        if not fact:
            return None
        m = re.match(r"\s*(?:\d+(?:\.\d+)*\s*[-–]\s*)?(.+?)\s*$", fact.value, re.S)
        if not m or m[1] in ("-", "–"):
            return None
        return self._named("call_name", m[1], (fact.span[0] + m.start(1), fact.span[0] + m.end(1)))

    # --- organisations ------------------------------------------------------------------------

    def _organisations(self) -> tuple[list[r.Participant], list[dict]]:
        participants: list[r.Participant] = []
        organisations: list[dict] = []
        for fact in self.facts:
            if fact.kind in _ROLE_FIELDS:
                items = self._items(*fact.span)
                if not items:
                    continue
                name, span = self._clean_name(*items[0])
                if not name:
                    continue
                role = _ROLE_FIELDS[fact.kind]
                if any(p.role == role and p.name == name for p in participants):
                    continue
                org = self._seat(name, fact) if role == Role.BENEFICIARY else None
                stated = _label(fact.label) if self._is_label(fact.line) else fact.label.split()[0]
                participants.append(r.Participant(name=name, role=role, role_stated=stated, span=span,
                                                  ico=org.get("ico") if org else None))
                if org and len(org) > 1:
                    organisations.append(org)
            elif fact.kind in ("partners", "partners_abroad"):
                abroad = fact.kind == "partners_abroad"
                for name, span in self._split_names(fact.span):
                    name, country = self._country(name, abroad)
                    participants.append(r.Participant(
                        name=name, role=Role.PARTNER, role_stated=_label(fact.label), span=span, country=country))
        participants += [p for p in self._table_rows() if p.name not in {q.name for q in participants}]
        if not any(p.role == Role.BENEFICIARY for p in participants) and (found := self._implementer()):
            participants.insert(0, found)
        if not any(p.role == Role.PARTNER for p in participants):
            for m in _PROSE_PARTNERS.finditer(self.text):
                for name, span in self._split_names(m.span("list")):
                    name, country = self._country(name, abroad=bool(re.search(r"zahranič|mezinárod", m[0], re.I)))
                    participants.append(r.Participant(name=name, role=Role.PARTNER, role_stated="partner", span=span,
                                                      country=country))
        return participants, organisations

    def _seat(self, name: str, fact: Fact) -> dict:
        """The organisation block under a beneficiary heading: IČO, address, website."""
        values: dict[str, str] = {}
        first = next(i for i, line in enumerate(self.lines) if line.end >= fact.span[0])
        last = next((i for i, line in enumerate(self.lines) if line.start > fact.span[1]), len(self.lines))
        # The block, and the detail lines right under it ("IČO: …" after the name and address).
        while last < min(len(self.lines), last + 5) and not self.lines[last].blank and not self._starts_project_field(last):
            last += 1
        for line in self.lines[first:last]:
            m = _LABEL_LINE.match(line.text)
            if m and (kind := self._kind(m["label"], LABELS)) in ("ico", "street", "house_number", "town", "seat_region", "postcode"):
                values.setdefault(kind, m["value"].strip())
            elif (url := _URL.search(line.text)) and "website" not in values:
                values["website"] = url[0]
        inline = re.search(r"\bIČO?:?\s*(\d[\d ]{6,9}\d)", fact.value)
        if inline and "ico" not in values:
            values["ico"] = inline[1]
        org: dict = {"name": name}
        if "ico" in values:
            org["ico"] = re.sub(r"\s", "", values["ico"])
        if "town" in values:
            org["seat"] = values["town"]
            street = " ".join(v for v in (values.get("street"), values.get("house_number")) if v)
            code = re.sub(r"\s", "", values.get("postcode", ""))
            postcode = f"{code[:3]} {code[3:]}" if len(code) == 5 else code
            org["address"] = ", ".join(p for p in (street, f"{postcode} {values['town']}".strip()) if p)
        if "seat_region" in values:
            regions = _reference().regions
            org["seat_region"] = _region_code(regions.get(fold(values["seat_region"])))
        if "website" in values:
            org["website"] = values["website"]
        return {k: v for k, v in org.items() if v}

    def _implementer(self) -> r.Participant | None:
        """The beneficiary named in a sentence: "Projekt realizovala Kroměřížská nemocnice, a.s.",
        "Příjemcem dotace je Město Hulín", or the agent of a passive "byl městem Otrokovice …
        realizován projekt"."""
        if m := _PROSE_BENEFICIARY.search(self.text):
            name, span = self._clean_name(m["name"], m.span("name"))
            if name:
                stated = m["verb"] or ("příjemce" if m["verb2"] else "realizátor")
                return r.Participant(name=name[0].upper() + name[1:], role=Role.BENEFICIARY, role_stated=stated, span=span)
        for m in re.finditer(r"[^.\n]*realizov[aá]n[^.\n]*", self.text):
            agent = re.search(r"\b(statutárním městem|městem|městysem|obcí)\s+([A-ZÁČĎÉĚÍŇÓŘŠŤÚŮÝŽ][\w-]*"
                              r"(?:\s+(?:nad|pod|u|v|ve|na)\s+[A-ZÁČĎÉĚÍŇÓŘŠŤÚŮÝŽ][\w-]*|\s+[A-ZÁČĎÉĚÍŇÓŘŠŤÚŮÝŽ][\w-]*)*)",
                              m[0])
            if agent:
                word = {"statutárním městem": "Statutární město", "městem": "Město", "městysem": "Městys",
                        "obcí": "Obec"}[agent[1]]
                span = (m.start() + agent.start(), m.start() + agent.end())
                return r.Participant(name=f"{word} {agent[2]}", role=Role.BENEFICIARY, role_stated="realizátor", span=span)
        return None

    def _split_names(self, span: Span) -> list[tuple[str, Span]]:
        """A list of organisations, split at commas and semicolons (and list items) but not inside
        names: a piece that starts in lower case ("příspěvková organizace", "krajská organizace
        Zlín", "o.s.") belongs to the name before it."""
        pieces: list[list[int]] = []
        lines = self._items(*span)
        bulleted = any(_ITEM_MARK.match(line.text) for line in self.lines if span[0] <= line.start < span[1])
        if not bulleted and not self._one_per_line(lines):
            lines = [(self.text[lines[0][1][0]:span[1]], (lines[0][1][0], span[1]))] if lines else []
        lines = [(item, at) for item, at in lines if "\t" not in item]  # table rows: read as a table
        for item, (a, _) in lines:
            # A list item is one organisation, commas and all; a running list splits at them.
            for m in re.finditer(r"[^;]+" if bulleted else r"[^,;]+", item):
                text = m[0].strip()
                if not text:
                    continue
                lo = a + m.start() + (len(m[0]) - len(m[0].lstrip()))
                hi = a + m.end() - (len(m[0]) - len(m[0].rstrip()))
                # A lower-case piece continues a name; an IČO, a country ("…, Slovensko") or an
                # address ("Tovární 1059/1", "790 01 Jeseník" and the town after it) belongs to it.
                address = _ADDRESS.match(text) or (pieces and pieces[-1][2] and len(text.split()) <= 3)
                if pieces and (text[0].islower() or re.match(r"(IČO?|IČ)\b", text) or fold(text) in _reference().countries
                               or address):
                    pieces[-1][1:] = [hi, bool(address)] if address else [hi, pieces[-1][2]]
                else:
                    pieces.append([lo, hi, False])
        if pieces and not bulleted:  # "…, Město Šternberk a Obec Hlubočky": the last "a" parts two names
            lo, hi, _ = pieces[-1]
            joins = list(re.finditer(r"\s+a\s+(?=[A-ZÁČĎÉĚÍŇÓŘŠŤÚŮÝŽ])", self.text[lo:hi]))
            if joins and len(pieces) > 1:
                pieces[-1:] = [[lo, lo + joins[-1].start(), False], [lo + joins[-1].end(), hi, False]]
        out = []
        for lo, hi, _ in pieces:
            name, nspan = self._clean_name(self.text[lo:hi], (lo, hi))
            if name:
                out.append((name, nspan))
        return out

    def _table_rows(self) -> list[r.Participant]:
        """A table of organisations (tab-separated, as HTML tables are laid out): a header with an
        organisation column, maybe a country and a role column ("Organizace | Země | Role")."""
        out = []
        i = 0
        while i < len(self.lines):
            header = [fold(c).strip() for c in self.lines[i].text.split("\t")]
            i += 1
            org = next((k for k, c in enumerate(header) if len(c) <= 20 and re.search(r"organizac|nazev|subjekt|partner", c)), None)
            if len(header) < 3 or org is None:
                continue
            country = next((k for k, c in enumerate(header) if re.search(r"\b(zeme|stat)\b", c)), None)
            role = next((k for k, c in enumerate(header) if re.search(r"\b(role|typ|postaveni)\b", c)), None)
            while i < len(self.lines) and len(cells := self.lines[i].text.split("\t")) == len(header):
                row, i = self.lines[i], i + 1
                name = cells[org].strip()
                code = _reference().countries.get(fold(cells[country])) if country is not None else "CZ"
                part = fold(cells[role]) if role is not None else "partner"
                kind = (Role.BENEFICIARY if re.search(r"prijemce|zadatel|realizator|vedouci", part)
                        else Role.CO_FUNDER if "spolufin" in part else Role.PARTNER)
                at = row.start + row.text.index(name) if name else row.start
                out.append(r.Participant(name=name, role=kind, role_stated=cells[role].strip() if role is not None else None,
                                         country=code, span=(at, at + len(name))))
        return [p for p in out if p.name]

    @staticmethod
    def _one_per_line(lines: list[tuple[str, Span]]) -> bool:
        """Names one per line (a <br> list, a PDF's column): several short lines, none ending in a
        comma. Text wrapped mid-name runs in lines as long as a page is wide."""
        short = sum(len(text) < 60 for text, _ in lines)
        return len(lines) > 1 and 2 * short >= len(lines) and not any(text.rstrip().endswith(",") for text, _ in lines)

    def _clean_name(self, text: str, span: Span) -> tuple[str | None, Span]:
        """A name without bullets, web addresses, IČO and a sentence's full stop."""
        text = _URL.sub("", text)
        text = re.sub(r",?\s*IČO?:?\s*\d[\d ]*", "", text)
        # An address after the name: ", se sídlem …", ", Masarykovo nám. 100, 688 01 …".
        text = re.split(r",\s*(?:se sídlem|sídlo\b|[^,]*\s\d+(?:/\d+)?\w?\s*(?:,|$)|\d{3}\s?\d{2}\s)", text)[0]
        text = re.sub(r"\s*\((?!\s*[A-Z]{2}\s*\))[a-zěščřžýáíéůú][^)]*\)\s*$", "", text)  # "(partner s finančním příspěvkem)"
        text = re.sub(rf"^(.*?,?\s*(?:{_FORMS}))\s*,\s*[A-ZÁČĎÉĚÍŇÓŘŠŤÚŮÝŽ].*$", r"\1", text)  # "…, o.s., Frýdlant nad Ostravicí"
        text = " ".join(text.split()).strip(" ,;:")
        if text.endswith(".") and not re.search(r"(?:^|\s)(?:\w{1,3}\.)+$", text):
            text = text[:-1]
        return (text or None), span

    @staticmethod
    def _country(name: str, abroad: bool) -> tuple[str, str | None]:
        """(name, country): a country the page states after the name ("Mesto Púchov (Slovensko)",
        "Gmina Cieszyn (PL)") is taken out of it; else, in a list of foreign partners, the
        reference data or the language of the name decides; else the partner is Czech."""
        ref = _reference()
        stated = re.fullmatch(r"(.+?)\s*[(,]\s*([^(),]+?)\s*\)?", name)
        if stated and (code := ref.countries.get(fold(stated[2]))):
            return stated[1], code
        if not abroad:
            return name, "CZ"
        cue = next((code for pattern, code in _FOREIGN_CUES if pattern.search(name)), None)
        return name, ref.homes.get(name_key(name)) or ref.homes.get(fold(name)) or cue

    # --- money -----------------------------------------------------------------------------

    def _money(self) -> tuple[list[r.Funding], Decimal | None, list[r.Participant]]:
        """Every marked amount, named by the words before it on its line: the total cost and the
        funding shares, each with the percentage that follows it."""
        funding: list[r.Funding] = []
        co_funders: list[r.Participant] = []
        total: Decimal | None = None
        grant: tuple[Decimal, Span] | None = None
        for line in self.lines:
            # "Celkové náklady: 3 500 000" — a money label marks the bare number after it.
            # Only a label that is all about money: "Město Lhota, Lhota 12, IČO: 00283924" is an address.
            label, colon, _ = line.text.partition(":")
            bare_ok = bool(colon) and not re.search(r"\d|\bIČ", label) and _money_kind(label.split(",")[-1]) is not None
            found = czech.find_money(line.text, require_marker=not bare_ok)
            funding += self._percent_shares(line)
            prev = 0
            for k, money in enumerate(found):
                a, b = money.span
                label = _money_label(line.text[prev:a])
                nxt = found[k + 1].span[0] if k + 1 < len(found) else len(line.text)
                prev_end, prev = prev, b
                span = (line.start + a, line.start + b)
                kind = _money_kind(label)
                if kind == "grant":
                    grant = grant or (money.value, span)
                    continue
                if kind == "total":
                    if total is None:
                        total = money.value
                        self._note("total_cost_czk", span)
                    continue
                if kind is None:
                    continue
                source, provider = kind
                percent = next(iter(czech.find_percent(line.text[b:nxt])), None) or next(
                    iter(czech.find_percent(line.text[prev_end:a])), None)  # "ESF: 85 % … 4 090 497,93 Kč"
                funding.append(r.Funding(source=source, stated_as=label, amount_czk=money.value, provider=provider,
                                         percent=percent.value if percent else None, span=span))
                if provider:
                    co_funders.append(r.Participant(name=provider, role=Role.CO_FUNDER, role_stated=label,
                                                    amount_czk=money.value, span=span))
        if total is None and grant:  # "Celková výše podpory: 1 677 718,10 Kč" and no total cost
            total = grant[0]
            self._note("total_cost_czk", grant[1])
        return funding, total, co_funders

    def _percent_shares(self, line: Line) -> list[r.Funding]:
        """Shares stated only as a percentage: "Příspěvek ESF: 85,00 %", "ESF 85 %, SR 15 %",
        "z toho ESF 75 % a státní rozpočet 25 %"."""
        shares = []
        for seg in re.finditer(r"(?:[^,;]|,(?=\S))+", line.text):  # a list comma, not a decimal one
            for part in re.finditer(r"(?:(?!\sa\s|\bz toho\b).)+", seg[0]):
                percent = next(iter(czech.find_percent(part[0])), None)
                if percent is None or czech.find_money(part[0]):
                    continue  # no percentage, or one that goes with an amount
                at = seg.start() + part.start()
                label = _money_label(part[0][: percent.span[0]])
                kind = _money_kind(label)
                if kind is None:  # the source after its share: "85 % pokryl Evropský sociální fond"
                    label = " ".join(part[0][percent.span[1]:].split()).strip(" .")
                    kind = _money_kind(label)
                if isinstance(kind, tuple):
                    shares.append(r.Funding(source=kind[0], stated_as=label, percent=percent.value, provider=kind[1],
                                            span=(line.start + at + percent.span[0], line.start + at + percent.span[1])))
        return shares

    # --- lists and places ---------------------------------------------------------------------

    def _target_groups(self) -> list[str]:
        if fact := self._first("target_groups"):
            return self._listed("target_groups", self._pieces(fact))
        # "… pro další cílové skupiny – rodiny s dětmi, …", "Cílovými skupinami byli senioři, … a rodiny s dětmi."
        if m := re.search(r"cilov\w* skupin\w*\s*(?:projektu\s+)?(?:[-–:]|byl[aiy]?|jsou|je)\s*([^.]+)\.", self.folded):
            return self._listed("target_groups", self._split_list(m.start(1), m.end(1)))
        return []

    def _working_groups(self) -> list[str]:
        if fact := self._first("working_groups"):  # "Pracovní skupiny: Senioři; Zdravotně postižení"
            return self._listed("working_groups", [(at, re.sub(r"^PS\s+", "", text)) for at, text in self._pieces(fact)])
        if m := re.search(r"pracovni skupin\w*[ \t]*:[ \t]*([^\n]*[^\s:][^\n]*)", self.folded):  # "… tyto pracovní skupiny: A, B a C."
            return self._listed("working_groups", self._split_list(m.start(1), m.end(1) - (self.text[m.end(1) - 1] == ".")))
        for i, line in enumerate(self.lines):  # "Vzniknou tyto pracovní skupiny:" over a list
            if "pracovni skupin" in fold(line.text) and line.text.rstrip().endswith(":"):
                j = self._skip_blank(i + 1)
                k = j
                while k < len(self.lines) and not self.lines[k].blank:
                    k += 1
                if j < len(self.lines):
                    items = self._items(self.lines[j].start, self.lines[k - 1].end)
                    return self._listed("working_groups", [(a, re.sub(r"^PS\s+", "", item)) for item, (a, _) in items])
        return []

    def _pieces(self, fact: Fact) -> list[tuple[int, str]]:
        """A listed value's items with their offsets: list items, else parts between semicolons,
        else between commas; parenthesised remarks left out."""
        separators = r"[^;]+" if ";" in fact.value else r"[^,;]+"  # semicolons part items that hold commas
        pieces = []
        for item, (a, _) in self._items(*fact.span):
            pieces += [(a + m.start(), m[0]) for m in re.finditer(separators, item)]
        return [(at, re.sub(r"\([^)]*\)?", "", text)) for at, text in pieces]

    def _split_list(self, start: int, end: int) -> list[tuple[int, str]]:
        """A list in a sentence: parts between commas, the last two parted by "a"."""
        pieces = [(start + p.start(), p[0]) for p in re.finditer(r"[^,;]+", self.text[start:end])]
        if pieces:
            at, last = pieces[-1]
            joins = list(re.finditer(r"\s+a\s+", last))  # the last "a" joins the last two items
            if joins and len(pieces) > 1:
                m = joins[-1]
                pieces[-1:] = [(at, last[:m.start()]), (at + m.end(), last[m.end():])]
        return pieces

    def _listed(self, key: str, pieces: list[tuple[int, str]]) -> list[str]:
        """Cleaned list items, each span noted as ``key[i]``."""
        out = []
        for at, text in pieces:
            clean = " ".join(text.split()).strip(" -–•.,")
            if clean:
                self._note(f"{key}[{len(out)}]", (at, at + len(text)))
                out.append(clean)
        return out

    def _places(self, name: str) -> list[r.Place]:
        """The area a project covers, from its name, else from its description: a region
        ("ve Zlínském kraji"), an area named after its town ("na Otrokovicku"), or a
        microregion ("v regionu Valašskomeziříčsko a Kelečsko")."""
        ref = _reference()
        regions, microregions = ref.regions, ref.microregions
        if listed := self._first("places"):  # "Místo realizace: Uherské Hradiště, Staré Město, Kunovice"
            return [self._place(text, (listed.span[0] + m.start(), listed.span[0] + m.end()))
                    for m in re.finditer(r"[^,;\n]+", listed.value) if (text := " ".join(m[0].split()).strip(" .•-"))]
        name_span = self.spans.get("name")
        desc_span = self.spans.get("description")
        for span in (name_span, desc_span):
            if not span:
                continue
            folded = self.folded[span[0]:span[1]]
            places: list[r.Place] = []
            for form, region in regions.items():
                for m in re.finditer(rf"\b{re.escape(form)}\b", folded):
                    places.append(r.Place(name=region, kind="region", span=(span[0] + m.start(), span[0] + m.end())))
            for m in re.finditer(r"\b(?:v (?:mikro)?regionu|mikroregionu?|na uzemi)\s+(.+?)(?=[,.;:()]|$| pro | v | ve )",
                                 folded):
                text = self.text[span[0] + m.start(1):span[0] + m.end(1)]
                entry = microregions.get(fold(text))
                places.append(r.Place(name=entry[0] if entry else " ".join(text.split()), kind=entry[1] if entry else "microregion",
                                      span=(span[0] + m.start(1), span[0] + m.end(1))))
            for m in re.finditer(r"\bna (\w+(?:sk|ck)u)\b", folded):
                word = self.text[span[0] + m.start(1):span[0] + m.end(1)][:-1] + "o"
                entry = microregions.get(fold(word))
                places.append(r.Place(name=entry[0] if entry else word, kind=entry[1] if entry else "microregion",
                                      span=(span[0] + m.start(1), span[0] + m.end(1))))
            unique = {(p.name, p.kind): p for p in sorted(places, key=lambda p: p.span or (0, 0), reverse=True)}
            if unique:
                return sorted(unique.values(), key=lambda p: p.span or (0, 0))
        return []

    def _sentences(self) -> list[Span]:
        """Sentences: a paragraph break, or a full stop before a capital that does not close an
        abbreviation ("reg. č. CZ…", "Sv. Anežky") or a number."""
        spans, start = [], 0
        for m in _SENTENCE_END.finditer(self.text):
            word = re.search(r"(\w+)[.!?]$", self.text[start:m.start()])
            if "\n" not in m[0] and word and (len(word[1]) <= 2 or fold(word[1]) in _ABBREVIATIONS):
                continue
            spans.append((start, m.start()))
            start = m.end()
        return spans + [(start, len(self.text))]

    @staticmethod
    def _place(text: str, span: Span) -> r.Place:
        """A named place: a kraj, a known microregion or ORP district, else a municipality."""
        ref = _reference()
        regions, microregions = ref.regions, ref.microregions
        if region := regions.get(fold(text)):
            return r.Place(name=region, kind="region", span=span)
        if entry := microregions.get(fold(text)):
            return r.Place(name=entry[0], kind=entry[1], span=span)
        return r.Place(name=text, kind="municipality", span=span)

    def _links(self) -> tuple[list[str], list[str]]:
        """Projects this one continues ("navazuje na … projekt X") and those that continue it
        ("… tímto projektem, představuje projekt X"), by registration number or name."""
        follows, followed_by = [], []
        for a, b in self._sentences():
            sentence, folded = self.text[a:b], self.folded[a:b]
            if "timto projektem" in folded or re.search(r"\bna (?:tento |nas )?projekt\w* navaz", folded):
                followed_by += _projects_named(sentence)
            elif verb := re.search(r"\bnavazuje\b|\bnavazal[aoi]?\b|\bpokracovani\b|\bnavazuj\w*\b", folded):
                follows += _projects_named(sentence[verb.end():])
        return list(dict.fromkeys(follows)), list(dict.fromkeys(followed_by))


def _projects_named(text: str) -> list[str]:
    """Registration numbers in a text, else the names after "projekt" ("projekt „X“", "projektu X")."""
    numbers = czech.REGISTRATION_NUMBER.findall(text)
    if numbers:
        return numbers
    names = re.findall(r"\bprojekt(?:u|em)?\s+[„\"“]?([A-ZÁČĎÉĚÍŇÓŘŠŤÚŮÝŽ][^,.(“”\"]*)", text)
    return [" ".join(n.split()) for n in names if not re.fullmatch(r"[A-Z]{2,6}", n.strip())]


def _label(label: str) -> str:
    return " ".join(label.split()).rstrip(":")


def _money_label(text: str) -> str:
    """The words that name an amount: the last non-empty part before it, without numbering."""
    text = czech.FOREIGN_AMOUNT.sub(" ", text)  # "Celkové výdaje: 28 500 EUR / 712 500,- Kč"
    text = re.sub(r"\d+(?:[,.]\d+)?\s*%|…|\.{2,}", " ", text)  # "příspěvek Unie (ESF): 85 % ... 4 090 497,93 Kč"
    parts = [p for p in re.split(r":", text) if p.strip(" \t•*-–/")]
    label = parts[-1] if parts else ""
    label = re.split(r"(?<=[^\W\d]{2})\.\s+(?=[A-ZÁČĎÉĚÍŇÓŘŠŤÚŮÝŽ])", label)[-1]  # the sentence the amount is in
    label = re.sub(r"^[\s•*·-]*(?:\d{1,2}[.)]\s*)?", "", label)
    label = re.sub(r"\b(?:Kč|CZK|v Kč)\s*$", "", label.strip())
    return " ".join(label.split()).strip(" ,–-")


_TOTAL = re.compile(r"celkov\w* (naklad|rozpoc|zpusobil|vydaj)|schvalen\w* podpor|rozpocet projektu|naklady projektu"
                    r"|^rozpocet$|zpusobil\w* vydaj|^celkem$")
# The support granted, named without its source: the total when a page states no total cost.
_GRANT = re.compile(r"vyse (?:\w+ )?(podpory|dotace)|\bdotace celkem|poskytnut\w* dotace")
_SOURCES: list[tuple[re.Pattern[str], FundingSource]] = [
    (re.compile(r"socialni\w* fond|\besf\b"), FundingSource.ESF),
    (re.compile(r"strukturalni\w* fond|\beu\b|evropsk|\berdf\b|\befrr\b"), FundingSource.EU),
    (re.compile(r"statni\w* rozpo|\bsr\b"), FundingSource.STATE_BUDGET),
    (re.compile(r"narodni\w* verejn"), FundingSource.NATIONAL_PUBLIC),
    (re.compile(r"vlastni\w* (zdroj|podil)|spoluucast"), FundingSource.OWN),
    (re.compile(r"\bkraj[eie]?\b"), FundingSource.REGION),
    (re.compile(r"^(mesto|obec|mestys|statutarni mesto|mesta|obce)\b|\b(mesta|obce) [A-Za-z]"), FundingSource.MUNICIPALITY),
]


def _money_kind(label: str) -> str | tuple[FundingSource, str | None] | None:
    folded = fold(label)
    if _TOTAL.search(folded):
        return "total"
    # The source named nearest before the amount: "… z ESF …. Kraj Vysočina se podílí částkou".
    hits = [(m.end(), source) for pattern, source in _SOURCES for m in pattern.finditer(folded)]
    if not hits:
        return "grant" if _GRANT.search(folded) else None
    _, source = max(hits, key=lambda hit: hit[0])
    return source, _provider(label, source)


def _provider(label: str, source: FundingSource) -> str | None:
    """The organisation a regional or municipal share names, in the nominative."""
    if source == FundingSource.REGION:  # "Podíl Olomouckého kraje", "Kraj Vysočina"
        folded = fold(label)
        return next((name for form, name in _reference().regions.items() if re.search(rf"\b{re.escape(form)}\b", folded)), None)
    if source == FundingSource.MUNICIPALITY:
        m = re.search(r"\b(Město|Obec|Městys|města|obce)\s+(.+)$", label)
        if m:
            word = {"města": "Město", "obce": "Obec"}.get(m[1], m[1])
            return f"{word} {m[2]}"
    return None


def _region_code(name: str | None) -> str | None:
    if not name:
        return None
    for doc in reference_documents():
        for reg in doc.dataset.regions:
            if reg.name == name:
                return reg.code
    return None


def extraction_json(ex: Extraction) -> dict:
    """What ``kpss extract`` prints for one page: amounts as decimal strings, dates as precise as
    the source, unknown values null, every fact with its character span."""
    p = ex.project
    doc: dict = {"source": ex.source, "problems": [str(problem) for problem in ex.problems], "warnings": ex.warnings}
    if p is None:
        return doc | {"project": None, "participants": [], "funding": [], "target_groups": [], "working_groups": [],
                      "places": [], "place_details": [], "follows": [], "followed_by": [], "organisations": []}
    dump = p.model_dump(mode="json")
    unnamed = any(problem.field == "name" for problem in ex.problems)
    doc["project"] = {
        "registration_number": p.registration_number, "name": None if unnamed else p.name, "description": p.description,
        "start": p.start, "end": p.end, "total_cost_czk": dump["total_cost_czk"],
        "programme": {"code": p.programme, "name": p.programme_stated or _reference().programme_names.get(p.programme)},
        "priority_axis": p.priority_axis, "priority_axis_name": p.priority_axis_name,
        "area_of_support": p.area_of_support, "call": p.call, "call_name": p.call_name,
        "spans": dump["spans"],
    }
    doc["participants"] = dump["participants"]
    doc["funding"] = dump["funding"]
    doc["target_groups"] = p.target_groups
    doc["working_groups"] = p.working_groups
    doc["places"] = [place.name for place in p.places]
    doc["place_details"] = dump["places"]
    doc["follows"], doc["followed_by"] = p.follows, p.followed_by
    doc["organisations"] = [o.model_dump(mode="json", exclude_defaults=True) for o in ex.organisations]
    return doc

"""Czech formats: money, percentages, dates and periods, registration numbers.

Plain rules over the forms Czech project pages use (see docs/data-format.md): "Kč 5 617 650,-",
"8.004.420,-", "1 677 718,10 Kč", "2,5 mil. Kč", "85,00 %"; "červen 2009 – červenec 2011",
"Od října roku 2005 do července roku 2007", "1. 7. 2010 - 30. 6. 2012", "07/2010".
Every parser returns what it found with the character span it found it at.
"""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Generic, TypeVar

from graph import values
from graph.text import fold, fold_aligned
from graph.values import real_date as valid_date  # the one rule of a real date

# --- money -------------------------------------------------------------------------------------

_GROUPED = r"\d{1,3}(?:(?:[ \u00a0\u202f]+|\.)\d{3})+"  # 5 617 650 | 8.004.420
_NUMBER = rf"(?:{_GROUPED}|\d+)"
_FRACTION = r"(?:,(?:\d{1,2}|-{1,2}|–))"  # ,50 | ,- | ,--
_SCALE = r"(?:\s*(?P<scale>mil(?:\.|iony|ionů|ion)?|tis(?:\.|íc)?|mld(?:\.|y)?))"
_CURRENCY = r"(?:Kč|CZK|korun(?:y)?(?: českých)?)"
MONEY = re.compile(
    rf"(?:(?P<pre>{_CURRENCY})\s*)?(?P<int>{_NUMBER})(?P<frac>{_FRACTION})?(?!\d|[.,]\d|\s*%)"
    rf"{_SCALE}?(?:\s*(?P<post>{_CURRENCY}\b))?",
)
FOREIGN_AMOUNT = re.compile(rf"{_NUMBER}{_FRACTION}?\s*(?:EUR|€|USD|\$|PLN|zł)(?!\w)")
_SCALES = {"mil": Decimal(10) ** 6, "tis": Decimal(10) ** 3, "mld": Decimal(10) ** 9}


T = TypeVar("T")


@dataclass(frozen=True)
class Found(Generic[T]):
    value: T
    span: tuple[int, int]


def parse_money(text: str) -> Decimal | None:
    """A Czech amount on its own: "Kč 5 617 650,-" -> 5617650; None when it is not one."""
    m = MONEY.fullmatch(text.strip())
    return _money_value(m) if m else None


def find_money(text: str, *, require_marker: bool = True) -> list[Found[Decimal]]:
    """Amounts in a text. With ``require_marker`` only those a currency, ",-" or a decimal comma
    marks as money, so that years and counts are not taken for amounts."""
    out = []
    text = FOREIGN_AMOUNT.sub(lambda m: " " * len(m[0]), text)  # "28 500 EUR / 712 500,- Kč": not crowns
    for m in MONEY.finditer(text):
        marked = m["pre"] or m["post"] or m["frac"]
        if require_marker and not marked:
            continue
        if m.start() > 0 and (text[m.start() - 1].isalnum() or text[m.start() - 1] in "/.,"):
            continue  # part of a registration number, a date, a decimal or a word
        value = _money_value(m)
        if value is not None:
            out.append(Found(value, (m.start(), m.end())))
    return out


def _money_value(m: re.Match[str]) -> Decimal | None:
    digits = re.sub(r"[ \u00a0\u202f.]", "", m["int"])
    frac = m["frac"] or ""
    cents = frac[1:] if frac[1:].isdigit() else ""
    try:
        value = Decimal(f"{digits}.{cents}" if cents else digits)
    except InvalidOperation:
        return None
    if m["scale"]:
        value *= _SCALES[fold(m["scale"])[:3]]
    return value.quantize(Decimal("0.01")) if cents or m["scale"] else value


PERCENT = re.compile(r"(?<![\d,])(\d{1,3}(?:[,.]\d+)?)\s*%")


def find_percent(text: str) -> list[Found[Decimal]]:
    return [Found(Decimal(m[1].replace(",", ".")), m.span()) for m in PERCENT.finditer(text)]


# --- dates -------------------------------------------------------------------------------------

# Month stems in folded form; each covers the nominative, genitive and locative ("červen",
# "června", "v červnu"). "červenec" is matched before "červen".
_MONTHS = [
    ("cervenec", 7, r"cervenec|cervence|cervenci"),
    ("cerven", 6, r"cerven|cervna|cervnu"),
    ("leden", 1, r"leden|ledna|lednu"),
    ("unor", 2, r"unor|unora|unoru"),
    ("brezen", 3, r"brezen|brezna|breznu"),
    ("duben", 4, r"duben|dubna|dubnu"),
    ("kveten", 5, r"kveten|kvetna|kvetnu"),
    ("srpen", 8, r"srpen|srpna|srpnu"),
    ("zari", 9, r"zari"),
    ("rijen", 10, r"rijen|rijna|rijnu"),
    ("listopad", 11, r"listopad|listopadu"),
    ("prosinec", 12, r"prosinec|prosince|prosinci"),
]
_MONTH_WORD = "|".join(forms for _, _, forms in _MONTHS)
_MONTH_OF = {form: n for _, n, forms in _MONTHS for form in forms.split("|")}
_YEAR = r"(?:19|20)\d{2}"
# Matched on folded text (same length as the original, so spans carry over).
DATE = re.compile(
    rf"(?P<day_date>(?P<d>[0-3]?\d)\.\s*(?P<mo>[01]?\d)\.\s*(?P<y1>{_YEAR}))"
    rf"|(?P<day_named>\b(?P<dn>[0-3]?\d)\.\s*(?P<mw>{_MONTH_WORD})\s+(?:roku\s+)?(?P<y5>{_YEAR}))"
    rf"|(?P<iso>(?P<iy>{_YEAR})-(?P<im>[01]\d)(?:-(?P<id>[0-3]\d))?)"
    rf"|(?P<month_num>(?P<mn>[01]?\d)\s*/\s*(?P<y2>{_YEAR}))"
    rf"|(?P<month_name>\b(?P<mword>{_MONTH_WORD})\b(?:\s+(?:roku|r\.))?(?:\s+(?P<y3>{_YEAR}))?)"
    rf"|(?P<year>\b(?:roku\s+|r\.\s*)?(?P<y4>{_YEAR})\b)",
)
_RANGE_SEP = re.compile(r"^\s*(?:[-–—]|az|do)\s*$")  # on folded text: "až" is "az"


@dataclass(frozen=True)
class PartialDate:
    """A date as precise as its source: year, month or day."""

    year: int
    month: int | None = None
    day: int | None = None

    def iso(self) -> str:
        if self.month is None:
            return f"{self.year:04d}"
        return f"{self.year:04d}-{self.month:02d}" + (f"-{self.day:02d}" if self.day else "")

    def last_of(self, months: int) -> PartialDate | None:
        """The end of a run of ``months`` that starts on this date, as precise as it: from
        2018-02-01 for 24 months to 2020-01-31, from 2020-06 to 2022-05; None from a year alone."""
        if self.month is None:
            return None
        index = self.year * 12 + self.month - 1 + months - (self.day is None or self.day == 1)
        year, month = divmod(index, 12)
        if self.day is None:
            return PartialDate(year, month + 1)
        if self.day == 1:
            return PartialDate(year, month + 1, calendar.monthrange(year, month + 1)[1])
        return PartialDate(year, month + 1, min(self.day - 1, calendar.monthrange(year, month + 1)[1]))


def _date_of(m: re.Match[str]) -> tuple[int | None, int | None, int | None]:
    """(year, month, day) of a DATE match; year None when the text names only a month."""
    if m["day_date"]:
        return int(m["y1"]), int(m["mo"]), int(m["d"])
    if m["day_named"]:
        return int(m["y5"]), _MONTH_OF[m["mw"]], int(m["dn"])
    if m["iso"]:
        return int(m["iy"]), int(m["im"]), int(m["id"]) if m["id"] else None
    if m["month_num"]:
        return int(m["y2"]), int(m["mn"]), None
    if m["month_name"]:
        return (int(m["y3"]) if m["y3"] else None), _MONTH_OF[m["mword"]], None
    return int(m["y4"]), None, None


def find_dates(text: str) -> list[tuple[tuple[int | None, int | None, int | None], tuple[int, int]]]:
    return [(_date_of(m), m.span()) for m in DATE.finditer(fold_aligned(text))]


def parse_period(text: str) -> tuple[Found[PartialDate] | None, Found[PartialDate] | None]:
    """The first period in a text: (start, end), each a PartialDate with its span.

    "duben – červenec 2011" takes the year of the end for the start; a single date is the start.
    """
    dates = find_dates(text)
    for i, ((y, mo, d), span) in enumerate(dates):
        if i + 1 < len(dates) and _RANGE_SEP.match(fold(text[span[1]:dates[i + 1][1][0]]).replace("od ", "")):
            (y2, mo2, d2), span2 = dates[i + 1]
            y = y if y is not None else y2
            if y is None or y2 is None or not (valid_date(y, mo, d) and valid_date(y2, mo2, d2)):
                continue
            return Found(PartialDate(y, mo, d), span), Found(PartialDate(y2, mo2, d2), span2)
    first = next((((y, mo, d), s) for (y, mo, d), s in dates if y is not None and valid_date(y, mo, d)), None)
    return (Found(PartialDate(*first[0]), first[1]), None) if first else (None, None)


# How long a project runs, in months: "dvouletý projekt", "bude trvat 24 měsíců", "po dobu dvou let",
# "Doba trvání (v měsících): 36". On folded text.
_COUNT_WORDS = {"jedno": 1, "dvou": 2, "tri": 3, "ctyr": 4, "pet": 5, "peti": 5}
DURATION = re.compile(r"\b(?P<n>jedno|dvou|tri|ctyr|peti)let\w*\b"
                      r"|\b(?:trva\w*|trvani|po dobu)\b[^.\d]{0,25}?(?P<months>\d{1,3})(?:\s*(?:mesic\w*)|[ \t]*$)"
                      r"|\bpo dobu (?P<years>\w+) (?:let|roku)\b", re.M)


def find_duration(text: str) -> Found[int] | None:
    """The months a project runs, as a text states them (on any case of the text)."""
    m = DURATION.search(fold_aligned(text))
    if not m:
        return None
    if m["months"]:
        return Found(int(m["months"]), m.span())
    word = m["n"] or m["years"]
    return Found(12 * _COUNT_WORDS[word], m.span()) if word in _COUNT_WORDS else None


def parse_date(text: str) -> Found[PartialDate] | None:
    start, _ = parse_period(text)
    return start


# --- registration numbers ----------------------------------------------------------------------

# 2004–06: CZ.04.1.05/3.2.55.1/1823; 2007–13: CZ.1.04/3.1.03/65.00042;
# 2014–20: CZ.03.2.63/0.0/0.0/16_063/0006530; 2021–27: CZ.03.02.01/00/22_003/0001885.
REGISTRATION_NUMBER = values.RegistrationNumber.PATTERN


@dataclass(frozen=True)
class RegistrationNumber:
    text: str
    programme: str
    priority_axis: str | None
    area_of_support: str | None
    call: str | None

    @classmethod
    def parse(cls, text: str) -> RegistrationNumber | None:
        """CZ.1.04/3.1.03/65.00042 -> programme CZ.1.04, axis 3, area of support 3.1, call 65."""
        if not REGISTRATION_NUMBER.fullmatch(text):
            return None
        head, *parts = text.split("/")
        codes = head.split(".")
        if len(codes) == 4 and len(parts) == 2:  # 2004–06: measure.call/project under CZ.04.x.yy
            measure = parts[0].split(".")
            return cls(text, head, measure[0], ".".join(measure[:2]), ".".join(measure[2:]) or None)
        if len(codes) == 3 and len(parts) == 2:  # 2007–13: axis.area.sub/call.project
            area = parts[0].split(".")
            call = parts[1].split(".")[0] if "." in parts[1] else None
            return cls(text, head, area[0], ".".join(area[:2]), call)
        if len(codes) == 4 and len(parts) == 4:  # 2014–20: CZ.03.axis.objective/0.0/0.0/yy_call/project
            call = parts[2].split("_")[-1] if "_" in parts[2] else None
            return cls(text, ".".join(codes[:2]), codes[2], f"{codes[2]}.{codes[3]}", call)
        if _LATER_FORM.fullmatch(text):  # 2021–27: CZ.03.priority.objective/00/yy_call/project
            priority = codes[2].lstrip("0")
            return cls(text, f"{head[:5]}+", priority, f"{priority}.{codes[3].lstrip('0')}", parts[1].split("_")[-1])
        return cls(text, head, None, None, None)


# OP Z+ 2021–27: its numbers begin "CZ.03" as OP Z's did (programme 03 of each period's monitoring
# system), told apart by their form; its code is "CZ.03+" (data/reference/programmes.yaml).
_LATER_FORM = re.compile(r"CZ\.03\.\d{2}\.\d{2}/\d{2}/\d{2}_\d{3}/\d{7}")
# The complete forms of the programmes whose numbers are known; any other number that reads as
# one (REGISTRATION_NUMBER) is accepted as stated, but only these are repaired.
_COMPLETE_FORMS = (
    re.compile(r"CZ\.04\.\d\.\d{2}/\d\.\d\.\d{1,3}(?:\.\d{1,2})?/\d{1,5}"),  # SROP, OP RLZ 2004–06
    re.compile(r"CZ\.1\.\d{2}/\d\.\d\.\d{2}/\d{2}\.\d{5}"),  # 2007–13
    re.compile(r"CZ\.03\.\d\.\d{2}/\d\.\d/\d\.\d/\d{2}_\d{3}/\d{7}"),  # OP Z 2014–20
    _LATER_FORM,
)
_KNOWN_HEADS = ("CZ.04.", "CZ.1.", "CZ.03.")  # programmes whose numbers have a complete form above
# A number as pages slip it: a space for the first dot ("CZ 03.2.63/…"), dots before slashes
# ("CZ.03.2.63./0.0./…"), spaces around slashes, or cut short ("CZ.1.04/3.1.03/ ,").
_STATED_NUMBER = re.compile(r"\bCZ[ .]\d{1,2}(?:\.\d{1,2}){1,3}\.?(?:[ ]?/[ ]?[0-9A-Z]+(?:[._][0-9A-Z]+)*\.?)*(?:[ ]?/)?")


@dataclass(frozen=True)
class StatedNumber:
    """A registration number as a page states it, and the number it is when that is certain."""

    stated: str
    number: str | None  # None: malformed in a way no rule repairs (cut short, unknown form)
    span: tuple[int, int]

    @property
    def repaired(self) -> bool:
        return self.number is not None and self.number != self.stated


def _complete(text: str) -> bool:
    return any(form.fullmatch(text) for form in _COMPLETE_FORMS)


def find_registration_numbers(text: str, start: int = 0, end: int | None = None) -> list[StatedNumber]:
    """Registration numbers in ``text[start:end]``: well formed ones as stated; slipped ones
    repaired when the repair gives a complete number of a known form, else without a number."""
    out = []
    for m in _STATED_NUMBER.finditer(text, start, len(text) if end is None else end):
        stated = m[0].rstrip(". ")
        if stated.count("/") == 0:
            continue  # "CZ.03" alone names a programme, not a project
        if REGISTRATION_NUMBER.fullmatch(stated) and (_complete(stated) or not stated.startswith(_KNOWN_HEADS)):
            out.append(StatedNumber(stated, stated, (m.start(), m.start() + len(stated))))
            continue
        repaired = re.sub(r"\s*/\s*", "/", re.sub(r"\.(?=\s*/)", "", stated))
        repaired = re.sub(r"^CZ ", "CZ.", repaired)
        number = repaired if _complete(repaired) else None
        out.append(StatedNumber(stated, number, (m.start(), m.start() + len(stated))))
    return out



# --- places in the locative ----------------------------------------------------------------------

_TAIL = {"nad", "pod", "u", "na", "v", "ve"}  # "Nové Město na Moravě": the words from here on do not change


def _locative_words(word: str) -> set[str]:
    """Folded locative forms of one folded word of a place name (after "v", "ve"): Zlín -> Zlíně,
    Písek -> Písku, Hradec -> Hradci, Ostrava -> Ostravě, Praha -> Praze, Brno -> Brně, Klatovy ->
    Klatovech, Pardubice -> Pardubicích; adjectives: Uherské -> Uherském, Nový -> Novém, Nová -> Nové."""
    soft = {"h": "z", "g": "z", "k": "c", "ch": "s"}
    forms = {word + "m"} if word.endswith("e") else set()  # adjectives: Uherské -> Uherském
    if word.endswith("y") or word.endswith("a") and len(word) > 4 and word[-2] in "ksn":  # Nový, Klatovy, Nová
        forms |= {word[:-1] + "em", word[:-1] + "ech", word[:-1] + "e"}
    if word.endswith("ek"):
        forms.add(word[:-2] + "ku")
    if word.endswith("ec"):
        forms.add(word[:-2] + "ci")
    if word.endswith(("a", "o")):
        stem = word[:-1]
        tail = next((k for k in ("ch", "h", "g", "k") if stem.endswith(k)), None)
        forms |= {stem + "e", stem + "u"} | ({stem[:-len(tail)] + soft[tail] + "e"} if tail else set())
    elif word.endswith(("e", "i")):
        forms |= {word, word[:-1] + "ich", word[:-1] + "i"}
    elif word[-1:].isalpha():
        forms |= {word + "e", word + "i", word + "u"}
    return forms


def locative_forms(name: str) -> set[str]:
    """Folded forms a place name takes after "v" / "ve" ("Úřad práce ve Zlíně", "se sídlem v Uherském
    Hradišti"): each word before a "nad / pod / u / na" tail declined, the tail as it is."""
    words = fold(name).split()
    cut = next((i for i, w in enumerate(words) if i and w in _TAIL), len(words))
    head, tail = words[:cut], words[cut:]
    combos = [""]
    for word in head:
        combos = [f"{c} {form}".strip() for c in combos for form in _locative_words(word) | {word}]
    return {" ".join([c, *tail]) for c in combos} - {fold(name)}

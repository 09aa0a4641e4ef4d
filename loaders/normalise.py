"""Organisation names: legal-form words, the kind they mark, and the key-normalised name."""

from __future__ import annotations

import re
from functools import lru_cache

from graph.model import OrganisationKind as Kind
from graph.text import fold

# Legal-form words and abbreviations, as folded text, with the kind they mark. Longest first, so
# "dobrovolny svazek obci" wins over "svazek obci".
_LEGAL_FORMS: list[tuple[str, Kind]] = sorted(
    [
        ("prispevkova organizace", Kind.CONTRIBUTORY_ORGANISATION),
        ("p.o.", Kind.CONTRIBUTORY_ORGANISATION),
        ("p. o.", Kind.CONTRIBUTORY_ORGANISATION),
        ("obcanske sdruzeni", Kind.ASSOCIATION),
        ("o.s.", Kind.ASSOCIATION),
        ("o. s.", Kind.ASSOCIATION),
        ("zapsany spolek", Kind.ASSOCIATION),
        ("z.s.", Kind.ASSOCIATION),
        ("z. s.", Kind.ASSOCIATION),
        ("obecne prospesna spolecnost", Kind.PUBLIC_BENEFIT_COMPANY),
        ("o.p.s.", Kind.PUBLIC_BENEFIT_COMPANY),
        ("o. p. s.", Kind.PUBLIC_BENEFIT_COMPANY),
        ("zapsany ustav", Kind.INSTITUTE),
        ("z.u.", Kind.INSTITUTE),
        ("z. u.", Kind.INSTITUTE),
        ("s.r.o.", Kind.COMPANY),
        ("s. r. o.", Kind.COMPANY),
        ("a.s.", Kind.COMPANY),
        ("a. s.", Kind.COMPANY),
    ],
    key=lambda item: -len(item[0]),
)

# Words at the start of a name that make it a municipality or a union of municipalities.
MUNICIPALITY_PREFIXES = ("statutarni mesto ", "mestys ", "mesto ", "obec ")
UNION_PREFIXES = ("dobrovolny svazek obci ", "svazek obci ", "mikroregion ")

# Words anywhere in a name that mark a kind when no legal form does.
_KIND_WORDS: list[tuple[re.Pattern[str], Kind]] = [
    (re.compile(r"\b(charita|diakonie)\b"), Kind.CHURCH_CHARITY),
    (re.compile(r"\b(ministerstvo|urad prace|krajsky urad|urad)\b"), Kind.STATE_BODY),
    (re.compile(r"\b(spolek|svaz|sdruzeni|jednota)\b"), Kind.ASSOCIATION),
    (re.compile(r"\b(council|municipality|gemeinde|stadt)\b"), Kind.FOREIGN_PUBLIC_BODY),
]
_REGION = re.compile(r"^(\w+sky|\w+cky|\w+ky) kraj$|^kraj \w+$|^hlavni mesto praha$")
_PUNCT = re.compile(r"[\"'„“”‚‘’«»()–—]")
# A load asks these of the same names again and again (an organisation in hundreds of
# participations): each is computed once per name.
_per_name = lru_cache(maxsize=1 << 17)


@_per_name
def legal_form(name: str) -> tuple[str | None, Kind | None]:
    """The legal-form phrase at the end of a name and the kind it marks."""
    folded = fold(name).rstrip(" ,")
    for form, kind in _LEGAL_FORMS:
        if folded.endswith(form) and (len(folded) == len(form) or folded[-len(form) - 1] in " ,"):
            return name.rstrip(" ,")[-len(form):], kind
    return None, None


@_per_name
def infer_kind(name: str, country: str = "CZ") -> Kind:
    """The kind of organisation a name marks, by its legal-form and characteristic words."""
    folded = fold(name)
    _, kind = legal_form(name)
    if kind:
        return kind
    if folded.startswith(MUNICIPALITY_PREFIXES):
        return Kind.MUNICIPALITY
    if folded.startswith(UNION_PREFIXES):
        return Kind.UNION_OF_MUNICIPALITIES
    if _REGION.match(folded):
        return Kind.REGION
    for pattern, kind in _KIND_WORDS:
        if pattern.search(folded):
            return kind
    return Kind.OTHER if country == "CZ" else Kind.FOREIGN_PUBLIC_BODY


@_per_name
def strip_municipality_prefix(name: str) -> str | None:
    """ "Obec Nová Dědina" -> "Nová Dědina"; None when the name has no such prefix."""
    folded = fold(name)
    for prefix in MUNICIPALITY_PREFIXES:
        if folded.startswith(prefix):
            return name.strip()[len(prefix):].strip()
    return None


@_per_name
def name_key(name: str) -> str:
    """The folded name without legal-form words, quotes and punctuation: the name part of a key.

    "Naděje o.s." and "Naděje, z.s." give the same key; so do "Obec Bělov", "obec  BĚLOV" and "Bělov".
    """
    rest = name
    while True:
        form, _ = legal_form(rest)
        if not form:
            break
        rest = rest.rstrip(" ,")[: -len(form)]
    folded = fold(_PUNCT.sub(" ", rest)).strip(" ,.-")
    for prefix in ("obcanske sdruzeni ", *MUNICIPALITY_PREFIXES):
        if folded.startswith(prefix):
            folded = folded[len(prefix):]
            break
    folded = f" {' '.join(folded.replace(',', ' ').split())} "
    for long, short in _abbreviations():
        folded = folded.replace(long, short)
    return folded.strip()


@lru_cache(maxsize=1)
def _abbreviations() -> list[tuple[str, str]]:
    """The alias dictionary's abbreviations as folded whole words, longest first: "Diakonie
    Českobratrské církve evangelické" and "Diakonie ČCE" have one key."""
    from loaders.reference import abbreviations  # the reference data reads files, which use this module

    pairs = [(f" {fold(long)} ", f" {fold(short)} ") for long, short in abbreviations().items()]
    return sorted(pairs, key=lambda pair: -len(pair[0]))


def is_valid_ico(ico: str) -> bool:
    """IČO: 8 digits, the last a check digit ((11 - weighted sum mod 11) mod 10, weights 8..2)."""
    if not re.fullmatch(r"\d{8}", ico):
        return False
    remainder = sum(int(d) * w for d, w in zip(ico[:7], range(8, 1, -1))) % 11
    return (11 - remainder) % 10 == int(ico[7])


# Letters PDF transcripts put for Czech ones (a font's cedilla for the caron): "sluţeb" is
# "služeb". One for one, so spans in the repaired text are spans in the original.
_TRANSCRIPT_SLIPS = str.maketrans({"ţ": "ž", "Ţ": "Ž"})


def repair_transcript(text: str) -> str:
    return text.translate(_TRANSCRIPT_SLIPS)

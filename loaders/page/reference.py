"""The reference data as the page rules look names up (programmes, kraje in their Czech forms,
microregions, known organisations' countries), all keyed by folded text."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from graph.text import fold
from loaders.normalise import name_key
from loaders.reference import reference_documents


@dataclass(frozen=True)
class Reference:
    """The reference data as the extractor looks names up, all keyed by folded text."""

    programmes: list[tuple[re.Pattern[str], str]]  # name pattern -> programme name
    regions: dict[str, str]  # a form of a kraj's name ("zlinskem kraji") -> its name
    microregions: dict[str, tuple[str, str]]  # name or alias -> (name, kind)
    homes: dict[str, str]  # known organisation or town -> country code
    countries: dict[str, str]  # country name, alias or code -> country code
    programme_names: dict[str, str]  # programme code -> name
    municipalities: list[str]  # names of the Czech municipalities


@lru_cache(maxsize=1)
def reference() -> Reference:
    programmes: list[tuple[re.Pattern[str], str]] = []
    regions: dict[str, str] = {}
    microregions: dict[str, tuple[str, str]] = {}
    countries: dict[str, str] = {}
    country_names: dict[str, str] = {}
    for doc in reference_documents():
        ds = doc.dataset
        for p in ds.programmes:
            for name in (p.name, *p.aliases):
                programmes.append((inflected(name), p.name))
        for reg in ds.regions:
            if reg.nuts_level == 3:
                for form in region_forms(reg.name):
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
    towns = sorted({m.name for doc in reference_documents() for m in doc.dataset.municipalities if m.country == "CZ"})
    return Reference(programmes, regions, microregions, countries, country_names, names, towns)


def inflected(name: str) -> re.Pattern[str]:
    """A name as a pattern over folded text that lets each longer word take any Czech ending;
    "operační program" may be shortened to "OP"."""
    words = fold(name).split()
    parts = [re.escape(w[: max(4, len(w) - 3)]) + r"\w*" if len(w) > 4 else re.escape(w) for w in words]
    if words[:2] == ["operacni", "program"]:
        parts[:2] = [r"(?:operac\w*\s+program\w*|op)"]
    # "Operační program: Zaměstnanost" too; not "OPZ+", the next period's programme.
    end = r"\b(?!\+)" if words[-1][-1].isalnum() else ""
    return re.compile(r"\b" + r"[\s:]+".join(parts) + end)


def region_forms(name: str) -> list[str]:
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


def region_code(name: str | None) -> str | None:
    if not name:
        return None
    for doc in reference_documents():
        for reg in doc.dataset.regions:
            if reg.name == name:
                return reg.code
    return None

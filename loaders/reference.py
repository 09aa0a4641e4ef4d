"""The reference data in the repository: regions, municipalities, programmes, known organisations
and the alias dictionary. Every load resolves against it; the page extractor reads its names."""

from __future__ import annotations

import csv
import hashlib
from dataclasses import dataclass
from functools import lru_cache
from itertools import accumulate

import yaml

from graph import keys
from graph.text import fold
from loaders import DATA_DIR
from loaders.files import Document, Source, read_structured

REFERENCE_DIR = DATA_DIR / "reference"
_REFERENCE_FILES = ("regions.yaml", "municipalities.yaml", "programmes.yaml", "organisations.yaml")


@lru_cache(maxsize=1)
def reference_documents() -> tuple[Document, ...]:
    return tuple(read_structured(REFERENCE_DIR / name) for name in _REFERENCE_FILES)


@lru_cache(maxsize=1)
def _alias_dictionary() -> dict:
    return yaml.safe_load((REFERENCE_DIR / "aliases.yaml").read_text(encoding="utf-8"))


def aliases() -> dict[str, str]:
    return _alias_dictionary()["organisations"]


def abbreviations() -> dict[str, str]:
    """Long forms of words in organisations' names -> the abbreviation a name key uses for them."""
    return _alias_dictionary()["abbreviations"]


TERRITORY_DIR = REFERENCE_DIR / "territory"


@dataclass(frozen=True)
class Commune:
    """A Czech municipality of the territorial reference data (territory/README.md)."""

    code: str  # RÚIAN code
    name: str
    status: str
    okres: str  # LAU 1
    orp: str  # ČSÚ ORP code
    pou: str  # ČSÚ POU code
    region: str  # NUTS 3 of its kraj
    lat: str
    lon: str
    population: int
    span: str = ""  # its row: characters start-end of the territory's text (Territory.source)


@dataclass(frozen=True)
class Unit:
    """An okres, an ORP district or a POU district."""

    code: str
    ruian_code: str
    name: str
    region: str  # NUTS 3 of its kraj
    seat: str | None = None  # an ORP's or a POU's seat: a municipality code
    orp: str | None = None  # a POU's ORP district
    span: str = ""  # its row: characters start-end of the territory's text (Territory.source)


@dataclass(frozen=True)
class Territory:
    source: Source
    municipalities: tuple[Commune, ...]
    okresy: tuple[Unit, ...]
    orps: tuple[Unit, ...]
    pous: tuple[Unit, ...]


def _rows(name: str, offset: int) -> tuple[bytes, list[dict[str, str]]]:
    """A table's rows, each with its ``span``: the characters of its line in the territory's text,
    which is its three tables one after another (as their digest reads them), ``offset`` where this
    one starts. (Checked reference data: one row a line.)"""
    data = (TERRITORY_DIR / name).read_bytes()
    lines = data.decode("utf-8").splitlines(keepends=True)
    starts = list(accumulate((len(line) for line in lines), initial=offset))
    rows = list(csv.DictReader(lines))
    for row, start, line in zip(rows, starts[1:], lines[1:]):
        row["span"] = f"{start}-{start + len(line.rstrip(chr(13) + chr(10)))}"
    return data, rows


@lru_cache(maxsize=1)
def territory() -> Territory:
    """Every municipality, okres, ORP and POU district of Czechia, read straight from CSV (fast: no
    record validation for 6,258 rows of checked reference data)."""
    digest = hashlib.sha256()
    tables, offset = {}, 0
    for name in ("municipalities.csv", "okresy.csv", "orp.csv", "pou.csv"):
        data, tables[name] = _rows(name, offset)
        digest.update(data)
        offset += len(data.decode("utf-8"))
    source = Source(keys.source_document(digest.hexdigest()), "data/reference/territory", "Územní členění ČR (RÚIAN, ČSÚ)",
                    digest.hexdigest(), "text/csv", str(TERRITORY_DIR))
    municipalities = tuple(
        Commune(r["code"], r["name"], r["status"], r["okres"], r["orp"], r["pou"], r["kraj"], r["lat"], r["lon"],
                int(r["population"]), r["span"])
        for r in tables["municipalities.csv"])
    okresy = tuple(Unit(r["code"], r["ruian_code"], r["name"], r["kraj"], span=r["span"]) for r in tables["okresy.csv"])
    orps = tuple(Unit(r["code"], r["ruian_code"], r["name"], r["kraj"], r["seat"], span=r["span"]) for r in tables["orp.csv"])
    pous = tuple(Unit(r["code"], r["ruian_code"], r["name"], r["kraj"], r["seat"], r["orp"], r["span"])
                 for r in tables["pou.csv"])
    return Territory(source, municipalities, okresy, orps, pous)


@lru_cache(maxsize=1)
def target_groups() -> tuple[tuple[str, tuple[tuple[str, ...], ...]], ...]:
    """The target-group vocabulary: (name, forms), each form the stems its words begin with."""
    return tuple((g["name"], tuple(tuple(form) for form in g["forms"])) for g in _alias_dictionary()["target_groups"])


@lru_cache(maxsize=4096)  # the same few words on thousands of projects
def target_group_name(stated: str) -> str:
    """The vocabulary's name for a target group as a source states it, else the stated words."""
    words = fold(stated).replace(",", " ").split()
    for name, forms in target_groups():
        if any(all(any(w.startswith(stem) for w in words) for stem in form) for form in forms):
            return name
    return stated

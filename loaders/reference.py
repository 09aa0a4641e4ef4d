"""The reference data in the repository: regions, municipalities, programmes, known organisations
and the alias dictionary. Every load resolves against it; the page extractor reads its names."""

from __future__ import annotations

import csv
import hashlib
from dataclasses import dataclass
from functools import lru_cache

import yaml

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
    region: str  # NUTS 3 of its kraj
    lat: str
    lon: str
    population: int


@dataclass(frozen=True)
class Unit:
    """An okres or an ORP district."""

    code: str
    ruian_code: str
    name: str
    region: str  # NUTS 3 of its kraj
    seat: str | None = None  # an ORP's seat: a municipality code


@dataclass(frozen=True)
class Territory:
    source: Source
    municipalities: tuple[Commune, ...]
    okresy: tuple[Unit, ...]
    orps: tuple[Unit, ...]


def _rows(name: str) -> tuple[bytes, list[dict[str, str]]]:
    data = (TERRITORY_DIR / name).read_bytes()
    return data, list(csv.DictReader(data.decode("utf-8").splitlines()))


@lru_cache(maxsize=1)
def territory() -> Territory:
    """Every municipality, okres and ORP district of Czechia, read straight from CSV (fast: no
    record validation for 6,258 rows of checked reference data)."""
    digest = hashlib.sha256()
    tables = {}
    for name in ("municipalities.csv", "okresy.csv", "orp.csv"):
        data, tables[name] = _rows(name)
        digest.update(data)
    source = Source(f"doc:{digest.hexdigest()[:16]}", "data/reference/territory", "Územní členění ČR (RÚIAN, ČSÚ)",
                    digest.hexdigest(), "text/csv", str(TERRITORY_DIR))
    municipalities = tuple(
        Commune(r["code"], r["name"], r["status"], r["okres"], r["orp"], r["kraj"], r["lat"], r["lon"], int(r["population"]))
        for r in tables["municipalities.csv"])
    okresy = tuple(Unit(r["code"], r["ruian_code"], r["name"], r["kraj"]) for r in tables["okresy.csv"])
    orps = tuple(Unit(r["code"], r["ruian_code"], r["name"], r["kraj"], r["seat"]) for r in tables["orp.csv"])
    return Territory(source, municipalities, okresy, orps)


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

"""The reference data in the repository: regions, municipalities, programmes, known organisations
and the alias dictionary. Every load resolves against it; the page extractor reads its names."""

from __future__ import annotations

from functools import lru_cache

import yaml

from graph.text import fold
from loaders import DATA_DIR
from loaders.files import Document, read_structured

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


@lru_cache(maxsize=1)
def target_groups() -> tuple[tuple[str, tuple[tuple[str, ...], ...]], ...]:
    """The target-group vocabulary: (name, forms), each form the stems its words begin with."""
    return tuple((g["name"], tuple(tuple(form) for form in g["forms"])) for g in _alias_dictionary()["target_groups"])


def target_group_name(stated: str) -> str:
    """The vocabulary's name for a target group as a source states it, else the stated words."""
    words = fold(stated).replace(",", " ").split()
    for name, forms in target_groups():
        if any(all(any(w.startswith(stem) for w in words) for stem in form) for form in forms):
            return name
    return stated

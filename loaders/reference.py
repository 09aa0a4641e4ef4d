"""The reference data in the repository: regions, municipalities, programmes, known organisations
and the alias dictionary. Every load resolves against it; the page extractor reads its names."""

from __future__ import annotations

from functools import lru_cache

import yaml

from kpss.settings import DATA_DIR
from loaders.files import Document, read_structured

REFERENCE_DIR = DATA_DIR / "reference"
_REFERENCE_FILES = ("regions.yaml", "municipalities.yaml", "programmes.yaml", "organisations.yaml")


@lru_cache(maxsize=1)
def reference_documents() -> tuple[Document, ...]:
    return tuple(read_structured(REFERENCE_DIR / name) for name in _REFERENCE_FILES)


@lru_cache(maxsize=1)
def aliases() -> dict[str, str]:
    return yaml.safe_load((REFERENCE_DIR / "aliases.yaml").read_text(encoding="utf-8"))["organisations"]

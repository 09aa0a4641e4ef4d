"""Czech-aware text keys: diacritics-insensitive search, Czech collation, slugs."""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

import icu

_NON_ALNUM = re.compile(r"[^0-9a-z]+")


@lru_cache(maxsize=1 << 17)  # names recur across a load's records
def fold(text: str) -> str:
    """Lower-case, strip diacritics and collapse white space: "Bělov" -> "belov"."""
    decomposed = unicodedata.normalize("NFKD", text)
    bare = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return " ".join(bare.casefold().split())


def fold_aligned(text: str) -> str:
    """Like ``fold`` but character for character, white space kept, so that a match in the folded
    text has the same span in the original."""
    return "".join(_fold_char(ch) for ch in text)


@lru_cache(maxsize=4096)
def _fold_char(ch: str) -> str:
    bare = "".join(c for c in unicodedata.normalize("NFKD", ch) if not unicodedata.combining(c)).casefold()
    return bare if len(bare) == 1 else ch


def slug(text: str) -> str:
    """A key-safe form of a name: "Nová Dědina" -> "nova-dedina"."""
    return _NON_ALNUM.sub("-", fold(text)).strip("-")


@lru_cache(maxsize=1)
def _czech_collator() -> icu.Collator:
    return icu.Collator.createInstance(icu.Locale("cs_CZ"))


def sort_key(text: str) -> str:
    """Czech collation key as hex, so that a plain string ORDER BY sorts the Czech way
    ("ch" after "h", "Č" after "C") in any store."""
    return _czech_collator().getSortKey(text).hex()


def shorten(text: str, limit: int = 120) -> str:
    """At most ``limit`` characters of ``text``: error messages quote what they refuse, never all
    of a 100 KB input."""
    return text if len(text) <= limit else f"{text[:limit]}… ({len(text):,} characters)"

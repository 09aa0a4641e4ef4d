"""Czech-aware text keys: diacritics-insensitive search, Czech collation, slugs."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable
from functools import lru_cache

import icu

_NON_ALNUM = re.compile(r"[^0-9a-z]+")


class _CharTable(dict[int, str]):
    """A ``str.translate`` table that works out each character's entry the first time it is met."""

    def __init__(self, entry: Callable[[str], str]) -> None:
        super().__init__()
        self._entry = entry

    def __missing__(self, code: int) -> str:
        self[code] = value = self._entry(chr(code))
        return value


def _bare(text: str) -> str:
    """``text`` decomposed, without its combining marks, case-folded: "Ě" -> "e", "ﬁ" -> "fi"."""
    return "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c)).casefold()


_BARE = _CharTable(_bare)
_ALIGNED = _CharTable(lambda ch: bare if len(bare := _bare(ch)) == 1 else ch)


@lru_cache(maxsize=1 << 17)  # names recur across a load's records
def fold(text: str) -> str:
    """Lower-case, strip diacritics and collapse white space: "Bělov" -> "belov"."""
    # Character by character is the same as decomposing the whole text: only combining marks
    # reorder, and they are dropped.
    bare = text.lower() if text.isascii() else text.translate(_BARE)
    return " ".join(bare.split())


def fold_aligned(text: str) -> str:
    """Like ``fold`` but character for character, white space kept, so that a match in the folded
    text has the same span in the original."""
    return text.translate(_ALIGNED)


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

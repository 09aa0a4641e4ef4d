"""The committed SDL is the schema the code builds."""

from __future__ import annotations

from schema.export import SDL
from schema.query import make_schema


def test_committed_sdl_matches_the_code():
    committed = SDL.read_text(encoding="utf-8")
    assert committed == make_schema().as_str() + "\n", "regenerate: python -m schema.export"

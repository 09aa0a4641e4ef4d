"""The committed SDL is the schema the code builds."""

from __future__ import annotations

from kpss.settings import REPO_ROOT
from schema.query import schema


def test_committed_sdl_matches_the_code():
    committed = (REPO_ROOT / "schema" / "schema.graphql").read_text(encoding="utf-8")
    assert committed == schema.as_str() + "\n", "regenerate: python -m schema.export"

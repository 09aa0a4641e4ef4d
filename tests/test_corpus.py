"""The extractor over the corpus of real pages (``../shared/corpus``, or ``KPSS_CORPUS_DIR``), held
against the facts checked by hand for each page (``data/bundled/corpus/``). Skipped only when the
corpus is not beside the repository. Every hand-checked fact of every page must be read."""

from __future__ import annotations

from functools import cache
from pathlib import Path

import pytest

from bench.eval import FIELDS, _Keys, checked_facts, corpus_dir, page_address
from loaders.page import extract, page_text

PAGES = corpus_dir() / "pages"
pytestmark = pytest.mark.skipif(not PAGES.is_dir(), reason=f"no corpus at {PAGES}")

@cache
def _checked() -> dict:
    return checked_facts()


@cache
def _extracted(page: str):
    path = PAGES / page
    return extract(page_text(path, path.read_bytes())[0], page)


def _pages() -> list[tuple[Path, object]]:
    if not PAGES.is_dir():
        return []
    return [(path, _checked()[page_address(path)]) for path in sorted(PAGES.glob("*.txt")) if page_address(path) in _checked()]


def _cases() -> list:
    return [pytest.param(path.name, field, id=f"{path.name}-{field}")
            for path, _ in _pages() for field in (*FIELDS, "partners")]


@pytest.fixture(scope="module")
def keys() -> _Keys:
    return _Keys()


@pytest.mark.parametrize(("page", "field"), _cases())
def test_each_corpus_page_yields_its_hand_checked_facts(page, field, keys):
    checked = _checked()[page_address(PAGES / page)]
    found = _extracted(page)
    assert not found.problems and found.project is not None, found.warnings
    if field == "partners":
        assert keys.partners(found.project) == keys.partners(checked)
    else:
        assert keys.values(found.project)[field] == keys.values(checked)[field]


def test_no_corpus_page_ends_as_an_empty_project():
    assert len(_pages()) >= 30
    for path in sorted(PAGES.glob("*.txt")):
        found = _extracted(path.name)
        assert found.project is not None or any("no project here" in w for w in found.warnings), path.name

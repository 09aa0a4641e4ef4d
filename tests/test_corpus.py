"""The extractor over the corpus of real pages (``../shared/corpus``, or ``KPSS_CORPUS_DIR``), held
against the facts checked by hand for each page (``data/bundled/corpus/``). Skipped only when the
corpus is not beside the repository. A fact the rules do not read goes in ``GAPS`` with why (none
today): it fails strictly, so a rule that comes to read it shows."""

from __future__ import annotations

from functools import cache
from pathlib import Path

import pytest

from bench.eval import FIELDS, _Keys, checked_facts, corpus_dir, page_address
from loaders.page import extract, page_text

PAGES = corpus_dir() / "pages"
pytestmark = pytest.mark.skipif(not PAGES.is_dir(), reason=f"no corpus at {PAGES}")

GAPS: dict[tuple[str, str], str] = {}


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
    cases = []
    for path, _ in _pages():
        for field in (*FIELDS, "partners"):
            gap = GAPS.get((path.name, field))
            marks = [pytest.mark.xfail(reason=gap, strict=True)] if gap else []
            cases.append(pytest.param(path.name, field, marks=marks, id=f"{path.name}-{field}"))
    return cases


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

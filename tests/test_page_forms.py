"""One golden pair per page form (``tests/pages/NAME.txt`` and ``NAME.json``): a page written for
the test in the style of real Czech project pages, and the facts it states, written by hand. Adding
a page form is adding a pair of files."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from graph.model import Role
from loaders.page import extract, page_text, read_page

PAGES = Path(__file__).parent / "pages"
FORMS = sorted(p.stem for p in PAGES.glob("*.txt"))


def facts(path: Path) -> dict:
    """What the extractor finds in a page, in the golden files' terms."""
    found = extract(page_text(path, path.read_bytes())[0], path.name)
    assert not found.problems, found.problems
    p = found.project
    project = p and {
        "registration_number": p.registration_number, "registration_number_stated": p.registration_number_stated,
        "name": p.name, "start": p.start, "end": p.end,
        "total_cost_czk": None if p.total_cost_czk is None else str(p.total_cost_czk), "programme": p.programme,
        "call": p.call,
        "beneficiary": next((x.name for x in p.participants if x.role == Role.BENEFICIARY), None),
        "partners": [x.name for x in p.participants if x.role == Role.PARTNER],
        "funding": [[f.source.value, None if f.amount_czk is None else str(f.amount_czk),
                     None if f.percent is None else str(f.percent)] for f in p.funding],
    } | ({"outputs": [[o.kind.value, o.name, o.start, o.end] for o in p.outputs]} if p and p.outputs else {})
    return {"project": project, "warnings": found.warnings}


@pytest.mark.parametrize("form", FORMS)
def test_each_page_form_yields_the_facts_written_for_it(form):
    want = json.loads((PAGES / f"{form}.json").read_text(encoding="utf-8"))
    got = facts(PAGES / f"{form}.txt")
    assert got["project"] == want["project"]
    assert len(got["warnings"]) == len(want["warnings"])
    assert all(said in warning for said, warning in zip(want["warnings"], got["warnings"]))


def test_every_page_form_has_its_facts():
    assert FORMS and {p.stem for p in PAGES.glob("*.json")} == set(FORMS)


def test_a_page_read_from_a_file_takes_the_address_it_states():
    doc = read_page(PAGES / "labelled-list.txt")
    assert doc.source.uri == "https://example.invalid/projekty/planovani-na-bystricku"
    nothing = read_page(PAGES / "not-a-project.txt")
    assert nothing.dataset.projects == [] and "no project here" in nothing.warnings[0]

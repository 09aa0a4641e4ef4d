"""A fuzz over every input format (CSV, JSON, YAML, HTML pages): whatever the bytes, reading,
resolving and checking against the model end in success or a LoadError whose problems name the
file — never another exception."""

from __future__ import annotations

import json
import tempfile
from pathlib import Path

import yaml
from hypothesis import HealthCheck, event, given, settings, strategies as st

from graph.model import check_node, check_rel
from loaders.errors import LoadError
from loaders.html import html_text
from loaders.pipeline import read_all
from loaders.privacy import without_contacts
from loaders.reference import aliases, reference_documents
from loaders.resolve import resolve
from loaders.tables import KINDS, CsvOptions, csv_columns

FUZZ = settings(max_examples=400, deadline=None, suppress_health_check=list(HealthCheck), derandomize=True)

# Values a supplier writes, right and wrong, mixed with arbitrary text.
VALUES = st.sampled_from([
    "CZ.1.04/3.1.03/65.00042", "CZ.04.1.05/3.2.55.1/1823", 'CZ.1.04/3.1.03/65.99667"><svg onload=alert(6)>',
    "CZ.1.04", "CZ.1.04/3.1.03/99.00001", "Obec Bělov", "Zlínský kraj", "70891320", "70891321", "partner",
    "beneficiary", "eu", "state", "1 677 718,10", "1e20", "-5", "1.0e309", "NaN", "2021-02-30", "2021-02-03", "2009",
    "2009-13", "CZ072", "cz072", "CZ", "", " ", "ŤÓÚ", "Kontakt: Ing. Jan Novák, jan.novak@example.cz",
    "municipality", "region:Zlínský kraj", "a|b|c", "3", "55.1", "true",
]) | st.text(max_size=20)
SCALARS = VALUES | st.integers(-10**20, 10**20) | st.floats(allow_nan=True, allow_infinity=True) | st.booleans() | st.none()
FIELDS = st.sampled_from(sorted({f for kind in KINDS.values() for f in kind.model.model_fields} | {"x", "projects"}))


def records(depth: int = 2):
    leaf = st.dictionaries(FIELDS, SCALARS | st.lists(VALUES, max_size=3), max_size=8)
    return st.recursive(leaf, lambda inner: st.dictionaries(FIELDS, inner | st.lists(inner, max_size=3), max_size=5),
                        max_leaves=depth * 10)


REGS = st.sampled_from(["CZ.1.04/3.1.03/65.00042", "CZ.04.1.05/3.2.55.1/1823", "CZ.1.04/3.1.03/99.00001"]) | VALUES
PARTICIPANT = st.fixed_dictionaries({"name": VALUES, "role": st.sampled_from(["partner", "beneficiary", "co_funder"]) | VALUES},
                                    optional={"ico": VALUES, "amount_czk": VALUES | SCALARS, "country": VALUES, "kind": VALUES})
# Projects nearly right, so that the fuzz reaches resolution and the model's checks as well as validation.
PROJECT = st.fixed_dictionaries(
    {"registration_number": REGS, "name": VALUES},
    optional={"start": VALUES | SCALARS, "end": VALUES | SCALARS, "total_cost_czk": VALUES | SCALARS,
              "programme": VALUES, "priority_axis": VALUES, "priority_axis_name": VALUES, "call": VALUES,
              "description": VALUES, "participants": st.lists(PARTICIPANT, max_size=3), "target_groups": st.lists(VALUES, max_size=2),
              "follows": st.lists(REGS, max_size=2), "places": st.lists(st.fixed_dictionaries({"name": VALUES}), max_size=2),
              "funding": st.lists(st.fixed_dictionaries({"source": VALUES}, optional={"amount_czk": VALUES, "provider": VALUES}), max_size=2)})
ORGANISATION = st.fixed_dictionaries({"name": VALUES}, optional={"ico": VALUES, "kind": VALUES, "seat": VALUES, "aliases": st.lists(VALUES, max_size=2)})
DOCUMENTS = st.fixed_dictionaries({}, optional={"projects": st.lists(PROJECT, max_size=3), "organisations": st.lists(ORGANISATION, max_size=3)}) \
    | st.dictionaries(st.sampled_from(["projects", "organisations", "participations", "funding", "regions",
                                       "municipalities", "programmes", "countries", "title", "x"]),
                      st.lists(records(), max_size=4) | SCALARS, max_size=4) | SCALARS | st.lists(SCALARS)


def loads_or_names_its_problem(name: str, data: bytes, options: CsvOptions | None = None) -> None:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / name
        path.write_bytes(data)
        try:
            documents = read_all([path], options)
            for doc in documents:
                without_contacts(doc.dataset)
            # The documents' facts: the territory's, the same in every load, are the reference data's.
            batch = resolve([*reference_documents(), *documents], aliases()).facts
        except LoadError as exc:
            assert exc.problems and all(p.file and p.message for p in exc.problems)
            event("refused")
            return
    event("loaded")
    for node in batch.nodes:
        check_node(node)
    for rel in batch.rels:
        check_rel(rel)


@FUZZ
@given(DOCUMENTS)
def test_json_documents(document):
    loads_or_names_its_problem("fuzz.json", json.dumps(document, ensure_ascii=False, default=str).encode())


@FUZZ
@given(DOCUMENTS, st.sampled_from(["block", "flow"]))
def test_yaml_documents(document, style):
    text = yaml.safe_dump(document, allow_unicode=True, default_flow_style=style == "flow")
    loads_or_names_its_problem("fuzz.yaml", text.encode())


YAML_LINES = st.sampled_from(["projects:", "  - registration_number: CZ.1.04/3.1.03/65.00042", "    name: P",
                              "    start: 2021-02-30", "    start: 2021-02-03", "    total_cost_czk: 1.0e309",
                              "    total_cost_czk: 1:20.5", "    end: 2009", "a: &a [x, x]", "b: [*a, *a]", "- !!python/name:os.system",
                              "  - {", "    name: [", "\t", "---", "...", "? x", "'", '"\\x'])


@FUZZ
@given(st.lists(YAML_LINES | st.text(max_size=30), max_size=12).map("\n".join))
def test_yaml_text(text):
    loads_or_names_its_problem("fuzz.yaml", text.encode())


@FUZZ
@given(st.sampled_from(sorted(KINDS)), st.data())
def test_csv_files(kind, data):
    columns = data.draw(st.lists(st.sampled_from(csv_columns(KINDS[kind]) + ["x"]), min_size=1, max_size=8, unique=True))
    cells = st.lists(st.lists(VALUES | st.sampled_from(['"', '""', "\n", ";", ",", "\r"]), min_size=0,
                              max_size=len(columns) + 1), max_size=5)
    delimiter = data.draw(st.sampled_from([",", ";"]))
    rows = [delimiter.join(columns)] + [delimiter.join(row) for row in data.draw(cells)]
    encoding = data.draw(st.sampled_from(["utf-8", "cp1250"]))
    raw = "\n".join(rows).encode(encoding, errors="replace") + data.draw(st.sampled_from([b"", b"\n", b"\xff", b"\x00"]))
    forced = data.draw(st.sampled_from([None, "utf-8", "cp1250"]))
    loads_or_names_its_problem(f"{kind}.csv", raw, CsvOptions(encoding=forced))


TAGS = st.sampled_from(["p", "div", "li", "ul", "table", "tr", "td", "th", "dl", "dt", "dd", "br", "h1", "h2", "script",
                        "span", "b", "caption", "!--", "!doctype html", "a href='x'"])
PAGE_TEXT = st.sampled_from(["Reg. č.: CZ.1.04/3.1.03/65.00042", "Příjemce: Obec Bělov, IČ 00287351",
                             "Partneři projektu:", "Celkové náklady: 1 000 000 Kč", "Zahájení: 1. 7. 2010",
                             "Anotace", "Kontakt: Ing. Jan Novák, jan.novak@example.cz, tel. +420 777 123 456",
                             "Plánování sociálních služeb", "&amp;", "&#x0;", "<", ">", "\n"]) | st.text(max_size=15)


@st.composite
def markup(draw) -> str:
    parts = []
    for _ in range(draw(st.integers(0, 25))):
        tag = draw(TAGS)
        parts.append(draw(st.sampled_from([f"<{tag}>", f"</{tag.split()[0]}>", draw(PAGE_TEXT)])))
    return "<html><body><h1>Plánování sociálních služeb</h1>" + "".join(parts)


# A page under the extractor's heading is extracted and resolved against the whole reference territory
# (some 0.2 s of CPU each): 100 pages, not 400, keep this fuzz within the suite's budget.
@settings(FUZZ, max_examples=100)
@given(markup())
def test_html_pages(page):
    html_text(page)  # the layout never fails on markup, however broken
    loads_or_names_its_problem("fuzz.html", page.encode())

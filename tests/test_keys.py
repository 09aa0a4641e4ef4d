"""Node ids: every label's id form documented in graph.model is what graph.keys builds, and only
graph.keys builds them."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

from graph import keys
from graph.model import NODES
from loaders.normalise import name_key

ROOT = Path(__file__).resolve().parent.parent

# The natural keys of each documented example, as the sources state them (ids of the bundled data).
EXAMPLES = {
    "Project": [(keys.code, "CZ.1.04/3.1.03/65.00042"),
                (keys.project_by_name, "Komunitní plán pro město Hlučín", name_key("Hlučín"))],
    "Organisation": [(keys.organisation_by_ico, "00064581"), (keys.organisation_governing, "511382"),
                     (keys.organisation_by_name, "CZ", name_key("Charita Jablunkov"))],
    "Municipality": [(keys.code, "585599"), (keys.municipality_abroad, "SK022", "Dubnica nad Váhom"),
                     (keys.municipality_abroad, "GB", "Newcastle upon Tyne")],
    "Okres": [(keys.code, "CZ0724")],
    "Orp": [(keys.code, "7205")],
    "Pou": [(keys.code, "72051")],
    "Region": [(keys.code, "CZ072"), (keys.code, "CZ07")],
    "Country": [(keys.code, "CZ")],
    "Microregion": [(keys.microregion, "Otrokovicko")],
    "Programme": [(keys.code, "CZ.1.04"), (keys.code, "CZ.03+")],
    "PriorityAxis": [(keys.priority_axis, "CZ.1.04", "3")],
    "Call": [(keys.call, "CZ.1.04/3.1.03/65.00042"), (keys.call, "CZ.04.1.05/3.2.55.1/1823")],
    "TargetGroup": [(keys.target_group, "Rodiny s dětmi")],
    "Output": [(keys.output, "Komunitní plán sociálních služeb na Otrokovicku", "2008", "2012", "CZ.04.1.05/3.2.55.1/1823"),
               (keys.output, "Akční plán", "2018", "2018", "CZ.03.2.63/0.0/0.0/16_063/0006529")],
    "WorkingGroup": [(keys.working_group, "CZ.1.04/3.1.03/65.00042", "Senioři")],
    "FundingShare": [(keys.funding_share, "CZ.1.04/3.1.00/05.00061", "state_budget"),
                     (keys.funding_share, "CZ.1.04/3.1.00/05.00061", "region", name_key("Olomoucký kraj"))],
    "SourceDocument": [(keys.source_document, "196c834fdfbf492172b2726b9d1a7e9635208c3ab66be50ad8c8890a098d0c72")],
}


def test_every_label_has_its_key_functions():
    assert set(keys.BY_LABEL) == set(NODES)


@pytest.mark.parametrize("label", sorted(NODES))
def test_the_documented_id_form_is_what_the_key_functions_build(label):
    doc = NODES[label].key_doc
    named = set(re.findall(r"graph\.keys\.(\w+)", doc))
    assert named == {f.__name__ for f in keys.BY_LABEL[label]}, f"{label}: the key doc names {sorted(named)}"
    assert {f for f, *_ in EXAMPLES[label]} == set(keys.BY_LABEL[label]), f"{label}: a key function without an example"
    documented = set(re.findall(r"`([^`]+)`", doc))
    assert documented == {f(*args) for f, *args in EXAMPLES[label]}


def test_the_design_notes_name_the_same_examples():
    """docs/design.md's id table shows the model's forms: each example it gives is one the model documents."""
    notes = (ROOT / "docs" / "design.md").read_text(encoding="utf-8")
    table = "\n".join(line for line in notes.splitlines() if line.startswith("| ") and "`" in line)
    examples = {ex for ex in re.findall(r"`([^`]+)`", table) if "<" not in ex and not ex.endswith(":")} - {"graph/keys.py"}
    documented = {ex for n in NODES.values() for ex in re.findall(r"`([^`]+)`", n.key_doc)}
    assert examples and examples <= documented, sorted(examples - documented)


# An f-string or a sum that starts with a built id's prefix: an id made outside graph.keys.
_ID_PREFIX = re.compile(r"^(ico|gov|org|name|mr|tg|wg|out|doc):")


def _builds_an_id(node: ast.AST) -> bool:
    if isinstance(node, ast.JoinedStr) and node.values:
        first = node.values[0]
    elif isinstance(node, ast.BinOp) and isinstance(node.op, ast.Add):
        first = node.left
    else:
        return False
    return isinstance(first, ast.Constant) and isinstance(first.value, str) and bool(_ID_PREFIX.match(first.value))


def test_no_module_but_graph_keys_builds_an_id():
    found = []
    for package in ("graph", "loaders", "schema", "rdf", "server", "kpss"):
        for path in sorted((ROOT / package).rglob("*.py")):
            if path == ROOT / "graph" / "keys.py":
                continue
            tree = ast.parse(path.read_text(encoding="utf-8"))
            found += [f"{path.relative_to(ROOT)}:{n.lineno}" for n in ast.walk(tree) if _builds_an_id(n)]
    assert not found, f"ids built outside graph.keys: {found}"

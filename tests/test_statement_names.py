"""Statement names are not spelt by callers: a misspelt one fails when its module is imported, not
when a request reaches it (a GraphQL field answering INTERNAL_SERVER_ERROR)."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from graph.cypher import CATALOGUE, UnknownStatement, api, rdf, reads
from graph.cypher.generated import Edge, Node
from graph.model import NODES

ROOT = Path(__file__).resolve().parent.parent
CALLERS = ("schema", "rdf", "server", "loaders", "kpss", "bench")  # every package outside graph/
READING = {"read", "facts", "grouped", "outgoing", "incoming", "targets", "origins"}


def spelt_names(source: str) -> list[int]:
    """Lines where a store or request read is given a statement name as a string literal."""
    return [node.lineno for node in ast.walk(ast.parse(source))
            if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr in READING
            and node.args and (isinstance(node.args[0], ast.JoinedStr)
                               or isinstance(node.args[0], ast.Constant) and isinstance(node.args[0].value, str))]


def test_no_caller_outside_graph_spells_a_statement_name():
    spelt = {f"{path.relative_to(ROOT)}:{line}" for package in CALLERS for path in (ROOT / package).rglob("*.py")
             for line in spelt_names(path.read_text(encoding="utf-8"))}
    assert not spelt, sorted(spelt)


def test_the_check_sees_a_spelt_name():
    assert spelt_names('async def f(store):\n    await store.read("read.funding_by_projekt", ids=[])\n') == [2]
    assert spelt_names('async def f(d, t):\n    await d.grouped(f"fetch.rel.{t}", "id", "x")\n') == [2]


def test_a_misspelt_edge_fails_when_its_module_is_imported():
    source = (ROOT / "schema" / "types.py").read_text(encoding="utf-8")
    misspelt = source.replace('Edge("MANAGES", "Organisation", "Programme")', 'Edge("MANAGES", "Organisation", "Programm")')
    assert misspelt != source
    with pytest.raises(UnknownStatement, match="MANAGES.Organisation.Programm"):
        exec(compile(misspelt, "schema/types.py", "exec"), {"__name__": "misspelt_types"})


def test_a_misspelt_named_read_fails_at_import():
    with pytest.raises(ImportError):
        exec("from graph.cypher.reads import FUNDING_BY_PROJEKT", {})


def test_every_label_and_edge_of_the_model_has_its_generated_reads():
    for label in NODES:
        node = Node(label)
        assert {node.fetch, node.all, node.count} <= set(CATALOGUE)
    for edge in Edge.every():
        assert {edge.fetch, edge.fetch_to, edge.all} <= set(CATALOGUE)
    with pytest.raises(UnknownStatement):
        Node("Projekt")
    with pytest.raises(UnknownStatement):
        Edge("PARTICIPATES_IN", "Project", "Organisation")  # the wrong way round


def test_the_named_reads_are_the_hand_written_statements():
    exported = {value for module in (api, rdf, reads) for name, value in vars(module).items()
                if name.isupper() and isinstance(value, str)}
    hand_written = {n for n in CATALOGUE if n.split(".")[0] in ("api", "rdf", "read")}
    assert exported == hand_written

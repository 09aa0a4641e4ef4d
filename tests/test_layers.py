"""Data flows one way: sources -> loaders -> graph -> schema / rdf -> server, with ``kpss/`` (the
command line and the settings) on top. Settings are read only at the edges."""

from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
# What each package may import of the product's own packages.
ALLOWED = {
    "graph": {"graph"},
    "loaders": {"graph", "loaders"},
    "schema": {"graph", "schema"},
    "rdf": {"graph", "rdf"},
    "server": {"graph", "loaders", "schema", "rdf", "server", "kpss"},  # kpss.settings: the server is an edge
}
OWN = {"graph", "loaders", "schema", "rdf", "server", "kpss"}


def imported(path: Path) -> set[str]:
    """The product packages a module imports, at its top or inside a function."""
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found |= {alias.name.split(".")[0] for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found.add(node.module.split(".")[0])
    return found & OWN


def test_no_package_imports_a_layer_above_it():
    wrong = {f"{path.relative_to(ROOT)} imports {sorted(imported(path) - allowed)}"
             for package, allowed in ALLOWED.items() for path in (ROOT / package).rglob("*.py")
             if imported(path) - allowed}
    assert not wrong, sorted(wrong)


def test_the_check_sees_an_upward_import(tmp_path):
    module = tmp_path / "m.py"
    module.write_text("def f():\n    from kpss.settings import Settings\n    import server.app\n", encoding="utf-8")
    assert imported(module) == {"kpss", "server"}

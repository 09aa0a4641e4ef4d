"""Every Neo4j form in the catalogue passes Neo4j's own Cypher linter, which can fail."""

from __future__ import annotations

import json
import re
import shutil
import subprocess

from graph import cypher
from graph.model import KEY_TABLES, NODES, RELS
from kpss.settings import REPO_ROOT

TOOL = REPO_ROOT / "tools" / "cypher-lint"
# Severity 1 is an error, 2 a warning: both fail the catalogue.


def lint(statements: list[tuple[str, str]]) -> dict[str, list[dict]]:
    assert (TOOL / "node_modules").is_dir(), "run `npm ci --prefix tools/cypher-lint` (make setup does)"
    schema = {
        "labels": sorted({*NODES, *KEY_TABLES}),
        "relationshipTypes": sorted(RELS),
        # Row maps of bulk writes carry from_id / to_id besides the model's properties.
        "propertyKeys": sorted({"id", "from_id", "to_id", *(p for n in (*NODES.values(), *KEY_TABLES.values())
                                                             for p in n.prop_names),
                                *(p for r in RELS.values() for p in r.prop_names)}),
    }
    payload = json.dumps({"schema": schema, "statements": [{"name": n, "text": t} for n, t in statements]})
    done = subprocess.run([shutil.which("node") or "node", str(TOOL / "lint.mjs")], input=payload,
                          capture_output=True, text=True, check=True)
    return {r["name"]: r["diagnostics"] for r in json.loads(done.stdout)}


def one_of_each_shape(statements: list[tuple[str, str]]) -> list[tuple[str, str]]:
    """The statements that differ in more than the model's names: the catalogue generates the same
    template for every label and relationship type, and linting each copy costs minutes of CPU."""
    names = sorted({*NODES, *KEY_TABLES, *RELS, *(p for n in (*NODES.values(), *KEY_TABLES.values()) for p in n.prop_names),
                    *(p for r in RELS.values() for p in r.prop_names)}, key=len, reverse=True)
    model_name = re.compile(r"\b(?:" + "|".join(map(re.escape, names)) + r")\b")
    schema_name = re.compile(r"\b(CONSTRAINT|INDEX) \w+")  # named after the label and property: project_id
    shapes: dict[str, tuple[str, str]] = {}
    for name, text in statements:
        shapes.setdefault(model_name.sub("_", schema_name.sub(r"\1 _", text)), (name, text))
    return list(shapes.values())


def test_every_neo4j_statement_lints_clean():
    everything = [(name, st.neo4j) for name, st in cypher.CATALOGUE.items() if st.neo4j]
    statements = one_of_each_shape(everything)
    assert len(everything) > 300 and len(statements) > 60
    found = {name: diags for name, diags in lint(statements).items() if diags}
    report = "\n".join(f"{name}: {d['message']}" for name, diags in found.items() for d in diags)
    assert not found, f"Neo4j's linter objects to:\n{report}"


def test_the_linter_catches_broken_statements():
    found = lint([
        ("syntax", "MATCH (n:Project RETURN n"),
        ("unknown function", "MATCH (n:Project) RETURN fooBar(n.id) AS x"),
        ("fine", "MATCH (n:Project) RETURN toLower(n.name) AS x"),
    ])
    assert found["syntax"] and found["unknown function"]
    assert "fooBar" in found["unknown function"][0]["message"]
    assert found["fine"] == []


def test_shapes_keep_what_differs_beyond_names():
    kept = one_of_each_shape([
        ("a", "MATCH (n:Project) RETURN n.name AS name"),
        ("b", "MATCH (n:Organisation) RETURN n.ico AS name"),
        ("c", "MATCH (n:Organisation) RETURN toLower(n.ico) AS name"),
        ("d", "CREATE INDEX project_name IF NOT EXISTS FOR (n:Project) ON (n.name)"),
        ("e", "CREATE INDEX organisation_ico IF NOT EXISTS FOR (n:Organisation) ON (n.ico)"),
        ("f", "CREATE TEXT INDEX project_name_text IF NOT EXISTS FOR (n:Project) ON (n.name)"),
    ])
    assert [name for name, _ in kept] == ["a", "c", "d", "f"]

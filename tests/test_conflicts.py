"""Conflicting data is never overwritten silently: conflicts within one load are errors naming both
places, a load that changes what the graph holds reports each fact it replaces (--dry-run before
writing anything), and the reference data decides code lists and known organisations' names."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from kpss.cli import app
from loaders.errors import LoadError
from loaders.pipeline import BUNDLED_DIR, bundled_paths, load_paths, read_all
from loaders.reference import aliases, reference_documents
from loaders.resolve import resolve
from tests.support import graph_facts, server_env
from tests.test_bad_input import loaded  # noqa: F401 — the fixture: a store holding the bundled data

SEEDS = BUNDLED_DIR.parent / "seeds"
REG = "CZ.1.04/3.1.03/99.00001"


def project(name: str, cost: str) -> dict:
    return {"registration_number": REG, "name": name, "total_cost_czk": cost, "programme": "CZ.1.04"}


def write_json(path: Path, **lists) -> Path:
    path.write_text(json.dumps(lists, ensure_ascii=False), encoding="utf-8")
    return path


async def test_two_names_for_one_ico_in_one_load_is_an_error_naming_both_rows(loaded, tmp_path):
    path = tmp_path / "organisations.csv"
    path.write_text("name,ico\nOrg Alpha,70891320\nOrg Beta,70891320\n", encoding="utf-8")
    before = await graph_facts(loaded)
    with pytest.raises(LoadError) as caught:
        await load_paths(loaded, [path])
    [problem] = caught.value.problems
    assert (problem.file, problem.where, problem.field) == (str(path), "row 3", "ico")
    assert "Org Beta" in problem.message and "Org Alpha" in problem.message and "row 2" in problem.message
    assert await graph_facts(loaded) == before


async def test_an_ico_of_the_reference_data_keeps_its_name(loaded, tmp_path):
    path = tmp_path / "organisations.csv"
    path.write_text("name,ico\nOrg Beta,70891320\n", encoding="utf-8")
    report = await load_paths(loaded, [path])
    [row] = await loaded.read("fetch.node.Organisation", ids=["ico:70891320"])
    assert row["name"] == "Zlínský kraj" and not report.replaced
    assert any("70891320" in w and "Zlínský kraj" in w and "Org Beta" in w for w in report.warnings)


async def test_one_project_with_two_names_and_costs_in_one_load_is_an_error(loaded, tmp_path):
    first = write_json(tmp_path / "a.json", projects=[project("Plánování A", "1000")])
    second = write_json(tmp_path / "b.json", projects=[project("Plánování B", "2000")])
    before = await graph_facts(loaded)
    with pytest.raises(LoadError) as caught:
        await load_paths(loaded, [first, second])
    problems = {(p.file, p.field): p.message for p in caught.value.problems}
    assert set(problems) == {(str(second), "name"), (str(second), "total_cost_czk")}
    assert all(str(first) in message for message in problems.values())
    assert await graph_facts(loaded) == before


async def test_a_fact_the_graph_holds_is_replaced_only_as_a_reported_decision(loaded, tmp_path):
    await load_paths(loaded, [write_json(tmp_path / "a.json", projects=[project("Plánování A", "1000")])])
    newer = write_json(tmp_path / "b.json", projects=[project("Plánování B", "1000")])
    before = await graph_facts(loaded)
    dry = await load_paths(loaded, [newer], dry_run=True)
    assert await graph_facts(loaded) == before  # shown, not written
    assert [f for f in dry.replaced if f.startswith("Project")] == [
        f"Project {REG}: name 'Plánování A' is replaced by 'Plánování B'"]
    done = await load_paths(loaded, [newer])
    assert done.replaced == dry.replaced
    [row] = await loaded.read("fetch.node.Project", ids=[REG])
    assert row["name"] == "Plánování B"
    again = await load_paths(loaded, [newer])
    assert again.replaced == [] and not again.write.changed


async def test_no_load_changes_the_reference_datas_code_lists(loaded):
    """The priority axis CZ.04.1.05/3 and its edges stay as the reference data has them, whatever is loaded."""
    async def code_lists() -> tuple:
        axes = await loaded.read("all.node.PriorityAxis", after="", limit=1000)
        edges = await loaded.read("all.rel.OF.PriorityAxis.Programme", skip=0, limit=1000)
        programmes = await loaded.read("all.node.Programme", after="", limit=1000)
        return axes, sorted(edges, key=lambda e: (e["from_id"], e["to_id"])), programmes

    before = await code_lists()
    assert next(a for a in before[0] if a["id"] == "CZ.04.1.05/3")["name"] == "Rozvoj lidských zdrojů v regionech"
    for paths in ([], [SEEDS], bundled_paths(), [BUNDLED_DIR / "otrokovicko-komunitni-plan.yaml"]):
        report = await load_paths(loaded, paths)
        assert not {"PriorityAxis", "Programme"} & {*report.write.created, *report.write.updated}, (paths, report.write)
        assert not [f for f in report.replaced if f.startswith(("PriorityAxis", "Programme"))], report.replaced
        assert await code_lists() == before, paths


def test_the_bundled_data_agrees_with_the_reference_data():
    resolution = resolve([*reference_documents(), *read_all(bundled_paths())], aliases())
    assert not [w for w in resolution.warnings if "reference data" in w], resolution.warnings


def test_dry_run_lists_the_facts_it_would_replace(backend, tmp_path, monkeypatch):
    for name, value in server_env(backend, tmp_path).items():
        monkeypatch.setenv(name, value)
    runner = CliRunner()
    assert runner.invoke(app, ["load", str(write_json(tmp_path / "a.json", projects=[project("Plánování A", "1000")]))]).exit_code == 0
    result = runner.invoke(app, ["load", "--dry-run", str(write_json(tmp_path / "b.json", projects=[project("Plánování A", "2000")]))])
    assert result.exit_code == 0
    assert f"would replace: Project {REG}: total_cost_minor 100000 is replaced by 200000" in result.output


async def test_an_edges_fact_the_graph_holds_is_replaced_only_as_a_reported_decision(loaded, tmp_path):
    def with_partner(amount: str) -> dict:
        return {**project("Plánování A", "1000"), "participants": [{"name": "Obec Bělov", "role": "partner", "amount_czk": amount}]}

    await load_paths(loaded, [write_json(tmp_path / "a.json", projects=[with_partner("100")])])
    report = await load_paths(loaded, [write_json(tmp_path / "b.json", projects=[with_partner("200")])], dry_run=True)
    assert [f for f in report.replaced if f.startswith("PARTICIPATES_IN")] == [
        f"PARTICIPATES_IN gov:CZ072:belov → {REG}: amount_minor 10000 is replaced by 20000"]

"""The command line, run as a user runs it, on each real backend."""

from __future__ import annotations

import socket

import pytest
import yaml
from typer.testing import CliRunner

from kpss.cli import app
from kpss.settings import DATA_DIR
from tests.bundled import bundled_projects
from tests.support import server_env

runner = CliRunner()


@pytest.fixture
def env(backend, tmp_path, monkeypatch):
    for name, value in server_env(backend, tmp_path).items():
        monkeypatch.setenv(name, value)
    return tmp_path


def _row(output: str, name: str) -> list[str]:
    line = next(line for line in output.splitlines() if f" {name} " in line)
    return [cell.strip() for cell in line.strip("│┃ ").split("│")]


def test_load_reports_created_then_unchanged(env):
    projects = str(len(bundled_projects()))
    first = runner.invoke(app, ["load"])
    assert first.exit_code == 0, first.output
    assert _row(first.output, "Project")[1:] == [projects, "0", "0"]
    second = runner.invoke(app, ["load"])
    assert _row(second.output, "Project")[1:] == ["0", "0", projects]
    assert _row(second.output, "PARTICIPATES_IN")[1] == "0"


def test_dry_run_writes_nothing_and_says_what_it_merged(env):
    result = runner.invoke(app, ["load", "--dry-run"])
    assert result.exit_code == 0 and "Dry run" in result.output
    assert _row(result.output, "Project")[1] == str(len(bundled_projects()))
    assert (
        "merged: Svazek obcí Mikroregion Valašskomeziříčsko-Kelečsko [org:CZ:svazek-obci-mikroregion-"
        "valasskomeziricsko-kelecsko] also named “Svazek obcí Mikroregionu VM+K”"
    ) in result.output
    stats = runner.invoke(app, ["stats"])
    assert _row(stats.output, "Project")[1] == "0"


def test_stats_counts_the_bundled_data(env):
    runner.invoke(app, ["load"])
    result = runner.invoke(app, ["stats"])
    assert result.exit_code == 0
    assert _row(result.output, "Project")[1] == str(len(bundled_projects()))
    programmes = yaml.safe_load((DATA_DIR / "reference" / "programmes.yaml").read_text(encoding="utf-8"))["programmes"]
    assert _row(result.output, "Programme")[1] == str(len(programmes))


def test_if_empty_loads_only_once(env):
    runner.invoke(app, ["load"])
    result = runner.invoke(app, ["load", "--if-empty"])
    assert result.exit_code == 0 and "nothing loaded" in result.output


def test_missing_path_is_a_clear_error(env):
    result = runner.invoke(app, ["load", str(env / "nowhere.yaml")])
    assert result.exit_code == 1
    assert "nowhere.yaml: no such file or folder" in result.output


def test_unknown_backend_is_refused(env):
    result = runner.invoke(app, ["stats", "--backend", "oracle"])
    assert result.exit_code == 2 and "embedded or neo4j" in result.output


def test_neo4j_without_uri_is_a_clear_error(env, monkeypatch):
    monkeypatch.delenv("KPSS_NEO4J_URI", raising=False)
    result = runner.invoke(app, ["stats", "--backend", "neo4j"])
    assert result.exit_code == 2 and "KPSS_NEO4J_URI is not set" in result.output


def test_an_unreachable_neo4j_is_a_clear_error_at_once(tmp_path, monkeypatch):
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))  # bound, never listening: connections are refused
        monkeypatch.setenv("KPSS_BACKEND", "neo4j")
        monkeypatch.setenv("KPSS_NEO4J_URI", f"bolt://127.0.0.1:{s.getsockname()[1]}")
        result = runner.invoke(app, ["stats"])
    assert result.exit_code == 2 and "Neo4j is not reachable" in result.output
    assert "Traceback" not in result.output


@pytest.mark.parametrize("args", [["--region", "CZ"], ["--region", "cz072"], ["--programme", "OP LZZ"]])
def test_export_refuses_a_subset_that_names_no_code(args):
    """The same rule as the HTTP dump's parameters (graph.values), before any store is opened."""
    result = runner.invoke(app, ["export", *args])
    assert result.exit_code == 2 and args[0] in result.output and "is not a" in result.output

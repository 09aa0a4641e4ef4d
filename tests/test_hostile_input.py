"""Input of any shape, as a careless supplier or an attacker writes it: every case ends in a problem
naming the file, the row or line and the field, and `kpss load` exits 1 — never a traceback, and
never a parse whose time grows faster than the input."""

from __future__ import annotations

import time
from pathlib import Path

import pytest
from typer.testing import CliRunner

from kpss.cli import app
from loaders.errors import LoadError, Problem
from loaders.pipeline import read_all
from loaders.tables import MAX_LINE_CHARS, CsvOptions
from tests.support import server_env

REG = "CZ.1.04/3.1.03/99.00001"
HOSTILE_REG = 'CZ.1.04/3.1.03/65.99667"><svg onload=alert(6)>'


def refused(path: Path, options: CsvOptions | None = None) -> Problem:
    with pytest.raises(LoadError) as caught:
        read_all([path], options)
    [problem, *_] = caught.value.problems
    assert problem.file == str(path)
    return problem


def write(folder: Path, name: str, text: str | bytes) -> Path:
    path = folder / name
    path.write_bytes(text if isinstance(text, bytes) else text.encode("utf-8"))
    return path


def yaml_project(**fields: str) -> str:
    lines = "".join(f"    {k}: {v}\n" for k, v in {"registration_number": REG, "name": "Plánování", **fields}.items())
    return "projects:\n  - " + lines.lstrip()


@pytest.mark.parametrize(("name", "text"), [
    ("deep.json", "[" * 100_000 + "]" * 100_000),
    ("deep-object.json", '{"projects": ' + '{"a": ' * 100_000 + "1" + "}" * 100_001),
    ("deep.yaml", "projects: " + "[" * 100_000 + "]" * 100_000),
    ("deep-block.yaml", "".join("  " * i + "- \n" for i in range(3_000))),
    ("laughs.yaml", "a: &a [x, x, x, x, x, x, x, x, x, x]\n" + "".join(
        f"{chr(98 + i)}: &{chr(98 + i)} [{', '.join(['*' + chr(97 + i)] * 10)}]\n" for i in range(8))),
])
def test_nesting_and_repetition_are_refused(tmp_path, name, text):
    problem = refused(write(tmp_path, name, text))
    assert "nested too deeply" in problem.message or "values" in problem.message


def test_yaml_dates_are_read_as_written(tmp_path):
    problem = refused(write(tmp_path, "bad-date.yaml", yaml_project(start="2021-02-30")))
    assert (problem.where, problem.field) == ("projects[0], line 4", "start") and "2021-02 has no day 30" in problem.message
    [doc] = read_all([write(tmp_path, "good-date.yaml", yaml_project(start="2021-02-03", end="2022"))])
    assert (doc.dataset.projects[0].start, doc.dataset.projects[0].end) == ("2021-02-03", "2022")


@pytest.mark.parametrize(("name", "text"), [
    ("huge.yaml", yaml_project(total_cost_czk="1.0e309")),
    ("infinite.yaml", yaml_project(total_cost_czk=".inf")),
    ("huge.json", '{"projects": [{"registration_number": "%s", "name": "P", "total_cost_czk": "1e20"}]}' % REG),
    ("huge-number.json", '{"projects": [{"registration_number": "%s", "name": "P", "total_cost_czk": 1e20}]}' % REG),
    ("nan.json", '{"projects": [{"registration_number": "%s", "name": "P", "total_cost_czk": NaN}]}' % REG),
    ("projects.csv", f"registration_number,name,total_cost_czk\n{REG},P,1e20\n"),
    ("funding.csv", f"registration_number,source,amount_czk\n{REG},eu,100000000000000000000\n"),
])
def test_amounts_beyond_the_models_range_are_refused_before_the_store(tmp_path, name, text):
    problem = refused(write(tmp_path, name, text))
    assert problem.field in ("total_cost_czk", "amount_czk") or "finite" in problem.message, problem


@pytest.mark.parametrize(("name", "text"), [
    ("projects.csv", f'registration_number,name\n"{HOSTILE_REG.replace(chr(34), chr(34) * 2)}",P\n'),
    ("participations.csv", f'registration_number,name,role\n"{HOSTILE_REG.replace(chr(34), chr(34) * 2)}",Obec,partner\n'),
    ("p.json", '{"projects": [{"registration_number": "%s", "name": "P"}]}' % HOSTILE_REG.replace('"', '\\"')),
    ("p.yaml", yaml_project(registration_number="'" + HOSTILE_REG + "'")),
    ("f.yaml", f"funding:\n  - {{registration_number: '{HOSTILE_REG}', source: eu}}\n"),
])
def test_registration_numbers_are_checked_in_every_format(tmp_path, name, text):
    problem = refused(write(tmp_path, name, text))
    assert problem.field == "registration_number" and "registration number" in problem.message
    assert len(problem.message) < 300


def test_csv_size_limits(tmp_path):
    header = "registration_number,name," + ",".join(f"x{i:06d}" for i in range(15_000)) + "\n"
    problem = refused(write(tmp_path, "projects.csv", header + f"{REG},P\n"))
    assert problem.where == "row 1" and "header" in problem.message and len(str(problem)) < 1_000
    long_line = f"registration_number,name\n{REG},{'x' * (MAX_LINE_CHARS + 10)}\n"
    assert "longer than" in refused(write(tmp_path, "long.csv", long_line)).message
    lines = "řádek\n" * 40_000  # each line short, the cell long
    cell = f'registration_number,name,description\n{REG},P,"{lines}"\n'
    problem = refused(write(tmp_path, "projects.csv", cell))
    assert problem.where == "row 2" and "cell longer than" in problem.message


def test_a_50_mb_csv_cell_is_refused_in_seconds(tmp_path):
    for cell in ("x" * 50_000_000, "x\n" * 25_000_000):
        path = write(tmp_path, "projects.csv", f'registration_number,name,description\n{REG},P,"{cell}"\n')
        start = time.perf_counter()
        problem = refused(path)
        assert time.perf_counter() - start < 60  # generous: it takes well under a second
        assert "longer than" in problem.message, problem


def test_utf8_text_forced_through_cp1250_is_refused(tmp_path):
    path = write(tmp_path, "projects.csv", f"registration_number,name\n{REG},ŤÓÚ plán – Šumperk\n")
    assert "UTF-8" in refused(path, CsvOptions(encoding="cp1250")).message
    real = write(tmp_path, "cp1250-projects.csv", f"registration_number,name\n{REG},Plánování Šumperk\n".encode("cp1250"))
    [doc] = read_all([real], CsvOptions(encoding="cp1250"))
    assert doc.dataset.projects[0].name == "Plánování Šumperk"


def test_the_command_exits_1_with_the_problem_not_a_traceback(backend, tmp_path, monkeypatch):
    for name, value in server_env(backend, tmp_path).items():
        monkeypatch.setenv(name, value)
    path = write(tmp_path, "deep.json", "[" * 100_000 + "]" * 100_000)
    result = CliRunner().invoke(app, ["load", str(path)])
    assert result.exit_code == 1 and "nested too deeply" in result.output and "Traceback" not in result.output


def test_deeply_nested_html_is_laid_out_in_linear_time():
    """2.2 MB of nested <div>s: once quadratic (hours), now one walk of the parsed tree."""
    from loaders.html import html_text

    levels = 170_000
    start = time.perf_counter()
    text = html_text("<html><body>" + "<div>x " * levels + "</div>" * levels + "</body></html>")
    assert time.perf_counter() - start < 120  # generous: about 10 s on a busy 2-core machine
    assert text == "x\n" * levels

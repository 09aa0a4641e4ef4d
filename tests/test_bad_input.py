"""Bad input: each case is refused with a message naming the file, the row or span and the field,
the command exits non-zero, and the graph is left exactly as it was."""

from __future__ import annotations

import json
import tracemalloc
from collections.abc import AsyncIterator, Awaitable, Callable
from pathlib import Path

import pytest
import yaml
from typer.testing import CliRunner

from graph.store import GraphStore
from kpss.cli import app
from loaders.errors import LoadError, Problem
from loaders.pipeline import load_paths
from loaders.tables import MAX_PROBLEMS, CsvOptions
from tests.support import bundled_copy, bundled_facts, graph_facts

REG = "CZ.1.04/3.1.03/99.00001"
PROJECTS_HEADER = "registration_number,name,start,end,total_cost_czk,programme\n"
PROJECT = f"{REG},Plánování v Kelči,2013-01,2014-06,1000000,CZ.1.04\n"


@pytest.fixture
async def loaded(backend: str, tmp_path: Path) -> AsyncIterator[GraphStore]:
    """A store holding the bundled data: every bad load must leave it as it is."""
    store = await bundled_copy(backend, tmp_path / "store")
    yield store
    await store.close()


@pytest.fixture
async def refused(backend: str, loaded: GraphStore) -> Callable[..., Awaitable[list[Problem]]]:
    """``refused(*paths, options=None)``: loads ``paths`` into ``loaded``, which must refuse them and
    stay exactly as it was; returns the problems named."""
    before = await bundled_facts(backend, loaded)

    async def refuse(*paths: Path, options: CsvOptions | None = None) -> list[Problem]:
        with pytest.raises(LoadError) as caught:
            await load_paths(loaded, list(paths), csv_options=options)
        assert await graph_facts(loaded) == before
        return caught.value.problems

    return refuse


def write(folder: Path, name: str, text: str | bytes, encoding: str = "utf-8") -> Path:
    path = folder / name
    path.write_bytes(text if isinstance(text, bytes) else text.encode(encoding))
    return path


def only(problems: list[Problem]) -> Problem:
    assert len(problems) == 1, problems
    return problems[0]


async def test_truncated_csv(refused, tmp_path):
    path = write(tmp_path, "participations.csv", f'registration_number,name,role\n{REG},"Město Ke')
    p = only(await refused(write(tmp_path, "projects.csv", PROJECTS_HEADER + PROJECT), path))
    assert (p.file, p.where) == (str(path), "row 2") and "cut short" in p.message


async def test_ragged_csv_names_every_bad_row(refused, tmp_path):
    path = write(tmp_path, "participations.csv", f"registration_number,name,role\n{REG},Město Kelč\n{REG},A,partner,x\n")
    problems = await refused(write(tmp_path, "projects.csv", PROJECTS_HEADER + PROJECT), path)
    assert [(p.where, p.message) for p in problems] == [
        ("row 2", "has 2 fields, the header has 3 (is the row cut short?)"), ("row 3", "has 4 fields, the header has 3")]


async def test_undecodable_bytes(refused, tmp_path):
    path = write(tmp_path, "projects.csv", PROJECTS_HEADER.encode() + PROJECT.encode() + b"CZ.1\x81\x98\xff,x\n")
    p = only(await refused(path))
    assert (p.where, p.message) == ("row 3", "bytes that are neither UTF-8 nor Windows-1250 text: is it a CSV file?")


async def test_windows_1250_read_as_utf8_on_request(refused, tmp_path):
    path = write(tmp_path, "projects.csv", PROJECTS_HEADER + PROJECT, encoding="cp1250")
    p = only(await refused(path, options=CsvOptions(encoding="utf-8")))
    assert p.where == "row 2" and "try --encoding cp1250" in p.message


async def test_a_wrong_encoding_guess_is_caught(refused, tmp_path):
    path = write(tmp_path, "projects.csv", PROJECTS_HEADER + PROJECT)  # UTF-8, read as Windows-1250
    p = only(await refused(path, options=CsvOptions(encoding="cp1250")))
    assert "looks like UTF-8 read as cp1250" in p.message


async def test_windows_1250_semicolons_and_decimal_commas_are_read(loaded, tmp_path):
    text = "registration_number;name;total_cost_czk;programme\n" + f'{REG};Plánování v Kelči;"1 234 567,50";CZ.1.04\n'
    report = await load_paths(loaded, [write(tmp_path, "projects.csv", text, encoding="cp1250")])
    assert report.write.created["Project"] == 1
    [row] = await loaded.read("fetch.node.Project", ids=[REG])
    assert (row["name"], row["total_cost_minor"]) == ("Plánování v Kelči", 123456750)


async def test_missing_required_column(refused, tmp_path):
    path = write(tmp_path, "participations.csv", f"registration_number,name\n{REG},Město Kelč\n")
    p = only(await refused(path))
    assert (p.where, p.field, p.message) == ("row 1", "role", "the required column role is missing")


async def test_duplicate_keys_with_conflicting_values(refused, tmp_path):
    path = write(tmp_path, "projects.csv", PROJECTS_HEADER + PROJECT + PROJECT.replace("Plánování v Kelči", "Jiný název"))
    p = only(await refused(path))
    assert (p.where, p.field) == ("row 3", "name") and "already in row 2" in p.message


async def test_invalid_ico(refused, tmp_path):
    path = write(tmp_path, "participations.csv", f"registration_number,name,role,ico\n{REG},Charita,partner,12345678\n")
    p = only(await refused(write(tmp_path, "projects.csv", PROJECTS_HEADER + PROJECT), path))
    assert (p.file, p.where, p.field) == (str(path), "row 2", "ico") and "not a valid IČO" in p.message


async def test_invalid_ico_of_an_organisation(refused, tmp_path):
    path = write(tmp_path, "organisations.csv", "name,ico\nSpolek X,12345678\n")
    p = only(await refused(path))
    assert (p.where, p.field) == ("row 2", "ico") and "12345678 is not a valid IČO" in p.message


@pytest.mark.parametrize("row", [
    PROJECT.replace(",CZ.1.04\n", ",CZ.9.99\n"),  # stated
    "CZ.9.99/3.1.03/65.09997,Neznámý program,2013-01,2014-06,1000000,\n",  # read from the registration number
])
async def test_unknown_programme_code(refused, tmp_path, row):
    path = write(tmp_path, "projects.csv", PROJECTS_HEADER + row)
    p = only(await refused(path))
    assert p.field == "programme" and "unknown programme code CZ.9.99" in p.message


async def test_end_before_start(refused, tmp_path):
    path = write(tmp_path, "projects.csv", PROJECTS_HEADER + PROJECT.replace("2013-01,2014-06", "2014-06,2013-01"))
    p = only(await refused(path))
    assert (p.where, p.field) == ("row 2", "end") and "the end 2013-01 is before the start 2014-06" in p.message


async def test_a_date_that_is_no_date(refused, tmp_path):
    path = write(tmp_path, "projects.csv", PROJECTS_HEADER + PROJECT.replace("2013-01,", "2013-13,"))
    p = only(await refused(path))
    assert (p.where, p.field) == ("row 2", "start") and "'2013-13' is not a date: write YYYY, YYYY-MM or YYYY-MM-DD" in p.message


@pytest.mark.parametrize("name", ["bad.yaml", "bad.json"])
async def test_a_structured_document_names_the_line(refused, tmp_path, name):
    text = ('projects:\n  - registration_number: CZ.1.04/3.1.03/65.00042\n    name: X\n    start: "2010-13"\n'
            '    participants:\n      - {name: A, role: sponsor}\n')
    if name.endswith(".json"):
        text = json.dumps(yaml.safe_load(text), indent=1)
    problems = await refused(write(tmp_path, name, text))
    lines = {p.field: p.where for p in problems}
    first, second = (4, 6) if name.endswith(".yaml") else (6, 10)
    assert lines == {"start": f"projects[0], line {first}", "role": f"projects[0].participants[0], line {second}"}


@pytest.mark.parametrize(("amount", "message"), [("-5", "the amount -5 is negative"), ("pět", "'pět' is not an amount")])
async def test_negative_or_unparsable_amount(refused, tmp_path, amount, message):
    path = write(tmp_path, "projects.csv", PROJECTS_HEADER + PROJECT.replace(",1000000,", f",{amount},"))
    p = only(await refused(path))
    assert (p.where, p.field, p.message) == ("row 2", "total_cost_czk", message)


async def test_funding_shares_that_exceed_the_total(refused, tmp_path):
    funding = write(tmp_path, "funding.csv", f"registration_number,source,amount_czk\n{REG},esf,900000\n{REG},state_budget,200000\n")
    p = only(await refused(write(tmp_path, "projects.csv", PROJECTS_HEADER + PROJECT), funding))
    assert (p.file, p.where, p.field) == (str(funding), "row 3", "funding")  # the share that goes over
    assert "add up to 1100000 CZK, more than its total cost 1000000 CZK" in p.message


async def test_rows_for_a_project_nowhere(refused, tmp_path):
    path = write(tmp_path, "participations.csv", "registration_number,name,role\nCZ.1.04/1.1.01/01.00001,X,partner\n")
    p = only(await refused(path))
    assert (p.where, p.field) == ("row 2", "registration_number")


@pytest.mark.parametrize("name", ["projects.csv", "page.txt", "data.json", "data.yaml"])
async def test_an_empty_file(refused, tmp_path, name):
    p = only(await refused(write(tmp_path, name, b"")))
    assert p.message == "the file is empty"


@pytest.mark.parametrize("name", ["projects.csv", "page.txt", "data.json"])
async def test_a_binary_file(refused, tmp_path, name):
    p = only(await refused(write(tmp_path, name, b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" * 50)))
    assert p.message.startswith("a binary file")


async def test_a_50_mb_csv_is_streamed_not_read_whole(backend, loaded, tmp_path):
    path = tmp_path / "participations.csv"
    row = f"{REG},Organizace s dlouhým názvem {'x' * 60},nobody\n".encode()
    with path.open("wb") as f:
        f.write(b"registration_number,name,role\n")
        f.write(row * (50 * 1024 * 1024 // len(row)))
    before = await bundled_facts(backend, loaded)  # the graph's snapshot is not the reader's memory: taken outside
    tracemalloc.start()
    try:
        with pytest.raises(LoadError) as caught:
            await load_paths(loaded, [path])
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert await graph_facts(loaded) == before
    problems = caught.value.problems
    assert len(problems) == MAX_PROBLEMS + 1 and problems[0].where == "row 2" and problems[0].field == "role"
    assert problems[-1].message == f"reading stopped after {MAX_PROBLEMS} problems"
    assert peak < 16 * 1024 * 1024  # a fraction of the file


@pytest.mark.parametrize("name", ["page.txt", "data.json"])
async def test_a_50_mb_document_is_refused_unread(refused, tmp_path, name):
    path = write(tmp_path, name, b"")
    with path.open("wb") as f:
        f.truncate(50 * 1024 * 1024)
    p = only(await refused(path))
    assert "is too large" in p.message or "more than a JSON or YAML document may hold" in p.message


def test_the_command_exits_non_zero_and_lists_the_problems(tmp_path, monkeypatch):
    monkeypatch.setenv("KPSS_DB_PATH", str(tmp_path / "cli.lbug"))
    monkeypatch.setenv("KPSS_BACKEND", "embedded")
    path = write(tmp_path, "projects.csv", PROJECTS_HEADER + PROJECT.replace(",1000000,", ",-5,"))
    result = CliRunner().invoke(app, ["load", str(path)])
    assert result.exit_code == 1
    assert "Nothing was loaded" in result.output and f"{path}, row 2, field total_cost_czk: the amount -5 is negative" in result.output

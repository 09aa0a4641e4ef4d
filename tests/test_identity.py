"""One node per thing whatever the order of loads: an organisation named with its IČO in one load
and by name in another, the same church organisation with its name abbreviated and spelled out,
a project known by name before a later load states its number — each ends as one node, the merge
reported, every name kept; a municipality the context does not decide leaves no node behind; and
loading a source again changes nothing."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from loaders.pipeline import BUNDLED_DIR, load_paths
from tests.support import BACKENDS, bundled_copy, fresh_store

SEEDS = BUNDLED_DIR.parent / "seeds"
NUMBER = "CZ.1.04/3.1.03/99.00007"


def source(folder: Path, name: str, **lists) -> Path:
    path = folder / name
    path.write_text(json.dumps({"title": name, "source": f"https://example.cz/{name}", **lists}, ensure_ascii=False),
                    encoding="utf-8")
    return path


def project(name: str, *partners: dict, number: str | None = NUMBER) -> dict:
    beneficiary = {"name": "Město Vsetín", "role": "beneficiary"}
    return {"registration_number": number, "name": name, "programme": "CZ.1.04", "participants": [beneficiary, *partners]}


async def organisations(store) -> dict[str, dict]:
    rows = await store.read("all.node.Organisation", after="", limit=1000)
    return {row["id"]: row for row in rows}


def charita_sources(folder: Path) -> tuple[Path, Path]:
    with_ico = source(folder, "a.json", projects=[project("Plánování na Vsetínsku", {
        "name": "Charita Vsetín", "ico": "44741006", "role": "partner"})])
    by_name = source(folder, "b.json", projects=[project("Síť služeb Vsetínska", {
        "name": "CHARITA VSETIN", "role": "partner"}, number="CZ.1.04/3.1.03/99.00008")])
    return with_ico, by_name


@pytest.mark.parametrize("backend", BACKENDS)
@pytest.mark.parametrize("order", ["ico first", "name first"])
async def test_an_ico_and_a_name_in_separate_loads_end_as_one_organisation(backend, order, tmp_path):
    with_ico, by_name = charita_sources(tmp_path)
    store = await fresh_store(backend, tmp_path)
    try:
        merges = []
        for path in ([with_ico, by_name] if order == "ico first" else [by_name, with_ico]):
            merges += (await load_paths(store, [path])).merges
        orgs = await organisations(store)
        charita = [row for row in orgs.values() if "charita" in row["name_search"]]
        assert [row["id"] for row in charita] == ["ico:44741006"]
        [row] = charita
        assert row["name"] == "Charita Vsetín" and set(json.loads(row["aliases"])) == {"Charita Vsetín", "CHARITA VSETIN"}
        parts = await store.read("fetch.rel.PARTICIPATES_IN.Organisation.Project", ids=["ico:44741006"])
        assert {p["to_id"] for p in parts} == {NUMBER, "CZ.1.04/3.1.03/99.00008"}
        if order == "name first":  # the stored name-keyed node is merged away, and that is reported
            assert any("org:CZ:charita-vsetin" in m and "ico:44741006" in m for m in merges)
    finally:
        await store.close()


@pytest.mark.parametrize("backend", BACKENDS)
async def test_an_abbreviated_and_a_spelled_out_church_name_are_one_organisation(backend, tmp_path):
    short = source(tmp_path, "a.json", projects=[project("Plánování A", {
        "name": "Diakonie ČCE – středisko Valašské Meziříčí", "role": "partner"})])
    long = source(tmp_path, "b.json", projects=[project("Plánování B", {
        "name": "Diakonie Českobratrské církve evangelické, středisko Valašské Meziříčí", "role": "partner"},
        number="CZ.1.04/3.1.03/99.00008")])
    store = await fresh_store(backend, tmp_path)
    try:
        await load_paths(store, [long])
        await load_paths(store, [short])
        diakonie = [row for row in (await organisations(store)).values() if "diakonie" in row["name_search"]]
        assert len(diakonie) == 1 and len(json.loads(diakonie[0]["aliases"])) == 2
    finally:
        await store.close()


@pytest.mark.parametrize("backend", BACKENDS)
async def test_a_project_known_by_name_becomes_the_numbered_one_a_later_load_states(backend, tmp_path):
    by_name = source(tmp_path, "a.json", projects=[project("Plánování na Vsetínsku", {
        "name": "Charita Vsetín", "role": "partner"}, number=None)])
    numbered = source(tmp_path, "b.json", projects=[project("Plánování na Vsetínsku")])
    store = await fresh_store(backend, tmp_path)
    try:
        await load_paths(store, [by_name])
        [stored] = await store.read("all.node.Project", after="", limit=10)
        assert stored["id"].startswith("name:")
        report = await load_paths(store, [numbered])
        assert [row["id"] for row in await store.read("all.node.Project", after="", limit=10)] == [NUMBER]
        assert report.write.merged["Project"] == 1 and any(stored["id"] in m for m in report.merges)
        parts = await store.read("fetch.rel_to.PARTICIPATES_IN.Organisation.Project", ids=[NUMBER])
        assert {p["from_id"] for p in parts} == {"gov:541630", "org:CZ:charita-vsetin"}  # its edges came along (Město Vsetín governs 541630)
    finally:
        await store.close()


@pytest.mark.parametrize("backend", BACKENDS)
async def test_an_ambiguous_municipality_is_reported_and_leaves_no_organisation(backend, tmp_path):
    path = source(tmp_path, "a.json", projects=[{"registration_number": NUMBER, "name": "Plánování", "programme": "CZ.1.04",
                                                 "participants": [{"name": "Obec Pohořelice", "role": "partner"}]}])
    store = await fresh_store(backend, tmp_path)
    try:
        report = await load_paths(store, [path])
        assert not [oid for oid in await organisations(store) if "pohorelice" in oid]
        assert any("Pohořelice" in w and "584801" in w and "549461" in w for w in report.warnings)
    finally:
        await store.close()


@pytest.mark.parametrize("backend", BACKENDS)
async def test_loading_any_source_again_reports_unchanged(backend, tmp_path):
    store = await bundled_copy(backend, tmp_path)
    try:
        await load_paths(store, [SEEDS])
        parts = await store.read("fetch.rel.PARTICIPATES_IN.Organisation.Project", ids=["gov:588318"])  # Obec Bělov
        assert parts
        for part in parts:
            stated = json.loads(part["sources"])  # the structured files' (no span) and the page's, with its span
            assert len(stated) >= 2 and any(s.partition("@")[2].count("-") == 1 for s in stated)
            assert part["source"] == min(s.partition("@")[0] for s in stated)
        for paths in ([SEEDS], [BUNDLED_DIR]):
            report = await load_paths(store, paths, dry_run=True)
            assert not report.write.changed, (paths, report.write.updated, report.write.created)
            assert not report.replaced
    finally:
        await store.close()


@pytest.mark.parametrize("backend", BACKENDS)
async def test_keys_are_found_by_the_key_table_which_a_graph_without_it_gets_filled(backend, tmp_path):
    """The load's key look-up reads the key tables (graph.model.KEY_TABLES), kept by every write: each
    key names the node that holds it, the one that stays after a merge. A graph written before the
    tables existed (emptied here) gets them filled when the store is opened."""
    from graph import cypher
    from graph.store import open_store
    from tests.support import store_settings

    with_ico, by_name = charita_sources(tmp_path)
    store = await fresh_store(backend, tmp_path)
    try:
        await load_paths(store, [by_name])
        await load_paths(store, [with_ico])
        orgs = await organisations(store)
        held = {row["key"]: row["id"] for row in await store.read(
            "fetch.key.Organisation", keys=sorted({k for o in orgs.values() for k in json.loads(o["keys"])}))}
        assert held == {k: o["id"] for o in orgs.values() for k in json.loads(o["keys"])}
        assert held["org:CZ:charita-vsetin"] == "ico:44741006"  # the key of the node merged away moved
        before = (await store.read("all.node.OrganisationKey", after="", limit=10_000))
        await store._run(cypher.get("delete.node.OrganisationKey").text(backend), {"rows": [r["id"] for r in before]},
                         write=True)
        assert not await store.read("all.node.OrganisationKey", after="", limit=10)
    finally:
        await store.close()
    store = await open_store(store_settings(backend, tmp_path).store_config())
    try:
        assert await store.read("all.node.OrganisationKey", after="", limit=10_000) == before
        report = (await load_paths(store, [by_name, with_ico])).write
        assert not report.changed and "Organisation" not in report.created
    finally:
        await store.close()

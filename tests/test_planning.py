"""What planning produces, over GraphQL: plans (with the period each is for, not the project's),
analyses and surveys, and the projects that produced them; filters by kind, period and the places
the producing projects cover; working groups; target groups as a vocabulary keeping the words."""

from __future__ import annotations

import json
from pathlib import Path

import httpx
import pytest

from loaders.pipeline import load_paths
from server.app import create_app
from tests.bundled import bundled_projects, project_regions
from tests.support import BACKENDS, fresh_store

PAGES = Path(__file__).parent / "pages"
OUTPUTS = "query($where: OutputFilter) { outputs(where: $where, first: 100) { nodes { name kind start end " \
          "producedBy { registrationNumber name } } } }"


async def ask(store, query: str, variables: dict | None = None) -> dict:
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=create_app(store=store)),
                                 base_url="http://test") as client:
        body = (await client.post("/graphql", json={"query": query, "variables": variables or {}})).json()
    assert "errors" not in body, body
    return body["data"]


def stated_outputs(keep=lambda project, output: True) -> set[tuple]:
    """(name, kind, start, end) of every output the bundled files state, of projects ``keep`` takes."""
    return {(o["name"], o["kind"].upper(), o.get("start"), o.get("end"))
            for p in bundled_projects() for o in p.get("outputs", []) if keep(p, o)}


def found(data: dict) -> set[tuple]:
    return {(o["name"], o["kind"], o["start"], o["end"]) for o in data["outputs"]["nodes"]}


async def test_outputs_by_kind_period_and_the_places_of_their_projects(bundled_store):
    everything = await ask(bundled_store, OUTPUTS)
    assert found(everything) == stated_outputs() and len(found(everything)) >= 5
    assert all(o["producedBy"] for o in everything["outputs"]["nodes"])

    plans = await ask(bundled_store, OUTPUTS, {"where": {"kind": ["COMMUNITY_PLAN"]}})
    assert found(plans) == stated_outputs(lambda p, o: o["kind"] == "community_plan")

    in_2016 = await ask(bundled_store, OUTPUTS, {"where": {"period": {"from": "2016", "to": "2016"}}})
    assert found(in_2016) == stated_outputs(lambda p, o: o["start"] <= "2016" <= o["end"]) != set()

    # Which plans cover the Zlín kraj, and when: through the places their projects cover.
    zlin = await ask(bundled_store, OUTPUTS, {"where": {"project": {"region": ["CZ072"]}}})
    assert found(zlin) == stated_outputs(lambda p, o: "CZ072" in project_regions(p)) != set()


async def test_a_project_shows_its_outputs_and_working_groups(bundled_store):
    stated = [p for p in bundled_projects() if p.get("registration_number") and p.get("working_groups")]
    assert stated
    for project in stated:
        data = await ask(bundled_store, "query($n: String!) { project(registrationNumber: $n) { "
                         "workingGroups { name } outputs { name } } }", {"n": project["registration_number"]})
        assert sorted(g["name"] for g in data["project"]["workingGroups"]) == sorted(project["working_groups"])
        assert sorted(o["name"] for o in data["project"]["outputs"]) == sorted(o["name"] for o in project.get("outputs", []))


@pytest.mark.parametrize("backend", BACKENDS)
async def test_target_groups_in_any_form_are_one_group_and_a_plan_names_its_page(backend, tmp_path):
    def source(name: str, number: str, groups: list[str]) -> Path:
        path = tmp_path / name
        path.write_text(json.dumps({"title": name, "projects": [{
            "registration_number": number, "name": f"Plánování {name}", "programme": "CZ.1.04",
            "participants": [{"name": "Město Holešov", "role": "beneficiary"}], "target_groups": groups}]},
            ensure_ascii=False), encoding="utf-8")
        return path

    store = await fresh_store(backend, tmp_path)
    try:
        await load_paths(store, [source("a.json", "CZ.1.04/3.1.03/88.00301", ["senioři", "rodiny s dětmi"])])
        await load_paths(store, [source("b.json", "CZ.1.04/3.1.03/88.00302", ["seniory"]), PAGES / "plan-outputs.txt"])
        data = await ask(store, "{ a: project(registrationNumber: \"CZ.1.04/3.1.03/88.00301\") { targetGroups { id name aliases } } "
                                "b: project(registrationNumber: \"CZ.1.04/3.1.03/88.00302\") { targetGroups { id name aliases } } }")
        seniors = [g for g in data["a"]["targetGroups"] if g["name"] == "senioři"]
        assert seniors and seniors == data["b"]["targetGroups"]
        assert set(seniors[0]["aliases"]) == {"senioři", "seniory"}

        plans = await ask(store, "{ outputs { nodes { name kind start end provenance { span quote address } "
                                 "producedBy { registrationNumber } } } }")
        by_kind = {o["kind"]: o for o in plans["outputs"]["nodes"]}
        assert set(by_kind) == {"COMMUNITY_PLAN", "ACTION_PLAN"}
        plan = by_kind["COMMUNITY_PLAN"]
        assert (plan["start"], plan["end"]) == ("2014", "2017")
        assert plan["producedBy"] == [{"registrationNumber": "CZ.1.04/3.1.03/88.00202"}]
        [where] = plan["provenance"]
        assert where["quote"].startswith("Komunitní plán sociálních služeb na Holešovsku na období 2014")
        assert where["address"].endswith("planovani-na-holesovsku")
    finally:
        await store.close()

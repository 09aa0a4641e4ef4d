"""The territorial reference data in the graph: every municipality, okres, ORP district and kraj
with its code, and places resolved by code from the context a source gives."""

from __future__ import annotations

import csv

import httpx
import pytest

from loaders.files import Document, Source
from loaders.page import extract
from loaders.reference import TERRITORY_DIR, reference_documents
from loaders.records import Dataset
from loaders.resolve import resolve
from server.app import create_app


def _csv(name: str) -> list[dict[str, str]]:
    with (TERRITORY_DIR / name).open(encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


@pytest.fixture
async def gql(bundled_store):
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=create_app(store=bundled_store)),
                                 base_url="http://test") as client:

        async def run(query: str) -> dict:
            body = (await client.post("/graphql", json={"query": query})).json()
            assert "errors" not in body, body
            return body["data"]

        yield run


async def test_every_unit_is_in_the_graph_with_its_code(bundled_store):
    counts = {label: (await bundled_store.read(f"count.node.{label}"))[0]["n"] for label in ("Orp", "Okres")}
    assert counts == {"Orp": len(_csv("orp.csv")), "Okres": len(_csv("okresy.csv"))} == {"Orp": 206, "Okres": 77}
    codes = [m["code"] for m in _csv("municipalities.csv")]
    stored = await bundled_store.read("fetch.node.Municipality", ids=codes)
    assert len(codes) == 6258 and {row["id"] for row in stored} == set(codes)
    assert all(row["lau_code"] == row["id"] and row["lat"] and row["status"] for row in stored)


async def test_orp_lists_its_municipalities(gql):
    data = await gql('{ orp(code: "7205") { name region { code } municipalities { name okres { code } orpDistrict { code } } } }')
    expected = sorted(m["name"] for m in _csv("municipalities.csv") if m["orp"] == "7205")
    assert data["orp"]["name"] == "Otrokovice" and data["orp"]["region"] == {"code": "CZ072"}
    assert sorted(m["name"] for m in data["orp"]["municipalities"]) == expected and len(expected) == 10
    assert {m["orpDistrict"]["code"] for m in data["orp"]["municipalities"]} == {"7205"}


async def test_municipality_by_code_with_its_point_and_units(gql):
    data = await gql('{ municipality(code: "585858") { id name status latitude longitude okres { name } orpDistrict { name } region { code } } '
                     'okresy(region: "CZ072") { code } orps(region: "CZ07") { code } }')
    row = next(m for m in _csv("municipalities.csv") if m["code"] == "585858")
    m = data["municipality"]
    assert (m["id"], m["name"], m["status"], m["region"]["code"]) == ("585858", "Tlumačov", row["status"], "CZ072")
    assert (m["latitude"], m["longitude"]) == (float(row["lat"]), float(row["lon"]))
    assert (m["okres"]["name"], m["orpDistrict"]["name"]) == ("Zlín", "Otrokovice")
    assert sorted(o["code"] for o in data["okresy"]) == sorted(o["code"] for o in _csv("okresy.csv") if o["kraj"] == "CZ072")
    assert sorted(o["code"] for o in data["orps"]) == sorted(o["code"] for o in _csv("orp.csv") if o["kraj"] in ("CZ071", "CZ072"))


def _resolve_project(place: dict) -> tuple[list[str], list[str]]:
    return _resolve_project_places([place])


def _resolve_project_places(places: list[dict]) -> tuple[list[str], list[str]]:
    """The places a project covering these places covers once resolved, and the load's warnings."""
    dataset = Dataset.model_validate({"projects": [{"registration_number": "CZ.1.04/3.1.00/05.99999", "name": "Plán",
                                                    "places": places}]})
    doc = Document(Source("doc:test", "test.yaml", "test", "0" * 64, "application/yaml", "test.yaml"), dataset)
    res = resolve([*reference_documents(), doc], {})
    covers = [rel.to_id for rel in res.batch.rels if rel.type == "COVERS"]
    return covers, res.warnings


@pytest.mark.parametrize("place, code", [
    ({"name": "Vsetín"}, "541630"),  # one of its name
    ({"name": "Tlumačov", "region": "CZ072"}, "585858"),  # two of the name, the kraj decides
    ({"name": "Tlumačov", "region": "CZ032"}, "554341"),
])
def test_a_place_resolves_to_its_code(place, code):
    assert _resolve_project(place)[0] == [code]


@pytest.mark.parametrize("name, count", [("Tlumačov", 2), ("Nová Ves", 14)])
def test_a_homonym_without_context_is_reported_with_every_candidate(name, count):
    covers, warnings = _resolve_project({"name": name})
    assert covers == []
    report = next(w for w in warnings if f"place {name}:" in w)
    codes = {m["code"] for m in _csv("municipalities.csv") if m["name"] == name}
    assert len(codes) == count and all(code in report for code in codes) and "ambiguous" in report


@pytest.mark.parametrize("text, orp", [
    ("Komunitní plánování sociálních služeb v SO ORP Kaplice", "Kaplice"),
    ("Plánování sociálních služeb pro správní obvod ORP Příbram", "Příbram"),
    ("Střednědobý plán pro ORP Luhačovice", "Luhačovice"),
    ("Plán sociálních služeb ORP Nové Město na Moravě", "Nové Město na Moravě"),
    ("Komunitní plánování na Kroměřížsku", "Kroměříž"),
    ("Komunitní plán sociálních služeb na území Holicka", "Holice"),
])
def test_each_orp_form_of_a_page_resolves_to_the_orp_district(text, orp):
    found = extract(f"{text}\n\nRegistrační číslo projektu: CZ.1.04/3.1.00/05.99999\n", "page.txt")
    places = [p.model_dump(mode="json", exclude_none=True) for p in found.project.places]
    covers, warnings = _resolve_project_places(places)
    assert covers == [next(o["code"] for o in _csv("orp.csv") if o["name"] == orp)], (places, warnings)

"""The territorial reference data in the graph: every municipality, okres, ORP district and kraj
with its code, and places resolved by code from the context a source gives."""

from __future__ import annotations

import csv

import httpx
import pytest

from graph.model import GraphBatch
from loaders import DATA_DIR
from loaders.files import Document, Source
from loaders.page import extract, read_page
from loaders.pipeline import load_paths
from loaders.reference import TERRITORY_DIR, reference_documents
from loaders.records import Dataset
from loaders.resolve import resolve
from server.app import create_app
from tests.support import BACKENDS, live_server, load_bundled, server_env


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
    counts = {label: (await bundled_store.read(f"count.node.{label}"))[0]["n"] for label in ("Orp", "Okres", "Pou")}
    assert counts == {"Orp": len(_csv("orp.csv")), "Okres": len(_csv("okresy.csv")), "Pou": len(_csv("pou.csv"))}
    assert counts == {"Orp": 206, "Okres": 77, "Pou": 393}
    kraje = {r["id"] for r in await bundled_store.read("fetch.node.Region", ids=[m["kraj"] for m in _csv("municipalities.csv")])}
    assert len(kraje) == 14
    codes = [m["code"] for m in _csv("municipalities.csv")]
    stored = await bundled_store.read("fetch.node.Municipality", ids=codes)
    assert len(codes) == 6258 and {row["id"] for row in stored} == set(codes)
    assert all(row["lau_code"] == row["id"] and row["lat"] and row["status"] for row in stored)


async def test_a_load_leaves_a_stored_territory_as_it_is_and_writes_a_changed_one(empty_store):
    """Every load brings the territory's facts; once stored, a load writes only what its documents
    bring, reporting the territory unchanged — until what the product derives from it differs."""
    await load_paths(empty_store, [])
    assert (await empty_store.read("count.rel.IN_POU"))[0]["n"] == 6258
    vsetin = GraphBatch()
    vsetin.node("Municipality", "541630", population=1)  # a stored fact a load of the territory would restore
    await empty_store.write(vsetin)
    again = await load_paths(empty_store, [DATA_DIR / "bundled" / "zlinsky-kraj-planovani.yaml"])
    assert not again.write.created["Municipality"] and again.write.unchanged["Municipality"] >= 6258
    assert again.write.unchanged["IN_POU"] == 6258 and again.write.created["Project"]
    [row] = await empty_store.read("fetch.node.Municipality", ids=["541630"])
    assert row["population"] == 1
    [doc] = [n for n in resolve([], {}).territory.nodes if n.label == "SourceDocument"]
    stale = GraphBatch()
    stale.node("SourceDocument", doc.id, facts_sha256="derived by another version")
    await empty_store.write(stale)
    restored = await load_paths(empty_store, [])
    assert restored.write.updated["Municipality"] == 1 and not restored.write.created["Municipality"]
    [row] = await empty_store.read("fetch.node.Municipality", ids=["541630"])
    assert row["population"] == int(next(m["population"] for m in _csv("municipalities.csv") if m["code"] == "541630"))


async def test_orp_lists_its_municipalities(gql):
    data = await gql('{ orp(code: "7205") { name region { code } municipalities { name okres { code } orpDistrict { code } } } }')
    expected = sorted(m["name"] for m in _csv("municipalities.csv") if m["orp"] == "7205")
    assert data["orp"]["name"] == "Otrokovice" and data["orp"]["region"] == {"code": "CZ072"}
    assert sorted(m["name"] for m in data["orp"]["municipalities"]) == expected and len(expected) == 10
    assert {m["orpDistrict"]["code"] for m in data["orp"]["municipalities"]} == {"7205"}


async def test_a_pou_district_between_the_orp_and_the_municipality(gql):
    """Kraj → okres → ORP → POU → municipality: Halenkovice lies in POU Napajedla, which lies in ORP Otrokovice."""
    data = await gql('{ pou(code: "72051") { code ruianCode name region { code } orpDistrict { code } municipalities { id } } '
                     'municipality(code: "585220") { pouDistrict { code name } } orp(code: "7205") { pous { code name } } '
                     'pous(region: "CZ072") { code } }')
    members = sorted(m["code"] for m in _csv("municipalities.csv") if m["pou"] == "72051")
    pou = data["pou"]
    assert (pou["name"], pou["ruianCode"], pou["region"], pou["orpDistrict"]) == ("Napajedla", "2887", {"code": "CZ072"}, {"code": "7205"})
    assert sorted(m["id"] for m in pou["municipalities"]) == members and "585220" in members
    assert data["municipality"]["pouDistrict"] == {"code": "72051", "name": "Napajedla"}
    assert sorted(p["code"] for p in data["orp"]["pous"]) == sorted(p["code"] for p in _csv("pou.csv") if p["orp"] == "7205")
    assert {p["name"] for p in data["orp"]["pous"]} == {"Otrokovice", "Napajedla"}
    assert sorted(p["code"] for p in data["pous"]) == sorted(p["code"] for p in _csv("pou.csv") if p["kraj"] == "CZ072")


def test_every_pou_lies_in_one_orp_and_holds_its_seat():
    pous = {p["code"]: p for p in _csv("pou.csv")}
    municipalities = _csv("municipalities.csv")
    assert {m["pou"] for m in municipalities} == set(pous)
    assert all(pous[m["pou"]]["orp"] == m["orp"] and pous[m["pou"]]["kraj"] == m["kraj"] for m in municipalities)
    assert all(next(m for m in municipalities if m["code"] == p["seat"])["pou"] == code for code, p in pous.items())


async def test_places_link_to_ruian_in_rdf(bundled_store):
    """Each level's linked-data page names the same unit in ČÚZK's RÚIAN linked data."""
    links = {"municipality/585220": "obec/585220", "pou/72051": "pou/2887", "orp/7205": "orp/1431", "okres/CZ0724": "okres/3705"}
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=create_app(store=bundled_store)), base_url="http://t") as c:
        pages = {path: (await c.get(f"/id/{path}", headers={"Accept": "application/n-triples"})).text for path in links}
    for path, iri in links.items():
        assert f"<http://www.w3.org/2004/02/skos/core#exactMatch> <https://linked.cuzk.cz/resource/ruian/{iri}>" in pages[path]
    assert "<http://www.w3.org/2003/01/geo/wgs84_pos#lat>" in pages["municipality/585220"]


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


def _page_places(tmp_path, lines: str) -> tuple[list[str], list[str]]:
    """What a project page with these lines covers once resolved, and the load's warnings about places."""
    page = tmp_path / "page.txt"
    page.write_text(f"Projekt Plán\n\nRegistrační číslo projektu: CZ.1.04/3.1.00/05.99999\n{lines}\n", encoding="utf-8")
    res = resolve([*reference_documents(), read_page(page)], {})
    return [rel.to_id for rel in res.batch.rels if rel.type == "COVERS"], [w for w in res.warnings if w.startswith("place ")]


@pytest.mark.parametrize("lines, town, kraj", [
    ("Místo realizace: Vsetín", "Vsetín", None),  # one of its name
    ("Příjemce: Město Otrokovice\nMísto realizace: Tlumačov", "Tlumačov", "CZ072"),  # the beneficiary's kraj decides
    ("Příjemce: Obec Domažlice\nMísto realizace: Tlumačov", "Tlumačov", "CZ032"),
])
def test_a_page_about_a_town_covers_its_municipality(tmp_path, lines, town, kraj):
    [code] = [m["code"] for m in _csv("municipalities.csv") if m["name"] == town and kraj in (None, m["kraj"])]
    assert _page_places(tmp_path, lines) == ([code], [])


@pytest.mark.parametrize("town", ["Tlumačov", "Nová Ves"])
def test_a_page_about_a_homonym_without_context_reports_every_candidate(tmp_path, town):
    covers, [report] = _page_places(tmp_path, f"Místo realizace: {town}")
    namesakes = [m for m in _csv("municipalities.csv") if m["name"] == town]
    assert covers == [] and "ambiguous" in report and len(namesakes) > 1
    assert all(f"{m['code']} {town} (okres " in report for m in namesakes)


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


def _code(name: str) -> str:
    [code] = [m["code"] for m in _csv("municipalities.csv") if m["name"] == name]
    return code


def _seats(document: Document) -> tuple[dict[str, str], list[str]]:
    """The name of each organisation the document names -> the municipality code of its seat, and
    the load's warnings."""
    res = resolve([*reference_documents(), document], {})
    named = {p.name for project in document.dataset.projects for p in project.participants}
    names = {n.id: n.props["name"] for n in res.batch.nodes if n.label == "Organisation" and n.props.get("name") in named}
    return {names[rel.from_id]: rel.to_id for rel in res.batch.rels if rel.type == "SEATED_IN" and rel.from_id in names}, res.warnings


def _document(participants: list[dict]) -> Document:
    dataset = Dataset.model_validate({"projects": [{"registration_number": "CZ.1.04/3.1.00/05.99999", "name": "Plán",
                                                    "participants": participants}]})
    return Document(Source("doc:test", "test.yaml", "test", "0" * 64, "application/yaml", "test.yaml"), dataset)


def test_public_bodies_and_branches_sit_where_they_are():
    seats, _ = _seats(_document([
        {"name": "Město Otrokovice", "role": "beneficiary"},  # a municipality's body sits in it
        {"name": "Zlínský kraj", "role": "co_funder"},  # the reference data states the kraj's seat
        {"name": "Úřad práce ve Zlíně", "role": "partner"},  # a body named by its seat, in the locative
        {"name": "Svaz tělesně postižených v ČR, krajská organizace Zlín", "role": "partner"},  # a branch
        {"name": "Oblastní charita Uherské Hradiště", "role": "partner"},  # a charity named by its town
        {"name": "Naděje o.s.", "role": "partner"},  # nothing states where it sits
    ]))
    zlin = _code("Zlín")
    assert seats == {"Město Otrokovice": _code("Otrokovice"), "Zlínský kraj": zlin, "Úřad práce ve Zlíně": zlin,
                     "Svaz tělesně postižených v ČR, krajská organizace Zlín": zlin,
                     "Oblastní charita Uherské Hradiště": _code("Uherské Hradiště")}


def test_a_seat_in_a_town_with_namesakes_is_decided_by_context_or_reported():
    seats, warnings = _seats(_document([{"name": "Charita Tlumačov", "role": "partner"}]))
    assert seats == {} and any("Charita Tlumačov" in w and "585858" in w and "554341" in w for w in warnings)


@pytest.mark.parametrize("line, seat, address", [
    ("Partneři projektu: Spolek Alfa, se sídlem ve Valašském Meziříčí, Město Zlín", "Valašské Meziříčí", None),
    ("Partneři projektu: Spolek Alfa, IČO 44741006, se sídlem Kroměříž", "Kroměříž", None),
    ("Partneři projektu: Spolek Alfa, Masarykovo nám. 100, 688 01 Uherský Brod, Město Zlín", "Uherský Brod",
     "Masarykovo nám. 100, 688 01 Uherský Brod"),
])
def test_a_partner_list_states_the_seat_address_and_ico(line, seat, address, tmp_path):
    page = tmp_path / "page.txt"
    page.write_text(f"Projekt Plán\n\nRegistrační číslo projektu: CZ.1.04/3.1.00/05.99999\n{line}\n", encoding="utf-8")
    doc = read_page(page)
    [alfa] = [o for o in doc.dataset.organisations if o.name == "Spolek Alfa"]
    assert alfa.address == address and ("IČO" not in line or alfa.ico == "44741006")
    seats, _ = _seats(doc)
    assert seats["Spolek Alfa"] == _code(seat)


@pytest.mark.slow
@pytest.mark.parametrize("backend", BACKENDS)
async def test_partners_that_are_ngos_seated_in_a_kraj(backend, tmp_path):
    env = server_env(backend, tmp_path)
    load_bundled(env)
    with live_server(env) as url:
        async with httpx.AsyncClient(base_url=url, timeout=120) as client:
            query = ('{ organisations(where: {kind: ASSOCIATION, role: PARTNER, region: "CZ072"}) { edges { node { name '
                     'seat { id region { code } } } } } projects(where: {participant: {kind: ASSOCIATION, role: PARTNER, '
                     'region: "CZ072"}}) { edges { node { participations { role organisation { name } } } } } }')
            body = (await client.post("/graphql", json={"query": query})).json()
            every = (await client.post("/graphql", json={"query": '{ organisations(where: {kind: ASSOCIATION}, first: 100) { '
                     'totalCount edges { node { name seat { region { code } } participations(first: 100) { edges { node { role } } } } } } }'})).json()
    found = [e["node"] for e in body["data"]["organisations"]["edges"]]
    assert found and all(o["seat"]["region"]["code"] == "CZ072" for o in found)
    # What the filter should return, worked out from every association's seat and roles.
    assert "errors" not in every, every
    associations = every["data"]["organisations"]
    assert associations["totalCount"] == len(associations["edges"])
    assert {o["name"] for o in found} == {
        o["name"] for o in (e["node"] for e in associations["edges"])
        if (o["seat"] or {}).get("region", {}).get("code") == "CZ072" and any(p["node"]["role"] == "PARTNER" for p in o["participations"]["edges"])}
    assert "Svaz tělesně postižených v ČR, krajská organizace Zlín" in {o["name"] for o in found}
    partners = {p["organisation"]["name"] for e in body["data"]["projects"]["edges"] for p in e["node"]["participations"]
                if p["role"] == "PARTNER"}
    assert {o["name"] for o in found} <= partners


async def _names(gql, list_field: str, where: str) -> set[str]:
    data = await gql(f'{{ {list_field}(where: {where}) {{ edges {{ node {{ name }} }} }} }}')
    return {e["node"]["name"] for e in data[list_field]["edges"]}


@pytest.mark.parametrize("level, code", [("orp", "7205"), ("okres", "CZ0724")])
async def test_projects_and_organisations_by_orp_and_okres(gql, level, code):
    """The ORP and okres filters select what the municipality filter selects for the unit's municipalities."""
    members = "[" + ", ".join(f'"{m["code"]}"' for m in _csv("municipalities.csv") if m[level] == code) + "]"
    for list_field in ("projects", "organisations"):
        by_unit = await _names(gql, list_field, f'{{{level}: "{code}"}}')
        assert by_unit and by_unit == await _names(gql, list_field, f"{{municipality: {members}}}")
    partners = await _names(gql, "projects", f'{{participant: {{{level}: "{code}"}}}}')
    assert partners == await _names(gql, "projects", f"{{participant: {{municipality: {members}}}}}")
    group_by = level.upper()
    summary = (await gql(f'{{ fundingSummary(groupBy: {group_by}) {{ groups {{ key name projectCount }} }} }}'))["fundingSummary"]
    [group] = [g for g in summary["groups"] if g["key"] == code]
    units = {"orp": "orp.csv", "okres": "okresy.csv"}[level]
    assert group["name"] == next(u["name"] for u in _csv(units) if u["code"] == code)
    assert group["projectCount"] == len(await _names(gql, "projects", f'{{{level}: "{code}"}}'))


async def test_a_malformed_unit_code_is_the_clients_mistake(bundled_store):
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=create_app(store=bundled_store)), base_url="http://t") as c:
        body = (await c.post("/graphql", json={"query": '{ projects(where: {orp: "Otrokovice"}) { totalCount } }'})).json()
    assert body["errors"][0]["extensions"]["code"] == "BAD_USER_INPUT" and "where.orp" in body["errors"][0]["message"]


@pytest.mark.parametrize("text, kind, name", [
    ("otrokovicko", "Microregion", "Otrokovicko"),
    ("Kroměříž", "Orp", "Kroměříž"),
    ("kromeriz", "Okres", "Kroměříž"),
    ("uherske hradiste", "Municipality", "Uherské Hradiště"),
    ("zlinsky", "Region", "Zlínský kraj"),
    ("CZ0724", "Okres", "Zlín"),
    ("7205", "Orp", "Otrokovice"),
    ("napajedla", "Pou", "Napajedla"),
    ("72051", "Pou", "Napajedla"),
])
async def test_search_finds_places_at_every_level(gql, text, kind, name):
    data = await gql(f'{{ search(text: "{text}", first: 50) {{ edges {{ node {{ __typename ... on Microregion {{ name }} '
                     '... on Orp { name } ... on Okres { name } ... on Pou { name } ... on Municipality { name } ... on Region { name } } } } }')
    assert {"__typename": kind, "name": name} in [e["node"] for e in data["search"]["edges"]]

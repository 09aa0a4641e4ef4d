"""The GraphQL API over the bundled data, checked against the bundled YAML read here on its own."""

from __future__ import annotations

import base64
import re
from collections import Counter, defaultdict
from decimal import Decimal

import httpx
import networkx as nx
import pytest

from bench.synthetic import dataset
from graph.cypher.api import FACTS_NAMES, SEARCH
from graph.model import Role
from kpss.settings import DATA_DIR, Settings
from loaders.pipeline import aliases, reference_documents
from loaders.resolve import resolve
from schema.context import NameIndex
from server.app import create_app
from tests.bundled import bundled_projects, numbered_projects, project_regions, read_yaml
from tests.support import fresh_store, live_server, load_bundled, server_env

CONTRACT = """{ programmes { code name projects(first: 100) { totalCount edges { node { registrationNumber name
  participations { role organisation { id name country { code } } } } } } } }"""
OTROKOVICE = ["CZ.04.1.05/3.2.55.1/1823", "CZ.1.04/5.1.01/12.00075"]
ADMINISTRATION = {Role.MANAGING_AUTHORITY.value, Role.INTERMEDIATE_BODY.value}


# --- the bundled YAML, read independently of the loaders -----------------------------------------


def cost(project: dict) -> Decimal:
    return Decimal(project.get("total_cost_czk") or 0)


def participants(project: dict, working_only: bool = False) -> set[str]:
    return {p["name"] for p in project["participants"] if not (working_only and p["role"] in ADMINISTRATION)}


@pytest.fixture
async def gql(bundled_store):
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=create_app(store=bundled_store)),
                                 base_url="http://test") as client:

        async def run(query: str, variables: dict | None = None, *, errors: bool = False) -> dict:
            response = await client.post("/graphql", json={"query": query, "variables": variables or {}})
            assert response.status_code == 200
            body = response.json()
            if errors:
                assert body.get("errors"), body
            else:
                assert "errors" not in body, body["errors"]
            return body

        yield run


def _codes(body: dict) -> list[str]:
    return [e["extensions"]["code"] for e in body.get("errors", [])]


# --- the contract query ---------------------------------------------------------------------------


def _check_contract(body: dict) -> None:
    got = {}
    for programme in body["data"]["programmes"]:
        projects = programme["projects"]
        assert projects["totalCount"] == len(projects["edges"])
        for edge in projects["edges"]:
            node = edge["node"]
            got[node["name"]] = (programme["code"], node)
    expected = [p for p in bundled_projects() if p.get("programme")]  # the query reaches them by programme
    assert sorted(got) == sorted(p["name"] for p in expected)
    for project in expected:
        code, node = got[project["name"]]
        assert code == project["programme"] and node["name"] == project["name"]
        want = Counter({(p["role"].upper(), p["name"], p.get("country", "CZ")) for p in project["participants"]})
        have = Counter((p["role"], p["organisation"]["name"], p["organisation"]["country"]["code"])
                       for p in node["participations"])
        assert have == want, project["name"]
        assert all(p["organisation"]["id"] for p in node["participations"])


async def test_contract_query_returns_every_project_under_its_programme_with_every_participant(gql):
    body = await gql(CONTRACT)
    _check_contract(body)
    codes = [p["code"] for p in body["data"]["programmes"]]
    assert set(codes) >= {p["programme"] for p in bundled_projects() if p.get("programme")}


@pytest.mark.slow
def test_contract_query_on_a_live_server(backend, tmp_path):
    env = server_env(backend, tmp_path)
    load_bundled(env)
    with live_server(env) as url:
        body = httpx.post(f"{url}/graphql", json={"query": CONTRACT}, timeout=30).json()
    assert "errors" not in body, body
    _check_contract(body)


# --- root questions -------------------------------------------------------------------------------


async def test_common_partners_of_the_two_otrokovice_projects(gql):
    body = await gql("query($r: [String!]!) { commonPartners(registrationNumbers: $r) { totalCount nodes { id name } } }",
                     {"r": OTROKOVICE})
    found = body["data"]["commonPartners"]
    by_number = {p["registration_number"]: p for p in numbered_projects()}
    expected = participants(by_number[OTROKOVICE[0]], True) & participants(by_number[OTROKOVICE[1]], True)
    assert found["totalCount"] == len(expected) > 1
    assert {n["name"] for n in found["nodes"]} == expected


@pytest.mark.parametrize(("text", "kind", "name"), [
    ("belov", "Organisation", "Obec Bělov"),
    ("BĚLOV", "Municipality", "Bělov"),
    ("zlinsky kraj", "Region", "Zlínský kraj"),
    ("zlinsky kraj", "Organisation", "Zlínský kraj"),
    ("CZ.1.04/5.1.01", "Project", "Mezinárodní spolupráce v komunitním plánování sociálních služeb"),
])
async def test_search_ignores_case_and_diacritics(gql, text, kind, name):
    body = await gql("query($t: String!) { search(text: $t) { totalCount nodes { __typename "
                     "... on Organisation { name } ... on Municipality { name } ... on Region { name } "
                     "... on Project { name } } } }", {"t": text})
    hits = body["data"]["search"]["nodes"]
    assert {"__typename": kind, "name": name} in hits
    assert body["data"]["search"]["totalCount"] == len(hits)


async def test_search_puts_exact_names_first_and_needs_every_word(gql):
    hits = (await gql('{ search(text: "zlinsky kraj") { nodes { ... on Region { name } ... on Organisation { name } } } }'))
    assert hits["data"]["search"]["nodes"][0]["name"] == "Zlínský kraj"
    none = await gql('{ search(text: "zlinsky olomoucky") { totalCount } }')
    assert none["data"]["search"]["totalCount"] == 0


def _spread(values: set[str], count: int) -> list[str]:
    """About ``count`` of ``values``, evenly spread over their order."""
    ordered = sorted(values)
    return ordered[::max(len(ordered) // count, 1)]


async def test_the_kept_name_index_finds_what_the_search_statement_finds(bundled_store):
    """Where the store keeps results between requests, search looks in a name index
    (``NameIndex``) instead of running ``api.search``: the same nodes for every kind of word."""
    names = await bundled_store.read(FACTS_NAMES)
    index = NameIndex.of(names)
    words = {w for r in names for w in (r["name_search"] or "").split()}
    codes = {c for r in names for c in (r["code_0"], r["code_1"]) if c}
    ids = {r["id_search"] for r in names if r["id_search"]}
    sample = [*_spread(words, 120), *_spread({w[:3] for w in words}, 30), *_spread(codes, 30),
              *_spread(ids, 15), *(i[-5:] for i in _spread(ids, 15)), "a", "zzzz"]
    assert len(sample) > 200 and len(codes) > 100

    def found(rows: list[dict]) -> list[dict]:
        return sorted(rows, key=lambda r: (r["label"], r["id"]))

    for word in sample:
        assert found(index.matching(word)) == found(await bundled_store.read(SEARCH, q=word)), word


async def test_funding_summary_by_programme_sums_total_costs(gql):
    body = await gql("{ fundingSummary(groupBy: PROGRAMME) { total { amount currency } projectCount "
                     "projectsWithoutAmount groups { key name projectCount projectsWithoutAmount total { amount currency } } } }")
    summary = body["data"]["fundingSummary"]
    totals: dict[str, Decimal] = defaultdict(Decimal)
    counts: Counter = Counter()
    unstated: Counter = Counter()
    for project in bundled_projects():
        totals[project.get("programme")] += cost(project)
        counts[project.get("programme")] += 1
        unstated[project.get("programme")] += "total_cost_czk" not in project
    got = {g["key"]: g for g in summary["groups"]}
    assert set(got) == set(totals)
    for code, total in totals.items():
        assert Decimal(got[code]["total"]["amount"]) == total and got[code]["total"]["currency"] == "CZK"
        assert got[code]["projectCount"] == counts[code]
        assert got[code]["projectsWithoutAmount"] == unstated[code]  # unknown totals are not zeros
    assert summary["projectsWithoutAmount"] == sum(unstated.values())
    assert Decimal(summary["total"]["amount"]) == sum(totals.values())
    assert summary["projectCount"] == len(bundled_projects())


async def test_funding_summary_by_source_and_year(gql):
    body = await gql("{ bySource: fundingSummary(groupBy: FUNDING_SOURCE) { groups { key name total { amount } } } "
                     "byYear: fundingSummary(groupBy: YEAR) { groups { key projectCount } } }")
    shares: dict[str, Decimal] = defaultdict(Decimal)
    years: Counter = Counter()
    for project in bundled_projects():
        years[str(project["start"])[:4] if "start" in project else None] += 1
        for share in project.get("funding", []):
            shares[share["source"]] += Decimal(share.get("amount_czk", 0))
    assert {g["key"]: Decimal(g["total"]["amount"]) for g in body["data"]["bySource"]["groups"]} == shares
    assert {g["key"]: g["name"] for g in body["data"]["bySource"]["groups"]}["esf"] == "Evropský sociální fond"
    assert {g["key"]: g["projectCount"] for g in body["data"]["byYear"]["groups"]} == years


async def test_paging_organisations_visits_each_once(gql):
    seen, after, pages = [], None, 0
    while True:
        body = await gql("query($a: String) { organisations(first: 5, after: $a) { totalCount "
                         "edges { cursor node { id } } pageInfo { hasNextPage endCursor } } }", {"a": after})
        page = body["data"]["organisations"]
        assert len(page["edges"]) <= 5
        seen += [e["node"]["id"] for e in page["edges"]]
        pages += 1
        if not page["pageInfo"]["hasNextPage"]:
            break
        after = page["pageInfo"]["endCursor"]
        assert after == page["edges"][-1]["cursor"]
    assert len(seen) == len(set(seen)) == page["totalCount"]
    everything = await gql("{ organisations(first: 100) { edges { node { id } } } }")
    assert seen == [e["node"]["id"] for e in everything["data"]["organisations"]["edges"]]
    assert pages == -(-len(seen) // 5)


async def test_names_sort_the_czech_way(gql):
    body = await gql("{ organisations(first: 100) { totalCount nodes { name } } }")
    assert body["data"]["organisations"]["totalCount"] <= 100  # one page holds them all
    names = [n["name"] for n in body["data"]["organisations"]["nodes"]]
    charita = names.index("Charita Sv. Anežky Otrokovice")
    # "Ch" is a letter of its own, after "H": so Charita follows every name in D…H, however spelled.
    assert all(i < charita for i, n in enumerate(names) if n[0] in "DEFGH")
    assert all(i > charita for i, n in enumerate(names) if n[0] in "IJKLMNOPQRSTUVWXYZŽ")
    towns = [n["name"] for n in (await gql('{ municipalities(where: {region: "CZ072", text: "zl"}) { nodes { name } } }'))
             ["data"]["municipalities"]["nodes"]]
    assert towns.index("Zlín") < towns.index("Žlutava")  # Ž after Z


async def test_partnership_network_of_zlinsky_kraj(gql):
    body = await gql('{ partnershipNetwork(where: {region: "CZ072"}) { projectCount communityCount betweennessSampleSize '
                     "nodes { id name projectCount degree weightedDegree betweenness community totalFunding { amount } region { code } } "
                     "edges { source target weight projects { registrationNumber } } } }")
    network = body["data"]["partnershipNetwork"]
    by_number = {p["registration_number"]: p for p in numbered_projects()}
    both = participants(by_number[OTROKOVICE[0]], True) & participants(by_number[OTROKOVICE[1]], True)
    names = {n["id"]: n["name"] for n in network["nodes"]}
    heavy = [e for e in network["edges"] if e["weight"] == 2]
    pair = next(e for e in heavy if names[e["source"]] == "Obec Bělov" and names[e["target"]] == "Obec Halenkovice")
    assert sorted(p["registrationNumber"] for p in pair["projects"]) == sorted(OTROKOVICE)
    # Every pair of organisations in both Otrokovice projects has a weight-2 edge, and no other edge has.
    assert {frozenset((names[e["source"]], names[e["target"]])) for e in heavy} == {
        frozenset((a, b)) for a in both for b in both if a < b}
    assert network["projectCount"] == sum("CZ072" in project_regions(p) for p in bundled_projects())
    node = next(n for n in network["nodes"] if n["name"] == "Obec Bělov")
    assert node["projectCount"] == 2 and node["region"] == {"code": "CZ072"}
    assert Decimal(node["totalFunding"]["amount"]) == sum(cost(by_number[r]) for r in OTROKOVICE)
    assert node["weightedDegree"] == sum(e["weight"] for e in network["edges"] if node["id"] in (e["source"], e["target"]))
    assert node["degree"] == len({e["source"] for e in network["edges"] if e["target"] == node["id"]}
                                 | {e["target"] for e in network["edges"] if e["source"] == node["id"]})
    assert network["betweennessSampleSize"] == len(network["nodes"])  # small enough to be exact
    assert all(0 <= n["betweenness"] <= 1 and 0 <= n["community"] < network["communityCount"] for n in network["nodes"])


async def test_the_network_metrics_are_those_of_the_edges_it_returns(gql):
    """Betweenness, degrees and communities checked against networkx on the network's own edges."""
    query = ("{ partnershipNetwork { communityCount betweennessSampleSize nodes { id degree weightedDegree betweenness community } "
             "edges { source target weight } } }")
    network = (await gql(query))["data"]["partnershipNetwork"]
    assert network == (await gql(query))["data"]["partnershipNetwork"]  # the same communities on every request
    graph = nx.Graph()
    graph.add_nodes_from(n["id"] for n in network["nodes"])
    graph.add_edges_from((e["source"], e["target"], {"weight": e["weight"], "distance": 1 / e["weight"]})
                         for e in network["edges"])
    assert graph.number_of_edges() == len(network["edges"]) > 100  # each pair once
    order = {n["id"]: i for i, n in enumerate(network["nodes"])}
    assert [(-e["weight"], order[e["source"]], order[e["target"]]) for e in network["edges"]] == sorted(
        (-e["weight"], order[e["source"]], order[e["target"]]) for e in network["edges"])
    assert network["betweennessSampleSize"] == len(graph)
    expected = nx.betweenness_centrality(graph, weight="distance", normalized=True)
    for node in network["nodes"]:
        assert node["degree"] == graph.degree(node["id"])
        assert node["weightedDegree"] == graph.degree(node["id"], weight="weight")
        assert node["betweenness"] == pytest.approx(expected[node["id"]], abs=1e-6)
    members = defaultdict(set)
    for node in network["nodes"]:
        members[node["community"]].add(node["id"])
    assert sorted(members) == list(range(network["communityCount"]))
    assert [len(members[c]) for c in sorted(members)] == sorted((len(m) for m in members.values()), reverse=True)
    # A Louvain partition: as good as networkx's own Louvain finds on the same graph, within a margin.
    found = nx.community.modularity(graph, members.values(), weight="weight")
    reference = nx.community.modularity(graph, nx.community.louvain_communities(graph, weight="weight", seed=0),
                                        weight="weight")
    assert found >= reference - 0.02, (found, reference)


async def test_path_between_organisations(gql):
    query = ("query($f: ID!, $t: ID!, $m: Int) { path(from: $f, to: $t, maxHops: $m) { hops "
             "organisations { id } steps { from { id } project { registrationNumber participations { organisation { id } } } to { id } } } }")
    direct = await gql(query, {"f": "gov:588318", "t": "gov:585220"})
    assert direct["data"]["path"]["hops"] == 1
    # Dubnica (only in the international project) to Tlumačov (only in the first one): through a shared partner.
    found = (await gql(query, {"f": "gov:SK022:dubnica-nad-vahom", "t": "gov:585858"}))["data"]["path"]
    assert found["hops"] == 2 and found["organisations"][0]["id"] == "gov:SK022:dubnica-nad-vahom"
    for step in found["steps"]:
        members = {p["organisation"]["id"] for p in step["project"]["participations"]}
        assert {step["from"]["id"], step["to"]["id"]} <= members
    assert (await gql(query, {"f": "gov:SK022:dubnica-nad-vahom", "t": "gov:585858", "m": 1}))["data"]["path"] is None


async def test_filters_compose_and_reach_through_relationships(gql):
    projects = bundled_projects()
    otrokovice = [_name(number) for number in OTROKOVICE]

    async def numbers(where: str) -> set[str]:
        return await _names(gql, where)

    assert await numbers('{programme: "CZ.1.04"}') == {p["name"] for p in projects if p.get("programme") == "CZ.1.04"}
    assert await numbers('{text: "otrokovicku"}') == {otrokovice[0]}
    assert await numbers('{participant: {country: "GB"}}') == {p["name"] for p in projects
                                                               if any(x.get("country") == "GB" for x in p["participants"])}
    associations = await numbers('{participant: {kind: ASSOCIATION, role: PARTNER}}')
    # An association as the domain names them: stated so, or by its legal form or the word for one.
    association = re.compile(r"\b(o\. ?s\.|z\. ?s\.|spolek|svaz|sdružení|občanské sdružení)(\s|,|$)", re.I)

    stated = _names_of_kind("association")

    def with_association(role: str) -> set[str]:
        return {p["name"] for p in projects if any(x["role"] == role and (
            x["name"] in stated or association.search(x["name"])) for x in p["participants"])}

    assert associations == with_association("partner")
    assert await numbers('{participant: {kind: ASSOCIATION, role: BENEFICIARY}}') == with_association("beneficiary")
    assert await numbers('{period: {from: "2009", to: "2009"}}') == {
        p["name"] for p in projects if p.get("start", "0")[:4] <= "2009" <= p.get("end", "9")[:4]}  # unknown bounds are open
    cheap = {p["name"] for p in projects if p.get("total_cost_czk") and cost(p) <= Decimal("2000000")}
    assert await numbers('{totalCost: {max: "2000000"}}') == cheap
    assert await numbers('{totalCost: {max: "2000000"}, region: "CZ072", programme: "CZ.1.04"}') == {
        p["name"] for p in projects if p["name"] in cheap and "CZ072" in project_regions(p) and p.get("programme") == "CZ.1.04"}
    assert await numbers('{region: "CZ07"}') == await numbers('{region: ["CZ071", "CZ072"]}')
    assert await numbers('{municipality: "588318"}') == set(otrokovice)
    orgs = await gql('{ organisations(where: {kind: MUNICIPALITY, region: "CZ072", project: {programme: "CZ.04.1.05"}, role: PARTNER}) '
                     "{ nodes { name } } }")
    by_number = {p["registration_number"]: p for p in numbered_projects()}
    assert {n["name"] for n in orgs["data"]["organisations"]["nodes"]} == {
        p["name"] for p in by_number[OTROKOVICE[0]]["participants"] if p["role"] == "partner" and p["name"].startswith("Obec")}
    texts = await gql('{ organisations(where: {text: "belov"}) { nodes { name } } }')
    assert texts["data"]["organisations"]["nodes"] == [{"name": "Obec Bělov"}]


# --- participants by where they are seated ----------------------------------------------------------

OLOMOUC_PROJECT = "CZ.1.04/3.1.00/05.00061"
PLACE = "region { code parent { code } }"
ORGANISATION_PLACES = f"""{{ organisations {{ totalCount nodes {{ id kind seat {{ id {PLACE} }}
  governs {{ __typename ... on Municipality {{ id {PLACE} }} ... on Region {{ code parent {{ code }} }} ... on Microregion {{ {PLACE} }} }}
  participations {{ totalCount nodes {{ role project {{ name }} }} }} }} }} }}"""


def _codes_of(region: dict | None) -> set[str]:
    return set() if region is None else {region["code"]} | _codes_of(region.get("parent"))


async def _organisation_places(gql) -> list[dict]:
    """Each organisation with the regions and municipalities of its seat and of what it governs, read
    through its own fields (seat, governs) rather than the facts the filters use."""
    page = (await gql(ORGANISATION_PLACES))["data"]["organisations"]
    assert page["totalCount"] == len(page["nodes"])
    out = []
    for org in page["nodes"]:
        regions: set[str] = set()
        municipalities: set[str] = set()
        if org["seat"]:
            regions |= _codes_of(org["seat"]["region"])
            municipalities.add(org["seat"]["id"])
        for place in org["governs"]:
            if place["__typename"] == "Region":
                regions |= _codes_of(place)
            else:
                regions |= _codes_of(place["region"])
            if place["__typename"] == "Municipality":
                municipalities.add(place["id"])
        assert org["participations"]["totalCount"] == len(org["participations"]["nodes"])
        out.append({**org, "regions": regions, "municipalities": municipalities,
                    "projects": {(p["role"], p["project"]["name"]) for p in org["participations"]["nodes"]}})
    return out


async def _names(gql, where: str) -> set[str]:
    """The names of the projects a filter finds (a project without a registration number has only its name)."""
    body = await gql(f"{{ projects(where: {where}) {{ totalCount nodes {{ name }} }} }}")
    nodes = body["data"]["projects"]["nodes"]
    assert body["data"]["projects"]["totalCount"] == len(nodes)
    return {n["name"] for n in nodes}


def _name(registration_number: str) -> str:
    return next(p["name"] for p in numbered_projects() if p["registration_number"] == registration_number)


def _names_of_kind(kind: str) -> set[str]:
    """Organisations the bundled and reference files state of a kind."""
    return {o["name"] for path in [DATA_DIR / "reference" / "organisations.yaml", *sorted((DATA_DIR / "bundled").rglob("*.yaml"))]
            for o in read_yaml(path).get("organisations", []) if o.get("kind") == kind}


def _yaml_region_bodies() -> dict[str, str]:
    """Name -> NUTS 3 code of the kraje as bodies (kind region) in the bundled and reference YAML."""
    documents = [DATA_DIR / "reference" / "organisations.yaml", *sorted((DATA_DIR / "bundled").rglob("*.yaml"))]
    bodies = {}
    for path in documents:
        for org in read_yaml(path).get("organisations", []):
            if org.get("kind") == "region":
                bodies[org["name"]] = org["seat_region"]
    return bodies


async def test_projects_by_the_seat_region_of_a_participant(gql):
    projects = bundled_projects()
    # The example, for a kraj as the body: Olomoucký kraj co-funds the Olomouc project.
    olomouc, otrokovice = _name(OLOMOUC_PROJECT), {_name(number) for number in OTROKOVICE}
    assert olomouc in await _names(gql, '{participant: {kind: REGION, region: "CZ071"}}')
    parents = {r["code"]: r.get("parent") for r in read_yaml(DATA_DIR / "reference" / "regions.yaml")["regions"]}
    bodies = _yaml_region_bodies()
    for code in ("CZ071", "CZ072", "CZ07", "CZ01"):  # NUTS 2 codes take in their kraje
        in_region = {name for name, seat in bodies.items() if code in (seat, parents[seat])}
        expected = {p["name"] for p in projects if participants(p) & in_region}
        assert await _names(gql, f'{{participant: {{kind: REGION, region: "{code}"}}}}') == expected, code
    assert await _names(gql, '{participant: {kind: REGION, region: "CZ071", role: CO_FUNDER}}') == {olomouc}
    assert await _names(gql, '{participant: {kind: REGION, region: "CZ071", role: PARTNER}}') == set()
    assert await _names(gql, '{participant: {municipality: "500496"}}') == {olomouc}
    assert await _names(gql, '{participant: {municipality: "588318"}}') == otrokovice

    # An association (NGO) seated in Zlínský kraj: whatever the organisations' own seat and governs say.
    orgs = await _organisation_places(gql)
    associations = [o for o in orgs if o["kind"] == "ASSOCIATION"]
    assert associations and await _names(gql, "{participant: {kind: ASSOCIATION}}")
    expected = {number for o in associations if "CZ072" in o["regions"] for _, number in o["projects"]}
    assert await _names(gql, '{participant: {kind: ASSOCIATION, region: "CZ072"}}') == expected
    # The branches whose names state their seat in Zlín ("krajská organizace Zlín", "Oblastní spolek … Zlín").
    assert expected and {o["id"] for o in associations if "CZ072" in o["regions"]}


@pytest.mark.parametrize("kind", [None, "REGION", "MUNICIPALITY", "ASSOCIATION", "UNION_OF_MUNICIPALITIES", "STATE_BODY"])
async def test_participant_region_and_municipality_agree_with_the_organisations_places(gql, kind):
    orgs = [o for o in await _organisation_places(gql) if kind is None or o["kind"] == kind]
    condition = "" if kind is None else f"kind: {kind}, "
    for region in ("CZ071", "CZ072", "CZ07", "CZ010", "CZ01", "SK022", "SK02", "CZ064"):
        expected = {number for o in orgs if region in o["regions"] for _, number in o["projects"]}
        assert await _names(gql, f'{{participant: {{{condition}region: "{region}"}}}}') == expected, region
        partners = {number for o in orgs if region in o["regions"] for role, number in o["projects"] if role == "PARTNER"}
        assert await _names(gql, f'{{participant: {{{condition}region: "{region}", role: PARTNER}}}}') == partners, region
    for municipality in ("500496", "588318", "585068", "554782", "SK022:dubnica-nad-vahom"):
        expected = {number for o in orgs if municipality in o["municipalities"] for _, number in o["projects"]}
        assert await _names(gql, f'{{participant: {{{condition}municipality: "{municipality}"}}}}') == expected, municipality


NGO_IN_OLOMOUC = """title: An NGO seated in Olomoucký kraj
projects:
  - registration_number: CZ.1.04/3.1.00/05.09998
    name: Plánování na Hané
    programme: CZ.1.04
    priority_axis: "3"
    participants:
      - {name: Město Napajedla, role: beneficiary}
      - {name: "Spolek Haná, z.s.", role: partner}
      - {name: Naděje o.s., role: partner}
  - registration_number: CZ.1.04/3.1.00/05.09997
    name: Plánování bez Hané
    programme: CZ.1.04
    priority_axis: "3"
    participants:
      - {name: "Spolek Haná, z.s.", role: beneficiary}
      - {name: Naděje o.s., role: partner}
organisations:
  - {name: "Spolek Haná, z.s.", kind: association, seat: Olomouc, seat_region: CZ071}
"""


async def test_projects_whose_partners_include_an_ngo_seated_in_a_kraj(empty_store, tmp_path):
    from loaders.pipeline import load_paths

    (tmp_path / "ngo.yaml").write_text(NGO_IN_OLOMOUC, encoding="utf-8")
    await load_paths(empty_store, [tmp_path / "ngo.yaml"])
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=create_app(store=empty_store)), base_url="http://t") as client:

        async def numbers(where: str) -> list[str]:
            body = (await client.post("/graphql", json={"query": f"{{ projects(where: {where}) {{ nodes {{ registrationNumber }} }} }}"})).json()
            assert "errors" not in body, body
            return sorted(n["registrationNumber"] for n in body["data"]["projects"]["nodes"])

        # "Projects whose partners include an NGO seated in Olomoucký kraj": the partner must be the NGO.
        assert await numbers('{participant: {kind: ASSOCIATION, role: PARTNER, region: "CZ071"}}') == ["CZ.1.04/3.1.00/05.09998"]
        assert await numbers('{participant: {kind: ASSOCIATION, role: PARTNER, region: "CZ07"}}') == ["CZ.1.04/3.1.00/05.09998"]
        assert await numbers('{participant: {kind: ASSOCIATION, region: "CZ071"}}') == ["CZ.1.04/3.1.00/05.09997", "CZ.1.04/3.1.00/05.09998"]
        assert await numbers('{participant: {kind: ASSOCIATION, role: PARTNER, municipality: "500496"}}') == ["CZ.1.04/3.1.00/05.09998"]
        assert await numbers('{participant: {kind: ASSOCIATION, region: "CZ072"}}') == []
        # The seatless association is a partner of both, the town (in CZ072) a beneficiary of one.
        assert await numbers("{participant: {kind: ASSOCIATION, role: PARTNER}}") == ["CZ.1.04/3.1.00/05.09997", "CZ.1.04/3.1.00/05.09998"]
        assert await numbers('{participant: {kind: MUNICIPALITY, region: "CZ072"}}') == ["CZ.1.04/3.1.00/05.09998"]


async def test_a_programme_axis_or_call_lists_what_the_root_list_says_was_funded_under_it(gql):
    every = (await gql("{ projects(first: 100) { totalCount nodes { registrationNumber programme { code } "
                       "priorityAxis { id } call { id } } } }"))["data"]["projects"]
    assert len(every["nodes"]) == every["totalCount"]  # the whole list, in name order

    def page(first: int) -> str:
        return f"projects(first: {first}) {{ totalCount nodes {{ registrationNumber }} }}"

    # One query per level, the deeper with smaller pages, so that each stays within the cost budget.
    programmes = (await gql(f"{{ programmes {{ id: code {page(100)} priorityAxes {{ id {page(20)} }} }} }}"))["data"]["programmes"]
    axes = [a for g in programmes for a in g["priorityAxes"]]
    calls = [c for g in (await gql(f"{{ programmes {{ priorityAxes {{ calls {{ id {page(5)} }} }} }} }}"))["data"]["programmes"]
             for a in g["priorityAxes"] for c in a["calls"]]
    listed = 0
    for field, key, found in [("programme", "code", programmes), ("priorityAxis", "id", axes), ("call", "id", calls)]:
        for unit in found:
            expected = [p["registrationNumber"] for p in every["nodes"] if (p[field] or {}).get(key) == unit["id"]]
            got = [p["registrationNumber"] for p in unit["projects"]["nodes"]]
            assert got == expected[:len(got)] and unit["projects"]["totalCount"] == len(expected), unit["id"]
            listed += len(got)
    assert listed > 0


async def test_nested_lists_and_objects(gql):
    body = await gql("""{
      programme(code: "CZ.1.04") { abbreviation priorityAxes { id } page: projects(first: 1) { totalCount
        edges { cursor } pageInfo { hasNextPage endCursor } } }
      region(code: "CZ072") { name parent { code } projects { totalCount } municipalities(first: 3) { totalCount nodes { id } } }
      municipality(id: "588318") { region { code } organisations { nodes { name } } projects { totalCount } }
      organisation(id: "gov:588318") { seat { id } governs { ... on Municipality { id } } region { code }
        participations { totalCount nodes { role project { registrationNumber } } }
        coPartners(first: 2) { totalCount nodes { sharedProjectCount organisation { name } } } }
      project(registrationNumber: "CZ.1.04/5.1.01/12.00075") { beneficiary { name } partners { name }
        programme { code } priorityAxis { id } call { id } funding { source amount { amount } }
        follows { registrationNumber } covers { __typename ... on Microregion { id } } sources { uri } }
      first: project(registrationNumber: "CZ.04.1.05/3.2.55.1/1823") { followedBy { registrationNumber }
        beneficiary { name } targetGroups { name } funding { source provider { name } } }
    }""")
    d = body["data"]
    assert d["programme"]["page"]["totalCount"] == sum(p.get("programme") == "CZ.1.04" for p in bundled_projects())
    assert len(d["programme"]["page"]["edges"]) == 1
    assert d["programme"]["page"]["pageInfo"]["hasNextPage"]
    assert [a["id"] for a in d["programme"]["priorityAxes"]][:3] == ["CZ.1.04/1", "CZ.1.04/2", "CZ.1.04/3"]
    assert d["region"]["parent"] == {"code": "CZ07"}
    assert d["region"]["projects"]["totalCount"] == sum("CZ072" in project_regions(p) for p in bundled_projects())
    assert len(d["region"]["municipalities"]["nodes"]) == 3 < d["region"]["municipalities"]["totalCount"]
    assert d["municipality"]["organisations"]["nodes"] == [{"name": "Obec Bělov"}]
    assert d["municipality"]["projects"]["totalCount"] == 2
    org = d["organisation"]
    assert org["governs"] == [{"id": "588318"}] and org["region"] == {"code": "CZ072"}
    assert {p["project"]["registrationNumber"] for p in org["participations"]["nodes"]} == set(OTROKOVICE)
    assert org["coPartners"]["nodes"][0]["sharedProjectCount"] == 2 and len(org["coPartners"]["nodes"]) == 2
    project = d["project"]
    assert project["beneficiary"] is None and len(project["partners"]) == 19
    assert project["programme"] == {"code": "CZ.1.04"} and project["priorityAxis"] == {"id": "CZ.1.04/5"}
    assert project["call"] == {"id": "CZ.1.04/5.1.01/12"} and project["follows"] == [{"registrationNumber": OTROKOVICE[0]}]
    stated = sum(Decimal(f["amount_czk"]) for f in {p["registration_number"]: p for p in numbered_projects()}[OTROKOVICE[1]]["funding"])
    assert sum(Decimal(f["amount"]["amount"]) for f in project["funding"]) == stated
    assert project["covers"] == [{"__typename": "Microregion", "id": "mr:otrokovicko"}] and project["sources"]
    assert d["first"]["followedBy"] == [{"registrationNumber": OTROKOVICE[1]}]
    assert d["first"]["beneficiary"] == {"name": "Město Otrokovice"}
    assert {"source": "municipality", "provider": {"name": "Město Otrokovice"}} in [
        {"source": f["source"].lower(), "provider": f["provider"]} for f in d["first"]["funding"]]


# --- errors ---------------------------------------------------------------------------------------


async def test_error_codes(gql):
    too_many = await gql("{ projects(first: 101) { totalCount } }", errors=True)
    assert _codes(too_many) == ["LIMIT_EXCEEDED"] and too_many["data"] is None
    nested = await gql('{ programmes { projects(first: 1000) { totalCount } } }', errors=True)
    assert set(_codes(nested)) == {"LIMIT_EXCEEDED"}
    assert _codes(await gql('{ projects(after: "not a cursor") { totalCount } }', errors=True)) == ["BAD_USER_INPUT"]
    assert _codes(await gql("{ projects(first: -1) { totalCount } }", errors=True)) == ["BAD_USER_INPUT"]
    search_cursor = (await gql('{ search(text: "kraj", first: 1) { pageInfo { endCursor } } }'))["data"]["search"]["pageInfo"]["endCursor"]
    assert _codes(await gql("query($a: String) { projects(after: $a) { totalCount } }", {"a": search_cursor}, errors=True)) == ["BAD_USER_INPUT"]
    assert _codes(await gql('{ projects(where: {period: {from: "June 2009"}}) { totalCount } }', errors=True)) == ["BAD_USER_INPUT"]
    assert _codes(await gql('{ projects(where: {totalCost: {min: "5", max: "1"}}) { totalCount } }', errors=True)) == ["BAD_USER_INPUT"]
    assert _codes(await gql('{ search(text: "  ") { totalCount } }', errors=True)) == ["BAD_USER_INPUT"]
    assert _codes(await gql('{ commonPartners(registrationNumbers: ["X"]) { totalCount } }', errors=True)) == ["NOT_FOUND"]
    assert _codes(await gql('{ path(from: "ico:1", to: "gov:588318") { hops } }', errors=True)) == ["NOT_FOUND"]
    assert _codes(await gql('{ path(from: "gov:588318", to: "gov:588318", maxHops: 50) { hops } }', errors=True)) == ["LIMIT_EXCEEDED"]
    assert _codes(await gql("{ nosuchfield }", errors=True)) == ["GRAPHQL_VALIDATION_FAILED"]
    deep = "{ programmes { projects { nodes { " + "follows { " * 12 + "name" + " }" * 16
    assert _codes(await gql(deep, errors=True)) == ["LIMIT_EXCEEDED"]
    assert (await gql('{ project(registrationNumber: "X") { name } }'))["data"] == {"project": None}


BAD_INPUTS = [
    # amounts: non-finite, absurdly large, negative, finer than a haléř — in every filter that takes one
    ('{ projects(where: {totalCost: {min: "1e999999"}}) { totalCount } }', "`where.totalCost.min`", "largest amount"),
    ('{ projects(where: {totalCost: {max: "1e16"}}) { totalCount } }', "`where.totalCost.max`", "largest amount"),
    ('{ projects(where: {totalCost: {max: "Infinity"}}) { totalCount } }', "`where.totalCost.max`", "finite"),
    ('{ projects(where: {totalCost: {min: "-Infinity"}}) { totalCount } }', "`where.totalCost.min`", "finite"),
    ('{ projects(where: {totalCost: {min: "NaN"}}) { totalCount } }', "`where.totalCost.min`", "finite"),
    ('{ projects(where: {totalCost: {min: "sNaN"}}) { totalCount } }', "`where.totalCost.min`", "finite"),
    ('{ projects(where: {totalCost: {min: "-0.01"}}) { totalCount } }', "`where.totalCost.min`", "negative"),
    ('{ projects(where: {totalCost: {max: "1000.005"}}) { totalCount } }', "`where.totalCost.max`", "more than 2 decimal places"),
    ('{ projects(where: {totalCost: {max: "1e-999999"}}) { totalCount } }', "`where.totalCost.max`", "more than 2 decimal places"),
    ('{ organisations(where: {project: {totalCost: {min: "-1"}}}) { totalCount } }', "`where.project.totalCost.min`", "negative"),
    ('{ partnershipNetwork(where: {totalCost: {max: "1e999999"}}) { projectCount } }', "`where.totalCost.max`", "largest amount"),
    ('{ fundingSummary(groupBy: YEAR, where: {totalCost: {min: "NaN"}}) { projectCount } }', "`where.totalCost.min`", "finite"),
    ('{ projects(where: {totalCost: {min: "5", max: "1"}}) { totalCount } }', "`where.totalCost.min`", "above"),
    # partial dates: the shape, and a real month and day
    ('{ projects(where: {period: {from: "2012-13"}}) { totalCount } }', "`where.period.from`", "month must be 01 to 12"),
    ('{ projects(where: {period: {to: "2012-00"}}) { totalCount } }', "`where.period.to`", "month must be 01 to 12"),
    ('{ projects(where: {period: {to: "2013-02-29"}}) { totalCount } }', "`where.period.to`", "2013-02 has no day 29"),
    ('{ projects(where: {period: {from: "2012-04-31"}}) { totalCount } }', "`where.period.from`", "has no day 31"),
    ('{ projects(where: {period: {from: "2012-05-00"}}) { totalCount } }', "`where.period.from`", "has no day 00"),
    ('{ projects(where: {period: {from: "0000"}}) { totalCount } }', "`where.period.from`", "no year 0000"),
    ('{ projects(where: {period: {from: "2012-1"}}) { totalCount } }', "`where.period.from`", "YYYY, YYYY-MM or YYYY-MM-DD"),
    ('{ projects(where: {period: {from: "2012-05-01T00:00"}}) { totalCount } }', "`where.period.from`", "YYYY, YYYY-MM or YYYY-MM-DD"),
    ('{ projects(where: {period: {from: ""}}) { totalCount } }', "`where.period.from`", "YYYY, YYYY-MM or YYYY-MM-DD"),
    ('{ projects(where: {period: {from: "2011", to: "2010-12"}}) { totalCount } }', "`where.period.from`", "after"),
    ('{ organisations(where: {project: {period: {to: "2010-02-30"}}}) { totalCount } }', "`where.project.period.to`", "no day 30"),
    ('{ partnershipNetwork(where: {period: {from: "2009-13"}}) { projectCount } }', "`where.period.from`", "month"),
    # codes and ids
    ('{ projects(where: {region: "Zlínský kraj"}) { totalCount } }', "`where.region`", "NUTS code"),
    ('{ projects(where: {region: "cz072"}) { totalCount } }', "`where.region`", "NUTS code"),
    ('{ projects(where: {participant: {region: "CZ0711"}}) { totalCount } }', "`where.participant.region`", "NUTS code"),
    ('{ projects(where: {participant: {country: "CZE"}}) { totalCount } }', "`where.participant.country`", "alpha-2"),
    ('{ projects(where: {participant: {municipality: " "}}) { totalCount } }', "`where.participant.municipality`", "empty string"),
    ('{ projects(where: {participant: {organisation: ""}}) { totalCount } }', "`where.participant.organisation`", "empty string"),
    ('{ projects(where: {registrationNumber: ""}) { totalCount } }', "`where.registrationNumber`", "empty string"),
    ('{ projects(where: {programme: ""}) { totalCount } }', "`where.programme`", "empty string"),
    ('{ projects(where: {municipality: ""}) { totalCount } }', "`where.municipality`", "empty string"),
    ('{ organisations(where: {country: "Czechia"}) { totalCount } }', "`where.country`", "alpha-2"),
    ('{ organisations(where: {region: "CZ 072"}) { totalCount } }', "`where.region`", "NUTS code"),
    ('{ organisations(where: {project: {participant: {region: "x"}}}) { totalCount } }', "`where.project.participant.region`", "NUTS code"),
    ('{ municipalities(where: {region: "7"}) { totalCount } }', "`where.region`", "NUTS code"),
    ('{ municipalities(where: {country: "cz"}) { totalCount } }', "`where.country`", "alpha-2"),
    ('{ region(code: "CZ072") { projects(where: {region: "x"}) { totalCount } } }', "`where.region`", "NUTS code"),
    ('{ regions(nutsLevel: 4) { code } }', "`nutsLevel`", "0 to 3"),
    ('{ regions(nutsLevel: -1) { code } }', "`nutsLevel`", "0 to 3"),
    ('{ regions(country: "Česko") { code } }', "`country`", "alpha-2"),
    # paging
    ('{ organisation(id: "gov:588318") { coPartners(first: -1) { totalCount } } }', "`first`", "negative"),
    ('{ region(code: "CZ072") { municipalities(first: -5) { totalCount } } }', "`first`", "negative"),
    ('{ search(text: "kraj", first: -1) { totalCount } }', "`first`", "negative"),
    ('{ projects(after: "%s") { totalCount } }' % base64.urlsafe_b64encode(b"[" * 1400).decode(), "", "invalid cursor"),
]


@pytest.mark.parametrize(("query", "field", "says"), BAD_INPUTS)
async def test_bad_input_is_refused_naming_the_field(gql, query, field, says):
    body = await gql(query, errors=True)
    [error] = body["errors"]
    assert error["extensions"] == {"code": "BAD_USER_INPUT"}, error
    assert field in error["message"] and says in error["message"], error["message"]


@pytest.mark.parametrize(("query", "variables", "says"), [
    ("query($m: Decimal) { projects(where: {totalCost: {min: $m}}) { totalCount } }", {"m": "1e999999"}, "`where.totalCost.min`"),
    ("query($m: Decimal) { projects(where: {totalCost: {min: $m}}) { totalCount } }", {"m": "Infinity"}, "finite"),
    ("query($m: Decimal) { projects(where: {totalCost: {max: $m}}) { totalCount } }", {"m": -1}, "negative"),
    ("query($w: ProjectFilter) { projects(where: $w) { totalCount } }", {"w": {"period": {"from": "2012-13"}}}, "`where.period.from`"),
    # refused by the schema itself before anything runs: about the input, not an internal error
    ("query($m: Decimal) { projects(where: {totalCost: {min: $m}}) { totalCount } }", {"m": "abc"}, "$m"),
    ("query($w: ProjectFilter) { projects(where: $w) { totalCount } }", {"w": {"period": {"from": 2012}}}, "$w"),
    ("query($f: Int) { projects(first: $f) { totalCount } }", {"f": 2**40}, "$f"),
    ("query($k: [OrganisationKind!]) { organisations(where: {kind: $k}) { totalCount } }", {"k": ["NGO"]}, "$k"),
])
async def test_bad_variables_are_user_input_errors(gql, query, variables, says):
    body = await gql(query, variables, errors=True)
    [error] = body["errors"]
    assert error["extensions"] == {"code": "BAD_USER_INPUT"} and says in error["message"], error


@pytest.mark.parametrize("where", [
    '{period: {from: "2012-02-29", to: "2012-02"}}', '{period: {from: "2009", to: "2009-12-31"}}',
    '{totalCost: {min: "0", max: "1000000000000000"}}', '{totalCost: {min: "1.50", max: "5617650.000"}}',
    '{region: ["CZ07", "SK022"], participant: {country: ["CZ", "GB"], region: "CZ072"}}',
])
async def test_good_input_on_the_edges_is_accepted(gql, where):
    await gql(f"{{ projects(where: {where}) {{ totalCount }} }}")


async def test_limits_come_from_the_app_settings(bundled_store, tmp_path):
    settings = Settings(db_path=tmp_path / "unused.lbug", max_page_size=2, max_query_depth=3, max_query_aliases=3,
                        max_query_tokens=200)
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=create_app(settings, store=bundled_store)),
                                 base_url="http://test") as client:

        async def codes(query: str) -> list[str]:
            return _codes((await client.post("/graphql", json={"query": query})).json())

        assert await codes("{ organisations(first: 3) { totalCount } }") == ["LIMIT_EXCEEDED"]
        assert await codes("{ programmes { projects { nodes { programme { name } } } } }") == ["LIMIT_EXCEEDED"]
        # Many aliases or a huge document would keep the server busy for everyone: refused unrun.
        aliased = " ".join(f"a{i}: regions {{ code }}" for i in range(4))
        assert await codes(f"{{ {aliased} }}") == ["LIMIT_EXCEEDED"]
        assert await codes("{ " + " ".join(f"f{i}: programmes {{ code }}" for i in range(3)) + " }") == []
        assert await codes("{ regions { " + "code " * 300 + "} }") == ["LIMIT_EXCEEDED"]
        body = (await client.post("/graphql", json={"query": "{ organisations { edges { cursor } } }"})).json()
        assert len(body["data"]["organisations"]["edges"]) == 2  # the default page is the maximum
        # A query text is parsed and validated once; its limits are checked again with every request's variables.
        paged = "query($n: Int) { organisations(first: $n) { edges { cursor } } }"
        for n, expected in ((1, []), (3, ["LIMIT_EXCEEDED"]), (2, []), (3, ["LIMIT_EXCEEDED"])):
            answer = (await client.post("/graphql", json={"query": paged, "variables": {"n": n}})).json()
            assert _codes(answer) == expected and (expected or len(answer["data"]["organisations"]["edges"]) == n)
        for _ in range(2):
            assert await codes("{ organisations { nope } }") == ["GRAPHQL_VALIDATION_FAILED"]
            assert await codes("{ organisations { ") == ["GRAPHQL_VALIDATION_FAILED"]
    late = create_app(Settings(db_path=tmp_path / "unused.lbug", query_timeout_s=0), store=bundled_store)
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=late), base_url="http://test") as client:
        body = (await client.post("/graphql", json={"query": "{ projects { totalCount } }"})).json()
    assert _codes(body) == ["LIMIT_EXCEEDED"] and "time limit" in body["errors"][0]["message"]


async def test_unexpected_errors_reach_the_client_without_details(backend, tmp_path):
    store = await fresh_store(backend, tmp_path)
    await store.close()  # every read now fails inside the store
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=create_app(store=store)), base_url="http://test") as client:
        body = (await client.post("/graphql", json={"query": "{ projects { totalCount } }"})).json()
    [error] = body["errors"]
    assert error["message"] == "Unexpected error." and error["extensions"] == {"code": "INTERNAL_SERVER_ERROR"}
    assert "Traceback" not in str(body) and "lbug" not in str(body)


# --- round trips ----------------------------------------------------------------------------------

NESTED = """query($first: Int) { projects(first: $first) { totalCount edges { node { registrationNumber
  programme { code } priorityAxis { name } call { id } funding { amount { amount } provider { name } }
  participations { role organisation { name country { name } seat { name } region { code } } } } } } }"""


async def test_round_trips_do_not_grow_with_results(empty_store):
    batch = resolve([*reference_documents(), dataset(40, organisations=60, partners_per_project=12)], aliases()).batch
    await empty_store.write(batch)
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=create_app(store=empty_store)), base_url="http://t") as client:

        async def calls(first: int) -> tuple[int, int]:
            if empty_store.memo:  # each request reads the facts afresh, as the first after a write does
                empty_store.memo.clear()
            before = empty_store.calls
            body = (await client.post("/graphql", json={"query": NESTED, "variables": {"first": first}})).json()
            assert "errors" not in body, body
            edges = body["data"]["projects"]["edges"]
            objects = sum(1 + len(e["node"]["participations"]) * 2 + len(e["node"]["funding"]) for e in edges)
            return empty_store.calls - before, objects

        one, few = await calls(1)
        many, lots = await calls(40)
    assert lots > 500 and few < 40
    assert many == one, f"{one} statements for {few} objects but {many} for {lots}"


async def test_communities_are_the_same_on_every_request(empty_store):
    """Louvain visits the vertices in a random order: on a network where that order changes the
    partition found, every request (all computed in the server's compute thread) still finds one."""
    batch = resolve([*reference_documents(), dataset(150, organisations=120, partners_per_project=5, seed=5)],
                    aliases()).batch
    await empty_store.write(batch)
    query = "{ partnershipNetwork { communityCount nodes { id community } } }"
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=create_app(store=empty_store)), base_url="http://t") as client:
        answers = []
        for _ in range(6):
            if empty_store.memo:  # computed afresh, not kept from the request before
                empty_store.memo.clear()
            answers.append((await client.post("/graphql", json={"query": query})).json()["data"]["partnershipNetwork"])
    assert len(answers[0]["nodes"]) > 100
    assert all(answer == answers[0] for answer in answers)


async def test_a_write_between_requests_is_seen_by_the_next_one(empty_store):
    """Facts built from the whole graph may serve later requests too, but never past a write."""
    # The same seed: the larger dataset holds the smaller one's projects and nine more.
    first, second = (dataset(n, organisations=12, partners_per_project=3, seed=3) for n in (6, 15))
    await empty_store.write(resolve([*reference_documents(), first], aliases()).batch)
    query = ('{ projects { totalCount } fundingSummary(groupBy: PROGRAMME) { groups { projectCount } } '
             'partnershipNetwork { projectCount } search(text: "cz", kinds: [PROJECT]) { totalCount } }')
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=create_app(store=empty_store)), base_url="http://t") as client:

        async def counts() -> tuple[int, int, int, int]:
            body = (await client.post("/graphql", json={"query": query})).json()
            return (body["data"]["projects"]["totalCount"], sum(g["projectCount"] for g in body["data"]["fundingSummary"]["groups"]),
                    body["data"]["partnershipNetwork"]["projectCount"], body["data"]["search"]["totalCount"])

        before = empty_store.calls
        assert await counts() == (6, 6, 6, 6)
        cold, before = empty_store.calls - before, empty_store.calls
        assert await counts() == (6, 6, 6, 6)
        warm = empty_store.calls - before
        # Reused where the store can tell the graph is unchanged (then only the groups' names are read).
        assert warm < cold if empty_store.memo is not None else warm == cold
        await empty_store.write(resolve([*reference_documents(), second], aliases()).batch)
        assert await counts() == (15, 15, 15, 15)


async def test_look_ups_are_kept_until_the_next_write(empty_store):
    """A request asking again what an earlier one looked up reads nothing where the store keeps
    results (embedded), and sees a write at once — a project not there before included."""
    first, second = (dataset(n, organisations=12, partners_per_project=3, seed=3) for n in (6, 15))
    [late] = [p.registration_number for p in second.dataset.projects[6:7]]
    await empty_store.write(resolve([*reference_documents(), first], aliases()).batch)
    query = ('query($r: String!) { project(registrationNumber: $r) { name '
             'participations { role organisation { name } } funding { amount { amount } } } }')
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=create_app(store=empty_store)), base_url="http://t") as client:

        async def ask() -> tuple[dict | None, int]:
            before = empty_store.calls
            body = (await client.post("/graphql", json={"query": query, "variables": {"r": late}})).json()
            return body["data"]["project"], empty_store.calls - before

        (missing, _), (still_missing, none_again) = await ask(), await ask()
        await empty_store.write(resolve([*reference_documents(), second], aliases()).batch)
        (found, cold), (same, warm) = await ask(), await ask()
    assert missing is still_missing is None
    assert found == same and found["name"] == second.dataset.projects[6].name and len(found["participations"]) == 4
    assert cold >= 3  # the project, its participations and their organisations, its funding
    assert (none_again, warm) == ((0, 0) if empty_store.memo is not None else (1, cold))


async def test_a_whole_graph_build_outlives_a_request_that_gave_up_on_it(empty_store):
    """Where the store keeps results (embedded), a request that stops waiting for the organisations'
    facts (its time limit: here cancelled while the build reads) leaves the build to the next request,
    which reads nothing more; on Neo4j each request builds its own."""
    import asyncio

    from schema.context import Data

    await empty_store.write(resolve([*reference_documents(), dataset(12, organisations=20, seed=4)], aliases()).batch)
    first = asyncio.ensure_future(Data(empty_store, 100).organisations())
    started = empty_store.calls
    while empty_store.calls == started:  # the build has begun reading
        await asyncio.sleep(0)
    first.cancel()
    with pytest.raises(asyncio.CancelledError):
        await first
    before = empty_store.calls
    facts = await Data(empty_store, 100).organisations()
    again = empty_store.calls - before
    assert len(facts.by_id) == (await empty_store.read("count.node.Organisation"))[0]["n"]
    after = empty_store.calls
    await Data(empty_store, 100).organisations()
    if empty_store.memo is not None:
        assert empty_store.calls == after  # kept
        cold = Data(empty_store, 100)
        empty_store.memo.clear()
        before = empty_store.calls
        await cold.organisations()
        assert again < empty_store.calls - before  # the second request only finished the first one's build
    else:
        assert again > 0 and empty_store.calls - after == again


# --- Czech order and documentation ---------------------------------------------------------------

CZECH_NAMES = """title: Czech order
projects:
  - registration_number: CZ.1.04/3.1.00/05.09999
    name: Řazení
    programme: CZ.1.04
    priority_axis: "3"
    participants:
      - {name: Ivančice Charita, role: beneficiary}
      - {name: Charita Hodonín, role: partner}
      - {name: Hospic Zlín, role: partner}
      - {name: Cesta domů, role: partner}
      - {name: Čtyřlístek, role: partner}
      - {name: Zdravé město, role: partner}
      - {name: Žlutý dům, role: partner}
"""


async def test_ch_sorts_after_h(empty_store, tmp_path):
    from loaders.pipeline import load_paths

    (tmp_path / "order.yaml").write_text(CZECH_NAMES, encoding="utf-8")
    await load_paths(empty_store, [tmp_path / "order.yaml"])
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=create_app(store=empty_store)), base_url="http://t") as client:
        body = (await client.post("/graphql", json={"query": '{ project(registrationNumber: "CZ.1.04/3.1.00/05.09999") '
                                                        "{ partners { name } } organisations(where: {text: \"o\"}) { nodes { name } } }"})).json()
    assert [p["name"] for p in body["data"]["project"]["partners"]] == [
        "Cesta domů", "Čtyřlístek", "Hospic Zlín", "Charita Hodonín", "Zdravé město", "Žlutý dům"]
    names = [n["name"] for n in body["data"]["organisations"]["nodes"]]
    assert names.index("Hospic Zlín") < names.index("Charita Hodonín") < names.index("Ministerstvo práce a sociálních věcí ČR")


def test_every_type_field_and_argument_is_described():
    from graphql import GraphQLEnumType, GraphQLInputObjectType, GraphQLObjectType, GraphQLUnionType

    from schema.query import make_schema

    missing = []
    for name, kind in make_schema()._schema.type_map.items():
        if name.startswith("__") or name in {"String", "Int", "Float", "Boolean", "ID"}:
            continue
        if not kind.description:
            missing.append(name)
        if isinstance(kind, (GraphQLObjectType, GraphQLInputObjectType)):
            for field_name, field in kind.fields.items():
                if not field.description:
                    missing.append(f"{name}.{field_name}")
                for arg_name, arg in getattr(field, "args", {}).items():
                    if not arg.description:
                        missing.append(f"{name}.{field_name}({arg_name})")
        assert not isinstance(kind, (GraphQLEnumType, GraphQLUnionType)) or kind.description
    assert not missing, missing


@pytest.mark.parametrize(("body", "content_type", "says"), [
    (b"\xff\xfe", "application/json", "not UTF-8"),
    (b"null", "application/json", "must be a JSON object"),
    (b"5", "application/json", "must be a JSON object"),
    (b'[{"query": "{ regions { code } }"}]', "application/json", "Batched requests"),
    (b"{bad", "application/json", "not valid JSON"),
    (b'{"query": "{ regions { code } }", "variables": 5}', "application/json", "variables"),
    (b"query=x", "text/plain", "content type"),
])
async def test_request_level_mistakes_are_coded_errors_not_500s(bundled_store, body, content_type, says):
    app = create_app(store=bundled_store)
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app, raise_app_exceptions=False),
                                 base_url="http://test") as client:
        r = await client.post("/graphql", content=body, headers={"content-type": content_type})
        assert r.status_code == 400 and r.headers["content-type"] == "application/json"
        [error] = r.json()["errors"]
        assert error["extensions"]["code"] == "BAD_USER_INPUT" and says in error["message"]
        assert (await client.get("/graphql", params={"query": "mutation { x }"})).json()["errors"][0]["extensions"][
            "code"] == "BAD_USER_INPUT"
        after = await client.post("/graphql", json={"query": "{ regions(nutsLevel: 3) { code } }"})
        assert after.status_code == 200 and {"code": "CZ072"} in after.json()["data"]["regions"]  # still served


async def test_an_organisation_shows_every_name_its_sources_gave(gql):
    body = await gql("{ organisations(first: 100) { nodes { name aliases } } "
                     "projects(first: 100) { nodes { partners { name aliases } } } }")
    shown = [*body["data"]["organisations"]["nodes"],
             *(org for project in body["data"]["projects"]["nodes"] for org in project["partners"])]
    assert shown and all(org["name"] in org["aliases"] and org["aliases"] == sorted(set(org["aliases"]))
                         for org in shown), shown
    assert any(len(org["aliases"]) > 1 for org in shown)  # the bundled data names some bodies twice

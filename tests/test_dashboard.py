"""The dashboard at /dashboard: its routes in-process, and the page itself in Debian's chromium
(headless, driven by Playwright) against a live `kpss serve` over the bundled data. Every number the
page shows is checked against the same question asked of /graphql by the test itself."""

from __future__ import annotations

import json
from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path
from urllib.parse import quote, urlsplit

import httpx
import pytest

from graph.model import FundingSource, OrganisationKind, OutputKind
from server.app import create_app
from server.dashboard import ASSETS, MODULES
from tests.support import BACKENDS, live_server, load_bundled, server_env

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]
SCREENSHOT = Path("/tmp/kpss-dashboard.png")

NETWORK = """query($where: ProjectFilter) { partnershipNetwork(where: $where) {
  projectCount nodes { id name kind projectCount totalFunding { amount } degree weightedDegree betweenness }
  edges { source target weight } } }"""
FUNDING = """query($where: ProjectFilter, $by: FundingGroupBy!) { fundingSummary(groupBy: $by, where: $where) {
  total { amount } projectCount projectsWithoutAmount groups { key total { amount } projectCount projectsWithoutAmount } } }"""


def czk(amount: str) -> str:
    """An amount as Intl.NumberFormat('cs-CZ', {style: 'currency', currency: 'CZK'}) writes it."""
    whole = f"{Decimal(amount):,.2f}"
    return whole.replace(",", " ").replace(".", ",") + " Kč"


def stated(group: dict) -> str:
    """A group's amount as the tables show it: unknown is not zero."""
    if group["projectsWithoutAmount"] == group["projectCount"]:
        return "neuvedeno"
    missing = f" ({group['projectsWithoutAmount']} bez částky)" if group["projectsWithoutAmount"] else ""
    return czk(group["total"]["amount"]) + missing


def plain(text: str) -> str:
    """Text with the no-break spaces of Czech number formatting made ordinary spaces."""
    return text.replace("\u00a0", " ").replace("\u202f", " ").strip()


# --- routes, in-process ----------------------------------------------------------------------------


async def test_dashboard_routes_serve_the_page_and_only_the_named_files(bundled_store):
    transport = httpx.ASGITransport(app=create_app(store=bundled_store))
    async with httpx.AsyncClient(transport=transport, base_url="http://test") as client:
        home = await client.get("/")
        assert home.status_code == 307 and home.headers["location"] == "/dashboard"
        page = await client.get("/dashboard")
        assert page.status_code == 200 and page.headers["content-type"].startswith("text/html")
        assert '<html lang="cs">' in page.text
        csp = page.headers["content-security-policy"]
        assert "connect-src 'self'" in csp and "script-src 'self'" in csp
        for name, (path, media_type) in ASSETS.items():
            response = await client.get(f"/dashboard/assets/{name}")
            assert response.status_code == 200, (name, response.text)
            assert response.headers["content-type"].startswith(media_type)
            assert response.content == path.read_bytes()
        # Nothing else of the folder or of node_modules is reachable.
        for name in ["package.json", "index.html", "..%2Fpackage.json", "cytoscape.min.js", "chart.js"]:
            assert (await client.get(f"/dashboard/assets/{name}")).status_code == 404, name
        assert (await client.get("/dashboard/node_modules/cytoscape/package.json")).status_code == 404


# --- the page in a browser -------------------------------------------------------------------------


@pytest.fixture(scope="module", params=BACKENDS)
def server(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A live `kpss serve` over the bundled data, on each backend."""
    env = server_env(request.param, tmp_path_factory.mktemp("dashboard"))
    load_bundled(env)
    with live_server(env) as url:
        yield url


@pytest.fixture(scope="module")
def browser():
    if not Path(CHROMIUM).exists():
        pytest.fail(f"{CHROMIUM} is missing: `apt-get install chromium chromium-driver` (.ci/run does it)")
    if not (MODULES / "cytoscape").is_dir() or not (MODULES / "chart.js").is_dir():
        pytest.fail("the dashboard's npm libraries are missing: `npm ci --prefix dashboard` (`make setup` does it)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            yield chromium
        finally:
            chromium.close()


def ask(url: str, query: str, **variables) -> dict:
    body = httpx.post(f"{url}/graphql", json={"query": query, "variables": variables}, timeout=30).json()
    assert "errors" not in body, body
    return body["data"]


def where(region: str | None = None, programme: str | None = None) -> dict:
    found = {}
    if region:
        found["region"] = [region]
    if programme:
        found["programme"] = [programme]
    return found


class Page:
    """One browser tab on the dashboard that records console errors and every request it makes."""

    def __init__(self, browser, url: str, width: int = 1400):
        self.context = browser.new_context(viewport={"width": width, "height": 1000}, reduced_motion="reduce",
                                           locale="cs-CZ")
        self.page = self.context.new_page()
        # Waits are for the page to show what the API answers, not bounds on its speed: a busy
        # machine (Neo4j and a browser sharing two cores with other work) takes its time.
        self.page.set_default_timeout(180_000)
        self.errors: list[str] = []
        self.requests: list[str] = []
        self.page.on("console", lambda m: self.errors.append(m.text) if m.type == "error" else None)
        self.page.on("pageerror", lambda e: self.errors.append(str(e)))
        self.page.on("request", lambda r: self.requests.append(r.url))
        self.url = url

    def open(self, query: str = "") -> None:
        self.page.goto(f"{self.url}/dashboard{'?' + query if query else ''}")
        self.shown(query)

    def shown(self, view: str) -> None:
        """Wait until the page shows the data of ``view`` (its filters as a query string)."""
        self.page.locator(f'body[data-loading="false"][data-view="{view}"]').wait_for()

    def js(self, expression: str):
        return self.page.evaluate(expression)

    def network(self) -> dict:
        return self.js("""() => { const cy = window.kpssDashboard.cy; return {
            nodes: cy.nodes().map((n) => n.id()),
            edges: cy.edges().map((e) => [e.source().id(), e.target().id(), e.data('weight')]) }; }""")

    def table(self, table_id: str) -> list[dict]:
        return self.js(f"""() => [...document.querySelectorAll('#{table_id} tbody tr')].map((tr) => ({{
            key: tr.dataset.key, amount: tr.dataset.amount, projects: tr.dataset.projects,
            cells: [...tr.cells].map((c) => c.textContent) }}))""")

    def close(self) -> None:
        self.context.close()


def check_network(tab: Page, url: str, region: str | None = None, programme: str | None = None) -> dict:
    """The drawn network is the one /graphql answers for these filters; returns that answer."""
    want = ask(url, NETWORK, where=where(region, programme))["partnershipNetwork"]
    drawn = tab.network()
    assert len(drawn["nodes"]) == len(want["nodes"])
    assert sorted(drawn["nodes"]) == sorted(n["id"] for n in want["nodes"])
    assert sorted(map(tuple, drawn["edges"])) == sorted((e["source"], e["target"], e["weight"]) for e in want["edges"])
    rows = tab.page.locator("#network-table tbody tr")
    assert rows.count() == len(want["nodes"])
    kinds = tab.js("() => Object.fromEntries([...document.querySelectorAll('#network-table tbody tr')]"
                   ".map((tr) => [tr.dataset.id, tr.cells[1].textContent]))")
    assert kinds == {n["id"]: OrganisationKind(n["kind"].lower()).cs if n["kind"] else "Neuvedeno" for n in want["nodes"]}
    summary = plain(tab.page.locator("#network-summary").inner_text())
    assert summary.startswith(", ".join([czech(len(want["nodes"]), "organizace", "organizace", "organizací"),
                                         czech(len(want["edges"]), "vazba", "vazby", "vazeb"),
                                         czech(want["projectCount"], "projekt", "projekty", "projektů")]))
    return want


def czech(n: int, one: str, few: str, other: str) -> str:
    """A count with the Czech noun form for it, written out here on its own: 1 projekt, 2–4 projekty, 5 projektů."""
    return f"{n} {one if n == 1 else few if 2 <= n <= 4 else other}"


def check_funding(tab: Page, url: str, region: str | None = None, programme: str | None = None) -> None:
    """The three funding tables and charts hold /graphql's fundingSummary for these filters, in Czech format."""
    for by, name in [("PROGRAMME", "programme"), ("YEAR", "year"), ("FUNDING_SOURCE", "source")]:
        want = ask(url, FUNDING, where=where(region, programme), by=by)["fundingSummary"]
        rows = tab.table(f"table-{name}")
        assert [(r["key"], r["amount"], int(r["projects"])) for r in rows] == [
            (g["key"] or "", g["total"]["amount"], g["projectCount"]) for g in want["groups"]], by
        for row, group in zip(rows, want["groups"]):
            assert plain(row["cells"][2]) == stated(group)
            assert plain(row["cells"][1]) == str(group["projectCount"])
            if by == "FUNDING_SOURCE":  # the model's name of the source, as the API gives it
                assert row["cells"][0] == (FundingSource(group["key"]).cs if group["key"] else "Neuvedeno")
        charted = tab.js(f"() => window.kpssDashboard.charts['{name}'].data.datasets[0].data")
        assert [Decimal(str(v)) for v in charted] == [Decimal(g["total"]["amount"]) for g in want["groups"]], by
        if by == "PROGRAMME":
            summary = plain(tab.page.locator("#funding-summary").inner_text())
            unstated = want["projectsWithoutAmount"]
            assert summary == (f"{czech(want['projectCount'], 'projekt', 'projekty', 'projektů')}, celkové náklady {czk(want['total']['amount'])}"
                               + (f" ({unstated} bez uvedených nákladů)" if unstated else ""))


OUTPUTS = """query($where: ProjectFilter) { outputs(where: {project: $where}, first: 100) {
  nodes { id name kindName start end producedBy { name } } } }"""


def check_outputs(tab: Page, url: str, region: str | None = None) -> list[dict]:
    """The table of what planning produced holds /graphql's outputs of the filtered projects, with the
    period each plan is for and the projects that produced it."""
    want = ask(url, OUTPUTS, where=where(region, None))["outputs"]["nodes"]
    shown = tab.js("""() => [...document.querySelectorAll('#outputs-table tbody tr')].map((tr) => ({
        id: tr.dataset.id, cells: [...tr.cells].map((c) => c.textContent) }))""")
    assert [r["id"] for r in shown] == [o["id"] for o in want]
    for r, o in zip(shown, want):
        years = o["start"] if o["start"] == o["end"] else f"{o['start']}–{o['end']}"
        assert r["cells"][0] == o["name"] and r["cells"][1] == (o["kindName"] or "Neuvedeno") and r["cells"][2] == years
        assert r["cells"][3] == "; ".join(p["name"] for p in o["producedBy"])
    return want


def painted_pixels(tab: Page, selector: str) -> int:
    """How many pixels the canvases under ``selector`` have drawn (not transparent)."""
    return tab.js(f"""() => [...document.querySelectorAll('{selector} canvas')].reduce((sum, canvas) => {{
        if (!canvas.width || !canvas.height) return sum;
        const data = canvas.getContext('2d').getImageData(0, 0, canvas.width, canvas.height).data;
        let painted = 0;
        for (let i = 3; i < data.length; i += 4) if (data[i] > 0) painted++;
        return sum + painted; }}, 0)""")


@pytest.mark.slow
def test_dashboard_in_chromium_shows_the_network_and_funding_the_api_answers(server, browser):
    tab = Page(browser, server)
    try:
        tab.open()
        page = tab.page
        assert page.locator("html").get_attribute("lang") == "cs"
        everything = check_network(tab, server)
        check_funding(tab, server)
        all_outputs = check_outputs(tab, server)

        # The filters come from the `regions` and `programmes` queries.
        options = ask(server, "{ regions { code } programmes { code } }")
        region_values = page.locator("#region option").evaluate_all("os => os.map((o) => o.value)")
        assert sorted(v for v in region_values if v) == sorted(r["code"] for r in options["regions"])
        programme_values = page.locator("#programme option").evaluate_all("os => os.map((o) => o.value)")
        assert sorted(v for v in programme_values if v) == sorted(p["code"] for p in options["programmes"])

        # Choosing Zlínský kraj changes both views to its projects; the choice goes into the URL.
        page.select_option("#region", "CZ072")
        tab.shown("region=CZ072")
        assert page.url.endswith("/dashboard?region=CZ072")
        zlin = check_network(tab, server, region="CZ072")
        assert sorted(n["id"] for n in zlin["nodes"]) != sorted(n["id"] for n in everything["nodes"])
        check_funding(tab, server, region="CZ072")
        assert len(check_outputs(tab, server, region="CZ072")) < len(all_outputs)
        heavy = [e for e in zlin["edges"] if e["weight"] == 2]
        assert heavy, "the two Otrokovice projects share partners"
        assert tab.js("() => window.kpssDashboard.cy.edges('[weight = 2]').length") == len(heavy)
        # Heavier edges are drawn wider.
        widths = tab.js("""() => { const cy = window.kpssDashboard.cy;
            return [cy.edges('[weight = 1]')[0].renderedStyle('width'), cy.edges('[weight = 2]')[0].renderedStyle('width')]; }""")
        assert float(widths[1].rstrip("px")) > float(widths[0].rstrip("px"))
        assert painted_pixels(tab, "#network") > 5000
        assert painted_pixels(tab, ".charts") > 5000

        # Clicking a node shows its details, formatted the Czech way.
        busiest = max(zlin["nodes"], key=lambda n: (n["weightedDegree"], n["name"]))
        box = page.locator("#network").bounding_box()
        x, y = tab.js(f"""() => {{ const p = window.kpssDashboard.cy.getElementById({busiest['id']!r}).renderedPosition();
            return [p.x, p.y]; }}""")
        page.mouse.click(box["x"] + x, box["y"] + y)
        details = page.locator("#details-list")
        details.wait_for(state="visible")
        assert details.get_attribute("data-id") == busiest["id"]
        shown = dict(zip([plain(t) for t in details.locator("dt").all_inner_texts()],
                         [plain(t) for t in details.locator("dd").all_inner_texts()]))
        assert shown["Název"] == busiest["name"]
        assert shown["Projekty"] == str(busiest["projectCount"])
        assert shown["Celkové náklady projektů"] == czk(busiest["totalFunding"]["amount"])
        assert shown["Stupeň (počet partnerů)"] == str(busiest["degree"])
        assert shown["Vážený stupeň"] == str(busiest["weightedDegree"])
        assert shown["Zprostředkování mezi partnery (mezilehlost)"] == f"{busiest['betweenness']:.4f}".rstrip("0").rstrip(".").replace(".", ",")
        assert tab.js("() => window.kpssDashboard.cy.$(':selected').map((n) => n.id())") == [busiest["id"]]

        # Node size follows the chosen measure.
        page.select_option("#size-by", "weightedDegree")
        sizes = tab.js("() => Object.fromEntries(window.kpssDashboard.cy.nodes().map((n) => [n.id(), n.width()]))")
        by_degree = sorted(zlin["nodes"], key=lambda n: n["weightedDegree"])
        assert sizes[by_degree[-1]["id"]] > sizes[by_degree[0]["id"]]

        # Clicking an edge where nothing else lies shows the two organisations and their shared projects.
        # (Free: no node and no other edge passes within a few pixels of its midpoint.)
        x, y = tab.js("""() => { const cy = window.kpssDashboard.cy;
            const away = (m, a, b) => { const dx = b.x - a.x, dy = b.y - a.y;
                const t = Math.max(0, Math.min(1, ((m.x - a.x) * dx + (m.y - a.y) * dy) / (dx * dx + dy * dy || 1)));
                return Math.hypot(m.x - a.x - t * dx, m.y - a.y - t * dy) > 8; };
            const free = cy.edges().filter((e) => { const m = e.renderedMidpoint();
                return cy.nodes().every((n) => { const b = n.renderedBoundingBox({ includeLabels: true });
                    return m.x < b.x1 - 4 || m.x > b.x2 + 4 || m.y < b.y1 - 4 || m.y > b.y2 + 4; })
                  && cy.edges().every((o) => o === e || away(m, o.renderedSourceEndpoint(), o.renderedTargetEndpoint())); });
            const m = free[0].renderedMidpoint(); return [m.x, m.y]; }""")
        page.mouse.click(box["x"] + x, box["y"] + y)
        page.locator("#details-list dt", has_text="Společné projekty").wait_for()
        source, target = details.get_attribute("data-id").split(" ")
        weight = {(e["source"], e["target"]): e["weight"] for e in zlin["edges"]}[(source, target)]
        names = {n["id"]: n["name"] for n in zlin["nodes"]}
        assert [plain(t) for t in details.locator("dd").all_inner_texts()] == [names[source], names[target], str(weight)]
        assert page.locator("#details-more li a").count() == weight

        SCREENSHOT.parent.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(SCREENSHOT), full_page=True)

        # The table of organisations picks a node too (the way from the keyboard).
        page.locator("#network-table").locator("xpath=..").locator("summary").click()
        quiet = min(zlin["nodes"], key=lambda n: (n["weightedDegree"], n["name"]))
        page.get_by_role("button", name=quiet["name"], exact=True).focus()
        page.keyboard.press("Enter")
        page.locator(f'#details-list[data-id="{quiet["id"]}"]').wait_for()
        assert tab.js("() => window.kpssDashboard.cy.$(':selected').map((n) => n.id())") == [quiet["id"]]


        # Region and programme together; then another kraj, straight from a shared URL.
        page.select_option("#programme", "CZ.1.04")
        tab.shown("region=CZ072&programme=CZ.1.04")
        check_network(tab, server, region="CZ072", programme="CZ.1.04")
        check_funding(tab, server, region="CZ072", programme="CZ.1.04")
        tab.open("region=CZ071")
        assert page.locator("#region").input_value() == "CZ071"
        check_network(tab, server, region="CZ071")
        check_funding(tab, server, region="CZ071")

        assert tab.errors == []
        assert all(urlsplit(u).hostname == "127.0.0.1" for u in tab.requests), tab.requests
        # The libraries came from this server, and the data from its /graphql.
        paths = {urlsplit(u).path for u in tab.requests}
        assert {"/dashboard/assets/cytoscape.esm.min.mjs", "/dashboard/assets/chart.umd.min.js", "/graphql"} <= paths
    finally:
        tab.close()


@pytest.mark.slow
def test_a_region_without_partnerships_says_so_on_a_phone_too(server, browser):
    """A kraj with no projects in the bundled data: an empty network and empty tables, and no errors;
    on a phone-sized screen nothing is wider than the screen."""
    regions = [r["code"] for r in ask(server, "{ regions(nutsLevel: 3) { code } }")["regions"]]
    empty = next(code for code in regions if not ask(server, NETWORK, where=where(code))["partnershipNetwork"]["nodes"])
    tab = Page(browser, server, width=400)
    try:
        tab.open(f"region={empty}")
        assert tab.page.locator("#network-empty").is_visible()
        check_network(tab, server, region=empty)
        check_funding(tab, server, region=empty)
        assert tab.js("() => document.documentElement.scrollWidth") <= 400
        assert tab.errors == []
    finally:
        tab.close()


@pytest.mark.slow
def test_the_funding_tables_keep_to_their_own_boxes_at_1280_px(server, browser):
    """At a laptop's 1280 px the three funding tables stand side by side; no table's cells run into the
    next table or out of the section."""
    tab = Page(browser, server, width=1280)
    try:
        tab.open()
        # Each table's box: where its cells reach, unless the box scrolls them (then they are clipped to it).
        boxes = tab.js("""() => [...document.querySelectorAll('.tables > *')].map((box) => {
            const rect = box.getBoundingClientRect(), scrolls = getComputedStyle(box).overflowX === 'auto';
            const cells = [...box.querySelectorAll('.funding-table th, .funding-table td')].map((c) => c.getBoundingClientRect().right);
            return { left: rect.left, top: rect.top, right: scrolls ? rect.right : Math.max(rect.right, ...cells),
                     cells: cells.length, section: box.closest('section').getBoundingClientRect().right }; })""")
        assert len(boxes) == 3 and all(b["cells"] and b["right"] <= b["section"] for b in boxes), boxes
        for left, right in zip(boxes, boxes[1:]):
            if abs(left["top"] - right["top"]) < 1:  # side by side
                assert left["right"] <= right["left"], boxes
        assert tab.js("() => document.documentElement.scrollWidth") <= 1280 and tab.errors == []
    finally:
        tab.close()


def test_the_dashboard_libraries_are_pinned():
    """package.json pins exact versions, and the lock file and node_modules hold those."""
    folder = MODULES.parent
    pinned = json.loads((folder / "package.json").read_text())["dependencies"]
    lock = json.loads((folder / "package-lock.json").read_text())["packages"]
    for name, version in pinned.items():
        assert version[0].isdigit(), f"{name} is not pinned to one version: {version}"
        assert lock[f"node_modules/{name}"]["version"] == version
        installed = json.loads((MODULES / name / "package.json").read_text())["version"]
        assert installed == version, f"{name} {installed} installed, {version} pinned: run `make setup`"


MAP = """query($where: ProjectFilter) { projects(where: $where, first: 100) { edges { node {
  covers { __typename ... on Municipality { id latitude } ... on Orp { municipalities { id latitude } }
           ... on Microregion { municipalities { id latitude } } }
  participations { organisation { id seat { id latitude } } } } } } }"""


def expected_map(url: str, region: str | None = None) -> tuple[set[str], set[str]]:
    """The municipalities the projects cover (directly or through an ORP district or microregion)
    and the organisations taking part seated at a known point, as /graphql answers for the filter."""
    projects = [e["node"] for e in ask(url, MAP, where=where(region))["projects"]["edges"]]
    places = {m["id"] for p in projects for c in p["covers"]
              for m in ([c] if c["__typename"] == "Municipality" else c.get("municipalities", [])) if m["latitude"] is not None}
    seats = {x["organisation"]["id"] for p in projects for x in p["participations"]
             if (x["organisation"]["seat"] or {}).get("latitude") is not None}  # abroad: a seat without a point
    return places, seats


@pytest.mark.slow
def test_the_map_shows_where_the_projects_are_and_where_their_organisations_sit(server, browser):
    tab = Page(browser, server)
    try:
        for region in (None, "CZ072"):
            tab.open(f"region={region}" if region else "")
            places, seats = expected_map(server, region)
            drawn = tab.js("() => ({ places: [...window.kpssDashboard.places.keys()], "
                           "seats: [...window.kpssDashboard.seats.keys()] })")
            assert places and seats and (set(drawn["places"]), set(drawn["seats"])) == (places, seats)
            # Every point is drawn inside the map's box, over Czechia's border (an SVG path of its own).
            assert tab.page.locator("#map path.leaflet-interactive").count() == len(places) + len(seats)
        # A seat leads to the organisation's details, the same as picking it in the network.
        nodes = {n["id"] for n in ask(server, NETWORK, where=where("CZ072"))["partnershipNetwork"]["nodes"]}
        organisation = sorted(seats & nodes)[0]
        tab.page.locator(f'#map path[data-id="{organisation}"]').dispatch_event("click")
        assert tab.page.locator("#details-list").get_attribute("data-id") == organisation
        assert tab.js("() => window.kpssDashboard.cy.$(':selected').map((n) => n.id())") == [organisation]
        # A municipality leads to the projects covering it.
        place = sorted(places)[0]
        tab.page.locator(f'#map path[data-id="{place}"]').dispatch_event("click")
        assert tab.page.locator("#details-list").get_attribute("data-id") == place
        assert tab.page.locator('#details-more a[href^="/id/project/"]').count() >= 1
        assert tab.errors == []
        assert all(urlsplit(u).hostname == "127.0.0.1" for u in tab.requests), tab.requests  # no tiles, nothing outside
        assert {"/dashboard/assets/leaflet-src.esm.js", "/dashboard/assets/countries-50m.json"} <= {urlsplit(u).path for u in tab.requests}
    finally:
        tab.close()
    phone = Page(browser, server, width=400)
    try:
        phone.open("region=CZ072")
        assert phone.page.locator("#map").is_visible() and phone.js("() => document.documentElement.scrollWidth") <= 400
        assert phone.errors == []
    finally:
        phone.close()


def test_the_dashboard_writes_no_label_of_the_models_code_lists():
    """Kinds and funding sources are named by the API (the model's labels), so they cannot drift."""
    script = ASSETS["dashboard.js"][0].read_text(encoding="utf-8")
    written = {value.cs for enum in (OrganisationKind, FundingSource, OutputKind) for value in enum if f": '{value.cs}'" in script}  # as a value of a map
    assert not written, written


PRODUCERS = "{ outputs(first: 100) { nodes { producedBy { registrationNumber } } } }"
PROJECT = """query($n: String!) { project(registrationNumber: $n) {
  outputs { id name kindName start end } workingGroups { id name } targetGroups { id name }
  covers { __typename ... on Municipality { id latitude } ... on Orp { municipalities { id latitude } }
           ... on Microregion { municipalities { id latitude } } } } }"""


def period(output: dict) -> str:
    """The years a plan is for, as the page writes them: 2015–2019, 2022."""
    start, end = output["start"], output["end"]
    if not start and not end:
        return ""
    return start if start == end or not end else f"{start or ''}–{end}"


@pytest.mark.slow
def test_a_project_picked_in_the_details_shows_what_it_produced(server, browser):
    """A project named in a place's details opens its own: its plans, analyses and surveys with their
    kind and period, its working groups and target groups, as /graphql answers for it."""
    producers = sorted({p["registrationNumber"] for o in ask(server, PRODUCERS)["outputs"]["nodes"] for p in o["producedBy"]})
    candidates = []
    for number in producers:
        project = ask(server, PROJECT, n=number)["project"]
        places = sorted(m["id"] for c in project["covers"]
                        for m in ([c] if c["__typename"] == "Municipality" else c.get("municipalities", [])) if m["latitude"] is not None)
        if places:  # the richest first: the most working and target groups
            candidates.append((-len(project["workingGroups"]) - len(project["targetGroups"]), number, places[0], project))
    assert candidates, "no project with outputs covers a place on the map"
    _, number, place, project = min(candidates)
    tab = Page(browser, server)
    try:
        tab.open()
        page = tab.page
        page.locator(f'#map path[data-id="{place}"]').dispatch_event("click")
        page.locator(f'#details-list[data-id="{place}"]').wait_for()
        page.locator(f'#details-more a[href="/id/project/{quote(number, safe="")}"]').click()
        page.locator(f'#details-list[data-id="{number}"]').wait_for()
        shown = dict(zip([plain(t) for t in page.locator("#details-list dt").all_inner_texts()],
                         [plain(t) for t in page.locator("#details-list dd").all_inner_texts()]))
        assert shown["Registrační číslo"] == number
        expected = {
            "#project-outputs": [(o["id"], f"{o['kindName']}: {o['name']}" + (f" ({period(o)})" if period(o) else ""))
                                 for o in project["outputs"]],
            "#project-working-groups": [(g["id"], g["name"]) for g in project["workingGroups"]],
            "#project-target-groups": [(g["id"], g["name"]) for g in project["targetGroups"]],
        }
        assert expected["#project-outputs"]
        for box, items in expected.items():
            found = page.locator(f"{box} li")
            assert sorted(zip([found.nth(i).get_attribute("data-id") for i in range(found.count())],
                              [plain(t) for t in found.all_inner_texts()])) == sorted(items), box
        assert page.locator(f'#details-more a.record[href="/id/project/{quote(number, safe="")}"]').count() == 1
        assert tab.errors == []
    finally:
        tab.close()

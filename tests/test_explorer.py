"""The GraphiQL explorer at /graphql: its files come from this server only, and in Debian's chromium
with every other host unreachable it runs a query and shows the answer /graphql gives."""

from __future__ import annotations

import json
from pathlib import Path
from urllib.parse import urlsplit

import httpx
import pytest

from server.app import create_app
from server.graphiql import ASSETS, MODULES
from tests.support import BACKENDS, live_server, load_bundled, server_env
from tests.test_dashboard import CHROMIUM, CHROMIUM_ARGS
from tests.test_security_headers import BROWSER, directives

QUERY = "{ programmes { code name } }"


async def test_the_explorer_page_and_its_files_come_from_this_server(bundled_store):
    transport = httpx.ASGITransport(app=create_app(store=bundled_store))
    async with httpx.AsyncClient(transport=transport, base_url="http://test") as client:
        page = await client.get("/graphql", headers={"Accept": BROWSER})
        assert page.status_code == 200 and page.headers["content-type"].startswith("text/html")
        assert "unpkg" not in page.text and "https://" not in page.text
        policy = directives(page.headers["content-security-policy"])
        assert policy["script-src"] == ["'self'"] and policy["style-src"] == ["'self'"] and policy["connect-src"] == ["'self'"]
        assert policy["default-src"] == ["'none'"] and policy["frame-ancestors"] == ["'none'"]
        for name, (path, media_type) in ASSETS.items():
            response = await client.get(f"/graphql/assets/{name}")
            assert response.status_code == 200, (name, response.text)
            assert response.headers["content-type"].startswith(media_type)
            assert response.content == path.read_bytes()
        for name in ["package.json", "index.html", "..%2Fpackage.json", "react.development.js"]:
            assert (await client.get(f"/graphql/assets/{name}")).status_code == 404, name
        # GraphQL itself still answers on the same path.
        answer = await client.post("/graphql", json={"query": QUERY})
        assert answer.status_code == 200 and answer.json()["data"]["programmes"]


@pytest.fixture(scope="module", params=BACKENDS)
def server(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory):
    env = server_env(request.param, tmp_path_factory.mktemp("explorer"))
    load_bundled(env)
    with live_server(env) as url:
        yield url


@pytest.mark.slow
def test_graphiql_runs_a_query_in_chromium_without_network(server):
    if not Path(CHROMIUM).exists():
        pytest.fail(f"{CHROMIUM} is missing: `apt-get install chromium chromium-driver` (.ci/run does it)")
    if not (MODULES / "graphiql").is_dir():
        pytest.fail("the explorer's npm libraries are missing: `npm ci --prefix server/explorer` (`make setup` does it)")
    from playwright.sync_api import sync_playwright

    own = urlsplit(server).netloc
    refused: list[str] = []
    errors: list[str] = []

    def only_this_server(route):
        if urlsplit(route.request.url).netloc == own:
            route.continue_()
        else:
            refused.append(route.request.url)
            route.abort("internetdisconnected")

    want = httpx.post(f"{server}/graphql", json={"query": QUERY}, timeout=30).json()
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            context = chromium.new_context()
            context.route("**/*", only_this_server)
            page = context.new_page()
            page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
            page.on("pageerror", lambda e: errors.append(str(e)))
            page.goto(f"{server}/graphql?q={QUERY}")
            run = page.locator(".graphiql-execute-button")
            run.wait_for(timeout=60_000)
            run.click()
            result = page.locator(".result-window .CodeMirror")
            result.locator("text=programmes").wait_for(timeout=60_000)
            shown = page.evaluate("() => document.querySelector('.result-window .CodeMirror').CodeMirror.getValue()")
        finally:
            chromium.close()
    assert json.loads(shown) == want
    assert refused == [] and errors == [], (refused, errors)

"""Security headers on every HTML page, a policy that lets each page run as it is (checked in
chromium), and error messages that quote at most a short prefix of what they refuse."""

from __future__ import annotations

from pathlib import Path

import httpx
import pytest

from server.app import create_app
from tests.support import indexed_app, live_server, load_bundled, server_env
from tests.test_dashboard import CHROMIUM, CHROMIUM_ARGS

BROWSER = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"
PAGES = ["/id/project/CZ.1.04%2F3.1.03%2F65.00042", "/ontology", "/rdf/catalog", "/sparql", "/graphql", "/dashboard"]
HUGE = "x" * 100_000
LONG = "x" * 60_000  # the longest a URL may be in httpx


def client(store) -> httpx.AsyncClient:
    return httpx.AsyncClient(transport=httpx.ASGITransport(app=create_app(store=store)), base_url="http://test")


def directives(policy: str) -> dict[str, list[str]]:
    return {d.split()[0]: d.split()[1:] for d in (p.strip() for p in policy.split(";")) if d}


async def test_every_html_page_has_the_security_headers(bundled_store):
    async with client(bundled_store) as c:
        for path in PAGES:
            r = await c.get(path, headers={"Accept": BROWSER})
            assert r.status_code == 200 and r.headers["content-type"].startswith("text/html"), path
            policy = directives(r.headers["content-security-policy"])
            assert policy["frame-ancestors"] == ["'none'"] and policy["default-src"] == ["'none'"], path
            assert r.headers["x-content-type-options"] == "nosniff", path
            assert r.headers["referrer-policy"], path
        # Not only HTML: no response may be sniffed into something else.
        assert (await c.get("/rdf/dump.ttl?region=CZ072")).headers["x-content-type-options"] == "nosniff"


async def test_errors_quote_only_a_short_prefix_of_what_they_refuse(bundled_store):
    # A query waits for the SPARQL index (a 503 while it is built), which is not what this is about.
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=await indexed_app(bundled_store)),
                                 base_url="http://test") as c:
        answers = [
            await c.get(f"/id/project/{LONG}"),
            await c.get("/rdf/dump.ttl", params={"region": LONG}),
            await c.get("/rdf/dump.ttl", params={"programme": LONG}),
            await c.get(f"/rdf/dump.{LONG}"),
            await c.get("/sparql", params={"query": "SELECT * WHERE { " + LONG + " }"}),
            await c.post("/sparql", content=("ASK {" + "<" + HUGE).encode(), headers={"Content-Type": "application/sparql-query"}),
            await c.post("/graphql", json={"query": "{ " + HUGE + " }"}),
            await c.post("/graphql", json={"query": '{ project(registrationNumber: "' + HUGE + '") { name } }'}),
            await c.post("/graphql", json={"query": "{ projects(where: {region: \"" + HUGE + "\"}) { totalCount } }"}),
            await c.post("/graphql", content=b'{"query": "' + HUGE.encode(), headers={"Content-Type": "application/json"}),
        ]
    for r in answers:
        assert r.status_code < 500 and len(r.content) < 2_000, (r.request.url.path[:60], r.status_code, len(r.content))


@pytest.mark.slow
def test_the_pages_run_under_their_policy_in_chromium(tmp_path):
    """No page breaks its own policy: chromium reports every refused script, style or frame."""
    if not Path(CHROMIUM).exists():
        pytest.fail(f"{CHROMIUM} is missing: `apt-get install chromium chromium-driver` (.ci/run does it)")
    from playwright.sync_api import sync_playwright

    env = server_env("embedded", tmp_path)  # the pages' policies do not depend on the store
    load_bundled(env)
    with live_server(env) as url, sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            page = chromium.new_page()
            messages: list[str] = []
            page.on("console", lambda m: messages.append(m.text))
            for path in ("/id/project/CZ.1.04%2F3.1.03%2F65.00042", "/sparql", "/graphql"):
                page.goto(url + path, wait_until="load")
            # The /id/ page keeps its style: the inline stylesheet is allowed by its hash.
            page.goto(url + PAGES[0], wait_until="load")
            assert page.evaluate("getComputedStyle(document.body).fontFamily") == "sans-serif"
        finally:
            chromium.close()
    refused = [m for m in messages if "Content Security Policy" in m]
    assert refused == []

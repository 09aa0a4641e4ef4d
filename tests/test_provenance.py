"""Every fact's source, span and words over GraphQL: participations, funding shares and a
project's own facts (dates, amounts) name the document, its address, the span and its text."""

from __future__ import annotations

import httpx
import pytest

from loaders.page import read_page
from loaders.pipeline import BUNDLED_DIR, load_paths
from server.app import create_app
from tests.support import BACKENDS, fresh_store

SEEDS = BUNDLED_DIR.parent / "seeds"
PROVENANCE = "sources { span quote address document { id uri } }"
QUERY = """query($n: String!) { project(registrationNumber: $n) {
  participations { organisation { name } %s }
  funding { source %s }
  provenance { fact span quote address }
} }""" % (PROVENANCE, PROVENANCE)


@pytest.mark.parametrize("backend", BACKENDS)
async def test_facts_of_a_page_name_their_document_span_and_words(backend, tmp_path):
    page = sorted(SEEDS.glob("*.txt"))[0]
    doc = read_page(page)
    [project] = doc.dataset.projects
    store = await fresh_store(backend, tmp_path)
    try:
        await load_paths(store, [page])
        async with httpx.AsyncClient(transport=httpx.ASGITransport(app=create_app(store=store)), base_url="http://t") as client:
            body = (await client.post("/graphql", json={"query": QUERY, "variables": {"n": project.registration_number}})).json()
    finally:
        await store.close()
    assert "errors" not in body, body
    got = body["data"]["project"]
    text = doc.text
    for part in got["participations"]:
        [source] = part["sources"]
        start, end = (int(x) for x in source["span"].split("-"))
        assert source["quote"] == text[start:end].strip().split("\n")[0].strip()  # the page's own words
        assert source["document"]["id"] == doc.source.id and source["address"] == doc.source.uri
        assert part["organisation"]["name"] and len(source["quote"]) <= 160
    assert got["funding"] and all(s["span"] and s["quote"] for share in got["funding"] for s in share["sources"])
    facts = {p["fact"]: p for p in got["provenance"]}
    assert {"registration_number", "start", "end", "total_cost_czk"} <= facts.keys(), facts.keys()
    start, end = (int(x) for x in facts["total_cost_czk"]["span"].split("-"))
    assert facts["total_cost_czk"]["quote"] == text[start:end].strip().split("\n")[0].strip()

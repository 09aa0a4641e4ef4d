"""HTTP: GraphQL and health over the bundled data, in-process and on a live server."""

from __future__ import annotations


import httpx
import pytest

from server.app import create_app
from tests.support import live_server, load_bundled, server_env

QUERY = '{ project(registrationNumber: "CZ.1.04/5.1.01/12.00075") { name participations { role organisation { name } } } }'


def _partners(body: dict) -> list[str]:
    assert "errors" not in body, body
    parts = body["data"]["project"]["participations"]
    return [p["organisation"]["name"] for p in parts if p["role"] == "PARTNER"]


async def test_graphql_project_with_its_partners(bundled_store):
    transport = httpx.ASGITransport(app=create_app(store=bundled_store))
    async with httpx.AsyncClient(transport=transport, base_url="http://test") as client:
        body = (await client.post("/graphql", json={"query": QUERY})).json()
        assert body["data"]["project"]["name"] == "Mezinárodní spolupráce v komunitním plánování sociálních služeb"
        partners = _partners(body)
        assert len(partners) == 19 and "Newcastle City Council" in partners
        missing = (await client.post("/graphql", json={"query": '{ project(registrationNumber: "X") { name } }'})).json()
        assert missing == {"data": {"project": None}, "extensions": {"cost": 2}}
        bad = await client.post("/graphql", json={"query": "{ project { nosuchfield } }"})
        assert bad.status_code == 200 and bad.json()["errors"]
        assert (await client.get("/health/ready")).json()["status"] == "ok"


@pytest.mark.slow
def test_kpss_serve_answers_on_a_live_server(backend, tmp_path):
    env = server_env(backend, tmp_path)
    load_bundled(env)
    with live_server(env) as url:
        assert len(_partners(httpx.post(f"{url}/graphql", json={"query": QUERY}).json())) == 19
        explorer = httpx.get(f"{url}/graphql", headers={"Accept": "text/html"})
        assert explorer.status_code == 200 and "graphiql" in explorer.text.lower()

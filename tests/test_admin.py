"""Writes over HTTP: off without a token, 401 without the right one, a body size limit; and
`kpss load` while `kpss serve` is up, a reader meanwhile seeing the old graph or the new, never an
error or a mix — on each backend."""

from __future__ import annotations

import base64
import subprocess
import sys
import threading
from pathlib import Path

import httpx
import pytest
from pydantic import SecretStr

from kpss.settings import DATA_DIR
from server.app import create_app
from tests.bundled import bundled_projects
from tests.support import BACKENDS, live_server, server_env, store_settings

COUNT = "{ projects { totalCount } }"
TOKEN = "s3cret-token-for-the-test"
SEED = DATA_DIR / "bundled" / "zlinsky-kraj-planovani.yaml"


def app_settings(backend: str, folder: Path, **update):
    # A time limit no query nears, generous for a cold Neo4j on a busy machine: limits are tested elsewhere.
    return store_settings(backend, folder).model_copy(update={"query_timeout_s": 120.0, **update})


def upload(*paths: Path) -> dict:
    return {"files": [{"name": p.name, "content": base64.b64encode(p.read_bytes()).decode()} for p in paths]}


def client(app) -> httpx.AsyncClient:
    return httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://test")


async def project_count(c: httpx.AsyncClient) -> int:
    body = (await c.post("/graphql", json={"query": COUNT})).json()
    assert "errors" not in body, body
    return body["data"]["projects"]["totalCount"]


async def test_writes_are_off_without_a_token(empty_store, backend, tmp_path):
    for token in (None, SecretStr("")):  # unset, or set empty (as .env.example leaves it)
        settings = app_settings(backend, tmp_path, admin_token=token)
        async with client(create_app(settings, store=empty_store)) as c:
            for auth in ("Bearer anything", "Bearer "):
                r = await c.post("/admin/load", json=upload(SEED), headers={"Authorization": auth})
                assert r.status_code == 403 and "KPSS_ADMIN_TOKEN" in r.json()["error"]
            assert await project_count(c) == 0


async def test_a_write_needs_the_token_and_then_loads(empty_store, backend, tmp_path):
    settings = app_settings(backend, tmp_path, admin_token=SecretStr(TOKEN))
    async with client(create_app(settings, store=empty_store)) as c:
        for headers in ({}, {"Authorization": "Bearer wrong"}, {"Authorization": f"Basic {TOKEN}"},
                        {"Authorization": f"Bearer {TOKEN[:-1]}"}):
            r = await c.post("/admin/load", json=upload(SEED), headers=headers)
            assert r.status_code == 401 and r.headers["www-authenticate"].startswith("Bearer"), headers
        assert await project_count(c) == 0
        auth = {"Authorization": f"Bearer {TOKEN}"}
        r = await c.post("/admin/load", json=upload(SEED), headers=auth)
        assert r.status_code == 200 and r.json()["counts"]["Project"]["created"] >= 1, r.text
        loaded = await project_count(c)
        assert loaded == r.json()["counts"]["Project"]["created"]
        # The same load again changes nothing; a dry run writes nothing.
        again = (await c.post("/admin/load", json=upload(SEED), headers=auth)).json()
        assert again["counts"]["Project"] == {"created": 0, "updated": 0, "unchanged": loaded}
        # Bad input: a clear error naming the file as the client named it, nothing written.
        bad = await c.post("/admin/load", headers=auth, json={"files": [
            {"name": "projects.yaml", "content": base64.b64encode(b"projects: [{name: 1}]").decode()}]})
        assert bad.status_code == 422 and bad.json()["problems"][0].startswith("projects.yaml"), bad.text
        for body in ({"files": "x"}, {"files": [{"name": "a.yaml", "content": "not base64!"}]}, {"files": []}, [1]):
            assert (await c.post("/admin/load", json=body, headers=auth)).status_code == 400, body
        assert await project_count(c) == loaded
        # GET is no write.
        assert (await c.get("/admin/load", headers=auth)).status_code == 405


async def test_request_bodies_have_a_size_limit(empty_store, backend, tmp_path):
    settings = app_settings(backend, tmp_path, admin_token=SecretStr(TOKEN), max_body_bytes=10_000,
                            max_upload_bytes=20_000)
    async with client(create_app(settings, store=empty_store)) as c:
        big = "#" + "x" * 15_000 + "\nASK { ?s ?p ?o }"
        r = await c.post("/sparql", content=big.encode(), headers={"Content-Type": "application/sparql-query"})
        assert r.status_code == 413 and "KPSS_MAX_BODY_BYTES" in r.text
        r = await c.post("/admin/load", content=b"x" * 30_000, headers={"Authorization": f"Bearer {TOKEN}"})
        assert r.status_code == 413 and "KPSS_MAX_UPLOAD_BYTES" in r.text
        # Without a length declared (chunked), the limit holds all the same.
        async def chunks():
            for _ in range(30):
                yield b"x" * 1000
        r = await c.post("/admin/load", content=chunks(), headers={"Authorization": f"Bearer {TOKEN}"})
        assert r.status_code == 413
        assert (await c.post("/graphql", json={"query": "{ programmes { code } }"})).status_code == 200


@pytest.mark.slow
@pytest.mark.parametrize("backend", BACKENDS)
def test_kpss_load_while_kpss_serve_is_up(backend, tmp_path):
    """The server answers with the new data afterwards; a client asking all along sees the count
    before the load or after it, and never an error."""
    env = server_env(backend, tmp_path)
    subprocess.run([sys.executable, "-m", "kpss", "load", str(SEED)], env=env, check=True, capture_output=True)
    with live_server(env) as url:
        before = httpx.post(f"{url}/graphql", json={"query": COUNT}, timeout=60).json()["data"]["projects"]["totalCount"]
        seen: list[object] = []
        stop = threading.Event()

        def ask() -> None:
            with httpx.Client(base_url=url, timeout=120) as c:
                while not stop.is_set():
                    r = c.post("/graphql", json={"query": COUNT})
                    body = r.json()
                    seen.append(body["data"]["projects"]["totalCount"] if r.status_code == 200 and "errors" not in body
                                else f"{r.status_code}: {r.text[:300]}")

        reader = threading.Thread(target=ask)
        reader.start()
        try:
            load = subprocess.run([sys.executable, "-m", "kpss", "load"], env=env, capture_output=True, text=True)
        finally:
            stop.set()
            reader.join()
        assert load.returncode == 0, load.stderr
        after = len(bundled_projects())
        assert httpx.post(f"{url}/graphql", json={"query": COUNT}, timeout=60).json()["data"]["projects"]["totalCount"] == after
        assert before < after and seen
        wrong = [s for s in seen if s not in (before, after)]
        assert not wrong, wrong[:3]
        # Counts only go forward: never back to the old graph once the new one was seen.
        first_new = seen.index(after) if after in seen else len(seen)
        assert all(s == after for s in seen[first_new:]), "the old graph seen after the new"

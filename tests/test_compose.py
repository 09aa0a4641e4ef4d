"""The Docker Compose file (no Docker engine runs here, so its shape is checked)."""

from __future__ import annotations

import re

import yaml

from kpss.settings import REPO_ROOT

COMPOSE = REPO_ROOT / "docker-compose.yml"


def test_neo4j_is_pinned_healthchecked_persistent_and_password_free():
    text = COMPOSE.read_text(encoding="utf-8")
    spec = yaml.safe_load(text)
    neo4j = spec["services"]["neo4j"]
    assert re.fullmatch(r"neo4j:5\.\d+\.\d+-community", neo4j["image"])
    assert neo4j["healthcheck"]["test"]
    assert any(v.split(":")[0] in spec["volumes"] for v in neo4j["volumes"])
    assert "${KPSS_NEO4J_PASSWORD:?" in neo4j["environment"]["NEO4J_AUTH"]
    assert not re.search(r"NEO4J_AUTH:\s*neo4j/(?!\$\{)", text), "no literal password in the file"
    assert not re.search(r"^\s+KPSS_NEO4J_PASSWORD:\s*(?!\$\{)\S", text, re.M), "no literal password in the file"


def test_service_waits_for_neo4j_and_loads_on_first_start():
    kpss = yaml.safe_load(COMPOSE.read_text(encoding="utf-8"))["services"]["kpss"]
    assert kpss["depends_on"]["neo4j"]["condition"] == "service_healthy"
    assert kpss["environment"]["KPSS_BACKEND"] == "neo4j"
    assert "kpss load --if-empty" in " ".join(kpss["command"])


def test_the_service_restarts_and_is_checked_for_readiness():
    services = yaml.safe_load(COMPOSE.read_text(encoding="utf-8"))["services"]
    assert {s["restart"] for s in services.values()} == {"unless-stopped"}
    assert "/health/ready" in " ".join(services["kpss"]["healthcheck"]["test"])


def test_compose_runs_the_neo4j_the_tests_run():
    image = yaml.safe_load(COMPOSE.read_text(encoding="utf-8"))["services"]["neo4j"]["image"]
    pom = (REPO_ROOT / "tools" / "neo4j" / "pom.xml").read_text(encoding="utf-8")
    tested = re.search(r"<neo4j.version>(.+?)</neo4j.version>", pom)
    assert tested and image == f"neo4j:{tested.group(1)}-community"

"""GraphQL against a live `kpss serve`: latency percentiles and throughput of the API's main
questions at 1, 8 and 32 concurrent clients, beside the same server's `{ __typename }` (the
framework's floor: HTTP, parsing, validation, the limits, no store read)."""

from __future__ import annotations

import asyncio
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx

QUERIES = {
    "floor": "{ __typename }",
    "project_detail": ('query($r: String!) { project(registrationNumber: $r) { name start end '
                       'participations { role organisation { name } } funding { amount { amount } } } }'),
    "mission": ("{ programmes { code projects(first: 50) { edges { node { registrationNumber "
                "participations { role organisation { name } } } } } } }"),
    "co_partners": "query($o: ID!) { organisation(id: $o) { coPartners(first: 20) { totalCount } } }",
    "region_network": ('query($k: String!) { partnershipNetwork(where: {region: [$k]}) { projectCount communityCount '
                       'nodes { id degree community } } }'),
    "funding_summary": "{ fundingSummary(groupBy: PROGRAMME) { groups { key projectCount total { amount } } } }",
    "search": '{ search(text: "naděje") { totalCount } }',
}
CONCURRENCY = (1, 8, 32)


@contextmanager
def server(env: dict[str, str], ready_timeout_s: float = 3600) -> Iterator[str]:
    """`kpss serve` on a free loopback port, once the store answers and the SPARQL index (built in
    the background at start) is done, so that it does not compete with the measured requests. At S=4
    (some 21 million triples) that build took more than 30 minutes on a busy 2-core machine."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    log = tempfile.TemporaryFile()
    proc = subprocess.Popen([sys.executable, "-m", "kpss", "serve", "--port", str(port)], env=env,
                            stdout=subprocess.DEVNULL, stderr=log)
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + ready_timeout_s
        while _state(url) != "ready":
            if proc.poll() is not None:
                log.seek(0)
                raise RuntimeError(f"`kpss serve` exited with {proc.returncode}: {log.read().decode()[-2000:]}")
            if time.monotonic() > deadline:
                raise RuntimeError(f"`kpss serve` was not ready within {ready_timeout_s} s")
            time.sleep(0.5)
        yield url
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
        log.close()


def _state(url: str) -> str | None:
    try:
        return httpx.get(f"{url}/health/ready", timeout=10).json().get("sparql_index")
    except (httpx.TransportError, ValueError):
        return None


async def _cell(client: httpx.AsyncClient, query: str, variables: dict, concurrency: int, requests: int,
                budget_s: float, give_up: bool) -> dict:
    """``requests`` requests from ``concurrency`` clients (fewer when the time budget runs out; with
    ``give_up``, requests still unanswered at twice the budget are abandoned and counted)."""
    latencies: list[float] = []
    errors = 0
    start = time.perf_counter()
    sent = 0

    async def client_loop() -> None:
        nonlocal sent, errors
        while sent < requests and time.perf_counter() - start < budget_s:
            sent += 1
            t = time.perf_counter()
            response = await client.post("/graphql", json={"query": query, "variables": variables})
            latencies.append(time.perf_counter() - t)
            if response.status_code != 200 or "errors" in response.json():
                errors += 1

    # Requests still unanswered well past the budget are given up and counted as such.
    tasks = [asyncio.create_task(client_loop()) for _ in range(concurrency)]
    _, pending = await asyncio.wait(tasks, timeout=2 * budget_s if give_up else None)
    for task in pending:
        task.cancel()
    await asyncio.gather(*pending, return_exceptions=True)
    elapsed = time.perf_counter() - start
    ordered = sorted(latencies)

    def pct(p: float) -> float:
        return 1000 * ordered[min(len(ordered) - 1, round(p * (len(ordered) - 1)))] if ordered else float("nan")

    return {"requests": len(latencies), "unanswered": sent - len(latencies), "errors": errors,
            "p50_ms": pct(0.50), "p95_ms": pct(0.95), "p99_ms": pct(0.99), "rps": len(latencies) / elapsed,
            "noise": _spread(latencies)}


def _spread(latencies: list[float]) -> float:
    """(p90 - p10) / p50 of one cell's latencies."""
    if len(latencies) < 3:
        return float("nan")
    q = statistics.quantiles(latencies, n=10)
    return (q[-1] - q[0]) / statistics.median(latencies)


async def _measure(url: str, variables: dict, requests: int, budget_s: float, give_up: bool) -> dict:
    limits = httpx.Limits(max_connections=max(CONCURRENCY))
    async with httpx.AsyncClient(base_url=url, timeout=600, limits=limits) as client:
        out: dict[str, dict] = {}
        for name, query in QUERIES.items():
            body = (await client.post("/graphql", json={"query": query, "variables": variables})).json()  # warm up
            wrong = [e for e in body.get("errors", []) if e.get("extensions", {}).get("code") != "LIMIT_EXCEEDED"]
            if wrong:  # a question the server cannot answer measures nothing
                raise RuntimeError(f"{name}: {wrong[0]['message']}")
            out[name] = {f"c{c}": await _cell(client, query, variables, c, max(requests, c), budget_s, give_up)
                         for c in CONCURRENCY}
        return out


def run(db: Path, variables: dict, requests: int = 200, budget_s: float = 20.0, give_up: bool = True) -> dict:
    """Every question at every concurrency against a server on the embedded store at ``db``."""
    env = {**os.environ, "KPSS_DB_PATH": str(db), "KPSS_BACKEND": "embedded"}
    with server(env) as url:
        return asyncio.run(_measure(url, variables, requests, budget_s, give_up))

"""Liveness (the process answers) and readiness (the store answers) probes. Readiness also says
whether the SPARQL index is built ("ready"), "building" or "not built": only /sparql waits for it."""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import Route


async def live(request: Request) -> JSONResponse:
    return JSONResponse({"status": "ok"})


async def ready(request: Request) -> JSONResponse:
    health = await request.app.state.store.health()
    body = {"status": "ok" if health.ok else "unavailable", "backend": health.backend,
            "detail": health.detail, "latency_ms": round(health.latency_ms, 2),
            "sparql_index": request.app.state.sparql_index.state}
    return JSONResponse(body, status_code=200 if health.ok else 503)


def routes() -> list[Route]:
    return [Route("/health/live", live), Route("/health/ready", ready)]

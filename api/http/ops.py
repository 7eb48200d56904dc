"""Operations endpoints: liveness, readiness (stores reachable) and Prometheus metrics.

These are for load balancers and scrapers, so they take no API key; they expose no
member data and no configuration beyond whether each store answered.
"""

from __future__ import annotations

from typing import Any

from litestar import Request, Response, get
from litestar.status_codes import HTTP_200_OK, HTTP_503_SERVICE_UNAVAILABLE
from sqlalchemy import text

from api.http.metrics import CONTENT_TYPE_LATEST, render
from api.runtime import Runtime

__all__ = ["health", "metrics", "ready"]

_OPS = {"tags": ["operations"], "opt": {"public": True}}


@get("/health", summary="Liveness: the process answers", **_OPS)  # type: ignore[arg-type]
async def health() -> dict[str, str]:
    """Always ok while the process serves requests."""
    return {"status": "ok"}


def _check(probe: Any) -> str:
    try:
        probe()
    except Exception as exc:  # any failure means not ready; say which kind, not the detail
        return f"unavailable ({type(exc).__name__})"
    return "ok"


@get(
    "/ready", summary="Readiness: Redis and the ledger database answer", sync_to_thread=True, **_OPS
)  # type: ignore[arg-type]
def ready(request: Request[Any, Any, Any]) -> Response[dict[str, Any]]:
    """200 when every configured store answers, 503 otherwise."""
    runtime: Runtime = request.app.state.runtime
    checks: dict[str, str] = {}
    if runtime.sql is not None:
        ledger = runtime.sql

        def query() -> None:
            with ledger.reader.connect() as conn:
                conn.execute(text("SELECT 1"))

        checks["ledger"] = _check(query)
    if runtime.redis is not None:
        checks["redis"] = _check(runtime.redis.client.ping)
    ok = all(value == "ok" for value in checks.values())
    return Response(
        {"status": "ok" if ok else "unavailable", "checks": checks},
        status_code=HTTP_200_OK if ok else HTTP_503_SERVICE_UNAVAILABLE,
    )


@get("/metrics", summary="Prometheus metrics", media_type=CONTENT_TYPE_LATEST, **_OPS)  # type: ignore[arg-type]
async def metrics(request: Request[Any, Any, Any]) -> Response[bytes]:
    """Claims by transaction code and status, reject codes, latency."""
    return Response(render(request.app.state.metrics), media_type=CONTENT_TYPE_LATEST)

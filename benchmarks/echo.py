"""The framework's ceiling: a bare Litestar app that echoes ``POST /v1/ncpdp``.

It is served exactly like rxadj (granian, ASGI, the same worker count, no access
log), and its handler has the same shape as the claim endpoint's (raw body in,
octet-stream bytes out, an async handler), but does no work: whatever the load
generator measures against it is the cost of HTTP, Litestar and granian alone.

    python -m benchmarks.echo --port 8099 --workers 2
"""

from __future__ import annotations

import argparse
import socket
import subprocess
import sys
import time
from pathlib import Path
from typing import Annotated

from litestar import Litestar, Response, post
from litestar.params import Body, RawBody
from litestar.status_codes import HTTP_200_OK

__all__ = ["app", "main", "start_echo", "wait_for_port"]

_OCTETS = "application/octet-stream"
REPO = Path(__file__).resolve().parents[1]


@post("/v1/ncpdp", media_type=_OCTETS, status_code=HTTP_200_OK)
async def echo(body: Annotated[RawBody, Body(media_type=_OCTETS)]) -> Response[bytes]:
    """The request body, back."""
    return Response(body, media_type=_OCTETS)


app = Litestar(route_handlers=[echo], openapi_config=None)


def wait_for_port(host: str, port: int, seconds: float = 30.0) -> bool:
    """Whether something accepts connections on ``host:port`` within ``seconds``."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            with socket.create_connection((host, port), timeout=0.5):
                return True
        except OSError:
            time.sleep(0.1)
    return False


def start_echo(port: int, workers: int, host: str = "127.0.0.1") -> subprocess.Popen[bytes]:
    """Start the echo server in a child process and wait until it listens."""
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "benchmarks.echo",
            "--host",
            host,
            "--port",
            str(port),
            "--workers",
            str(workers),
        ],
        cwd=REPO,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    if not wait_for_port(host, port):
        process.terminate()
        process.wait()
        raise RuntimeError(f"the echo server did not start on {host}:{port}")
    return process


def main(argv: list[str] | None = None) -> int:
    """Serve the echo app under granian, like ``rxadj serve`` serves rxadj."""
    from granian import Granian
    from granian.constants import Interfaces

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8099)
    parser.add_argument("--workers", type=int, default=2)
    args = parser.parse_args(argv)
    Granian(
        "benchmarks.echo:app",
        address=args.host,
        port=args.port,
        interface=Interfaces.ASGI,
        workers=args.workers,
        log_access=False,
    ).serve()
    return 0


if __name__ == "__main__":
    sys.exit(main())

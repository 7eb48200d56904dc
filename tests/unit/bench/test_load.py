"""The load generator against a real HTTP server on 127.0.0.1 (a tiny stub, in a thread).

Nothing is mocked: requests go over sockets to ``http.server``. Nothing asserts how
long anything took; pacing is checked through the schedule and the counts.
"""

from __future__ import annotations

import asyncio
import math
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from itertools import pairwise
from pathlib import Path
from typing import ClassVar

import pytest

from benchmarks.load import (
    b1_payloads,
    percentile,
    plot,
    run_load,
    schedule,
    summarize,
    sweep,
)
from engine.adjudication.request import claims_from_transmission
from engine.ncpdp import decode


class Stub(BaseHTTPRequestHandler):
    """Answers every POST with ``OK:`` and the first bytes it received; fails on cue."""

    protocol_version = "HTTP/1.1"
    received: ClassVar[list[tuple[str, str, bytes]]] = []
    fail_every = 0
    chunked = False

    def do_POST(self) -> None:
        body = self.rfile.read(int(self.headers["Content-Length"]))
        Stub.received.append((self.path, self.headers["Content-Type"], body))
        if Stub.fail_every and len(Stub.received) % Stub.fail_every == 0:
            self.send_response(500)
            self.send_header("Content-Length", "0")
            self.end_headers()
            return
        answer = b"OK:" + body[:8]
        self.send_response(200)
        if Stub.chunked:
            self.send_header("Transfer-Encoding", "chunked")
            self.end_headers()
            self.wfile.write(b"%x\r\n%s\r\n0\r\n\r\n" % (len(answer), answer))
            return
        self.send_header("Content-Length", str(len(answer)))
        self.end_headers()
        self.wfile.write(answer)

    def log_message(self, *args: object) -> None:
        """Quiet."""


@pytest.fixture
def server() -> Iterator[str]:
    Stub.received, Stub.fail_every, Stub.chunked = [], 0, False
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), Stub)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}"
    httpd.shutdown()
    httpd.server_close()
    thread.join()


def test_payloads_are_distinct_valid_b1_claims() -> None:
    payloads = b1_payloads(12)
    claims = []
    for data in payloads:
        decoded = decode(data)
        assert decoded.ok, decoded.issues
        assert decoded.transmission is not None
        (claim,) = claims_from_transmission(decoded.transmission)
        claims.append(claim)
    assert {c.transaction_code for c in claims} == {"B1"}
    assert len({c.rx_number for c in claims}) == 12
    assert {c.cardholder_id for c in claims} == {"ZZH100001"}


def test_schedule_spaces_requests_evenly() -> None:
    offsets = schedule(200, 0.5)
    assert len(offsets) == 100
    assert offsets[0] == 0
    gaps = {round(b - a, 9) for a, b in pairwise(offsets)}
    assert gaps == {0.005}
    assert schedule(3, 0.2) == []


def test_percentile_is_nearest_rank() -> None:
    values = list(range(1, 101))
    assert percentile(values, 50) == 50
    assert percentile(values, 99) == 99
    assert percentile(values, 100) == 100
    assert percentile([7.0], 99) == 7.0
    assert math.isnan(percentile([], 50))


def test_summarize_counts_answers_errors_and_rate() -> None:
    result = summarize(100, [0.001 * n for n in range(1, 201)], ["HTTP 500", "HTTP 500", "x"], 2.0)
    assert (result.sent, result.answered, result.errors) == (203, 200, 3)
    assert result.achieved == 100.0
    assert (result.p50_ms, result.p99_ms, result.max_ms) == (100.0, 198.0, 200.0)
    assert result.statuses == {"HTTP 500": 2, "x": 1}


def test_every_due_request_reaches_the_server(server: str) -> None:
    payloads = b1_payloads(10)
    result, bodies = asyncio.run(run_load(server, payloads, rate=200, duration=0.25, concurrency=4))
    assert (result.sent, result.answered, result.errors) == (50, 50, 0)
    assert len(Stub.received) == 50
    assert {path for path, _, _ in Stub.received} == {"/v1/ncpdp"}
    assert {kind for _, kind, _ in Stub.received} == {"application/octet-stream"}
    assert sorted(body for _, _, body in Stub.received) == sorted(payloads * 5)
    assert all(body.startswith(b"OK:") for body in bodies)
    assert result.p50_ms <= result.p99_ms <= result.max_ms


def test_server_errors_and_chunked_answers(server: str) -> None:
    Stub.fail_every, Stub.chunked = 4, True
    result, bodies = asyncio.run(run_load(server, b1_payloads(3), rate=100, duration=0.2))
    assert (result.sent, result.answered, result.errors) == (20, 15, 5)
    assert result.statuses == {"HTTP 500": 5}
    assert all(body.startswith(b"OK:") for body in bodies)


def test_a_refused_connection_is_an_error_not_a_crash() -> None:
    result, _ = asyncio.run(run_load("http://127.0.0.1:9", b1_payloads(1), rate=50, duration=0.1))
    assert (result.answered, result.errors) == (0, 5)
    assert result.statuses == {"ConnectionRefusedError": 5}


def test_sweep_and_plot(server: str, tmp_path: Path) -> None:
    results = sweep(server, [50, 100], duration=0.2, concurrency=2)
    assert [(r.offered, r.sent, r.errors) for r in results] == [(50, 10, 0), (100, 20, 0)]
    rx = [
        claims_from_transmission(decode(b).transmission)[0].rx_number for _, _, b in Stub.received
    ]  # type: ignore[arg-type]
    assert len(set(rx)) == 30
    plot(results, tmp_path / "load.png")
    assert (tmp_path / "load.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"

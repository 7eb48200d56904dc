"""HTTP load generator: NCPDP B1 bytes to ``POST {server}/v1/ncpdp`` at an offered rate.

Open loop: request ``i`` is due at ``start + i / rate`` whether or not earlier ones
have been answered, and its latency counts from that due time. A server that falls
behind therefore shows its queueing in the latency instead of quietly slowing the
generator down (no coordinated omission). ``concurrency`` keep-alive connections
carry the requests; a request waits for a free one. Every payload is a distinct
claim (own prescription number), so the server never answers a duplicate.

Run against a server: ``.venv/bin/python -m benchmarks.load --server
http://127.0.0.1:8000 --rates 250 500 1000 2000 --output var/bench``; writes
``load.json`` and ``load.png`` (claims/s and p99 against offered load).

This is the quick sweep ``rxadj bench --server`` runs (one sample member, so most
claims after the first few reject as refill too soon). The realistic load — B1, B2
and E1 over thousands of generated families, closed loop, the echo ceiling — is
``python -m benchmarks.loadgen`` (``benchmarks/loadgen/cli.py``).
"""

from __future__ import annotations

import argparse
import asyncio
import datetime as dt
import json
import math
import sys
import time
from collections.abc import Sequence
from dataclasses import asdict, dataclass, field
from decimal import Decimal
from pathlib import Path
from urllib.parse import urlsplit

from engine.adjudication.request import transmission_from_claims
from engine.claim import ClaimRequest
from engine.ncpdp import encode

__all__ = [
    "LoadResult",
    "b1_payloads",
    "main",
    "percentile",
    "plot",
    "run_load",
    "schedule",
    "summarize",
    "sweep",
]

_GENERICS = ("90100100001", "90100100301", "90100100601", "90100101301", "90100102201")
_PATH = "/v1/ncpdp"


def b1_payloads(count: int, day: dt.date | None = None, first_rx: int = 7_000_000) -> list[bytes]:
    """``count`` B1 transmissions for the sample HMO Gold member, each a distinct claim."""
    day = day or dt.date.today()
    payloads = []
    for n in range(count):
        claim = ClaimRequest(
            transaction_code="B1",
            bin="610999",
            pcn="RXADJHMO",
            service_provider_id_qualifier="01",
            service_provider_id="1234567893",
            date_of_service=day,
            cardholder_id="ZZH100001",
            group_id="HMOGOLD01",
            person_code="001",
            date_of_birth=dt.date(1980, 4, 12),
            rx_number=first_rx + n,
            fill_number=0,
            product_id_qualifier="03",
            ndc=_GENERICS[n % len(_GENERICS)],
            quantity=Decimal(30),
            days_supply=30,
            compound_code="1",
            daw="0",
            prescriber_id_qualifier="01",
            prescriber_id="1234567893",
            usual_and_customary=2500,
            gross_amount_due=2500,
        )
        payloads.append(encode(transmission_from_claims([claim])))
    return payloads


def schedule(rate: float, duration: float) -> list[float]:
    """Offsets (seconds from the start) at which requests are due."""
    return [i / rate for i in range(math.floor(rate * duration))]


def percentile(values: Sequence[float], q: float) -> float:
    """The nearest-rank ``q``-th percentile (0-100) of ``values``; NaN when empty."""
    if not values:
        return math.nan
    ordered = sorted(values)
    rank = max(1, math.ceil(q / 100 * len(ordered)))
    return ordered[rank - 1]


@dataclass(frozen=True, slots=True)
class LoadResult:
    """One offered rate: what was sent, answered, and how fast."""

    offered: float
    sent: int
    answered: int
    errors: int
    seconds: float
    achieved: float
    p50_ms: float
    p90_ms: float
    p99_ms: float
    max_ms: float
    statuses: dict[str, int] = field(default_factory=dict)


def summarize(
    offered: float, latencies: Sequence[float], errors: Sequence[str], seconds: float
) -> LoadResult:
    """Statistics of one run: ``latencies`` in seconds of the answered requests."""
    ms = [value * 1000 for value in latencies]
    statuses: dict[str, int] = {}
    for error in errors:
        statuses[error] = statuses.get(error, 0) + 1
    return LoadResult(
        offered=offered,
        sent=len(latencies) + len(errors),
        answered=len(latencies),
        errors=len(errors),
        seconds=round(seconds, 3),
        achieved=round(len(latencies) / seconds, 1) if seconds > 0 else 0.0,
        p50_ms=round(percentile(ms, 50), 3),
        p90_ms=round(percentile(ms, 90), 3),
        p99_ms=round(percentile(ms, 99), 3),
        max_ms=round(max(ms, default=math.nan), 3),
        statuses=statuses,
    )


class _Connection:
    """One keep-alive HTTP/1.1 connection; reopened after any failure."""

    def __init__(self, host: str, port: int, headers: dict[str, str]) -> None:
        self.host, self.port, self.headers = host, port, headers
        self.reader: asyncio.StreamReader | None = None
        self.writer: asyncio.StreamWriter | None = None

    async def post(self, body: bytes, timeout: float) -> tuple[int, bytes]:
        if self.writer is None:
            self.reader, self.writer = await asyncio.open_connection(self.host, self.port)
        assert self.reader is not None
        head = [f"POST {_PATH} HTTP/1.1", f"Host: {self.host}:{self.port}"]
        head += [f"{name}: {value}" for name, value in self.headers.items()]
        head += [f"Content-Length: {len(body)}", "", ""]
        self.writer.write("\r\n".join(head).encode("latin-1") + body)
        return await asyncio.wait_for(_response(self.reader), timeout)

    def close(self) -> None:
        if self.writer is not None:
            self.writer.close()
        self.reader = self.writer = None


async def _response(reader: asyncio.StreamReader) -> tuple[int, bytes]:
    status = int((await reader.readline()).split(b" ", 2)[1])
    length, chunked = 0, False
    while (line := await reader.readline()) not in (b"\r\n", b"\n", b""):
        name, _, value = line.decode("latin-1").partition(":")
        if name.strip().lower() == "content-length":
            length = int(value)
        elif name.strip().lower() == "transfer-encoding" and "chunked" in value.lower():
            chunked = True
    if not chunked:
        return status, await reader.readexactly(length)
    body = b""
    while size := int((await reader.readline()).strip() or b"0", 16):
        body += await reader.readexactly(size)
        await reader.readline()
    await reader.readline()
    return status, body


async def run_load(
    server: str,
    payloads: Sequence[bytes],
    rate: float,
    duration: float,
    concurrency: int = 8,
    headers: dict[str, str] | None = None,
    timeout: float = 10.0,
) -> tuple[LoadResult, list[bytes]]:
    """Offer ``rate`` requests/s for ``duration`` s; the result and the response bodies."""
    url = urlsplit(server)
    sent_headers = {"Content-Type": "application/octet-stream", **(headers or {})}
    pool: asyncio.Queue[_Connection] = asyncio.Queue()
    for _ in range(concurrency):
        pool.put_nowait(_Connection(url.hostname or "127.0.0.1", url.port or 80, sent_headers))
    latencies: list[float] = []
    errors: list[str] = []
    bodies: list[bytes] = []
    loop = asyncio.get_running_loop()
    start = loop.time()

    async def one(due: float, body: bytes) -> None:
        connection = await pool.get()
        try:
            status, answer = await connection.post(body, timeout)
        except (TimeoutError, OSError, asyncio.IncompleteReadError, ValueError) as exc:
            connection.close()
            errors.append(type(exc).__name__)
        else:
            if 200 <= status < 300:
                latencies.append(loop.time() - start - due)
                bodies.append(answer)
            else:
                errors.append(f"HTTP {status}")
        finally:
            pool.put_nowait(connection)

    tasks = []
    for index, due in enumerate(schedule(rate, duration)):
        delay = start + due - loop.time()
        if delay > 0:
            await asyncio.sleep(delay)
        tasks.append(asyncio.create_task(one(due, payloads[index % len(payloads)])))
    await asyncio.gather(*tasks)
    elapsed = loop.time() - start
    while not pool.empty():
        pool.get_nowait().close()
    return summarize(rate, latencies, errors, elapsed), bodies


def sweep(
    server: str,
    rates: Sequence[float],
    duration: float,
    concurrency: int,
    headers: dict[str, str] | None = None,
) -> list[LoadResult]:
    """One run per offered rate, each with fresh claims (no duplicates across runs)."""
    results = []
    first_rx = 7_000_000 + int(time.time()) % 1_000_000 * 100
    for rate in rates:
        count = math.floor(rate * duration)
        payloads = b1_payloads(count, first_rx=first_rx)
        first_rx += count
        result, _ = asyncio.run(run_load(server, payloads, rate, duration, concurrency, headers))
        results.append(result)
    return results


def plot(results: Sequence[LoadResult], path: Path, title: str = "rxadj POST /v1/ncpdp") -> None:
    """Claims/s answered and p99 latency against the offered rate, to a PNG."""
    import matplotlib

    matplotlib.use("Agg")
    from matplotlib import pyplot

    offered = [r.offered for r in results]
    figure, left = pyplot.subplots(figsize=(7, 4.2))
    left.plot(offered, [r.achieved for r in results], "o-", color="tab:blue", label="claims/s")
    left.plot(offered, offered, ":", color="grey", label="offered")
    left.set_xlabel("offered load (claims/s)")
    left.set_ylabel("answered (claims/s)", color="tab:blue")
    right = left.twinx()
    right.plot(offered, [r.p99_ms for r in results], "s--", color="tab:red", label="p99")
    right.set_ylabel("p99 latency (ms)", color="tab:red")
    left.set_title(title)
    left.grid(alpha=0.3)
    figure.tight_layout()
    figure.savefig(path, dpi=110)
    pyplot.close(figure)


def main(argv: list[str] | None = None) -> int:
    """Command line: sweep the offered rates; write ``load.json`` and ``load.png``."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--server", required=True, help="base URL, like http://127.0.0.1:8000")
    parser.add_argument("--rates", nargs="+", type=float, default=[250, 500, 1000, 2000, 4000])
    parser.add_argument("--duration", type=float, default=10.0, help="seconds per rate")
    parser.add_argument("--concurrency", type=int, default=32)
    parser.add_argument("--api-key", help="sent as X-API-Key (a key with the switch role)")
    parser.add_argument("--output", type=Path, default=Path("var/bench"))
    args = parser.parse_args(argv)
    headers = {"X-API-Key": args.api_key} if args.api_key else {}
    results = sweep(args.server, args.rates, args.duration, args.concurrency, headers)
    args.output.mkdir(parents=True, exist_ok=True)
    report = {
        "server": args.server,
        "concurrency": args.concurrency,
        "runs": [asdict(r) for r in results],
    }
    (args.output / "load.json").write_text(json.dumps(report, indent=2) + "\n")
    plot(results, args.output / "load.png")
    for r in results:
        print(
            f"{r.offered:>8.0f}/s offered {r.achieved:>8.1f}/s answered "
            f"p99 {r.p99_ms} ms errors {r.errors}"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())

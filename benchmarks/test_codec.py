"""NCPDP codec benchmarks: parse and build a typical B1 and a typical paid response.

Targets on one core (DESIGN.md): parse <= 10 us, build <= 5 us. Run with
``.venv/bin/python -m pytest benchmarks/test_codec.py --benchmark-only -q``.
The "varied" cases cycle through thousands of distinct claims so that the parsers'
and formatters' memos are mostly cold, as with real traffic.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date, timedelta
from decimal import Decimal
from itertools import cycle
from pathlib import Path

import pytest

from engine.ncpdp import Segment, Transaction, Transmission, decode, encode

DATA = Path(__file__).resolve().parents[1] / "tests" / "data" / "ncpdp"
CASES = ["b1_typical.bin", "response_paid.bin"]


def _load(name: str) -> tuple[bytes, Transmission]:
    data = (DATA / name).read_bytes()
    transmission = decode(data).transmission
    assert transmission is not None
    return data, transmission


def _built(transmission: Transmission) -> Transmission:
    """The same transmission as the engine builds it: no wire text to reuse."""

    def fresh(segments: dict[str, Segment]) -> dict[str, Segment]:
        return {
            key: Segment(s.id, dict(s.fields), s.repeats, s.unknown) for key, s in segments.items()
        }

    return Transmission(
        replace(transmission.header, wire=None),
        fresh(transmission.segments),
        [Transaction(fresh(t.segments)) for t in transmission.transactions],
    )


def _varied(count: int) -> list[Transmission]:
    _, typical = _load("b1_typical.bin")
    claims = []
    for n in range(count):
        t = _built(typical)
        t.segments["01"].fields["C4"] = date(1940, 1, 1) + timedelta(days=7 * n)
        group = t.transactions[0].segments
        group["07"].fields.update(
            {"D2": 1_000_000 + n, "E7": Decimal(n % 360 + 1), "D5": n % 90 + 1}
        )
        group["11"].fields.update({"D9": 100 + 37 * n, "DQ": 500 + 41 * n, "DU": 275 + 37 * n})
        claims.append(t)
    return claims


@pytest.mark.parametrize("name", CASES)
def test_parse(benchmark, name: str) -> None:
    data, expected = _load(name)
    decoded = benchmark(decode, data)
    assert decoded.ok
    assert decoded.transmission == expected


@pytest.mark.parametrize("name", CASES)
def test_build(benchmark, name: str) -> None:
    data, transmission = _load(name)
    built = _built(transmission)
    assert benchmark(encode, built) == data


def test_parse_varied_b1(benchmark) -> None:
    messages = cycle([encode(t) for t in _varied(20_000)])
    decoded = benchmark(lambda: decode(next(messages)))
    assert decoded.ok


def test_build_varied_b1(benchmark) -> None:
    claims = cycle(_varied(20_000))
    assert benchmark(lambda: encode(next(claims)))

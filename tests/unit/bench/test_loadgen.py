"""The load generator: members file, request mix, answers, statistics, the echo baseline.

Requests are adjudicated by the real engine over the shipped plans (members from a
generated file), and the echo baseline really runs under granian on 127.0.0.1.
Nothing asserts how long anything took.
"""

from __future__ import annotations

import asyncio
import csv
import datetime as dt
import functools
import json
import random
import socket
from collections import Counter
from pathlib import Path

import pytest

from benchmarks.echo import start_echo
from benchmarks.loadgen.cli import first_rx, main
from benchmarks.loadgen.client import parse_response
from benchmarks.loadgen.runner import Sample, run_closed, run_open
from benchmarks.loadgen.stats import summarize
from benchmarks.loadgen.workload import (
    DRUGS,
    Mix,
    Workload,
    members_document,
    read_members,
    response_outcome,
    write_members,
)
from engine.adjudication.processor import ClaimProcessor
from engine.adjudication.request import claims_from_transmission
from engine.adjudication.transmission import adjudicate_transmission
from engine.catalog.catalog import Catalog
from engine.catalog.loader import load_catalog
from engine.claim import claim_key
from engine.ncpdp import decode
from engine.plans.members import MembersFile, family_from_model
from engine.store.memory import MemoryAccumulatorStore, MemoryClaimLedger

REPO = Path(__file__).resolve().parents[3]
DAY = dt.date(2026, 3, 2)


@functools.cache
def _shipped() -> Catalog:
    return load_catalog([REPO / "plans", REPO / "rules"])


class Directory:
    """The generated families, as the server's members table would hold them."""

    def __init__(self, document: dict) -> None:
        model = MembersFile.model_validate(document)
        self.families = {f.cardholder_id: family_from_model(f) for f in model.families}

    def family(self, cardholder_id: str):
        return self.families.get(cardholder_id)


@pytest.fixture(scope="module")
def members_file(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("loadgen") / "members.json"
    write_members(path, 40)
    return path


def test_drugs_are_plain_tier_1_generics_each_its_own_group():
    with (REPO / "plans" / "formularies" / "standard-2026.csv").open() as handle:
        drugs = {row["ndc"]: row for row in csv.DictReader(handle)}
    with (REPO / "plans" / "prices" / "prices-2026.csv").open() as handle:
        priced = {row["ndc"] for row in csv.DictReader(handle)}
    edits = ("excluded", "pa_required", "ql_units", "min_age", "max_age", "gender", "step_therapy")
    for ndc in DRUGS:
        assert drugs[ndc]["tier"] == "1"
        assert ndc in priced
        assert not any(drugs[ndc][name] for name in edits), ndc
    assert len({drugs[ndc]["group"] for ndc in DRUGS}) == len(DRUGS)


def test_members_file_is_a_valid_members_file(members_file):
    document = json.loads(members_file.read_text())
    model = MembersFile.model_validate(document)
    assert len(model.families) == 40
    persons = read_members(members_file)
    assert len(persons) == sum(len(f.persons) for f in model.families)
    assert members_document(40) == members_document(40)  # seeded: repeatable


def test_the_mix_is_paid_approved_and_never_a_duplicate_or_refill_too_soon(members_file):
    document = json.loads(members_file.read_text())
    processor = ClaimProcessor(
        _shipped(), MemoryAccumulatorStore(), MemoryClaimLedger(), Directory(document)
    )
    members = read_members(members_file)
    workload = Workload(members, Mix(70, 20, 10), DAY, first_rx=5_000, seed=3)
    kinds, outcomes, reversed_keys = [], Counter(), []
    for drawn in workload.mix.kinds(3 * len(members), workload.rng):
        kind, claim, body = workload.next(drawn)
        result = adjudicate_transmission(body, processor, DAY)
        outcome = response_outcome(result.response)
        status = decode(result.response).transmission.transactions[0].segment("21").get("AN")
        assert outcome.split(":")[0] == status  # the cheap reading agrees with the codec
        (decoded,) = claims_from_transmission(decode(body).transmission)
        assert decoded.transaction_code == kind
        if kind == "B2":
            reversed_keys.append(claim_key(decoded))
        workload.answered(kind, claim, outcome)
        kinds.append(kind)
        outcomes[(kind, outcome)] += 1
    assert set(outcomes) == {("B1", "P"), ("B2", "A"), ("E1", "A")}
    assert len(reversed_keys) == len(set(reversed_keys)) == outcomes[("B2", "A")] > 0
    assert workload.turn == kinds.count("B1")


def test_a_b2_slot_without_a_paid_b1_sends_a_b1_and_rx_numbers_are_new(members_file):
    workload = Workload(read_members(members_file), Mix(0, 1, 0), DAY, first_rx=10, turn=7)
    built = [workload.next("B2") for _ in range(5)]
    assert [kind for kind, _, _ in built] == ["B1"] * 5
    assert [claim.rx_number for _, claim, _ in built] == [10, 11, 12, 13, 14]
    assert workload.turn == 12
    assert first_rx(1_000.0) + 100_000 == first_rx(1_001.0)
    assert len(str(first_rx(1_999_999.0))) <= 12  # 402-D2 holds twelve digits


def test_reject_outcomes_carry_the_first_reject_code():
    processor = ClaimProcessor(_shipped(), MemoryAccumulatorStore(), MemoryClaimLedger())
    result = adjudicate_transmission(b"garbage that is no claim", processor, DAY)
    rejects = decode(result.response).transmission.transactions[0].segment("21").repeats
    assert response_outcome(result.response) == f"R:{rejects['FA'][0]['FB']}"
    assert response_outcome(b"no status here") == "unreadable"


def test_parse_response_handles_length_chunks_and_partial_data():
    plain = b"HTTP/1.1 200 OK\r\nContent-Length: 3\r\n\r\nabcHTTP/1.1"
    assert parse_response(plain) == (200, b"abc", len(plain) - len(b"HTTP/1.1"))
    assert parse_response(plain[:20]) is None
    chunked = b"HTTP/1.1 500 X\r\nTransfer-Encoding: chunked\r\n\r\n2\r\nab\r\n1\r\nc\r\n0\r\n\r\n"
    assert parse_response(chunked) == (500, b"abc", len(chunked))
    assert parse_response(chunked[:-3]) is None


def test_statistics_keep_http_errors_out_of_the_latencies():
    sample = Sample()
    for n in range(1, 101):
        sample.add("B1", n / 1000, "P" if n % 10 else "R:79")
    sample.add("B2", 9.0, "HTTP 500")
    sample.add("E1", 9.0, "TimeoutError")
    sample.seconds = 2.0
    stats = summarize(sample, "rxadj", "open", 50.0, 4, client_cpu_seconds=0.5)
    assert (stats.sent, stats.answered, stats.errors, stats.achieved) == (102, 100, 2, 50.0)
    assert stats.client_cores == 0.25  # 0.5 CPU seconds over 2.0 s of run
    assert (stats.p50_ms, stats.p95_ms, stats.p99_ms, stats.max_ms) == (50, 95, 99, 100)
    assert stats.outcomes == {"HTTP 500": 1, "P": 90, "R:79": 10, "TimeoutError": 1}
    assert stats.kinds == {"B1": 100, "B2": 1, "E1": 1}


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def test_open_and_closed_loops_against_the_echo_server(members_file, tmp_path):
    port = _free_port()
    echo = start_echo(port, workers=1)
    server = f"http://127.0.0.1:{port}"
    members = read_members(members_file)

    def echoed(_: bytes) -> str:
        return "echoed"

    try:
        workload = Workload(members, Mix(), DAY, first_rx=1, seed=5)
        opened = asyncio.run(run_open(server, workload, 200, 0.5, 4, outcome=echoed))
        closed = asyncio.run(run_closed(server, workload, 0.3, 4, outcome=echoed))
        code = main(
            [
                "run",
                "--server",
                server,
                "--members",
                str(members_file),
                "--closed",
                "2",
                "--rates",
                "100",
                "--duration",
                "0.3",
                "--no-echo",
                "--output",
                str(tmp_path),
            ]
        )
    finally:
        echo.terminate()
        echo.wait()
    assert (len(opened.outcomes), set(opened.outcomes)) == (100, {"echoed"})
    assert len(closed.outcomes) > 0
    assert set(closed.outcomes) == {"echoed"}
    assert "B2" in opened.kinds + closed.kinds  # echoed B1s count as paid: B2s are sent
    assert code == 0
    report = json.loads((tmp_path / "loadgen.json").read_text())
    assert [(r["mode"], r["offered"]) for r in report["runs"]] == [("closed", None), ("open", 100)]
    assert (tmp_path / "loadgen.png").read_bytes()[:4] == b"\x89PNG"
    assert "| closed x2 |" in (tmp_path / "loadgen.md").read_text()
    assert int(members_file.with_suffix(".cursor").read_text()) > 0


def test_kinds_follow_the_mix():
    kinds = Mix.parse("85/10/5").kinds(20_000, random.Random(1))
    shares = {kind: count / 20_000 for kind, count in Counter(kinds).items()}
    assert shares["B1"] == pytest.approx(0.85, abs=0.02)
    assert shares["E1"] == pytest.approx(0.05, abs=0.01)
    with pytest.raises(ValueError, match="three"):
        Mix.parse("90/10")

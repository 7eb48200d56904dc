"""Several adjudicating processes on one Redis and one ledger; a kill -9; Redis emptied.

The processes are real (``claim_worker.py`` builds the runtime as the command line
does). Afterwards the tests read the stores directly and check:

- concurrency: the family never passes its maximums, the final state and every
  claim's figures equal a serial replay in the order Redis applied the claims;
- crash: no acknowledged claim is lost or counted twice, and after the automatic
  recovery at restart Redis equals the ledger replayed, exactly;
- Redis restarted empty: start-up rebuilds it exactly from the ledger.
"""

import datetime as dt
import json
import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from api.runtime import build_runtime
from api.settings import Settings
from engine.accumulators import FamilyKey
from engine.adjudication.decision import Status
from engine.adjudication.processor import ClaimProcessor
from engine.adjudication.serialize import claim_to_dict, decision_from_dict
from engine.rebuild import compare
from engine.store.memory import MemoryAccumulatorStore, MemoryClaimLedger

from conftest import make_claim

WORKER = Path(__file__).with_name("claim_worker.py")
RECEIVED = dt.date(2026, 12, 31)
TIGHT = "ZZT900001"  # deductible $40 / $100, out-of-pocket $150 / $250, embedded
DRUGS = ["11111111101", "22222222201", "33333333301", "55555555501"]  # four drug groups


def _settings(env: dict[str, str]) -> Settings:
    return Settings.from_env(env)


def _env(database_url: str, redis_url: str, prefix: str, **extra: str) -> dict[str, str]:
    """Settings for the test's stores; a short lease keeps the start-up rebuild quick."""
    return {
        **os.environ,
        "RXADJ_DATABASE_URL": database_url,
        "RXADJ_REDIS_URL": redis_url,
        "RXADJ_REDIS_PREFIX": prefix,
        "RXADJ_LEDGER_LEASE": "0.2",
        "RXADJ_RECOVERY_GRACE": "1",
        **extra,
    }


def _start(env, claims_file: Path, start: int, step: int, threads: int) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, str(WORKER), str(claims_file), str(start), str(step), str(threads)],
        env=env,
        stdout=subprocess.PIPE,
        text=True,
    )


def _decisions(lines):
    return {
        (item := json.loads(line))["i"]: decision_from_dict(item["decision"])
        for line in lines
        if '"i"' in line
    }


def _runtime(env, catalog):
    return build_runtime(_settings(env), catalog=catalog)


def _tight_claims() -> list:
    """96 claims: 3 persons x 4 drug groups x 8 dates 40 days apart (no refill too soon)."""
    rng = random.Random(20260302)
    days = [dt.date(2026, 1, 5) + dt.timedelta(days=40 * n) for n in range(8)]
    claims = []
    for number, (day, person, ndc) in enumerate(
        ((d, p, n) for d in days for p in ("001", "002", "003") for n in DRUGS), start=1
    ):
        charge = rng.choice([None, rng.randint(500, 30000)])
        claims.append(make_claim(TIGHT, person, ndc, number, day=day, usual_and_customary=charge))
    return claims


def _write(claims, path: Path) -> Path:
    path.write_text(json.dumps([claim_to_dict(c) for c in claims]))
    return path


def test_processes_never_pass_the_family_maximum_and_equal_a_serial_order(
    catalog, redis_url, redis_prefix, pg_url, tmp_path
):
    env = _env(pg_url, redis_url, redis_prefix)
    _runtime(env, catalog).close()  # migrate and seed the members once, before the race
    claims = _tight_claims()
    claims_file = _write(claims, tmp_path / "claims.json")
    workers = [_start(env, claims_file, n, 4, 2) for n in range(4)]
    outputs = [w.communicate(timeout=120)[0] for w in workers]
    assert [w.returncode for w in workers] == [0, 0, 0, 0]
    decisions = _decisions(line for out in outputs for line in out.splitlines())
    assert len(decisions) == 96
    # under this contention a claim may lose the race more often than the processor
    # retries: it is rejected (nothing applied) and the pharmacy resubmits it
    lost = {i for i, d in decisions.items() if d.status != Status.PAID}
    assert all("kept changing" in decisions[i].rejects[0].message for i in lost)
    assert len(lost) < 10

    runtime = _runtime(env, catalog)
    key = FamilyKey(TIGHT, dt.date(2026, 1, 1))
    amounts = runtime.accumulators.fresh_snapshot(key).amounts
    ded = {p: amounts.get(f"ded:{p}:rx", 0) for p in ("001", "002", "003")}
    oop = {p: amounts.get(f"oop:{p}:rx", 0) for p in ("001", "002", "003")}
    assert all(v <= 4000 for v in ded.values())
    assert all(v <= 15000 for v in oop.values())
    assert sum(ded.values()) <= 10000
    # 96 claims are far more than enough: the family reaches its maximum, exactly
    assert sum(oop.values()) == 25000

    versions = {txn_id: r.version for txn_id, r in runtime.redis.records(key).items()}
    paid = [i for i in decisions if i not in lost]
    order = sorted(paid, key=lambda i: versions[decisions[i].txn.id])
    assert len(versions) == len(paid)
    serial = ClaimProcessor(catalog, MemoryAccumulatorStore(), MemoryClaimLedger())
    for index in order:
        assert serial.process(claims[index], RECEIVED).figures == decisions[index].figures
    assert dict(serial.accumulators.snapshot(key).amounts) == dict(amounts)
    rows = ((r.key, r.txn) for r in runtime.sql.accumulator_rows())
    assert compare(rows, runtime.redis) == ([], [])
    runtime.close()


def _load_claims() -> list:
    """150 claims over four families and plans: a family, drug group and date each."""
    families = [("ZZT100001", "001"), ("ZZT100001", "002"), ("ZZT200001", "001"), (TIGHT, "003")]
    claims = []
    for n in range(150):
        card, person = families[n % 4]
        day = dt.date(2026, 1, 5) + dt.timedelta(days=35 * (n // 16))
        claims.append(make_claim(card, person, DRUGS[(n // 4) % 4], 5000 + n, day=day))
    return claims


@pytest.mark.parametrize("database", ["sqlite", "postgres"])
def test_kill_9_mid_load_loses_no_acknowledged_claim_and_recovers_exactly(
    catalog, redis_url, redis_prefix, tmp_path, request, database
):
    url = (
        f"sqlite:///{tmp_path / 'ledger.sqlite3'}"
        if database == "sqlite"
        else request.getfixturevalue("pg_url")
    )
    env = _env(url, redis_url, redis_prefix, RXADJ_LEDGER_LEASE="0.4", RXADJ_RECOVERY_GRACE="1")
    claims = _load_claims()
    worker = _start(env, _write(claims, tmp_path / "claims.json"), 0, 1, 4)
    acknowledged = []
    for line in worker.stdout:
        if '"i"' in line:
            acknowledged.append(line)
        if len(acknowledged) == 60:
            os.kill(worker.pid, signal.SIGKILL)
            break
    worker.wait(timeout=30)
    worker.stdout.close()
    assert worker.returncode == -signal.SIGKILL
    acked = _decisions(acknowledged)

    time.sleep(1.2)  # past the grace period: recovery may now repair what the crash left
    runtime = _runtime(env, catalog)
    # what the crash left applied in Redis but unrecorded was never acknowledged
    assert not set(runtime.recovery.undone) & {d.txn.id for d in acked.values()}
    rows = list(runtime.sql.accumulator_rows())
    txn_ids = [r.txn.id for r in rows]
    assert len(txn_ids) == len(set(txn_ids))  # nothing counted twice
    assert [d.status for d in acked.values() if d.status != Status.PAID] == []
    for decision in acked.values():
        current = runtime.sql.current(decision.claim_key)  # nothing acknowledged is lost
        assert current is not None
        assert not current.reversed
        assert current.decision.figures == decision.figures
        assert decision.txn.id in txn_ids
    assert compare(((r.key, r.txn) for r in rows), runtime.redis) == ([], [])
    assert runtime.redis.journal() == []

    # the switch resends everything: acknowledged claims answer "duplicate of paid" with
    # their figures, the others are processed now; each ends paid exactly once
    for index, claim in enumerate(claims):
        decision = runtime.processor.process(claim, RECEIVED)
        if index in acked:
            assert decision.status == Status.DUPLICATE_OF_PAID
            assert decision.figures == acked[index].figures
        else:
            assert decision.status in (Status.PAID, Status.DUPLICATE_OF_PAID)
    rows = list(runtime.sql.accumulator_rows())
    assert len(rows) == len({r.txn.id for r in rows}) == len(claims)
    assert compare(((r.key, r.txn) for r in rows), runtime.redis) == ([], [])
    runtime.close()


def test_redis_restarted_empty_is_rebuilt_exactly_at_start(
    catalog, redis_url, redis_prefix, tmp_path
):
    env = _env(f"sqlite:///{tmp_path / 'ledger.sqlite3'}", redis_url, redis_prefix)
    runtime = _runtime(env, catalog)
    for claim in _load_claims()[:40]:
        runtime.processor.process(claim, RECEIVED)
    runtime.processor.process(_load_claims()[0].with_code("B2"), RECEIVED)
    keys = [FamilyKey(c, dt.date(2026, 1, 1)) for c in ("ZZT100001", "ZZT200001", TIGHT)]
    before = {k: runtime.accumulators.fresh_snapshot(k) for k in keys}
    assert runtime.redis.delete_all() > 0  # what a restart without persistence leaves
    runtime.close()

    restarted = _runtime(env, catalog)
    assert "rebuilt from the ledger" in " ".join(restarted.notes)
    for key, snapshot in before.items():
        after = restarted.accumulators.fresh_snapshot(key)
        assert dict(after.amounts) == dict(snapshot.amounts)
        assert sorted(f.txn_id for f in after.fills) == sorted(f.txn_id for f in snapshot.fills)
    rows = ((r.key, r.txn) for r in restarted.sql.accumulator_rows())
    assert compare(rows, restarted.redis) == ([], [])
    restarted.close()

"""The accumulator, members and medical commands, run in process on Redis and SQLite.

They use the shipped plans and sample members (seeded into the fresh database at the
first start), as an operator would.
"""

import pytest
import redis
from typer.testing import CliRunner

from api.cli import app

from conftest import REPO

MEDICAL = """id,cardholder_id,person_code,date_of_service,deductible,out_of_pocket
E-1,ZZE300001,001,2026-02-10,1500.00,5950.00
E-2,ZZE300001,001,2026-02-10,oops,1
"""


@pytest.fixture
def run(monkeypatch, redis_url, redis_prefix):
    monkeypatch.setenv("COLUMNS", "200")
    monkeypatch.setenv("RXADJ_REDIS_URL", redis_url)
    monkeypatch.setenv("RXADJ_REDIS_PREFIX", redis_prefix)
    monkeypatch.setenv("RXADJ_LEDGER_LEASE", "0.2")  # rebuild waits one lease
    monkeypatch.setenv("RXADJ_RECOVERY_GRACE", "1")
    runner = CliRunner()
    return lambda *args: runner.invoke(app, list(args))


def test_load_verify_tamper_rebuild_export(run, tmp_path, redis_url, redis_prefix):
    members = run("members", "load", str(REPO / "plans" / "members" / "sample-members.yaml"))
    # the first start loaded the sample members already: nothing changes
    assert members.exit_code == 0, members.output
    assert "unchanged" in members.output
    medical = tmp_path / "medical.csv"
    medical.write_text(MEDICAL)
    loaded = run("medical", "load", str(medical))
    assert loaded.exit_code == 1  # one row rejected
    assert "not an amount: 'oops'" in loaded.output
    assert run("accumulators", "verify").exit_code == 0

    client = redis.Redis.from_url(redis_url)
    client.hincrby(f"{redis_prefix}:{{ZZE300001}}:a:2026-01-01", "oop:001:med", 1)
    client.close()
    tampered = run("accumulators", "verify")
    assert tampered.exit_code == 1
    assert "ZZE300001" in tampered.output
    assert "amount oop:001:med" in tampered.output
    assert "595000" in tampered.output
    assert "595001" in tampered.output

    assert run("accumulators", "rebuild").exit_code == 0
    assert run("accumulators", "verify").exit_code == 0

    out = tmp_path / "to-carrier.csv"
    first = run(
        "accumulators", "export", "--since", "2020-01-01", "-o", str(out), "--origin", "all"
    )
    assert first.exit_code == 0, first.output
    assert len(out.read_text().splitlines()) == 3  # header, deductible, out of pocket
    again = run("accumulators", "export", "--since", "2020-01-01", "-o", str(out))
    assert again.exit_code == 2  # a sent file is never overwritten
    assert "recover" in run("accumulators", "--help").output
    assert run("accumulators", "recover").exit_code == 0


def test_demo_runs_on_fresh_embedded_stores_whatever_is_configured(run, redis_url, redis_prefix):
    first, second = run("demo"), run("demo")
    assert first.exit_code == 0, first.output
    assert first.output == second.output  # repeatable
    client = redis.Redis.from_url(redis_url)
    assert list(client.scan_iter(match=f"{redis_prefix}:*")) == []
    client.close()

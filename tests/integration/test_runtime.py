"""The composition root: settings, the ledger at start-up, members seeding, failures."""

import datetime as dt

import pytest

from api.runtime import RuntimeUnavailable, build_runtime
from api.settings import DEFAULT_DATABASE_URL, Settings, SettingsError
from engine.accumulators import FamilyKey
from engine.adjudication.decision import Status

from conftest import make_claim

KEY = FamilyKey("ZZT100001", dt.date(2026, 1, 1))
DAY = dt.date(2026, 3, 2)


def test_settings_defaults_and_their_checks():
    settings = Settings.from_env({})
    assert (settings.redis_url, settings.database_url) == (None, DEFAULT_DATABASE_URL)
    assert DEFAULT_DATABASE_URL.endswith("/var/rxadj.sqlite3")
    assert Settings.from_env({"RXADJ_SNAPSHOT_CACHE": "0"}).snapshot_cache == 0
    assert settings.batch_wait == 0.005
    assert Settings.from_env({"RXADJ_BATCH_WAIT": "0.02"}).batch_wait == 0.02
    with pytest.raises(SettingsError, match="must not be negative"):
        Settings.from_env({"RXADJ_BATCH_WAIT": "-1"})
    with pytest.raises(SettingsError, match="not a number"):
        Settings.from_env({"RXADJ_LEDGER_LEASE": "soon"})
    with pytest.raises(SettingsError, match="must exceed twice"):
        Settings.from_env({"RXADJ_LEDGER_LEASE": "60", "RXADJ_RECOVERY_GRACE": "100"})


def test_without_redis_the_accumulators_are_rebuilt_from_the_ledger_at_every_start(
    catalog, tmp_path
):
    settings = Settings.from_env({"RXADJ_DATABASE_URL": f"sqlite:///{tmp_path / 'l.sqlite3'}"})
    first = build_runtime(settings, catalog=catalog)
    assert first.notes == ["members table was empty: loaded 18 families"]
    claim = make_claim("ZZT100001", "001", "22222222201", 1)
    paid = first.processor.process(claim, DAY)
    first.processor.process(make_claim("ZZT100001", "002", "11111111101", 2), DAY)
    before = first.accumulators.snapshot(KEY)
    first.close()
    second = build_runtime(settings, catalog=catalog)
    assert second.notes == []  # members are seeded once only
    after = second.accumulators.snapshot(KEY)
    assert (dict(after.amounts), after.fills) == (dict(before.amounts), before.fills)
    again = second.processor.process(claim, DAY)
    assert (again.status, again.figures) == (Status.DUPLICATE_OF_PAID, paid.figures)
    second.close()


def test_unreachable_stores_are_reported_not_raised(catalog, tmp_path):
    bad_db = Settings.from_env({"RXADJ_DATABASE_URL": "postgresql://nobody@127.0.0.1:1/none"})
    with pytest.raises(RuntimeUnavailable, match="unavailable"):
        build_runtime(bad_db, catalog=catalog)
    bad_redis = Settings.from_env(
        {
            "RXADJ_DATABASE_URL": f"sqlite:///{tmp_path / 'l.sqlite3'}",
            "RXADJ_REDIS_URL": "redis://127.0.0.1:1/0",
        }
    )
    with pytest.raises(RuntimeUnavailable, match="redis is unavailable"):
        build_runtime(bad_redis, catalog=catalog)

"""Member lookups cached until the family changes, in SQLite and PostgreSQL.

Two directories on one database stand for two processes: what one loads, the
other sees at its next check (``check_interval`` 0 here: every lookup checks),
while a family nobody changed keeps being served from the cache. The raw lookup
reads a family exactly as the SQLAlchemy read does, and survives a dropped
connection.
"""

import datetime as dt

import psycopg
import pytest
from sqlalchemy import update

from engine.plans.members import Coverage, Family, Person
from engine.store.sql import SqlLedger, SqlMemberDirectory
from engine.store.sql.models import PersonRow

PERSONS = PersonRow.__table__


def _family(card: str, end: dt.date | None = None) -> Family:
    person = Person("001", "1", "ANN", "LEE", dt.date(1980, 1, 2), "F")
    spouse = Person("002", "2", "BO", "LEE", dt.date(1981, 3, 4), "M")
    return Family(
        card,
        {"001": person, "002": spouse},
        (  # in the stored order: by start, plan, group
            Coverage("PPO-SILVER", "PPO01", dt.date(2025, 1, 1), None, frozenset({"001", "002"})),
            Coverage("HMO-GOLD", "HMOGOLD01", dt.date(2026, 1, 1), end, frozenset({"001"})),
        ),
    )


@pytest.fixture
def ledger(ledger_url):
    sql = SqlLedger.open(ledger_url)
    yield sql
    sql.close()


def test_a_change_made_elsewhere_is_seen_at_the_next_check(ledger):
    loader = SqlMemberDirectory(ledger.reader, ledger.engine)
    cached = SqlMemberDirectory(ledger.reader, ledger.engine, ttl=3600, check_interval=0)
    loader.merge([_family("C1"), _family("C2")])
    assert cached.family("C1") == _family("C1")
    assert cached.family("C9") is None
    with ledger.engine.begin() as conn:  # behind the audit log's back: not a member load
        conn.execute(update(PERSONS).where(PERSONS.c.cardholder_id == "C2").values(gender="U"))
    assert cached.family("C2").persons["001"].gender == "U"  # first lookup reads it
    with ledger.engine.begin() as conn:
        conn.execute(update(PERSONS).where(PERSONS.c.cardholder_id == "C2").values(gender="M"))
    assert cached.family("C2").persons["001"].gender == "U"  # served from the cache
    terminated = _family("C1", end=dt.date(2026, 2, 28))
    loader.merge([terminated, _family("C9")])
    assert cached.family("C1") == terminated
    assert cached.family("C9") == _family("C9")
    assert cached.family("C2").persons["001"].gender == "U"  # unchanged families stay
    loader.close()
    cached.close()


def test_more_changes_than_a_check_reads_forget_everything_and_later_ones_still_count(ledger):
    loader = SqlMemberDirectory(ledger.reader, ledger.engine)
    cached = SqlMemberDirectory(ledger.reader, ledger.engine, ttl=3600, check_interval=0)
    loader.merge([_family("K0")])
    assert cached.family("K0") == _family("K0")
    with ledger.engine.begin() as conn:  # behind the audit log's back
        conn.execute(update(PERSONS).where(PERSONS.c.cardholder_id == "K0").values(gender="U"))
    loader.merge([_family(f"K{n}") for n in range(1, 1002)])  # 1,001 audit rows
    assert cached.family("K0").persons["001"].gender == "U"  # the whole cache was dropped
    with ledger.engine.begin() as conn:
        conn.execute(update(PERSONS).where(PERSONS.c.cardholder_id == "K0").values(gender="M"))
    assert cached.family("K0").persons["001"].gender == "U"  # cached again, nothing new
    loader.merge([_family("K0", end=dt.date(2026, 2, 28))])
    assert cached.family("K0").persons["001"].gender == "F"  # the next change is seen
    loader.close()
    cached.close()


def test_without_ttl_every_lookup_reads_and_raw_reads_match_sqlalchemy(ledger):
    directory = SqlMemberDirectory(ledger.reader, ledger.engine)
    directory.merge([_family("C1")])
    with ledger.reader.connect() as conn:
        assert directory.family("C1") == SqlMemberDirectory.read(conn, "C1") == _family("C1")
    directory.close()


def test_a_dropped_connection_is_replaced_for_the_next_read(pg_url):
    sql = SqlLedger.open(pg_url)
    directory = SqlMemberDirectory(sql.reader, sql.engine)
    directory.merge([_family("C1")])
    assert directory.family("C1") == _family("C1")
    with psycopg.connect(pg_url, autocommit=True) as admin:
        admin.execute(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
            "WHERE datname = current_database() AND pid <> pg_backend_pid()"
        )
    assert directory.family("C1") == _family("C1")
    directory.close()
    sql.close()

"""Ledger errors name the constraint and the kind of failure, never a member's data."""

import logging

import pytest
from sqlalchemy import Integer, bindparam, cast, column, select, table, text
from sqlalchemy.exc import DBAPIError

from engine.store.base import StoreError, StoreUnavailable
from engine.store.sql import connect
from engine.store.sql.database import RawReads, database_errors

SECRET = "ZZSECRET01"


@pytest.fixture
def engine(ledger_url):
    built = connect(ledger_url)
    with built.begin() as conn:
        conn.execute(text("CREATE TABLE phi_probe (card VARCHAR(20) PRIMARY KEY, n INTEGER)"))
        conn.execute(text("INSERT INTO phi_probe VALUES (:card, 1)"), {"card": SECRET})
    yield built
    built.dispose()


def test_a_refused_row_names_its_constraint_not_its_values(engine, ledger_url, caplog):
    with pytest.raises(StoreError) as refused, engine.begin() as conn, database_errors():
        conn.execute(text("INSERT INTO phi_probe VALUES (:card, 2)"), {"card": SECRET})
    message = str(refused.value)
    assert message.startswith("the ledger refused a change: ")
    assert SECRET not in message
    assert refused.value.__cause__ is None
    assert refused.value.__suppress_context__
    if ledger_url.startswith("postgresql"):
        # unique_violation; PostgreSQL's DETAIL would have said Key (card)=(ZZSECRET01)
        assert message.endswith(
            "UniqueViolation, SQLSTATE 23505, table phi_probe, constraint phi_probe_pkey"
        )
    else:
        assert message.endswith("IntegrityError, SQLITE_CONSTRAINT_PRIMARYKEY")
    with caplog.at_level(logging.ERROR):
        logging.getLogger("rxadj.test").exception("failed", exc_info=refused.value)
    assert SECRET not in caplog.text


def test_a_failing_statement_does_not_quote_its_parameters(engine):
    # SQLAlchemy's own message lists the parameters unless the engine hides them
    statement = text("SELECT card FROM phi_probe_missing WHERE card = :card")
    with pytest.raises(DBAPIError) as raw, engine.connect() as conn:
        conn.execute(statement, {"card": SECRET})
    assert "parameters hidden" in str(raw.value)
    assert SECRET not in str(raw.value)
    with pytest.raises(StoreUnavailable) as failed, engine.begin() as conn, database_errors():
        conn.execute(statement, {"card": SECRET})
    assert SECRET not in str(failed.value)
    assert failed.value.__cause__ is None


def test_raw_reads_report_driver_errors_without_values(ledger_url, engine):
    # PostgreSQL's message would quote the value: invalid input syntax for type integer
    name = "phi_probe" if ledger_url.startswith("postgresql") else "phi_probe_missing"
    probe = table(name, column("card"), column("n"))
    query = select(probe.c.card).where(probe.c.n == cast(bindparam("v"), Integer))
    reads = RawReads(ledger_url)
    try:
        with pytest.raises(StoreUnavailable) as failed:
            reads.all(reads.prepare(query, "v"), v=SECRET)
        assert str(failed.value).startswith("the ledger database is unavailable: ")
        assert SECRET not in str(failed.value)
        assert failed.value.__cause__ is None
    finally:
        reads.dispose()

"""Prior authorizations in the ledger: all-or-nothing loads, revocations, the mirror.

Two stores on one database stand for two processes: what one loads or revokes, the
other's mirror picks up at its next refresh. Run on SQLite and PostgreSQL.
"""

import datetime as dt

import pytest
from sqlalchemy import select

from engine.plans.members import Coverage, Family, Person
from engine.priorauth.directory import PriorAuthError
from engine.priorauth.model import PriorAuthModel, prior_auth_from_model
from engine.store.sql import SqlLedger, SqlMemberDirectory, SqlPriorAuthStore
from engine.store.sql.models import AuditRow

AUDIT = AuditRow.__table__


def approval(number, person="001", **fields):
    data = {
        "number": number,
        "cardholder_id": "C1",
        "person_code": person,
        "ndc": "90500500001",
        "start": "2026-01-01",
        "end": "2026-12-31",
        "lifts": "prior-authorization",
        "approved_by": "REVIEWER",
        **fields,
    }
    return prior_auth_from_model(PriorAuthModel.model_validate(data))


@pytest.fixture
def ledger(ledger_url):
    sql = SqlLedger.open(ledger_url)
    person = Person("001", "1", "ANN", "LEE", dt.date(1980, 1, 2), "F")
    coverage = Coverage("HMO-GOLD", "HMOGOLD01", dt.date(2026, 1, 1), None, frozenset({"001"}))
    SqlMemberDirectory(sql.reader, sql.engine).merge([Family("C1", {"001": person}, (coverage,))])
    yield sql
    sql.close()


def audit(ledger):
    with ledger.reader.connect() as conn:
        rows = conn.execute(
            select(AUDIT.c.action, AUDIT.c.subject, AUDIT.c.actor)
            .where(AUDIT.c.action.like("prior_auth.%"))
            .order_by(AUDIT.c.id)
        ).all()
    return [tuple(row) for row in rows]


def test_loads_are_audited_and_reach_the_other_processes_mirror(ledger):
    store = SqlPriorAuthStore(ledger.reader, ledger.engine)
    other = SqlPriorAuthStore(ledger.reader, ledger.engine, refresh_interval=3600)
    assert other.for_member("C1", "001") == ()  # first lookup: the mirror reads everything
    quantity = approval("2", lifts="quantity-limit", quantity="6.5", per_days="28")
    assert store.merge([approval("1"), quantity], "analyst") == ["added", "added"]
    shorter = approval("2", end="2026-06-30", lifts="quantity-limit", quantity="6.5", per_days="28")
    assert store.merge([approval("1"), shorter], "analyst") == ["unchanged", "changed"]
    assert store.get("0000002").quantity == quantity.quantity  # exact decimal, no float
    assert other.for_member("C1", "001") == ()  # within its refresh interval
    assert other.refresh() == 2
    assert sorted(pa.number for pa in other.for_member("C1", "001")) == ["1", "2"]
    assert audit(ledger) == [
        ("prior_auth.added", "1", "analyst"),
        ("prior_auth.added", "2", "analyst"),
        ("prior_auth.changed", "2", "analyst"),
    ]


def test_a_batch_with_any_bad_approval_changes_nothing(ledger):
    store = SqlPriorAuthStore(ledger.reader, ledger.engine)
    with pytest.raises(PriorAuthError, match="PA 9: member C1-002 is not on file"):
        store.merge([approval("8"), approval("9", person="002")], "analyst")
    assert (store.get("8"), audit(ledger)) == (None, [])


def test_a_revocation_is_audited_and_cannot_be_undone_by_a_reload(ledger):
    store = SqlPriorAuthStore(ledger.reader, ledger.engine)
    store.merge([approval("1")], "analyst")
    revoked = store.revoke("1", dt.date(2026, 3, 10), "reviewer", "prescriber withdrew")
    assert (revoked.revoked_on, revoked.revoke_reason) == (
        dt.date(2026, 3, 10),
        "prescriber withdrew",
    )
    [mirrored] = store.for_member("C1", "001")
    assert (mirrored.in_force(dt.date(2026, 3, 10)), mirrored.in_force(dt.date(2026, 3, 11))) == (
        True,
        False,
    )
    with pytest.raises(PriorAuthError, match="was revoked on 2026-03-10"):
        store.merge([approval("1")], "analyst")
    with pytest.raises(PriorAuthError, match="already revoked"):
        store.revoke("1", dt.date(2026, 3, 12), "reviewer", "again")
    assert audit(ledger)[-1] == ("prior_auth.revoked", "1", "reviewer")


def test_samples_seed_only_an_empty_table(ledger):
    store = SqlPriorAuthStore(ledger.reader, ledger.engine)
    assert store.seed([approval("1")]) == 1
    assert store.seed([approval("2")]) == 0
    assert [pa.number for pa in store.for_cardholder("C1")] == ["1"]

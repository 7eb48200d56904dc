"""The publishing gate: failing versions are refused unless overridden on the record."""

import datetime as dt

import pytest

from engine.compliance.gate import Override, OverrideError, gate_publication

from .support import mandate_catalog

TODAY = dt.date(2026, 7, 1)
FAILING = "MAND-LA"
LA_CHECK = "state-drug-caps@2026.1#la-specialty-2015/tier-4/specialty"


class Log:
    def __init__(self):
        self.records = []

    def record_override(self, record):
        self.records.append(record)


def _plan(plan_id):
    return mandate_catalog().plans[plan_id][0].plan


def test_a_passing_version_is_allowed_without_override():
    decision = gate_publication(_plan("EPO-INTEGRATED"), mandate_catalog(), TODAY)
    assert (decision.allowed, decision.overridden, decision.failures) == (True, False, ())


def test_a_failing_version_is_refused():
    decision = gate_publication(_plan(FAILING), mandate_catalog(), TODAY)
    assert not decision.allowed
    assert [c.id for c in decision.failures] == [LA_CHECK]


def test_an_override_is_recorded_before_the_version_is_allowed():
    log = Log()
    override = Override("DOI approval letter 2026-114 on file", "J. Officer", frozenset({LA_CHECK}))
    decision = gate_publication(_plan(FAILING), mandate_catalog(), TODAY, override, log)
    assert (decision.allowed, decision.overridden) == (True, True)
    [record] = log.records
    assert (record.plan, record.version, record.plan_year) == (
        "MAND-LA",
        "test.1",
        dt.date(2026, 1, 1),
    )
    assert (record.reason, record.approved_by, record.recorded_on) == (
        "DOI approval letter 2026-114 on file",
        "J. Officer",
        TODAY,
    )
    assert [c.id for c in record.failures] == [LA_CHECK]
    assert "state-drug-caps@2026.1" in record.rule_sets


@pytest.mark.parametrize(
    ("override", "message"),
    [
        (Override("  ", "J. Officer", frozenset({LA_CHECK})), "needs a reason"),
        (Override("reason", "", frozenset({LA_CHECK})), "who approved it"),
        (Override("reason", "J. Officer", frozenset()), "does not name failing checks"),
    ],
)
def test_an_incomplete_override_is_refused_and_nothing_is_recorded(override, message):
    log = Log()
    with pytest.raises(OverrideError, match=message):
        gate_publication(_plan(FAILING), mandate_catalog(), TODAY, override, log)
    assert log.records == []


def test_an_override_without_an_audit_log_is_refused():
    override = Override("reason", "J. Officer", frozenset({LA_CHECK}))
    with pytest.raises(OverrideError, match="must be recorded"):
        gate_publication(_plan(FAILING), mandate_catalog(), TODAY, override)

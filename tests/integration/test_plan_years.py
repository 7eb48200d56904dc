"""Plan-year rollover and a late reversal on Redis and PostgreSQL (HDHP years start July 1).

BRAND B at retail: 30 x $20 x 0.80 + $2.00 = $482.00, all of it to the HDHP's
aggregate family deductible ($3,300 in the 2025-2026 file, $3,400 in 2026-2027).
"""

import datetime as dt

from api.runtime import build_runtime
from api.settings import Settings
from engine.accumulators import FamilyKey
from engine.adjudication.decision import Status
from engine.loading.medical import record_medical
from engine.medical import MedicalOutcome, MedicalTxn
from engine.rebuild import compare

from conftest import make_claim

HDHP, BRAND_B = "ZZT500001", "22222222201"
OLD, NEW = FamilyKey(HDHP, dt.date(2025, 7, 1)), FamilyKey(HDHP, dt.date(2026, 7, 1))
RECEIVED = dt.date(2026, 12, 31)


def test_a_new_plan_year_starts_from_zero_and_a_late_reversal_changes_the_old_year(
    catalog, redis_url, redis_prefix, pg_url
):
    settings = Settings.from_env(
        {
            "RXADJ_DATABASE_URL": pg_url,
            "RXADJ_REDIS_URL": redis_url,
            "RXADJ_REDIS_PREFIX": redis_prefix,
            "RXADJ_LEDGER_LEASE": "0.2",  # the first start builds Redis, waiting one lease
            "RXADJ_RECOVERY_GRACE": "1",
        }
    )
    runtime = build_runtime(settings, catalog=catalog)
    processor = runtime.processor
    june = make_claim(HDHP, "001", BRAND_B, 1, day=dt.date(2026, 6, 20))
    july = make_claim(HDHP, "001", BRAND_B, 1, day=dt.date(2026, 7, 20), fill_number=1)
    first = processor.process(june, RECEIVED)
    assert first.family == OLD
    assert first.remaining.deductible_family_remaining == 330000 - 48200
    second = processor.process(july, RECEIVED)
    assert second.family == NEW
    assert second.remaining.deductible_family_remaining == 340000 - 48200
    # a medical claim dated in June goes to the old year, whenever it arrives
    late_medical = MedicalTxn("HM-1", HDHP, "002", dt.date(2026, 6, 25), 10000, 10000)
    outcome = record_medical(
        late_medical, catalog, runtime.members, processor.accumulators, runtime.sql
    )
    assert (outcome.outcome, outcome.family) == (MedicalOutcome.ACCEPTED, OLD)
    # in August, the pharmacy reverses the June claim: only the old year changes
    reversal = processor.process(june.with_code("B2"), RECEIVED)
    assert reversal.status == Status.APPROVED
    assert dict(processor.accumulators.fresh_snapshot(OLD).amounts) == {
        "ded:001:rx": 0,
        "oop:001:rx": 0,
        "ded:002:med": 10000,
        "oop:002:med": 10000,
    }
    assert dict(processor.accumulators.fresh_snapshot(NEW).amounts) == {
        "ded:001:rx": 48200,
        "oop:001:rx": 48200,
    }
    rows = list(runtime.sql.accumulator_rows())
    assert [(r.key.plan_year.isoformat(), r.net) for r in rows] == [
        ("2025-07-01", {"ded:001:rx": 48200, "oop:001:rx": 48200}),
        ("2026-07-01", {"ded:001:rx": 48200, "oop:001:rx": 48200}),
        ("2025-07-01", {"ded:002:med": 10000, "oop:002:med": 10000}),
        ("2025-07-01", {"ded:001:rx": -48200, "oop:001:rx": -48200}),
    ]
    assert compare(((r.key, r.txn) for r in rows), runtime.redis) == ([], [])
    runtime.close()

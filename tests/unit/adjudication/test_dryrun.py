"""Dry runs: a candidate plan version replayed on claims, differences reported."""

import datetime as dt
from pathlib import Path

from engine.adjudication.dryrun import ClaimEvent, dry_run
from engine.catalog.loader import load_catalog
from engine.medical import MedicalTxn

from conftest import REPO, catalog_paths_for_tests, make_claim

DAY = dt.date(2026, 3, 2)
HMO = "ZZT100001"
GENERIC_A, BRAND_A, BRAND_B = "11111111101", "11111111201", "22222222201"
INSULIN = "33333333301"


def _candidate(tmp_path: Path):
    """HMO Gold with the tier 2 retail copay raised from $35 to $40."""
    original = REPO / "plans" / "hmo-gold" / "2026.yaml"
    text = original.read_text()
    assert "    retail_30: {copay: 35}" in text
    changed = tmp_path / "hmo-2026-candidate.yaml"
    changed.write_text(text.replace("    retail_30: {copay: 35}", "    retail_30: {copay: 40}"))
    paths = [p if p != original else changed for p in catalog_paths_for_tests()]
    return load_catalog(paths)


def test_only_claims_the_change_touches_are_reported(catalog, tmp_path):
    events = [
        ClaimEvent(make_claim(HMO, "001", GENERIC_A, 1), DAY),
        ClaimEvent(make_claim(HMO, "001", BRAND_B, 2), DAY),  # meets the deductible
        ClaimEvent(make_claim(HMO, "002", BRAND_A, 3, day=dt.date(2026, 3, 10)), DAY),
        ClaimEvent(
            make_claim(HMO, "001", INSULIN, 4, quantity=10, day=dt.date(2026, 3, 20)),
            dt.date(2026, 3, 20),
        ),
    ]
    result = dry_run(
        events,
        catalog,
        _candidate(tmp_path),
        catalog.members,
        (dt.date(2026, 3, 5), dt.date(2026, 3, 31)),
    )
    # the window holds claims 3 and 4; claim 3 is all deductible ($242.00 of 002's $250),
    # so only claim 4 changes: insulin skips the deductible, tier 2 copay $35 -> $40 on
    # 10 x $40 x 0.80 + $2 = $322.00
    assert result.replayed == 2
    assert [(d.current_patient_pay, d.candidate_patient_pay) for d in result.differences] == [
        (3500, 4000)
    ]
    assert (result.differences[0].current_plan_pay, result.differences[0].candidate_plan_pay) == (
        28700,
        28200,
    )


def test_medical_events_shape_both_replays(catalog, tmp_path):
    events = [
        MedicalTxn("DRY-1", HMO, "002", dt.date(2026, 2, 1), deductible=25000, out_of_pocket=0),
        ClaimEvent(make_claim(HMO, "002", BRAND_A, 5), DAY),
    ]
    result = dry_run(events, catalog, _candidate(tmp_path), catalog.members, (DAY, DAY))
    # HMO Gold is not integrated with medical: the medical deductible does not count, so
    # 002 pays the $242.00 deductible under both versions and nothing differs
    assert (result.replayed, result.differences) == (1, ())

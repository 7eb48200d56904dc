"""Every rule of the shipped standard edit set, reached by a claim that should trip it.

Each case changes one thing in an otherwise payable HMO Gold or PPO claim and expects
exactly the NCPDP reject codes (in priority order) that the change deserves.
"""

import datetime as dt

import pytest

from engine.adjudication.decision import Status

DAY = dt.date(2026, 3, 2)
HMO, PPO = "ZZT100001", "ZZT200001"
GENERIC_A = "11111111101"

CASES = [
    # (case id, cardholder, person, ndc, changes, expected codes)
    ("product qualifier not NDC", HMO, "001", GENERIC_A, {"product_id_qualifier": "01"}, ["E1"]),
    ("days supply zero", HMO, "001", GENERIC_A, {"days_supply": 0}, ["19"]),
    ("quantity zero", HMO, "001", GENERIC_A, {"quantity": 0}, ["E7"]),
    ("DAW code invalid", HMO, "001", GENERIC_A, {"daw": "X"}, ["22"]),
    (
        "fill beyond refills",
        HMO,
        "001",
        GENERIC_A,
        {"fill_number": 3, "refills_authorized": 2},
        ["17"],
    ),
    ("written after service", HMO, "001", GENERIC_A, {"date_written": dt.date(2026, 3, 3)}, ["28"]),
    ("post-dated", HMO, "001", GENERIC_A, {"date_of_service": dt.date(2026, 3, 9)}, ["82"]),
    ("missing days supply", HMO, "001", GENERIC_A, {"days_supply": None}, ["19"]),
    ("missing date of birth", HMO, "001", GENERIC_A, {"date_of_birth": None}, ["09"]),
    ("missing prescriber", HMO, "001", GENERIC_A, {"prescriber_id": None}, ["25"]),
    ("unknown BIN", HMO, "001", GENERIC_A, {"bin": "999999"}, ["01"]),
    ("unknown PCN", HMO, "001", GENERIC_A, {"pcn": "NOPE"}, ["04"]),
    ("unknown group", HMO, "001", GENERIC_A, {"group_id": "NOPE"}, ["51"]),
    ("missing group", HMO, "001", GENERIC_A, {"group_id": None}, ["06"]),
    ("unknown cardholder", HMO, "001", GENERIC_A, {"cardholder_id": "ZZT999999"}, ["52"]),
    ("unknown person code", HMO, "009", GENERIC_A, {"date_of_birth": dt.date(1980, 1, 15)}, ["53"]),
    ("coverage terminated", "ZZT100002", "001", GENERIC_A, {}, ["69"]),
    ("coverage not yet effective", "ZZT100003", "001", GENERIC_A, {}, ["67"]),
    (
        "not covered by this plan",
        HMO,
        "001",
        GENERIC_A,
        {"pcn": "RXADJPPO", "group_id": "PPOSILV01"},
        ["65"],
    ),
    (
        "date of birth mismatch",
        HMO,
        "001",
        GENERIC_A,
        {"date_of_birth": dt.date(1980, 1, 16)},
        ["09"],
    ),
    ("dependent over age 26", HMO, "004", GENERIC_A, {}, ["66"]),
    ("claim too old", HMO, "001", GENERIC_A, {"received": dt.date(2027, 3, 3)}, ["81"]),
    (
        "HMO out-of-network pharmacy",
        HMO,
        "001",
        GENERIC_A,
        {"service_provider_id": "1400000018"},
        ["40"],
    ),
    ("HMO unknown pharmacy", HMO, "001", GENERIC_A, {"service_provider_id": "1999999991"}, ["50"]),
    ("unknown NDC", HMO, "001", "00000000000", {}, ["54"]),
    ("compound", HMO, "001", GENERIC_A, {"compound_code": "2"}, ["70"]),
    ("excluded", HMO, "001", "66666666601", {}, ["70"]),
    ("not on formulary", HMO, "001", "15151515101", {}, ["MR"]),
    ("specialty at retail", HMO, "001", "44444444401", {}, ["70"]),
    ("prior authorization", HMO, "001", "77777777701", {}, ["75"]),
    ("step therapy", HMO, "001", "99999999901", {}, ["75"]),
    ("quantity limit", HMO, "001", "88888888801", {"quantity": 10}, ["76"]),
    ("days supply limit", HMO, "001", GENERIC_A, {"quantity": 120, "days_supply": 120}, ["7X"]),
    ("minimum age", HMO, "003", "12121212101", {}, ["60"]),
    ("gender", HMO, "002", "13131313101", {}, ["61"]),
    (
        "several at once",
        HMO,
        "003",
        "88888888801",
        {"quantity": 200, "days_supply": 100},
        ["76", "7X"],
    ),
]


@pytest.mark.parametrize(
    ("cardholder", "person", "ndc", "changes", "expected"),
    [case[1:] for case in CASES],
    ids=[case[0] for case in CASES],
)
def test_rule_rejects_with_its_code(processor, claim, cardholder, person, ndc, changes, expected):
    changes = dict(changes)
    received = changes.pop("received", DAY)
    decision = processor.process(claim(cardholder, person, ndc, 1, **changes), received)
    assert decision.status == Status.REJECTED
    assert [r.code.code for r in decision.rejects] == expected


def test_step_therapy_is_met_after_a_statin_fill(processor, claim):
    statin = processor.process(claim(HMO, "001", "55555555501", 1), DAY)
    assert statin.status == Status.PAID
    step = processor.process(claim(HMO, "001", "99999999901", 2), DAY)
    assert step.status == Status.PAID


def test_refill_too_soon_until_80_percent_of_the_supply_has_passed(processor, claim):
    processor.process(claim(HMO, "001", GENERIC_A, 1), DAY)
    # HMO Gold: 80% of 30 days = 24 days: the refill is allowed from March 26
    early = claim(HMO, "001", GENERIC_A, 1, fill_number=1, day=dt.date(2026, 3, 25))
    decision = processor.process(early, dt.date(2026, 3, 25))
    assert [r.code.code for r in decision.rejects] == ["79"]
    on_time = claim(HMO, "001", GENERIC_A, 1, fill_number=1, day=dt.date(2026, 3, 26))
    assert processor.process(on_time, dt.date(2026, 3, 26)).status == Status.PAID


def test_ppo_covers_the_pharmacy_an_hmo_rejects(processor, claim):
    decision = processor.process(
        claim(PPO, "001", "55555555501", 1, service_provider_id="1400000018"), DAY
    )
    assert decision.status == Status.PAID

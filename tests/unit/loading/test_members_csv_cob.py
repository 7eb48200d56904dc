"""Other coverage from eligibility CSV columns, into the same family model as a members file."""

import datetime as dt
import io

from engine.cob.coverage import CoveredPerson
from engine.cob.payers import Employment, PayerKind
from engine.loading.members import csv_families, merge_family

HEADER = (
    "cardholder_id,person_code,relationship,first_name,last_name,date_of_birth,gender,"
    "plan,group,coverage_start,coverage_end,other_kind,other_name,other_bin,other_pcn,"
    "other_group,other_cardholder_id,other_relationship,other_person_code,other_start,"
    "other_end,other_order,other_employment,other_subscriber_birthday\n"
)
PPO = "PPO-SILVER,PPOSILV01,2026-01-01,"
SPOUSE_PLAN = (
    "group_health,ACME HEALTH,600428,ACME,G77,W123456,2,01,2026-01-01,,primary,active,04-11"
)


def _families(rows: str):
    return list(csv_families(io.StringIO(HEADER + rows)))


def test_rows_with_the_same_other_coverage_form_one_record_with_its_persons():
    parsed = _families(
        f"ZZK100001,001,1,Ann,Kim,1980-05-05,F,{PPO},{SPOUSE_PLAN}\n"
        f"ZZK100001,002,3,Bo,Kim,2015-02-02,M,{PPO},"
        "group_health,ACME HEALTH,600428,ACME,G77,W123456,3,02,2026-01-01,,primary,active,04-11\n"
        # the child also has a Medicaid card: one more row, without this plan's coverage
        "ZZK100001,002,3,Bo,Kim,2015-02-02,M,,,,,medicaid,,610494,,,M99,1,,2026-03-01,"
        "2026-12-31,,,\n"
    )
    assert [(row, card) for row, card, _ in parsed] == [(2, "ZZK100001")]
    family = parsed[0][2]
    assert [c.plan for c in family.coverages] == ["PPO-SILVER"]
    assert family.coverages[0].persons == frozenset({"001", "002"})
    spouse, medicaid = family.cob.other_coverage
    assert (spouse.kind, spouse.name, spouse.bin, spouse.pcn, spouse.group) == (
        PayerKind.GROUP_HEALTH,
        "ACME HEALTH",
        "600428",
        "ACME",
        "G77",
    )
    assert (spouse.cardholder_id, spouse.start, spouse.end, spouse.order) == (
        "W123456",
        dt.date(2026, 1, 1),
        None,
        1,
    )
    assert (spouse.employment, spouse.subscriber_birthday) == (Employment.ACTIVE, (4, 11))
    assert dict(spouse.persons) == {
        "001": CoveredPerson("2", "01"),
        "002": CoveredPerson("3", "02"),
    }
    assert (medicaid.kind, medicaid.bin, medicaid.order, medicaid.end) == (
        PayerKind.MEDICAID,
        "610494",
        None,
        dt.date(2026, 12, 31),
    )
    assert dict(medicaid.persons) == {"002": CoveredPerson("1", None)}
    # loading the same rows again over what is on file changes nothing
    assert merge_family(family, family) == family


def test_other_coverage_rows_that_cannot_be_read_reject_their_family_only():
    parsed = _families(
        f"ZZK100002,001,1,Cy,Lo,1970-01-01,F,{PPO},,,600428,,,W1,1,,2026-01-01,,,,\n"
        f"ZZK100003,001,1,Di,Lo,1970-01-01,F,{PPO},{SPOUSE_PLAN}\n"
        f"ZZK100003,002,2,Ed,Lo,1971-01-01,M,{PPO},"
        "group_health,ACME HEALTH,600428,ACME,G77,W123456,1,00,2026-01-01,,secondary,active,\n"
        f"ZZK100004,001,1,Fi,Lo,1970-01-01,F,{PPO},"
        "group_health,,60042,,,W1,1,,2026-01-01,,,,\n"
        f"ZZK100005,001,1,Gu,Lo,1970-01-01,F,{PPO},\n"
    )
    reasons = {card: result for _, card, result in parsed}
    assert reasons["ZZK100002"] == "other coverage needs other_kind with other_bin"
    assert reasons["ZZK100003"] == "other coverage 600428 from 2026-01-01 is described twice"
    assert reasons["ZZK100004"].startswith("cob.other_coverage.0.bin: ")
    assert reasons["ZZK100005"].cob is None  # no other coverage columns filled: none

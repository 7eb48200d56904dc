"""Approval records: what a valid one is, when it is in force, which drugs it names."""

import datetime as dt
import textwrap
from decimal import Decimal

import pytest
from pydantic import ValidationError

from engine.priorauth.csvfile import load_prior_auths
from engine.priorauth.directory import MemoryPriorAuthDirectory, PriorAuthError
from engine.priorauth.model import Lift, PriorAuthModel, prior_auth_from_model
from engine.sourcefile import SourceFileError

BASE = {
    "number": "26010500001",
    "cardholder_id": "ZZH100001",
    "person_code": "001",
    "ndc": "90500500001",
    "start": "2026-01-05",
    "end": "2026-06-30",
    "lifts": "prior-authorization",
    "approved_by": "R. SHAH",
}


def approval(**changes):
    return prior_auth_from_model(PriorAuthModel.model_validate({**BASE, **changes}))


def test_numbers_lose_their_leading_zeros_and_lifts_split_on_spaces():
    pa = approval(
        number="00000012345", lifts="prior-authorization quantity-limit", quantity="6",
        per_days="28",
    )  # fmt: skip
    assert pa.number == "12345"
    assert pa.lifts == {Lift.PRIOR_AUTHORIZATION, Lift.QUANTITY_LIMIT}
    assert (pa.quantity, pa.per_days) == (Decimal(6), 28)


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"drug_class": "statin"}, "name the drug once"),
        ({"ndc": None}, "name the drug once"),
        ({"end": "2026-01-04"}, "ends (2026-01-04) before it starts"),
        ({"lifts": "quantity-limit"}, "gives the approved quantity and per_days"),
        ({"quantity": "6", "per_days": "28"}, "gives the approved quantity and per_days"),
        ({"lifts": "days-supply-limit"}, "gives max_days_supply"),
        ({"lifts": "tier-exception"}, "gives the tier"),
        ({"lifts": "magic"}, "Input should be"),
        ({"number": "123456789012"}, "String should match pattern"),
    ],
)
def test_inconsistent_records_are_refused(changes, message):
    with pytest.raises(ValidationError) as raised:
        PriorAuthModel.model_validate({**BASE, **changes})
    assert message in str(raised.value)


def test_in_force_between_its_dates_and_until_the_revocation_day():
    pa = approval()
    assert [pa.in_force(dt.date(2026, 1, d)) for d in (4, 5)] == [False, True]
    assert [pa.in_force(dt.date(2026, m, d)) for m, d in ((6, 30), (7, 1))] == [True, False]
    revoked = MemoryPriorAuthDirectory([pa]).revoke(pa.number, dt.date(2026, 3, 1), "x", "fraud")
    assert [revoked.in_force(dt.date(2026, 3, d)) for d in (1, 2)] == [True, False]


def test_an_approval_names_an_ndc_a_drug_group_or_a_class():
    by_ndc = approval()
    by_group = approval(ndc=None, drug_group="sumatriptan 50mg tab")
    by_class = approval(ndc=None, drug_class="diabetes")
    assert by_ndc.covers_drug("90500500001", "humira", frozenset())
    assert not by_ndc.covers_drug("90500500101", "humira", frozenset())
    assert by_group.covers_drug("90200202401", "sumatriptan 50mg tab", frozenset())
    assert not by_group.covers_drug("90200202401", "zolpidem 10mg tab", frozenset())
    assert by_class.covers_drug("90300300501", "trulicity", frozenset({"diabetes"}))
    assert not by_class.covers_drug("90100100101", "atorvastatin", frozenset({"statin"}))
    assert [p.specificity for p in (by_ndc, by_group, by_class)] == [3, 2, 1]


def test_the_directory_finds_by_member_and_merges_all_or_nothing():
    directory = MemoryPriorAuthDirectory([approval()])
    assert [p.number for p in directory.for_member("ZZH100001", "001")] == ["26010500001"]
    assert directory.for_member("ZZH100001", "002") == ()
    moved = approval(person_code="002")
    assert directory.merge([moved, approval(number="2", person_code="002")]) == [
        "changed",
        "added",
    ]
    assert directory.for_member("ZZH100001", "001") == ()
    assert len(directory.for_member("ZZH100001", "002")) == 2
    directory.revoke("2", dt.date(2026, 2, 1), "x", "entered in error")
    with pytest.raises(PriorAuthError, match="revoked on 2026-02-01; issue a new number"):
        directory.merge([approval(number="3"), approval(number="2")])
    assert directory.get("3") is None
    with pytest.raises(PriorAuthError, match="needs a reason"):
        directory.revoke("26010500001", dt.date(2026, 2, 1), "x", " ")
    with pytest.raises(PriorAuthError, match="no PA 9 is on file"):
        directory.revoke("9", dt.date(2026, 2, 1), "x", "why")


def test_a_csv_file_loads_every_row_or_reports_each_bad_one(tmp_path):
    path = tmp_path / "pas.csv"
    header = (
        "number,cardholder_id,person_code,ndc,drug_group,start,end,lifts,quantity,per_days,"
        "approved_by\n"
    )
    path.write_text(
        header
        + textwrap.dedent(
            """\
            1,ZZH100001,001,90500500001,,2026-01-01,2026-12-31,prior-authorization,,,A
            2,ZZE300001,001,,sumatriptan 50mg tab,2026-02-03,2027-02-02,quantity-limit,18,30,B
            """
        )
    )
    first, second = load_prior_auths(path)
    assert (first.number, second.drug_group, second.quantity) == ("1", "sumatriptan 50mg tab", 18)
    path.write_text(
        header
        + textwrap.dedent(
            """\
            1,ZZH100001,001,90500500001,,2026-01-01,2026-12-31,prior-authorization,,,A
            1,ZZH100001,002,90500500001,,2026-01-01,2026-12-31,prior-authorization,,,A
            3,ZZH100001,001,90500500001,,2026-01-01,2026-12-31,quantity-limit,,,A
            """
        )
    )
    with pytest.raises(SourceFileError) as raised:
        load_prior_auths(path)
    assert [(i.ref.line, i.message[:40]) for i in raised.value.issues] == [
        (3, "PA number 1 is also on line 2"),
        (4, "row: Value error, a quantity-limit appro"),
    ]

"""Other coverage on file: the members-file block, its checks, JSON and merging."""

import datetime as dt

import pytest
from pydantic import ValidationError

from engine.cob.coverage import (
    FamilyCobModel,
    family_cob_from_json,
    family_cob_from_model,
    family_cob_to_json,
    merge_family_cob,
)
from engine.plans.members import FamilyModel

PERSONS = [
    {
        "person_code": "001",
        "relationship": "1",
        "first_name": "A",
        "last_name": "B",
        "date_of_birth": "1980-01-01",
        "gender": "F",
    },
]


def _coverage(bin_="012345", start="2026-01-01", **extra):
    return {
        "kind": "group_health",
        "bin": bin_,
        "cardholder_id": "X1",
        "start": start,
        "persons": [{"person_code": "001", "relationship": "1"}],
        **extra,
    }


def _family(*coverages, **cob):
    return {
        "cardholder_id": "C1",
        "persons": PERSONS,
        "cob": {"other_coverage": list(coverages), **cob},
    }


def test_a_valid_block_round_trips_through_json():
    model = FamilyModel.model_validate(
        _family(
            _coverage(subscriber_birthday="03-15", employment="retired", order="secondary"),
            _coverage("099999", "2025-06-01", end="2026-12-31"),
            medicare={"001": {"basis": "esrd", "esrd_coordination_start": "2025-09-01"}},
        )
    )
    cob = family_cob_from_model(model.cob)
    assert cob.other_coverage[0].subscriber_birthday == (3, 15)
    assert cob.other_coverage[0].order == 2
    assert family_cob_from_json(family_cob_to_json(cob)) == cob


@pytest.mark.parametrize(
    ("family", "message"),
    [
        (
            _family(_coverage(persons=[{"person_code": "002", "relationship": "1"}])),
            "names person code 002, not in the family",
        ),
        (
            _family(_coverage("011111"), _coverage("022222"), _coverage("033333")),
            "more than 2 other coverages in force on 2026-01-01",
        ),
        (
            _family(_coverage("011111", order="primary"), _coverage("022222", order="primary")),
            "both pin the primary order",
        ),
        (_family(_coverage(subscriber_birthday="15/03")), "write a birthday as MM-DD"),
        (_family(_coverage(subscriber_birthday="02-30")), "not a day of the year"),
        (_family(_coverage(end="2025-12-31")), "ends (2025-12-31) before it starts"),
        (
            _family({**_coverage(), "kind": "medicaid", "employment": "active"}),
            "employment and employer_size describe group health plans only",
        ),
        (
            _family(_coverage(), medicare={"001": {"basis": "esrd"}}),
            "esrd_coordination_start goes with basis: esrd",
        ),
    ],
)
def test_bad_blocks_say_what_is_wrong(family, message):
    with pytest.raises(ValidationError, match=message.replace("(", r"\(").replace(")", r"\)")):
        FamilyModel.model_validate(family)


def test_three_coverages_that_never_overlap_are_fine():
    FamilyModel.model_validate(
        _family(
            _coverage("011111", "2024-01-01", end="2024-12-31"),
            _coverage("022222", "2025-01-01"),
            _coverage("033333", "2026-01-01"),
        )
    )


def _cob(*coverages):
    return family_cob_from_model(FamilyCobModel.model_validate({"other_coverage": coverages}))


def test_merging_updates_by_key_appends_new_records_and_keeps_the_order():
    on_file = _cob(_coverage("099999", "2026-01-01"), _coverage("011111", "2024-01-01"))
    # the same file again: unchanged (in its own order, not re-sorted)
    assert merge_family_cob(on_file, on_file) == on_file
    # an end date terminates a record; a new one comes last; nothing is deleted
    update = _cob(_coverage("011111", "2024-01-01", end="2026-02-28"), _coverage("022222"))
    merged = merge_family_cob(on_file, update)
    assert [(c.bin, c.end) for c in merged.other_coverage] == [
        ("099999", None),
        ("011111", dt.date(2026, 2, 28)),
        ("022222", None),
    ]
    # a load without a cob block keeps what is on file
    assert merge_family_cob(on_file, None) == on_file

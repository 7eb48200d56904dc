"""Merging an eligibility file's family into what is on file (pure; no database)."""

import datetime as dt
import io

from engine.loading.members import csv_families, merge_family
from engine.plans.members import Coverage, Family, Person

JAN, JUN = dt.date(2026, 1, 1), dt.date(2026, 6, 1)
ANN = Person("001", "1", "Ann", "New", dt.date(1980, 5, 5), "F")
BOB = Person("002", "2", "Bob", "New", dt.date(1981, 6, 6), "M")


def family(*coverages, persons=(ANN, BOB)):
    return Family("ZZT170001", {p.person_code: p for p in persons}, tuple(coverages))


def hmo(end=None, persons=("001", "002")):
    return Coverage("HMO-GOLD", "HMOGOLD01", JAN, end, frozenset(persons))


def ppo(persons=("001", "002")):
    return Coverage("PPO-SILVER", "PPOSILV01", JUN, None, frozenset(persons))


def test_a_new_family_is_taken_as_is_and_merging_it_again_changes_nothing():
    merged = merge_family(None, family(hmo()))
    assert merged == family(hmo())
    assert merge_family(merged, family(hmo())) == merged


def test_a_termination_sets_the_end_and_records_are_never_deleted():
    ended = merge_family(family(hmo()), family(hmo(end=dt.date(2026, 4, 30))))
    assert ended.coverages == (hmo(end=dt.date(2026, 4, 30)),)
    # a later file that names only the PPO record keeps the HMO history
    both = merge_family(ended, family(ppo()))
    assert both.coverages == (hmo(end=dt.date(2026, 4, 30)), ppo())


def test_a_plan_change_closes_the_open_record_the_day_before():
    changed = merge_family(family(hmo()), family(ppo()))
    assert changed.coverages == (hmo(end=dt.date(2026, 5, 31)), ppo())
    # a record for only some of the persons does not end the others' coverage
    partial = merge_family(family(hmo()), family(ppo(persons=("002",))))
    assert partial.coverages == (hmo(), ppo(persons=("002",)))


def test_person_details_are_updated_and_missing_persons_are_kept():
    renamed = Person("001", "1", "Anne", "New", dt.date(1980, 5, 5), "F")
    merged = merge_family(family(hmo()), family(hmo(), persons=(renamed,)))
    assert merged.persons == {"001": renamed, "002": BOB}


def test_csv_rows_become_families_with_one_coverage_per_plan_group_and_start():
    text = (
        "cardholder_id,person_code,relationship,first_name,last_name,date_of_birth,gender,"
        "plan,group,coverage_start,coverage_end\n"
        "ZZT170001,001,1,Ann,New,1980-05-05,F,HMO-GOLD,HMOGOLD01,2026-01-01,\n"
        "ZZT170001,002,2,Bob,New,1981-06-06,M,HMO-GOLD,HMOGOLD01,2026-01-01,\n"
        "ZZT170001,001,1,Ann,New,1980-05-05,F,PPO-SILVER,PPOSILV01,2026-06-01,\n"
        "ZZT170002,001,1,Cy,X,1970-01-01,F,HMO-GOLD,,2026-01-01,\n"
        "ZZT170003,001,1,Di,X,1970-01-01,F,HMO-GOLD,HMOGOLD01,2026-01-01,\n"
        "ZZT170003,001,1,Di,Y,1970-01-01,F,PPO-SILVER,PPOSILV01,2026-06-01,\n"
    )
    parsed = list(csv_families(io.StringIO(text)))
    assert [(row, card) for row, card, _ in parsed] == [
        (2, "ZZT170001"),
        (5, "ZZT170002"),
        (6, "ZZT170003"),
    ]
    assert parsed[0][2] == family(hmo(), ppo(persons=("001",)))
    assert parsed[1][2] == "a coverage needs plan, group and coverage_start"
    assert parsed[2][2] == "person 001 appears twice with different details"

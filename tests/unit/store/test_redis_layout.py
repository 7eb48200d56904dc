"""The Redis key layout and value encodings (no server needed)."""

import dataclasses
import datetime as dt

import pytest
from redis.crc import key_slot

from engine.accumulators import FamilyKey, Fill
from engine.store.redis_layout import (
    Layout,
    decode_deltas,
    decode_fill,
    decode_record,
    encode_deltas,
    encode_fill,
    slot_tags,
)

KEY = FamilyKey("ZZT100001", dt.date(2026, 1, 1))


def test_every_slot_has_a_tag_that_hashes_to_it():
    tags = slot_tags()
    assert len(tags) == 16384
    assert all(key_slot(tag.encode()) == slot for slot, tag in enumerate(tags))


@pytest.mark.parametrize("cluster", [False, True])
def test_all_keys_a_script_call_touches_share_one_cluster_slot(cluster):
    keys = Layout("rx", cluster=cluster).family_keys(KEY)
    assert keys[:3] == (
        "rx:{ZZT100001}:a:2026-01-01",
        "rx:{ZZT100001}:t:2026-01-01",
        "rx:{ZZT100001}:f",
    )
    if cluster:
        assert len({key_slot(k.encode()) for k in keys}) == 1
    else:
        assert keys[3:] == ("rx:j", "rx:e")


def test_names_that_would_break_the_layout_are_refused():
    with pytest.raises(ValueError, match="cardholder id"):
        Layout("rx").family_keys(FamilyKey("AB}C", dt.date(2026, 1, 1)))
    with pytest.raises(ValueError, match="prefix"):
        Layout("a{b")
    with pytest.raises(TypeError):
        encode_deltas({"ded:001:rx": 1.5})


def test_values_round_trip():
    deltas = {"ded:001:rx": -25000, "oop:001:med": 7}
    assert decode_deltas(encode_deltas(deltas)) == deltas
    assert decode_deltas("") == {}
    fill = Fill("610999|X|1|2|0|2026-03-02#1", "001", "11111111101", "A", dt.date(2026, 3, 2), 30)
    assert decode_fill("7\t" + encode_fill(fill, fill.txn_id), fill.txn_id) == (7, fill)
    assert encode_fill(fill, fill.txn_id).startswith("\t001\t")  # its own id is implied
    assert decode_fill("7\t" + encode_fill(fill, "other"), "other") == (7, fill)
    # a fill that used clarification codes keeps them in one more field; others stay six
    early = dataclasses.replace(fill, clarifications=("03", "04"))
    assert encode_fill(early, early.txn_id).endswith("\t30\t03,04")
    assert encode_fill(fill, fill.txn_id).count("\t") == 5
    assert decode_fill("7\t" + encode_fill(early, early.txn_id), early.txn_id) == (7, early)
    # what the member paid under the caps follows the codes, which may be empty
    capped = dataclasses.replace(fill, member_share=6500)
    assert encode_fill(capped, capped.txn_id).endswith("\t30\t\t6500")
    assert decode_fill("7\t" + encode_fill(capped, capped.txn_id), capped.txn_id) == (7, capped)
    both = dataclasses.replace(early, member_share=1)
    assert decode_fill("7\t" + encode_fill(both, both.txn_id), both.txn_id) == (7, both)
    record = decode_record("\x1f".join(["3", "c#1", "", "ded:001:rx=5", ""]))
    assert (record.version, record.reverses, record.reversed_by, record.deltas) == (
        3,
        "c#1",
        None,
        {"ded:001:rx": 5},
    )
    member = Layout.journal_member(KEY, "c#1:rev")
    assert Layout.parse_member(member, 12.0).txn_id == "c#1:rev"

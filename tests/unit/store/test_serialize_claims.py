"""Claim requests to JSON-ready dictionaries and back, exactly (the ledger stores them)."""

import datetime as dt
import json
from decimal import Decimal

from engine.adjudication.serialize import claim_from_dict, claim_to_dict

from conftest import make_claim


def test_every_field_round_trips_through_json():
    claim = make_claim(
        "ZZT100001",
        "001",
        "11111111101",
        7,
        quantity=Decimal("30.125"),
        date_written=dt.date(2026, 2, 1),
        submission_clarification_codes=("08", "99"),
        usual_and_customary=12345,
        coupon_value=0,
        ingredient_cost_submitted=1,
        unknown_fields=("ZZ",),
    )
    data = json.loads(json.dumps(claim_to_dict(claim)))
    assert data["usual_and_customary"] == "123.45"
    assert data["quantity"] == "30.125"
    assert data["date_of_service"] == "2026-03-02"
    again = claim_from_dict(data)
    assert again == claim
    assert again.unknown_fields == claim.unknown_fields
    assert claim_from_dict({k: v for k, v in data.items() if v is not None}) == claim

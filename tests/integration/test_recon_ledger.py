"""Paid ledger claims become receivables; reversals close them; a rebill replaces them."""

import datetime as dt

import pytest
from sqlalchemy import select

from engine.adjudication.processor import ClaimProcessor
from engine.reconcile.sql import load_ledger_claims
from engine.reconcile.sql.tables import ITEMS
from engine.store.memory import MemoryAccumulatorStore
from engine.store.sql import SqlLedger

from conftest import make_claim

pytestmark = pytest.mark.postgres

DAY = dt.date(2026, 3, 2)
FAMILY = "ZZT100001"
GENERIC_A, BRAND_B = "11111111101", "22222222201"


def _load(ledger):
    with ledger.engine.begin() as conn:
        return load_ledger_claims(conn, actor="test", aging_date=dt.date(2026, 3, 31))


def _items(ledger):
    with ledger.engine.connect() as conn:
        return conn.execute(select(ITEMS).order_by(ITEMS.c.id)).mappings().all()


def test_ledger_claims_into_receivables(catalog, ledger_url):
    ledger = SqlLedger.open(ledger_url)
    try:
        processor = ClaimProcessor(catalog, MemoryAccumulatorStore(), ledger)
        first = make_claim(FAMILY, "001", BRAND_B, 1)
        paid = [processor.process(c, DAY) for c in (first, make_claim(FAMILY, "001", GENERIC_A, 2))]
        assert [d.status for d in paid] == ["P", "P"]
        result = _load(ledger)
        assert result.counts == {"valid": 2}
        items = _items(ledger)
        assert [(i["rx_number"], i["amount_due"]) for i in items] == [
            (1, paid[0].figures.plan_pay),
            (2, paid[1].figures.plan_pay),
        ]
        assert items[0]["payer"] == first.bin
        assert items[0]["billing_method"] == paid[0].plan_id
        assert items[0]["patient_pay"] == paid[0].figures.patient_pay
        assert items[0]["store"] == first.service_provider_id
        assert _load(ledger).counts == {}  # nothing new since the last ledger load
        processor.process(first.with_code("B2"), DAY)
        processor.process(
            make_claim(FAMILY, "001", GENERIC_A, 2, transaction_code="B3", quantity=60),
            DAY,
        )
        again = _load(ledger)
        assert again.reversed == 2
        assert again.counts == {"valid": 1}
        assert [(i["rx_number"], i["status"]) for i in _items(ledger)] == [
            (1, "reversed"),
            (2, "reversed"),
            (2, "open"),
        ]
    finally:
        ledger.close()

"""Inquiry, audited correction, archive and restore, aged statements by SMTP."""

import datetime as dt
import socket

import pytest
from aiosmtpd.controller import Controller
from sqlalchemy import select

from engine.reconcile.errors import CorrectionRefused, ItemNotFound
from engine.reconcile.reports.statements import SmtpConfig, aged_statements, send_statements
from engine.reconcile.sql import (
    archive_closed,
    correct_item,
    find_items,
    get_item,
    list_archives,
    restore_archive,
    search_archive,
)
from engine.reconcile.sql.tables import AUDIT, ITEMS

from .recon_support import scenario

pytestmark = pytest.mark.postgres


@pytest.fixture
def done(ledger_url):
    built = scenario(ledger_url)
    yield built
    built.engine.dispose()


def test_lookup_by_keys_pages_through_a_prescription_family(done):
    with done.engine.connect() as conn:
        family = find_items(conn, store="1234567893", rx_number=100)
        assert [(r["payer"], r["payer_seq"]) for r in family] == [
            ("777777", 1),
            ("888880", 2),
            ("888881", 3),
        ]
        page = find_items(conn, payer="610014", limit=2, offset=2)
        assert [r["rx_number"] for r in page] == [202, 203]
        item = get_item(conn, family[0]["id"])
        assert [p["outcome"] for p in item["payments"]] == ["paid_in_full"]
        with pytest.raises(ItemNotFound):
            get_item(conn, 999_999)


def test_a_correction_is_audited_with_who_when_before_and_after(done):
    with done.engine.connect() as conn:
        (item,) = find_items(conn, rx_number=102)
    with done.engine.begin() as conn:
        before, after = correct_item(
            conn,
            item["id"],
            {"amount_due": "474.99", "reason": "CONTRACT"},
            actor="finance-1",
            reason="payer's contracted rate",
        )
    assert before == {"amount_due": 50_000, "reason": None}
    assert after == {"amount_due": 47_499, "reason": "CONTRACT"}
    with done.engine.connect() as conn:
        row = conn.execute(
            select(AUDIT).where(AUDIT.c.action == "recon.correct").order_by(AUDIT.c.id.desc())
        ).first()
    assert row.actor == "finance-1"
    assert row.at is not None
    assert row.detail["before"]["amount_due"] == 50_000
    assert row.detail["reason"] == "payer's contracted rate"
    with pytest.raises(CorrectionRefused), done.engine.begin() as conn:
        correct_item(conn, item["id"], {"rx_number": "1"}, actor="x", reason="keys never change")
    with pytest.raises(CorrectionRefused), done.engine.begin() as conn:
        correct_item(conn, item["id"], {"amount_due": "1.001"}, actor="x", reason="cents")


def test_archive_search_restore_round_trip(done):
    with done.engine.connect() as conn:
        before = conn.execute(select(ITEMS).order_by(ITEMS.c.id)).mappings().all()
    with done.engine.begin() as conn:
        result = archive_closed(conn, dt.date(2026, 4, 11), actor="finance-1")
    assert result.items == 9  # paid and denied on 2026-04-10; rx 500 was paid on 04-12
    assert result.payments == 12
    with done.engine.connect() as conn:
        remaining = conn.execute(select(ITEMS.c.status)).scalars().all()
        assert "open" in remaining
        assert remaining.count("paid") == 1
        found = search_archive(conn, rx_number=205)
        assert [(r["rx_number"], r["amount_paid"]) for r in found] == [(205, 4_410)]
        assert list_archives(conn)[0]["items"] == 9
    with done.engine.begin() as conn:
        assert restore_archive(conn, result.archive_id, actor="finance-1")["item"] == 9
    with done.engine.connect() as conn:
        after = conn.execute(select(ITEMS).order_by(ITEMS.c.id)).mappings().all()
        actions = conn.execute(select(AUDIT.c.action)).scalars().all()
    assert [dict(r) for r in after] == [dict(r) for r in before]
    assert {"recon.archive", "recon.restore"} <= set(actions)
    with pytest.raises(Exception, match="restored"), done.engine.begin() as conn:
        restore_archive(conn, result.archive_id, actor="finance-1")


class _Inbox:
    def __init__(self):
        self.messages = []

    async def handle_DATA(self, server, session, envelope):  # noqa: N802 - aiosmtpd's hook name
        self.messages.append(envelope)
        return "250 OK"


def _free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_aged_statements_are_emailed_through_smtp(done):
    inbox = _Inbox()
    server = Controller(inbox, hostname="127.0.0.1", port=_free_port())
    server.start()
    try:
        with done.engine.connect() as conn:
            statements = aged_statements(conn, dt.date(2026, 5, 15))
        by_payer = {s.payer: s for s in statements}
        assert by_payer["610014"].balance == 50_000
        assert by_payer["777777"].claims == 3
        config = SmtpConfig("127.0.0.1", server.port, "ar@pharmacy.example")
        sent, skipped = send_statements(
            statements,
            config,
            lambda payer: done.book.statement_address(payer, dt.date(2026, 5, 15)),
            dt.date(2026, 5, 15),
        )
    finally:
        server.stop()
    assert [s.payer for s in sent] == ["610014"]
    assert sorted(skipped) == ["777777", "888880", "888881"]
    (message,) = inbox.messages
    assert message.rcpt_tos == ["ar@payer-610014.example"]
    assert b"application/pdf" in message.content

"""Synthetic receivables and payments for the reconciliation benchmark.

``generate`` fills a migrated database with ``n`` open claims and about ``n``
waiting payments, in the mix accounts receivable sees: most paid in full, some
short within tolerance, some outside it, denials, payments with no claim,
duplicates, and reversal groups (original, reversal, revised). Rows go in by
bulk load (COPY on PostgreSQL, executemany on SQLite); nothing here is timed.
"""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Iterator
from typing import Any

from sqlalchemy import Engine, insert

from engine.reconcile.sql.tables import ADJUSTMENTS, BATCHES, ITEMS, PAYMENTS, chunks

__all__ = ["generate"]

_DAY = dt.date(2026, 3, 2)
_PAID_ON = dt.date(2026, 4, 10)
_NOW = dt.datetime(2026, 4, 11, tzinfo=dt.UTC)


def _items(n: int, rng: random.Random) -> Iterator[dict[str, Any]]:
    for k in range(n):
        due = rng.randrange(500, 50_000)
        yield {
            "id": k + 1,
            "store": f"S{k % 1000:04d}",
            "rx_number": 1_000_000 + k,
            "fill_number": 0,
            "date_of_service": _DAY + dt.timedelta(days=k % 28),
            "payer": f"P{k % 5}",
            "payer_seq": 1,
            "billing_method": f"PLAN{k % 10}",
            "ingredient_cost": due,
            "dispensing_fee": 150,
            "patient_pay": 150,
            "amount_due": due,
            "amount_paid": 0,
            "markdown": 0,
            "status": "open",
            "aging_date": _DAY + dt.timedelta(days=30),
            "updated_at": _NOW,
        }


def _payments(
    items: list[dict[str, Any]], rng: random.Random
) -> Iterator[tuple[dict[str, Any], str | None]]:
    """Payments and, for some, the CAS code they carry (CO-45 or the never-accepted CO-16)."""
    line = 0
    for k, item in enumerate(items):
        due = item["amount_due"]
        roll = rng.random()
        amounts: list[tuple[int, str]] = []
        target = item
        if roll < 0.85:
            amounts = [(due, "1")]
        elif roll < 0.90:
            amounts = [(due - min(due // 50, 7500), "1")]
        elif roll < 0.93:
            amounts = [(due // 2, "1")]
        elif roll < 0.95:
            amounts = [(0, "4")]
        elif roll < 0.97:
            amounts = [(due, "1"), (due, "1")]
        elif roll < 0.98:
            amounts = [(due, "1"), (-due, "22"), (due - 100, "1")]
        else:
            target = {**item, "rx_number": 9_000_000 + k}
            amounts = [(due, "1")]
        for paid, status in amounts:
            line += 1
            code = "CO-16" if status == "4" else ("CO-45" if paid < due and paid > 0 else None)
            yield (
                {
                    "id": line,
                    "batch_id": 1,
                    "line": line,
                    "store": target["store"],
                    "rx_number": target["rx_number"],
                    "fill_number": None,
                    "date_of_service": target["date_of_service"],
                    "payer": target["payer"],
                    "status_code": status,
                    "charge": due,
                    "paid": paid,
                    "patient_resp": 150,
                    "reason_code": code,
                    "payment_date": _PAID_ON,
                    "check_number": "EFT1",
                },
                code,
            )


def _copy(engine: Engine, table: str, rows: list[dict[str, Any]]) -> None:
    raw = engine.raw_connection()
    try:
        columns = list(rows[0])
        statement = f"COPY {table} ({', '.join(columns)}) FROM STDIN"
        with raw.cursor() as cursor, cursor.copy(statement) as copy:  # type: ignore[attr-defined]
            for row in rows:
                copy.write_row([row[c] for c in columns])
        raw.commit()
    finally:
        raw.close()


def generate(engine: Engine, n: int, seed: int = 7) -> dict[str, int]:
    """Fill the database with ``n`` claims and their payments; counts of rows written."""
    rng = random.Random(seed)
    items = [dict(row) for row in _items(n, rng)]
    payments: list[dict[str, Any]] = []
    adjustments: list[dict[str, Any]] = []
    for payment, code in _payments(items, rng):
        payments.append(payment)
        if code is not None:
            group, reason = code.split("-")
            adjustments.append(
                {
                    "batch_id": 1,
                    "payment_id": payment["id"],
                    "level": "claim",
                    "group_code": group,
                    "reason": reason,
                    "amount": payment["charge"] - payment["paid"],
                    "category": "contractual",
                    "payer": payment["payer"],
                }
            )
    with engine.begin() as conn:
        conn.execute(
            insert(BATCHES),
            {"id": 1, "kind": "payments", "source": "bench", "actor": "bench", "at": _NOW},
        )
    if engine.dialect.name == "postgresql":
        for table, rows in (
            ("recon_items", items),
            ("recon_payments", payments),
            ("recon_adjustments", adjustments),
        ):
            _copy(engine, table, rows)
        with engine.begin() as conn:
            for table in ("recon_batches", "recon_items", "recon_payments", "recon_adjustments"):
                conn.exec_driver_sql(
                    f"SELECT setval(pg_get_serial_sequence('{table}', 'id'),"
                    f" (SELECT MAX(id) FROM {table}))"
                )
                conn.exec_driver_sql(f"ANALYZE {table}")
    else:
        with engine.begin() as conn:
            for table, rows in ((ITEMS, items), (PAYMENTS, payments), (ADJUSTMENTS, adjustments)):
                for part in chunks(rows, 50_000):
                    conn.execute(insert(table), part)
            conn.exec_driver_sql("ANALYZE")
    return {"items": len(items), "payments": len(payments), "adjustments": len(adjustments)}

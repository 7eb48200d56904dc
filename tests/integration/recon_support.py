"""The hand-built reconciliation scenario, run the same way on SQLite and PostgreSQL."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import Engine, text

from engine.reconcile.claims import read_claim_csv
from engine.reconcile.remit import read_payment_file
from engine.reconcile.sql import ClaimLoad, RunResult, load_claims, reconcile, store_payments
from engine.reconcile.tolerance import ToleranceBook, load_tolerances
from engine.store.sql.database import connect, migrate

DATA = Path(__file__).resolve().parents[1] / "data" / "reconcile"
FIRST_AGING = dt.date(2026, 3, 31)
SECOND_AGING = dt.date(2026, 4, 5)


@dataclass
class Scenario:
    """A database after both claim loads, both payment files and one run."""

    engine: Engine
    book: ToleranceBook
    loads: list[ClaimLoad]
    run: RunResult

    def items(self) -> dict[tuple[int, str], dict]:
        with self.engine.connect() as conn:
            rows = conn.execute(text("SELECT * FROM recon_items")).mappings().all()
        return {(row["rx_number"], row["payer"]): dict(row) for row in rows}

    def outcomes(self) -> list[tuple]:
        with self.engine.connect() as conn:
            return [
                tuple(row)
                for row in conn.execute(
                    text(
                        "SELECT rx_number, paid, outcome FROM recon_payments"
                        " ORDER BY batch_id, line"
                    )
                )
            ]


def claims(engine: Engine, name: str, aging: dt.date) -> ClaimLoad:
    with (DATA / name).open(newline="") as handle, engine.begin() as conn:
        return load_claims(
            conn, read_claim_csv(handle), source=name, actor="test", aging_date=aging
        )


def scenario(url: str) -> Scenario:
    engine = connect(url, writer=True)
    migrate(engine)
    book = load_tolerances([DATA])
    loads = [
        claims(engine, "claims.csv", FIRST_AGING),
        claims(engine, "claims-again.csv", SECOND_AGING),
    ]
    for name in ("remit.835", "payments.csv"):
        with engine.begin() as conn:
            store_payments(conn, read_payment_file(DATA / name), book, actor="test")
    with engine.begin() as conn:
        run = reconcile(conn, book, actor="test")
    return Scenario(engine, book, loads, run)

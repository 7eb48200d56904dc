"""Loading claims into receivables: stage, classify in SQL, append the valid ones.

A load stages its claims in a temporary table and classifies them with a few
set-based statements, in this order of precedence (CRAM21 module 1):

1. unauthorized — marked not billable on the incoming record; no liability;
2. resubmitted — reported with whether the original (store, Rx, fill) is on file;
3. zero balance — the patient's copay covers the cost, nothing is due;
4. duplicate — the store, Rx, fill and payer are already on file, or twice in the file;
5. COB limit — a fourth payer for one fill (coordination of benefits stops at three),
   or a payer place (``payer_seq``) that another payer of the fill already holds,
   on file or earlier in this file;
6. valid — appended as an open item, its payer place as given (a CSV column, the
   ledger's own, a request's COB segment) or else the fill's first free one.

Each payer of a fill is its own open item, matched and paid on its own. A place
left free by the data is filled lowest first, so a primary loaded after its
secondary still becomes payer 1. Free places are found by joining a scratch table
of the places taken (``stage_taken``), never by a subquery per claim: the earlier
correlated form ran 395 s for 20,000 claims on PostgreSQL.

Only valid claims become receivables; every other category goes to the load's
exception reports with its row. Rows that cannot be read are reported as invalid.
Staged claims are ordered by their place in the input (``seq``), not by ``row``: the
claims of one multi-transaction batch record share a row number.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import asdict, dataclass, field

from sqlalchemy import BigInteger, Column, Connection, Integer, String, bindparam, insert, text
from sqlalchemy.types import Date

from engine.reconcile.claims.records import ClaimItem, ClaimProblem
from engine.reconcile.codes import ClaimCategory
from engine.reconcile.sql.tables import (
    BATCHES,
    CLAIM_EXCEPTIONS,
    ITEMS,
    audit,
    columns,
    insert_many,
    scratch,
)
from engine.store.sql.models import utcnow

__all__ = ["ClaimLoad", "load_claims"]

_STAGED = (
    "store",
    "rx_number",
    "fill_number",
    "date_of_service",
    "payer",
    "billing_method",
    "amount_due",
    "ingredient_cost",
    "dispensing_fee",
    "patient_pay",
    "ndc",
    "prescriber_id",
    "claim_key",
)

_FILL_KEY = ("store", "rx_number", "fill_number")

_SAME_FILL = (
    "i.store = stage_claims.store AND i.rx_number = stage_claims.rx_number"
    " AND i.fill_number = stage_claims.fill_number AND i.status <> 'reversed'"
)

_BEYOND = "'more than three payers for one fill'"
_OPEN_FILLS = (
    "SELECT DISTINCT store, rx_number, fill_number FROM stage_claims"
    " WHERE category IS NULL AND payer_seq IS NULL"
)
"""The fills with claims whose payer place the data left open: each takes a free one."""

_CLASSIFY = (
    "UPDATE stage_claims SET category = 'unauthorized' WHERE unauthorized = 1",
    f"""UPDATE stage_claims SET category = 'resubmitted',
        original_found = CASE WHEN EXISTS (
            SELECT 1 FROM recon_items i WHERE {_SAME_FILL}) THEN 1 ELSE 0 END
        WHERE category IS NULL AND resubmitted = 1""",
    "UPDATE stage_claims SET category = 'zero_balance' WHERE category IS NULL AND amount_due <= 0",
    f"""UPDATE stage_claims SET category = 'duplicate', reason = 'already on file'
        WHERE category IS NULL AND EXISTS (
            SELECT 1 FROM recon_items i
            WHERE {_SAME_FILL} AND i.payer = stage_claims.payer)""",
    """UPDATE stage_claims SET category = 'duplicate', reason = 'twice in this file'
        WHERE seq IN (SELECT seq FROM (
            SELECT seq, ROW_NUMBER() OVER (
                PARTITION BY store, rx_number, fill_number, payer ORDER BY seq) AS n
            FROM stage_claims WHERE category IS NULL) AS d WHERE d.n > 1)""",
    f"""UPDATE stage_claims SET category = 'cob_limit', reason = {_BEYOND}
        WHERE category IS NULL AND payer_seq > 3""",
    f"""UPDATE stage_claims SET category = 'cob_limit',
        reason = 'payer ' || CAST(payer_seq AS VARCHAR(2)) || ' of this fill is already on file'
        WHERE category IS NULL AND payer_seq IS NOT NULL AND EXISTS (
            SELECT 1 FROM recon_items i
            WHERE {_SAME_FILL} AND i.payer_seq = stage_claims.payer_seq)""",
    """UPDATE stage_claims SET category = 'cob_limit',
        reason = 'payer ' || CAST(payer_seq AS VARCHAR(2)) || ' of this fill twice in this file'
        WHERE seq IN (SELECT seq FROM (
            SELECT seq, ROW_NUMBER() OVER (
                PARTITION BY store, rx_number, fill_number, payer_seq ORDER BY seq) AS n
            FROM stage_claims WHERE category IS NULL AND payer_seq IS NOT NULL) AS d
            WHERE d.n > 1)""",
    f"""INSERT INTO stage_taken (store, rx_number, fill_number, place)
        SELECT i.store, i.rx_number, i.fill_number, i.payer_seq
        FROM recon_items i JOIN ({_OPEN_FILLS}) AS u ON i.store = u.store
            AND i.rx_number = u.rx_number AND i.fill_number = u.fill_number
        WHERE i.status <> 'reversed'
        UNION
        SELECT store, rx_number, fill_number, payer_seq FROM stage_claims
        WHERE category IS NULL AND payer_seq IS NOT NULL""",
    f"""UPDATE stage_claims SET payer_seq = f.place
        FROM (SELECT r.seq, free.place
            FROM (SELECT seq, store, rx_number, fill_number, ROW_NUMBER() OVER (
                    PARTITION BY store, rx_number, fill_number ORDER BY seq) AS n
                FROM stage_claims WHERE category IS NULL AND payer_seq IS NULL) AS r
            JOIN (SELECT c.store, c.rx_number, c.fill_number, c.place, ROW_NUMBER() OVER (
                    PARTITION BY c.store, c.rx_number, c.fill_number ORDER BY c.place) AS k
                FROM (SELECT u.store, u.rx_number, u.fill_number, s.place
                    FROM ({_OPEN_FILLS}) AS u CROSS JOIN (
                        SELECT 1 AS place UNION ALL SELECT 2 UNION ALL SELECT 3) AS s) AS c
                LEFT JOIN stage_taken t ON t.store = c.store AND t.rx_number = c.rx_number
                    AND t.fill_number = c.fill_number AND t.place = c.place
                WHERE t.place IS NULL) AS free
            ON free.store = r.store AND free.rx_number = r.rx_number
                AND free.fill_number = r.fill_number AND free.k = r.n) AS f
        WHERE f.seq = stage_claims.seq""",
    f"""UPDATE stage_claims SET category = 'cob_limit', reason = {_BEYOND}
        WHERE category IS NULL AND payer_seq IS NULL""",
    "UPDATE stage_claims SET category = 'valid' WHERE category IS NULL",
)

_APPEND = f"""
INSERT INTO recon_items ({", ".join(_STAGED)}, payer_seq, amount_paid, markdown, status,
    aging_date, load_id, updated_at)
SELECT {", ".join(_STAGED)}, payer_seq, 0, 0, 'open', :aging, :load, :now
FROM stage_claims WHERE category = 'valid' ORDER BY seq
"""

_EXCEPTIONS = """
INSERT INTO recon_claim_exceptions (batch_id, row, category, store, rx_number, fill_number,
    date_of_service, payer, billing_method, amount_due, prescriber_id, original_found, reason)
SELECT :load, row_no, category, store, rx_number, fill_number, date_of_service, payer,
    billing_method, amount_due, prescriber_id,
    CASE original_found WHEN 1 THEN TRUE WHEN 0 THEN FALSE END, reason
FROM stage_claims WHERE category <> 'valid' ORDER BY seq
"""


@dataclass(slots=True)
class ClaimLoad:
    """What a claims load did: its batch, the count per category, the amount added."""

    batch_id: int
    counts: dict[str, int] = field(default_factory=dict)
    amount_due: int = 0
    reversed: int = 0

    @property
    def added(self) -> int:
        """Claims that became open items."""
        return self.counts.get(ClaimCategory.VALID, 0)


def _stage(conn: Connection, items: Iterable[ClaimItem | ClaimProblem]) -> list[ClaimProblem]:
    table = scratch(
        conn,
        "stage_claims",
        Column("seq", BigInteger, primary_key=True),
        Column("row_no", BigInteger),
        *columns(ITEMS, _STAGED),
        Column("payer_seq", Integer),
        Column("unauthorized", Integer),
        Column("resubmitted", Integer),
        Column("category", String(20)),
        Column("original_found", Integer),
        Column("reason", String(200)),
    )
    problems: list[ClaimProblem] = []

    def rows() -> Iterable[dict[str, object]]:
        for seq, item in enumerate(items, start=1):
            if isinstance(item, ClaimProblem):
                problems.append(item)
                continue
            values = asdict(item)
            row = {name: values[name] for name in _STAGED}
            row.update(
                seq=seq,
                row_no=item.row,
                payer_seq=item.payer_seq,
                unauthorized=int(item.unauthorized),
                resubmitted=int(item.resubmitted),
                category=None,
                original_found=None,
                reason=item.reason[:200] if item.reason else None,
            )
            yield row

    insert_many(conn, table, rows())
    scratch(
        conn,
        "stage_taken",
        *(Column(name, ITEMS.c[name].type, primary_key=True) for name in _FILL_KEY),
        Column("place", Integer, primary_key=True),
    )
    return problems


def load_claims(
    conn: Connection,
    items: Iterable[ClaimItem | ClaimProblem],
    *,
    source: str,
    actor: str,
    aging_date: dt.date,
) -> ClaimLoad:
    """Classify and append claims in the caller's transaction; audited as ``recon.load-claims``."""
    now = utcnow()
    batch_id = conn.execute(
        insert(BATCHES).returning(BATCHES.c.id),
        {"kind": "claims", "source": source[:300], "actor": actor, "at": now},
    ).scalar_one()
    problems = _stage(conn, items)
    for statement in _CLASSIFY:
        conn.execute(text(statement))
    conn.execute(
        text(_APPEND).bindparams(bindparam("aging", type_=Date)),
        {"aging": aging_date, "load": batch_id, "now": now},
    )
    conn.execute(text(_EXCEPTIONS), {"load": batch_id})
    insert_many(
        conn,
        CLAIM_EXCEPTIONS,
        (
            {
                "batch_id": batch_id,
                "row": p.row,
                "category": ClaimCategory.INVALID.value,
                "store": p.store,
                "rx_number": p.rx_number,
                "reason": p.reason[:200],
            }
            for p in problems
        ),
    )
    result = ClaimLoad(batch_id)
    for category, count, due in conn.execute(
        text(
            "SELECT category, COUNT(*), COALESCE(SUM(amount_due), 0) FROM stage_claims"
            " GROUP BY category"
        )
    ):
        result.counts[category] = int(count)
        if category == ClaimCategory.VALID:
            result.amount_due = int(due)
    if problems:
        result.counts[ClaimCategory.INVALID] = len(problems)
    conn.execute(text("DROP TABLE stage_claims"))
    conn.execute(text("DROP TABLE stage_taken"))
    total = sum(result.counts.values())
    conn.execute(
        BATCHES.update()
        .where(BATCHES.c.id == batch_id)
        .values(
            rows=total,
            accepted=result.added,
            rejected=total - result.added,
            detail_total=result.amount_due,
            summary={"counts": result.counts, "aging_date": aging_date.isoformat()},
        )
    )
    audit(
        conn,
        actor,
        "recon.load-claims",
        f"batch {batch_id}",
        {"source": source, "counts": result.counts, "amount_due": result.amount_due},
    )
    return result

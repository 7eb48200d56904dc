"""A reconciliation run: every waiting payment decided, set-based, in one transaction.

1. rules: the tolerance of each distinct (payer, store, billing method, payment
   date) among the waiting payments is resolved in Python — conditions included —
   and staged, with the adjustment codes never written off;
2. match: each waiting payment joins its receivable by store, Rx, date of service
   and payer (and fill, when the payer sent it) and its staged rule — one grouped
   join for all of them; none or several candidates is "no matching claim". In
   the same statement a claim's payments are numbered in file order (original,
   reversal, revised), so pass ``k`` takes every claim's ``k``-th payment at once;
3. flags: payments carrying an adjustment code the rules never write off;
4. passes: decide (``decide.CLASSIFY``) and post (``decide.APPLY_ITEMS``) per k;
5. record: the decisions, with the rule version each used, go back to the
   payments, the run to ``recon_batches`` and the audit log.

Typically two or three passes handle a run of any size: the work grows with the
rows, not with statements per row. Decisions are inserted (not updated) into a
scratch table, which PostgreSQL does far faster; only the receivables and the
payments themselves are updated, once each per pass.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from sqlalchemy import BigInteger, Column, Connection, Date, Integer, String, insert, text
from sqlalchemy.sql.expression import TextClause

from engine.reconcile.sql.decide import APPLY_ITEMS, CLASSIFY
from engine.reconcile.sql.tables import BATCHES, audit, insert_many, scratch
from engine.reconcile.tolerance.book import RemitFacts, ToleranceBook
from engine.store.sql.models import utcnow

__all__ = ["RunResult", "reconcile"]

Step = Callable[[str], None]

_MATCH_ON = """i.store = p.store AND i.rx_number = p.rx_number
    AND i.date_of_service = p.date_of_service AND i.payer = p.payer
    AND (p.fill_number IS NULL OR i.fill_number = p.fill_number)
    AND i.status <> 'reversed'"""

_RULE_KEYS = f"""
SELECT DISTINCT p.payer, p.store, i.billing_method, p.payment_date
FROM recon_payments p JOIN recon_items i ON {_MATCH_ON}
WHERE p.outcome IS NULL
"""

_MATCH = f"""
INSERT INTO work_payments (payment_id, item_id, candidates, seq, paid, status_code, reason_code,
    payment_date, check_number, rule_version, min_ppm, max_diff)
SELECT p.id, MIN(i.id), COUNT(i.id),
    ROW_NUMBER() OVER (PARTITION BY MIN(i.id) ORDER BY MIN(p.batch_id), MIN(p.line), p.id),
    MIN(p.paid), MIN(p.status_code), MIN(p.reason_code), MIN(p.payment_date),
    MIN(p.check_number), MIN(r.version), MIN(r.min_ppm), MIN(r.max_diff)
FROM recon_payments p
LEFT JOIN recon_items i ON {_MATCH_ON}
LEFT JOIN work_rules r ON r.payer = p.payer AND r.store = p.store
    AND r.billing_method = i.billing_method AND r.payment_date = p.payment_date
WHERE p.outcome IS NULL
GROUP BY p.id
"""

_NO_MATCH = """
INSERT INTO work_decisions (payment_id, outcome, note)
SELECT payment_id, 'no_match', CASE WHEN candidates > 1
        THEN 'several claims match: the payment names no fill number'
        ELSE 'no open claim with this store, Rx, date of service and payer' END
FROM work_payments WHERE candidates <> 1
"""

_FLAGS = """
UPDATE work_payments AS w SET flagged = f.code
FROM (SELECT a.payment_id, MIN(a.group_code || '-' || a.reason) AS code
    FROM recon_adjustments a
    JOIN work_payments x ON x.payment_id = a.payment_id
    JOIN work_codes c ON c.version = x.rule_version AND c.code = a.group_code || '-' || a.reason
    GROUP BY a.payment_id) AS f
WHERE w.payment_id = f.payment_id
"""

_RECORD = """
UPDATE recon_payments SET outcome = d.outcome, note = d.note,
    item_id = CASE WHEN d.outcome = 'no_match' THEN NULL ELSE w.item_id END,
    due_before = d.due_before, paid_before = d.paid_before, markdown = d.markdown,
    rule_version = w.rule_version, run_id = :run
FROM work_decisions d JOIN work_payments w ON w.payment_id = d.payment_id
WHERE d.payment_id = recon_payments.id
"""

_REJECTED = "UPDATE recon_payments SET run_id = :run WHERE outcome = 'rejected' AND run_id IS NULL"

_SUMMARY = """
SELECT outcome, COUNT(*), COALESCE(SUM(paid), 0), COALESCE(SUM(markdown), 0)
FROM recon_payments WHERE run_id = :run GROUP BY outcome
"""


@dataclass(slots=True)
class RunResult:
    """A run's outcome counts and amounts (cents), and which rules it used."""

    run_id: int
    counts: dict[str, int] = field(default_factory=dict)
    paid: dict[str, int] = field(default_factory=dict)
    markdown: int = 0
    passes: int = 0
    rules: list[str] = field(default_factory=list)


def _work_tables(conn: Connection) -> None:
    scratch(
        conn,
        "work_payments",
        Column("payment_id", BigInteger, primary_key=True),
        Column("item_id", BigInteger),
        Column("candidates", Integer),
        Column("seq", Integer),
        Column("paid", BigInteger),
        Column("status_code", String(2)),
        Column("reason_code", String(12)),
        Column("payment_date", Date),
        Column("check_number", String(50)),
        Column("rule_version", String(160)),
        Column("min_ppm", BigInteger),
        Column("max_diff", BigInteger),
        Column("flagged", String(12)),
    )
    scratch(
        conn,
        "work_decisions",
        Column("payment_id", BigInteger, primary_key=True),
        Column("outcome", String(20)),
        Column("note", String(200)),
        Column("due_before", BigInteger),
        Column("paid_before", BigInteger),
        Column("markdown", BigInteger),
    )


def _stage_rules(conn: Connection, book: ToleranceBook) -> list[str]:
    keys = conn.execute(
        text(_RULE_KEYS).columns(
            payer=String, store=String, billing_method=String, payment_date=Date
        )
    ).all()
    rules = scratch(
        conn,
        "work_rules",
        Column("payer", String(30), primary_key=True),
        Column("store", String(15), primary_key=True),
        Column("billing_method", String(60), primary_key=True),
        Column("payment_date", Date, primary_key=True),
        Column("version", String(160)),
        Column("min_ppm", BigInteger),
        Column("max_diff", BigInteger),
    )
    codes = scratch(conn, "work_codes", Column("version", String(160)), Column("code", String(12)))
    staged: list[dict[str, object]] = []
    versions: dict[str, tuple[str, ...]] = {}
    for payer, store, billing_method, day in keys:
        rule = book.rule_for(day, RemitFacts(payer, store, billing_method))
        versions.setdefault(rule.version, book.exception_codes(day))
        staged.append(
            {
                "payer": payer,
                "store": store,
                "billing_method": billing_method,
                "payment_date": day,
                "version": rule.version,
                "min_ppm": rule.minimum_ppm,
                "max_diff": rule.maximum_difference,
            }
        )
    insert_many(conn, rules, staged)
    _analyze(conn, "work_rules")
    insert_many(
        conn,
        codes,
        ({"version": v, "code": code} for v, found in versions.items() for code in found),
    )
    return sorted(versions)


def _analyze(conn: Connection, table: str) -> None:
    """Give PostgreSQL statistics on a scratch table.

    Autovacuum never analyzes temporary tables: without statistics PostgreSQL plans
    a million-row join as if the table were tiny.
    """
    if conn.dialect.name == "postgresql":
        conn.execute(text(f"ANALYZE {table}"))


def _run(conn: Connection, statement: str | TextClause, **params: object) -> int:
    clause = text(statement) if isinstance(statement, str) else statement
    return conn.execute(clause, params).rowcount


def reconcile(
    conn: Connection,
    book: ToleranceBook,
    *,
    actor: str,
    step: Step | None = None,
) -> RunResult:
    """Decide every waiting payment in the caller's transaction; audited as ``recon.run``."""
    note = step or (lambda _: None)
    now = utcnow()
    run_id = conn.execute(
        insert(BATCHES).returning(BATCHES.c.id), {"kind": "run", "actor": actor, "at": now}
    ).scalar_one()
    result = RunResult(run_id)
    _work_tables(conn)
    note("staging tolerance rules")
    result.rules = _stage_rules(conn, book)
    note("matching payments to claims")
    _run(conn, _MATCH)
    _analyze(conn, "work_payments")
    _run(conn, _NO_MATCH)
    _run(conn, _FLAGS)
    top = conn.execute(text("SELECT MAX(seq) FROM work_payments WHERE candidates = 1")).scalar()
    for seq in range(1, (top or 0) + 1):
        note(f"pass {seq} of {top}: deciding and posting")
        _run(conn, CLASSIFY, seq=seq)
        _analyze(conn, "work_decisions")
        _run(conn, APPLY_ITEMS, seq=seq, now=now)
    result.passes = top or 0
    note("recording decisions")
    _run(conn, _RECORD, run=run_id)
    _run(conn, _REJECTED, run=run_id)
    for outcome, count, paid, markdown in conn.execute(text(_SUMMARY), {"run": run_id}):
        result.counts[outcome] = int(count)
        result.paid[outcome] = int(paid)
        result.markdown += int(markdown)
    for name in ("work_payments", "work_decisions", "work_rules", "work_codes"):
        conn.execute(text(f"DROP TABLE {name}"))
    total = sum(result.counts.values())
    conn.execute(
        BATCHES.update()
        .where(BATCHES.c.id == run_id)
        .values(
            rows=total,
            detail_total=sum(result.paid.values()),
            summary={
                "counts": result.counts,
                "paid": result.paid,
                "markdown": result.markdown,
                "passes": result.passes,
                "rules": result.rules,
            },
        )
    )
    audit(
        conn, actor, "recon.run", f"run {run_id}", {"counts": result.counts, "rules": result.rules}
    )
    return result

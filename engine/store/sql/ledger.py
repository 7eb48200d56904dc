"""The SQL claim ledger: the durable record of claims and accumulator transactions.

Implements the ``ClaimLedger`` port with the same rules as ``MemoryClaimLedger``:
entries are appended, never changed; the current state of a claim key is derived
from them (its latest paid entry, reversed if a reversal entry of the same
sequence follows it). Every paid entry and every reversal also writes the
accumulator transaction it applied to ``accumulator_txns``, once per transaction
id, so that the accumulator store can be rebuilt from the ledger alone.

Writes go through the group-commit writer: ``record`` returns only once the entry
is committed (durable), and concurrent callers share commits. Rows are built in the
caller's thread; the writer inserts every claim entry of a batch with one
executemany (ids returned in order) and the accumulation rows likewise, so a commit
of many claims costs two statements, not two per claim. A reversal's accumulation
row still reads its original first, in queue order.

``current`` — asked for every claim — is a single prepared statement on a raw
pooled connection (``engine.store.sql.database.RawReads``).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Iterator, Mapping, Sequence
from typing import Any

from sqlalchemy import Connection, Engine, bindparam, exists, insert, or_, select
from sqlalchemy.dialects import postgresql, sqlite

from engine.accumulators import AccumulatorTxn, FamilyKey, negate
from engine.adjudication.dryrun import ClaimEvent
from engine.adjudication.serialize import (
    claim_from_dict,
    decision_from_dict,
    fill_from_dict,
    fill_to_dict,
)
from engine.loading.medical import MedicalRecord
from engine.medical import MedicalTxn
from engine.store.base import ClaimRecord, LedgerEntry
from engine.store.sql.bulk import BulkInsert
from engine.store.sql.database import (
    RawReads,
    connect,
    database_errors,
    for_each_key,
    key_list,
    migrate,
    writer_lock_file,
)
from engine.store.sql.models import (
    AccumulatorTxnRow,
    AuditRow,
    ClaimEntryRow,
    MedicalTxnRow,
    utcnow,
)
from engine.store.sql.rows import (
    AccumulatorRow,
    accumulator_txn_of,
    claim_row,
    net_columns,
)
from engine.store.sql.writer import GroupCommitWriter, settle

__all__ = ["Committed", "SqlLedger", "insert_accumulator"]

_CLAIMS = ClaimEntryRow.__table__  # type: ignore[attr-defined]
_ACC = AccumulatorTxnRow.__table__  # type: ignore[attr-defined]
_AUDIT = AuditRow.__table__  # type: ignore[attr-defined]
_MEDICAL = MedicalTxnRow.__table__  # type: ignore[attr-defined]

_LATER = _CLAIMS.alias("later")
_CURRENT = (
    select(
        _CLAIMS.c.sequence,
        _CLAIMS.c.decision,
        exists()
        .where(
            _LATER.c.claim_key == _CLAIMS.c.claim_key,
            _LATER.c.kind == "reversed",
            _LATER.c.sequence == _CLAIMS.c.sequence,
            _LATER.c.id > _CLAIMS.c.id,
        )
        .label("reversed"),
    )
    .where(_CLAIMS.c.claim_key == bindparam("claim_key"), _CLAIMS.c.kind == "paid")
    .order_by(_CLAIMS.c.id.desc())
    .limit(1)
)
"""A key's latest paid entry, and whether a reversal of its sequence follows it."""
_HISTORY = select(
    _CLAIMS.c.claim_key, _CLAIMS.c.id, _CLAIMS.c.sequence, _CLAIMS.c.kind, _CLAIMS.c.decision
).where(or_(_CLAIMS.c.kind == "paid", _CLAIMS.c.kind == "reversed"))
"""The paid and reversal entries of many keys (``SqlLedger.currents`` adds the key filter)."""
_ORIGINAL = select(_ACC.c.seq, _ACC.c.deltas).where(_ACC.c.txn_id == bindparam("txn_id"))
_INSERT_CLAIMS = insert(_CLAIMS).returning(_CLAIMS.c.id, sort_by_parameter_order=True)
_BULK_CLAIMS = BulkInsert(_CLAIMS, returning="id")
_BULK_IGNORING = {("accumulator_txns", "txn_id"): BulkInsert(_ACC, ignore_conflict_on="txn_id")}

Committed = tuple[FamilyKey, str]
"""A family and the accumulator transaction id a commit made durable."""


_IGNORING: dict[tuple[str, str], Any] = {}


def insert_ignore(
    conn: Connection, table: Any, values: Mapping[str, Any] | list[Mapping[str, Any]], key: str
) -> None:
    """Insert rows unless one with the same ``key`` exists (idempotent writes).

    The statement is built once per dialect and table and executed with the values
    as parameters (a list: one executemany): building an INSERT per row costs more
    than running it. On PostgreSQL a list of accumulation rows goes through
    ``BulkInsert`` (psycopg's pipelined executemany; its module says why).
    """
    dialect = conn.dialect.name
    bulk = _BULK_IGNORING.get((table.name, key))
    if dialect == "postgresql" and isinstance(values, list) and bulk is not None:
        bulk.run(conn, values)
        return
    stmt = _IGNORING.get((dialect, table.name))
    if stmt is None:
        if dialect == "postgresql":
            stmt = postgresql.insert(table).on_conflict_do_nothing(index_elements=[key])
        elif dialect == "sqlite":
            stmt = sqlite.insert(table).on_conflict_do_nothing(index_elements=[key])
        else:
            for row in values if isinstance(values, list) else [values]:
                if not conn.execute(select(table.c[key]).where(table.c[key] == row[key])).first():
                    conn.execute(insert(table), row)
            return
        _IGNORING[(dialect, table.name)] = stmt
    conn.execute(stmt, values)


def _accumulator_values(
    conn: Connection, key: FamilyKey, txn: AccumulatorTxn, source: str, entry_id: int | None
) -> dict[str, Any]:
    """The ``accumulator_txns`` row of a transaction: its net, and its original's seq."""
    net = dict(txn.deltas)
    reverses_seq = None
    if txn.reverses is not None:
        original = conn.execute(_ORIGINAL, {"txn_id": txn.reverses}).first()
        if original is not None:
            reverses_seq = original.seq
            for name, cents in negate(original.deltas).items():
                net[name] = net.get(name, 0) + cents
    deductible, out_of_pocket = net_columns(net)
    return {
        "txn_id": txn.id,
        "cardholder_id": key.cardholder_id,
        "plan_year": key.plan_year,
        "deltas": dict(txn.deltas),
        "net": net,
        "net_deductible": deductible,
        "net_out_of_pocket": out_of_pocket,
        "reverses": txn.reverses,
        "reverses_seq": reverses_seq,
        "fill": fill_to_dict(txn.fill),
        "source": source,
        "claim_entry_id": entry_id,
        "recorded_at": utcnow(),
    }


def insert_accumulator(
    conn: Connection,
    key: FamilyKey,
    txn: AccumulatorTxn,
    source: str,
    entry_id: int | None = None,
) -> Committed:
    """Write one accumulation row (once per txn id), its net and its link to the original."""
    insert_ignore(conn, _ACC, _accumulator_values(conn, key, txn, source, entry_id), "txn_id")
    return key, txn.id


_Row = tuple[dict[str, Any], AccumulatorTxn | None, FamilyKey | None]
"""A claim entry's row, the accumulator transaction it applied, and its family."""


def write_entries(conn: Connection, payloads: list[list[_Row]]) -> list[Sequence[Committed]]:
    """The group-commit batch of claim entries: one executemany each for both tables.

    Accumulation rows go in queue order: a run of plain transactions in one
    executemany; a reversal alone, after reading its original.
    """
    rows = [row for payload in payloads for row in payload]
    values = [values for values, _, _ in rows]
    if conn.dialect.name == "postgresql":
        ids = _BULK_CLAIMS.run(conn, values)
    else:
        ids = conn.execute(_INSERT_CLAIMS, values).scalars().all()
    pending: list[dict[str, Any]] = []
    committed: list[list[Committed]] = []
    position = 0
    for payload in payloads:
        mine: list[Committed] = []
        for _, txn, family in payload:
            entry_id = ids[position]
            position += 1
            if txn is None or family is None:
                continue
            if txn.reverses is not None:
                if pending:
                    insert_ignore(conn, _ACC, pending, "txn_id")
                    pending = []
                insert_accumulator(conn, family, txn, "claim", entry_id)
            else:
                pending.append(_accumulator_values(conn, family, txn, "claim", entry_id))
            mine.append((family, txn.id))
        committed.append(mine)
    if pending:
        insert_ignore(conn, _ACC, pending, "txn_id")
    return committed


class SqlLedger:
    """Claims and accumulator transactions in SQLite or PostgreSQL (see the module docstring)."""

    def __init__(self, url: str, *, lease: float = 10.0, max_batch: int = 500) -> None:
        self.url = url
        self.reader: Engine = connect(url)
        self.engine: Engine = connect(url, writer=True, wait_limit=max(lease, 0.001))
        # the group commit's own pool, without a ping per checkout: the writer
        # retries a batch whose connection turns out dead before its COMMIT
        self._commits: Engine = connect(
            url, writer=True, wait_limit=max(lease, 0.001), pool_pre_ping=False
        )
        self.writer = GroupCommitWriter(
            self._commits, max_batch=max_batch, lease=lease, lock_file=writer_lock_file(url)
        )
        self.reads = RawReads(url)
        self._current = self.reads.prepare(_CURRENT, "claim_key")
        self._history = self.reads.prepare(
            for_each_key(
                lambda match: _HISTORY.where(match(_CLAIMS.c.claim_key)), self.reads.dialect.name
            ),
            "keys",
        )

    @classmethod
    def open(cls, url: str, **options: Any) -> SqlLedger:
        """Connect and bring the schema up to date with the shipped migrations."""
        schema = connect(url, writer=True)  # no lock-wait limit: migrations may wait
        try:
            with database_errors():
                migrate(schema)
        finally:
            schema.dispose()
        return cls(url, **options)

    def close(self) -> None:
        """Finish pending writes and release the connections."""
        self.writer.close()
        self._commits.dispose()
        self.engine.dispose()
        self.reader.dispose()
        self.reads.dispose()

    def current(self, claim_key: str) -> ClaimRecord | None:
        """The latest paid entry of a claim key, with whether it has been reversed."""
        settle()  # an earlier transaction of this transmission may still be queued
        row = self.reads.one(self._current, claim_key=claim_key)
        if row is None:
            return None
        sequence, decision, reversed_ = row
        return ClaimRecord(claim_key, sequence, decision_from_dict(decision), bool(reversed_))

    def currents(self, claim_keys: Sequence[str]) -> dict[str, ClaimRecord | None]:
        """``current`` for many keys in one statement (a batch of claims' duplicate checks).

        The key list is one parameter (a PostgreSQL array, a JSON array on SQLite),
        so the statement is prepared once whatever the batch size.
        """
        wanted = list(dict.fromkeys(claim_keys))
        found: dict[str, ClaimRecord | None] = dict.fromkeys(wanted)
        if not wanted:
            return found
        settle()
        parameter = key_list(wanted, self.reads.dialect.name)
        paid: dict[str, tuple[int, int, Any]] = {}
        reversals: dict[str, list[tuple[int, int]]] = {}
        for key, entry_id, sequence, kind, decision in self.reads.all(
            self._history, keys=parameter
        ):
            if kind == "reversed":
                reversals.setdefault(key, []).append((entry_id, sequence))
            elif key not in paid or entry_id > paid[key][0]:
                paid[key] = (entry_id, sequence, decision)
        for key, (entry_id, sequence, decision) in paid.items():
            reversed_ = any(s == sequence and i > entry_id for i, s in reversals.get(key, ()))
            found[key] = ClaimRecord(key, sequence, decision_from_dict(decision), reversed_)
        return found

    def record(self, entry: LedgerEntry) -> None:
        """Append an entry durably; PAID and REVERSED entries change the key's current state."""
        self.record_batch([entry])

    def record_batch(self, entries: Sequence[LedgerEntry]) -> None:
        """Append entries in one transaction (a rebill's reversal and new paid entry)."""
        now = utcnow()
        rows = [
            (claim_row(entry, now), accumulator_txn_of(entry), entry.decision.family)
            for entry in entries
        ]
        self.writer.submit_rows(write_entries, rows)

    def record_accumulator(self, key: FamilyKey, txn: AccumulatorTxn, source: str) -> None:
        """Write an accumulation row with no claim entry (recovery adopting a transaction)."""
        self.writer.submit(lambda conn: [insert_accumulator(conn, key, txn, source)])

    def record_medical(self, records: Sequence[MedicalRecord]) -> None:
        """Write applied medical transactions and their accumulation rows, once per id."""
        now = utcnow()
        rows = [
            {
                "id": r.medical.id,
                "txn_id": r.txn.id,
                "cardholder_id": r.key.cardholder_id,
                "person_code": r.medical.person_code,
                "date_of_service": r.medical.date_of_service,
                "plan_year": r.key.plan_year,
                "deductible": r.medical.deductible,
                "out_of_pocket": r.medical.out_of_pocket,
                "reverses": r.medical.reverses,
                "source_file": r.source_file,
                "recorded_at": now,
            }
            for r in records
        ]

        def write(conn: Connection) -> list[Committed]:
            for values in rows:
                insert_ignore(conn, _MEDICAL, values, "id")
            return [insert_accumulator(conn, r.key, r.txn, "medical") for r in records]

        self.writer.submit(write)

    def audit(
        self, action: str, subject: str | None, detail: Mapping[str, Any], actor: str = "rxadj"
    ) -> None:
        """Append to the audit log (durably)."""
        values = {
            "at": utcnow(),
            "actor": actor,
            "action": action,
            "subject": subject,
            "detail": dict(detail),
        }

        def write(conn: Connection) -> list[Committed]:
            conn.execute(insert(_AUDIT), values)
            return []

        self.writer.submit(write)

    def known_txns(self, txn_ids: Iterable[str]) -> set[str]:
        """Which of these accumulator transaction ids the ledger holds."""
        wanted = list(dict.fromkeys(txn_ids))
        found: set[str] = set()
        with database_errors(), self.reader.connect() as conn:
            for start in range(0, len(wanted), 500):
                chunk = wanted[start : start + 500]
                found.update(
                    conn.execute(select(_ACC.c.txn_id).where(_ACC.c.txn_id.in_(chunk))).scalars()
                )
        return found

    def accumulator_rows(
        self, *, cardholder_id: str | None = None, since: Any = None
    ) -> Iterator[AccumulatorRow]:
        """Accumulation rows in the order they were recorded (the replay order)."""
        stmt = select(_ACC).order_by(_ACC.c.seq)
        if cardholder_id is not None:
            stmt = stmt.where(_ACC.c.cardholder_id == cardholder_id)
        if since is not None:
            stmt = stmt.where(_ACC.c.recorded_at > since)
        with database_errors(), self.reader.connect() as conn:
            for row in conn.execution_options(yield_per=2000).execute(stmt):
                yield AccumulatorRow(
                    row.seq,
                    FamilyKey(row.cardholder_id, row.plan_year),
                    AccumulatorTxn(
                        row.txn_id,
                        dict(row.deltas),
                        fill_from_dict(row.fill),
                        reverses=row.reverses,
                    ),
                    dict(row.net),
                    row.source,
                    row.recorded_at,
                )

    def replay_events(self, since: dt.datetime) -> Iterator[ClaimEvent | MedicalTxn]:
        """The claims and medical transactions recorded since ``since``, in recorded order.

        A rebill writes a reversal entry and a new entry from one request; only the
        latter is replayed, so each processed transaction replays once.
        """
        claims = (
            select(_CLAIMS.c.id, _CLAIMS.c.kind, _CLAIMS.c.request, _CLAIMS.c.recorded_at)
            .where(_CLAIMS.c.recorded_at >= since, _CLAIMS.c.request.is_not(None))
            .order_by(_CLAIMS.c.id)
        )
        medical = (
            select(_MEDICAL).where(_MEDICAL.c.recorded_at >= since).order_by(_MEDICAL.c.recorded_at)
        )
        with database_errors(), self.reader.connect() as conn:
            events: list[tuple[dt.datetime, ClaimEvent | MedicalTxn]] = []
            for row in conn.execute(claims):
                claim = claim_from_dict(row.request)
                if row.kind == "reversed" and claim.transaction_code == "B3":
                    continue
                events.append((row.recorded_at, ClaimEvent(claim, row.recorded_at.date())))
            for row in conn.execute(medical):
                events.append(
                    (
                        row.recorded_at,
                        MedicalTxn(
                            row.id,
                            row.cardholder_id,
                            row.person_code,
                            row.date_of_service,
                            row.deductible,
                            row.out_of_pocket,
                            row.reverses,
                        ),
                    )
                )
        events.sort(key=lambda item: item[0])
        for _, event in events:
            yield event

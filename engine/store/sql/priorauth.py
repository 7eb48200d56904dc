"""Prior authorizations in the ledger database, mirrored in memory for adjudication.

Approvals are loaded and revoked through this store (``rxadj prior-auths``, or the
engine API), each change in one transaction with its audit row
(``prior_auth.added`` / ``.changed`` / ``.revoked``, subject the PA number; no names
or birth dates). Claims read a per-process mirror instead of the database: at most
once per ``refresh_interval`` seconds the store reads the rows changed since it
last looked (with an ``overlap`` window, so a change committed a little late is not
missed), so an approval or a revocation is in force in every process within about
a second and a claim costs no database round trip. The mirror holds every approval
(a few hundred bytes each).
"""

from __future__ import annotations

import datetime as dt
import time
from collections.abc import Iterable, Sequence
from decimal import Decimal
from typing import Any

from sqlalchemy import Column, DateTime, Engine, String, insert, select, tuple_, update
from sqlmodel import Field, SQLModel

from engine.priorauth.directory import (
    MemoryPriorAuthDirectory,
    PriorAuthError,
    merge_outcome,
    revoked,
)
from engine.priorauth.model import Lift, PriorAuthorization
from engine.store.sql.database import database_errors
from engine.store.sql.models import AuditRow, PersonRow, utcnow
from engine.store.sql.throttle import Throttle

__all__ = ["PriorAuthRow", "SqlPriorAuthStore"]


class PriorAuthRow(SQLModel, table=True):
    """One approval on file; revoked ones stay, with who revoked them and why."""

    __tablename__ = "prior_authorizations"

    number: str = Field(primary_key=True, max_length=11)
    cardholder_id: str = Field(max_length=20, index=True)
    person_code: str = Field(max_length=3)
    ndc: str | None = Field(default=None, max_length=11)
    drug_group: str | None = Field(default=None, max_length=200)
    drug_class: str | None = Field(default=None, max_length=100)
    start: dt.date
    end: dt.date
    lifts: str = Field(max_length=200)
    """What the approval lifts, separated by spaces."""
    quantity: str | None = Field(default=None, sa_column=Column(String(20), nullable=True))
    """The approved quantity, as exact decimal text."""
    per_days: int | None = None
    max_days_supply: int | None = None
    tier: int | None = None
    approved_by: str = Field(max_length=100)
    revoked_on: dt.date | None = None
    revoked_by: str | None = Field(default=None, max_length=100)
    revoke_reason: str | None = Field(default=None, max_length=500)
    updated_at: dt.datetime = Field(sa_type=DateTime(timezone=True), index=True)


_TABLE = PriorAuthRow.__table__  # type: ignore[attr-defined]
_AUDIT = AuditRow.__table__  # type: ignore[attr-defined]
_PERSONS = PersonRow.__table__  # type: ignore[attr-defined]


def _row(pa: PriorAuthorization, now: dt.datetime) -> dict[str, Any]:
    return {
        "number": pa.number,
        "cardholder_id": pa.cardholder_id,
        "person_code": pa.person_code,
        "ndc": pa.ndc,
        "drug_group": pa.drug_group,
        "drug_class": pa.drug_class,
        "start": pa.start,
        "end": pa.end,
        "lifts": " ".join(sorted(pa.lifts)),
        "quantity": None if pa.quantity is None else str(pa.quantity),
        "per_days": pa.per_days,
        "max_days_supply": pa.max_days_supply,
        "tier": pa.tier,
        "approved_by": pa.approved_by,
        "revoked_on": pa.revoked_on,
        "revoked_by": pa.revoked_by,
        "revoke_reason": pa.revoke_reason,
        "updated_at": now,
    }


def _authorization(row: Any) -> PriorAuthorization:
    return PriorAuthorization(
        number=row.number,
        cardholder_id=row.cardholder_id,
        person_code=row.person_code,
        ndc=row.ndc,
        drug_group=row.drug_group,
        drug_class=row.drug_class,
        start=row.start,
        end=row.end,
        lifts=frozenset(Lift(word) for word in row.lifts.split()),
        quantity=None if row.quantity is None else Decimal(row.quantity),
        per_days=row.per_days,
        max_days_supply=row.max_days_supply,
        tier=row.tier,
        approved_by=row.approved_by,
        revoked_on=row.revoked_on,
        revoked_by=row.revoked_by,
        revoke_reason=row.revoke_reason,
    )


def _detail(pa: PriorAuthorization) -> dict[str, Any]:
    return {
        "person_code": pa.person_code,
        "drug": pa.drug,
        "start": pa.start.isoformat(),
        "end": pa.end.isoformat(),
        "lifts": sorted(pa.lifts),
        "approved_by": pa.approved_by,
    }


class SqlPriorAuthStore:
    """The ``prior_authorizations`` table, and the in-memory mirror claims read."""

    def __init__(
        self,
        reader: Engine,
        writer: Engine,
        *,
        refresh_interval: float = 1.0,
        overlap: float = 5.0,
    ) -> None:
        self.reader = reader
        self.writer = writer
        self.overlap = dt.timedelta(seconds=overlap)
        self._mirror = MemoryPriorAuthDirectory()
        self._watermark: dt.datetime | None = None
        self._refreshes = Throttle(
            refresh_interval, self.refresh, "refreshing prior authorizations"
        )

    def for_member(self, cardholder_id: str, person_code: str) -> tuple[PriorAuthorization, ...]:
        """Every approval of one member, from the mirror (refreshed at most once a second)."""
        self._refreshes.poll(time.monotonic())
        return self._mirror.for_member(cardholder_id, person_code)

    def refresh(self) -> int:
        """Read the rows changed since the last refresh into the mirror; how many."""
        query = select(_TABLE)
        if self._watermark is not None:
            query = query.where(_TABLE.c.updated_at >= self._watermark - self.overlap)
        with database_errors(), self.reader.connect() as conn:
            rows = conn.execute(query).all()
        for row in rows:
            self._mirror.put(_authorization(row))
            stamp = _aware(row.updated_at)
            if self._watermark is None or stamp > self._watermark:
                self._watermark = stamp
        return len(rows)

    def get(self, number: str) -> PriorAuthorization | None:
        """One approval by number, from the database."""
        with database_errors(), self.reader.connect() as conn:
            row = conn.execute(
                select(_TABLE).where(_TABLE.c.number == (number.lstrip("0") or "0"))
            ).first()
        return None if row is None else _authorization(row)

    def for_cardholder(self, cardholder_id: str) -> list[PriorAuthorization]:
        """Every approval of a family, from the database, by person and start."""
        with database_errors(), self.reader.connect() as conn:
            rows = conn.execute(
                select(_TABLE)
                .where(_TABLE.c.cardholder_id == cardholder_id)
                .order_by(_TABLE.c.person_code, _TABLE.c.start, _TABLE.c.number)
            ).all()
        return [_authorization(row) for row in rows]

    def merge(self, authorizations: Iterable[PriorAuthorization], actor: str) -> list[str]:
        """Add or replace approvals in one transaction: added, changed or unchanged for each.

        Every member must be on file, and a revoked approval cannot be reloaded; any
        such problem refuses the whole batch (PriorAuthError, naming each one).
        """
        incoming = list(authorizations)
        outcomes: list[str] = []
        with database_errors(), self.writer.begin() as conn:
            members = {(pa.cardholder_id, pa.person_code) for pa in incoming}
            known = _known_members(conn, members)
            numbers = [pa.number for pa in incoming]
            existing = {
                row.number: _authorization(row)
                for row in conn.execute(select(_TABLE).where(_TABLE.c.number.in_(numbers)))
            }
            problems = [
                f"PA {pa.number}: member {pa.cardholder_id}-{pa.person_code} is not on file"
                for pa in incoming
                if (pa.cardholder_id, pa.person_code) not in known
            ]
            for pa in incoming:
                try:
                    outcomes.append(merge_outcome(existing.get(pa.number), pa))
                except PriorAuthError as exc:
                    problems.append(str(exc))
            if problems:
                raise PriorAuthError("; ".join(problems))
            now = utcnow()
            for pa, outcome in zip(incoming, outcomes, strict=True):
                if outcome == "unchanged":
                    continue
                if outcome == "added":
                    conn.execute(insert(_TABLE).values(**_row(pa, now)))
                else:
                    conn.execute(
                        update(_TABLE).where(_TABLE.c.number == pa.number).values(**_row(pa, now))
                    )
                conn.execute(
                    insert(_AUDIT).values(
                        at=now,
                        actor=actor,
                        action=f"prior_auth.{outcome}",
                        subject=pa.number,
                        detail=_detail(pa),
                    )
                )
        self.refresh()
        return outcomes

    def revoke(self, number: str, on: dt.date, by: str, reason: str) -> PriorAuthorization:
        """Revoke one approval as of ``on``: claims dated after it no longer pass."""
        with database_errors(), self.writer.begin() as conn:
            row = conn.execute(
                select(_TABLE).where(_TABLE.c.number == (number.lstrip("0") or "0"))
            ).first()
            pa = revoked(None if row is None else _authorization(row), number, on, by, reason)
            now = utcnow()
            conn.execute(
                update(_TABLE)
                .where(_TABLE.c.number == pa.number)
                .values(
                    revoked_on=on, revoked_by=by, revoke_reason=pa.revoke_reason, updated_at=now
                )
            )
            conn.execute(
                insert(_AUDIT).values(
                    at=now,
                    actor=by,
                    action="prior_auth.revoked",
                    subject=pa.number,
                    detail={"revoked_on": on.isoformat(), "reason": pa.revoke_reason},
                )
            )
        self.refresh()
        return pa

    def seed(self, authorizations: Sequence[PriorAuthorization], actor: str = "rxadj") -> int:
        """Load sample approvals into an empty table (a fresh database); how many."""
        with database_errors(), self.reader.connect() as conn:
            if conn.execute(select(_TABLE.c.number).limit(1)).first() is not None:
                return 0
        return len(self.merge(authorizations, actor)) if authorizations else 0


def _known_members(conn: Any, members: set[tuple[str, str]]) -> set[tuple[str, str]]:
    found: set[tuple[str, str]] = set()
    pairs = sorted(members)
    for start in range(0, len(pairs), 500):
        chunk = pairs[start : start + 500]
        found.update(
            (row[0], row[1])
            for row in conn.execute(
                select(_PERSONS.c.cardholder_id, _PERSONS.c.person_code).where(
                    tuple_(_PERSONS.c.cardholder_id, _PERSONS.c.person_code).in_(chunk)
                )
            )
        )
    return found


def _aware(stamp: dt.datetime) -> dt.datetime:
    """SQLite hands back naive datetimes for the UTC times the ledger stores."""
    return stamp if stamp.tzinfo is not None else stamp.replace(tzinfo=dt.UTC)

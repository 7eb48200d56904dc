"""Members and coverage in the ledger database: the ``MemberDirectory`` port on SQL.

A family is stored whole (its persons and coverage records) and replaced whole
when a load changes it; merging a file's family with the stored one is pure
(``engine.loading.members.merge_family``). Coverage records keep their dates, so
a termination or a plan change takes effect for claims dated after it while
older claims (a late reversal, say) still find the coverage they had.

With ``ttl`` > 0 lookups are cached per process until the family changes. Every
change of a family is written to the audit log in the same transaction
(``member.added`` / ``member.changed``, subject the cardholder id), so at most once
per ``check_interval`` seconds the directory reads the audit rows written since it
last looked and forgets exactly those families: a load done by another process is
in force within about a second, while a busy service keeps every family it has
seen. On SQLite, audit ids are assigned under the database's single write lock, so
they follow commit order and no change can be missed. On PostgreSQL a member load
that commits after a later-numbered audit row of another transaction could be
missed by that check; ``ttl`` (the longest a cached family is ever reused) bounds
how long. A read that raced with a change is not cached.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from typing import Any

from sqlalchemy import Connection, Engine, Select, and_, bindparam, delete, func, insert, select

from engine.cob.coverage import FamilyCob, family_cob_from_json, family_cob_to_json
from engine.loading.members import merge_family
from engine.plans.members import Coverage, Family, Person
from engine.store.sql.database import RawReads, database_errors, for_each_key, key_list
from engine.store.sql.models import AuditRow, CoverageRow, FamilyRow, PersonRow, utcnow
from engine.store.sql.throttle import Throttle

__all__ = ["SqlMemberDirectory"]


_FAMILIES = FamilyRow.__table__  # type: ignore[attr-defined]
_PERSONS = PersonRow.__table__  # type: ignore[attr-defined]
_COVERAGES = CoverageRow.__table__  # type: ignore[attr-defined]
_AUDIT = AuditRow.__table__  # type: ignore[attr-defined]
_PERSONS_OF = select(_PERSONS).where(_PERSONS.c.cardholder_id == bindparam("card"))
_COVERAGES_OF = select(_COVERAGES).where(_COVERAGES.c.cardholder_id == bindparam("card"))
_COB_OF = select(_FAMILIES.c.cob).where(_FAMILIES.c.cardholder_id == bindparam("card"))


def _family_rows(match: Callable[[Any], Any]) -> Select[Any]:
    """Families' persons x coverage records, the cardholder id last, for ids ``match`` accepts.

    The condition is put on each table, so each is read by its cardholder index
    whatever the planner guesses of a list of ids.
    """
    return (
        select(
            _PERSONS.c.person_code,
            _PERSONS.c.relationship,
            _PERSONS.c.first_name,
            _PERSONS.c.last_name,
            _PERSONS.c.date_of_birth,
            _PERSONS.c.gender,
            _COVERAGES.c.id,
            _COVERAGES.c.plan,
            _COVERAGES.c.group_id,
            _COVERAGES.c.start,
            _COVERAGES.c.end,
            _COVERAGES.c.persons,
            _FAMILIES.c.cob,
            _PERSONS.c.cardholder_id,
        )
        .select_from(
            _PERSONS.join(
                _FAMILIES,
                and_(
                    _FAMILIES.c.cardholder_id == _PERSONS.c.cardholder_id,
                    match(_FAMILIES.c.cardholder_id),
                ),
            ).outerjoin(
                _COVERAGES,
                and_(
                    _COVERAGES.c.cardholder_id == _PERSONS.c.cardholder_id,
                    match(_COVERAGES.c.cardholder_id),
                ),
            )
        )
        .where(match(_PERSONS.c.cardholder_id))
    )


_FAMILY_OF = _family_rows(lambda column: column == bindparam("card"))
"""A family's persons and coverage records in one statement (one consistent snapshot)."""
_LAST_AUDIT = select(func.max(_AUDIT.c.id))
_AUDIT_SINCE = (
    select(_AUDIT.c.id, _AUDIT.c.action, _AUDIT.c.subject)
    .where(_AUDIT.c.id > bindparam("seen"), _AUDIT.c.id <= bindparam("newest"))
    .order_by(_AUDIT.c.id)
    .limit(1001)
)
"""The audit rows between two ids: bounded on both sides, so that even without
statistics (autovacuum off) the planner reads the primary key instead of the
whole log; an open ``id > $1`` was planned as a sequential scan and a sort."""
_MEMBER_ACTIONS = frozenset({"member.added", "member.changed"})


def _iso(day: Any) -> str | None:
    return None if day is None else day.isoformat()


def _cob(data: dict[str, Any] | None) -> FamilyCob | None:
    return None if data is None else family_cob_from_json(data)


def _family(
    cardholder_id: str,
    persons: Iterable,  # type: ignore[type-arg]
    coverages: Iterable,  # type: ignore[type-arg]
    cob: dict[str, Any] | None,
) -> Family:
    return Family(
        cardholder_id=cardholder_id,
        persons={
            p.person_code: Person(
                p.person_code, p.relationship, p.first_name, p.last_name, p.date_of_birth, p.gender
            )
            for p in persons
        },
        coverages=tuple(
            Coverage(c.plan, c.group_id, c.start, c.end, frozenset(c.persons.split(",")))
            for c in sorted(coverages, key=lambda c: (c.start, c.plan, c.group_id))
        ),
        cob=_cob(cob),
    )


def _joined_family(cardholder_id: str, rows: Sequence[tuple[Any, ...]]) -> Family | None:
    """The family from the rows of ``_FAMILY_OF`` (persons x coverage records)."""
    if not rows:
        return None
    persons = {row[0]: Person(*row[:6]) for row in rows}
    coverages = {row[6]: row[7:12] for row in rows if row[6] is not None}
    return Family(
        cardholder_id=cardholder_id,
        persons=persons,
        coverages=tuple(
            Coverage(plan, group, start, end, frozenset(codes.split(",")))
            for plan, group, start, end, codes in sorted(
                coverages.values(), key=lambda c: (c[2], c[0], c[1])
            )
        ),
        cob=_cob(rows[0][12]),
    )


class SqlMemberDirectory:
    """Families by cardholder id from the ``families``, ``persons`` and ``coverages`` tables."""

    def __init__(
        self,
        reader: Engine,
        writer: Engine,
        *,
        ttl: float = 0.0,
        check_interval: float = 1.0,
        max_families: int = 500_000,
    ) -> None:
        self.reader = reader
        self.writer = writer
        self.ttl = ttl
        self.max_families = max_families
        self.reads = RawReads(reader.url.render_as_string(hide_password=False))
        self._family_of = self.reads.prepare(_FAMILY_OF, "card")
        self._families_of = self.reads.prepare(
            for_each_key(_family_rows, self.reads.dialect.name), "keys"
        )
        self._audit_since = self.reads.prepare(_AUDIT_SINCE, "seen", "newest")
        self._last_audit = self.reads.prepare(_LAST_AUDIT)
        self._lock = threading.Lock()
        self._cache: dict[str, tuple[float, Family | None]] = {}
        self._seen: int | None = None
        self._changes = Throttle(
            check_interval, self._forget_changed, "checking for member changes"
        )
        self._epoch = 0
        """Bumped by every forget: a read that started before one is not cached."""

    def family(self, cardholder_id: str) -> Family | None:
        """The family with this cardholder id, or None."""
        if self.ttl <= 0:
            return self._read(cardholder_id)
        now = time.monotonic()
        self._changes.poll(now)
        hit = self._cache.get(cardholder_id)
        if hit is not None and now - hit[0] < self.ttl:
            return hit[1]
        epoch = self._epoch
        found = self._read(cardholder_id)
        with self._lock:
            if epoch == self._epoch:
                if len(self._cache) >= self.max_families:
                    self._cache.pop(next(iter(self._cache)))
                self._cache[cardholder_id] = (now, found)
        return found

    def prefetch(self, cardholder_ids: Sequence[str]) -> None:
        """Cache the families not cached yet in one statement (a batch of claims' members).

        Nothing to do without a cache (``ttl`` 0): every lookup reads anyway.
        """
        if self.ttl <= 0:
            return
        now = time.monotonic()
        self._changes.poll(now)
        wanted = [
            card
            for card in dict.fromkeys(cardholder_ids)
            if (hit := self._cache.get(card)) is None or now - hit[0] >= self.ttl
        ]
        if not wanted:
            return
        epoch = self._epoch
        keys = key_list(wanted, self.reads.dialect.name)
        rows: dict[str, list[tuple[Any, ...]]] = {card: [] for card in wanted}
        for row in self.reads.all(self._families_of, keys=keys):
            rows[row[-1]].append(row)
        with self._lock:
            if epoch != self._epoch:
                return
            for card, found in rows.items():
                if len(self._cache) >= self.max_families:
                    self._cache.pop(next(iter(self._cache)))
                self._cache[card] = (now, _joined_family(card, found))

    def _read(self, cardholder_id: str) -> Family | None:
        return _joined_family(cardholder_id, self.reads.all(self._family_of, card=cardholder_id))

    def _forget_changed(self) -> None:
        """Read the audit rows written since the last check; the first check only finds the end.

        The newest id comes first (the end of the primary key): with nothing new, as
        on nearly every check, that is the only read.
        """
        last = self.reads.one(self._last_audit)
        newest = int(last[0] or 0) if last else 0
        if self._seen is None:
            self._seen = newest
            return
        if newest <= self._seen:
            return
        rows = self.reads.all(self._audit_since, seen=self._seen, newest=newest)
        if len(rows) > 1000:
            self.forget()
            self._seen = newest
            return
        for _, action, subject in rows:
            if action in _MEMBER_ACTIONS and subject:
                self.forget(subject)
        self._seen = newest

    @staticmethod
    def read(conn: Connection, cardholder_id: str) -> Family | None:
        """Read one family on an open connection."""
        persons = conn.execute(_PERSONS_OF, {"card": cardholder_id}).all()
        if not persons:
            return None
        coverages = conn.execute(_COVERAGES_OF, {"card": cardholder_id}).all()
        cob = conn.execute(_COB_OF, {"card": cardholder_id}).scalar()
        return _family(cardholder_id, persons, coverages, cob)

    @staticmethod
    def write(conn: Connection, family: Family) -> None:
        """Replace one family's persons and coverage records on an open transaction."""
        card = family.cardholder_id
        conn.execute(delete(_COVERAGES).where(_COVERAGES.c.cardholder_id == card))
        conn.execute(delete(_PERSONS).where(_PERSONS.c.cardholder_id == card))
        conn.execute(delete(_FAMILIES).where(_FAMILIES.c.cardholder_id == card))
        now = utcnow()
        cob = family_cob_to_json(family.cob) if family.cob is not None else None
        conn.execute(insert(_FAMILIES).values(cardholder_id=card, updated_at=now, cob=cob))
        conn.execute(
            insert(_PERSONS),
            [
                {
                    "cardholder_id": card,
                    "person_code": p.person_code,
                    "relationship": p.relationship,
                    "first_name": p.first_name,
                    "last_name": p.last_name,
                    "date_of_birth": p.date_of_birth,
                    "gender": p.gender,
                }
                for p in family.persons.values()
            ],
        )
        if family.coverages:
            conn.execute(
                insert(_COVERAGES),
                [
                    {
                        "cardholder_id": card,
                        "plan": c.plan,
                        "group_id": c.group,
                        "start": c.start,
                        "end": c.end,
                        "persons": ",".join(sorted(c.persons)),
                        "updated_at": now,
                    }
                    for c in family.coverages
                ],
            )

    def merge(self, families: Sequence[Family], actor: str = "rxadj") -> list[str]:
        """Merge families into what is on file in one transaction: added, changed or unchanged.

        Each change is written to the audit log with the persons and coverage
        records it touched (no names or birth dates).
        """
        outcomes = []
        with database_errors(), self.writer.begin() as conn:
            for incoming in families:
                existing = self.read(conn, incoming.cardholder_id)
                merged = merge_family(existing, incoming)
                if merged == existing:
                    outcomes.append("unchanged")
                    continue
                self.write(conn, merged)
                outcome = "added" if existing is None else "changed"
                outcomes.append(outcome)
                conn.execute(
                    insert(_AUDIT).values(
                        at=utcnow(),
                        actor=actor,
                        action=f"member.{outcome}",
                        subject=incoming.cardholder_id,
                        detail={
                            "persons": sorted(merged.persons),
                            "coverages": [
                                [c.plan, c.group, c.start.isoformat(), _iso(c.end)]
                                for c in merged.coverages
                            ],
                            "other_coverage": [
                                [c.kind.value, c.bin, c.start.isoformat(), _iso(c.end)]
                                for c in (merged.cob.other_coverage if merged.cob else ())
                            ],
                        },
                    )
                )
        self.forget()
        return outcomes

    def forget(self, cardholder_id: str | None = None) -> None:
        """Drop cached lookups (all, or one family's) after a change."""
        with self._lock:
            self._epoch += 1
            if cardholder_id is None:
                self._cache.clear()
            else:
                self._cache.pop(cardholder_id, None)

    def close(self) -> None:
        """Release the lookup connections."""
        self.reads.dispose()

    def count(self) -> int:
        """How many families are on file."""
        with self.reader.connect() as conn:
            return int(conn.execute(select(func.count()).select_from(_FAMILIES)).scalar_one())

    def cardholders(self) -> Iterator[str]:
        """Every cardholder id on file, in order."""
        with self.reader.connect() as conn:
            yield from conn.execute(
                select(_FAMILIES.c.cardholder_id).order_by(_FAMILIES.c.cardholder_id)
            ).scalars()

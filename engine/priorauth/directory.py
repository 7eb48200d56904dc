"""Where adjudication finds a member's approvals: the port, and its in-memory form.

The in-memory directory serves the embedded runtime (demo, tests, plan tests) and
holds the sample approvals; the SQL ledger's store (``engine.store.sql.priorauth``)
serves the service, with an audit row for every change. Both answer by member, the
one lookup a claim needs.
"""

from __future__ import annotations

import datetime as dt
import threading
from collections.abc import Iterable
from dataclasses import replace
from typing import Protocol

from engine.priorauth.model import PriorAuthorization

__all__ = [
    "MemoryPriorAuthDirectory",
    "PriorAuthDirectory",
    "PriorAuthError",
    "PriorAuthStore",
    "merge_outcome",
    "revoked",
]


class PriorAuthError(ValueError):
    """A change that cannot be made: an unknown PA number, a revocation without a reason."""


class PriorAuthDirectory(Protocol):
    """The approvals on file."""

    def for_member(self, cardholder_id: str, person_code: str) -> tuple[PriorAuthorization, ...]:
        """Every approval of one member, revoked ones included (claims before still count)."""
        ...


class PriorAuthStore(PriorAuthDirectory, Protocol):
    """The approvals on file, as administration changes them."""

    def get(self, number: str) -> PriorAuthorization | None:
        """One approval by number."""
        ...

    def for_cardholder(self, cardholder_id: str) -> list[PriorAuthorization]:
        """Every approval of a family."""
        ...

    def merge(self, authorizations: Iterable[PriorAuthorization], actor: str) -> list[str]:
        """Add or replace approvals, all or nothing: added, changed or unchanged for each."""
        ...

    def revoke(self, number: str, on: dt.date, by: str, reason: str) -> PriorAuthorization:
        """Revoke one approval as of ``on``."""
        ...


def merge_outcome(existing: PriorAuthorization | None, incoming: PriorAuthorization) -> str:
    """added, changed or unchanged; a revoked approval is not revived by a reload."""
    if existing is None:
        return "added"
    if existing.revoked_on is not None:
        raise PriorAuthError(
            f"PA {incoming.number} was revoked on {existing.revoked_on}; issue a new number"
        )
    return "unchanged" if existing == incoming else "changed"


def revoked(
    existing: PriorAuthorization | None, number: str, on: dt.date, by: str, reason: str
) -> PriorAuthorization:
    """The approval as revoked on ``on``; claims dated after it no longer pass."""
    if existing is None:
        raise PriorAuthError(f"no PA {number} is on file")
    if not reason.strip():
        raise PriorAuthError("a revocation needs a reason")
    if existing.revoked_on is not None:
        raise PriorAuthError(f"PA {number} was already revoked on {existing.revoked_on}")
    return replace(existing, revoked_on=on, revoked_by=by, revoke_reason=reason.strip())


class MemoryPriorAuthDirectory:
    """Approvals held in memory, by number and by member."""

    def __init__(self, authorizations: Iterable[PriorAuthorization] = ()) -> None:
        self._lock = threading.Lock()
        self._by_number: dict[str, PriorAuthorization] = {}
        self._by_member: dict[tuple[str, str], tuple[PriorAuthorization, ...]] = {}
        self.merge(authorizations, "rxadj")

    def for_member(self, cardholder_id: str, person_code: str) -> tuple[PriorAuthorization, ...]:
        """Every approval of one member."""
        return self._by_member.get((cardholder_id, person_code), ())

    def put(self, pa: PriorAuthorization) -> None:
        """Hold ``pa`` as the source of truth has it (a mirror's refresh; no checks)."""
        with self._lock:
            self._put(pa)

    def _put(self, pa: PriorAuthorization) -> None:
        old = self._by_number.get(pa.number)
        if old is not None:
            key = (old.cardholder_id, old.person_code)
            self._by_member[key] = tuple(p for p in self._by_member[key] if p.number != pa.number)
        self._by_number[pa.number] = pa
        key = (pa.cardholder_id, pa.person_code)
        self._by_member[key] = (*self._by_member.get(key, ()), pa)

    def get(self, number: str) -> PriorAuthorization | None:
        """One approval by number."""
        return self._by_number.get(number.lstrip("0") or "0")

    def for_cardholder(self, cardholder_id: str) -> list[PriorAuthorization]:
        """Every approval of a family, by person and start."""
        found = [pa for pa in self._by_number.values() if pa.cardholder_id == cardholder_id]
        return sorted(found, key=lambda pa: (pa.person_code, pa.start, pa.number))

    def merge(
        self, authorizations: Iterable[PriorAuthorization], actor: str = "rxadj"
    ) -> list[str]:
        """Add or replace approvals by number: added, changed or unchanged for each.

        All or nothing: one approval that cannot be taken leaves everything as it was.
        Nothing is audited in memory; ``actor`` is the store protocol's.
        """
        incoming = list(authorizations)
        with self._lock:
            outcomes = [merge_outcome(self._by_number.get(pa.number), pa) for pa in incoming]
            for pa in incoming:
                self._put(pa)
        return outcomes

    def revoke(self, number: str, on: dt.date, by: str, reason: str) -> PriorAuthorization:
        """Revoke one approval as of ``on``."""
        with self._lock:
            pa = revoked(self.get(number), number, on, by, reason)
            self._put(pa)
        return pa

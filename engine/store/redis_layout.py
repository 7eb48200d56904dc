"""Where the Redis accumulator store keeps things, and how values are written there.

Every key of a family carries the Redis Cluster hash tag ``{cardholder id}``, so
the Lua script that changes a family touches one slot only::

    P:{C}:a:2026-01-01   hash   "v" version, "ded:001:rx" cents ...   (family, plan year)
    P:{C}:t:2026-01-01   hash   txn id -> record                      (family, plan year)
    P:{C}:f              hash   "#" fills version, txn id -> fill     (family, all years)
    P:j:{T}              zset   unconfirmed txns of slot S, by time   (one per slot)
    P:e:{T}              string epoch: present once the slot is built (one per slot)

``P`` is the configured prefix and ``T`` a short tag that hashes to slot ``S``, so
on a Redis Cluster a slot's journal and epoch live beside the families that hash
to it. On a single Redis server (no slots to respect) there is one journal
``P:j`` and one epoch ``P:e``, so recovery reads one key instead of 16,384; moving
between the two means rebuilding from the ledger, as any data move does. The journal
lets recovery find transactions applied here but never confirmed by the ledger;
the epoch lets the script refuse to work on a slot that lost its data (Redis
restarted empty) until the store is rebuilt from the ledger.
"""

from __future__ import annotations

import datetime as dt
import threading
from collections.abc import Mapping
from dataclasses import dataclass

from redis.crc import REDIS_CLUSTER_HASH_SLOTS, key_slot

from engine.accumulators import FamilyKey, Fill

__all__ = [
    "FIELD_SEP",
    "JournalEntry",
    "Layout",
    "TxnRecord",
    "decode_deltas",
    "decode_fill",
    "decode_record",
    "encode_deltas",
    "encode_fill",
    "slot_tags",
]

FIELD_SEP = "\x1f"
_FORBIDDEN = ("{", "}", FIELD_SEP, "\t", ";", "=")
_tags: tuple[str, ...] | None = None
_tags_lock = threading.Lock()


def slot_tags() -> tuple[str, ...]:
    """For each cluster slot, a short text that hashes to it (computed once, ~0.1 s)."""
    global _tags  # noqa: PLW0603 - a lazily built constant table, never reassigned after
    with _tags_lock:
        if _tags is None:
            found: list[str | None] = [None] * REDIS_CLUSTER_HASH_SLOTS
            missing, number = REDIS_CLUSTER_HASH_SLOTS, 0
            while missing:
                text = str(number)
                slot = key_slot(text.encode())
                if found[slot] is None:
                    found[slot] = text
                    missing -= 1
                number += 1
            _tags = tuple(t for t in found if t is not None)
        return _tags


def _checked(text: str, what: str) -> str:
    """``text`` if it can be part of a key; the error never quotes it (member ids)."""
    if not text or any(c in text for c in _FORBIDDEN):
        raise ValueError(f"a {what} is empty or contains one of {_FORBIDDEN!r}")
    return text


@dataclass(frozen=True, slots=True)
class JournalEntry:
    """An applied transaction not yet confirmed by the ledger, and when it was applied."""

    key: FamilyKey
    txn_id: str
    applied_ms: int


@dataclass(frozen=True, slots=True)
class TxnRecord:
    """What the store remembers of an applied transaction."""

    version: int
    reverses: str | None
    reversed_by: str | None
    deltas: dict[str, int]
    stash: str


class Layout:
    """Key names under one prefix, for a single server or a cluster."""

    def __init__(self, prefix: str, *, cluster: bool = False) -> None:
        self.prefix = _checked(prefix, "prefix")
        self.cluster = cluster

    def _shard(self, card: str) -> str:
        if not self.cluster:
            return ""
        return f":{{{slot_tags()[key_slot(card.encode())]}}}"

    def family_keys(self, key: FamilyKey) -> tuple[str, str, str, str, str]:
        """The five keys the script takes for a family and plan year."""
        card = _checked(key.cardholder_id, "cardholder id")
        year = key.plan_year.isoformat()
        shard = self._shard(card)
        return (
            f"{self.prefix}:{{{card}}}:a:{year}",
            f"{self.prefix}:{{{card}}}:t:{year}",
            f"{self.prefix}:{{{card}}}:f",
            f"{self.prefix}:j{shard}",
            f"{self.prefix}:e{shard}",
        )

    def _all(self, kind: str) -> list[str]:
        if not self.cluster:
            return [f"{self.prefix}:{kind}"]
        return [f"{self.prefix}:{kind}:{{{tag}}}" for tag in slot_tags()]

    def journal_keys(self) -> list[str]:
        """Every journal: one per slot on a cluster, one on a single server."""
        return self._all("j")

    def epoch_keys(self) -> list[str]:
        """Every epoch marker: one per slot on a cluster, one on a single server."""
        return self._all("e")

    @staticmethod
    def journal_member(key: FamilyKey, txn_id: str) -> str:
        """How a transaction is named in its slot's journal."""
        return FIELD_SEP.join((key.cardholder_id, key.plan_year.isoformat(), txn_id))

    @staticmethod
    def parse_member(member: str, score: float) -> JournalEntry:
        """The journal entry a member names."""
        card, year, txn_id = member.split(FIELD_SEP, 2)
        return JournalEntry(FamilyKey(card, dt.date.fromisoformat(year)), txn_id, int(score))

    @staticmethod
    def parse_family_key(name: str) -> tuple[str, str, str | None]:
        """(cardholder id, kind, plan year) of a family key: kind is a, t or f."""
        start, end = name.index("{"), name.index("}")
        parts = name[end + 2 :].split(":", 1)
        return name[start + 1 : end], parts[0], parts[1] if len(parts) > 1 else None


def encode_deltas(deltas: Mapping[str, int]) -> str:
    """``name=cents;name=cents``, the script's form of a transaction's own deltas."""
    for name, cents in deltas.items():
        _checked(name, "amount name")
        if not isinstance(cents, int) or isinstance(cents, bool):
            raise TypeError(f"amount {name} must be integer cents, got {cents!r}")
    return ";".join(f"{name}={cents}" for name, cents in deltas.items())


def decode_deltas(text: str) -> dict[str, int]:
    """The inverse of :func:`encode_deltas`."""
    if not text:
        return {}
    out: dict[str, int] = {}
    for pair in text.split(";"):
        name, _, cents = pair.partition("=")
        out[name] = int(cents)
    return out


def encode_fill(fill: Fill, txn_id: str) -> str:
    """A fill's fields, tab separated (the script prefixes its sequence number).

    The fill's own transaction id is left out when it is the id the fill is kept
    under (always, for claims): the value then stays short enough for Redis's
    compact hash encoding.
    """
    fields = (fill.txn_id, fill.person_code, fill.ndc, fill.group)
    for text in fields:
        if "\t" in text or FIELD_SEP in text:
            raise ValueError(f"fill field {text!r} contains a separator")
    own = "" if fill.txn_id == txn_id else fill.txn_id
    values = (own, *fields[1:], fill.date_of_service.isoformat(), str(fill.days_supply))
    if fill.clarifications or fill.member_share:  # a field only when a later one needs it
        values = (*values, ",".join(fill.clarifications))
    if fill.member_share:
        values = (*values, str(fill.member_share))
    return "\t".join(values)


def decode_fill(text: str, txn_id: str) -> tuple[int, Fill]:
    """(sequence, fill) from the value kept under ``txn_id`` in the fills hash."""
    seq, own, person, ndc, group, day, days, *rest = text.split("\t")
    codes = tuple(rest[0].split(",")) if rest and rest[0] else ()
    share = int(rest[1]) if len(rest) > 1 else 0
    fill = Fill(
        own or txn_id, person, ndc, group, dt.date.fromisoformat(day), int(days), codes, share
    )
    return int(seq), fill


def decode_record(text: str) -> TxnRecord:
    """A transaction record from the transactions hash."""
    version, reverses, reversed_by, deltas, stash = text.split(FIELD_SEP)
    return TxnRecord(
        int(version), reverses or None, reversed_by or None, decode_deltas(deltas), stash
    )

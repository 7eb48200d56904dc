"""Adjudicating the transmissions that arrived together, with one round trip per store.

On this kind of host a round trip to Redis or the database costs the client about
as much CPU as adjudicating the claim (a system call is dear), and a claim needs
four of them: its duplicate check, its member, its family's accumulators and the
apply. A batch reads the duplicate checks, the members and the accumulators of all
its claims in one statement or pipeline each, adjudicates every claim in memory,
and sends all the applies in one pipeline.

The applies are optimistic: each carries the version of the snapshot it was priced
on, so the store refuses (CONFLICT) one whose family changed meanwhile, exactly as
for a claim alone. A family read again after an apply of the batch is queued for
it (two persons of one family) first has the queue sent, so it is priced on what
the earlier claims did, as one claim after another would be. A transmission whose
applies did not all succeed — a conflict with another process, a transaction
applied before (a retry), a reversal the store refuses — or that uses a claim key
an earlier transmission of the batch uses (``Contended``: that one's records are
not written yet), is not answered from the batch: the caller adjudicates it alone
afterwards, the ordinary way. Its applies that did succeed are then found again
(DUPLICATE) and its decision rebuilt from them, so nothing is applied twice.

Nothing of a transmission is written to the ledger until its applies are known
good: its entries are held and handed back with its response, for the caller to
record (and to wait for) before it answers.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field

from engine.accumulators import ApplyStatus, FamilyKey
from engine.adjudication.eligibility import find_plan_version
from engine.adjudication.processor import ClaimProcessor
from engine.adjudication.request import claims_from_transmission
from engine.adjudication.transmission import TransmissionResult, adjudicate_transmission
from engine.claim import ClaimRequest, claim_key
from engine.ncpdp import Decoded, RequestHeader, decode
from engine.store.base import (
    BatchingAccumulators,
    ClaimLedger,
    ClaimRecord,
    Contended,
    LedgerEntry,
    PrefetchingLedger,
)

__all__ = ["BatchOutcome", "adjudicate_batch", "batchable"]

_KEYED = frozenset({"B1", "B2", "B3"})
_MEMBER = frozenset({"B1", "B3", "E1"})


@dataclass(slots=True)
class BatchOutcome:
    """One transmission's answer from the batch, or None: adjudicate it alone.

    ``entries`` are its ledger records, each list to be recorded together; the
    response may be sent only once they are durable.
    """

    result: TransmissionResult | None
    entries: list[list[LedgerEntry]] = field(default_factory=list)


class _HeldLedger:
    """The ledger as one batch sees it: duplicate checks read ahead, records held back."""

    def __init__(self, ledger: ClaimLedger, currents: dict[str, ClaimRecord | None]) -> None:
        self.ledger = ledger
        self.currents = currents
        self.item = -1
        self.held: dict[int, list[list[LedgerEntry]]] = {}
        self._keys: dict[str, int] = {}

    def current(self, claim_key: str) -> ClaimRecord | None:
        """The key's record read ahead; a key an earlier transmission uses is Contended."""
        owner = self._keys.setdefault(claim_key, self.item)
        if owner != self.item:
            raise Contended("the claim key is used earlier in this batch")
        if claim_key in self.currents:
            return self.currents[claim_key]
        return self.ledger.current(claim_key)

    def record(self, entry: LedgerEntry) -> None:
        """Hold an entry for the caller."""
        self.record_batch([entry])

    def record_batch(self, entries: Sequence[LedgerEntry]) -> None:
        """Hold entries that belong together."""
        for entry in entries:
            if entry.claim_key is not None:
                owner = self._keys.setdefault(entry.claim_key, self.item)
                if owner != self.item:
                    raise Contended("the claim key is used earlier in this batch")
        self.held.setdefault(self.item, []).append(list(entries))


def batchable(processor: ClaimProcessor) -> bool:
    """Whether the processor's stores can read ahead and apply in batches."""
    return isinstance(processor.accumulators, BatchingAccumulators) and isinstance(
        processor.ledger, PrefetchingLedger
    )


def _claims(decoded: Decoded) -> list[ClaimRequest]:
    transmission = decoded.transmission
    if transmission is None or not isinstance(transmission.header, RequestHeader):
        return []
    if transmission.header.date_of_service is None:
        return []
    return claims_from_transmission(transmission)


def _family(processor: ClaimProcessor, claim: ClaimRequest) -> FamilyKey | None:
    """The family and plan year a bill or eligibility check will read, if it gets that far."""
    if claim.transaction_code not in _MEMBER or not claim.cardholder_id:
        return None
    runtime, _ = find_plan_version(processor.catalog, claim)
    if runtime is None:
        return None
    start = runtime.plan.plan_year_start_for(claim.date_of_service)
    return FamilyKey(claim.cardholder_id.strip(), start)


def _read_ahead(
    processor: ClaimProcessor,
    accumulators: BatchingAccumulators,
    claims: list[list[ClaimRequest]],
) -> tuple[dict[str, ClaimRecord | None], list[int]]:
    """Read the batch's duplicate checks, members and accumulators.

    Answers the duplicate checks, and the order to adjudicate the items in: in
    rounds, each family at most once per round, so that the queue of applies is
    sent once per round rather than before every second claim of a family
    (``BatchingAccumulators``); items keep their order within a family.
    """
    ledger = processor.ledger
    assert isinstance(ledger, PrefetchingLedger)
    flat = [claim for item in claims for claim in item]
    keys = [key for c in flat if c.transaction_code in _KEYED and (key := claim_key(c))]
    currents = ledger.currents(keys)
    cards = [
        c.cardholder_id.strip() for c in flat if c.transaction_code in _MEMBER and c.cardholder_id
    ]
    prefetch = getattr(processor.members, "prefetch", None)
    if prefetch is not None:
        prefetch(cards)
    rounds: list[int] = []
    seen: dict[FamilyKey, int] = {}
    for item in claims:
        families = set()
        for claim in item:
            family = _family(processor, claim)
            record = currents.get(claim_key(claim) or "")
            if family is None and record is not None:
                family = record.decision.family
            if family is not None:
                families.add(family)
        rounds.append(max((seen.get(f, 0) for f in families), default=0))
        for family in families:
            seen[family] = seen.get(family, 0) + 1
    accumulators.prefetch(list(seen))  # in the batch: these reads count as fresh
    return currents, sorted(range(len(claims)), key=lambda i: (rounds[i], i))


def adjudicate_batch(
    requests: Sequence[tuple[bytes, dt.date]], processor: ClaimProcessor
) -> list[BatchOutcome]:
    """Adjudicate the requests together (see the module docstring); one outcome each.

    The processor's stores must be ``batchable``. A store failure while reading ahead
    or applying raises, as it would for a claim alone; a failure within one
    transmission raises out of the batch too (the caller answers each alone then).
    """
    accumulators = processor.accumulators
    assert isinstance(accumulators, BatchingAccumulators)
    results: dict[int, TransmissionResult] = {}
    accumulators.begin_batch()
    try:
        decoded = [decode(data) for data, _ in requests]
        claims = [_claims(d) for d in decoded]
        currents, order = _read_ahead(processor, accumulators, claims)
        ledger = _HeldLedger(processor.ledger, currents)
        batched = ClaimProcessor(
            processor.catalog,
            accumulators,
            ledger,
            processor.members,
            processor.max_attempts,
            processor.prior_auths,
        )
        for item in order:
            data, received = requests[item]
            accumulators.batch_item(item)
            ledger.item = item
            try:
                results[item] = adjudicate_transmission(
                    data, batched, received, decoded[item], claims[item] or None
                )
            except Contended:
                accumulators.discard_item(item)
                ledger.held.pop(item, None)
    except BaseException:
        for item in range(len(requests)):
            accumulators.discard_item(item)
        accumulators.end_batch()  # nothing queued is sent
        raise
    applied = accumulators.end_batch()
    outcomes: list[BatchOutcome] = []
    for item in range(len(requests)):
        result = results.get(item)
        good = all(r.status is ApplyStatus.APPLIED for r in applied.get(item, ()))
        if result is None or not good:
            outcomes.append(BatchOutcome(None))
        else:
            outcomes.append(BatchOutcome(result, ledger.held.get(item, [])))
    return outcomes

"""The claim processor: the imperative shell around the pure adjudication steps.

For each transaction it runs the pure steps (routing, required fields, request,
eligibility and benefit edits, pricing, cost share), then applies the result to the
accumulator store with optimistic concurrency — on a version conflict it recomputes
from the fresh snapshot, so a patient pay is never computed from stale
accumulators — and records the outcome in the ledger.

The catalog is read once per transaction: publishing a new catalog swaps the
reference, and a claim in flight finishes on the catalog it started with.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import replace

from engine.accumulators import (
    DEDUCTIBLE,
    OUT_OF_POCKET,
    AccumulatorTxn,
    ApplyStatus,
    Snapshot,
    negate,
)
from engine.adjudication.billing import bill
from engine.adjudication.decision import Decision, Reject, Remaining, Status, Versions
from engine.adjudication.eligibility import Eligibility
from engine.adjudication.limits import view_limit
from engine.adjudication.screening import screen
from engine.catalog.catalog import Catalog
from engine.claim import ClaimRequest, claim_key
from engine.cob.figures import OtherPayerInfo
from engine.cob.member import order_notes, other_payer_infos
from engine.edits.facts import ClaimFacts
from engine.ncpdp.rejects import RejectCode
from engine.plans.members import MemberDirectory
from engine.priorauth.directory import MemoryPriorAuthDirectory, PriorAuthDirectory
from engine.store.base import (
    AccumulatorStore,
    ClaimLedger,
    ClaimRecord,
    EntryKind,
    LedgerEntry,
    read_fresh,
    record_together,
)

__all__ = ["ClaimProcessor"]


def _rejected(claim: ClaimRequest, rejects: list[Reject], key: str | None = None) -> Decision:
    return Decision(
        claim.transaction_code,
        Status.REJECTED,
        claim_key=key,
        rejects=tuple(rejects),
        group_id=claim.group_id,
    )


class ClaimProcessor:
    """Adjudicates claim transactions against a catalog, an accumulator store and a ledger."""

    def __init__(
        self,
        catalog: Catalog,
        accumulators: AccumulatorStore,
        ledger: ClaimLedger,
        members: MemberDirectory | None = None,
        max_attempts: int = 8,
        prior_auths: PriorAuthDirectory | None = None,
    ) -> None:
        self.catalog = catalog
        self.accumulators = accumulators
        self.ledger = ledger
        self.members = members if members is not None else catalog.members
        self.max_attempts = max_attempts
        self.prior_auths = (
            prior_auths
            if prior_auths is not None
            else MemoryPriorAuthDirectory(catalog.prior_authorizations)
        )

    def publish(self, catalog: Catalog) -> None:
        """Swap in a new catalog; transactions already running keep the old one."""
        self.catalog = catalog

    def process(self, claim: ClaimRequest, received: dt.date) -> Decision:
        """Adjudicate one transaction and record it; never raises for bad claim content."""
        handler = {
            "B1": self._billing,
            "B2": self._reversal,
            "B3": self._rebill,
            "E1": self._eligibility_check,
        }.get(claim.transaction_code)
        if handler is None:
            decision = _rejected(
                claim,
                [
                    Reject(
                        RejectCode.TRANSACTION_CODE_TYPE_VALUE_NOT_SUPPORTED,
                        f"transaction code {claim.transaction_code!r} is not supported",
                        "header",
                        "103-A3",
                    )
                ],
            )
            self._record(claim, decision, EntryKind.REJECTED)
            return decision
        return handler(claim, received, self.catalog)

    def _record(
        self, claim: ClaimRequest, decision: Decision, kind: EntryKind, sequence: int = 0
    ) -> None:
        self.ledger.record(LedgerEntry(decision.claim_key, sequence, kind, decision, claim))

    def _reject(
        self,
        claim: ClaimRequest,
        rejects: list[Reject],
        key: str | None,
        versions: Versions | None = None,
        other_payers: tuple[OtherPayerInfo, ...] = (),
    ) -> Decision:
        decision = replace(
            _rejected(claim, rejects, key), versions=versions, other_payers=other_payers
        )
        self._record(claim, decision, EntryKind.REJECTED)
        return decision

    def _billing(self, claim: ClaimRequest, received: dt.date, catalog: Catalog) -> Decision:
        key = claim_key(claim)
        current = self.ledger.current(key) if key else None
        if current is not None and not current.reversed:
            duplicate = replace(
                current.decision,
                status=Status.DUPLICATE_OF_PAID,
                transaction_code=claim.transaction_code,
                txn=None,
                messages=("duplicate of a paid claim; nothing changed",),
            )
            self._record(claim, duplicate, EntryKind.DUPLICATE, current.sequence)
            return duplicate
        screened = screen(claim, received, catalog, self.members, "billing")
        eligibility, facts = screened.eligibility, screened.facts
        if eligibility is None or facts is None or key is None:
            return self._reject(
                claim, screened.rejects, key, screened.versions, screened.other_payers
            )
        sequence = current.sequence + 1 if current else 1
        decision = self._bill_and_apply(claim, facts, eligibility, catalog, key, sequence, None)
        if decision.status == Status.PAID:
            self._record(claim, decision, EntryKind.PAID, sequence)
        else:
            self._record(claim, decision, EntryKind.REJECTED)
        return decision

    def _bill_and_apply(
        self,
        claim: ClaimRequest,
        facts: ClaimFacts,
        eligibility: Eligibility,
        catalog: Catalog,
        key: str,
        sequence: int,
        original: ClaimRecord | None,
    ) -> Decision:
        """Bill against the current snapshot and apply, recomputing on version conflicts."""
        authorizations = self.prior_auths.for_member(
            eligibility.family.cardholder_id, eligibility.person.person_code
        )
        eligibility = replace(eligibility, authorizations=authorizations)
        txn_id = f"{key}#{sequence}"
        snapshot = self.accumulators.snapshot(eligibility.key)
        for _ in range(self.max_attempts):
            basis = self._basis(snapshot, eligibility, txn_id, original)
            decision = bill(claim, facts, eligibility, catalog, basis, txn_id, key)
            if decision.txn is None:
                return decision
            txn = decision.txn
            if original is not None:
                txn = AccumulatorTxn(txn.id, txn.deltas, txn.fill, reverses=original.txn_id)
            result = self.accumulators.apply(eligibility.key, txn, snapshot.version)
            if result.status is ApplyStatus.APPLIED:
                # the decision records the transaction exactly as applied (a rebill's
                # reversal of the original included): the ledger rebuilds from it
                return decision if original is None else replace(decision, txn=txn)
            if result.status is ApplyStatus.DUPLICATE:
                replayed = self._replayed(
                    claim, facts, eligibility, catalog, key, txn_id, result.deltas
                )
                if replayed.txn is None:
                    return replayed
                applied = AccumulatorTxn(txn.id, dict(result.deltas), txn.fill, txn.reverses)
                return replace(replayed, txn=applied)
            if result.status is ApplyStatus.CONFLICT and result.snapshot is not None:
                snapshot = result.snapshot
                continue
            return _rejected(
                claim,
                [
                    Reject(
                        RejectCode.CLAIM_NOT_PROCESSED,
                        f"accumulators refused the claim: {result.status}",
                        "accumulators",
                    )
                ],
                key,
            )
        return _rejected(
            claim,
            [
                Reject(
                    RejectCode.CLAIM_NOT_PROCESSED,
                    "accumulators kept changing; resubmit the claim",
                    "accumulators",
                )
            ],
            key,
        )

    def _basis(
        self,
        snapshot: Snapshot,
        eligibility: Eligibility,
        txn_id: str,
        original: ClaimRecord | None,
    ) -> Snapshot:
        """The snapshot to bill against.

        Without the original's effect for a rebill; and when this very transaction was
        applied before the process died (its fill is there, the ledger never recorded
        it), without its own effect, so the retry is priced as the first attempt was and
        its apply answers DUPLICATE instead of being refused as a refill too soon.
        """
        if any(f.txn_id == txn_id for f in snapshot.fills):
            applied = self.accumulators.recorded(eligibility.key, txn_id) or {}
            fills = tuple(f for f in snapshot.fills if f.txn_id != txn_id)
            return snapshot.with_applied(negate(applied), fills)
        return _without(snapshot, original) if original else snapshot

    def _replayed(
        self,
        claim: ClaimRequest,
        facts: ClaimFacts,
        eligibility: Eligibility,
        catalog: Catalog,
        key: str,
        txn_id: str,
        applied: Mapping[str, int],
    ) -> Decision:
        """The transaction was applied before (a retry after a crash): rebuild its decision.

        The snapshot now contains the claim's own effect, so the decision is computed
        from the snapshot with that effect taken out, and nothing is applied again.
        """
        current = self.accumulators.snapshot(eligibility.key)
        fills = tuple(f for f in current.fills if f.txn_id != txn_id)
        basis = current.with_applied(negate(applied), fills)
        return bill(claim, facts, eligibility, catalog, basis, txn_id, key)

    def _reversal(self, claim: ClaimRequest, _received: dt.date, _catalog: Catalog) -> Decision:
        key = claim_key(claim)
        if key is None:
            return self._reject(
                claim,
                [
                    Reject(
                        RejectCode.MI_PRESCRIPTION_SERVICE_REFERENCE_NUMBER,
                        "a reversal needs the prescription and fill numbers",
                        "required",
                        "402-D2",
                    )
                ],
                None,
            )
        current = self.ledger.current(key)
        if current is None:
            return self._reject(
                claim,
                [
                    Reject(
                        RejectCode.CLAIM_HAS_NOT_BEEN_PAID_CAPTURED,
                        "no paid claim matches this reversal",
                        "reversal",
                        "402-D2",
                    )
                ],
                key,
            )
        original = current.decision
        if current.reversed:
            decision = Decision(
                claim.transaction_code,
                Status.DUPLICATE_OF_APPROVED,
                claim_key=key,
                family=original.family,
                group_id=original.group_id,
                plan_id=original.plan_id,
                versions=original.versions,
                messages=("claim already reversed; nothing changed",),
            )
            self._record(claim, decision, EntryKind.DUPLICATE, current.sequence)
            return decision
        assert original.family is not None and current.txn_id is not None
        txn = AccumulatorTxn(f"{current.txn_id}:rev", reverses=current.txn_id)
        result = self.accumulators.apply(original.family, txn, None)
        if result.status is ApplyStatus.UNKNOWN_ORIGINAL:
            return self._reject(
                claim,
                [
                    Reject(
                        RejectCode.REVERSAL_NOT_PROCESSED,
                        "accumulators hold no record of the original "
                        "claim; rebuild them from the ledger",
                        "reversal",
                    )
                ],
                key,
            )
        if result.status is ApplyStatus.ALREADY_REVERSED:
            return self._reject(
                claim,
                [
                    Reject(
                        RejectCode.REVERSAL_NOT_PROCESSED,
                        "accumulators show the original reversed by an unfinished "
                        "transaction; resubmit the reversal",
                        "reversal",
                    )
                ],
                key,
            )
        reversed_deltas = negate(original.txn.deltas) if original.txn else {}
        decision = Decision(
            claim.transaction_code,
            Status.APPROVED,
            claim_key=key,
            family=original.family,
            txn=AccumulatorTxn(txn.id, reversed_deltas, reverses=current.txn_id),
            versions=original.versions,
            group_id=original.group_id,
            plan_id=original.plan_id,
            authorization_number=original.authorization_number,
            messages=("claim reversed",),
        )
        self._record(claim, decision, EntryKind.REVERSED, current.sequence)
        return decision

    def _rebill(self, claim: ClaimRequest, received: dt.date, catalog: Catalog) -> Decision:
        key = claim_key(claim)
        current = self.ledger.current(key) if key else None
        if key is None or current is None or current.reversed:
            return self._reject(
                claim,
                [
                    Reject(
                        RejectCode.CLAIM_HAS_NOT_BEEN_PAID_CAPTURED,
                        "no paid claim to rebill",
                        "rebill",
                        "402-D2",
                    )
                ],
                key,
            )
        screened = screen(claim, received, catalog, self.members, "billing")
        eligibility, facts = screened.eligibility, screened.facts
        if eligibility is None or facts is None:
            return self._reject(
                claim, screened.rejects, key, screened.versions, screened.other_payers
            )
        if eligibility.key != current.decision.family:
            return self._reject(
                claim,
                [
                    Reject(
                        RejectCode.SUBMIT_MANUAL_REVERSAL,
                        "the rebill changes the family or plan year; "
                        "send a reversal and a new claim",
                        "rebill",
                    )
                ],
                key,
            )
        decision = self._bill_and_apply(
            claim, facts, eligibility, catalog, key, current.sequence + 1, current
        )
        if decision.status != Status.PAID:
            self._record(claim, decision, EntryKind.REJECTED)
            return decision
        record_together(
            self.ledger,
            [
                LedgerEntry(key, current.sequence, EntryKind.REVERSED, decision, claim),
                LedgerEntry(key, current.sequence + 1, EntryKind.PAID, decision, claim),
            ],
        )
        return decision

    def _eligibility_check(
        self, claim: ClaimRequest, received: dt.date, catalog: Catalog
    ) -> Decision:
        screened = screen(claim, received, catalog, self.members, "eligibility")
        eligibility = screened.eligibility
        if eligibility is None:
            return self._reject(claim, screened.rejects, None, screened.versions)
        plan = eligibility.runtime.plan
        snapshot = read_fresh(self.accumulators, eligibility.key)
        person = eligibility.person.person_code
        self_only = eligibility.member.self_only
        deductible = (
            view_limit(plan.deductible, DEDUCTIBLE, snapshot, person, self_only)
            if plan.deductible
            else None
        )
        oop = view_limit(
            plan.out_of_pocket,
            OUT_OF_POCKET,
            snapshot,
            person,
            self_only,
            eligibility.runtime.mandates.ceiling,
        )
        decision = Decision(
            claim.transaction_code,
            Status.APPROVED,
            family=eligibility.key,
            group_id=claim.group_id,
            plan_id=plan.plan,
            remaining=Remaining(
                deductible_met=deductible.person_met if deductible else None,
                deductible_remaining=deductible.remaining if deductible else None,
                deductible_family_remaining=deductible.family_remaining if deductible else None,
                out_of_pocket_met=oop.person_met,
                out_of_pocket_remaining=oop.remaining,
                out_of_pocket_family_remaining=oop.family_remaining,
            ),
            messages=(f"covered by {plan.name}", *order_notes(eligibility.cob_order)),
            other_payers=other_payer_infos(eligibility.cob_order, person),
        )
        self._record(claim, decision, EntryKind.ELIGIBILITY)
        return decision


def _without(snapshot: Snapshot, original: ClaimRecord) -> Snapshot:
    """The snapshot as if the original claim had never been paid (the basis of a rebill)."""
    txn = original.decision.txn
    if txn is None:
        return snapshot
    fills = tuple(f for f in snapshot.fills if f.txn_id != txn.id)
    return snapshot.with_applied(negate(txn.deltas), fills)

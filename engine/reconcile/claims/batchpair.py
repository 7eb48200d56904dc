"""Which request transaction each D.0 response in a batch answers.

A response says what the plan pays (509-F9) and for which pharmacy and day (its
header's 201-B1 and 401-D1) and prescription (402-D2, in the Response Claim segment
22, absent from many rejections), but not the fill number (403-D3), the BIN that
routed the claim (the payer) or the prescriber: those are only in the request. So a
response batch is loaded with the request batch it answers, paired by this rule:

1. **By reference.** The response's detail record carries the 880-K5 transaction
   reference number of the request's detail record. When exactly one request record
   has that reference and the two D.0 headers agree on transaction code, service
   provider and date of service, the k-th response transaction answers the k-th
   request transaction (a D.0 response keeps the request's order). A transmission
   rejected whole (header status R) with at most one status answers every
   transaction with it. Where the response names the Rx number it must be the
   request's, else the record is bad.
2. **By claim.** Otherwise (reference blank, unknown or repeated, as in sample files
   that give every record the same one) each response transaction is paired with
   the one request transaction of the same transaction code, service provider, date
   of service and Rx number; none, or more than one, makes the record bad.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from engine.ncpdp import (
    BatchFile,
    RequestHeader,
    ResponseHeader,
    Segment,
    Transaction,
    Transmission,
    decode,
)

__all__ = ["BILLINGS", "Pair", "RequestIndex", "Sent", "Unpaired"]

BILLINGS = frozenset({"B1", "B3", "S1", "S3"})
"""Transaction codes that bill a claim; only their requests are paired and counted."""

_ClaimKey = tuple[str, str, str, dt.date | None, int]


@dataclass(frozen=True, slots=True)
class Sent:
    """One request transaction: its record, its transmission and its place there (from 0)."""

    record: int
    transmission: Transmission
    index: int

    def segment(self, segment_id: str) -> Segment | None:
        """A segment of this transaction, else of the transmission (patient, insurance)."""
        found = self.transmission.transactions[self.index].segment(segment_id)
        return found if found is not None else self.transmission.segment(segment_id)


@dataclass(frozen=True, slots=True)
class Pair:
    """A request transaction and the response transaction answering it (its index, from 0).

    ``answer`` is ``None`` when a transmission rejected whole carries no transaction.
    """

    sent: Sent
    answer: int | None


@dataclass(frozen=True, slots=True)
class Unpaired:
    """A response transaction (from 0; ``None``: the whole record) with no request, and why."""

    answer: int | None
    reason: str


def _rx(segment: Segment | None) -> int | None:
    value = segment.get("D2") if segment is not None else None
    return value if isinstance(value, int) else None


def _key(header: RequestHeader | ResponseHeader, rx: int) -> _ClaimKey:
    return (
        header.transaction_code,
        header.service_provider_id_qualifier,
        header.service_provider_id,
        header.date_of_service,
        rx,
    )


def _same_claims(request: RequestHeader | ResponseHeader, response: ResponseHeader) -> bool:
    return (
        request.transaction_code == response.transaction_code
        and request.service_provider_id_qualifier == response.service_provider_id_qualifier
        and request.service_provider_id == response.service_provider_id
        and request.date_of_service == response.date_of_service
    )


class RequestIndex:
    """The request batch, decoded once and indexed by reference and by claim."""

    def __init__(self, batch: BatchFile) -> None:
        self._by_reference: dict[str, list[tuple[int, Transmission]]] = {}
        self._by_claim: dict[_ClaimKey, list[Sent]] = {}
        self._unusable: dict[str, str] = {}
        self._answered: set[tuple[int, int]] = set()
        self.transactions = 0
        """Billing request transactions in the file."""
        self.responses = 0
        """Details that are responses: all of them means the files were swapped."""
        for detail in batch.details:
            decoded = decode(detail.transmission)
            sent = decoded.transmission
            why = None
            if sent is None:
                why = "does not decode"
            elif not sent.is_request:
                why = "is a response"
                self.responses += 1
            elif any(issue.transaction is None for issue in decoded.issues):
                why = "has a bad header or patient/insurance segment"
            if sent is None or why is not None:
                self._unusable.setdefault(detail.reference, f"request record {detail.record} {why}")
                continue
            if sent.header.transaction_code not in BILLINGS:
                continue
            self._by_reference.setdefault(detail.reference, []).append((detail.record, sent))
            for index, transaction in enumerate(sent.transactions):
                self.transactions += 1
                rx = _rx(transaction.segment("07"))
                if rx is not None:
                    key = _key(sent.header, rx)
                    self._by_claim.setdefault(key, []).append(Sent(detail.record, sent, index))

    @property
    def unanswered(self) -> int:
        """Request transactions no response was paired with."""
        return self.transactions - len(self._answered)

    def pair(self, reference: str, response: Transmission) -> list[Pair | Unpaired]:
        """For each claim of a response: the request transaction it answers, or why none."""
        header = response.header
        assert isinstance(header, ResponseHeader)
        found = self._by_reference.get(reference, []) if reference else []
        if len(found) == 1 and _same_claims(found[0][1].header, header):
            record, request = found[0]
            outcome = _by_position(record, request, header, response.transactions)
        else:
            outcome = [
                self._by_claim_key(reference, header, index, answer)
                for index, answer in enumerate(response.transactions)
            ] or [Unpaired(None, self._missing(reference))]
        self._answered.update(
            (one.sent.record, one.sent.index) for one in outcome if isinstance(one, Pair)
        )
        return outcome

    def _by_claim_key(
        self, reference: str, header: ResponseHeader, index: int, answer: Transaction
    ) -> Pair | Unpaired:
        rx = _rx(answer.segment("22"))
        candidates = [] if rx is None else self._by_claim.get(_key(header, rx), [])
        if len(candidates) == 1:
            return Pair(candidates[0], index)
        if candidates:
            return Unpaired(index, "several requests have its pharmacy, date of service and Rx")
        return Unpaired(index, self._missing(reference))

    def _missing(self, reference: str) -> str:
        if reference in self._unusable:
            return f"its request ({self._unusable[reference]}) cannot be used"
        return (
            f"no request pairs with it (880-K5 {reference or 'blank'},"
            " and none with its pharmacy, date of service and Rx number)"
        )


def _by_position(
    record: int, request: Transmission, header: ResponseHeader, answers: list[Transaction]
) -> list[Pair | Unpaired]:
    """Rule 1: the k-th response transaction answers the k-th request transaction."""
    sent = [Sent(record, request, index) for index in range(len(request.transactions))]
    if not sent:
        return [Unpaired(None, f"its request (record {record}) carries no claim")]
    if header.status == "R" and len(answers) <= 1:
        return [Pair(one, 0 if answers else None) for one in sent]
    if len(answers) != len(sent):
        return [
            Unpaired(
                None,
                f"it answers {len(answers)} transaction(s) but its request (record {record})"
                f" sent {len(sent)}",
            )
        ]
    outcome: list[Pair | Unpaired] = []
    for index, (one, answer) in enumerate(zip(sent, answers, strict=True)):
        rx = _rx(answer.segment("22"))
        if rx is not None and rx != _rx(one.segment("07")):
            reason = f"its Rx number is not the one request record {record} sent"
            outcome.append(Unpaired(index, reason))
        else:
            outcome.append(Pair(one, index))
    return outcome

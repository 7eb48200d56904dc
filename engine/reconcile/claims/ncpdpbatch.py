"""Claims from NCPDP Batch 1.2 response files, paired with the requests they answer.

Each response transaction becomes one claim for the claims load, which classifies
it exactly as it does a CSV row:

* paid (112-AN ``P``; also ``D``, duplicate of paid, whose twin the load's duplicate
  check finds when it is on file): amount due 509-F9 Total Amount Paid, with
  506-F6 ingredient cost, 507-F7 dispensing fee and 505-F5 patient pay;
* rejected (AN ``R``, any 511-FB reject code even beside ``P``, or the whole
  transmission rejected, 501-F1 ``R``) and every other status (captured,
  approved, deferred ...): not billable, nothing due, the reject codes as the reason;
* a rebill (103-A3 ``B3``/``S3``) is a resubmission.

From the request (``engine.reconcile.claims.batchpair`` says how it is found): the
Rx and fill numbers (402-D2, 403-D3), the payer (the BIN, 101-A1, as for ledger
claims), the store (the Pharmacy Provider segment's 444-E9, else the header's
201-B1), the NDC and the prescriber. The billing method is the response's plan id
(524-FO), else a group id (301-C1), else ``UNKNOWN``. A request carrying the
Coordination of Benefits segment (AM05) bills this payer after the other payers it
lists, so the claim's payer place is their count (337-4C occurrences) plus one; a
fourth place is refused by the load like any fourth payer. Without AM05 the load
gives the claim its fill's first free place.

A record that cannot be a claim — it does not decode, is a reversal, pairs with no
request — is a problem with its record number; the rest of the file still loads.
Messages carry record numbers, field names, reject codes and transaction
references, never patient data (names, birth dates, member ids).
"""

from __future__ import annotations

from dataclasses import dataclass

from engine.ncpdp import (
    BatchFile,
    BatchHeader,
    Decoded,
    NcpdpBatchError,
    RequestHeader,
    ResponseHeader,
    Segment,
    Transmission,
    decode,
    read_batch,
)
from engine.ncpdp.codes import TRANSACTION_CODES
from engine.reconcile.claims.batchpair import BILLINGS, Pair, RequestIndex, Unpaired
from engine.reconcile.claims.records import ClaimItem, ClaimProblem
from engine.reconcile.errors import ClaimFileError

__all__ = ["BatchClaims", "read_batch_claims"]

REBILLS = frozenset({"B3", "S3"})
PAID = frozenset({"P", "D"})
_STATUSES = {
    "A": "approved",
    "B": "benefit",
    "C": "captured",
    "F": "PA deferred",
    "Q": "duplicate of capture",
    "S": "duplicate of approved",
}


@dataclass(frozen=True, slots=True)
class BatchClaims:
    """A response batch read as claims, and how many requests went unanswered."""

    items: list[ClaimItem | ClaimProblem]
    header: BatchHeader
    source: str
    """What the load records as its source: both files' names."""
    requests: int
    unanswered: int


def _unwrap(data: bytes, source: str) -> BatchFile:
    try:
        return read_batch(data)
    except NcpdpBatchError as exc:
        raise ClaimFileError(source, f"{exc}; nothing was loaded") from None


def _required(segment: Segment | None, field_id: str, name: str) -> int:
    value = segment.get(field_id) if segment is not None else None
    if not isinstance(value, int):
        raise ValueError(f"the request has no {name}")
    return value


def _number(segment: Segment | None, field_id: str) -> int | None:
    """An integer field (cents for amounts), or ``None`` when absent."""
    value = segment.get(field_id) if segment is not None else None
    return value if isinstance(value, int) else None


def _text(segment: Segment | None, field_id: str) -> str | None:
    value = segment.get(field_id) if segment is not None else None
    return (value.strip() or None) if isinstance(value, str) else None


def _not_billable(header: ResponseHeader, status: Segment | None) -> str | None:
    """Why the plan pays nothing for this transaction, or ``None`` when it pays."""
    codes = [str(o["FB"]) for o in (status.group("FA") if status else []) if o.get("FB")]
    listed = f": {', '.join(codes)}" if codes else ""
    if header.status == "R":
        return f"transmission rejected{listed}"
    if status is None:
        raise ValueError("the response has no Response Status segment (AM21)")
    answer = _text(status, "AN")
    if codes or answer == "R":
        return f"rejected{listed}"
    if answer in PAID:
        return None
    return f"status {answer} ({_STATUSES.get(answer or '', 'unknown')}): nothing paid"


def _ndc(claim: Segment | None) -> str | None:
    product = _text(claim, "D7")
    if _text(claim, "E1") == "03" and product and len(product) == 11 and product.isdigit():
        return product
    return None


def _payer_seq(cob: Segment | None) -> int | None:
    """The place after the other payers the request reports; ``None`` when it reports none."""
    others = cob.group("4C") if cob is not None else []
    return len(others) + 1 if others else None


def _item(record: int, response: Transmission, pair: Pair) -> ClaimItem:
    header, request = response.header, pair.sent.transmission.header
    assert isinstance(header, ResponseHeader) and isinstance(request, RequestHeader)
    assert header.date_of_service is not None
    answer = None if pair.answer is None else response.transactions[pair.answer]
    status = answer.segment("21") if answer is not None else None
    pricing = answer.segment("23") if answer is not None else None
    reason = _not_billable(header, status)
    due = _number(pricing, "F9")
    if reason is None and due is None:
        raise ValueError("paid, but 509-F9 Total Amount Paid is missing")
    claim = pair.sent.segment("07")
    insurance = response.segment("25")
    return ClaimItem(
        row=record,
        store=_text(pair.sent.segment("02"), "E9") or request.service_provider_id,
        rx_number=_required(claim, "D2", "402-D2 Prescription/Service Reference Number"),
        fill_number=_required(claim, "D3", "403-D3 Fill Number"),
        date_of_service=header.date_of_service,
        payer=request.bin,
        billing_method=_text(insurance, "FO")
        or _text(insurance, "C1")
        or _text(pair.sent.segment("04"), "C1")
        or "UNKNOWN",
        amount_due=due if reason is None and due is not None else 0,
        ingredient_cost=_number(pricing, "F6") or 0,
        dispensing_fee=_number(pricing, "F7") or 0,
        patient_pay=_number(pricing, "F5") or 0,
        payer_seq=_payer_seq(pair.sent.segment("05")),
        ndc=_ndc(claim),
        prescriber_id=_text(pair.sent.segment("03"), "DB"),
        unauthorized=reason is not None,
        resubmitted=header.transaction_code in REBILLS,
        reason=reason,
    )


def _claims(
    record: int, decoded: Decoded, outcome: list[Pair | Unpaired]
) -> list[ClaimItem | ClaimProblem]:
    """Each paired transaction as a claim; the others, and bad ones, as problems."""
    response = decoded.transmission
    assert response is not None
    store = response.header.service_provider_id
    several = len(response.transactions) > 1
    found: list[ClaimItem | ClaimProblem] = []
    for one in outcome:
        where, rx, issues = "", None, []
        if one.answer is not None:
            where = f"transaction {one.answer + 1}: " if several else ""
            rx = _number(response.transactions[one.answer].segment("22"), "D2")
            issues = [i for i in decoded.issues if i.transaction == one.answer + 1]
        if isinstance(one, Unpaired):
            found.append(ClaimProblem(record, where + one.reason, store, rx))
        elif issues:
            found.append(ClaimProblem(record, f"{where}{issues[0]}", store, rx))
        else:
            try:
                found.append(_item(record, response, one))
            except ValueError as exc:
                found.append(ClaimProblem(record, f"{where}{exc}", store, rx))
    return found


def _record(
    record: int, reference: str, decoded: Decoded, index: RequestIndex
) -> list[ClaimItem | ClaimProblem]:
    """The claims of one response record, or the problem that keeps it from loading."""
    response = decoded.transmission
    if response is None:
        return [ClaimProblem(record, f"the transmission does not decode: {decoded.issues[0]}")]
    store = response.header.service_provider_id
    if response.is_request:
        return [ClaimProblem(record, "a request (56-byte header) among the responses", store)]
    top = [issue for issue in decoded.issues if issue.transaction is None]
    if top:
        return [ClaimProblem(record, str(top[0]), store)]
    code = response.header.transaction_code
    if code not in BILLINGS:
        name = TRANSACTION_CODES.get(code, "unknown")
        reason = f"{code} ({name}) is not a billing: not loaded"
        if code in ("B2", "S2"):
            reason += " (close a reversed receivable by correcting its status)"
        return [ClaimProblem(record, reason, store)]
    return _claims(record, decoded, index.pair(reference, response))


def read_batch_claims(
    responses: bytes, requests: bytes, *, responses_name: str, requests_name: str
) -> BatchClaims:
    """Read a response batch and its request batch as claims, in record order.

    ``ClaimFileError`` refuses either file whose wrapper does not hold, and files
    given the wrong way round; bad records are problems, never errors.
    """
    answered = _unwrap(responses, responses_name)
    index = RequestIndex(_unwrap(requests, requests_name))
    if index.responses and not index.transactions:
        raise ClaimFileError(requests_name, "holds D.0 responses, not requests; nothing was loaded")
    decoded = [(detail, decode(detail.transmission)) for detail in answered.details]
    if decoded and all(
        d.transmission is not None and d.transmission.is_request for _, d in decoded
    ):
        raise ClaimFileError(
            responses_name,
            "holds D.0 requests, not responses: the two files are the wrong way round;"
            " nothing was loaded",
        )
    items: list[ClaimItem | ClaimProblem] = [
        ClaimProblem(p.record, p.reason) for p in answered.problems
    ]
    for detail, one in decoded:
        items.extend(_record(detail.record, detail.reference, one, index))
    items.sort(key=lambda item: item.row)
    source = f"ncpdp-batch {responses_name} (requests {requests_name})"
    return BatchClaims(items, answered.header, source, index.transactions, index.unanswered)

"""Bytes in, bytes out: adjudicating a whole NCPDP transmission.

Whatever arrives gets a D.0 response. A header that cannot be read, or a version
or transaction count the transmission cannot be processed with, is refused as a
whole (header status R) with the codec's reject codes; a problem inside one
transaction rejects that transaction with the code and field occurrence of the
problem while the others are adjudicated; a problem in a transmission-level
segment (patient, insurance) rejects every transaction.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from engine.adjudication.decision import Decision, Reject, Status
from engine.adjudication.processor import ClaimProcessor
from engine.adjudication.request import claims_from_transmission
from engine.adjudication.response import response_transaction
from engine.claim import ClaimRequest
from engine.ncpdp import (
    TRANSACTION_CODES,
    CodecIssue,
    Decoded,
    RequestHeader,
    ResponseHeader,
    Segment,
    Transaction,
    Transmission,
    decode,
    encode,
)
from engine.ncpdp.model import Occurrence

__all__ = ["TransmissionResult", "adjudicate_transmission", "refusal"]


@dataclass(frozen=True, slots=True)
class TransmissionResult:
    """The response bytes, with the decisions and claims behind them (for ledgers and logs).

    A transmission refused as a whole has one rejected decision and no claim.
    """

    response: bytes
    decoded: Decoded
    claims: tuple[ClaimRequest | None, ...]
    decisions: tuple[Decision, ...]


def _reject(issue: CodecIssue) -> Reject:
    field_id = f"{issue.field}" if issue.field else None
    return Reject(issue.reject, issue.message, "codec", field_id, issue.occurrence)


def refusal(
    data: bytes, decoded: Decoded, issues: list[CodecIssue], received: dt.date
) -> Transmission:
    """A header-level rejection (501-F1 = R) echoing what could be read of the header.

    The response header must carry a date of service; when the request's cannot be
    read, the processing date stands in for it.
    """
    header = decoded.transmission.header if decoded.transmission else None
    text = data[:56].decode("ascii", errors="replace")
    if isinstance(header, RequestHeader):
        code, qualifier = header.transaction_code, header.service_provider_id_qualifier
        provider, day = header.service_provider_id, header.date_of_service
    else:
        code, qualifier, provider, day = text[8:10].strip(), "", "", None
    rejects: list[Occurrence] = [{"FB": issue.reject.code} for issue in issues[:20]]
    status = Segment("21", {"AN": "R"}, {"FA": rejects})
    return Transmission(
        ResponseHeader(
            "D0",
            code if code in TRANSACTION_CODES else "  ",
            1,
            "R",
            qualifier,
            provider,
            day or received,
        ),
        {},
        [Transaction({"21": status})],
    )


def adjudicate_transmission(
    data: bytes,
    processor: ClaimProcessor,
    received: dt.date,
    decoded: Decoded | None = None,
    claims: list[ClaimRequest] | None = None,
) -> TransmissionResult:
    """Adjudicate every transaction of a request transmission and build the response.

    ``decoded`` is ``data`` already decoded and ``claims`` its claims (a batch reads
    them first).
    """
    if decoded is None:
        decoded = decode(data)
    transmission = decoded.transmission
    header_issues = [i for i in decoded.issues if i.transaction is None and i.segment is None]
    if (
        transmission is None
        or not isinstance(transmission.header, RequestHeader)
        or transmission.header.date_of_service is None
        or header_issues
    ):
        issues = header_issues or list(decoded.issues)
        response = refusal(data, decoded, issues, received)
        refused = Decision(
            response.header.transaction_code.strip(),
            Status.REJECTED,
            rejects=tuple(_reject(issue) for issue in issues[:20]),
        )
        return TransmissionResult(encode(response), decoded, (None,), (refused,))
    header = transmission.header
    shared = [_reject(i) for i in decoded.issues if i.transaction is None and i.segment]
    if claims is None:
        claims = claims_from_transmission(transmission)
    decisions: list[Decision] = []
    for index, claim in enumerate(claims, start=1):
        local = [_reject(i) for i in decoded.issues if i.transaction == index]
        if shared or local:
            decision = Decision(
                claim.transaction_code,
                Status.REJECTED,
                rejects=tuple(shared + local),
                group_id=claim.group_id,
            )
        else:
            decision = processor.process(claim, received)
        decisions.append(decision)
    response = Transmission(
        ResponseHeader(
            "D0",
            header.transaction_code,
            len(decisions),
            "A",
            header.service_provider_id_qualifier,
            header.service_provider_id,
            header.date_of_service,
        ),
        {},
        [response_transaction(d, c) for d, c in zip(decisions, claims, strict=True)],
    )
    return TransmissionResult(encode(response), decoded, tuple(claims), tuple(decisions))

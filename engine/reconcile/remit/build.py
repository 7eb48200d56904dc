"""From 835 segments to remittances: one per transaction set (ST ... SE).

Where pharmacy remittances put things: the payment in BPR (BPR02 amount, BPR03
credit or debit, BPR04 method, BPR16 date) and TRN02 (the check or EFT trace);
the payer in loop 1000A (REF*2U, else N104); the payee in 1000B; each claim in
CLP (CLP01 prescription and fill, CLP02 status — 22 is a reversal — CLP03
charge, CLP04 paid, CLP05 patient responsibility, CLP07 the payer's control
number), its original in REF*F8, the store in NM1*82 (else TS301 of its LX
group, else the payee), the date of service in DTM*232 (else the service line's
DTM*472), the NDC in SVC01 ``N4:<NDC11>``, adjustments in CAS at claim or
service level, and provider-level adjustments in PLB. Patient segments (NM1*QC)
are read past and never copied.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from engine.money import MoneyError, parse_dollars
from engine.reconcile.errors import FileIssue
from engine.reconcile.remit.keys import IdentifierError, parse_ndc, parse_rx_fill
from engine.reconcile.remit.records import (
    ClaimAdjustment,
    ClaimPayment,
    ProviderAdjustment,
    Remittance,
)
from engine.reconcile.remit.x12 import Segment

__all__ = ["build_remittances"]

_CAS_TRIPLETS = ((2, 3), (5, 6), (8, 9), (11, 12), (14, 15), (17, 18))
_PLB_PAIRS = ((3, 4), (5, 6), (7, 8), (9, 10), (11, 12), (13, 14))


class _Problem(ValueError):
    """A value in a segment that cannot be read: becomes a located issue."""


def _cents(seg: Segment, ref: str, *, required: bool = True) -> int:
    text = seg.value(ref)
    if text is None:
        if required:
            raise _Problem(f"{seg.id}{ref} is missing")
        return 0
    try:
        return parse_dollars(text)
    except MoneyError as exc:
        raise _Problem(f"{seg.id}{ref}: {exc}") from exc


def _date(seg: Segment, ref: str) -> dt.date | None:
    text = seg.value(ref)
    if text is None:
        return None
    try:
        return dt.datetime.strptime(text, "%Y%m%d").date()
    except ValueError as exc:
        raise _Problem(f"{seg.id}{ref}: {text!r} is not a CCYYMMDD date") from exc


class _Builder:
    """Walks the segments of one file, keeping the state of the loops it is in."""

    def __init__(self, source: str) -> None:
        self.source = source
        self.done: list[Remittance] = []
        self.issues: list[FileIssue] = []
        self.current: Remittance | None = None
        self.claim: ClaimPayment | None = None
        self.group_store: str | None = None
        self.payer_ref: str | None = None
        self.payer_n1: str | None = None

    def issue(self, seg: Segment, message: str) -> None:
        self.issues.append(FileIssue(seg.line, message, seg.id, seg.position))

    def feed(self, seg: Segment) -> None:
        handler = getattr(self, f"_on_{seg.id.lower()}", None)
        if handler is None:
            return
        try:
            handler(seg)
        except _Problem as exc:
            self.issue(seg, str(exc))

    def _on_st(self, seg: Segment) -> None:
        self.current = None
        self.claim = None
        self.group_store = self.payer_ref = self.payer_n1 = None

    def _on_bpr(self, seg: Segment) -> None:
        total = _cents(seg, "02")
        if seg.value("03") == "D":
            total = -total
        self.current = Remittance(
            source=self.source,
            payer="",
            payment_date=_date(seg, "16") or dt.date.min,
            total=total,
            method=seg.value("04") or "",
            line=seg.line,
        )
        if self.current.payment_date == dt.date.min:
            raise _Problem("BPR16 (the payment date) is missing")

    def _need(self, seg: Segment) -> Remittance:
        if self.current is None:
            raise _Problem(f"{seg.id} before the payment (BPR)")
        return self.current

    def _on_trn(self, seg: Segment) -> None:
        self._need(seg).check_number = seg.value("02")

    def _on_n1(self, seg: Segment) -> None:
        remit = self._need(seg)
        if seg.value("01") == "PR":
            remit.payer_name = seg.value("02")
            self.payer_n1 = seg.value("04")
        elif seg.value("01") == "PE":
            remit.payee = seg.value("04")

    def _on_ref(self, seg: Segment) -> None:
        if seg.loop == "1000A" and seg.value("01") == "2U":
            self.payer_ref = seg.value("02")
        elif seg.loop == "2100" and seg.value("01") == "F8" and self.claim is not None:
            self.claim.original_ref = seg.value("02")

    def _on_lx(self, seg: Segment) -> None:
        self.group_store = None

    def _on_ts3(self, seg: Segment) -> None:
        self.group_store = seg.value("01")

    def _on_clp(self, seg: Segment) -> None:
        remit = self._need(seg)
        claim = ClaimPayment(
            line=seg.line,
            segment=seg.position,
            store=self.group_store or remit.payee,
            status_code=seg.value("02") or "",
            charge=_cents(seg, "03"),
            paid=_cents(seg, "04"),
            patient_resp=_cents(seg, "05", required=False),
            payer_control=seg.value("07"),
        )
        try:
            claim.rx_number, claim.fill_number = parse_rx_fill(seg.value("01"))
        except IdentifierError as exc:
            claim.problem = f"CLP01 {exc}"
        remit.claims.append(claim)
        self.claim = claim

    def _on_nm1(self, seg: Segment) -> None:
        if seg.loop == "2100" and seg.value("01") == "82" and self.claim is not None:
            self.claim.store = seg.value("09") or self.claim.store

    def _on_dtm(self, seg: Segment) -> None:
        if self.claim is None or self.claim.date_of_service is not None:
            return
        if (seg.loop, seg.value("01")) in (("2100", "232"), ("2110", "472")):
            self.claim.date_of_service = _date(seg, "02")

    def _on_svc(self, seg: Segment) -> None:
        if self.claim is None or self.claim.ndc is not None:
            return
        try:
            self.claim.ndc = parse_ndc(seg.value("01"))
        except IdentifierError as exc:
            self.claim.problem = self.claim.problem or f"SVC01 {exc}"

    def _on_cas(self, seg: Segment) -> None:
        if self.claim is None:
            raise _Problem("CAS outside a claim")
        group = seg.value("01") or ""
        level = "service" if seg.loop == "2110" else "claim"
        for reason_at, amount_at in _CAS_TRIPLETS:
            reason = seg.value(f"{reason_at:02d}")
            if reason is None:
                continue
            amount = _cents(seg, f"{amount_at:02d}")
            self.claim.adjustments.append(ClaimAdjustment(group, reason, amount, level))

    def _on_plb(self, seg: Segment) -> None:
        remit = self._need(seg)
        self.claim = None
        provider, fiscal = seg.value("01"), _date(seg, "02")
        for code_at, amount_at in _PLB_PAIRS:
            code = seg.value(f"{code_at:02d}-1")
            if code is None:
                continue
            remit.provider.append(
                ProviderAdjustment(
                    seg.line,
                    provider,
                    fiscal,
                    code,
                    seg.value(f"{code_at:02d}-2"),
                    _cents(seg, f"{amount_at:02d}"),
                )
            )

    def _on_se(self, seg: Segment) -> None:
        remit = self.current
        if remit is None:
            raise _Problem("a transaction set without a payment (BPR)")
        remit.payer = self.payer_ref or self.payer_n1 or ""
        if not remit.payer:
            raise _Problem("the payer is not identified (REF*2U or N1*PR N104)")
        for claim in remit.claims:
            claim.payer = remit.payer
            if claim.problem is None and claim.date_of_service is None:
                claim.problem = "no date of service (DTM*232 or DTM*472)"
            if claim.problem is None and not claim.store:
                claim.problem = "no store (NM1*82, TS301 or the payee)"
        self.done.append(remit)
        self.current = None
        self.claim = None


def build_remittances(
    segments: Sequence[Segment], source: str
) -> tuple[list[Remittance], list[FileIssue]]:
    """The remittances of a file and the problems that make it unloadable."""
    builder = _Builder(source)
    for seg in segments:
        builder.feed(seg)
    if not builder.done and not builder.issues:
        builder.issues.append(FileIssue(1, "the file holds no 835 transaction set"))
    return builder.done, builder.issues

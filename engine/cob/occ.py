"""The checks a claim's Other Coverage Code (308-C8) and COB segment (05) must pass.

Run after eligibility, for billing: they need this plan's place among the member's
coverages. Each problem is an NCPDP reject with the field (and, in the COB
segment, the occurrence) at fault; the first kind of problem found stops the claim.

- Other Coverage Code: D.0 uses 0, 1, 2, 3, 4 and 8 (5-7 were deleted), else 13.
  0 or 1 sent with a populated COB segment: 13 (mandates.md §6.4, PA PACE).
  2, 3, 4 or 8 without the COB segment: 4C, the other payers' results are required.
- Each occurrence needs its coverage type (5C), payer id qualifier (6C) and payer id
  (7C); amounts paid need a valid qualifier (HC) and an amount (DV, never negative:
  8V); reject codes must be there (6E); patient responsibility needs a valid
  qualifier (NP) and a non-negative amount (NQ). Coverage types must be 01, 02, ...
  with none missing or repeated (5C); at most two earlier payers (4C).
- By code: 2 needs an amount paid greater than zero (8W); 3 and 4 must not carry
  one (8W); 3 needs the other payer's reject codes (6E); 4 and 8 need the other
  payer's patient responsibility (NR); 4 must not carry reject codes (13).
- Place: a claim that comes to this plan before the payers that pay first is sent
  to them (41, with their details in the response); a claim that comes after a
  payer on file that pays after this plan is refused (13). Earlier payers rxadj
  does not know of are accepted: the member's other coverage may simply not be on
  file yet, and the response says so.
"""

from __future__ import annotations

from dataclasses import dataclass

from engine.adjudication.decision import Reject
from engine.claim import ClaimRequest, OtherPayerResult
from engine.cob.claims import paid
from engine.cob.coverage import MAX_OTHER_COVERAGES, OtherCoverage
from engine.cob.figures import OtherPayerInfo
from engine.cob.member import other_payer_infos
from engine.cob.order import CobOrder
from engine.ncpdp.rejects import RejectCode

__all__ = ["Coordination", "coordinate"]

RULE = "coordination-of-benefits"
OCC_CODES = frozenset({"0", "1", "2", "3", "4", "8"})
NO_OTHER_COVERAGE = frozenset({"0", "1"})
COVERAGE_TYPES = tuple(f"{n:02d}" for n in range(1, 10))
AMOUNT_PAID_QUALIFIERS = frozenset({"01", "02", "03", "04", "05", "06", "07", "09", "10"})
"""342-HC values of D.0 (08, 98 and 99 were for versions up to C.4)."""
PATIENT_RESPONSIBILITY_QUALIFIERS = frozenset(f"{n:02d}" for n in range(1, 14)) - {"09"}
"""351-NP values; 09 is a negative amount and not valid here (Colorado HCPF quicksheet)."""


@dataclass(slots=True)
class Coordination:
    """Where this plan stands for one claim, and what the earlier payers did.

    ``payer_seq`` is 1 when this plan pays first, 2 or 3 after others; ``prior`` are
    the earlier payers' results in payment order, ``prior_coverage`` the coverage on
    file each one matched (by BIN), or None. ``other_payers`` are the member's other
    payers on file, for the response; ``notes`` messages for the pharmacy.
    """

    order: CobOrder | None
    payer_seq: int
    prior: tuple[OtherPayerResult, ...] = ()
    prior_coverage: tuple[OtherCoverage | None, ...] = ()
    other_payers: tuple[OtherPayerInfo, ...] = ()
    notes: tuple[str, ...] = ()


def _reject(code: RejectCode, message: str, field: str, occurrence: int | None = None) -> Reject:
    return Reject(code, message, RULE, field, occurrence)


def _occurrence_problems(index: int, result: OtherPayerResult) -> list[Reject]:
    """What is missing or invalid in one occurrence of the COB segment."""
    problems = []
    if result.coverage_type not in COVERAGE_TYPES:
        problems.append(
            _reject(
                RejectCode.MI_OTHER_PAYER_COVERAGE_TYPE,
                "other payer coverage type must be 01 to 09",
                "338-5C",
                index,
            )
        )
    if not result.id_qualifier:
        problems.append(
            _reject(
                RejectCode.MI_OTHER_PAYER_ID_QUALIFIER,
                "other payer id qualifier missing",
                "339-6C",
                index,
            )
        )
    if not result.payer_id:
        problems.append(
            _reject(RejectCode.MI_OTHER_PAYER_ID, "other payer id missing", "340-7C", index)
        )
    for amount in result.amounts_paid:
        if amount.qualifier not in AMOUNT_PAID_QUALIFIERS:
            problems.append(
                _reject(
                    RejectCode.MI_OTHER_PAYER_AMOUNT_PAID_QUALIFIER,
                    "other payer amount paid qualifier missing or not used in D.0",
                    "342-HC",
                    index,
                )
            )
        if amount.amount is None:
            problems.append(
                _reject(
                    RejectCode.MI_OTHER_PAYER_AMOUNT_PAID,
                    "other payer amount paid missing",
                    "431-DV",
                    index,
                )
            )
        elif amount.amount < 0:
            problems.append(
                _reject(
                    RejectCode.NEGATIVE_OTHER_PAYER_AMOUNT_PAID,
                    "other payer amount paid must not be negative",
                    "431-DV",
                    index,
                )
            )
    if any(not code for code in result.reject_codes):
        problems.append(
            _reject(
                RejectCode.MI_OTHER_PAYER_REJECT_CODE,
                "other payer reject code missing",
                "472-6E",
                index,
            )
        )
    for amount in result.patient_responsibility:
        if amount.qualifier not in PATIENT_RESPONSIBILITY_QUALIFIERS:
            problems.append(
                _reject(
                    RejectCode.MI_OTHER_PAYER_PATIENT_RESPONSIBILITY_AMOUNT_QUALIFIER,
                    "other payer-patient responsibility qualifier missing or invalid",
                    "351-NP",
                    index,
                )
            )
        if amount.amount is None or amount.amount < 0:
            problems.append(
                _reject(
                    RejectCode.MI_OTHER_PAYER_PATIENT_RESPONSIBILITY_AMOUNT,
                    "other payer-patient responsibility amount missing or negative",
                    "352-NQ",
                    index,
                )
            )
    return problems


def _segment_problems(results: tuple[OtherPayerResult, ...]) -> list[Reject]:
    problems = [p for i, r in enumerate(results, start=1) for p in _occurrence_problems(i, r)]
    if problems:
        return problems
    if len(results) > MAX_OTHER_COVERAGES:
        return [
            _reject(
                RejectCode.MI_COORDINATION_OF_BENEFITS_OTHER_PAYMENTS_COUNT,
                f"at most {MAX_OTHER_COVERAGES} earlier payers: three payers per claim",
                "337-4C",
            )
        ]
    types = sorted(r.coverage_type or "" for r in results)
    if types != list(COVERAGE_TYPES[: len(results)]):
        return [
            _reject(
                RejectCode.MI_OTHER_PAYER_COVERAGE_TYPE,
                "other payer coverage types must run 01, 02 with none missing or repeated",
                "338-5C",
            )
        ]
    return []


def _code_problems(occ: str, results: tuple[OtherPayerResult, ...]) -> list[Reject]:
    """What the Other Coverage Code requires of the COB segment."""
    total = paid(results)
    rejected = any(r.reject_codes for r in results)
    responsibility = any(r.patient_responsibility for r in results)
    if occ == "2" and total <= 0:
        return [
            _reject(
                RejectCode.OTHER_COVERAGE_CODE_AMOUNT_PAID_DISCREPANCY,
                "other coverage code 2 (payment collected) needs the other payer amount paid",
                "431-DV",
            )
        ]
    if occ in ("3", "4") and total > 0:
        return [
            _reject(
                RejectCode.OTHER_COVERAGE_CODE_AMOUNT_PAID_DISCREPANCY,
                f"other coverage code {occ} says no payment was collected, "
                "but an amount paid was sent",
                "431-DV",
            )
        ]
    if occ == "3" and not rejected:
        return [
            _reject(
                RejectCode.MI_OTHER_PAYER_REJECT_CODE,
                "other coverage code 3 (claim not covered) needs the other payer's reject codes",
                "472-6E",
            )
        ]
    if occ in ("4", "8") and not responsibility:
        return [
            _reject(
                RejectCode.MI_OTHER_PAYER_PATIENT_RESPONSIBILITY_AMOUNT_COUNT,
                f"other coverage code {occ} needs the other payer-patient responsibility",
                "353-NR",
            )
        ]
    if occ == "4" and rejected:
        return [
            _reject(
                RejectCode.MI_OTHER_COVERAGE_CODE,
                "other coverage code 4 (payment not collected) with the other payer's "
                "reject codes: send code 3",
                "308-C8",
            )
        ]
    return []


def _matched(
    results: tuple[OtherPayerResult, ...], order: CobOrder | None
) -> tuple[OtherCoverage | None, ...]:
    """The coverage on file each earlier payer is (by BIN, its place breaking ties)."""
    placed = order.others if order is not None else ()
    matches = []
    for result in results:
        candidates = [
            p
            for p in placed
            if p.coverage.other is not None
            and result.id_qualifier == "03"
            and p.coverage.other.bin == (result.payer_id or "").strip()
        ]
        same_place = [p for p in candidates if f"{p.position:02d}" == result.coverage_type]
        chosen = (same_place or candidates or [None])[0]
        matches.append(chosen.coverage.other if chosen is not None else None)
    return tuple(matches)


def _normalized(code: str | None) -> str | None:
    """308-C8 as a single digit ("02" is 2); None when it is not a number."""
    text = (code or "0").strip() or "0"
    return str(int(text)) if text.isdigit() else None


def _place_problems(
    order: CobOrder | None,
    payer_seq: int,
    matched: tuple[OtherCoverage | None, ...],
    other_payers: tuple[OtherPayerInfo, ...],
) -> list[Reject]:
    if order is None:
        return []
    if order.position is None:
        return [
            _reject(
                RejectCode.CLAIM_NOT_PROCESSED,
                f"coordination of benefits order undetermined: {order.problem}",
                "308-C8",
            )
        ]
    if order.position > payer_seq:
        first = [p for p in other_payers if int(p.coverage_type) < order.position]
        missing = first[min(payer_seq, len(first)) - 1]
        return [
            _reject(
                RejectCode.SUBMIT_BILL_TO_OTHER_PROCESSOR_OR_PRIMARY_PAYER,
                f"this plan pays {_place(order.position)}: bill {_payer(missing)} "
                f"({_place(int(missing.coverage_type))}) first",
                "308-C8",
            )
        ]
    positions = {id(p.coverage.other): p.position for p in order.others}
    for coverage in matched:
        if coverage is not None and positions[id(coverage)] > order.position:
            return [
                _reject(
                    RejectCode.MI_OTHER_COVERAGE_CODE,
                    f"BIN {coverage.bin} pays after this plan: bill this plan first",
                    "308-C8",
                )
            ]
    return []


def _payer(info: OtherPayerInfo) -> str:
    """How a message names another payer: BIN, and PCN when there is one (BINs are shared)."""
    return f"BIN {info.bin}" + (f" PCN {info.pcn}" if info.pcn else "")


def _place(position: int) -> str:
    return {1: "primary", 2: "secondary", 3: "tertiary"}.get(position, f"payer {position}")


def coordinate(
    claim: ClaimRequest, order: CobOrder | None, person_code: str
) -> tuple[Coordination | None, list[Reject], tuple[OtherPayerInfo, ...]]:
    """Check a claim's coordination of benefits against this plan's place.

    Returns the coordination (None for a claim with no other coverage on either
    side), the rejects, and the member's other payers for the response.
    """
    occ = _normalized(claim.other_coverage_code)
    results = claim.other_payers
    if order is None and not results and occ in NO_OTHER_COVERAGE:
        return None, [], ()
    other_payers = other_payer_infos(order, person_code)
    if occ not in OCC_CODES:
        problem = _reject(
            RejectCode.MI_OTHER_COVERAGE_CODE,
            "other coverage code must be 0, 1, 2, 3, 4 or 8 in D.0",
            "308-C8",
        )
        return None, [problem], other_payers
    if results and occ in NO_OTHER_COVERAGE:
        problem = _reject(
            RejectCode.MI_OTHER_COVERAGE_CODE,
            f"other coverage code {occ} sent with the other payers' results (COB segment)",
            "308-C8",
        )
        return None, [problem], other_payers
    if not results and occ not in NO_OTHER_COVERAGE:
        problem = _reject(
            RejectCode.MI_COORDINATION_OF_BENEFITS_OTHER_PAYMENTS_COUNT,
            f"other coverage code {occ} needs the other payers' results (COB segment)",
            "337-4C",
        )
        return None, [problem], other_payers
    problems = _segment_problems(results) or _code_problems(occ, results)
    if problems:
        return None, problems, other_payers
    prior = tuple(sorted(results, key=lambda r: r.coverage_type or ""))
    matched = _matched(prior, order)
    payer_seq = len(prior) + 1
    problems = _place_problems(order, payer_seq, matched, other_payers)
    if problems:
        return None, problems, other_payers
    notes = tuple(
        f"OTHER PAYER BIN {(r.payer_id or '').strip()} NOT ON FILE"
        for r, coverage in zip(prior, matched, strict=True)
        if coverage is None
    )
    mine = order.position if order is not None and order.position is not None else payer_seq
    after = [p for p in other_payers if int(p.coverage_type) > mine]
    if after:
        notes += (f"BILL NEXT: {_payer(after[0])} ({_place(int(after[0].coverage_type))})",)
    coordination = Coordination(order, payer_seq, prior, matched, other_payers, notes)
    return coordination, [], other_payers

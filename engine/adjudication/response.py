"""From decisions to NCPDP D.0 response segments.

Paid and duplicate claims carry the pricing segment (23) with every amount the
decision has: patient pay, ingredient cost and dispensing fee paid, total paid,
amount applied to the deductible, copay, coinsurance, brand penalty, accumulated
and remaining deductible. D.0 has no field for the remaining out-of-pocket
maximum, so it travels, with the family figures, as additional message lines of
the status segment (21), forty characters each. A claim settled after other
payers also reports the other payer amount recognized (566-J5), so that total paid
= ingredient cost + dispensing fee - patient pay - amount recognized. When the
member has other coverage on file, the COB segment (28) lists those payers by
place, on paid and rejected claims and eligibility answers alike.
"""

from __future__ import annotations

from engine.adjudication.decision import Decision, Remaining, Status
from engine.claim import ClaimRequest
from engine.money import format_cents
from engine.ncpdp import Segment, Transaction, Value
from engine.ncpdp.model import Occurrence

__all__ = ["HELP_DESK_PHONE", "message_lines", "response_transaction"]

HELP_DESK_PHONE = "8005550199"
"""The processor help desk the pharmacy may call (549-7F qualifier 03: processor/PBM)."""

_LINE = 40


_MAX_LINES = 25


def _money_line(label: str, cents: int | None) -> str | None:
    return None if cents is None else f"{label} {format_cents(cents)}"


def message_lines(decision: Decision) -> list[str]:
    """The messages of a decision (remaining amounts, caps, rejects, notes), upper case."""
    lines: list[str] = []
    remaining: Remaining | None = decision.remaining
    if remaining is not None and decision.status != Status.REJECTED:
        candidates = [
            _money_line("REMAINING DEDUCTIBLE FAMILY", remaining.deductible_family_remaining),
            _money_line("REMAINING OOP", remaining.out_of_pocket_remaining),
            _money_line("REMAINING OOP FAMILY", remaining.out_of_pocket_family_remaining),
            _money_line("OOP MET TO DATE", remaining.out_of_pocket_met),
        ]
        lines.extend(line for line in candidates if line)
        if remaining.deductible_met_by_this_claim:
            lines.append("DEDUCTIBLE MET WITH THIS CLAIM")
        if remaining.out_of_pocket_met_by_this_claim:
            lines.append("OUT-OF-POCKET MAXIMUM MET WITH THIS CLAIM")
    if decision.figures is not None and decision.figures.capped_by:
        lines.append(f"CAPPED BY {decision.figures.capped_by.upper()}")
    lines.extend(f"{reject.code.code}: {reject.message.upper()}" for reject in decision.rejects)
    lines.extend(message.upper() for message in decision.messages)
    return lines


def _message_occurrences(lines: list[str]) -> list[Occurrence]:
    """526-FQ lines of at most 40 characters; a message that runs on is marked UG '+'."""
    occurrences: list[Occurrence] = []
    for line in lines:
        chunks = [line[i : i + _LINE] for i in range(0, len(line), _LINE)] or [""]
        for index, chunk in enumerate(chunks):
            occurrence: Occurrence = {"UH": f"{len(occurrences) + 1:02d}", "FQ": chunk}
            if index < len(chunks) - 1:
                occurrence["UG"] = "+"
            occurrences.append(occurrence)
    return occurrences[:_MAX_LINES]


def _status(decision: Decision) -> Segment:
    fields: dict[str, Value] = {"AN": decision.status}
    if decision.authorization_number and decision.status != Status.REJECTED:
        fields["F3"] = decision.authorization_number
    repeats: dict[str, list[Occurrence]] = {}
    if decision.rejects:
        repeats["FA"] = []
        for reject in decision.rejects[:20]:
            occurrence: Occurrence = {"FB": reject.code.code}
            if reject.occurrence is not None:
                occurrence["4F"] = reject.occurrence
            repeats["FA"].append(occurrence)
    lines = message_lines(decision)
    if lines:
        repeats["UF"] = _message_occurrences(lines)
    fields["7F"] = "03"
    fields["8F"] = HELP_DESK_PHONE
    return Segment("21", fields, repeats)


def _pricing(decision: Decision) -> Segment | None:
    figures = decision.figures
    if figures is None or not decision.paid:
        return None
    fields: dict[str, Value] = {
        "F5": figures.patient_pay,
        "F6": figures.ingredient_cost_paid,
        "F7": figures.dispensing_fee_paid,
        "F9": figures.plan_pay,
        "FM": figures.basis_of_reimbursement,
    }
    remaining = decision.remaining
    if remaining is not None and remaining.deductible_met is not None:
        fields["FC"] = remaining.deductible_met
    if remaining is not None and remaining.deductible_remaining is not None:
        fields["FD"] = remaining.deductible_remaining
    fields["FH"] = figures.deductible
    fields["FI"] = figures.copay
    fields["4U"] = figures.coinsurance
    if figures.product_selection:
        fields["UK"] = figures.product_selection
    if figures.cob is not None:
        fields["J5"] = figures.cob.recognized
    return Segment("23", fields)


def _other_payers(decision: Decision) -> Segment | None:
    """AM28: the member's other payers, by place, so the pharmacy can bill the next one."""
    if not decision.other_payers:
        return None
    occurrences: list[Occurrence] = []
    for payer in decision.other_payers:
        values: dict[str, Value | None] = {
            "5C": payer.coverage_type,
            "6C": "03",
            "7C": payer.bin,
            "MH": payer.pcn,
            "NU": payer.cardholder_id,
            "MJ": payer.group,
            "UV": payer.person_code,
            "UB": payer.help_desk_phone,
            "UW": payer.relationship,
            "UX": payer.start,
            "UY": payer.end,
        }
        occurrences.append({k: v for k, v in values.items() if v is not None})
    return Segment("28", {}, {"NT": occurrences})


def _prior_authorization(decision: Decision) -> Segment | None:
    """AM26 for a paid claim that relied on a PA on file: its number, dates, quantity."""
    used = decision.prior_authorization
    if used is None or not decision.paid:
        return None
    fields: dict[str, Value] = {"PS": used.effective, "PT": used.expires, "PY": used.number}
    if used.quantity is not None:
        fields["RA"] = used.quantity
    return Segment("26", fields)


def response_transaction(decision: Decision, claim: ClaimRequest | None) -> Transaction:
    """The response segments (21, 22, 23, 26, 28) for one transaction's decision."""
    segments: dict[str, Segment] = {"21": _status(decision)}
    if claim is not None and claim.rx_number is not None and claim.transaction_code != "E1":
        segments["22"] = Segment("22", {"EM": "1", "D2": claim.rx_number})
    pricing = _pricing(decision)
    if pricing is not None:
        segments["23"] = pricing
    authorization = _prior_authorization(decision)
    if authorization is not None:
        segments["26"] = authorization
    other_payers = _other_payers(decision)
    if other_payers is not None:
        segments["28"] = other_payers
    return Transaction(segments)

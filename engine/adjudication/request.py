"""From a decoded NCPDP request to the engine's typed claims, one per transaction.

This is the one place that knows which NCPDP field carries which claim attribute
(for example 407-D7 the NDC, 442-E7 the quantity). Transmission-level segments
(patient 01, insurance 04) apply to every transaction of the transmission.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from engine.claim import ClaimRequest, OtherPayerResult, QualifiedAmount
from engine.ncpdp import RequestHeader, Segment, Transaction, Transmission, Value
from engine.ncpdp.model import Occurrence

__all__ = ["claims_from_transmission", "transmission_from_claims"]


def _text(segment: Segment | None, field_id: str) -> str | None:
    if segment is None:
        return None
    value = segment.get(field_id)
    if value is None:
        return None
    text = str(value).strip()
    return text or None


def _int(segment: Segment | None, field_id: str) -> int | None:
    value = segment.get(field_id) if segment is not None else None
    return value if isinstance(value, int) else None


def _decimal(segment: Segment | None, field_id: str) -> Decimal | None:
    value = segment.get(field_id) if segment is not None else None
    return value if isinstance(value, Decimal) else None


def _date(segment: Segment | None, field_id: str) -> dt.date | None:
    value = segment.get(field_id) if segment is not None else None
    return value if isinstance(value, dt.date) else None


def _occurrence_text(occurrence: Occurrence, field_id: str) -> str | None:
    value = occurrence.get(field_id)
    text = str(value).strip() if value is not None and not isinstance(value, list) else ""
    return text or None


def _amounts(
    occurrence: Occurrence, count_id: str, qualifier_id: str, amount_id: str
) -> tuple[QualifiedAmount, ...]:
    nested = occurrence.get(count_id)
    return tuple(
        QualifiedAmount(
            _occurrence_text(item, qualifier_id),
            amount if isinstance(amount := item.get(amount_id), int) else None,
        )
        for item in (nested if isinstance(nested, list) else [])
    )


def _other_payers(cob: Segment | None) -> tuple[OtherPayerResult, ...]:
    """The COB segment's occurrences (4C loop), one per earlier payer."""
    if cob is None:
        return ()
    results = []
    for occurrence in cob.group("4C"):
        rejects = occurrence.get("5E")
        other_date = occurrence.get("E8")
        results.append(
            OtherPayerResult(
                coverage_type=_occurrence_text(occurrence, "5C"),
                id_qualifier=_occurrence_text(occurrence, "6C"),
                payer_id=_occurrence_text(occurrence, "7C"),
                date=other_date if isinstance(other_date, dt.date) else None,
                amounts_paid=_amounts(occurrence, "HB", "HC", "DV"),
                reject_codes=tuple(
                    _occurrence_text(item, "6E") or ""
                    for item in (rejects if isinstance(rejects, list) else [])
                ),
                patient_responsibility=_amounts(occurrence, "NR", "NP", "NQ"),
            )
        )
    return tuple(results)


def _claim(
    header: RequestHeader, transmission: Transmission, tx: Transaction | None
) -> ClaimRequest:
    def seg(segment_id: str) -> Segment | None:
        found = tx.segment(segment_id) if tx is not None else None
        return found if found is not None else transmission.segment(segment_id)

    patient, insurance = seg("01"), seg("04")
    claim, prescriber, pricing = seg("07"), seg("03"), seg("11")
    pharmacy, coupon = seg("02"), seg("09")
    clarifications = tuple(
        str(occurrence["DK"])
        for occurrence in (claim.group("NX") if claim else [])
        if "DK" in occurrence
    )
    assert header.date_of_service is not None
    return ClaimRequest(
        transaction_code=header.transaction_code,
        bin=header.bin,
        pcn=header.pcn,
        service_provider_id_qualifier=header.service_provider_id_qualifier,
        service_provider_id=header.service_provider_id.strip(),
        date_of_service=header.date_of_service,
        software_vendor_id=header.software_vendor_id,
        cardholder_id=_text(insurance, "C2"),
        group_id=_text(insurance, "C1"),
        person_code=_text(insurance, "C3"),
        patient_relationship=_text(insurance, "C6"),
        date_of_birth=_date(patient, "C4"),
        gender_code=_text(patient, "C5"),
        patient_first_name=_text(patient, "CA"),
        patient_last_name=_text(patient, "CB"),
        rx_number=_int(claim, "D2"),
        fill_number=_int(claim, "D3"),
        product_id_qualifier=_text(claim, "E1"),
        ndc=_text(claim, "D7"),
        quantity=_decimal(claim, "E7"),
        days_supply=_int(claim, "D5"),
        compound_code=_text(claim, "D6"),
        daw=_text(claim, "D8"),
        date_written=_date(claim, "DE"),
        refills_authorized=_int(claim, "DF"),
        origin_code=_text(claim, "DJ"),
        submission_clarification_codes=clarifications,
        other_coverage_code=_text(claim, "C8"),
        pa_type_code=_text(claim, "EU"),
        pa_number=_text(claim, "EV"),
        prescriber_id_qualifier=_text(prescriber, "EZ"),
        prescriber_id=_text(prescriber, "DB"),
        pharmacy_id=_text(pharmacy, "E9"),
        ingredient_cost_submitted=_int(pricing, "D9"),
        dispensing_fee_submitted=_int(pricing, "DC"),
        patient_paid_submitted=_int(pricing, "DX"),
        usual_and_customary=_int(pricing, "DQ"),
        gross_amount_due=_int(pricing, "DU"),
        basis_of_cost=_text(pricing, "DN"),
        coupon_value=_int(coupon, "NE"),
        other_payers=_other_payers(seg("05")),
    )


def claims_from_transmission(transmission: Transmission) -> list[ClaimRequest]:
    """One typed claim per transaction (an E1 without transaction groups gives one)."""
    header = transmission.header
    assert isinstance(header, RequestHeader)
    if not transmission.transactions:
        return [_claim(header, transmission, None)]
    return [_claim(header, transmission, tx) for tx in transmission.transactions]


def _fields(pairs: dict[str, Value | None]) -> dict[str, Value]:
    return {field_id: value for field_id, value in pairs.items() if value not in (None, "")}


def _transaction_segments(claim: ClaimRequest) -> dict[str, Segment]:
    segments: dict[str, Segment] = {}
    if claim.pharmacy_id:
        segments["02"] = Segment("02", {"EY": "01", "E9": claim.pharmacy_id})
    claim_fields = _fields(
        {
            "EM": "1",
            "D2": claim.rx_number,
            "E1": claim.product_id_qualifier,
            "D7": claim.ndc,
            "E7": claim.quantity,
            "D3": claim.fill_number,
            "D5": claim.days_supply,
            "D6": claim.compound_code,
            "D8": claim.daw,
            "DE": claim.date_written,
            "DF": claim.refills_authorized,
            "DJ": claim.origin_code,
            "C8": claim.other_coverage_code,
            "EU": claim.pa_type_code,
            "EV": claim.pa_number,
        }
    )
    repeats = {"NX": [{"DK": code} for code in claim.submission_clarification_codes]}
    segments["07"] = Segment("07", claim_fields, {k: v for k, v in repeats.items() if v})
    if claim.prescriber_id:
        segments["03"] = Segment(
            "03", _fields({"EZ": claim.prescriber_id_qualifier or "01", "DB": claim.prescriber_id})
        )
    pricing = _fields(
        {
            "D9": claim.ingredient_cost_submitted,
            "DC": claim.dispensing_fee_submitted,
            "DX": claim.patient_paid_submitted,
            "DQ": claim.usual_and_customary,
            "DU": claim.gross_amount_due,
            "DN": claim.basis_of_cost,
        }
    )
    if pricing:
        segments["11"] = Segment("11", pricing)
    if claim.coupon_value is not None:
        segments["09"] = Segment("09", {"KE": "01", "NE": claim.coupon_value})
    if claim.other_payers:
        segments["05"] = Segment("05", {}, {"4C": [_cob_occurrence(r) for r in claim.other_payers]})
    return segments


def _cob_occurrence(result: OtherPayerResult) -> Occurrence:
    """One 4C occurrence of the COB segment; fields the claim lacks are left out."""
    occurrence: Occurrence = dict(
        _fields(
            {
                "5C": result.coverage_type,
                "6C": result.id_qualifier,
                "7C": result.payer_id,
                "E8": result.date,
            }
        )
    )
    nested: dict[str, list[Occurrence]] = {
        "HB": [dict(_fields({"HC": a.qualifier, "DV": a.amount})) for a in result.amounts_paid],
        "5E": [dict(_fields({"6E": code})) for code in result.reject_codes],
        "NR": [
            dict(_fields({"NP": a.qualifier, "NQ": a.amount}))
            for a in result.patient_responsibility
        ],
    }
    occurrence.update({count: items for count, items in nested.items() if items})
    return occurrence


def transmission_from_claims(claims: list[ClaimRequest]) -> Transmission:
    """Build the request transmission for up to four claims of one patient and pharmacy.

    The inverse of ``claims_from_transmission``: the load generator, the demo and the
    tests send real bytes built this way. Patient and insurance segments come from
    the first claim; an E1 carries no transaction group.
    """
    first = claims[0]
    header = RequestHeader(
        bin=first.bin,
        version="D0",
        transaction_code=first.transaction_code,
        pcn=first.pcn,
        transaction_count=len(claims),
        service_provider_id_qualifier=first.service_provider_id_qualifier,
        service_provider_id=first.service_provider_id,
        date_of_service=first.date_of_service,
        software_vendor_id=first.software_vendor_id,
    )
    segments: dict[str, Segment] = {}
    insurance = _fields(
        {
            "C2": first.cardholder_id,
            "C1": first.group_id,
            "C3": first.person_code,
            "C6": first.patient_relationship,
        }
    )
    if insurance:
        segments["04"] = Segment("04", insurance)
    patient = _fields(
        {
            "C4": first.date_of_birth,
            "C5": first.gender_code,
            "CA": first.patient_first_name,
            "CB": first.patient_last_name,
        }
    )
    if patient:
        segments["01"] = Segment("01", patient)
    if first.transaction_code == "E1":
        return Transmission(header, segments, [])
    return Transmission(header, segments, [Transaction(_transaction_segments(c)) for c in claims])

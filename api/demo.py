"""The demo: a scripted day at the counter through every sample plan.

Each step sends real NCPDP D.0 bytes through the codec and the engine, on the
embedded stores, and reads the response bytes back — the same path a switch
vendor's claim takes. The steps cover paid claims, each kind of reject, a
deductible met, a family's embedded deductible reached, the out-of-pocket maximum
reached through integrated medical amounts, insulin caps, Part D's phases, a
reversal, a duplicate, a rebill, an eligibility check, a plan-year rollover, a
prior authorization approved mid-day (the same claim rejected, then paid, then a
larger quantity rejected again), a refill too soon lifted by a clarification code,
and one insulin fill billed to a child's three plans in turn (coordination of
benefits: each bill carries what the earlier payers' responses said).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass, replace
from decimal import Decimal

from api.runtime import Runtime
from engine.adjudication.decision import Decision
from engine.adjudication.request import transmission_from_claims
from engine.adjudication.transmission import adjudicate_transmission
from engine.catalog.cards import member_card
from engine.catalog.catalog import Catalog
from engine.claim import ClaimRequest, OtherPayerResult, QualifiedAmount
from engine.medical import MedicalResult, MedicalTxn, apply_medical
from engine.ncpdp import Transmission, decode, encode
from engine.priorauth.model import Lift, PriorAuthorization

__all__ = ["DemoStep", "run_demo", "steps"]

_PHARMACY = "1234567893"
_MAIL = "1200000010"
_SPECIALTY = "1300000019"
_NOT_CONTRACTED = "1400000018"
_UNKNOWN_PHARMACY = "1999999991"


@dataclass(frozen=True, slots=True)
class DemoStep:
    """One scripted event: a claim, a medical accumulator transaction, or an approval."""

    title: str
    claim: ClaimRequest | None = None
    medical: MedicalTxn | None = None
    prior_auth: PriorAuthorization | None = None


class _Counter:
    """Builds claims the way a pharmacy does: from the member's card on file."""

    def __init__(self, catalog: Catalog) -> None:
        self._catalog = catalog

    def __call__(
        self,
        cardholder: str,
        person: str,
        day: dt.date,
        ndc: str,
        rx: int,
        *,
        quantity: str = "30",
        days: int = 30,
        code: str = "B1",
        pharmacy: str = _PHARMACY,
        fill: int = 0,
        charge: str = "9999.99",
        **changes: object,
    ) -> ClaimRequest:
        card = member_card(self._catalog, self._catalog.members, cardholder, person, day)
        assert card is not None, f"no card on file for {cardholder}/{person}"
        claim = ClaimRequest(
            transaction_code=code,
            bin=card.bin,
            pcn=card.pcn,
            service_provider_id_qualifier="01",
            service_provider_id=pharmacy,
            date_of_service=day,
            cardholder_id=cardholder,
            group_id=card.group,
            person_code=person,
            date_of_birth=card.date_of_birth,
            rx_number=rx,
            fill_number=fill,
            product_id_qualifier="03",
            ndc=ndc,
            quantity=Decimal(quantity),
            days_supply=days,
            compound_code="1",
            daw="0",
            refills_authorized=11,
            prescriber_id="1234567893",
            prescriber_id_qualifier="01",
            usual_and_customary=int(Decimal(charge) * 100),
        )
        return replace(claim, **changes)  # type: ignore[arg-type]


_ATORVASTATIN = "90100100101"
_LISINOPRIL = "90100100301"
_LOSARTAN = "90100100501"
_ROSUVASTATIN = "90100101301"
_LIPITOR = "90200200101"
_GLUCOPHAGE = "90200200401"
_SUMATRIPTAN = "90100106201"
_ZOLPIDEM = "90100105601"
_PRENATAL = "90100107901"
_ZETIA = "90200202901"
_OZEMPIC = "90300300601"
_ELIQUIS = "90300300001"
_COZAAR = "90200200301"
_GLARGINE = "90400400001"
_OTEZLA = "90500500401"
_LATISSE = "90600600001"
_NOT_ON_FORMULARY = "90700700001"
_UNKNOWN_NDC = "00000000000"

MARCH = dt.date(2026, 3, 2)
_OZEMPIC_PA = PriorAuthorization(
    number="26030200006",
    cardholder_id="ZZH100002",
    person_code="001",
    ndc=_OZEMPIC,
    drug_group=None,
    drug_class=None,
    start=MARCH,
    end=dt.date(2026, 12, 31),
    lifts=frozenset({Lift.PRIOR_AUTHORIZATION, Lift.QUANTITY_LIMIT}),
    quantity=Decimal(6),
    per_days=28,
    max_days_supply=None,
    tier=None,
    approved_by="DEMO REVIEWER PHARMD",
)
"""Approved during the demo: Ozempic, up to 6 pens per 28 days (the formulary allows 4)."""


def _paid_by(place: str, payer_bin: str, paid: int, patient: int) -> OtherPayerResult:
    """An earlier payer's result as the pharmacy copies it from that payer's response."""
    return OtherPayerResult(
        coverage_type=place,
        id_qualifier="03",
        payer_id=payer_bin,
        date=MARCH,
        amounts_paid=(QualifiedAmount("07", paid),),
        patient_responsibility=(QualifiedAmount("06", patient),),
    )


_PPO_PAID = _paid_by("01", "610999", 29582, 5000)
"""The PPO's answer to the first COB step: $295.82 paid, the $50 insulin cap to the patient."""
_EPO_PAID = _paid_by("02", "610999", 1500, 3500)
"""The EPO's answer to the second: $15.00 paid, its own $35 cap left to the patient."""


def _cob_steps(claim: _Counter) -> list[DemoStep]:
    """One insulin fill for a child of parents who live apart: three plans, in turn."""
    return [
        DemoStep(
            "COB: Riley's secondary plan billed first: sent to the primary",
            claim("ZZC620001", "003", MARCH, _GLARGINE, 6001, quantity="10"),
        ),
        DemoStep(
            "COB: the custodial mother's PPO pays first; names the next payers",
            claim("ZZC610001", "002", MARCH, _GLARGINE, 6001, quantity="10"),
        ),
        DemoStep(
            "COB: her husband's EPO pays second (carve-out: its own $35 cap)",
            claim(
                "ZZC620001",
                "003",
                MARCH,
                _GLARGINE,
                6001,
                quantity="10",
                other_coverage_code="2",
                other_payers=(_PPO_PAID,),
            ),
        ),
        DemoStep(
            "COB: the father's HMO pays third (standard): the patient pays $0",
            claim(
                "ZZC630001",
                "002",
                MARCH,
                _GLARGINE,
                6001,
                quantity="10",
                other_coverage_code="2",
                other_payers=(_PPO_PAID, _EPO_PAID),
            ),
        ),
    ]


def steps(catalog: Catalog) -> list[DemoStep]:
    """The scripted sequence, in order, with claims built from the sample members' cards."""
    _claim = _Counter(catalog)
    d = MARCH
    hmo, single, ppo = "ZZH100001", "ZZH100002", "ZZP200001"
    return [
        DemoStep(
            "HMO generic: tier 1 skips the deductible, $10 copay",
            _claim(hmo, "001", d, _ATORVASTATIN, 1001),
        ),
        DemoStep(
            "HMO brand: $250 deductible first, then the $35 copay",
            _claim(hmo, "001", d, _GLUCOPHAGE, 1002, charge="300.00"),
        ),
        DemoStep(
            "Same claim again: duplicate of paid, nothing changes",
            _claim(hmo, "001", d, _GLUCOPHAGE, 1002, charge="300.00"),
        ),
        DemoStep(
            "Spouse's brand: $250 more meets the family's $500 deductible",
            _claim(hmo, "002", d, _LIPITOR, 1003, charge="400.00"),
        ),
        DemoStep(
            "Child's brand: the family deductible is met, copay only",
            _claim(hmo, "003", d, _LIPITOR, 1004, charge="300.00"),
        ),
        DemoStep(
            "Brand at the member's request (DAW 2): generic copay + penalty",
            _claim(single, "001", d, _LIPITOR, 1005, daw="2", charge="80.00"),
        ),
        DemoStep(
            "Refill of the generic 10 days later: refill too soon",
            _claim(hmo, "001", d + dt.timedelta(days=10), _ATORVASTATIN, 1001, fill=1),
        ),
        DemoStep(
            "The same refill with clarification code 03 (vacation supply): paid",
            _claim(
                hmo,
                "001",
                d + dt.timedelta(days=10),
                _ATORVASTATIN,
                1001,
                fill=1,
                submission_clarification_codes=("03",),
            ),
        ),
        DemoStep("Excluded drug", _claim(single, "001", d, _LATISSE, 1006, quantity="3")),
        DemoStep(
            "Prior authorization required",
            _claim(single, "001", d, _OZEMPIC, 1007, quantity="3", days=28),
        ),
        DemoStep(
            "Step therapy: Zetia with no statin filled first", _claim(ppo, "002", d, _ZETIA, 2101)
        ),
        DemoStep(
            "The plan approves Ozempic: PA 26030200006, up to 6 pens per 28 days",
            prior_auth=_OZEMPIC_PA,
        ),
        DemoStep(
            "The same Ozempic claim again: paid under the PA on file",
            _claim(single, "001", d, _OZEMPIC, 1007, quantity="3", days=28),
        ),
        DemoStep(
            "Ozempic 8 pens 4 weeks later: beyond the approved 6",
            _claim(single, "001", d + dt.timedelta(days=28), _OZEMPIC, 1008, quantity="8", days=28),
        ),
        DemoStep("Not on the formulary", _claim(single, "001", d, _NOT_ON_FORMULARY, 1009)),
        DemoStep("Unknown NDC", _claim(single, "001", d, _UNKNOWN_NDC, 1010)),
        DemoStep(
            "Quantity limit: 18 tablets where 9 per 30 days are allowed",
            _claim(single, "001", d, _SUMATRIPTAN, 1011, quantity="18"),
        ),
        DemoStep(
            "Days supply above the 90-day limit",
            _claim(single, "001", d, _LISINOPRIL, 1012, quantity="120", days=120),
        ),
        DemoStep("Age limit: zolpidem for a 13-year-old", _claim(hmo, "003", d, _ZOLPIDEM, 1013)),
        DemoStep(
            "Gender limit: prenatal vitamins for a male member",
            _claim(hmo, "002", d, _PRENATAL, 1014),
        ),
        DemoStep(
            "Dependent past the plan's age limit (26)", _claim(hmo, "004", d, _LISINOPRIL, 1015)
        ),
        DemoStep(
            "Out-of-network pharmacy on an HMO",
            _claim(single, "001", d, _LOSARTAN, 1016, pharmacy=_NOT_CONTRACTED),
        ),
        DemoStep(
            "Pharmacy unknown to the HMO's network",
            _claim(single, "001", d, _LOSARTAN, 1017, pharmacy=_UNKNOWN_PHARMACY),
        ),
        DemoStep(
            "Unknown cardholder",
            replace(_claim(single, "001", d, _LOSARTAN, 1018), cardholder_id="ZZH999999"),
        ),
        DemoStep(
            "Coverage terminated at the end of February",
            _claim("ZZH100003", "001", d, _LOSARTAN, 1019),
        ),
        DemoStep(
            "Coverage not yet effective (starts in June)",
            _claim("ZZH100004", "001", d, _LOSARTAN, 1020),
        ),
        DemoStep(
            "Date of birth does not match eligibility",
            _claim(single, "001", d, _LOSARTAN, 1021, date_of_birth=dt.date(1990, 1, 1)),
        ),
        DemoStep(
            "Days supply missing", _claim(single, "001", d, _LOSARTAN, 1022, days_supply=None)
        ),
        DemoStep(
            "PPO insulin: 20% would be $68.81, the plan's $50 cap applies",
            _claim(ppo, "001", d, _GLARGINE, 2001, quantity="10"),
        ),
        DemoStep(
            "PPO, out-of-network pharmacy: covered at 50%",
            _claim(ppo, "001", d, _ATORVASTATIN, 2002, pharmacy=_NOT_CONTRACTED, charge="40.00"),
        ),
        DemoStep(
            "PPO specialty: $500 deductible, then 30% capped at $400",
            _claim(ppo, "001", d, _OTEZLA, 2003, pharmacy=_SPECIALTY),
        ),
        DemoStep(
            "PPO brand with a $100 coupon: a copay accumulator credits only $382",
            _claim(ppo, "002", d, _COZAAR, 2004, charge="482.00", coupon_value=10000),
        ),
        DemoStep(
            "EPO: medical claims bring member 001 to $5,950 out of pocket",
            medical=MedicalTxn(
                "MED-1001",
                "ZZE300001",
                "001",
                dt.date(2026, 2, 10),
                deductible=150000,
                out_of_pocket=595000,
            ),
        ),
        DemoStep(
            "EPO brand: $50 of out-of-pocket left; the plan pays the rest",
            _claim("ZZE300001", "001", d, _ELIQUIS, 3001, quantity="60"),
        ),
        DemoStep(
            "EPO, same member past the maximum: $0", _claim("ZZE300001", "001", d, _LIPITOR, 3002)
        ),
        DemoStep(
            "EPO spouse's insulin: Washington's $35 cap, credited to the deductible",
            _claim("ZZE300001", "002", d, _GLARGINE, 3003, quantity="10"),
        ),
        DemoStep(
            "Part D insulin: $35 a month, no deductible",
            _claim("ZZD400001", "001", dt.date(2026, 1, 8), _GLARGINE, 4003, quantity="10"),
        ),
        DemoStep(
            "Part D brand: the $615 deductible, then 25%",
            _claim("ZZD400001", "001", dt.date(2026, 1, 15), _ELIQUIS, 4001, quantity="60"),
        ),
        DemoStep(
            "Part D brand in the initial coverage phase: 25%",
            _claim("ZZD400001", "001", dt.date(2026, 2, 14), _ELIQUIS, 4001, fill=1, quantity="60"),
        ),
        DemoStep(
            "Part D specialty: reaches the $2,100 out-of-pocket threshold",
            _claim("ZZD400001", "001", dt.date(2026, 2, 20), _OTEZLA, 4002, pharmacy=_SPECIALTY),
        ),
        DemoStep(
            "Part D after the threshold: $0 (catastrophic phase)",
            _claim("ZZD400001", "001", dt.date(2026, 3, 16), _ELIQUIS, 4001, fill=2, quantity="60"),
        ),
        DemoStep(
            "Reversal (B2) of the child's brand claim: accumulators restored",
            _claim(hmo, "003", d, _LIPITOR, 1004, code="B2"),
        ),
        DemoStep(
            "The same reversal again: duplicate, nothing changes",
            _claim(hmo, "003", d, _LIPITOR, 1004, code="B2"),
        ),
        DemoStep(
            "Rebill (B3) of the spouse's brand as a 90-day supply",
            _claim(
                hmo, "002", d, _LIPITOR, 1003, code="B3", quantity="90", days=90, charge="400.00"
            ),
        ),
        DemoStep(
            "Eligibility check (E1) for the HMO family's child",
            _claim(hmo, "003", d, _LIPITOR, 0, code="E1"),
        ),
        DemoStep(
            "HDHP, June 2026 (plan year from July 2025): deductible phase",
            _claim("ZZS500001", "001", dt.date(2026, 6, 20), _ELIQUIS, 5001, quantity="60"),
        ),
        DemoStep(
            "HDHP, July 2026: the new plan year starts the deductible from zero",
            _claim("ZZS500001", "001", dt.date(2026, 7, 20), _ELIQUIS, 5001, fill=1, quantity="60"),
        ),
        DemoStep(
            "HDHP preventive statin: skips the deductible, 10%",
            _claim("ZZS500001", "001", dt.date(2026, 7, 20), _ROSUVASTATIN, 5002),
        ),
        *_cob_steps(_claim),
    ]


@dataclass(frozen=True, slots=True)
class DemoResult:
    """What one step produced: the decision and the response bytes, or a medical outcome."""

    step: DemoStep
    decision: Decision | None = None
    request: bytes | None = None
    response: Transmission | None = None
    medical: MedicalResult | None = None
    note: str | None = None


def run_demo(runtime: Runtime) -> Iterator[DemoResult]:
    """Run every step through the codec and the engine; yield results as they come."""
    for step in steps(runtime.catalog):
        if step.medical is not None:
            yield DemoResult(
                step,
                medical=apply_medical(
                    step.medical,
                    runtime.catalog,
                    runtime.processor.members,
                    runtime.processor.accumulators,
                ),
            )
            continue
        if step.prior_auth is not None:
            [outcome] = runtime.prior_auths.merge([step.prior_auth], "demo")
            yield DemoResult(step, note=f"PA {step.prior_auth.number} {outcome}")
            continue
        assert step.claim is not None
        request = encode(transmission_from_claims([step.claim]))
        result = adjudicate_transmission(request, runtime.processor, step.claim.date_of_service)
        yield DemoResult(step, result.decisions[0], request, decode(result.response).transmission)

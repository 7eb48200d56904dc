"""Pricing: what the plan allows for a claim, as the lesser of what everyone asks.

The contract price (AWP less the pharmacy's discount, or MAC where the drug has
one and the contract uses it, plus the dispensing fee) is compared with what the
pharmacy submitted, its usual and customary charge and the gross amount due; the
lowest wins and its basis is reported (NCPDP 522-FM).
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from engine.adjudication.trace import Cents, Trace
from engine.plans.network import Contract
from engine.plans.prices import Price

__all__ = ["Basis", "PriceInputs", "Pricing", "price_claim"]


class Basis:
    """Basis of reimbursement determination codes (522-FM, ECL2010)."""

    SUBMITTED = "1"
    AWP_LESS = "3"
    USUAL_AND_CUSTOMARY = "4"
    LOWER_OF_COST_VERSUS_UC = "5"
    MAC = "7"


@dataclass(slots=True)
class PriceInputs:
    """What the claim submitted: all amounts in cents, None where not sent."""

    quantity: Decimal
    ingredient_cost_submitted: int | None
    dispensing_fee_submitted: int | None
    usual_and_customary: int | None
    gross_amount_due: int | None


@dataclass(slots=True)
class Pricing:
    """The allowed amount and how it splits into ingredient cost and dispensing fee."""

    ingredient_cost: int
    dispensing_fee: int
    basis: str
    trace: Trace

    @property
    def allowed(self) -> int:
        """Total the plan recognises: the most anyone (member plus plan) pays."""
        return self.ingredient_cost + self.dispensing_fee


def _cents(value: Decimal) -> int:
    return int(value.quantize(Decimal(1), rounding=ROUND_HALF_UP))


def _contract_ingredient(
    price: Price | None, contract: Contract, quantity: Decimal
) -> tuple[int, str, tuple[object, ...]] | None:
    """(cents, basis, trace arguments) of the lower of AWP less discount and MAC."""
    if price is None:
        return None
    best: tuple[int, str, tuple[object, ...]] | None = None
    if price.awp_unit is not None:
        awp = _cents(price.awp_unit * quantity * 100 * (1 - contract.awp_discount))
        best = (
            awp,
            Basis.AWP_LESS,
            ("AWP {}/unit less {:%}", price.awp_unit, contract.awp_discount),
        )
    if contract.use_mac and price.mac_unit is not None:
        mac = _cents(price.mac_unit * quantity * 100)
        if best is None or mac < best[0]:
            best = (mac, Basis.MAC, ("MAC {}/unit", price.mac_unit))
    return best


def price_claim(inputs: PriceInputs, price: Price | None, contract: Contract) -> Pricing:
    """Price a claim: lesser of contract price, submitted cost, U&C and gross amount due."""
    trace = Trace()
    contract_ingredient = _contract_ingredient(price, contract, inputs.quantity)
    fee = contract.dispensing_fee
    if inputs.dispensing_fee_submitted is not None:
        fee = min(fee, inputs.dispensing_fee_submitted)
    submitted = inputs.ingredient_cost_submitted
    if contract_ingredient is None:
        ingredient, basis = submitted or 0, Basis.SUBMITTED
        trace.add("no price on file: ingredient cost as submitted, {}", Cents(ingredient))
    elif submitted is not None and submitted < contract_ingredient[0]:
        ingredient, basis = submitted, Basis.SUBMITTED
        trace.add("submitted ingredient cost {} is below the contract price", Cents(submitted))
    else:
        ingredient, basis, why = contract_ingredient
        trace.add("ingredient cost {} (" + str(why[0]) + ")", Cents(ingredient), *why[1:])
    total = ingredient + fee
    trace.add("dispensing fee {}; total {}", Cents(fee), Cents(total))
    for amount, cap_basis, name in (
        (inputs.usual_and_customary, Basis.USUAL_AND_CUSTOMARY, "usual and customary"),
        (inputs.gross_amount_due, Basis.LOWER_OF_COST_VERSUS_UC, "gross amount due"),
    ):
        if amount is not None and amount < total:
            total = amount
            ingredient, fee, basis = amount, 0, cap_basis
            trace.add("capped at the {} of {}, paid as ingredient cost", name, Cents(amount))
    return Pricing(ingredient_cost=ingredient, dispensing_fee=fee, basis=basis, trace=trace)

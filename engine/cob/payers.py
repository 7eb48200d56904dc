"""Kinds of payers, and the facts about a coverage that decide the order of payment.

A payer's kind decides where the order rules put it (Medicaid and assistance
programs pay last, workers' compensation first) and whether what it pays counts
toward a Part D enrollee's true out-of-pocket costs (TrOOP).
"""

from __future__ import annotations

from enum import StrEnum

__all__ = [
    "ASSISTANCE",
    "COUNTS_TOWARD_TROOP",
    "INJURY",
    "Custody",
    "Employment",
    "MedicareBasis",
    "PayerKind",
]


class PayerKind(StrEnum):
    """What kind of coverage another payer is."""

    GROUP_HEALTH = "group_health"
    """An employer or union group health plan (active, retiree or COBRA coverage)."""
    INDIVIDUAL = "individual"
    """Individual-market health insurance."""
    MEDICARE = "medicare"
    MEDICAID = "medicaid"
    TRICARE = "tricare"
    WORKERS_COMP = "workers_comp"
    LIABILITY = "liability"
    """Auto, no-fault or liability insurance."""
    SPAP = "spap"
    """A qualified State Pharmaceutical Assistance Program."""
    ADAP = "adap"
    """An AIDS Drug Assistance Program."""
    IHS = "ihs"
    """The Indian Health Service, or a tribal or urban Indian health program."""
    CHARITY = "charity"
    """A bona fide charity not tied to an insurer, employer or manufacturer."""


COUNTS_TOWARD_TROOP = frozenset({PayerKind.SPAP, PayerKind.ADAP, PayerKind.IHS, PayerKind.CHARITY})
"""Payers whose payments count toward Part D TrOOP (SSA §1860D-2(b)(4)(C); mandates.md §3.4).

Group health plans, other insurance, TRICARE, workers' compensation and liability
insurance reduce what the enrollee pays without counting; so does any payer rxadj
cannot identify, since the statute counts only the payers it names.
"""

ASSISTANCE = COUNTS_TOWARD_TROOP
"""Assistance programs: they pay after every insurance (payers of last resort)."""

INJURY = frozenset({PayerKind.WORKERS_COMP, PayerKind.LIABILITY})
"""Payers for injury-related care, who pay before health coverage (mandates.md §6.2)."""


class Employment(StrEnum):
    """The subscriber's status behind an employment-based coverage."""

    ACTIVE = "active"
    RETIRED = "retired"
    """Retired or laid off: inactive coverage, after active coverage (NAIC rule 4)."""
    COBRA = "cobra"
    """COBRA or state continuation, after other coverage (NAIC rule 5)."""


class Custody(StrEnum):
    """For a child of parents who do not live together: whose plan the child is on.

    Listed in the NAIC order: a court decree first, then the custodial parent, the
    custodial parent's spouse, the other parent, the other parent's spouse.
    """

    COURT_DECREE = "court_decree"
    CUSTODIAL = "custodial"
    CUSTODIAL_SPOUSE = "custodial_spouse"
    NON_CUSTODIAL = "non_custodial"
    NON_CUSTODIAL_SPOUSE = "non_custodial_spouse"


class MedicareBasis(StrEnum):
    """Why a person is entitled to Medicare: it decides the Medicare secondary payer rule."""

    AGE = "age"
    DISABILITY = "disability"
    ESRD = "esrd"

"""Transaction codes (103-A3) and which of them allow more than one transaction.

The engine answers a code it does not support with reject 1S, so the header parser
must know every code of the standard, supported or not.
"""

from __future__ import annotations

__all__ = ["SINGLE_TRANSACTION_CODES", "TRANSACTION_CODES"]

TRANSACTION_CODES: dict[str, str] = {
    "B1": "Billing",
    "B2": "Reversal",
    "B3": "Rebill",
    "C1": "Controlled Substance Reporting",
    "C2": "Controlled Substance Reporting Reversal",
    "C3": "Controlled Substance Reporting Rebill",
    "D1": "Predetermination of Benefits",
    "E1": "Eligibility Verification",
    "N1": "Information Reporting",
    "N2": "Information Reporting Reversal",
    "N3": "Information Reporting Rebill",
    "P1": "P.A. Request & Billing",
    "P2": "P.A. Reversal",
    "P3": "P.A. Inquiry",
    "P4": "P.A. Request Only",
    "S1": "Service Billing",
    "S2": "Service Reversal",
    "S3": "Service Rebill",
}
"""Every 103-A3 value of D.0 (ECL "Values: For T"), so unsupported ones can be answered."""

SINGLE_TRANSACTION_CODES = frozenset({"E1", "P1", "P2", "P3", "P4"})
"""Codes whose 109-A9 may not exceed 1 (DD2007 comment on 109-A9)."""

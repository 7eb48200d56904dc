"""Payments: X12 835 (through pyx12) and CSV payment files, read into one shape."""

from engine.reconcile.remit.csvpay import REQUIRED_COLUMNS, read_payment_csv
from engine.reconcile.remit.files import PaymentFile, parse_payment_file, read_payment_file
from engine.reconcile.remit.keys import IdentifierError, parse_ndc, parse_rx_fill
from engine.reconcile.remit.records import (
    ClaimAdjustment,
    ClaimPayment,
    ProviderAdjustment,
    Remittance,
)

__all__ = [
    "REQUIRED_COLUMNS",
    "ClaimAdjustment",
    "ClaimPayment",
    "IdentifierError",
    "PaymentFile",
    "ProviderAdjustment",
    "Remittance",
    "parse_ndc",
    "parse_payment_file",
    "parse_rx_fill",
    "read_payment_csv",
    "read_payment_file",
]

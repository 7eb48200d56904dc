"""Claim identifiers as payers write them: prescription and fill in one field, NDCs.

Pharmacy remittances carry the prescription number and the fill (refill) number
in CLP01, written in several ways: ``1234567-01``, ``1234567:1``, ``1234567 01``
or the prescription alone. The NDC comes as ``N4:<NDC11>`` in SVC01.
"""

from __future__ import annotations

import re

__all__ = ["IdentifierError", "parse_ndc", "parse_rx_fill"]

_RX_FILL = re.compile(r"^\s*0*(\d{1,12})\s*(?:[-:/ ]\s*(\d{1,2}))?\s*$")
_NDC = re.compile(r"^\d{11}$")


class IdentifierError(ValueError):
    """A claim identifier that cannot be read."""


def parse_rx_fill(text: str | None) -> tuple[int, int | None]:
    """``"1234567-01"`` → ``(1234567, 1)``; the fill is None when the payer omits it."""
    match = _RX_FILL.match(text or "")
    if match is None:
        raise IdentifierError(f"{text!r} carries no prescription number (want RX or RX-FILL)")
    rx = int(match.group(1))
    fill = match.group(2)
    return rx, None if fill is None else int(fill)


def parse_ndc(text: str | None) -> str | None:
    """The 11-digit NDC of ``N4:<NDC11>`` (or a bare NDC); None when absent.

    Raises IdentifierError for a product id that is not an 11-digit NDC.
    """
    if not text:
        return None
    qualifier, sep, code = text.partition(":")
    if not sep:
        qualifier, code = "N4", qualifier
    if qualifier != "N4" or not _NDC.match(code):
        raise IdentifierError(f"product {text!r} is not N4:<11-digit NDC>")
    return code

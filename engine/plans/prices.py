"""Drug prices: AWP and MAC unit prices per NDC, in exact decimals.

Unit prices carry fractions of a cent (NADAC publishes five decimals); the
ingredient cost of a claim is computed from them and rounded half up to the cent
only once, at the end. Two tables can feed a price version:

``table``  our own CSV: ``ndc``, ``awp_unit`` (AWP per unit), ``mac_unit`` (MAC per unit)
``nadac``  the public NADAC file as CMS publishes it (``NDC``, ``NADAC Per Unit``,
           ``Effective Date``, ...); the latest NADAC per NDC becomes its MAC when
           the table gives none.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Literal

from engine.plans.fields import Effective, FileModel, VersionId
from engine.plans.tables import TableReader, parse_decimal, parse_ndc

__all__ = ["Price", "PriceFile", "PriceList", "load_nadac_table", "load_price_table"]


class PriceFile(FileModel):
    """The YAML part of a price-list version."""

    kind: Literal["prices"]
    prices: str
    version: VersionId
    effective: Effective
    table: str | None = None
    nadac: str | None = None


@dataclass(frozen=True, slots=True)
class Price:
    """Unit prices of one NDC; either may be missing."""

    awp_unit: Decimal | None
    mac_unit: Decimal | None


@dataclass(frozen=True, slots=True)
class PriceList:
    """A loaded price-list version: NDC → Price."""

    prices: str
    version: str
    effective: Effective
    table: dict[str, Price]

    def get(self, ndc: str) -> Price | None:
        """The unit prices of an NDC, or None when the list does not price it."""
        return self.table.get(ndc)


def load_price_table(path: Path) -> dict[str, Price]:
    """Read our own price table (ndc, awp_unit, mac_unit)."""
    reader = TableReader(path, ("ndc",), ("awp_unit", "mac_unit", "name"))
    table: dict[str, Price] = {}
    for line, row in reader.rows():
        try:
            ndc = reader.cell(line, row, "ndc", parse_ndc)
            awp = reader.cell(line, row, "awp_unit", parse_decimal)
            mac = reader.cell(line, row, "mac_unit", parse_decimal)
        except ValueError:
            continue
        if ndc in table:
            reader.issues.append(reader.issue(line, f"NDC {ndc} is priced twice"))
            continue
        table[ndc] = Price(awp_unit=awp, mac_unit=mac)
    reader.finish()
    return table


def _nadac_date(text: str) -> dt.date:
    stripped = text.strip()
    for fmt in ("%m/%d/%Y", "%Y-%m-%d"):
        try:
            return dt.datetime.strptime(stripped, fmt).date()
        except ValueError:
            continue
    raise ValueError(f"expected a date like 01/15/2026 or 2026-01-15: got {text!r}")


def load_nadac_table(path: Path) -> dict[str, Decimal]:
    """Read a public NADAC file; for each NDC keep the per-unit price latest in effect."""
    reader = TableReader(path, ("ndc", "nadac_per_unit", "effective_date"), allow_extra=True)
    latest: dict[str, tuple[dt.date, Decimal]] = {}
    for line, row in reader.rows():
        try:
            ndc = reader.cell(line, row, "ndc", parse_ndc)
            price = reader.cell(line, row, "nadac_per_unit", parse_decimal)
            effective = reader.cell(line, row, "effective_date", _nadac_date)
        except ValueError:
            continue
        if price is None:
            reader.issues.append(reader.issue(line, "NADAC Per Unit is blank"))
            continue
        if ndc not in latest or effective >= latest[ndc][0]:
            latest[ndc] = (effective, price)
    reader.finish()
    return {ndc: price for ndc, (_, price) in latest.items()}

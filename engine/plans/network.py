"""Pharmacy networks: which pharmacies are in network, by which channel, at what price.

The YAML file holds the contracts (AWP discount, MAC, dispensing fee) and the
pricing used for out-of-network pharmacies; the pharmacy list is a CSV table:

========= ============================================================
npi       10-digit NPI with a valid check digit                required
name      pharmacy name                                        required
channel   retail, mail or specialty                            required
contract  a contract name from the YAML; blank = out of network
========= ============================================================
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from pydantic import Field, model_validator

from engine.plans.fields import Effective, FileModel, Money, Percent, VersionId
from engine.plans.tables import TableReader

__all__ = [
    "Contract",
    "Network",
    "NetworkFile",
    "Pharmacy",
    "load_pharmacy_table",
    "npi_is_valid",
]

PharmacyChannel = Literal["retail", "mail", "specialty"]


class Contract(FileModel):
    """A pharmacy's reimbursement terms: AWP less a discount, or MAC where the drug has one."""

    awp_discount: Percent
    dispensing_fee: Money
    use_mac: bool = True


class NetworkFile(FileModel):
    """The YAML part of a network version."""

    kind: Literal["network"]
    network: str
    version: VersionId
    effective: Effective
    contracts: dict[str, Contract] = Field(min_length=1)
    out_of_network: Contract
    pharmacies: str
    """The CSV pharmacy table, relative to this file."""

    @model_validator(mode="after")
    def _names(self) -> NetworkFile:
        for name in self.contracts:
            if not name.strip():
                raise ValueError("contract names must not be empty")
        return self


@dataclass(frozen=True, slots=True)
class Pharmacy:
    """A dispensing pharmacy as the network knows it."""

    npi: str
    name: str
    channel: str
    contract: Contract | None

    @property
    def in_network(self) -> bool:
        """In network when it holds a contract."""
        return self.contract is not None


@dataclass(frozen=True, slots=True)
class Network:
    """A loaded network version: NPI → Pharmacy."""

    network: str
    version: str
    effective: Effective
    pharmacies: dict[str, Pharmacy]
    out_of_network: Contract

    def get(self, npi: str) -> Pharmacy | None:
        """The pharmacy for an NPI, or None when the network has never heard of it."""
        return self.pharmacies.get(npi)


def npi_is_valid(npi: str) -> bool:
    """Check an NPI's Luhn digit, computed over the prefix 80840 plus its first nine digits."""
    if len(npi) != 10 or not npi.isdigit():
        return False
    digits = [int(c) for c in "80840" + npi[:9]]
    total = 0
    for position, digit in enumerate(reversed(digits)):
        doubled = digit * 2 if position % 2 == 0 else digit
        total += doubled - 9 if doubled > 9 else doubled
    return (10 - total % 10) % 10 == int(npi[9])


def load_pharmacy_table(path: Path, contracts: dict[str, Contract]) -> dict[str, Pharmacy]:
    """Read the pharmacy table; every bad row is reported, and a bad table loads nothing."""
    reader = TableReader(path, ("npi", "name", "channel"), ("contract",))
    pharmacies: dict[str, Pharmacy] = {}
    for line, row in reader.rows():
        npi = row["npi"].strip()
        channel = row["channel"].strip().lower()
        contract_name = row.get("contract", "").strip()
        problems = []
        if not npi_is_valid(npi):
            problems.append(f"NPI {npi!r} is not 10 digits with a valid check digit")
        if channel not in ("retail", "mail", "specialty"):
            problems.append(f"channel is retail, mail or specialty: got {channel!r}")
        if contract_name and contract_name not in contracts:
            problems.append(f"unknown contract {contract_name!r}")
        if npi in pharmacies:
            problems.append(f"NPI {npi} is listed twice")
        if problems:
            reader.issues.extend(reader.issue(line, problem) for problem in problems)
            continue
        pharmacies[npi] = Pharmacy(
            npi=npi,
            name=row["name"].strip(),
            channel=channel,
            contract=contracts[contract_name] if contract_name else None,
        )
    reader.finish()
    return pharmacies

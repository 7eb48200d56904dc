"""What the load generator sends: members, and B1/B2/E1 transmissions built with the codec.

A run draws a kind for every request from the mix (say 85% B1, 10% B2, 5% E1):

- a B1 goes to the next person in a round robin over every person of the members
  file, for that person's next drug: each drug of ``DRUGS`` is its own drug group,
  so no person gets the same group twice until every person has had every drug
  (persons x 51 claims), and every B1 has its own prescription number — no
  duplicate and no refill too soon by construction. The round robin's position
  (``turn``) carries over from run to run through a cursor file beside the members
  file, so later runs against the same ledger continue where the last one stopped;
- a B2 reverses a B1 of the same run that was answered paid and is not reversed
  yet (each at most once); before any B1 is paid the slot sends a B1 instead;
- an E1 asks about a random person.

The members are a generated members file (``MembersFile`` of
``engine.plans.members``): HMO Gold families of one to four persons, loaded into
the server's ledger database with ``rxadj members load`` before the run.
"""

from __future__ import annotations

import datetime as dt
import json
import random
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, replace
from decimal import Decimal
from pathlib import Path
from typing import Any

from engine.adjudication.request import transmission_from_claims
from engine.claim import ClaimRequest
from engine.ncpdp import encode

__all__ = [
    "DRUGS",
    "Member",
    "Mix",
    "Workload",
    "members_document",
    "read_members",
    "response_outcome",
    "write_members",
]

DRUGS = tuple(f"901001{n:03d}01" for n in (*range(10), *range(13, 41), *range(43, 56)))
"""Tier-1 generics of the standard formulary with no PA, quantity, age, gender or step
edit, each its own drug group (checked by a test against the shipped formulary)."""

BIN, PCN, GROUP, PLAN = "610999", "RXADJHMO", "HMOGOLD01", "HMO-GOLD"
PHARMACY = "1234567893"
PRESCRIBER = "1234567893"
_FS, _GS, _SS = b"\x1c", b"\x1d", b"\x1e"


@dataclass(frozen=True, slots=True)
class Member:
    """One person a claim can be billed for."""

    cardholder_id: str
    person_code: str
    date_of_birth: dt.date


def members_document(families: int, seed: int = 1, prefix: str = "LG") -> dict[str, Any]:
    """A members file (JSON-ready) of ``families`` HMO Gold families of one to four persons.

    Names and birth dates are invented; cardholder ids are ``prefix`` and seven digits.
    """
    rng = random.Random(seed)
    out = []
    for index in range(families):
        size = rng.choice((1, 1, 2, 2, 3, 4))
        persons = []
        for number in range(1, size + 1):
            adult = number <= 2
            year = rng.randint(1950, 2000) if adult else rng.randint(2002, 2020)
            persons.append(
                {
                    "person_code": f"{number:03d}",
                    "relationship": "1" if number == 1 else ("2" if number == 2 else "3"),
                    "first_name": f"P{number}",
                    "last_name": f"F{index}",
                    "date_of_birth": dt.date(year, rng.randint(1, 12), rng.randint(1, 28)),
                    "gender": rng.choice("MF"),
                }
            )
        out.append(
            {
                "cardholder_id": f"{prefix}{index:07d}",
                "persons": persons,
                "coverages": [{"plan": PLAN, "group": GROUP, "start": dt.date(2026, 1, 1)}],
            }
        )
    return {"kind": "members", "members": f"LOADGEN-{prefix}", "families": out}


def write_members(path: Path, families: int, seed: int = 1, prefix: str = "LG") -> int:
    """Write the members file (JSON) for ``rxadj members load``; how many persons it has."""
    document = members_document(families, seed, prefix)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(document, default=dt.date.isoformat) + "\n", encoding="utf-8")
    return sum(len(f["persons"]) for f in document["families"])


def read_members(path: Path) -> list[Member]:
    """Every person of a members file written by :func:`write_members`."""
    document = json.loads(path.read_text(encoding="utf-8"))
    return [
        Member(f["cardholder_id"], p["person_code"], dt.date.fromisoformat(p["date_of_birth"]))
        for f in document["families"]
        for p in f["persons"]
    ]


@dataclass(frozen=True, slots=True)
class Mix:
    """Shares of B1, B2 and E1 requests (any positive weights, normalised)."""

    b1: float = 85
    b2: float = 10
    e1: float = 5

    @classmethod
    def parse(cls, text: str) -> Mix:
        """``"85/10/5"`` → B1 85, B2 10, E1 5."""
        parts = [float(p) for p in text.split("/")]
        if len(parts) != 3 or min(parts) < 0 or sum(parts) <= 0:
            raise ValueError(f"mix {text!r}: expected three non-negative weights like 85/10/5")
        return cls(*parts)

    def kinds(self, count: int, rng: random.Random) -> list[str]:
        """``count`` kinds drawn independently with the mix's weights."""
        return rng.choices(("B1", "B2", "E1"), weights=(self.b1, self.b2, self.e1), k=count)


def _claim(member: Member, code: str, day: dt.date, rx: int, ndc: str | None) -> ClaimRequest:
    return ClaimRequest(
        transaction_code=code,
        bin=BIN,
        pcn=PCN,
        service_provider_id_qualifier="01",
        service_provider_id=PHARMACY,
        date_of_service=day,
        cardholder_id=member.cardholder_id,
        group_id=GROUP,
        person_code=member.person_code,
        date_of_birth=member.date_of_birth,
        rx_number=rx if ndc else None,
        fill_number=0 if ndc else None,
        product_id_qualifier="03" if ndc else None,
        ndc=ndc,
        quantity=Decimal(30) if ndc else None,
        days_supply=30 if ndc else None,
        compound_code="1" if ndc else None,
        daw="0" if ndc else None,
        prescriber_id_qualifier="01" if ndc else None,
        prescriber_id=PRESCRIBER if ndc else None,
        usual_and_customary=2500 if ndc else None,
        gross_amount_due=2500 if ndc else None,
    )


class Workload:
    """Builds the requests of one run; remembers paid B1s so that B2s can reverse them."""

    def __init__(
        self,
        members: Sequence[Member],
        mix: Mix,
        day: dt.date,
        first_rx: int,
        seed: int = 1,
        turn: int = 0,
    ) -> None:
        if not members:
            raise ValueError("the workload needs at least one member")
        self.members = members
        self.mix = mix
        self.day = day
        self.rng = random.Random(seed)
        self._next_rx = first_rx
        self.turn = turn
        """How many B1s were built (with the ``turn`` this run started from)."""
        self._paid: list[ClaimRequest] = []

    def b1(self) -> tuple[ClaimRequest, bytes]:
        """The next new claim: next person in turn, their next drug, a new Rx number."""
        member = self.members[self.turn % len(self.members)]
        drug = DRUGS[(self.turn // len(self.members)) % len(DRUGS)]
        self.turn += 1
        claim = _claim(member, "B1", self.day, self._next_rx, drug)
        self._next_rx += 1
        return claim, encode(transmission_from_claims([claim]))

    def e1(self) -> tuple[ClaimRequest, bytes]:
        """An eligibility check for a random person."""
        claim = _claim(self.rng.choice(self.members), "E1", self.day, 0, None)
        return claim, encode(transmission_from_claims([claim]))

    def b2(self) -> tuple[ClaimRequest, bytes] | None:
        """A reversal of a random paid, unreversed B1 of this run (None when there is none)."""
        if not self._paid:
            return None
        index = self.rng.randrange(len(self._paid))
        self._paid[index], self._paid[-1] = self._paid[-1], self._paid[index]
        claim = replace(self._paid.pop(), transaction_code="B2")
        return claim, encode(transmission_from_claims([claim]))

    def next(self, kind: str) -> tuple[str, ClaimRequest, bytes]:
        """A request of ``kind`` (a B2 with nothing to reverse becomes a B1)."""
        if kind == "B2":
            built = self.b2()
            if built is not None:
                return "B2", *built
            kind = "B1"
        return (kind, *self.e1()) if kind == "E1" else ("B1", *self.b1())

    def answered(self, kind: str, claim: ClaimRequest, outcome: str) -> None:
        """Learn from an answer: a paid (or echoed) B1 may be reversed later in the run."""
        if kind == "B1" and outcome in ("P", "echoed"):
            self._paid.append(claim)

    def requests(self, count: int) -> Iterator[tuple[str, ClaimRequest, bytes]]:
        """``count`` requests with kinds drawn from the mix (no answers: B2s become B1s)."""
        for kind in self.mix.kinds(count, self.rng):
            yield self.next(kind)


def _field(data: bytes, field_id: bytes) -> str | None:
    start = data.find(_FS + field_id)
    if start < 0:
        return None
    start += 3
    end = start
    while end < len(data) and data[end : end + 1] not in (_FS, _GS, _SS):
        end += 1
    return data[start:end].decode("ascii", errors="replace")


def response_outcome(data: bytes) -> str:
    """What a D.0 response answered, cheaply: ``P``, ``A``, ``D``, ``S`` or ``R:<code>``.

    Reads the first transaction status (112-AN) and, for a reject, the first reject
    code (511-FB) straight from the bytes, so that the client spends its CPU on
    sending rather than on decoding; a test checks it against the codec's decode.
    """
    status = _field(data, b"AN")
    if status is None:
        return "unreadable"
    if status == "R":
        return f"R:{(_field(data, b'FB') or '?').strip()}"
    return status

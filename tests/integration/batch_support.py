"""A hand-built NCPDP Batch 1.2 exchange: the request file a pharmacy sent, the response file back.

Response records (the header is record 1), what each holds, and what the load
must make of it:

==  =====  ==========================================  ====================================
#   K5     response                                    expected
==  =====  ==========================================  ====================================
2   R01    B1 Rx 5001/0 paid F9 42.50, plan RXPLAN01   valid, due 42.50
3   R02    B1 Rx 5002/0 rejected 70, 75                unauthorized "rejected: 70, 75"
4   R03    B1 Rx 5001/0 paid 42.50 (sent twice)        duplicate, twice in this file
5   R04    B1 Rx 5003/2 paid 0.00, copay 12.00         zero balance
6   R05    garbled transmission                        invalid (does not decode)
7   R06    B3 Rx 5005/1 paid 18.00                     resubmitted, original not found
8   R07    B1 Rx 5006/0 paid 25.00, Rx 5007/3 15.00    two valid claims, both record 8
9   blank  B1 Rx 5008/0 paid 30.00 (store STORE9)      valid, paired by claim (rule 2)
10  R10    B1 Rx 5999/0 paid 9.99                      invalid: no request pairs with it
11  R11    B2 Rx 5001/0 approved                       invalid: a reversal is not a billing
12  R12    B1 Rx 5009/0 captured                       unauthorized "status C (captured) ..."
13  R13    B1 rejected whole (header R), reject 07     unauthorized "transmission rejected: 07"
14  —      not a G1 record                             invalid: not a detail record
==  =====  ==========================================  ====================================

Valid: 4,250 + 2,500 + 1,500 + 3,000 = 11,250 cents. The request file also sends
R14 (Rx 5011), which has no response: with R05's garbled answer, 2 of its 12
billing transactions are unanswered (the B2 is not a billing).
"""

from __future__ import annotations

import datetime as dt

from engine.ncpdp import (
    BatchHeader,
    RequestHeader,
    ResponseHeader,
    Segment,
    Transaction,
    Transmission,
    encode,
    write_batch,
)

DOS = dt.date(2026, 3, 2)
NPI = "1234567893"
BIN = "610014"
CREATED = dt.datetime(2026, 3, 3, 6, 30)
VALID_DUE = 11_250


def _claim(rx: int, fill: int) -> Transaction:
    return Transaction(
        {
            "07": Segment("07", {"EM": "1", "D2": rx, "E1": "03", "D7": "00093105001", "D3": fill}),
            "03": Segment("03", {"EZ": "01", "DB": "1679576722"}),
        }
    )


def request(code: str, *claims: tuple[int, int], store: str | None = None) -> bytes:
    """A request transmission: insurance (group GRP100), then one group per (Rx, fill)."""
    header = RequestHeader("610014", "D0", code, "RXPCN", len(claims), "01", NPI, DOS, "")
    transactions = [_claim(rx, fill) for rx, fill in claims]
    if store is not None:
        transactions[0].segments["02"] = Segment("02", {"EY": "01", "E9": store})
    segments = {"04": Segment("04", {"C2": "ZZH100001", "C1": "GRP100"})}
    return encode(Transmission(header, segments, transactions))


def paid(rx: int, total: int, cost: int, fee: int, copay: int, status: str = "P") -> Transaction:
    """A paid (or other status) answer with its pricing."""
    return Transaction(
        {
            "21": Segment("21", {"AN": status}),
            "22": Segment("22", {"EM": "1", "D2": rx}),
            "23": Segment("23", {"F5": copay, "F6": cost, "F7": fee, "F9": total}),
        }
    )


def rejected(rx: int | None, *codes: str) -> Transaction:
    """A rejected answer; without an Rx number when the processor gave none."""
    segments = {"21": Segment("21", {"AN": "R"}, {"FA": [{"FB": code} for code in codes]})}
    if rx is not None:
        segments["22"] = Segment("22", {"EM": "1", "D2": rx})
    return Transaction(segments)


def response(code: str, *answers: Transaction, status: str = "A", plan: str | None = None) -> bytes:
    """A response transmission (plan id in a Response Insurance segment when given)."""
    header = ResponseHeader("D0", code, len(answers), status, "01", NPI, DOS)
    segments = {} if plan is None else {"25": Segment("25", {"FO": plan})}
    return encode(Transmission(header, segments, list(answers)))


def batch_header(kind: str, number: int = 42) -> BatchHeader:
    """The 00 record: T on a request file, R on a response file."""
    return BatchHeader(kind, "PHARMACY CHAIN 7", number, CREATED, "P", "12", "PROCESSOR 610014")


def exchange() -> tuple[bytes, bytes]:
    """The (responses, requests) pair of files described above."""
    requests = [
        ("R01", request("B1", (5001, 0))),
        ("R02", request("B1", (5002, 0))),
        ("R03", request("B1", (5001, 0))),
        ("R04", request("B1", (5003, 2))),
        ("R05", request("B1", (5004, 0))),
        ("R06", request("B3", (5005, 1))),
        ("R07", request("B1", (5006, 0), (5007, 3))),
        ("R09", request("B1", (5008, 0), store="STORE9")),
        ("R11", request("B2", (5001, 0))),
        ("R12", request("B1", (5009, 0))),
        ("R13", request("B1", (5010, 0))),
        ("R14", request("B1", (5011, 0))),
    ]
    responses = [
        ("R01", response("B1", paid(5001, 4250, 4000, 500, 250), plan="RXPLAN01")),
        ("R02", response("B1", rejected(5002, "70", "75"))),
        ("R03", response("B1", paid(5001, 4250, 4000, 500, 250))),
        ("R04", response("B1", paid(5003, 0, 1000, 200, 1200))),
        ("R05", b"D0B1GARBLED"),
        ("R06", response("B3", paid(5005, 1800, 1500, 300, 0))),
        ("R07", response("B1", paid(5006, 2500, 2300, 200, 0), paid(5007, 1500, 1400, 100, 0))),
        ("", response("B1", paid(5008, 3000, 2800, 200, 0))),
        ("R10", response("B1", paid(5999, 999, 900, 99, 0))),
        ("R11", response("B2", Transaction({"21": Segment("21", {"AN": "A"})}))),
        ("R12", response("B1", paid(5009, 700, 600, 100, 0, status="C"))),
        ("R13", response("B1", rejected(None, "07"), status="R")),
    ]
    written = write_batch(batch_header("R"), responses)
    trailer = b"\x02990000042" + b"0000000014"  # 12 details + header + trailer
    assert written.count(trailer) == 1
    corrected = b"\x02X9NOT A DETAIL\x03\n\x02990000042" + b"0000000015"
    return written.replace(trailer, corrected), write_batch(batch_header("T"), requests)


def recount(data: bytes, old: int, new: int) -> bytes:
    """The file with its trailer's record count changed: the refusal case."""
    before, after = f"\x02990000042{old:010d}", f"\x02990000042{new:010d}"
    assert data.count(before.encode()) == 1
    return data.replace(before.encode(), after.encode())

"""The typed model of a D.0 transmission, and what ``decode`` returns.

Slotted dataclasses rather than pydantic: a claim is parsed in a few microseconds and
the model must not cost more than the parsing. Field values are keyed by their
two-character NCPDP id (``"D7"``, ``"4C"``) and typed by the field dictionary (see
``engine.ncpdp.values`` for the rule).

Repeating groups live in ``Segment.repeats``, keyed by the id of the field that counts
them (``"FA"`` for reject codes) or, for counter-led groups, by the counter's id
(``"7E"`` in DUR/PPS, ``"J6"``, ``"XE"``); each occurrence is a dict of its fields, and
a group nested in an occurrence is a list under its count id inside that dict. Count
fields are not stored: the number of occurrences is ``len(segment.group(id))``, and
the encoder writes the count from it. A counter-led occurrence keeps its counter
(``{"7E": 1, "E4": "TD", ...}``); when building, a missing counter is written as the
occurrence's position.

``wire`` slots keep the exact text a segment or header arrived as. They take no part
in equality, and the encoder reuses them only while they still decode to the values
the object holds (see ``engine.ncpdp.encode``).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from engine.ncpdp.rejects import RejectCode
from engine.ncpdp.values import Value

__all__ = [
    "CodecIssue",
    "CodecNotice",
    "Decoded",
    "Occurrence",
    "RequestHeader",
    "ResponseHeader",
    "Segment",
    "Transaction",
    "Transmission",
]

Occurrence = dict[str, "Value | list[Occurrence]"]
"""One occurrence of a repeating group: its fields, and lists for groups nested in it."""


@dataclass(slots=True)
class RequestHeader:
    """The fixed 56-byte request header.

    ``date_of_service`` is ``None`` only when the wire value is not a date, and
    ``transaction_count`` is 0 when it is not a digit; ``decode`` reports both.
    """

    bin: str
    version: str
    transaction_code: str
    pcn: str
    transaction_count: int
    service_provider_id_qualifier: str
    service_provider_id: str
    date_of_service: date | None
    software_vendor_id: str
    wire: str | None = field(default=None, compare=False, repr=False)


@dataclass(slots=True)
class ResponseHeader:
    """The fixed 31-byte response header; ``status`` is ``"A"`` or ``"R"`` (501-F1)."""

    version: str
    transaction_code: str
    transaction_count: int
    status: str
    service_provider_id_qualifier: str
    service_provider_id: str
    date_of_service: date | None
    wire: str | None = field(default=None, compare=False, repr=False)


@dataclass(slots=True)
class Segment:
    """One segment: its id (``"07"``), plain fields, repeating groups and unknown fields.

    ``unknown`` keeps, in wire order, every field the dictionary does not place in this
    segment and every value that failed to parse, as ``(field id, raw text)``.
    """

    id: str
    fields: dict[str, Value]
    repeats: dict[str, list[Occurrence]] = field(default_factory=dict)
    unknown: list[tuple[str, str]] = field(default_factory=list)
    wire: str | None = field(default=None, compare=False, repr=False)

    def get(self, field_id: str, default: Value | None = None) -> Value | None:
        """The value of a plain field, or ``default`` when the segment lacks it."""
        return self.fields.get(field_id, default)

    def group(self, count_field_id: str) -> list[Occurrence]:
        """The occurrences of a repeating group (empty when the segment has none)."""
        return self.repeats.get(count_field_id, [])


@dataclass(slots=True)
class Transaction:
    """One transaction (claim group): the segments after one group separator."""

    segments: dict[str, Segment]

    def segment(self, segment_id: str) -> Segment | None:
        """The segment with this id, or ``None``."""
        return self.segments.get(segment_id)


@dataclass(slots=True)
class Transmission:
    """A whole request or response: header, transmission-level segments, transactions.

    ``envelope`` is the communication framing found around the transmission (an STX
    before, an ETX after) and written back by the encoder.
    """

    header: RequestHeader | ResponseHeader
    segments: dict[str, Segment]
    transactions: list[Transaction]
    envelope: tuple[str, str] = field(default=("", ""), compare=False)

    @property
    def is_request(self) -> bool:
        """True for a request (56-byte header), False for a response."""
        return isinstance(self.header, RequestHeader)

    def segment(self, segment_id: str) -> Segment | None:
        """The transmission-level segment with this id, or ``None``."""
        return self.segments.get(segment_id)


@dataclass(frozen=True, slots=True)
class CodecIssue:
    """One problem found in the bytes, with the reject code that answers it.

    ``offset`` is the 0-based byte position of the field id (or of the segment
    separator for a segment problem); ``transaction`` is 1-based and ``None`` for the
    header and transmission-level segments; ``occurrence`` is the 1-based occurrence of
    a repeating group, for 546-4F. Messages never repeat field values.
    """

    reject: RejectCode
    message: str
    offset: int | None = None
    segment: str | None = None
    field: str | None = None
    transaction: int | None = None
    occurrence: int | None = None

    def __str__(self) -> str:
        where = [f"offset {self.offset}" if self.offset is not None else "no offset"]
        if self.transaction is not None:
            where.append(f"transaction {self.transaction}")
        if self.segment is not None:
            where.append(f"segment {self.segment}")
        if self.field is not None:
            where.append(f"field {self.field}")
        if self.occurrence is not None:
            where.append(f"occurrence {self.occurrence}")
        return f"{', '.join(where)}: {self.message} (reject {self.reject})"


@dataclass(frozen=True, slots=True)
class CodecNotice:
    """Something unusual but harmless that was kept.

    An unknown segment or field id, a field D.0 deleted, a lower-case field id.
    """

    message: str
    offset: int | None = None
    segment: str | None = None
    field: str | None = None
    transaction: int | None = None

    def __str__(self) -> str:
        where = f"offset {self.offset}" if self.offset is not None else "no offset"
        return f"{where}: {self.message}"


@dataclass(slots=True)
class Decoded:
    """What ``decode`` returns: the transmission, the problems, the notices.

    ``transmission`` is ``None`` only when the header itself is unusable. Issues inside
    transaction k carry ``transaction=k``, so the others can still be answered.
    """

    transmission: Transmission | None
    issues: tuple[CodecIssue, ...] = ()
    notices: tuple[CodecNotice, ...] = ()

    @property
    def ok(self) -> bool:
        """True when there is a transmission and nothing is wrong with it."""
        return self.transmission is not None and not self.issues

"""JSON form of a transmission, for the command line and for people reading claims.

Shape::

    {"type": "request",
     "header": {"bin": "610999", ..., "date_of_service": "2026-03-02"},
     "segments": [SEGMENT, ...],                    # transmission level
     "transactions": [{"segments": [SEGMENT, ...]}, ...]}

    SEGMENT = {"id": "07", "name": "Claim", "fields": [FIELD, ...],
               "unknown": [{"id": "ZZ", "raw": "..."}]}            # only when present
    FIELD   = {"id": "D5", "name": "Days Supply", "value": 30}
            | {"id": "NX", "name": "...", "occurrences": [[FIELD, ...], ...]}

Values follow the field's kind: text and digit codes are strings, numbers are JSON
integers, quantities and rates are decimal strings (``"30.000"``), dates are ISO
strings, and money is an exact dollar string (``"55.70"``, ``"-2.50"``), never a
JSON float. A header or segment whose original text differs from what the encoder
would write carries it as ``"wire"`` (and the transmission its STX/ETX as
``"envelope"``), so that ``from_json_obj(to_json_obj(t))`` encodes to the original
bytes; edit a value and the encoder writes the segment canonically instead.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Any

from engine.money import cents_to_dollars
from engine.ncpdp.dictionary import FIELDS, SEGMENTS, FieldDef
from engine.ncpdp.encode import canonical_segment
from engine.ncpdp.errors import NcpdpError, NcpdpJsonError
from engine.ncpdp.header import canonical_header
from engine.ncpdp.model import (
    Occurrence,
    RequestHeader,
    ResponseHeader,
    Segment,
    Transaction,
    Transmission,
)
from engine.ncpdp.values import Value

__all__ = ["from_json_obj", "to_json_obj"]

_REQUEST_HEADER = (
    "bin",
    "version",
    "transaction_code",
    "pcn",
    "transaction_count",
    "service_provider_id_qualifier",
    "service_provider_id",
    "date_of_service",
    "software_vendor_id",
)
_RESPONSE_HEADER = (
    "version",
    "transaction_code",
    "transaction_count",
    "status",
    "service_provider_id_qualifier",
    "service_provider_id",
    "date_of_service",
)


def to_json_obj(transmission: Transmission) -> dict[str, Any]:
    """The JSON-ready form of a transmission (see the module docstring)."""
    header = transmission.header
    names = _REQUEST_HEADER if transmission.is_request else _RESPONSE_HEADER
    head: dict[str, Any] = {name: getattr(header, name) for name in names}
    service_date = header.date_of_service
    head["date_of_service"] = service_date.isoformat() if service_date else None
    if header.wire is not None and header.wire != _try(canonical_header, header):
        head["wire"] = header.wire
    obj: dict[str, Any] = {
        "type": "request" if transmission.is_request else "response",
        "header": head,
        "segments": [_segment_obj(segment) for segment in transmission.segments.values()],
        "transactions": [
            {"segments": [_segment_obj(segment) for segment in transaction.segments.values()]}
            for transaction in transmission.transactions
        ],
    }
    if transmission.envelope != ("", ""):
        obj["envelope"] = {"prefix": transmission.envelope[0], "suffix": transmission.envelope[1]}
    return obj


def _try(function: Any, argument: Any) -> str | None:
    try:
        return str(function(argument))
    except NcpdpError:
        return None


def _segment_obj(segment: Segment) -> dict[str, Any]:
    definition = SEGMENTS.get(segment.id)
    fields = [_field_obj(fid, value) for fid, value in segment.fields.items()]
    fields += [_group_obj(key, occurrences) for key, occurrences in segment.repeats.items()]
    if definition is not None:
        fields.sort(key=lambda entry: definition.rank.get(entry["id"], len(definition.rank)))
    obj: dict[str, Any] = {
        "id": segment.id,
        "name": definition.name if definition else None,
        "fields": fields,
    }
    if segment.unknown:
        obj["unknown"] = [{"id": fid, "raw": raw} for fid, raw in segment.unknown]
    if segment.wire is not None and segment.wire != _try(canonical_segment, segment):
        obj["wire"] = segment.wire
    return obj


def _field_obj(fid: str, value: Value) -> dict[str, Any]:
    definition = FIELDS[fid]
    return {"id": fid, "name": definition.name, "value": _json_value(definition, value)}


def _group_obj(key: str, occurrences: list[Occurrence]) -> dict[str, Any]:
    return {
        "id": key,
        "name": FIELDS[key].name,
        "occurrences": [
            [
                _group_obj(fid, item) if isinstance(item, list) else _field_obj(fid, item)
                for fid, item in occurrence.items()
            ]
            for occurrence in occurrences
        ],
    }


def _json_value(definition: FieldDef, value: Value) -> Any:
    kind = definition.kind
    if kind == "cents" and isinstance(value, int):
        return str(cents_to_dollars(value))
    if kind in ("decimal", "signed_decimal") or isinstance(value, date):
        return value.isoformat() if isinstance(value, date) else str(value)
    return value


def from_json_obj(obj: Any) -> Transmission:
    """Rebuild a transmission from its JSON form; ``NcpdpJsonError`` names the bad path."""
    kind = _get(obj, "type", str, "")
    if kind not in ("request", "response"):
        raise NcpdpJsonError('type: expected "request" or "response"')
    header = _header(_get(obj, "header", dict, ""), kind == "request")
    segments = _segments(_get(obj, "segments", list, ""), "segments")
    transactions = [
        Transaction(
            _segments(
                _get(item, "segments", list, f"transactions[{n}]."), f"transactions[{n}].segments"
            )
        )
        for n, item in enumerate(_get(obj, "transactions", list, ""))
    ]
    envelope = ("", "")
    if "envelope" in obj:
        raw = _get(obj, "envelope", dict, "")
        envelope = (_get(raw, "prefix", str, "envelope."), _get(raw, "suffix", str, "envelope."))
    return Transmission(header, segments, transactions, envelope)


def _get(obj: Any, key: str, kind: type, path: str) -> Any:
    if not isinstance(obj, dict):
        raise NcpdpJsonError(f"{path.rstrip('.') or 'document'}: expected an object")
    if key not in obj:
        raise NcpdpJsonError(f"{path}{key}: missing")
    value = obj[key]
    if not isinstance(value, kind) or (isinstance(value, bool) and kind is not bool):
        raise NcpdpJsonError(f"{path}{key}: expected {kind.__name__}")
    return value


def _header(obj: dict[str, Any], request: bool) -> RequestHeader | ResponseHeader:
    names = _REQUEST_HEADER if request else _RESPONSE_HEADER
    values: dict[str, Any] = {}
    for name in names:
        if name == "transaction_count":
            values[name] = _get(obj, name, int, "header.")
        elif name == "date_of_service":
            text = obj.get(name)
            values[name] = None if text is None else _date(text, f"header.{name}")
        else:
            values[name] = _get(obj, name, str, "header.")
    wire = _get(obj, "wire", str, "header.") if "wire" in obj else None
    if request:
        return RequestHeader(**values, wire=wire)
    return ResponseHeader(**values, wire=wire)


def _segments(items: list[Any], path: str) -> dict[str, Segment]:
    found: dict[str, Segment] = {}
    for n, item in enumerate(items):
        where = f"{path}[{n}]."
        segment = Segment(_get(item, "id", str, where), {}, {}, [])
        if segment.id in found:
            raise NcpdpJsonError(f"{where}id: segment {segment.id} repeated")
        for m, entry in enumerate(_get(item, "fields", list, where)):
            _entry(entry, segment.fields, segment.repeats, f"{where}fields[{m}].")
        for m, entry in enumerate(item.get("unknown", [])):
            at = f"{where}unknown[{m}]."
            segment.unknown.append((_get(entry, "id", str, at), _get(entry, "raw", str, at)))
        if "wire" in item:
            segment.wire = _get(item, "wire", str, where)
        found[segment.id] = segment
    return found


def _entry(entry: Any, values: dict[str, Any], lists: dict[str, Any], path: str) -> None:
    fid = _get(entry, "id", str, path)
    if fid not in FIELDS:
        raise NcpdpJsonError(f"{path}id: {fid!r} is not a D.0 field id (use unknown)")
    if "occurrences" in entry:
        occurrences: list[Occurrence] = []
        for n, items in enumerate(_get(entry, "occurrences", list, path)):
            if not isinstance(items, list):
                raise NcpdpJsonError(f"{path}occurrences[{n}]: expected a list")
            occurrence: Occurrence = {}
            for m, item in enumerate(items):
                _entry(item, occurrence, occurrence, f"{path}occurrences[{n}][{m}].")
            occurrences.append(occurrence)
        lists[fid] = occurrences
        return
    if "value" not in entry:
        raise NcpdpJsonError(f"{path}value: missing")
    values[fid] = _value(FIELDS[fid], entry["value"], f"{path}value")


def _value(definition: FieldDef, value: Any, path: str) -> Value:
    kind = definition.kind
    if kind == "int":
        if isinstance(value, int) and not isinstance(value, bool):
            return value
        raise NcpdpJsonError(f"{path}: expected an integer")
    if not isinstance(value, str):
        raise NcpdpJsonError(f"{path}: expected a string")
    if kind in ("text", "digits"):
        return value
    if kind == "date":
        return _date(value, path)
    try:
        number = Decimal(value)
    except InvalidOperation:
        raise NcpdpJsonError(f"{path}: expected a decimal number in a string") from None
    if not number.is_finite():
        raise NcpdpJsonError(f"{path}: expected a finite number")
    if kind != "cents":
        return number
    cents = number * 100
    if cents != cents.to_integral_value():
        raise NcpdpJsonError(f"{path}: money has fractions of a cent")
    return int(cents)


def _date(value: Any, path: str) -> date:
    if isinstance(value, str) and len(value) == 10:
        try:
            return date.fromisoformat(value)
        except ValueError:
            pass
    raise NcpdpJsonError(f"{path}: expected a date as YYYY-MM-DD")

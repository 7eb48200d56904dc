"""An NCPDP Batch 1.2 file as JSON, and back (``rxadj ncpdp unbatch`` and ``batch``).

The batch counterpart of ``engine.ncpdp.jsonform``. A batch file is hard to read and
harder to edit by hand (STX/ETX framing, fixed widths, a record count to keep
right). ``batch_to_json`` gives the header, the trailer's message, each detail with
its record number, 880-K5 reference and its transmission in the form ``rxadj ncpdp
decode`` prints, and the records that are not details. A transmission that does not
decode cleanly is kept as ``raw`` text (latin-1) with its ``issues``, so nothing is
lost. ``batch_from_json`` writes that JSON back as a batch file, counting the records
itself; one then the other gives back the same bytes for a file written one record
per line.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from engine.ncpdp.batch import BatchFile, BatchHeader, write_batch
from engine.ncpdp.decode import decode
from engine.ncpdp.encode import encode
from engine.ncpdp.errors import NcpdpError
from engine.ncpdp.jsonform import from_json_obj, to_json_obj

__all__ = ["batch_from_json", "batch_to_json"]


def batch_to_json(batch: BatchFile) -> dict[str, Any]:
    """The JSON form of an unwrapped batch."""
    header = batch.header
    details = []
    for detail in batch.details:
        decoded = decode(detail.transmission)
        entry: dict[str, Any] = {"record": detail.record, "reference": detail.reference}
        if decoded.ok and decoded.transmission is not None:
            entry["transmission"] = to_json_obj(decoded.transmission)
        else:
            entry["raw"] = detail.transmission.decode("latin-1")
            entry["issues"] = [str(issue) for issue in decoded.issues]
        details.append(entry)
    return {
        "header": {
            "transmission_type": header.transmission_type,
            "sender_id": header.sender_id,
            "batch_number": header.batch_number,
            "created": header.created.isoformat(timespec="minutes"),
            "file_type": header.file_type,
            "version": header.version,
            "receiver_id": header.receiver_id,
        },
        "message": batch.message,
        "details": details,
        "problems": [{"record": p.record, "reason": p.reason} for p in batch.problems],
    }


def _detail(entry: Any, index: int) -> tuple[str, bytes]:
    where = f"details[{index}]"
    if not isinstance(entry, dict):
        raise ValueError(f"{where} is not an object")
    reference = entry.get("reference", "")
    if not isinstance(reference, str):
        raise ValueError(f"{where}.reference is not text")
    if "transmission" in entry:
        try:
            return reference, encode(from_json_obj(entry["transmission"]))
        except NcpdpError as exc:
            raise ValueError(f"{where}.transmission: {exc}") from None
    raw = entry.get("raw")
    if not isinstance(raw, str):
        raise ValueError(f"{where} has neither a transmission nor raw text")
    try:
        return reference, raw.encode("latin-1")
    except UnicodeEncodeError:
        raise ValueError(f"{where}.raw holds a character outside latin-1") from None


def batch_from_json(obj: Any) -> bytes:
    """A batch file from its JSON form; ``ValueError`` (or ``NcpdpBatchError``) names the fault.

    Record numbers and ``problems`` are read-only information and are ignored.
    """
    if not isinstance(obj, dict) or not isinstance(obj.get("header"), dict):
        raise ValueError("not a batch: an object with a header is expected")
    fields = obj["header"]
    try:
        header = BatchHeader(
            transmission_type=str(fields["transmission_type"]),
            sender_id=str(fields.get("sender_id", "")),
            batch_number=int(fields["batch_number"]),
            created=dt.datetime.fromisoformat(str(fields["created"])),
            file_type=str(fields.get("file_type", "P")),
            version=str(fields.get("version", "12")),
            receiver_id=str(fields.get("receiver_id", "")),
        )
    except KeyError as exc:
        raise ValueError(f"header.{exc.args[0]} is missing") from None
    except (TypeError, ValueError) as exc:
        raise ValueError(f"header: {exc}") from None
    details = obj.get("details", [])
    if not isinstance(details, list):
        raise ValueError("details is not a list")
    message = obj.get("message", "")
    if not isinstance(message, str):
        raise ValueError("message is not text")
    return write_batch(header, [_detail(e, i) for i, e in enumerate(details)], message)

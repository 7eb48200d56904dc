"""The NCPDP Telecommunication Standard vD.0 codec.

``decode`` turns bytes into a typed ``Transmission`` plus ``CodecIssue`` items (it never
raises); ``encode`` writes a ``Transmission`` back; ``to_json_obj``/``from_json_obj``
convert for the command line; ``read_batch``/``write_batch`` unwrap and wrap NCPDP
Batch 1.2 files of transmissions. The field and segment dictionary is package data
(``fields.csv``, ``segments.csv``) read by both directions.
"""

from engine.ncpdp.batch import (
    BatchDetail,
    BatchFile,
    BatchHeader,
    BatchProblem,
    read_batch,
    write_batch,
)
from engine.ncpdp.codes import SINGLE_TRANSACTION_CODES, TRANSACTION_CODES
from engine.ncpdp.decode import MAX_TRANSMISSION_BYTES, decode
from engine.ncpdp.dictionary import FIELDS, SEGMENTS, FieldDef, GroupDef, SegmentDef
from engine.ncpdp.encode import encode
from engine.ncpdp.errors import NcpdpBatchError, NcpdpBuildError, NcpdpError, NcpdpJsonError
from engine.ncpdp.jsonform import from_json_obj, to_json_obj
from engine.ncpdp.model import (
    CodecIssue,
    CodecNotice,
    Decoded,
    Occurrence,
    RequestHeader,
    ResponseHeader,
    Segment,
    Transaction,
    Transmission,
)
from engine.ncpdp.rejects import RejectCode
from engine.ncpdp.values import Value

__all__ = [
    "FIELDS",
    "MAX_TRANSMISSION_BYTES",
    "SEGMENTS",
    "SINGLE_TRANSACTION_CODES",
    "TRANSACTION_CODES",
    "BatchDetail",
    "BatchFile",
    "BatchHeader",
    "BatchProblem",
    "CodecIssue",
    "CodecNotice",
    "Decoded",
    "FieldDef",
    "GroupDef",
    "NcpdpBatchError",
    "NcpdpBuildError",
    "NcpdpError",
    "NcpdpJsonError",
    "Occurrence",
    "RejectCode",
    "RequestHeader",
    "ResponseHeader",
    "Segment",
    "SegmentDef",
    "Transaction",
    "Transmission",
    "Value",
    "decode",
    "encode",
    "from_json_obj",
    "read_batch",
    "to_json_obj",
    "write_batch",
]

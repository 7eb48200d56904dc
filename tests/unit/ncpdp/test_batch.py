"""The NCPDP Batch 1.2 wrapper: written, read back, and refused when it does not add up."""

import datetime as dt

import pytest

from engine.ncpdp import (
    BatchDetail,
    BatchHeader,
    BatchProblem,
    NcpdpBatchError,
    decode,
    encode,
    read_batch,
    write_batch,
)

from .samples import b1_typical

HEADER = BatchHeader("T", "CHAIN 7", 42, dt.datetime(2026, 3, 3, 6, 30), "P", "12", "PBM 1")
TRANSMISSION = encode(b1_typical())
OPENING = (
    b"\x0200TCHAIN 7" + b" " * 17 + b"0000042" + b"202603030630P12PBM 1" + b" " * 19 + b"\x03\n"
)
CLOSING = b"\x02990000042" + b"0000000004" + b" " * 35 + b"\x03\n"


def _file(*records: bytes, separator: bytes = b"\n") -> bytes:
    return separator.join(b"\x02" + record + b"\x03" for record in records)


def test_the_writer_frames_every_record_and_counts_header_and_trailer():
    data = write_batch(HEADER, [("REF1", TRANSMISSION), ("REF2", TRANSMISSION)])
    detail = b"\x02G1REF1      " + TRANSMISSION + b"\x03\n"
    assert data.startswith(OPENING + detail)
    assert data.endswith(CLOSING)
    assert len(data) == len(OPENING) + 2 * len(detail) + len(CLOSING)


def test_what_is_written_reads_back_with_record_numbers():
    batch = read_batch(write_batch(HEADER, [("REF1", TRANSMISSION), ("", TRANSMISSION)]))
    assert batch.header == HEADER
    assert batch.details == (
        BatchDetail(2, "REF1", TRANSMISSION),
        BatchDetail(3, "", TRANSMISSION),
    )
    assert batch.problems == ()
    assert decode(batch.details[0].transmission).transmission == b1_typical()


def test_both_documented_header_forms_read():
    """Zero-filled batch number, P, 12 (EdiFabric); space-padded number, T, 11 (higher-pixels)."""
    left = b"00RSENDER" + b" " * 18 + b"1213   " + b"201611281210T11RECEIVER"
    trailer = b"991213   0000000002" + b" " * 35
    batch = read_batch(_file(left, trailer, separator=b""))
    assert batch.header == BatchHeader(
        "R", "SENDER", 1213, dt.datetime(2016, 11, 28, 12, 10), "T", "11", "RECEIVER"
    )
    assert batch.details == ()
    crlf = _file(OPENING[1:-2], b"990000042" + b"0000000002", separator=b"\r\n")
    assert read_batch(crlf).header == HEADER


def test_a_bad_detail_record_is_reported_and_the_rest_read():
    data = _file(
        OPENING[1:-2],
        b"X9SOMETHING",
        b"G1SHORT",
        b"G1REF3      " + TRANSMISSION,
        b"990000042" + b"0000000005",
    )
    batch = read_batch(data)
    assert batch.problems == (
        BatchProblem(2, "not a detail record (G1)"),
        BatchProblem(3, "detail record too short to hold a transmission"),
    )
    assert batch.details == (BatchDetail(4, "REF3", TRANSMISSION),)


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (
            _file(OPENING[1:-2], b"990000042" + b"0000000003"),
            "record 2: the trailer counts 3 records but the file has 2 (header and trailer"
            " included): records are missing or extra",
        ),
        (
            _file(OPENING[1:-2], b"990000043" + b"0000000002"),
            "record 2: the trailer closes batch 43 but the header opens batch 42",
        ),
        (
            _file(OPENING[1:-2], b"G1REF1      " + TRANSMISSION),
            "the file does not end with a trailer (99): it is incomplete",
        ),
        (
            _file(OPENING[1:-2], OPENING[1:-2], b"990000042" + b"0000000003"),
            "record 2 is a header (00) inside the batch: one batch per file",
        ),
        (
            _file(b"G1REF1      " + TRANSMISSION, b"990000042" + b"0000000002"),
            "record 1 is not a batch header (00): not an NCPDP batch file",
        ),
        (
            b"00TCHAIN 7\n",
            "byte 0: record 1 does not start with STX (0x02): not an NCPDP batch file,"
            " or a damaged one",
        ),
        (
            OPENING + b"\x0299000004",
            f"byte {len(OPENING)}: record 2 has no ETX (0x03): the file is cut or damaged",
        ),
        (
            _file(OPENING[1:-2].replace(b"P12", b"P13"), b"990000042" + b"0000000002"),
            "the header's version/release is not 12 or 11",
        ),
        (b"", "the file holds no records: not an NCPDP batch file"),
    ],
)
def test_a_wrapper_that_does_not_hold_refuses_the_file(data, message):
    with pytest.raises(NcpdpBatchError) as refused:
        read_batch(data)
    assert str(refused.value) == message


def test_the_writer_refuses_what_a_batch_cannot_carry():
    with pytest.raises(NcpdpBatchError, match="880-K5"):
        write_batch(HEADER, [("REFERENCE-11", TRANSMISSION)])
    with pytest.raises(NcpdpBatchError, match="STX/ETX"):
        write_batch(HEADER, [("REF1", b"\x02" + TRANSMISSION + b"\x03")])

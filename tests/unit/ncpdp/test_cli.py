"""``rxadj ncpdp decode|encode`` through the real command line app."""

from __future__ import annotations

import json

import pytest
from typer.testing import CliRunner

from api.cli import app

from .samples import DATA, SAMPLES

FS, GS, RS = "\x1c", "\x1d", "\x1e"
HEADER = "610999D0B1RXADJHMO  1011234567893     20260302RXADJ01   "


def _run(args: list[str], data: bytes | str | None = None):
    return CliRunner().invoke(app, args, input=data)


def _decode_then_encode(data: bytes) -> bytes:
    decoded = _run(["ncpdp", "decode", "-"], data)
    assert decoded.exit_code == 0, decoded.stderr
    encoded = _run(["ncpdp", "encode", "-"], decoded.stdout_bytes)
    assert encoded.exit_code == 0, encoded.stderr
    return encoded.stdout_bytes


def test_decode_prints_json() -> None:
    result = _run(["ncpdp", "decode", str(DATA / "b1_typical.bin")])
    assert result.exit_code == 0
    assert result.stderr == ""
    obj = json.loads(result.stdout)
    assert obj["header"]["bin"] == "610999"
    pricing = obj["transactions"][0]["segments"][2]["fields"]
    assert pricing[3] == {"id": "DU", "name": "Gross Amount Due", "value": "14.25"}


@pytest.mark.parametrize("name", sorted(SAMPLES))
def test_decode_then_encode_gives_the_file_back(name: str) -> None:
    data = (DATA / name).read_bytes()
    assert _decode_then_encode(data) == data


def test_the_original_bytes_come_back_however_the_sender_wrote_them() -> None:
    insurance = f"{RS}{FS}AM04{FS}C3001  {FS}C2ZZH100001           {FS}A6VENDOR"
    claim = f"{RS}{FS}AM07{FS}D5030{FS}D700093105001{FS}EM1{FS}D2000001234567{FS}NX1{FS}DK08"
    pricing = f"{RS}{FS}AM11{FS}DU0000142E{FS}D9000125{{{FS}**X"
    data = (HEADER + insurance + GS + claim + pricing + "\x03").encode()
    assert _decode_then_encode(data) == data
    notices = _run(["ncpdp", "decode", "-"], data).stderr.splitlines()
    assert notices == [
        "notice: offset 94: field id A6 is not part of segment 04; kept unread",
        f"notice: offset {data.index(b'**X')}: field id ** is not part of segment 11; kept unread",
    ]


def test_bad_bytes_give_one_line_and_status_2() -> None:
    data = (HEADER + GS + f"{RS}{FS}AM07{FS}EM1{FS}D53X{FS}D7{'1' * 20}").encode()
    result = _run(["ncpdp", "decode", "-"], data)
    assert result.exit_code == 2
    assert result.stdout == ""
    assert result.stderr == (
        "error: offset 68, transaction 1, segment 07, field D5: 405-D5 Days Supply: not a number"
        " (reject 19 M/I Days Supply) (and 1 more)\n"
    )


@pytest.mark.parametrize(
    ("args", "data", "message"),
    [
        (["ncpdp", "decode", "/nonexistent/x.bin"], None, "error: cannot read /nonexistent/x.bin"),
        (["ncpdp", "decode", "-"], b"", "error: offset 0, field A1: header cut short"),
        (["ncpdp", "encode", "-"], b"{not json", "error: not JSON"),
        (["ncpdp", "encode", "-"], b'{"type": "request"}', "error: header: missing"),
        (["ncpdp", "encode", "-"], b"\xff\xfe", "error: not JSON"),
    ],
)
def test_bad_input_is_one_line_without_traceback(
    args: list[str], data: bytes | None, message: str
) -> None:
    result = _run(args, data)
    assert result.exit_code == 2
    assert result.stderr.startswith(message)
    assert result.stderr.count("\n") == 1
    assert "Traceback" not in result.stderr


def test_encode_refuses_a_model_that_cannot_be_written() -> None:
    obj = json.loads(_run(["ncpdp", "decode", str(DATA / "b1_typical.bin")]).stdout)
    obj["transactions"][0]["segments"][0]["fields"][0]["value"] = "12"
    result = _run(["ncpdp", "encode", "-"], json.dumps(obj))
    assert result.exit_code == 2
    assert result.stderr == (
        "error: segment AM07 field 455-EM Prescription/Service Reference Number Qualifier:"
        " a value of 2 characters does not fit in 1\n"
    )

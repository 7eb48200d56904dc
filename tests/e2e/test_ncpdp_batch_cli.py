"""``rxadj ncpdp unbatch|batch``: a Batch 1.2 file as JSON and back, byte for byte.

The files are the hand-built exchange of ``integration.batch_support``.
"""

import json

from integration.batch_support import exchange, recount
from typer.testing import CliRunner

from api.cli import app


def _run(args, data):
    return CliRunner().invoke(app, ["ncpdp", *args], input=data)


def test_unbatch_shows_header_details_and_bad_records():
    responses, _ = exchange()
    shown = _run(["unbatch", "-"], responses)
    assert shown.exit_code == 0, shown.stderr
    obj = json.loads(shown.stdout)
    assert obj["header"] == {
        "transmission_type": "R",
        "sender_id": "PHARMACY CHAIN 7",
        "batch_number": 42,
        "created": "2026-03-03T06:30",
        "file_type": "P",
        "version": "12",
        "receiver_id": "PROCESSOR 610014",
    }
    assert obj["message"] == ""
    assert [d["record"] for d in obj["details"]] == list(range(2, 14))  # 12 details
    first = obj["details"][0]
    assert (first["reference"], first["transmission"]["type"]) == ("R01", "response")
    garbled = obj["details"][4]  # record 6, R05
    assert (garbled["reference"], garbled["raw"]) == ("R05", "D0B1GARBLED")
    assert garbled["issues"][0].startswith("offset 11, field B1")
    assert obj["problems"] == [{"record": 14, "reason": "not a detail record (G1)"}]


def test_unbatch_then_batch_gives_the_same_bytes():
    responses, requests = exchange()
    shown = _run(["unbatch", "-"], requests)
    again = _run(["batch", "-"], shown.stdout_bytes)
    assert again.exit_code == 0, again.stderr
    assert again.stdout_bytes == requests
    # the response file loses only its non-detail record (14), and its count with it
    shown = _run(["unbatch", "-"], responses)
    rebuilt = _run(["batch", "-"], shown.stdout_bytes).stdout_bytes
    expected = recount(responses.replace(b"\x02X9NOT A DETAIL\x03\n", b""), 15, 14)
    assert rebuilt == expected


def test_a_broken_wrapper_or_bad_json_is_one_line_and_exit_2():
    responses, _ = exchange()
    broken = _run(["unbatch", "-"], recount(responses, 15, 16))
    assert broken.exit_code == 2
    assert broken.stderr.strip() == (
        "error: record 15: the trailer counts 16 records but the file has 15 (header and"
        " trailer included): records are missing or extra"
    )
    header = {"transmission_type": "R", "batch_number": 1, "created": "2026-03-03T06:30"}
    cases = [
        (b"{not json", "error: not JSON"),
        (b"[]", "error: not a batch: an object with a header is expected"),
        (json.dumps({"header": {"batch_number": 1}}).encode(), "error: header.transmission_type"),
        (
            json.dumps({"header": {**header, "transmission_type": "X"}}).encode(),
            "error: the header's transmission type is not T or R",
        ),
        (
            json.dumps({"header": header, "details": [{"reference": "A"}]}).encode(),
            "error: details[0] has neither a transmission nor raw text",
        ),
        (
            json.dumps({"header": header, "details": [{"raw": "a\x03b"}]}).encode(),
            "error: a transmission in a batch carries no STX/ETX of its own",
        ),
    ]
    for data, message in cases:
        refused = _run(["batch", "-"], data)
        assert refused.exit_code == 2, data
        assert refused.stderr.startswith(message), (data, refused.stderr)
        assert refused.stdout_bytes == b""

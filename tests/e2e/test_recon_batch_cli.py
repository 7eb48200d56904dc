"""``rxadj recon load-claims --ncpdp-batch`` end to end on the test's SQLite database.

The two files are the hand-built exchange of ``integration.batch_support`` (its
table says what each of the 13 response records holds): 4 valid claims worth
42.50 + 25.00 + 15.00 + 30.00 = $112.50, 1 duplicate, 1 zero balance,
3 unauthorized, 1 resubmitted and 4 records that cannot be claims.
"""

import os
from pathlib import Path

import pytest
from integration.batch_support import exchange, recount
from sqlalchemy import create_engine, text
from typer.testing import CliRunner

from api.cli import app


@pytest.fixture
def files(tmp_path, monkeypatch):
    """The response and request batch files on disk; a wide console so lines do not wrap."""
    monkeypatch.setenv("COLUMNS", "200")
    monkeypatch.setenv("RXADJ_PUBLISHED_DIR", str(tmp_path / "published"))
    responses, requests = exchange()
    (tmp_path / "resp.bat").write_bytes(responses)
    (tmp_path / "req.bat").write_bytes(requests)
    return tmp_path / "resp.bat", tmp_path / "req.bat"


def _load(*args):
    return CliRunner().invoke(app, ["recon", "load-claims", *args])


def _stored():
    """(load batches, receivables, claim exceptions) in the test's database."""
    engine = create_engine(os.environ["RXADJ_DATABASE_URL"])
    try:
        with engine.connect() as conn:
            return tuple(
                conn.execute(text(f"SELECT COUNT(*) FROM {table}")).scalar()
                for table in ("recon_batches", "recon_items", "recon_claim_exceptions")
            )
    finally:
        engine.dispose()


def _counts(output: str) -> dict[str, int]:
    """The rows of the printed counts table: ``│ zero balance │ 1 │``."""
    found = {}
    for line in output.splitlines():
        cells = [cell.strip() for cell in line.strip("│ ").split("│")]
        if len(cells) == 2 and cells[1].isdigit():
            found[cells[0]] = int(cells[1])
    return found


def test_a_batch_loads_and_prints_its_counts_and_bad_records(files):
    responses, requests = files
    loaded = _load("--ncpdp-batch", str(responses), "--requests", str(requests), "--as-of",
                   "2026-03-31")  # fmt: skip
    assert loaded.exit_code == 0, loaded.output
    assert _counts(loaded.output) == {
        "valid": 4,
        "duplicate": 1,
        "zero balance": 1,
        "unauthorized": 3,
        "resubmitted": 1,
        "invalid": 4,
    }
    assert "amount due added: $112.50" in loaded.output
    assert "2 of 12 request transaction(s) have no response here" in loaded.output
    shown = [line.strip() for line in loaded.output.splitlines() if line.startswith("  record ")]
    assert [line.split(":")[0] for line in shown] == [
        "record 6",
        "record 10",
        "record 11",
        "record 14",
    ]
    assert "record 14: not a detail record (G1)" in shown
    assert _stored() == (1, 4, 4 + 1 + 1 + 3 + 1)  # one load: 4 items, 10 exceptions
    again = _load("--ncpdp-batch", str(responses), "--requests", str(requests))
    assert again.exit_code == 0, again.output
    assert _counts(again.output)["duplicate"] == 5  # the 4 valid claims now on file, and R03
    assert "amount due added: $0.00" in again.output


def test_a_broken_wrapper_refuses_the_whole_file(files):
    responses, requests = files
    responses.write_bytes(recount(responses.read_bytes(), 15, 14))
    refused = _load("--ncpdp-batch", str(responses), "--requests", str(requests))
    assert refused.exit_code == 2
    assert refused.stderr.strip() == (
        f"{responses}: record 15: the trailer counts 14 records but the file has 15 (header"
        " and trailer included): records are missing or extra; nothing was loaded"
    )
    assert _stored() == (0, 0, 0)


def test_a_request_file_cut_short_refuses_both(files):
    responses, requests = files
    requests.write_bytes(requests.read_bytes()[:-40])
    refused = _load("--ncpdp-batch", str(responses), "--requests", str(requests))
    assert refused.exit_code == 2
    assert refused.stderr.startswith(f"{requests}: byte ")
    assert refused.stderr.strip().endswith("the file is cut or damaged; nothing was loaded")
    assert _stored() == (0, 0, 0)


def test_the_two_files_given_the_wrong_way_round_are_refused(files):
    responses, requests = files
    swapped = _load("--ncpdp-batch", str(requests), "--requests", str(responses))
    assert swapped.exit_code == 2
    assert swapped.stderr.strip() == (
        f"{responses}: holds D.0 responses, not requests; nothing was loaded"
    )
    assert _stored() == (0, 0, 0)


@pytest.mark.parametrize(
    "given",
    [("--ncpdp-batch", "resp.bat"), ("--requests", "req.bat")],
    ids=["responses-only", "requests-only"],
)
def test_the_two_options_go_together(files, given):
    option, name = given
    refused = _load(option, str(files[0].parent / name))
    assert refused.exit_code == 2
    assert refused.stderr.strip() == (
        "--ncpdp-batch and --requests go together: a D.0 response carries no fill number"
        " (403-D3) and no BIN, so its request batch is needed"
    )


def test_a_batch_and_csv_files_are_not_loaded_together(files):
    responses, requests = files
    csv = Path(__file__).resolve().parents[1] / "data" / "reconcile" / "claims.csv"
    refused = _load(str(csv), "--ncpdp-batch", str(responses), "--requests", str(requests))
    assert refused.exit_code == 2
    assert refused.stderr.strip() == "give claim CSV files or --ncpdp-batch, not both"


def test_a_missing_file_is_named(files):
    responses, _ = files
    missing = responses.parent / "nowhere.bat"
    refused = _load("--ncpdp-batch", str(responses), "--requests", str(missing))
    assert refused.exit_code == 2
    assert refused.stderr.strip() == f"{missing}: cannot read: No such file or directory"
    assert _stored() == (0, 0, 0)

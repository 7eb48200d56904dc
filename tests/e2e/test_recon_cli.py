"""``rxadj recon`` end to end on a SQLite database: load, run, report, correct, archive."""

from pathlib import Path

from typer.testing import CliRunner

from api.cli import app

DATA = Path(__file__).resolve().parents[1] / "data" / "reconcile"


def _run(*args):
    return CliRunner().invoke(app, ["recon", *args])


def test_the_whole_cycle_from_the_command_line(tmp_path, monkeypatch):
    monkeypatch.setenv("RXADJ_RULES_DIR", str(DATA))
    monkeypatch.setenv("RXADJ_PUBLISHED_DIR", str(tmp_path / "published"))
    loaded = _run("load-claims", str(DATA / "claims.csv"), "--as-of", "2026-03-31")
    assert loaded.exit_code == 0, loaded.output
    assert "valid" in loaded.output
    bad = _run("load-payments", str(DATA / "malformed.835"))
    assert bad.exit_code == 1
    assert "line 92, segment CLP #92, element CLP04" in bad.output
    paid = _run("load-payments", str(DATA / "remit.835"))
    assert paid.exit_code == 1  # one row (NO-RX) was kept as rejected
    assert "18 claim payment(s)" in paid.output
    run = _run("run")
    assert run.exit_code == 0, run.output
    assert "partial accepted" in run.output
    report = _run("report", "partial-exceptions")
    assert report.exit_code == 0
    assert report.output.splitlines()[-1].startswith("total grand,,,")
    pdf = tmp_path / "aging.pdf"
    assert _run("report", "aging-detail", "--format", "pdf", "--out", str(pdf)).exit_code == 0
    assert pdf.read_bytes().startswith(b"%PDF")
    found = _run("lookup", "--rx", "102")
    assert "102" in found.output
    fixed = _run("correct", "2", "--set", "reason=CHASE", "--reason", "called the payer")
    assert fixed.exit_code == 0, fixed.output
    archived = _run("archive", "--before", "2026-04-11")
    assert "archive 1:" in archived.output
    assert "101" in _run("archive-search", "--rx", "101").output
    assert _run("restore", "1").exit_code == 0
    statements = _run("statements", "--as-of", "2026-05-15", "--out", str(tmp_path / "s"))
    assert statements.exit_code == 0, statements.output
    assert (tmp_path / "s" / "statement-610014-2026-05-15.pdf").exists()

"""``rxadj bench``: the output files of a real (tiny) run, and the report it writes."""

from __future__ import annotations

import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from typer.testing import CliRunner

from api.cli import app
from benchmarks.report import Row, failures, markdown, read_rows, time_text
from benchmarks.run import QUICK_DESELECT, pytest_command, redis_unreachable, suites


def test_quick_run_of_a_tiny_selection_writes_json_and_markdown(tmp_path: Path) -> None:
    result = CliRunner().invoke(
        app,
        ["bench", "--quick", "--output", str(tmp_path), "--select", "test_cost_share and insulin"],
    )
    assert result.exit_code == 0, result.output
    document = json.loads((tmp_path / "bench.json").read_text())
    names = [b["name"] for b in document["benchmarks"]]
    assert names == ["test_costshare::test_cost_share[insulin cap]"]
    (row,) = document["benchmarks"]
    assert row["rounds"] >= 3
    assert 0 < row["median"] <= row["mean"] * 10
    assert document["environment"]["mode"] == "quick"
    assert document["failures"] == []
    table = (tmp_path / "bench.md").read_text()
    assert "| benchmark | median | mean | ops/s | rounds | notes |" in table
    assert "| test_costshare::test_cost_share[insulin cap] |" in table
    assert "Conditions: " in table
    assert (tmp_path / "pytest-benchmark.json").exists()
    assert (tmp_path / "junit.xml").exists()
    assert "wrote " in result.output


def test_server_adds_the_load_sweep_and_its_plot(tmp_path: Path) -> None:
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), Echo)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    try:
        result = CliRunner().invoke(
            app,
            [
                "bench",
                "--quick",
                "--output",
                str(tmp_path),
                "--select",
                "test_cost_share and insulin",
                "--server",
                f"http://127.0.0.1:{httpd.server_address[1]}",
            ],
        )
    finally:
        httpd.shutdown()
        httpd.server_close()
    assert result.exit_code == 0, result.output
    load = json.loads((tmp_path / "load.json").read_text())
    assert [(r["offered"], r["sent"], r["errors"]) for r in load] == [
        (100.0, 200, 0),
        (250.0, 500, 0),
        (500.0, 1000, 0),
    ]
    assert (tmp_path / "load.png").read_bytes()[:4] == b"\x89PNG"
    table = (tmp_path / "bench.md").read_text()
    assert "### HTTP load (POST /v1/ncpdp)" in table
    assert json.loads((tmp_path / "bench.json").read_text())["load"] == load


class Echo(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def do_POST(self) -> None:
        body = self.rfile.read(int(self.headers["Content-Length"]))
        self.send_response(200)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args: object) -> None:
        """Quiet."""


def test_quick_mode_deselects_the_slow_cases_and_keeps_the_selection(tmp_path: Path) -> None:
    command = pytest_command([Path("benchmarks/test_codec.py")], tmp_path, True, "parse")
    k = command[command.index("-k") + 1]
    assert k == f"({QUICK_DESELECT}) and (parse)"
    assert "--benchmark-only" in command
    assert f"--junitxml={tmp_path / 'junit.xml'}" in command
    assert "-k" not in pytest_command([], tmp_path, False, None)


def test_the_store_suite_needs_a_reachable_redis(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    for name in ("test_codec.py", "test_store.py", "helper.py"):
        (tmp_path / name).write_text("")
    monkeypatch.setenv("RXADJ_REDIS_URL", "redis://127.0.0.1:9/0")
    found, notes = suites(tmp_path)
    assert [p.name for p in found] == ["test_codec.py"]
    (note,) = notes
    assert note.startswith("test_store.py not run: Redis at 127.0.0.1:9 is not reachable")
    assert redis_unreachable("redis://127.0.0.1:9") is not None


def _raw(tmp_path: Path) -> Path:
    def bench(name: str, median: float, extra: dict[str, object]) -> dict[str, object]:
        return {
            "fullname": f"benchmarks/test_engines.py::{name}",
            "name": name,
            "group": "edit evaluation per claim",
            "stats": {"median": median, "mean": median * 1.1, "ops": 1 / median, "rounds": 50},
            "extra_info": extra,
        }

    common = {"python_kib": 100.0, "rss_mib": 1.5, "error": None, "failures": 0}
    data = {
        "benchmarks": [
            bench(
                "test_edit_evaluation[rxadj-1000]",
                1e-4,
                {"engine": "rxadj", "rules": 1000, "status": "ok", **common},
            ),
            bench(
                "test_edit_evaluation[durable_rules-1000]",
                5e-4,
                {
                    **common,
                    "engine": "durable_rules",
                    "rules": 1000,
                    "status": "fails on some claims",
                    "failures": 2,
                    "error": "error 303",
                },
            ),
        ]
    }
    path = tmp_path / "raw.json"
    path.write_text(json.dumps(data))
    return path


def _junit(tmp_path: Path) -> Path:
    path = tmp_path / "junit.xml"
    path.write_text(
        '<testsuites><testsuite name="pytest">'
        '<testcase classname="benchmarks.test_engines" name="test_edit_evaluation[rxadj-1000]"/>'
        '<testcase classname="benchmarks.test_engines"'
        ' name="test_edit_evaluation[zen-engine-1000]">'
        '<failure message="Failed: zen-engine at 1000 rules: crash: SIGSEGV (signal 11)">tb'
        "</failure></testcase></testsuite></testsuites>"
    )
    return path


def test_failures_are_results_in_the_engine_pivot(tmp_path: Path) -> None:
    rows = read_rows(_raw(tmp_path))
    failed = failures(_junit(tmp_path))
    assert failed == [
        (
            "test_engines::test_edit_evaluation[zen-engine-1000]",
            "zen-engine at 1000 rules: crash: SIGSEGV (signal 11)",
        )
    ]
    table = markdown(rows, failed, {"cpus": 2}, ["a note"])
    assert "| rxadj | 100.0 µs, 100 KiB heap, RSS +1.5 MiB |" in table
    assert "| durable_rules | 500.0 µs (5×), 100 KiB heap, RSS +1.5 MiB; **2 claim-phases" in table
    assert "| zen-engine | **crash: SIGSEGV (signal 11)** |" in table
    assert "### Benchmarks that failed (the failure is the result)" in table
    assert table.rstrip().endswith("Note: a note")


def test_times_keep_their_unit() -> None:
    assert time_text(2.5) == "2.50 s"
    assert time_text(0.0123) == "12.30 ms"
    assert time_text(4.2e-6) == "4.20 µs"
    assert time_text(2.05e-7) == "205 ns"
    assert Row("n", "g", 1.0, 1.0, 1.0, 1).extra == {}

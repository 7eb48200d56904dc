"""Reconcile 1,000,000 payments against 1,000,000 open claims, on SQLite and PostgreSQL.

Run from the checkout (not part of the test suite)::

    .venv/bin/python -m benchmarks.recon_bench --rows 1000000 --database sqlite
    .venv/bin/python -m benchmarks.recon_bench --rows 1000000 --database postgres

It creates a scratch database (a SQLite file under /tmp, or a PostgreSQL database
on 127.0.0.1 that it drops afterwards), fills it with ``benchmarks.recon_data``
(not timed), then times one reconciliation run and prints its outcome counts.
"""

from __future__ import annotations

import argparse
import tempfile
import time
import uuid
from pathlib import Path

import psycopg

from benchmarks.recon_data import generate
from engine.reconcile.sql.run import reconcile
from engine.reconcile.tolerance import load_tolerances
from engine.store.sql.database import connect, migrate

_PG = "postgresql://postgres@127.0.0.1:5432/postgres"
_RULES = Path(__file__).resolve().parents[1] / "rules" / "reconciliation"


def _bench(url: str, rows: int) -> None:
    engine = connect(url, writer=True)
    try:
        migrate(engine)
        started = time.perf_counter()
        written = generate(engine, rows)
        print(f"generated {written} in {time.perf_counter() - started:.1f} s (not timed)")
        book = load_tolerances([_RULES])
        started = time.perf_counter()
        last = started

        def step(message: str) -> None:
            nonlocal last
            now = time.perf_counter()
            print(f"  {now - started:6.1f} s (+{now - last:5.1f})  {message}")
            last = now

        with engine.begin() as conn:
            result = reconcile(conn, book, actor="bench", step=step)
            step("committing")
        elapsed = time.perf_counter() - started
        print(f"reconciled {sum(result.counts.values())} payments in {elapsed:.1f} s (committed)")
        for outcome, count in sorted(result.counts.items()):
            print(f"  {outcome:18} {count:>9}")
    finally:
        engine.dispose()


def main() -> None:
    """Parse the arguments and run one benchmark."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--database", choices=("sqlite", "postgres"), default="sqlite")
    args = parser.parse_args()
    if args.database == "sqlite":
        with tempfile.TemporaryDirectory() as directory:
            _bench(f"sqlite:///{Path(directory) / 'recon.sqlite3'}", args.rows)
        return
    name = f"rxadj_bench_{uuid.uuid4().hex[:8]}"
    with psycopg.connect(_PG, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    try:
        _bench(f"{_PG.rsplit('/', 1)[0]}/{name}", args.rows)
    finally:
        with psycopg.connect(_PG, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


if __name__ == "__main__":
    main()

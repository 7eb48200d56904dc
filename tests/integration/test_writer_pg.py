"""The group-commit writer and the bulk INSERT on a real PostgreSQL.

A commit whose connection is lost after COMMIT reached the server is the one case
where the writer cannot know whether a batch is durable. The test puts a small TCP
relay between the writer and PostgreSQL that forwards the second COMMIT and then
cuts the connection before the answer comes back: the rows are committed, the
callers must not be acknowledged, and nothing may be written twice.
"""

from __future__ import annotations

import datetime as dt
import json
import socket
import threading
import time
from urllib.parse import urlsplit

import psycopg
import pytest
from sqlalchemy import (
    JSON,
    BigInteger,
    Column,
    DateTime,
    Integer,
    LargeBinary,
    MetaData,
    String,
    Table,
    insert,
)

from engine.store.base import StoreError, StoreUnavailable
from engine.store.sql.bulk import BulkInsert
from engine.store.sql.database import connect
from engine.store.sql.writer import GroupCommitWriter

META = MetaData()
ROWS = Table(
    "rows",
    META,
    Column("id", BigInteger, primary_key=True, autoincrement=True),
    Column("value", Integer, nullable=False),
    Column("label", String(20), unique=True),
    Column("detail", JSON),
    Column("at", DateTime(timezone=True)),
    Column("raw", LargeBinary),
)


class CommitCutter:
    """Relays TCP to PostgreSQL; after the ``nth`` COMMIT it forwards, cuts that link.

    The server gets the COMMIT and commits; the client never hears the answer.
    """

    def __init__(self, host: str, port: int, nth: int) -> None:
        self.target = (host, port)
        self.nth = nth
        self.commits = 0
        self.cut = threading.Event()
        self.listener = socket.create_server(("127.0.0.1", 0))
        self.port = self.listener.getsockname()[1]
        self._lock = threading.Lock()
        threading.Thread(target=self._accept, daemon=True).start()

    def _accept(self) -> None:
        while True:
            try:
                client, _ = self.listener.accept()
            except OSError:
                return
            server = socket.create_connection(self.target)
            link = {"closed": False}
            threading.Thread(target=self._up, args=(client, server, link), daemon=True).start()
            threading.Thread(target=self._down, args=(server, client, link), daemon=True).start()

    def _up(self, client: socket.socket, server: socket.socket, link: dict) -> None:
        while data := _recv(client):
            cut = False
            if b"COMMIT" in data:
                with self._lock:
                    self.commits += 1
                    cut = self.commits == self.nth
            if cut:
                link["closed"] = True  # the answer to this COMMIT is never relayed
            server.sendall(data)
            if cut:
                time.sleep(0.5)  # the server commits
                client.close()
                server.close()
                self.cut.set()
                return

    def _down(self, server: socket.socket, client: socket.socket, link: dict) -> None:
        while (data := _recv(server)) and not link["closed"]:
            client.sendall(data)

    def close(self) -> None:
        self.listener.close()


def _recv(sock: socket.socket) -> bytes:
    try:
        return sock.recv(65536)
    except OSError:
        return b""


@pytest.fixture
def table_url(pg_url: str) -> str:
    """``pg_url`` with the ``rows`` table created (the database goes with ``pg_url``)."""
    engine = connect(pg_url)
    META.create_all(engine)
    engine.dispose()
    return pg_url


def _stored(url: str) -> list[tuple[int, str | None]]:
    with psycopg.connect(url) as conn:
        return conn.execute("SELECT value, label FROM rows ORDER BY value, id").fetchall()


class Hold:
    """Keeps the writer busy inside one write until released, so others queue behind it."""

    def __init__(self) -> None:
        self.entered = threading.Event()
        self.release = threading.Event()

    def wait_until_others_queue(self, writer: GroupCommitWriter, count: int) -> None:
        deadline = time.monotonic() + 10
        while writer._queue.qsize() < count and time.monotonic() < deadline:
            time.sleep(0.01)
        self.release.set()


def _insert(value: int, hold: Hold | None = None):
    def write(conn):
        if hold is not None:
            hold.entered.set()
            hold.release.wait(10)
        conn.execute(insert(ROWS).values(value=value))
        return [value]

    return write


def test_a_commit_whose_answer_is_lost_is_neither_acknowledged_nor_written_twice(table_url):
    parts = urlsplit(table_url)
    cutter = CommitCutter(parts.hostname or "127.0.0.1", parts.port or 5432, nth=2)
    relayed = table_url.replace(f"{parts.hostname}:{parts.port}", f"127.0.0.1:{cutter.port}")
    engine = connect(relayed, writer=True)
    writer = GroupCommitWriter(engine)
    hold = Hold()
    errors: dict[int, BaseException | None] = {}

    def caller(value: int, hold: Hold | None = None) -> None:
        try:
            writer.submit(_insert(value, hold))
            errors[value] = None
        except StoreError as exc:
            errors[value] = exc

    # value 0 holds the writer (commit 1) while 1, 2 and 3 queue into one batch (commit 2)
    first = threading.Thread(target=caller, args=(0, hold))
    first.start()
    assert hold.entered.wait(10)
    others = [threading.Thread(target=caller, args=(v,)) for v in (1, 2, 3)]
    for thread in others:
        thread.start()
    hold.wait_until_others_queue(writer, 3)
    for thread in [first, *others]:
        thread.join()
    assert cutter.cut.is_set()
    assert errors[0] is None
    for value in (1, 2, 3):
        assert isinstance(errors[value], StoreUnavailable)
        assert "outcome is unknown" in str(errors[value])
    # the batch did commit on the server, once: no retry wrote it again
    assert _stored(table_url) == [(0, None), (1, None), (2, None), (3, None)]
    writer.submit(_insert(4))  # the writer goes on with a new connection
    assert _stored(table_url)[-1] == (4, None)
    writer.close()
    engine.dispose()
    cutter.close()


def test_bulk_insert_returns_ids_in_order_and_keeps_json_exactly(table_url):
    engine = connect(table_url)
    at = dt.datetime(2026, 3, 1, 12, 30, tzinfo=dt.UTC)
    returning = BulkInsert(ROWS, returning="id")
    ignoring = BulkInsert(ROWS, ignore_conflict_on="label")
    with engine.begin() as conn:
        ids = returning.run(
            conn,
            [
                {"value": 30, "label": "c", "detail": {"cents": 1250, "codes": ["75"]}, "at": at},
                {"value": 10, "label": "a", "detail": None, "at": at},
                {"value": 20, "label": "b", "at": at},  # a missing column is NULL
            ],
        )
        # "a" exists: ignored, the other is written; a conflict-ignoring insert returns nothing
        assert ignoring.run(conn, [{"value": 11, "label": "a"}, {"value": 40, "label": "d"}]) == []
    engine.dispose()
    assert len(ids) == 3
    assert ids == sorted(ids)  # one sequence, in parameter order
    with psycopg.connect(table_url) as conn:
        rows = conn.execute("SELECT id, value, label, detail, at FROM rows ORDER BY id").fetchall()
    assert [(r[0], r[1], r[2], r[3]) for r in rows[:3]] == [
        (ids[0], 30, "c", {"cents": 1250, "codes": ["75"]}),
        (ids[1], 10, "a", None),
        (ids[2], 20, "b", None),
    ]
    assert rows[0][4] == at
    assert [(r[1], r[2]) for r in rows[3:]] == [(40, "d")]


def test_bulk_insert_keeps_bytes_strings_and_nulls_exactly(table_url):
    engine = connect(table_url)
    raw = bytes(range(256))  # every byte value, NUL and non-ASCII included
    text = 'O\'Brien "quoted" \\ back\\slash, tab\there, accents éü, emoji 💊'
    with engine.begin() as conn:
        BulkInsert(ROWS).run(
            conn,
            [
                {"value": 1, "label": "raw", "raw": raw, "detail": {"text": text}},
                {"value": 2, "label": text[:20], "raw": b"", "detail": None},
                {"value": 3, "label": None, "raw": None, "detail": [1, None, "x"]},
            ],
        )
    engine.dispose()
    with psycopg.connect(table_url) as conn:
        rows = conn.execute(
            "SELECT value, label, raw, detail IS NULL, detail::text FROM rows ORDER BY value"
        ).fetchall()
    assert rows == [
        (1, "raw", raw, False, '{"text":' + json.dumps(text, ensure_ascii=False) + "}"),
        (2, text[:20], b"", True, None),  # a None JSON value is SQL NULL, not JSON null
        (3, None, None, False, '[1,null,"x"]'),
    ]


def test_bulk_insert_returns_each_rows_key_among_many_and_concurrent_writers(table_url):
    """Ids come back in parameter order even when another transaction draws keys meanwhile."""
    engine = connect(table_url)
    bulk = BulkInsert(ROWS, returning="id")
    values = list(range(500, 0, -1))  # descending: a sort by value would show
    with psycopg.connect(table_url, autocommit=True) as other, engine.begin() as conn:
        other.execute("INSERT INTO rows (value) VALUES (-1)")
        first = bulk.run(conn, [{"value": v} for v in values[:250]])
        other.execute("INSERT INTO rows (value) VALUES (-2)")
        second = bulk.run(conn, [{"value": v} for v in values[250:]])
    engine.dispose()
    with psycopg.connect(table_url) as conn:
        by_id = dict(conn.execute("SELECT id, value FROM rows").fetchall())
    assert [by_id[i] for i in first + second] == values
    assert sorted(v for v in by_id.values() if v < 0) == [-2, -1]


def test_bulk_insert_refuses_returning_keys_of_rows_it_may_skip():
    with pytest.raises(ValueError, match="returns no key"):
        BulkInsert(ROWS, returning="id", ignore_conflict_on="label")


def test_a_failed_row_batch_on_postgres_fails_only_its_caller(table_url):
    engine = connect(table_url, writer=True)
    bulk = BulkInsert(ROWS, returning="id")
    calls: list[int] = []

    def rows(conn, payloads):
        calls.append(len(payloads))
        bulk.run(conn, [{"value": v, "label": f"l{v}"} for p in payloads for v in p])
        return [list(p) for p in payloads]

    writer = GroupCommitWriter(engine)
    hold = Hold()
    payloads = [[n, n + 1000] for n in range(1, 9)] + [[9, 9]]  # label l9 twice: it fails
    errors: list[tuple[int, type]] = []

    def caller(payload: list[int]) -> None:
        try:
            writer.submit_rows(rows, payload)
        except StoreError as exc:
            errors.append((payload[0], type(exc)))

    blocker = threading.Thread(target=lambda: writer.submit(_insert(0, hold)))
    blocker.start()
    assert hold.entered.wait(10)
    threads = [threading.Thread(target=caller, args=(p,)) for p in payloads]
    for thread in threads:
        thread.start()
    hold.wait_until_others_queue(writer, len(payloads))
    for thread in [blocker, *threads]:
        thread.join()
    writer.close()
    engine.dispose()
    assert errors == [(9, StoreError)]
    # the nine payloads went to one call; after it failed, one call each (nine)
    assert calls == [9] + [1] * 9
    expected = [(0, None), *sorted((v, f"l{v}") for n in range(1, 9) for v in (n, n + 1000))]
    assert _stored(table_url) == expected


def test_the_writer_reconnects_when_the_database_dropped_its_connection(table_url):
    engine = connect(table_url, writer=True, pool_pre_ping=False)  # as the ledger's writer
    writer = GroupCommitWriter(engine)
    bulk = BulkInsert(ROWS)

    def rows(conn, payloads):
        bulk.run(conn, [{"value": v} for p in payloads for v in p])
        return [list(p) for p in payloads]

    def drop_connections() -> None:
        with psycopg.connect(table_url, autocommit=True) as admin:
            admin.execute(
                "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                "WHERE datname = current_database() AND pid <> pg_backend_pid()"
            )

    writer.submit(_insert(1))
    drop_connections()  # the pooled connection is dead; a statement finds out
    writer.submit(_insert(2))
    drop_connections()  # the same through the bulk path (psycopg's own executemany)
    writer.submit_rows(rows, [3, 4])
    writer.close()
    engine.dispose()
    assert _stored(table_url) == [(1, None), (2, None), (3, None), (4, None)]

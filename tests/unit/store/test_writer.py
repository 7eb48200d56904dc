"""The group-commit writer on SQLite: one commit for many callers, failures kept apart."""

import threading

import pytest
from sqlalchemy import Column, Integer, MetaData, Table, insert, select

from engine.store.base import StoreError, StoreUnavailable
from engine.store.sql.database import connect, writer_lock_file
from engine.store.sql.writer import GroupCommitWriter, settle, writing_here

META = MetaData()
ROWS = Table("rows", META, Column("id", Integer, primary_key=True))


@pytest.fixture
def engine(tmp_path):
    engine = connect(f"sqlite:///{tmp_path / 'w.sqlite3'}", writer=True)
    META.create_all(engine)
    yield engine
    engine.dispose()


def _insert(value):
    def write(conn):
        conn.execute(insert(ROWS).values(id=value))
        return [value]

    return write


def test_a_bad_write_fails_only_its_caller_and_commits_are_shared(engine):
    confirmed = []
    writer = GroupCommitWriter(engine, on_committed=confirmed.extend)
    errors = []
    values = [*range(1, 19), 7]  # the second id 7 violates the primary key
    start = threading.Barrier(len(values))

    def caller(value):
        start.wait()
        try:
            writer.submit(_insert(value))
        except StoreError as exc:
            errors.append((value, type(exc)))

    threads = [threading.Thread(target=caller, args=(value,)) for value in values]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    writer.close()
    with engine.connect() as conn:
        stored = sorted(conn.execute(select(ROWS.c.id)).scalars())
    assert stored == list(range(1, 19))
    assert errors == [(7, StoreError)]
    assert sorted(confirmed) == list(range(1, 19))
    assert writer.stats.writes == 18


def test_a_write_past_its_lease_is_refused_and_a_closed_writer_refuses_all(engine):
    writer = GroupCommitWriter(engine, lease=-1)
    with pytest.raises(StoreUnavailable, match="not acknowledged"):
        writer.submit(_insert(1))
    writer.close()
    with pytest.raises(StoreUnavailable, match="closed"):
        writer.submit(_insert(2))
    with engine.connect() as conn:
        assert list(conn.execute(select(ROWS.c.id))) == []


def _rows(conn, payloads):
    """A batch write: one executemany for every job's rows; each job hears of its own."""
    conn.execute(insert(ROWS), [{"id": value} for payload in payloads for value in payload])
    return [list(payload) for payload in payloads]


def test_row_jobs_of_a_batch_are_written_together_in_order_and_fail_alone(engine):
    calls = []

    def rows(conn, payloads):
        calls.append(len(payloads))
        return _rows(conn, payloads)

    confirmed = []
    writer = GroupCommitWriter(engine, on_committed=confirmed.extend)
    payloads = [[n, n + 100] for n in range(1, 13)] + [[200, 200]]  # the last fails
    errors = []
    start = threading.Barrier(len(payloads))

    def caller(payload):
        start.wait()
        try:
            writer.submit_rows(rows, payload)
        except StoreError as exc:
            errors.append((payload, type(exc)))

    threads = [threading.Thread(target=caller, args=(p,)) for p in payloads]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    writer.close()
    with engine.connect() as conn:
        stored = sorted(conn.execute(select(ROWS.c.id)).scalars())
    assert stored == sorted(n + k for n in range(1, 13) for k in (0, 100))
    assert errors == [([200, 200], StoreError)]
    assert sorted(confirmed) == stored
    assert max(calls) > 1  # some batch wrote several callers' rows in one call


def _stored(engine):
    with engine.connect() as conn:
        return sorted(conn.execute(select(ROWS.c.id)).scalars())


def test_held_rows_are_written_in_the_callers_thread_in_one_commit(engine):
    confirmed = []
    writers = set()

    def rows(conn, payloads):
        writers.add(threading.current_thread())
        return _rows(conn, payloads)

    writer = GroupCommitWriter(engine, on_committed=confirmed.extend)
    with writing_here() as held:
        for payload in ([1, 2], [3], [3, 4], [5]):  # the third repeats id 3: it fails
            assert writer.submit_rows(rows, payload) == ()
    assert _stored(engine) == []  # nothing before the commit
    held.commit()
    assert writers == {threading.current_thread()}
    assert _stored(engine) == [1, 2, 3, 5]
    assert [held.error(n, n + 1) is None for n in range(4)] == [True, True, False, True]
    assert isinstance(held.error(0, 4), StoreError)
    # one transaction for the batch, then one per job after the failure
    assert (writer.stats.commits, writer.stats.writes) == (3, 3)
    writer.close()
    assert sorted(confirmed) == [1, 2, 3, 5]


def test_a_held_read_commits_its_own_writes_first_and_discarded_jobs_are_not_written(engine):
    writer = GroupCommitWriter(engine)
    with writing_here() as held:
        writer.submit_rows(_rows, [1])
        settle()  # what a ledger read in the same context does first
        assert _stored(engine) == [1]
        start = len(held.jobs)
        writer.submit_rows(_rows, [2])
        held.discard(start)  # its caller failed after queueing it
        writer.submit_rows(_rows, [3])
    held.commit()
    assert _stored(engine) == [1, 3]
    with writing_here() as held:
        writer.submit_rows(_rows, [4])
        writer.close()  # the service stops between adjudicating and committing
        with pytest.raises(StoreUnavailable, match="closed"):
            writer.submit_rows(_rows, [5])
    held.commit()
    assert isinstance(held.error(0, 1), StoreUnavailable)
    assert _stored(engine) == [1, 3]


def test_writers_of_two_engines_take_turns_through_the_lock_file(tmp_path):
    url = f"sqlite:///{tmp_path / 'shared.sqlite3'}"
    engines = [connect(url, writer=True) for _ in range(2)]
    META.create_all(engines[0])
    lock = writer_lock_file(url)
    assert lock == tmp_path / "shared.sqlite3.writer-lock"
    assert writer_lock_file("postgresql://x@127.0.0.1/db") is None
    writers = [GroupCommitWriter(e, lock_file=lock) for e in engines]

    def caller(n):
        writers[n % 2].submit(_insert(n))

    threads = [threading.Thread(target=caller, args=(n,)) for n in range(1, 41)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    for writer in writers:
        writer.close()
    with engines[0].connect() as conn:
        assert sorted(conn.execute(select(ROWS.c.id)).scalars()) == list(range(1, 41))
    for e in engines:
        e.dispose()

"""Real Redis and PostgreSQL on 127.0.0.1 (and SQLite files) for the store tests.

Every test gets its own Redis key prefix and its own PostgreSQL database, and
removes them afterwards; nothing here ever flushes a Redis database. A service
that is not running skips the test locally and fails it under CI=true
(``service_missing`` in tests/conftest.py).
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator

import psycopg
import pytest
import redis

from engine.store.memory import MemoryAccumulatorStore
from engine.store.redis import RedisAccumulatorStore, from_url
from engine.store.redis_admin import RedisAdmin

from conftest import service_missing

REDIS_URL = os.environ.get("RXADJ_TEST_REDIS_URL", "redis://127.0.0.1:6379/0")
PG_ADMIN_URL = os.environ.get("RXADJ_TEST_PG_URL", "postgresql://postgres@127.0.0.1:5432/postgres")


@pytest.fixture(scope="session")
def redis_url() -> str:
    """The Redis server tests use; skipped (or failed under CI) when it is down."""
    client = redis.Redis.from_url(REDIS_URL, socket_connect_timeout=2)
    try:
        client.ping()
    except redis.RedisError as exc:
        service_missing("redis", str(exc))
    finally:
        client.close()
    return REDIS_URL


@pytest.fixture
def redis_prefix(redis_url: str) -> Iterator[str]:
    """A key prefix of this test's own; every key under it is deleted afterwards."""
    prefix = f"rxadj-test-{uuid.uuid4().hex[:12]}"
    yield prefix
    client = from_url(redis_url)
    RedisAdmin(RedisAccumulatorStore(client, prefix)).delete_all()
    client.close()


def make_redis_store(url: str, prefix: str, cache_size: int = 0) -> RedisAccumulatorStore:
    """A built (epoch-marked) store under ``prefix``."""
    store = RedisAccumulatorStore(from_url(url), prefix, cache_size=cache_size)
    RedisAdmin(store).mark_built("test")
    return store


@pytest.fixture
def redis_store(redis_url: str, redis_prefix: str) -> Iterator[RedisAccumulatorStore]:
    """A Redis accumulator store under the test's prefix, no snapshot cache."""
    store = make_redis_store(redis_url, redis_prefix)
    yield store
    store.client.close()


@pytest.fixture(params=["memory", "redis", "redis-cached"])
def any_store(request: pytest.FixtureRequest) -> Iterator[object]:
    """Each accumulator store the contract holds for."""
    if request.param == "memory":
        yield MemoryAccumulatorStore()
        return
    redis_url = request.getfixturevalue("redis_url")
    prefix = request.getfixturevalue("redis_prefix")
    store = make_redis_store(redis_url, prefix, 1000 if request.param == "redis-cached" else 0)
    yield store
    store.client.close()


@pytest.fixture(scope="session")
def pg_server() -> str:
    """The PostgreSQL server tests use; skipped (or failed under CI) when it is down."""
    try:
        with psycopg.connect(PG_ADMIN_URL, connect_timeout=2) as conn:
            conn.execute("SELECT 1")
    except psycopg.Error as exc:
        service_missing("postgresql", str(exc))
    return PG_ADMIN_URL


@pytest.fixture
def pg_url(pg_server: str) -> Iterator[str]:
    """A database of this test's own, dropped afterwards."""
    name = f"rxadj_test_{uuid.uuid4().hex[:12]}"
    with psycopg.connect(pg_server, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    base = pg_server.rsplit("/", 1)[0]
    yield f"{base}/{name}"
    with psycopg.connect(pg_server, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture(params=["sqlite", "postgres"])
def ledger_url(request: pytest.FixtureRequest, tmp_path) -> str:
    """A fresh ledger database URL: a SQLite file, then a PostgreSQL database."""
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'ledger.sqlite3'}"
    return request.getfixturevalue("pg_url")

"""Connecting to the ledger database and bringing its schema up to date.

SQLite (the default, a file) runs in WAL mode with ``synchronous=FULL``, so a
committed claim survives a crash of the process or the machine; a busy timeout
lets several processes share the file. PostgreSQL is reached through psycopg 3.
The schema is owned by the alembic migrations shipped in this package, so an
installed rxadj can create or upgrade its database without the source tree.

The per-claim reads (a claim key's current state, a family) go through ``RawReads``:
statements compiled once, run on pooled DBAPI connections in autocommit. Going
through a SQLAlchemy ``Connection`` costs about 100 µs per read on SQLite and three
round trips on PostgreSQL (pre-ping, the query, the rollback); a raw single-statement
read costs about 13 µs and one round trip. A single statement reads one consistent
snapshot in both databases, so nothing is lost by dropping the explicit transaction.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from importlib import resources
from pathlib import Path
from typing import Any

from alembic import command
from alembic.config import Config
from sqlalchemy import (
    ARRAY,
    Engine,
    Select,
    String,
    bindparam,
    create_engine,
    event,
    func,
    literal_column,
    make_url,
    select,
    true,
)
from sqlalchemy.engine import URL, Dialect
from sqlalchemy.exc import IntegrityError, SQLAlchemyError

from engine.store.base import StoreError, StoreUnavailable

__all__ = [
    "Prepared",
    "RawReads",
    "connect",
    "database_errors",
    "describe_database_error",
    "downgrade",
    "migrate",
    "normalise_url",
    "writer_lock_file",
]

_BUSY_TIMEOUT_MS = 30_000


def normalise_url(url: str) -> URL:
    """The URL with psycopg 3 as PostgreSQL's driver (``postgresql://`` means psycopg)."""
    parsed = make_url(url)
    if parsed.drivername in ("postgresql", "postgres"):
        parsed = parsed.set(drivername="postgresql+psycopg")
    return parsed


def writer_lock_file(url: str) -> Path | None:
    """The file this SQLite database's writers take turns through (None: not a SQLite file)."""
    parsed = normalise_url(url)
    database = parsed.database or ""
    if parsed.get_backend_name() != "sqlite" or database in ("", ":memory:"):
        return None
    if database.startswith("file:"):
        return None
    return Path(f"{database}.writer-lock")


def _sqlite_pragmas(busy_ms: int) -> Any:
    def pragmas(dbapi_connection: Any, _record: Any) -> None:
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA synchronous=FULL")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute(f"PRAGMA busy_timeout={busy_ms}")
        cursor.close()

    return pragmas


def connect(
    url: str, *, writer: bool = False, wait_limit: float | None = None, **options: Any
) -> Engine:
    """An engine for the ledger; a SQLite file's directory is created if missing.

    On SQLite a ``writer`` engine opens its transactions with BEGIN IMMEDIATE: a
    transaction that reads before it writes would otherwise fail at once (instead
    of waiting) when another process committed in between. ``wait_limit`` (seconds)
    bounds how long a statement may wait for a lock (SQLite's busy timeout,
    PostgreSQL's statement_timeout), so that a ledger write refused by its lease
    cannot commit much later either.
    """
    busy_ms = _BUSY_TIMEOUT_MS if wait_limit is None else max(1, int(wait_limit * 1000))
    parsed = normalise_url(url)
    options.setdefault("hide_parameters", True)  # SQL errors quote member data otherwise
    if parsed.get_backend_name() == "sqlite":
        database = parsed.database or ""
        if database and database != ":memory:" and not database.startswith("file:"):
            Path(database).parent.mkdir(parents=True, exist_ok=True)
        options.setdefault("connect_args", {})
        options["connect_args"].setdefault("check_same_thread", False)
        options["connect_args"].setdefault("timeout", busy_ms / 1000)
        options["connect_args"]["isolation_level"] = None
        engine = create_engine(parsed, **options)
        event.listen(engine, "connect", _sqlite_pragmas(busy_ms))
        begin = "BEGIN IMMEDIATE" if writer else "BEGIN"
        event.listen(engine, "begin", lambda conn: conn.exec_driver_sql(begin))
        return engine
    options.setdefault("pool_pre_ping", True)
    if wait_limit is not None:
        options.setdefault("connect_args", {})
        options["connect_args"].setdefault("options", f"-c statement_timeout={busy_ms}")
    return create_engine(parsed, **options)


def _config(engine: Engine) -> Config:
    config = Config()
    config.set_main_option(
        "script_location", str(resources.files("engine.store.sql").joinpath("migrations"))
    )
    config.attributes["engine"] = engine
    return config


def migrate(engine: Engine, revision: str = "head") -> None:
    """Upgrade the schema to ``revision`` (the newest by default); idempotent."""
    command.upgrade(_config(engine), revision)


def downgrade(engine: Engine, revision: str) -> None:
    """Downgrade the schema to ``revision`` (``base`` removes every table)."""
    command.downgrade(_config(engine), revision)


def describe_database_error(exc: BaseException) -> str:
    """A driver error named by its kind, SQLSTATE and constraint, without any value.

    Driver messages quote the rows they refuse (PostgreSQL's "Key (cardholder_id)=(...)
    already exists", a value that is not a number), and these messages reach logs and
    answers, which must never carry member ids, names or dates of birth.
    """
    orig = getattr(exc, "orig", None) or exc
    parts = [type(orig).__name__]
    sqlstate = getattr(orig, "sqlstate", None)
    if sqlstate:
        parts.append(f"SQLSTATE {sqlstate}")
    diag = getattr(orig, "diag", None)
    for name in ("table_name", "constraint_name"):
        value = getattr(diag, name, None) if diag is not None else None
        if value:
            parts.append(f"{name.split('_')[0]} {value}")
    errorname = getattr(orig, "sqlite_errorname", None)
    if errorname:
        parts.append(errorname)
    return ", ".join(parts)


@contextmanager
def database_errors() -> Iterator[None]:
    """Turn driver errors into the store errors the engine knows, naming no value.

    The driver's exception is not chained: its message and parameters would follow
    the store error into tracebacks in the logs.
    """
    try:
        yield
    except IntegrityError as exc:
        raise StoreError(f"the ledger refused a change: {describe_database_error(exc)}") from None
    except SQLAlchemyError as exc:
        raise StoreUnavailable(
            f"the ledger database is unavailable: {describe_database_error(exc)}"
        ) from None


def for_each_key(build: Callable[[Callable[[Any], Any]], Select[Any]], dialect: str) -> Select[Any]:
    """A statement over a list of keys given as the single parameter ``keys``.

    ``build(match)`` makes the statement with ``match(column)`` as its key
    condition. On PostgreSQL the list is an array and the statement runs once per
    element (``unnest`` joined LATERAL, kept apart by ``OFFSET 0`` so the planner
    cannot merge it into one join), so each key is an index lookup whatever the
    planner guesses of the tables: with no statistics (autovacuum off) it guessed
    a sequential scan of the whole ledger per batch. On SQLite the list is a JSON
    array read by ``json_each``. Either way one statement text serves any number of
    keys, so it is prepared once; ``key_list`` gives the parameter.
    """
    if dialect == "postgresql":
        unnest = func.unnest(bindparam("keys", type_=ARRAY(String)))
        keys = unnest.table_valued("key").render_derived(name="k")
        each = build(lambda column: column == keys.c.key).offset(0).lateral("each_key")
        return select(*each.c).select_from(keys.join(each, true()))
    listed = select(literal_column("value")).select_from(func.json_each(bindparam("keys")))
    return build(lambda column: column.in_(listed))


def key_list(keys: Sequence[str], dialect: str) -> Any:
    """The ``keys`` parameter of a ``for_each_key`` statement."""
    return list(keys) if dialect == "postgresql" else json.dumps(list(keys))


class Prepared:
    """A SELECT compiled once for a dialect, with its result processors.

    Parameters are passed to the driver as they are, so they must need no type
    processing (strings and integers); result columns are converted exactly as
    SQLAlchemy would (dates and JSON on SQLite, for example).
    """

    def __init__(self, statement: Select[Any], dialect: Dialect, names: Sequence[str]) -> None:
        compiled = statement.compile(dialect=dialect)
        self.sql = str(compiled)
        self._defaults = compiled.construct_params(dict.fromkeys(names))
        self._positions = compiled.positiontup
        processors: list[Callable[[Any], Any] | None] = [
            column.type.dialect_impl(dialect).result_processor(dialect, None)
            for column in statement.selected_columns
        ]
        self._processors = processors if any(processors) else None

    def parameters(self, values: Mapping[str, Any]) -> Any:
        """The driver's parameters: positional or named, as the dialect wants them."""
        merged = {**self._defaults, **values}
        if self._positions:
            return [merged[name] for name in self._positions]
        return merged

    def row(self, raw: Sequence[Any]) -> tuple[Any, ...]:
        """A result row with every column converted to its Python type."""
        if self._processors is None:
            return tuple(raw)
        return tuple(
            value if process is None or value is None else process(value)
            for process, value in zip(self._processors, raw, strict=True)
        )


class RawReads:
    """Single-statement reads on pooled DBAPI connections in autocommit (module docstring).

    A connection the driver reports as disconnected (a database restart) is dropped
    and the read retried once on a new one; any other driver error is StoreUnavailable.
    """

    def __init__(self, url: str) -> None:
        backend = normalise_url(url).get_backend_name()
        # every request thread may hold one: an overflow connection would be opened
        # (pragmas and all) and closed again on every read
        options: dict[str, Any] = {"pool_reset_on_return": None, "pool_size": 64}
        if backend != "sqlite":
            options["pool_pre_ping"] = False
        self.engine = connect(url, **options)
        if backend != "sqlite":
            event.listen(self.engine, "connect", _autocommit)
        self.dialect = self.engine.dialect

    def prepare(self, statement: Select[Any], *names: str) -> Prepared:
        """Compile ``statement`` for this database; ``names`` are its variable parameters."""
        return Prepared(statement, self.dialect, names)

    def all(self, prepared: Prepared, **values: Any) -> list[tuple[Any, ...]]:
        """Every row of the statement."""
        parameters = prepared.parameters(values)
        for attempt in (1, 2):
            connection = self.engine.raw_connection()
            try:
                cursor = connection.cursor()
                cursor.execute(prepared.sql, parameters)
                rows = cursor.fetchall()
                cursor.close()
            except self.dialect.loaded_dbapi.Error as exc:
                dropped = self.dialect.is_disconnect(exc, connection.dbapi_connection, None)
                if attempt == 1 and dropped:
                    connection.invalidate()
                    continue
                connection.close()
                raise StoreUnavailable(
                    f"the ledger database is unavailable: {describe_database_error(exc)}"
                ) from None
            connection.close()
            return [prepared.row(row) for row in rows]
        raise AssertionError("unreachable")

    def one(self, prepared: Prepared, **values: Any) -> tuple[Any, ...] | None:
        """The first row of the statement, or None."""
        rows = self.all(prepared, **values)
        return rows[0] if rows else None

    def dispose(self) -> None:
        """Close the pooled connections."""
        self.engine.dispose()


def _autocommit(dbapi_connection: Any, _record: Any) -> None:
    dbapi_connection.autocommit = True

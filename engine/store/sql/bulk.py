"""Many-row INSERTs on PostgreSQL through psycopg's own pipelined executemany.

SQLAlchemy hands an executemany INSERT to psycopg as "insertmanyvalues": one
statement with a VALUES tuple per row. Its text changes with the batch size and is
longer than psycopg's statement cache accepts, so psycopg splits every placeholder
of it in Python on every batch: under HTTP load that was most of the ledger
writer's CPU. psycopg's executemany sends one short statement (prepared once per
connection) for every row in a single pipeline — one round trip — and returns the
RETURNING rows in the order of the parameters.

Values go to the driver as they are, so they must already be what the column
holds (``claim_row`` builds plain strings, integers, dates and dicts). JSON
columns are serialised by msgspec: the same JSON values as the standard library
writes (compact, and UTF-8 where it escapes), in an eighth of the time; the
claim's decision and request were a fifth of the ledger writer's work.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import msgspec
import psycopg
from psycopg.types.json import Json
from sqlalchemy import JSON, Connection, Table
from sqlalchemy.exc import DBAPIError

__all__ = ["BulkInsert"]

_JSON = msgspec.json.Encoder().encode


class BulkInsert:
    """An INSERT of every non-key column of ``table``, for many rows at once."""

    def __init__(
        self, table: Table, *, returning: str | None = None, ignore_conflict_on: str | None = None
    ) -> None:
        self.columns = [column.name for column in table.columns if not column.primary_key]
        self._json = {column.name for column in table.columns if isinstance(column.type, JSON)}
        self._table = table
        self._returning = returning
        self._conflict = ignore_conflict_on
        self._sql: str | None = None

    def _statement(self, conn: Connection) -> str:
        if self._sql is None:
            quote = conn.dialect.identifier_preparer.quote
            sql = (
                f"INSERT INTO {quote(self._table.name)} "
                f"({', '.join(quote(name) for name in self.columns)}) "
                f"VALUES ({', '.join(['%s'] * len(self.columns))})"
            )
            if self._conflict is not None:
                sql += f" ON CONFLICT ({quote(self._conflict)}) DO NOTHING"
            if self._returning is not None:
                sql += f" RETURNING {quote(self._returning)}"
            self._sql = sql
        return self._sql

    def _parameters(self, row: Mapping[str, Any]) -> tuple[Any, ...]:
        return tuple(
            Json(row.get(name), dumps=_JSON)
            if name in self._json and row.get(name) is not None
            else row.get(name)
            for name in self.columns
        )

    def run(self, conn: Connection, rows: Sequence[Mapping[str, Any]]) -> list[Any]:
        """Insert ``rows`` in ``conn``'s transaction; the RETURNING value of each, in order.

        Without ``returning`` the answer is empty. ``conn`` must be a PostgreSQL
        (psycopg 3) connection.
        """
        if not rows:
            return []
        raw = conn.connection.driver_connection
        assert raw is not None
        params = [self._parameters(row) for row in rows]
        sql = self._statement(conn)
        try:
            with raw.cursor() as cursor:
                cursor.executemany(sql, params, returning=self._returning is not None)
                if self._returning is None:
                    return []
                values: list[Any] = []
                while True:
                    row = cursor.fetchone()
                    assert row is not None
                    values.append(row[0])
                    if not cursor.nextset():
                        break
        except psycopg.Error as exc:
            # what SQLAlchemy does with a driver error: its own exception class
            # (IntegrityError...), and a dead connection invalidated, not pooled again
            if raw.broken:
                conn.invalidate(exc)
            raise DBAPIError.instance(
                sql, None, exc, psycopg.Error, connection_invalidated=raw.broken
            ) from exc
        return values

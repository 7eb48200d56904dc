"""Many-row INSERTs on PostgreSQL as one statement with one JSON parameter.

SQLAlchemy hands an executemany INSERT to psycopg as "insertmanyvalues": one
statement with a VALUES tuple per row, whose text changes with the batch size and
outgrows psycopg's statement cache, so psycopg splits every placeholder of it in
Python on every batch. psycopg's own pipelined executemany (what this module did
before) still binds every value of every row in Python: 45-53 µs of client CPU per
ledger row on this host. Here the whole batch is one JSON array, written by msgspec
in C, and one prepared statement unpacks it on the server with
``json_to_recordset``: 12-14 µs of client CPU per row, for about 10 µs more of the
server's (measured on 32 real ledger rows at a time).

Rows go in as they are, so their values must be what msgspec writes as the
column's JSON: strings, integers, dates and aware datetimes (ISO 8601), enums by
value, dicts and lists for JSON columns (kept as the same compact JSON text the
driver wrote before), bytes for binary columns (base64, decoded by the statement).
A missing key and None are both NULL: ``json_to_recordset`` turns a JSON null into
an SQL NULL whatever the column's type.

RETURNING values come back in the order of the rows: the statement inserts the
rows ORDER BY their position in the array, so the table's serial key is drawn in
that order, and the returned keys are sorted. This is the form SQLAlchemy's own
"insertmanyvalues" uses on PostgreSQL to return serial keys in parameter order.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import msgspec
import psycopg
from sqlalchemy import Connection, LargeBinary, Table
from sqlalchemy.exc import DBAPIError

__all__ = ["BulkInsert"]

_JSON = msgspec.json.Encoder()


class BulkInsert:
    """An INSERT of every non-key column of ``table``, for many rows at once.

    ``returning`` names the table's serial key (the module docstring says why its
    values come back in order); a conflict-ignoring insert returns nothing.
    """

    def __init__(
        self, table: Table, *, returning: str | None = None, ignore_conflict_on: str | None = None
    ) -> None:
        if returning is not None and ignore_conflict_on is not None:
            raise ValueError("a conflict-ignoring insert returns no key for the rows it skips")
        self._written = [column for column in table.columns if not column.primary_key]
        self.columns = [column.name for column in self._written]
        self._table = table
        self._returning = returning
        self._conflict = ignore_conflict_on
        self._sql: str | None = None

    def _statement(self, conn: Connection) -> str:
        if self._sql is None:
            quote = conn.dialect.identifier_preparer.quote
            names = [quote(name) for name in self.columns]
            fields: list[str] = []
            values: list[str] = []
            for column, name in zip(self._written, names, strict=True):
                if isinstance(column.type, LargeBinary):
                    fields.append(f"{name} text")
                    values.append(f"decode(r.{name}, 'base64')")
                else:
                    fields.append(f"{name} {column.type.compile(dialect=conn.dialect)}")
                    values.append(f"r.{name}")
            sql = (
                f"INSERT INTO {quote(self._table.name)} ({', '.join(names)}) "
                f"SELECT {', '.join(values)} "
                f"FROM ROWS FROM (json_to_recordset(%s::json) AS ({', '.join(fields)})) "
                f"WITH ORDINALITY AS r({', '.join(names)}, position) ORDER BY r.position"
            )
            if self._conflict is not None:
                sql += f" ON CONFLICT ({quote(self._conflict)}) DO NOTHING"
            if self._returning is not None:
                sql += f" RETURNING {quote(self._returning)}"
            self._sql = sql
        return self._sql

    def run(self, conn: Connection, rows: Sequence[Mapping[str, Any]]) -> list[Any]:
        """Insert ``rows`` in ``conn``'s transaction; the RETURNING value of each, in order.

        Without ``returning`` the answer is empty. ``conn`` must be a PostgreSQL
        (psycopg 3) connection. A value msgspec cannot write raises TypeError before
        anything is sent.
        """
        if not rows:
            return []
        raw = conn.connection.driver_connection
        assert raw is not None
        sql = self._statement(conn)
        document = _JSON.encode(rows).decode()
        try:
            with raw.cursor() as cursor:
                cursor.execute(sql, (document,))
                if self._returning is None:
                    return []
                return sorted(row[0] for row in cursor.fetchall())
        except psycopg.Error as exc:
            # what SQLAlchemy does with a driver error: its own exception class
            # (IntegrityError...), and a dead connection invalidated, not pooled again
            if raw.broken:
                conn.invalidate(exc)
            raise DBAPIError.instance(
                sql, None, exc, psycopg.Error, connection_invalidated=raw.broken
            ) from exc

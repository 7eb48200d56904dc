"""The SQL ledger (sqlmodel on SQLite or PostgreSQL): claims, accumulator rows, members."""

from engine.store.sql.database import connect, migrate
from engine.store.sql.ledger import SqlLedger
from engine.store.sql.members import SqlMemberDirectory
from engine.store.sql.priorauth import SqlPriorAuthStore

__all__ = ["SqlLedger", "SqlMemberDirectory", "SqlPriorAuthStore", "connect", "migrate"]

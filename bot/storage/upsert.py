"""Dialect-specific INSERT that supports ON CONFLICT on both SQLite and PostgreSQL."""

from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy.dialects import postgresql, sqlite

Upsert = postgresql.Insert | sqlite.Insert


def insert(dialect_name: str, table: sa.Table) -> Upsert:
    """Return an INSERT for `table` with `on_conflict_do_nothing` / `on_conflict_do_update` methods."""
    if dialect_name == "postgresql":
        return postgresql.insert(table)
    if dialect_name == "sqlite":
        return sqlite.insert(table)
    raise ValueError(f"unsupported database dialect {dialect_name!r}")

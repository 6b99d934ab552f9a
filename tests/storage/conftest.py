"""Storage tests use the shared database fixtures."""

from tests.dbfixtures import db_url, storage

__all__ = ["db_url", "storage"]

"""The audit store's table layout and its version (SQLite ``user_version``), with the migration
that brings a file to it. This is the store's layout, not the report's SCHEMA_VERSION."""

from __future__ import annotations

import sqlite3

from .records import AUDIT_FIELDS

#: Bumped, with a step in :func:`migrate`, whenever the table layout changes.
STORE_VERSION = 2
# Version 2: the Test access columns (records.py), NULL in older records.
_ACCESS_TEST_COLUMNS = ("access_target", "access_permission", "access_status", "grantee_type")

COLUMNS = ", ".join(AUDIT_FIELDS)
INSERT_SQL = f"INSERT INTO audit ({COLUMNS}) VALUES ({', '.join('?' for _ in AUDIT_FIELDS)})"


class UnusableDatabase(Exception):
    """The file is not a database this extension can use (corrupt, or of a newer layout)."""


def migrate(conn: sqlite3.Connection) -> None:
    """Brings the file's layout to STORE_VERSION; UnusableDatabase for a newer one."""
    version = conn.execute("PRAGMA user_version").fetchone()[0]
    if version == STORE_VERSION:
        return
    if version > STORE_VERSION:
        raise UnusableDatabase(
            f"schema version {version} is newer than this extension's {STORE_VERSION}"
        )
    # IMMEDIATE takes the write lock first, so of several processes opening a new file
    # at once exactly one creates the schema; the others then see the new version.
    conn.execute("BEGIN IMMEDIATE")
    try:
        version = conn.execute("PRAGMA user_version").fetchone()[0]
        if version == 0:
            conn.execute(
                """
                CREATE TABLE IF NOT EXISTS audit (
                    id INTEGER PRIMARY KEY AUTOINCREMENT,  -- insertion order, never reused
                    at TEXT NOT NULL,
                    event TEXT NOT NULL,
                    kernel_id TEXT,
                    kernel_name TEXT,
                    session_path TEXT,
                    verdict TEXT,
                    user_id TEXT,
                    user_name TEXT,
                    caller_arn TEXT,
                    access_key_id TEXT,
                    credential_source TEXT
                )
                """
            )
            # Serves newest-first paging, `before` and pruning by age; the rowid `id`
            # is implicitly part of the index, so ties need no extra sort.
            conn.execute("CREATE INDEX IF NOT EXISTS audit_at ON audit (at)")
            version = 1
        if version == 1:
            for column in _ACCESS_TEST_COLUMNS:
                conn.execute(f"ALTER TABLE audit ADD COLUMN {column} TEXT")
            conn.execute(f"PRAGMA user_version = {STORE_VERSION}")
        conn.execute("COMMIT")
    except BaseException:
        if conn.in_transaction:
            conn.execute("ROLLBACK")
        raise

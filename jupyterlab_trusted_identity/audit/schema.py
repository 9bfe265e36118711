"""The audit store's table layout and its version (SQLite ``user_version``), with the migration
that brings a file to it. This is the store's layout, not the report's SCHEMA_VERSION."""

from __future__ import annotations

import sqlite3

from .records import AUDIT_FIELDS

#: Bumped, with a step in :func:`migrate`, whenever the table layout changes.
STORE_VERSION = 3
# Version 2: the Test access columns (records.py), NULL in older records.
_ACCESS_TEST_COLUMNS = ("access_target", "access_permission", "access_status", "grantee_type")
# Version 3: the outbox of the CloudWatch Logs forwarding (outbox.py). `record_id` names a
# record wherever it travels (the event's id to deduplicate on: delivery is at-least-once);
# `forwarded` is PENDING until CloudWatch Logs has accepted it (outbox.py names the marks).
# Records of older files get ids too and are pending: turned on, forwarding sends what the
# store holds, as far back as CloudWatch Logs accepts events.
_NEW_RECORD_ID = "lower(hex(randomblob(16)))"

COLUMNS = ", ".join(AUDIT_FIELDS)
# 128 random bits from SQLite itself, so every writer of the file (any process, any thread)
# names its records the same way without a read first.
INSERT_SQL = (
    f"INSERT INTO audit ({COLUMNS}, record_id) "
    f"VALUES ({', '.join('?' for _ in AUDIT_FIELDS)}, {_NEW_RECORD_ID})"
)


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
            version = 2
        if version == 2:
            conn.execute("ALTER TABLE audit ADD COLUMN record_id TEXT")
            conn.execute("ALTER TABLE audit ADD COLUMN forwarded INTEGER NOT NULL DEFAULT 0")
            conn.execute(f"UPDATE audit SET record_id = {_NEW_RECORD_ID} WHERE record_id IS NULL")
            # The outbox in time order, holding only what is still to send: with forwarding
            # on, a round reads its pages without touching the records already sent.
            conn.execute(
                "CREATE INDEX IF NOT EXISTS audit_outbox ON audit (at, id) WHERE forwarded = 0"
            )
        conn.execute(f"PRAGMA user_version = {STORE_VERSION}")
        conn.execute("COMMIT")
    except BaseException:
        if conn.in_transaction:
            conn.execute("ROLLBACK")
        raise

"""The audit store as the durable outbox of the CloudWatch Logs forwarding: the records still to
send, read in pages in time order, and their marks (store version 3, schema.py).

A record is marked only after CloudWatch Logs answered for it, so a process killed at any point
sends it again at the next start: delivery is at-least-once, and each event carries the record's
``record_id`` to deduplicate on.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from .records import AUDIT_FIELDS

#: Still to send (every record starts so, forwarding on or off).
PENDING = 0
#: CloudWatch Logs accepted it.
FORWARDED = 1
#: CloudWatch Logs no longer takes it (older than it accepts, or than the group's retention):
#: never sendable, so it no longer holds the outbox up; counted in the forwarding status.
EXPIRED = 2

_PAGE_SQL = (
    f"SELECT id, record_id, {', '.join(AUDIT_FIELDS)} FROM audit "
    "WHERE forwarded = 0 AND (at > ? OR (at = ? AND id > ?)) "
    "ORDER BY at, id LIMIT ?"
)
# Several statements per transaction, never one per record: a page of marks is one commit.
_MARK_SQL = "UPDATE audit SET forwarded = ? WHERE id = ? AND forwarded = 0"


@dataclass(frozen=True)
class OutboxRow:
    """A pending record: its place in the store (``id``), its stable id and its fields."""

    id: int
    record_id: str
    record: dict[str, Any]

    @property
    def key(self) -> tuple[str, int]:
        """Its place in the outbox's order (time, then insertion)."""
        return (self.record["at"], self.id)


#: Before every pending record.
START: tuple[str, int] = ("", 0)


def page(conn: sqlite3.Connection, after: tuple[str, int], limit: int) -> list[OutboxRow]:
    """Up to ``limit`` pending records after ``after`` (a row's key, or START), oldest first."""
    at, row_id = after
    rows = conn.execute(_PAGE_SQL, (at, at, row_id, limit)).fetchall()
    return [
        OutboxRow(row[0], row[1], dict(zip(AUDIT_FIELDS, row[2:], strict=True))) for row in rows
    ]


def mark(conn: sqlite3.Connection, ids: Sequence[int], value: int) -> int:
    """Marks the pending records ``ids`` with ``value`` in one transaction; how many changed
    (a record pruned meanwhile is simply gone)."""
    if not ids:
        return 0
    conn.execute("BEGIN IMMEDIATE")
    try:
        changed = 0
        for row_id in ids:
            changed += conn.execute(_MARK_SQL, (value, row_id)).rowcount
        conn.execute("COMMIT")
    except BaseException:
        if conn.in_transaction:
            conn.execute("ROLLBACK")
        raise
    return changed


def pending_count(conn: sqlite3.Connection) -> int:
    """How many records are still to send (served by the outbox index alone)."""
    return conn.execute("SELECT count(*) FROM audit WHERE forwarded = 0").fetchone()[0]

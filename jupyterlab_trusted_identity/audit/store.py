"""AuditStore: the records in a SQLite file, bounded in size and shared by threads and
processes; DisabledAuditStore when auditing is off; open_audit_store picks one for a path."""

from __future__ import annotations

import logging
import os
import sqlite3
import threading
from collections.abc import Mapping
from datetime import UTC, datetime, timedelta
from types import TracebackType
from typing import Any, Self

from jupyter_core.paths import jupyter_data_dir

from . import outbox
from .database import move_aside, open_database
from .records import AUDIT_FIELDS, format_time, stored_record
from .schema import COLUMNS, INSERT_SQL, UnusableDatabase

#: How many appends (per store) between two automatic prunes.
PRUNE_EVERY = 500


class _Closing:
    """`with store:` closes the store."""

    def close(self) -> None:
        raise NotImplementedError

    def __enter__(self) -> Self:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()


class AuditStore(_Closing):
    """The audit records of this server, in a SQLite file at ``path``.

    ``max_records`` and ``retention_days`` bound the file; a value ``<= 0`` disables that
    bound. Thread-safe; for use from the event loop, wrap it in :class:`AsyncAudit`.
    """

    enabled = True

    def __init__(
        self,
        path: str | os.PathLike[str],
        *,
        max_records: int = 100_000,
        retention_days: float = 90,
        log: logging.Logger | None = None,
    ) -> None:
        self.path = os.fspath(path)
        self.max_records = max_records
        self.retention_days = retention_days
        self.log = log or logging.getLogger(__package__)
        self._lock = threading.Lock()
        self._appends_since_prune = 0
        self._conn: sqlite3.Connection | None = None

        parent = os.path.dirname(os.path.abspath(self.path))
        # The records name users, roles and sessions: readable by the owner only.
        os.makedirs(parent, mode=0o700, exist_ok=True)
        try:
            self._conn = open_database(self.path, self.log)
        except UnusableDatabase as error:
            moved = move_aside(self.path)
            self.log.warning(
                "The audit file %s is not a usable SQLite database (%s); moved it to %s "
                "and started a new audit store.",
                self.path,
                error,
                moved,
            )
            self._conn = open_database(self.path, self.log)
        try:
            self.prune()
        except sqlite3.OperationalError as error:  # e.g. another process kept the lock
            self.log.warning("Could not prune the audit file %s: %s", self.path, error)

    # -- records ---------------------------------------------------------------------------

    def _connection(self) -> sqlite3.Connection:
        if self._conn is None:
            raise RuntimeError(f"the audit store {self.path} is closed")
        return self._conn

    def append(self, record: Mapping[str, Any]) -> dict[str, str | None]:
        """Writes one record and returns it as stored; ``ValueError`` (nothing written) for
        an unknown ``event`` or a malformed ``at``."""
        row = stored_record(record)
        with self._lock:
            conn = self._connection()
            conn.execute(INSERT_SQL, tuple(row[field] for field in AUDIT_FIELDS))
            self._appends_since_prune += 1
            if self._appends_since_prune >= PRUNE_EVERY:
                try:
                    self._prune_locked(conn)
                except sqlite3.OperationalError as error:
                    # The record is committed; a prune that lost a lock race waits for the
                    # next round rather than failing the append.
                    self.log.warning("Could not prune the audit file %s: %s", self.path, error)
        return row

    def query(self, *, limit: int = 100, before: datetime | None = None) -> list[dict[str, Any]]:
        """Up to ``limit`` records, newest first (same ``at``: last inserted first), all
        strictly older than ``before`` when it is given (naive means UTC)."""
        if limit < 0:
            raise ValueError("limit must not be negative")
        sql = f"SELECT {COLUMNS} FROM audit"
        params: list[Any] = []
        if before is not None:
            if before.tzinfo is None:
                before = before.replace(tzinfo=UTC)
            # Stored times are whole milliseconds: a record at .123 is before .1234, so round
            # a finer bound up to the next millisecond instead of truncating it.
            if before.microsecond % 1000:
                try:
                    before += timedelta(microseconds=1000 - before.microsecond % 1000)
                except OverflowError:  # within the last millisecond of year 9999: no bound
                    before = None
            if before is not None:
                sql += " WHERE at < ?"
                params.append(format_time(before))
        sql += " ORDER BY at DESC, id DESC LIMIT ?"
        params.append(limit)
        with self._lock:
            rows = self._connection().execute(sql, params).fetchall()
        return [dict(zip(AUDIT_FIELDS, row, strict=True)) for row in rows]

    # -- the outbox of the CloudWatch Logs forwarding (outbox.py) ---------------------------------

    def outbox_page(self, after: tuple[str, int], limit: int) -> list[outbox.OutboxRow]:
        """Up to ``limit`` records still to forward after ``after``, oldest first."""
        with self._lock:
            return outbox.page(self._connection(), after, limit)

    def mark_outbox(self, ids: list[int], value: int) -> int:
        """Marks records forwarded (or expired); how many were still pending."""
        with self._lock:
            return outbox.mark(self._connection(), ids, value)

    def outbox_pending(self) -> int:
        with self._lock:
            return outbox.pending_count(self._connection())

    def prune(self) -> int:
        """Deletes records older than ``retention_days`` and beyond the newest
        ``max_records``; returns how many were deleted."""
        with self._lock:
            return self._prune_locked(self._connection())

    def _prune_locked(self, conn: sqlite3.Connection) -> int:
        self._appends_since_prune = 0
        deleted = 0
        conn.execute("BEGIN IMMEDIATE")
        try:
            if self.retention_days and self.retention_days > 0:
                cutoff = datetime.now(UTC) - timedelta(days=self.retention_days)
                deleted += conn.execute(
                    "DELETE FROM audit WHERE at < ?", (format_time(cutoff),)
                ).rowcount
            if self.max_records and self.max_records > 0:
                deleted += conn.execute(
                    "DELETE FROM audit WHERE id IN ("
                    " SELECT id FROM audit ORDER BY at DESC, id DESC LIMIT -1 OFFSET ?)",
                    (self.max_records,),
                ).rowcount
            conn.execute("COMMIT")
        except BaseException:
            if conn.in_transaction:
                conn.execute("ROLLBACK")
            raise
        if deleted:
            self.log.debug("Pruned %d audit records from %s.", deleted, self.path)
        return deleted

    def close(self) -> None:
        """Closes the connection (idempotent); later calls raise ``RuntimeError``."""
        with self._lock:
            if self._conn is not None:
                self._conn.close()
                self._conn = None


class DisabledAuditStore(_Closing):
    """Stands in for :class:`AuditStore` when auditing is off (``audit_path = ""``).

    ``append`` still validates and returns the record, so a caller's mistake shows up
    whether or not auditing is on; nothing is ever written.
    """

    enabled = False
    path = ""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        pass

    def append(self, record: Mapping[str, Any]) -> dict[str, str | None]:
        return stored_record(record)

    def query(self, *, limit: int = 100, before: datetime | None = None) -> list[dict[str, Any]]:
        return []

    def prune(self) -> int:
        return 0

    def close(self) -> None:
        pass


def open_audit_store(
    path: str | os.PathLike[str],
    *,
    log: logging.Logger | None = None,
    **kwargs: Any,
) -> AuditStore | DisabledAuditStore:
    """The store for a configured path: disabled for ``""``, and also (with a warning) when
    the file cannot be opened at all, e.g. an unwritable directory, so the server starts."""
    if os.fspath(path) == "":
        return DisabledAuditStore()
    try:
        return AuditStore(path, log=log, **kwargs)
    except (OSError, sqlite3.Error, UnusableDatabase) as error:
        (log or logging.getLogger(__package__)).warning(
            "Auditing is off: the audit file %s cannot be opened (%s).", os.fspath(path), error
        )
        return DisabledAuditStore()


def default_audit_path() -> str:
    """``<Jupyter data dir>/trusted_identity/audit.sqlite3``; on Studio the data dir is on
    the space's persistent home volume, so records outlive the app."""
    return os.path.join(jupyter_data_dir(), "trusted_identity", "audit.sqlite3")

"""Audit store: one record per kernel launch, kernel restart and explicit check.

The records answer "which identity did this kernel run with, and was it propagated?" after
the fact, so they must survive a server restart and an abrupt kill (SageMaker Studio stops
spaces without warning). They live in a small SQLite file (stdlib ``sqlite3`` only):

* WAL journal with ``synchronous=NORMAL``: a committed transaction survives a process kill;
* one connection per store, every access serialized by a lock, so the store can be shared
  by the tornado thread pool and by :class:`AsyncAudit`'s worker;
* several processes may write the same file; ``busy_timeout`` makes them wait for each other;
* bounded size: records older than ``retention_days`` and beyond ``max_records`` are pruned;
* a file that is not a usable SQLite database is moved aside and a fresh store is started,
  because the server must never fail to start because of its audit file.

Records hold only the fields of :data:`AUDIT_FIELDS`; anything else a caller passes is
dropped, and the access key id is masked again before it is written, so no credential can
reach the file by mistake.
"""

from __future__ import annotations

import asyncio
import concurrent.futures
import contextlib
import csv
import functools
import io
import logging
import os
import sqlite3
import stat
import threading
from collections.abc import Iterable, Mapping
from datetime import UTC, datetime, timedelta
from types import TracebackType
from typing import Any, Self

from jupyter_core.paths import jupyter_data_dir

from .engine.masking import mask_access_key

__all__ = [
    "AUDIT_EVENTS",
    "AUDIT_FIELDS",
    "AsyncAudit",
    "AuditStore",
    "DisabledAuditStore",
    "default_audit_path",
    "format_time",
    "open_audit_store",
    "records_to_csv",
]

#: The fields of a record, in the order of the REST contract and of the CSV columns.
AUDIT_FIELDS: tuple[str, ...] = (
    "at",
    "event",
    "kernel_id",
    "kernel_name",
    "session_path",
    "verdict",
    "user_id",
    "user_name",
    "caller_arn",
    "access_key_id",
    "credential_source",
)

AUDIT_EVENTS: frozenset[str] = frozenset({"kernel_started", "kernel_restarted", "checked"})

#: The audit store's table layout (SQLite user_version), not the report's schema: bumped, with
#: a migration in ``AuditStore._migrate``, whenever the table layout changes.
STORE_VERSION = 1

#: How many appends (per store) between two automatic prunes.
PRUNE_EVERY = 500

# Writers of other processes hold the write lock only for one short insert, so waiting is
# always better than failing; the wait happens off the event loop (see AsyncAudit).
BUSY_TIMEOUT_MS = 10_000

# No field the server writes comes close; the cap only keeps a misbehaving caller from
# filling the disk through one record.
MAX_VALUE_CHARS = 4096

# SQLite primary result codes meaning "this file is not a usable database".
_SQLITE_CORRUPT = 11
_SQLITE_NOTADB = 26

_VALUE_COLUMNS = AUDIT_FIELDS[1:]  # every field but `at`, which is NOT NULL and indexed
_SELECT_COLUMNS = ", ".join(AUDIT_FIELDS)
_INSERT_SQL = (
    f"INSERT INTO audit ({_SELECT_COLUMNS}) VALUES ({', '.join('?' for _ in AUDIT_FIELDS)})"
)


def format_time(value: datetime) -> str:
    """ISO 8601 in UTC with millisecond precision and a ``Z``; naive times are taken as UTC.

    Every stored ``at`` has this fixed-width form, so text order is time order and the
    index on ``at`` serves both sorting and ``before``.
    """
    if value.tzinfo is None:
        value = value.replace(tzinfo=UTC)
    value = value.astimezone(UTC)
    return (
        f"{value.year:04d}-{value.month:02d}-{value.day:02d}T"
        f"{value.hour:02d}:{value.minute:02d}:{value.second:02d}."
        f"{value.microsecond // 1000:03d}Z"
    )


def _parse_time(value: Any) -> datetime:
    if isinstance(value, datetime):
        return value
    if isinstance(value, str):
        try:
            return datetime.fromisoformat(value.strip())  # accepts `Z` since Python 3.11
        except ValueError:
            pass
    raise ValueError(f"'at' must be an ISO 8601 time or a datetime, not {value!r}")


def _normalize(record: Mapping[str, Any]) -> dict[str, str | None]:
    """The record as it is stored: known fields only, in order, validated, masked."""
    if not isinstance(record, Mapping):
        raise TypeError(f"an audit record must be a mapping, not {type(record).__name__}")
    event = record.get("event")
    if not isinstance(event, str) or event not in AUDIT_EVENTS:
        raise ValueError(f"unknown audit event {event!r}; expected one of {sorted(AUDIT_EVENTS)}")
    at = record.get("at")
    out: dict[str, str | None] = {
        "at": format_time(datetime.now(UTC) if at is None else _parse_time(at))
    }
    for field in _VALUE_COLUMNS:
        value = record.get(field)
        if field == "access_key_id":
            value = mask_access_key(value)
        elif value is not None:
            value = str(value)[:MAX_VALUE_CHARS]
        out[field] = value
    return out


def _is_corruption(error: sqlite3.DatabaseError) -> bool:
    """Whether an error means the file itself is unusable (not e.g. locked or read-only)."""
    code = getattr(error, "sqlite_errorcode", None)
    if code is not None:
        return (code & 0xFF) in (_SQLITE_CORRUPT, _SQLITE_NOTADB)
    message = str(error).lower()
    return "not a database" in message or "malformed" in message


class _CorruptDatabaseError(Exception):
    pass


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
        self.log = log or logging.getLogger(__name__)
        self._lock = threading.Lock()
        self._appends_since_prune = 0
        self._conn: sqlite3.Connection | None = None

        parent = os.path.dirname(os.path.abspath(self.path))
        # The records name users, roles and sessions: readable by the owner only.
        os.makedirs(parent, mode=0o700, exist_ok=True)
        try:
            self._conn = self._open()
        except _CorruptDatabaseError as error:
            moved = self._move_aside()
            self.log.warning(
                "The audit file %s is not a usable SQLite database (%s); moved it to %s "
                "and started a new audit store.",
                self.path,
                error,
                moved,
            )
            self._conn = self._open()
        try:
            self.prune()
        except sqlite3.OperationalError as error:  # e.g. another process kept the lock
            self.log.warning("Could not prune the audit file %s: %s", self.path, error)

    # -- opening -------------------------------------------------------------------------

    def _open(self) -> sqlite3.Connection:
        self._create_private_file()
        # isolation_level=None: autocommit, so each append is one committed transaction and
        # explicit BEGIN IMMEDIATE is used where several statements must be atomic.
        conn = sqlite3.connect(
            self.path,
            timeout=BUSY_TIMEOUT_MS / 1000,
            isolation_level=None,
            check_same_thread=False,  # shared across threads; self._lock serializes it
        )
        try:
            conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
            mode = conn.execute("PRAGMA journal_mode = WAL").fetchone()[0]
            if str(mode).lower() != "wal":
                self.log.warning("The audit file %s could not use WAL (got %s).", self.path, mode)
            # In WAL mode, NORMAL syncs only at checkpoints: a commit has reached the OS when
            # it returns, so it survives the process being killed; only an OS crash or a power
            # loss can undo the last few commits. FULL would fsync on every append for little.
            conn.execute("PRAGMA synchronous = NORMAL")
            check = conn.execute("PRAGMA quick_check").fetchall()
            if check != [("ok",)]:
                raise _CorruptDatabaseError("; ".join(str(row[0]) for row in check[:3]))
            self._migrate(conn)
        except sqlite3.DatabaseError as error:
            conn.close()
            if _is_corruption(error):
                raise _CorruptDatabaseError(str(error)) from error
            raise
        except BaseException:
            conn.close()
            raise
        return conn

    def _create_private_file(self) -> None:
        try:
            fd = os.open(self.path, os.O_RDWR | os.O_CREAT | os.O_EXCL, 0o600)
        except FileExistsError:
            with contextlib.suppress(OSError):  # best effort: the file may not be ours
                mode = os.stat(self.path).st_mode
                if stat.S_ISREG(mode) and mode & 0o077:
                    os.chmod(self.path, 0o600)
        else:
            # SQLite creates its -wal and -shm files with the permissions of this file.
            os.close(fd)

    def _migrate(self, conn: sqlite3.Connection) -> None:
        version = conn.execute("PRAGMA user_version").fetchone()[0]
        if version == STORE_VERSION:
            return
        if version > STORE_VERSION:
            raise _CorruptDatabaseError(
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
                conn.execute(f"PRAGMA user_version = {STORE_VERSION}")
            conn.execute("COMMIT")
        except BaseException:
            if conn.in_transaction:
                conn.execute("ROLLBACK")
            raise

    def _move_aside(self) -> str:
        stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%S%fZ")
        target = f"{self.path}.corrupt-{stamp}"
        n = 1
        while os.path.exists(target):
            target = f"{self.path}.corrupt-{stamp}-{n}"
            n += 1
        os.replace(self.path, target)
        # Keep the WAL with its database: a stale WAL must not be replayed into the new
        # file, and with these names the moved pair can still be opened for inspection.
        for suffix in ("-wal", "-shm"):
            with contextlib.suppress(FileNotFoundError):
                os.replace(self.path + suffix, target + suffix)
        return target

    # -- records ---------------------------------------------------------------------------

    def _connection(self) -> sqlite3.Connection:
        if self._conn is None:
            raise RuntimeError(f"the audit store {self.path} is closed")
        return self._conn

    def append(self, record: Mapping[str, Any]) -> dict[str, str | None]:
        """Writes one record and returns it as stored; ``ValueError`` (nothing written) for
        an unknown ``event`` or a malformed ``at``."""
        row = _normalize(record)
        with self._lock:
            conn = self._connection()
            conn.execute(_INSERT_SQL, tuple(row[field] for field in AUDIT_FIELDS))
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
        sql = f"SELECT {_SELECT_COLUMNS} FROM audit"
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
        return _normalize(record)

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
    except (OSError, sqlite3.Error, _CorruptDatabaseError) as error:
        (log or logging.getLogger(__name__)).warning(
            "Auditing is off: the audit file %s cannot be opened (%s).", os.fspath(path), error
        )
        return DisabledAuditStore()


# Spreadsheets run a cell starting with one of these as a formula (CSV/formula injection);
# kernel names and session paths are user-controlled, so an export opened in Excel could
# otherwise run e.g. =HYPERLINK(...). A leading apostrophe makes the cell plain text.
_FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


def _csv_cell(value: Any) -> str:
    if value is None:
        return ""
    text = str(value)
    return "'" + text if text.startswith(_FORMULA_PREFIXES) else text


def records_to_csv(records: Iterable[Mapping[str, Any]]) -> str:
    """CSV (RFC 4180: CRLF, quotes where needed) with a header row of :data:`AUDIT_FIELDS`."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n", quoting=csv.QUOTE_MINIMAL)
    writer.writerow(AUDIT_FIELDS)
    for record in records:
        writer.writerow([_csv_cell(record.get(field)) for field in AUDIT_FIELDS])
    return buffer.getvalue()


def default_audit_path() -> str:
    """``<Jupyter data dir>/trusted_identity/audit.sqlite3``; on Studio the data dir is on
    the space's persistent home volume, so records outlive the app."""
    return os.path.join(jupyter_data_dir(), "trusted_identity", "audit.sqlite3")


class AsyncAudit:
    """Runs a store's calls on one worker thread, so the tornado event loop never waits for
    the disk (or for another process holding the write lock).

    A single worker also keeps appends in submission order.
    """

    def __init__(self, store: AuditStore | DisabledAuditStore) -> None:
        self.store = store
        self._executor = concurrent.futures.ThreadPoolExecutor(
            max_workers=1, thread_name_prefix="trusted-identity-audit"
        )

    @property
    def enabled(self) -> bool:
        return self.store.enabled

    async def append(self, record: Mapping[str, Any]) -> dict[str, str | None]:
        # Copy now: the caller may mutate its dict while the write is queued.
        snapshot = dict(record)
        loop = asyncio.get_running_loop()
        return await loop.run_in_executor(self._executor, self.store.append, snapshot)

    async def query(
        self, *, limit: int = 100, before: datetime | None = None
    ) -> list[dict[str, Any]]:
        loop = asyncio.get_running_loop()
        call = functools.partial(self.store.query, limit=limit, before=before)
        return await loop.run_in_executor(self._executor, call)

    def close(self) -> None:
        """Waits for queued writes, then closes the store (idempotent). Blocking: call it at
        server shutdown, when losing a queued record matters more than a short wait."""
        self._executor.shutdown(wait=True)
        self.store.close()

"""The audit store's SQLite file: created private, opened for durability (WAL, busy timeout),
checked, migrated, and moved aside when it is not a usable database."""

from __future__ import annotations

import contextlib
import logging
import os
import sqlite3
import stat
from datetime import UTC, datetime

from .schema import UnusableDatabase, migrate

# Writers of other processes hold the write lock only for one short insert, so waiting is
# always better than failing; the wait happens off the event loop (see AsyncAudit).
BUSY_TIMEOUT_MS = 10_000

# SQLite primary result codes meaning "this file is not a usable database".
_SQLITE_CORRUPT = 11
_SQLITE_NOTADB = 26


def _is_corruption(error: sqlite3.DatabaseError) -> bool:
    """Whether an error means the file itself is unusable (not e.g. locked or read-only)."""
    code = getattr(error, "sqlite_errorcode", None)
    if code is not None:
        return (code & 0xFF) in (_SQLITE_CORRUPT, _SQLITE_NOTADB)
    message = str(error).lower()
    return "not a database" in message or "malformed" in message


def open_database(path: str, log: logging.Logger) -> sqlite3.Connection:
    """A connection to the file at `path`, migrated; UnusableDatabase if the file is not a
    database this extension can use."""
    _create_private_file(path)
    # isolation_level=None: autocommit, so each append is one committed transaction and
    # explicit BEGIN IMMEDIATE is used where several statements must be atomic.
    conn = sqlite3.connect(
        path,
        timeout=BUSY_TIMEOUT_MS / 1000,
        isolation_level=None,
        check_same_thread=False,  # shared across threads; the store's lock serializes it
    )
    try:
        conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
        mode = conn.execute("PRAGMA journal_mode = WAL").fetchone()[0]
        if str(mode).lower() != "wal":
            log.warning("The audit file %s could not use WAL (got %s).", path, mode)
        # In WAL mode, NORMAL syncs only at checkpoints: a commit has reached the OS when
        # it returns, so it survives the process being killed; only an OS crash or a power
        # loss can undo the last few commits. FULL would fsync on every append for little.
        conn.execute("PRAGMA synchronous = NORMAL")
        check = conn.execute("PRAGMA quick_check").fetchall()
        if check != [("ok",)]:
            raise UnusableDatabase("; ".join(str(row[0]) for row in check[:3]))
        migrate(conn)
    except sqlite3.DatabaseError as error:
        conn.close()
        if _is_corruption(error):
            raise UnusableDatabase(str(error)) from error
        raise
    except BaseException:
        conn.close()
        raise
    return conn


def _create_private_file(path: str) -> None:
    try:
        fd = os.open(path, os.O_RDWR | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        with contextlib.suppress(OSError):  # best effort: the file may not be ours
            mode = os.stat(path).st_mode
            if stat.S_ISREG(mode) and mode & 0o077:
                os.chmod(path, 0o600)
    else:
        # SQLite creates its -wal and -shm files with the permissions of this file.
        os.close(fd)


def move_aside(path: str) -> str:
    """Renames an unusable file (with its WAL) out of the way; returns where it went."""
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%S%fZ")
    target = f"{path}.corrupt-{stamp}"
    n = 1
    while os.path.exists(target):
        target = f"{path}.corrupt-{stamp}-{n}"
        n += 1
    os.replace(path, target)
    # Keep the WAL with its database: a stale WAL must not be replayed into the new
    # file, and with these names the moved pair can still be opened for inspection.
    for suffix in ("-wal", "-shm"):
        with contextlib.suppress(FileNotFoundError):
            os.replace(path + suffix, target + suffix)
    return target

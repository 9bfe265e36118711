"""Tests of the audit store: real SQLite files in ``tmp_path``, real threads and processes."""

from __future__ import annotations

import asyncio
import concurrent.futures
import csv
import io
import logging
import os
import re
import select
import signal
import sqlite3
import stat
import subprocess
import sys
import threading
import time
from collections import defaultdict
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path

import pytest

from jupyterlab_trusted_identity.audit import (
    AUDIT_FIELDS,
    PRUNE_EVERY,
    STORE_VERSION,
    AsyncAudit,
    AuditStore,
    DisabledAuditStore,
    default_audit_path,
    format_time,
    open_audit_store,
    records_to_csv,
)
from jupyterlab_trusted_identity.engine.masking import mask_access_key

REPO = Path(__file__).resolve().parent.parent
WRITER = Path(__file__).resolve().parent / "audit_writer.py"
AT_RE = re.compile(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z")
FULL_KEY = "ASIAIOSFODNN7EXAMPLE"
SECRET = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"
T0 = datetime(2026, 11, 28, 12, 0, 0, tzinfo=UTC)


def full_record(**overrides: object) -> dict:
    record = {
        "at": "2026-11-28T12:00:00.123Z",
        "event": "kernel_started",
        "kernel_id": "1f0e6a4c-3b8e-4f0e-9a57-2d1c7f9e0b11",
        "kernel_name": "python3",
        "session_path": "notebooks/analysis.ipynb",
        "verdict": "propagated",
        "user_id": "2801d3e0-f0e1-707f-54e8-f558b19f0a10",
        "user_name": "jdoe",
        "caller_arn": "arn:aws:sts::111122223333:assumed-role/SageMakerExec/SageMaker",
        "access_key_id": "ASIA…WXYZ",
        "credential_source": "container-role",
        # Test access's fields (event access_tested only).
        "access_target": None,
        "access_permission": None,
        "access_status": None,
        "grantee_type": None,
    }
    record.update(overrides)
    return record


def at(seconds: float) -> str:
    return (T0 + timedelta(seconds=seconds)).isoformat()


def store_bytes(path: Path) -> bytes:
    """The database and its -wal/-shm files, where any written value would be."""
    return b"".join(p.read_bytes() for p in sorted(path.parent.glob(path.name + "*")))


def count_rows(path: Path) -> int:
    conn = sqlite3.connect(path)
    try:
        return conn.execute("SELECT count(*) FROM audit").fetchone()[0]
    finally:
        conn.close()


# -- records -------------------------------------------------------------------------------


def test_round_trip_keeps_every_field_in_order(tmp_path: Path) -> None:
    path = tmp_path / "audit.sqlite3"
    record = full_record()
    with AuditStore(path) as store:
        stored = store.append(record)
        assert stored == record
        assert list(stored) == list(AUDIT_FIELDS)
    # Reopened: the records survive the store being closed (a server restart).
    with AuditStore(path) as store:
        (got,) = store.query()
    assert got == record
    assert list(got) == list(AUDIT_FIELDS)


def test_missing_values_are_none_and_at_is_filled_in_utc(tmp_path: Path) -> None:
    with AuditStore(tmp_path / "a.sqlite3") as store:
        before = datetime.now(UTC) - timedelta(milliseconds=1)
        stored = store.append({"event": "checked"})
        after = datetime.now(UTC) + timedelta(milliseconds=1)
        assert AT_RE.fullmatch(stored["at"])
        assert before <= datetime.fromisoformat(stored["at"]) <= after
        assert {k: v for k, v in stored.items() if k not in ("at", "event")} == dict.fromkeys(
            AUDIT_FIELDS[2:]
        )
        # A given time in another zone, or with microseconds, is normalized.
        paris = timezone(timedelta(hours=1))
        other = store.append(
            {"event": "checked", "at": datetime(2020, 1, 2, 3, 4, 5, 678901, paris)}
        )
        assert other["at"] == "2020-01-02T02:04:05.678Z"
        assert store.query(limit=1)[0] == stored
        with pytest.raises(ValueError, match="ISO 8601"):
            store.append({"event": "checked", "at": "yesterday"})
        assert len(store.query()) == 2


def test_newest_first_with_ties_in_insertion_order(tmp_path: Path) -> None:
    with AuditStore(tmp_path / "a.sqlite3") as store:
        store.append(full_record(at=at(10), kernel_id="late"))
        store.append(full_record(at=at(0), kernel_id="early"))
        for name in ("tie-1", "tie-2", "tie-3"):
            store.append(full_record(at=at(5), kernel_id=name))
        store.append(full_record(at=at(20), kernel_id="latest"))
        ids = [r["kernel_id"] for r in store.query()]
    assert ids == ["latest", "late", "tie-3", "tie-2", "tie-1", "early"]


def test_before_is_exclusive_and_limit_caps(tmp_path: Path) -> None:
    with AuditStore(tmp_path / "a.sqlite3") as store:
        for i in range(10):
            store.append(full_record(at=at(i), kernel_id=f"k{i}"))

        def ids(**kw: object) -> list[str]:
            return [r["kernel_id"] for r in store.query(**kw)]

        assert ids(before=T0 + timedelta(seconds=5)) == ["k4", "k3", "k2", "k1", "k0"]
        assert ids(before=T0 + timedelta(seconds=5), limit=2) == ["k4", "k3"]
        assert ids(limit=3) == ["k9", "k8", "k7"]
        assert ids(limit=0) == []
        assert ids(before=T0) == []
        # A naive bound is UTC; an aware one in another zone is converted.
        assert ids(before=datetime(2026, 11, 28, 12, 0, 2), limit=1) == ["k1"]
        plus2 = timezone(timedelta(hours=2))
        assert ids(before=datetime(2026, 11, 28, 14, 0, 3, tzinfo=plus2), limit=1) == ["k2"]
        # Stored times are whole milliseconds: .123 is before .1234 but not before .123.
        store.append(full_record(at="2026-11-28T13:00:00.123Z", kernel_id="ms"))
        bound = datetime(2026, 11, 28, 13, 0, 0, 123400, tzinfo=UTC)
        assert ids(before=bound, limit=1) == ["ms"]
        assert ids(before=bound.replace(microsecond=123000), limit=1) == ["k9"]
        with pytest.raises(ValueError, match="limit"):
            store.query(limit=-1)


def test_unknown_fields_dropped_and_bad_event_rejected(tmp_path: Path) -> None:
    path = tmp_path / "a.sqlite3"
    with AuditStore(path) as store:
        stored = store.append(
            full_record(
                secret_access_key=SECRET,
                session_token="IQoJb3JpZ2luX2VjEXAMPLETOKEN",
                extra={"nested": True},
            )
        )
        assert list(stored) == list(AUDIT_FIELDS)
        for bad in ("deleted", None, "", "CHECKED", ["checked"]):
            with pytest.raises(ValueError, match="unknown audit event"):
                store.append(full_record(event=bad, kernel_id="must-not-be-written"))
        with pytest.raises(TypeError):
            store.append([("event", "checked")])  # type: ignore[arg-type]
        records = store.query()
        data = store_bytes(path)
    assert [list(r) for r in records] == [list(AUDIT_FIELDS)]
    assert b"must-not-be-written" not in data
    assert SECRET.encode() not in data
    assert b"IQoJb3JpZ2luX2VjEXAMPLETOKEN" not in data
    assert count_rows(path) == 1


@pytest.mark.parametrize(
    ("value", "masked"),
    [
        (FULL_KEY, "ASIA…MPLE"),
        ("ASIA…WXYZ", "ASIA…WXYZ"),  # already masked: kept
        ("…YZ", "…YZ"),
        ("AKIA12345678", "…78"),  # 12 characters: last 2 only
        ("ABCDE", "…E"),
        ("AB", "…"),
        ("  ", None),
        (None, None),
        ("AKIAIOSFODNN7EXAMPLE…", "AKIA…PLE…"),  # looks masked, is not: masked again
        ("AKIA…WX YZ", "…YZ"),
    ],
)
def test_mask_access_key(value: str | None, masked: str | None) -> None:
    assert mask_access_key(value) == masked


def test_unmasked_key_is_masked_before_it_reaches_the_file(tmp_path: Path) -> None:
    path = tmp_path / "a.sqlite3"
    with AuditStore(path) as store:
        stored = store.append(full_record(access_key_id=FULL_KEY))
        store.append(full_record(access_key_id="SHORTKEY12"))
        assert stored["access_key_id"] == "ASIA…MPLE"
        assert [r["access_key_id"] for r in store.query()] == ["…12", "ASIA…MPLE"]
        data_open = store_bytes(path)
    data_closed = store_bytes(path)
    for data in (data_open, data_closed):
        # The reads do cover where records are written...
        assert "ASIA…MPLE".encode() in data
        # ...and no part of the key beyond the masked ends is there.
        assert FULL_KEY.encode() not in data
        assert b"IOSFODNN7EXA" not in data
        assert b"SHORTKEY12" not in data


# -- bounds ----------------------------------------------------------------------------------


def test_retention_by_age_on_prune_and_at_open(tmp_path: Path) -> None:
    path = tmp_path / "a.sqlite3"
    now = datetime.now(UTC)
    with AuditStore(path, retention_days=90) as store:
        store.append(full_record(at=now - timedelta(days=100), kernel_id="old"))
        store.append(full_record(at=now - timedelta(days=10), kernel_id="recent"))
        store.append(full_record(at=now, kernel_id="now"))
        assert len(store.query()) == 3  # nothing pruned until prune() or PRUNE_EVERY appends
        assert store.prune() == 1
        assert [r["kernel_id"] for r in store.query()] == ["now", "recent"]
    # Opening with a shorter retention prunes straight away.
    with AuditStore(path, retention_days=1) as store:
        assert [r["kernel_id"] for r in store.query()] == ["now"]


def test_retention_by_count_on_prune_and_every_few_hundred_appends(tmp_path: Path) -> None:
    path = tmp_path / "a.sqlite3"
    with AuditStore(path, max_records=10) as store:
        for i in range(25):
            store.append(full_record(at=at(i), kernel_id=f"k{i}"))
        assert store.prune() == 15
        assert [r["kernel_id"] for r in store.query()] == [f"k{i}" for i in range(24, 14, -1)]
        # Without an explicit prune(), the store prunes itself every PRUNE_EVERY appends.
        for i in range(25, 25 + PRUNE_EVERY + 50):
            store.append(full_record(at=at(i), kernel_id=f"k{i}"))
        assert count_rows(path) <= 10 + 50
        assert store.query(limit=1)[0]["kernel_id"] == f"k{24 + PRUNE_EVERY + 50}"
    with AuditStore(path, max_records=5) as store:  # and at open
        assert count_rows(path) == 5


# -- the file ----------------------------------------------------------------------------------


def test_file_is_private_versioned_and_in_wal_mode(tmp_path: Path) -> None:
    path = tmp_path / "new" / "dir" / "audit.sqlite3"
    with AuditStore(path) as store:
        store.append(full_record())
        assert stat.S_IMODE(path.stat().st_mode) == 0o600
        assert stat.S_IMODE(path.parent.stat().st_mode) & 0o077 == 0
        for sidecar in path.parent.glob("audit.sqlite3-*"):
            assert stat.S_IMODE(sidecar.stat().st_mode) & 0o077 == 0
    conn = sqlite3.connect(path)
    try:
        assert conn.execute("PRAGMA user_version").fetchone()[0] == STORE_VERSION == 3
        assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
        indexes = conn.execute("SELECT sql FROM sqlite_master WHERE type = 'index'").fetchall()
        assert any("(at)" in (sql or "") for (sql,) in indexes)
    finally:
        conn.close()


def test_every_call_waits_for_the_store_lock(tmp_path: Path) -> None:
    """One connection is shared by threads; the lock keeps its transactions apart."""
    with AuditStore(tmp_path / "a.sqlite3") as store:
        calls = {
            "append": lambda: store.append(full_record()),
            "query": store.query,
            "prune": store.prune,
        }
        for name, call in calls.items():
            with concurrent.futures.ThreadPoolExecutor(1) as pool:
                with store._lock:
                    future = pool.submit(call)
                    done, _ = concurrent.futures.wait([future], timeout=0.2)
                    assert not done, f"{name} ran without the lock"
                future.result(timeout=5)


def test_closed_store_refuses_calls(tmp_path: Path) -> None:
    store = AuditStore(tmp_path / "a.sqlite3")
    store.close()
    store.close()  # idempotent
    with pytest.raises(RuntimeError):
        store.append(full_record())
    with pytest.raises(RuntimeError):
        store.query()


def corrupt_files(path: Path) -> list[Path]:
    """The databases moved aside from ``path`` (not their -wal/-shm companions)."""
    pattern = re.escape(path.name) + r"\.corrupt-\d{8}T\d{12}Z(-\d+)?"
    return sorted(p for p in path.parent.iterdir() if re.fullmatch(pattern, p.name))


@pytest.mark.parametrize("damage", ["not_sqlite", "damaged_page", "newer_schema"])
def test_unusable_file_is_moved_aside_and_a_fresh_store_works(
    tmp_path: Path, damage: str, caplog: pytest.LogCaptureFixture
) -> None:
    path = tmp_path / "audit.sqlite3"
    if damage == "not_sqlite":
        path.write_bytes(b"this is not a database\n" * 200)
    else:
        with AuditStore(path) as store:
            for i in range(300):
                store.append(full_record(session_path=f"notebooks/{i:04d}-" + "x" * 200))
        if damage == "damaged_page":
            # Overwrite a page in the middle, i.e. record data: nothing reads it while opening,
            # only the integrity check at open can tell that the file is damaged.
            data = path.read_bytes()
            page_size = int.from_bytes(data[16:18], "big")
            middle = (len(data) // page_size // 2) * page_size
            with path.open("r+b") as f:
                f.seek(middle)
                f.write(b"\xa5" * page_size)
        else:
            conn = sqlite3.connect(path)
            conn.execute(f"PRAGMA user_version = {STORE_VERSION + 1}")
            conn.close()
    original = path.read_bytes()

    log = logging.getLogger("test_audit.corrupt")
    with caplog.at_level(logging.WARNING, logger=log.name):
        store = AuditStore(path, log=log)
    with store:
        (moved,) = corrupt_files(path)
        assert moved.read_bytes() == original
        assert any(str(moved) in r.getMessage() for r in caplog.records)
        assert all(r.levelno == logging.WARNING for r in caplog.records)
        assert store.query() == []
        store.append(full_record(kernel_id="fresh"))
        assert [r["kernel_id"] for r in store.query()] == ["fresh"]
    with AuditStore(path) as store:  # the fresh file is healthy: no second move
        assert [r["kernel_id"] for r in store.query()] == ["fresh"]
    assert corrupt_files(path) == [moved]


def test_unopenable_path_falls_back_to_disabled(tmp_path: Path) -> None:
    directory = tmp_path / "is-a-directory"
    directory.mkdir(mode=0o755)
    store = open_audit_store(directory)
    assert isinstance(store, DisabledAuditStore)
    assert list(directory.iterdir()) == []
    assert stat.S_IMODE(directory.stat().st_mode) == 0o755  # not "tightened" like a file
    ok = open_audit_store(tmp_path / "ok.sqlite3")
    assert isinstance(ok, AuditStore)
    ok.close()


def test_default_audit_path_is_under_the_jupyter_data_dir(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("JUPYTER_DATA_DIR", str(tmp_path / "data"))
    assert default_audit_path() == str(tmp_path / "data" / "trusted_identity" / "audit.sqlite3")


# -- CSV ---------------------------------------------------------------------------------------


def test_csv_header_quoting_and_formula_neutralization() -> None:
    records = [
        full_record(
            kernel_id=None,
            kernel_name='=HYPERLINK("http://evil.example","click")',
            session_path='dir, with "quotes"\nand a newline.ipynb',
            verdict="\tx",
            user_id="\rx",
            user_name="+1",
            caller_arn="-2",
            credential_source="@SUM(A1)",
            access_key_id="a=b",
        )
    ]
    text = records_to_csv(records)
    assert text.startswith(",".join(AUDIT_FIELDS) + "\r\n")
    assert text.endswith("\r\n")
    assert '"dir, with ""quotes""\nand a newline.ipynb"' in text
    header, row = list(csv.reader(io.StringIO(text, newline="")))
    assert header == list(AUDIT_FIELDS)
    got = dict(zip(header, row, strict=True))
    assert got["kernel_id"] == ""
    assert got["kernel_name"] == '\'=HYPERLINK("http://evil.example","click")'
    assert got["session_path"] == 'dir, with "quotes"\nand a newline.ipynb'
    assert got["verdict"] == "'\tx"
    assert got["user_id"] == "'\rx"
    assert got["user_name"] == "'+1"
    assert got["caller_arn"] == "'-2"
    assert got["credential_source"] == "'@SUM(A1)"
    assert got["access_key_id"] == "a=b"  # only a leading character is a formula
    assert got["at"] == "2026-11-28T12:00:00.123Z"
    assert records_to_csv([]) == ",".join(AUDIT_FIELDS) + "\r\n"


# -- disabled and async ------------------------------------------------------------------------


def test_disabled_store_does_nothing(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    store = open_audit_store("")
    assert isinstance(store, DisabledAuditStore)
    assert store.enabled is False
    with store:
        assert store.append(full_record())["kernel_name"] == "python3"
        with pytest.raises(ValueError, match="unknown audit event"):
            store.append(full_record(event="nope"))
        assert store.query() == []
        assert store.prune() == 0
    store.close()
    assert list(tmp_path.iterdir()) == []

    async def main() -> list:
        audit = AsyncAudit(DisabledAuditStore())
        await audit.append(full_record())
        try:
            return await audit.query(limit=10)
        finally:
            audit.close()

    assert asyncio.run(main()) == []


class ThreadRecordingStore(AuditStore):
    """An AuditStore that notes which threads ran its calls."""

    def __init__(self, *args, **kwargs) -> None:
        self.threads: set[str] = set()
        super().__init__(*args, **kwargs)

    def append(self, record):
        self.threads.add(threading.current_thread().name)
        return super().append(record)


def test_async_audit_runs_off_the_event_loop_in_order(tmp_path: Path) -> None:
    path = tmp_path / "a.sqlite3"
    store = ThreadRecordingStore(path)
    audit = AsyncAudit(store)

    async def main() -> tuple[list, list, list, str]:
        stored = await asyncio.gather(
            *(audit.append(full_record(at=at(0), kernel_id=f"k{i}")) for i in range(20))
        )
        newest = await audit.query(limit=3)
        older = await audit.query(before=T0 + timedelta(seconds=1), limit=100)
        return stored, newest, older, threading.current_thread().name

    stored, newest, older, loop_thread = asyncio.run(main())
    audit.close()
    assert [r["kernel_id"] for r in stored] == [f"k{i}" for i in range(20)]
    # All at the same time, so newest-first is reverse submission order.
    assert [r["kernel_id"] for r in newest] == ["k19", "k18", "k17"]
    assert len(older) == 20
    assert store.threads
    assert loop_thread not in store.threads
    assert all(name.startswith("trusted-identity-audit") for name in store.threads)
    with pytest.raises(RuntimeError):
        store.query()  # close() closed the store
    assert count_rows(path) == 20


def test_concurrent_appends_from_eight_threads_all_land(tmp_path: Path) -> None:
    path = tmp_path / "a.sqlite3"
    per_thread = 100
    with AuditStore(path) as store:
        barrier = threading.Barrier(8)

        def work(t: int) -> None:
            barrier.wait()  # all threads hammer the store at once
            for i in range(per_thread):
                store.append(full_record(at=None, kernel_id=f"t{t}-{i}"))

        with concurrent.futures.ThreadPoolExecutor(8) as pool:
            for future in [pool.submit(work, t) for t in range(8)]:
                future.result()  # re-raises a failed append
        records = store.query(limit=10_000)
    assert len(records) == 8 * per_thread
    by_thread: dict[str, list[int]] = defaultdict(list)
    for r in reversed(records):  # oldest first
        t, i = r["kernel_id"].split("-")
        by_thread[t].append(int(i))
    assert by_thread == {f"t{t}": list(range(per_thread)) for t in range(8)}
    assert count_rows(path) == 8 * per_thread


# -- durability across SIGKILL -------------------------------------------------------------------


def start_writer(path: Path, tag: str, tmp_path: Path) -> subprocess.Popen:
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(REPO), env.get("PYTHONPATH")]))
    return subprocess.Popen(
        # -W ignore: the package warns when imported from a source checkout.
        [sys.executable, "-W", "ignore", str(WRITER), str(path), tag],
        stdout=subprocess.PIPE,
        stderr=(tmp_path / f"{tag}.stderr").open("wb"),
        env=env,
        bufsize=0,
    )


def last_count(buffer: bytes) -> int:
    """The last count in the complete lines of ``buffer`` (0 if none)."""
    lines = buffer.split(b"\n")[:-1]
    return int(lines[-1]) if lines else 0


def kill_writers_after(procs: dict[str, subprocess.Popen], at_least: int, tmp_path: Path):
    """Reads each writer's counts until every one has committed ``at_least`` records, then
    SIGKILLs them all; returns the number of commits each one reported."""
    buffers = dict.fromkeys(procs, b"")
    fds = {proc.stdout.fileno(): tag for tag, proc in procs.items()}
    deadline = time.monotonic() + 15
    try:
        while any(last_count(buffers[t]) < at_least for t in procs):
            if time.monotonic() > deadline:
                errors = {t: (tmp_path / f"{t}.stderr").read_text() for t in procs}
                pytest.fail(
                    f"writers too slow: { {t: last_count(b) for t, b in buffers.items()} } {errors}"
                )
            ready, _, _ = select.select(list(fds), [], [], 0.5)
            for fd in ready:
                chunk = os.read(fd, 1 << 16)
                if not chunk:
                    errors = (tmp_path / f"{fds[fd]}.stderr").read_text()
                    pytest.fail(f"writer {fds[fd]} exited early: {errors}")
                buffers[fds[fd]] += chunk
    finally:
        for proc in procs.values():
            if proc.poll() is None:
                os.kill(proc.pid, signal.SIGKILL)
        for proc in procs.values():
            proc.wait(timeout=10)
    reported = {}
    for tag, proc in procs.items():
        assert proc.returncode == -signal.SIGKILL, "the writer must die mid-loop, not exit"
        # Lines still in the pipe were printed after a commit too: they count.
        buffers[tag] += proc.stdout.read()
        proc.stdout.close()
        reported[tag] = last_count(buffers[tag])
    return reported


def assert_survived(path: Path, reported: dict[str, int]) -> None:
    conn = sqlite3.connect(path)
    try:  # the file a killed writer left behind is a healthy database
        assert conn.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
    finally:
        conn.close()
    with AuditStore(path) as store:
        records = store.query(limit=10_000_000)
        assert corrupt_files(path) == [], "the killed writers' file must not be moved aside"
        sequences: dict[str, list[int]] = defaultdict(list)
        for r in records:
            tag, i = r["kernel_id"].rsplit("-", 1)
            sequences[tag].append(int(i))
            assert r["access_key_id"] == "ASIA…MPLE"
        assert set(sequences) == set(reported)
        for tag, seq in sequences.items():
            # Every reported commit is there, with no gap or duplicate in the sequence;
            # at most one more may have committed just before its line was printed.
            assert sorted(seq) == list(range(len(seq)))
            assert reported[tag] <= len(seq) <= reported[tag] + 1
        # And the store keeps working.
        store.append(full_record(at=None, kernel_id="after-the-kill"))
        assert store.query(limit=1)[0]["kernel_id"] == "after-the-kill"
        assert len(store.query(limit=10_000_000)) == len(records) + 1


@pytest.mark.skipif(not hasattr(signal, "SIGKILL"), reason="needs POSIX signals")
def test_committed_records_survive_sigkill_of_the_writer(tmp_path: Path) -> None:
    path = tmp_path / "audit.sqlite3"
    reported = kill_writers_after({"w0": start_writer(path, "w0", tmp_path)}, 200, tmp_path)
    assert reported["w0"] >= 200
    assert_survived(path, reported)


@pytest.mark.skipif(not hasattr(signal, "SIGKILL"), reason="needs POSIX signals")
def test_committed_records_of_three_concurrent_writers_survive_sigkill(tmp_path: Path) -> None:
    path = tmp_path / "audit.sqlite3"
    tags = ("w0", "w1", "w2")
    reported = kill_writers_after({t: start_writer(path, t, tmp_path) for t in tags}, 200, tmp_path)
    assert all(reported[t] >= 200 for t in tags)
    assert_survived(path, reported)


def test_a_version_1_store_gains_the_access_test_columns_and_keeps_its_records(
    tmp_path: Path,
) -> None:
    """Store version 2 (Test access) adds four columns to a version-1 file: its records stay,
    with None in them, and new records fill them."""
    path = tmp_path / "old.sqlite3"
    recent = format_time(datetime.now(UTC) - timedelta(days=1))
    conn = sqlite3.connect(path)
    conn.executescript(
        """
        CREATE TABLE audit (
            id INTEGER PRIMARY KEY AUTOINCREMENT, at TEXT NOT NULL, event TEXT NOT NULL,
            kernel_id TEXT, kernel_name TEXT, session_path TEXT, verdict TEXT, user_id TEXT,
            user_name TEXT, caller_arn TEXT, access_key_id TEXT, credential_source TEXT
        );
        CREATE INDEX audit_at ON audit (at);
        INSERT INTO audit (at, event, verdict, user_name)
            VALUES ('RECENT', 'checked', 'propagated', 'jdoe');
        PRAGMA user_version = 1;
        """.replace("RECENT", recent)
    )
    conn.close()
    with AuditStore(path) as store:
        (old,) = store.query()
        assert (old["event"], old["verdict"], old["user_name"]) == ("checked", "propagated", "jdoe")
        assert [old[f] for f in AUDIT_FIELDS[-4:]] == [None] * 4
        store.append(
            {
                "event": "access_tested",
                "access_target": "s3://amzn-s3-demo-bucket/users/jdoe/*",
                "access_permission": "READ",
                "access_status": "allowed",
                "grantee_type": "DIRECTORY_USER",
            }
        )
        new = store.query(limit=1)[0]
        assert [new[f] for f in AUDIT_FIELDS[-4:]] == [
            "s3://amzn-s3-demo-bucket/users/jdoe/*",
            "READ",
            "allowed",
            "DIRECTORY_USER",
        ]
    conn = sqlite3.connect(path)
    try:
        assert conn.execute("PRAGMA user_version").fetchone()[0] == STORE_VERSION == 3
    finally:
        conn.close()

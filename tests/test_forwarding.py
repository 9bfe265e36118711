"""The audit trail forwarded to CloudWatch Logs (issue 11): the audit store is the outbox, moto
(behind the Studio emulator) is CloudWatch Logs, and the emulator's faults stand for its
failures. What must hold under every fault: no record lost (each pending until CloudWatch Logs
accepted it), duplicates only as at-least-once delivery (a stable record_id), no secret in any
event, memory bounded however long CloudWatch Logs stays away.
"""

from __future__ import annotations

import asyncio
import json
import logging
import os
import re
import signal
import sqlite3
import time
import tracemalloc
import uuid
from collections import Counter
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import botocore.session
import pytest
from botocore.exceptions import ConnectionClosedError, HTTPClientError
from helpers_http import trusted_identity_app
from test_openapi import _validate

from jupyterlab_trusted_identity.audit import AUDIT_FIELDS, AuditStore, format_time
from jupyterlab_trusted_identity.audit import cloudwatch as cw
from jupyterlab_trusted_identity.audit.forwarding import (
    BLOCKED,
    CHECK_ID,
    OK,
    RETRYING,
    AuditForwarder,
    ForwardingSettings,
)
from jupyterlab_trusted_identity.audit.outbox import EXPIRED, FORWARDED, PENDING, OutboxRow
from jupyterlab_trusted_identity.audit.records import MAX_VALUE_CHARS
from jupyterlab_trusted_identity.audit.schema import INSERT_SQL, STORE_VERSION
from jupyterlab_trusted_identity.engine import EngineConfig, IdentityEngine
from jupyterlab_trusted_identity.engine import outcome as kinds
from jupyterlab_trusted_identity.engine.aws import classify

GROUP = "/sagemaker/studio/trusted-identity"
# Every scenario's environment points botocore's CloudWatch Logs clients at the emulator (moto).
LOGS_ENDPOINT = "AWS_ENDPOINT_URL_CLOUDWATCH_LOGS"

# ---- helpers ------------------------------------------------------------------------------------


def record(n: int, **extra: Any) -> dict[str, Any]:
    return {
        "event": "checked",
        "kernel_id": f"k-{n}",
        "kernel_name": "python3",
        "session_path": f"work/n{n}.ipynb",
        "verdict": "propagated" if n % 3 else "not_propagated",
        "user_id": "90676b6c1a-jdoe",
        "user_name": "jdoe",
        "caller_arn": "arn:aws:sts::111122223333:assumed-role/SageMakerExec/SageMaker",
        "access_key_id": "ASIAIOSFODNN7EXAMPLE",  # the store masks it
        "credential_source": "container-role",
        **extra,
    }


def fill(path: Path, count: int, *, start: int = 0, at: datetime | None = None) -> None:
    """Writes `count` records straight into the store's file, in one transaction (fast)."""
    AuditStore(path).close()  # creates and migrates the file
    when = at or datetime.now(UTC)
    conn = sqlite3.connect(path)
    with conn:
        conn.executemany(
            INSERT_SQL,
            [
                (
                    format_time(when),
                    "checked",
                    f"k-{n}",
                    "python3",
                    f"w/{n}.ipynb",
                    "propagated",
                    "u",
                    "jdoe",
                    "arn:aws:sts::111122223333:assumed-role/R/S",
                    "ASIA…MPLE",
                    "container-role",
                    None,
                    None,
                    None,
                    None,
                )
                for n in range(start, start + count)
            ],
        )
    conn.close()


def marks(path: Path) -> Counter[int]:
    conn = sqlite3.connect(path)
    try:
        return Counter(m for (m,) in conn.execute("SELECT forwarded FROM audit"))
    finally:
        conn.close()


def record_ids(path: Path) -> set[str]:
    conn = sqlite3.connect(path)
    try:
        return {r for (r,) in conn.execute("SELECT record_id FROM audit")}
    finally:
        conn.close()


def logs_client(url: str):
    return botocore.session.Session().create_client(
        "logs",
        region_name="us-east-1",
        endpoint_url=url,
        aws_access_key_id="AKIAEMULATORTEST0000",
        aws_secret_access_key="test",
    )


def events_in(url: str, group: str = GROUP) -> list[dict[str, Any]]:
    """Every event of every stream of the group, as CloudWatch Logs keeps them."""
    client = logs_client(url)
    out: list[dict[str, Any]] = []
    streams = client.describe_log_streams(logGroupName=group)["logStreams"]
    for stream in streams:
        token = None
        while True:
            kwargs = {"nextToken": token} if token else {}
            page = client.get_log_events(
                logGroupName=group,
                logStreamName=stream["logStreamName"],
                startFromHead=True,
                **kwargs,
            )
            for event in page["events"]:
                out.append({**event, "stream": stream["logStreamName"]})
            if not page["events"] or page["nextForwardToken"] == token:
                break
            token = page["nextForwardToken"]
    return out


def create_group(url: str, group: str = GROUP) -> None:
    logs_client(url).create_log_group(logGroupName=group)


@pytest.fixture
def cloudwatch(emulator, studio) -> str:
    """CloudWatch Logs (moto behind the emulator, as the scenario's environment says); the group
    exists."""
    assert studio["env"][LOGS_ENDPOINT] == os.environ[LOGS_ENDPOINT] == emulator.url
    create_group(emulator.url)
    return emulator.url


@pytest.fixture
def make_forwarder(studio, tmp_path):
    made: list[tuple[AuditForwarder, IdentityEngine, AuditStore]] = []

    def make(path: Path | None = None, **settings: Any) -> AuditForwarder:
        store = AuditStore(path or tmp_path / "audit.sqlite3")
        engine = IdentityEngine(
            EngineConfig(metadata_path=studio["metadata_path"], aws_timeout=1.0),
            dict(os.environ),
            logging.getLogger("test"),
        )
        values = {"log_group": GROUP, "interval": 0.2, "aws_timeout": 1.0, **settings}
        forwarder = AuditForwarder(
            store, engine, ForwardingSettings(**values), logging.getLogger("test")
        )
        made.append((forwarder, engine, store))
        return forwarder

    yield make
    for forwarder, engine, store in made:
        forwarder._executor.shutdown(wait=True)
        engine.close()
        store.close()


def secrets_of(info: dict[str, Any]) -> list[str]:
    """Every secret the scenario hands out: container token, static and profile secret keys."""
    found = []

    def walk(value: Any, key: str = "") -> None:
        if isinstance(value, dict):
            for k, v in value.items():
                walk(v, k)
        elif isinstance(value, list):
            for v in value:
                walk(v, key)
        elif isinstance(value, str) and re.search(r"secret|token", key, re.I) and len(value) >= 8:
            found.append(value)

    walk(info)
    return found


UNMASKED_KEY = re.compile(r"\b(?:AKIA|ASIA)[A-Z0-9]{16}\b")

# ---- the store as outbox ------------------------------------------------------------------------


def test_a_version_2_store_gains_record_ids_and_every_record_is_pending(tmp_path: Path):
    path = tmp_path / "v2.sqlite3"
    conn = sqlite3.connect(path)
    conn.executescript(
        """
        CREATE TABLE audit (
            id INTEGER PRIMARY KEY AUTOINCREMENT, at TEXT NOT NULL, event TEXT NOT NULL,
            kernel_id TEXT, kernel_name TEXT, session_path TEXT, verdict TEXT, user_id TEXT,
            user_name TEXT, caller_arn TEXT, access_key_id TEXT, credential_source TEXT,
            access_target TEXT, access_permission TEXT, access_status TEXT, grantee_type TEXT
        );
        CREATE INDEX audit_at ON audit (at);
        INSERT INTO audit (at, event) VALUES ('FIRST', 'checked');
        INSERT INTO audit (at, event) VALUES ('SECOND', 'checked');
        PRAGMA user_version = 2;
        """.replace("FIRST", format_time(datetime.now(UTC) - timedelta(days=2))).replace(
            "SECOND", format_time(datetime.now(UTC) - timedelta(days=1))
        )
    )
    conn.close()
    with AuditStore(path) as store:
        store.append(record(3))
        assert store.outbox_pending() == 3
        rows = store.outbox_page(("", 0), 10)
    assert [r.record["event"] for r in rows] == ["checked"] * 3
    assert rows[0].record["at"] < rows[1].record["at"] < rows[2].record["at"]
    ids = [r.record_id for r in rows]
    assert len(set(ids)) == 3 and all(re.fullmatch(r"[0-9a-f]{32}", i) for i in ids)
    conn = sqlite3.connect(path)
    try:
        assert conn.execute("PRAGMA user_version").fetchone()[0] == STORE_VERSION == 3
        plan = conn.execute(
            "EXPLAIN QUERY PLAN SELECT id FROM audit WHERE forwarded = 0 ORDER BY at, id"
        ).fetchall()
        assert any("audit_outbox" in str(row) for row in plan), plan
    finally:
        conn.close()


def test_pages_follow_time_order_and_marks_take_only_pending_records(tmp_path: Path):
    path = tmp_path / "a.sqlite3"
    now = datetime.now(UTC)
    with AuditStore(path) as store:
        for n, seconds in enumerate([5, 1, 3, 1]):
            store.append(record(n, at=now - timedelta(seconds=seconds)))
        rows = store.outbox_page(("", 0), 10)
        # Oldest first; the same time in insertion order.
        assert [r.record["kernel_id"] for r in rows] == ["k-0", "k-2", "k-1", "k-3"]
        assert [r.record["kernel_id"] for r in store.outbox_page(rows[1].key, 10)] == ["k-1", "k-3"]
        assert store.mark_outbox([rows[0].id, rows[1].id], FORWARDED) == 2
        assert store.mark_outbox([rows[0].id], EXPIRED) == 0  # already marked: unchanged
        assert [r.record["kernel_id"] for r in store.outbox_page(("", 0), 10)] == ["k-1", "k-3"]
    assert marks(path) == {PENDING: 2, FORWARDED: 2}


# ---- batches within PutLogEvents' limits ---------------------------------------------------------


def _row(n: int, at: str = "2026-01-01T00:00:00.000Z", **fields: Any) -> OutboxRow:
    return OutboxRow(n, f"{n:032x}", {"at": at, "event": "checked", **fields})


def test_a_batch_stops_at_10000_events():
    batch = cw.Batch()
    added = sum(batch.add(_row(n), 0, "x") for n in range(10_001))
    assert added == len(batch) == cw.MAX_BATCH_EVENTS


def test_a_batch_stops_at_1_mib_counting_26_bytes_an_event():
    batch = cw.Batch()
    message = "é" * 5000  # 10,000 bytes in UTF-8: bytes count, not characters
    while batch.add(_row(len(batch)), 0, message):
        pass
    assert batch.size <= cw.MAX_BATCH_BYTES < batch.size + len(message.encode()) + 26
    assert batch.size == len(batch) * (10_000 + 26)


def test_a_batch_spans_less_than_24_hours():
    batch = cw.Batch()
    assert batch.add(_row(1), 1_000, "a")
    assert batch.add(_row(2), 1_000 + cw.MAX_SPAN_MS - 1, "b")
    assert not batch.add(_row(3), 1_000 + cw.MAX_SPAN_MS, "c")
    assert len(batch) == 2


def test_an_oversized_record_becomes_one_event_within_256_kb():
    # The largest record the store can hold: every field at MAX_VALUE_CHARS of a character JSON
    # escapes to 6 bytes.
    huge = dict.fromkeys(AUDIT_FIELDS[2:], "\x01" * MAX_VALUE_CHARS)
    row = _row(1, **huge)
    plain = json.dumps({"record_id": row.record_id, **row.record}, ensure_ascii=False)
    assert len(plain.encode()) > cw.MAX_EVENT_BYTES
    message = cw.event_message(row, {"domain_id": "d-1", "space_name": "s"})
    assert len(message.encode()) + cw.EVENT_OVERHEAD <= cw.MAX_EVENT_BYTES
    body = json.loads(message)
    assert body["record_id"] == row.record_id and body["truncated"] is True
    small = json.loads(cw.event_message(_row(2, kernel_id="k-2"), {"domain_id": "d-1"}))
    assert "truncated" not in small and small["kernel_id"] == "k-2"


def test_stream_names_follow_the_pattern_and_what_cloudwatch_takes():
    values = {"domain_id": "d-abc", "space_name": "jdoe:space*1"}
    assert cw.stream_name("{domain_id}/{space_name}", values) == "d-abc/jdoe_space_1"
    assert cw.stream_name("{domain_id}/{space_name}", {}) == "none/none"
    assert len(cw.stream_name("{space_name}", {"space_name": "x" * 600})) == 512
    with pytest.raises(ValueError, match="unknown placeholder"):
        cw.check_stream_pattern("{domain_id}/{secret}")
    with pytest.raises(ValueError):
        cw.check_log_group("bad group name")
    assert cw.check_log_group("") == ""


# ---- forwarding against CloudWatch Logs (moto behind the emulator) -------------------------------


async def test_records_reach_cloudwatch_as_json_events_with_no_secret(
    cloudwatch, studio, make_forwarder, tmp_path
):
    forwarder = make_forwarder()
    for n in range(25):
        forwarder.store.append(record(n, access_key_id=studio["env"].get("AWS_ACCESS_KEY_ID")))
    forwarder.store.append(
        {
            "event": "access_tested",
            "access_target": "s3://amzn-s3-demo-bucket/users/jdoe/*",
            "access_permission": "READ",
            "access_status": "allowed",
            "grantee_type": "DIRECTORY_USER",
        }
    )
    await forwarder.forward_once()
    assert forwarder.state == OK, forwarder.status()
    assert marks(tmp_path / "audit.sqlite3") == {FORWARDED: 26}
    events = events_in(cloudwatch)
    assert len(events) == 26
    stream = f"{studio['expected']['domain_id']}/{studio['expected']['space_name']}"
    assert {e["stream"] for e in events} == {stream}
    bodies = [json.loads(e["message"]) for e in events]
    assert {b["record_id"] for b in bodies} == record_ids(tmp_path / "audit.sqlite3")
    stored = {r["kernel_id"]: r for r in forwarder.store.query(limit=100)}
    for body in bodies:
        assert body["domain_id"] == studio["expected"]["domain_id"]
        assert body["space_name"] == studio["expected"]["space_name"]
        fields = {
            k: v for k, v in body.items() if k not in ("record_id", "domain_id", "space_name")
        }
        if body["event"] == "checked":
            assert fields == stored[body["kernel_id"]]
    assert [e["timestamp"] for e in events] == sorted(e["timestamp"] for e in events)
    # No secret in any event: the scenario's secrets, unmasked key ids, the words themselves.
    text = "\n".join(e["message"] for e in events)
    for secret in secrets_of(studio):
        assert secret not in text
    assert not UNMASKED_KEY.search(text)
    assert not re.search(r"secret|session_token|SessionToken", text, re.I)
    status = forwarder.status()
    assert (status["forwarded"], status["pending"], status["log_stream"]) == (26, 0, stream)
    assert forwarder.check().status == "pass"
    # A second round sends nothing again.
    await forwarder.forward_once()
    assert len(events_in(cloudwatch)) == 26


async def test_a_missing_group_blocks_with_what_to_create_and_resumes_once_created(
    emulator, studio, make_forwarder, tmp_path
):
    group = "/tip/created-later"
    forwarder = make_forwarder(log_group=group)
    for n in range(5):
        forwarder.store.append(record(n))
    await forwarder.forward_once()
    status = forwarder.status()
    assert status["state"] == BLOCKED and status["error_code"] == "ResourceNotFoundException"
    assert status["iam_action"] == "logs:CreateLogStream"
    assert (
        f"aws logs create-log-group --log-group-name {group} --region us-east-1"
        in (status["remediation"])
    )
    check = forwarder.check()
    assert (check.id, check.status, check.required) == ("audit.forwarding", "fail", False)
    assert marks(tmp_path / "audit.sqlite3") == {PENDING: 5}
    create_group(emulator.url, group)
    forwarder.store.append(record(5))
    await forwarder.forward_once()
    assert forwarder.state == OK and forwarder.problem is None
    assert len(events_in(emulator.url, group)) == 6
    assert marks(tmp_path / "audit.sqlite3") == {FORWARDED: 6}


async def test_access_denied_names_the_iam_action_and_forwarding_resumes_when_allowed(
    cloudwatch, emulator, make_forwarder, tmp_path
):
    forwarder = make_forwarder()
    for n in range(4):
        forwarder.store.append(record(n))
    emulator.fault("logs:PutLogEvents", "denied")
    try:
        await forwarder.forward_once()
        await forwarder.forward_once()
        status = forwarder.status()
        assert status["state"] == BLOCKED and status["iam_action"] == "logs:PutLogEvents"
        assert status["error_code"] == "AccessDeniedException"
        assert "Allow logs:PutLogEvents on arn:aws:logs:us-east-1:" in status["remediation"]
        assert forwarder.check().iam_action == "logs:PutLogEvents"
        assert marks(tmp_path / "audit.sqlite3") == {PENDING: 4}
    finally:
        emulator.clear_faults()
    await forwarder.forward_once()
    assert forwarder.state == OK
    assert marks(tmp_path / "audit.sqlite3") == {FORWARDED: 4}
    assert len(events_in(cloudwatch)) == 4


@pytest.mark.parametrize(
    ("fault", "count"),
    [("throttle", 2), ("5xx", 2), ("unavailable", 2), ("refused", 2), ("hang", 1)],
)
async def test_transient_faults_are_retried_and_lose_nothing(
    cloudwatch, emulator, make_forwarder, tmp_path, fault, count
):
    forwarder = make_forwarder()
    for n in range(30):
        forwarder.store.append(record(n))
    # botocore retries once itself (AwsAccess: total_max_attempts 2); the forwarder's backoff
    # covers the rest within the round.
    emulator.fault("logs:PutLogEvents", fault, count=count, hang_seconds=5)
    try:
        await asyncio.wait_for(forwarder.forward_once(), 30)
    finally:
        emulator.clear_faults()
    if forwarder.state != OK:  # a hang may outlast a round: the next one sends it
        assert forwarder.state == RETRYING, forwarder.status()
        await forwarder.forward_once()
    assert forwarder.state == OK, forwarder.status()
    assert marks(tmp_path / "audit.sqlite3") == {FORWARDED: 30}
    bodies = [json.loads(e["message"]) for e in events_in(cloudwatch)]
    assert {b["record_id"] for b in bodies} == record_ids(tmp_path / "audit.sqlite3")


async def test_a_long_outage_keeps_every_record_pending_then_sends_them(
    cloudwatch, emulator, make_forwarder, tmp_path
):
    forwarder = make_forwarder()
    for n in range(10):
        forwarder.store.append(record(n))
    emulator.fault("logs:*", "5xx")
    try:
        for round_ in range(3):
            forwarder.store.append(record(100 + round_))
            await forwarder.forward_once()
            status = forwarder.status()
            assert status["state"] == RETRYING and status["pending"] == 11 + round_
            assert forwarder.check().status == "warn"
    finally:
        emulator.clear_faults()
    await forwarder.forward_once()
    assert forwarder.status()["pending"] == 0
    assert len({json.loads(e["message"])["record_id"] for e in events_in(cloudwatch)}) == 13


async def test_records_too_old_for_cloudwatch_are_marked_expired_not_sent(
    cloudwatch, make_forwarder, tmp_path
):
    path = tmp_path / "audit.sqlite3"
    fill(path, 3, at=datetime.now(UTC) - timedelta(days=20))
    fill(path, 2, start=3)
    forwarder = make_forwarder(path)
    await forwarder.forward_once()
    assert marks(path) == {EXPIRED: 3, FORWARDED: 2}
    assert (forwarder.status()["expired"], forwarder.status()["forwarded"]) == (3, 2)
    assert len(events_in(cloudwatch)) == 2


async def test_batches_split_a_backlog_and_memory_stays_bounded(
    cloudwatch, emulator, make_forwarder, tmp_path
):
    """The backlog stays on disk: the peak of Python allocations during a round is the same for
    a backlog three times larger, with CloudWatch Logs down (one batch tried) or up (every
    batch sent, one at a time)."""
    peaks: dict[tuple[int, str], int] = {}
    for size in (6_000, 18_000):
        path = tmp_path / f"backlog-{size}.sqlite3"
        fill(path, size)
        forwarder = make_forwarder(path, log_group=GROUP)
        emulator.fault("logs:PutLogEvents", "5xx")
        tracemalloc.start()
        try:
            await forwarder.forward_once()
            peaks[(size, "down")] = tracemalloc.get_traced_memory()[1]
        finally:
            emulator.clear_faults()
            tracemalloc.stop()
        assert forwarder.status()["pending"] == size
        tracemalloc.start()
        try:
            await forwarder.forward_once()
            peaks[(size, "up")] = tracemalloc.get_traced_memory()[1]
        finally:
            tracemalloc.stop()
        assert forwarder.state == OK and marks(path) == {FORWARDED: size}
        assert forwarder.batches >= 3  # 1 MiB apiece at most
    print("peak bytes:", peaks)
    for state in ("down", "up"):
        assert peaks[(18_000, state)] < 1.5 * peaks[(6_000, state)], peaks
        assert peaks[(18_000, state)] < 24 * 2**20, peaks
    events = events_in(cloudwatch)
    assert len(events) == 24_000
    assert len({json.loads(e["message"])["record_id"] for e in events}) == 24_000


def test_forwarding_is_off_by_default():
    from jupyterlab_trusted_identity.app import TrustedIdentity

    app = TrustedIdentity()
    assert app.audit_log_group == "" and app.audit_log_stream == "{domain_id}/{space_name}"
    assert app.audit_log_interval == 60.0
    from traitlets import TraitError

    with pytest.raises(TraitError):
        app.audit_log_group = "no spaces allowed"
    with pytest.raises(TraitError):
        app.audit_log_stream = "{nope}"
    with pytest.raises(TraitError):
        app.audit_log_interval = 0


# ---- a real server killed mid-forwarding, with CloudWatch Logs faults ----------------------------


def _pending_and_forwarded(path: Path) -> tuple[int, int]:
    counts = marks(path)
    return counts[PENDING], counts[FORWARDED]


def _wait(condition, timeout: float, server) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, server.log_tail()
        time.sleep(0.02)


@pytest.mark.skipif(not hasattr(signal, "SIGKILL"), reason="needs POSIX signals")
def test_sigkill_mid_forwarding_with_faults_loses_nothing(emulator, studio, tmp_path: Path):
    """A real `jupyter server` forwards a backlog through throttling and 5xx, is SIGKILLed in
    the middle of it, and a new server on the same file finishes: every record reaches
    CloudWatch Logs, duplicates only by record_id (what was sent but not yet marked)."""
    from bench.harness import Server

    create_group(emulator.url)
    audit = tmp_path / "audit" / "audit.sqlite3"
    audit.parent.mkdir()
    backlog = 20_000
    fill(audit, backlog)
    traits = {"audit_log_group": GROUP, "audit_log_interval": 0.5, "start_jitter": 0}
    emulator.delay(150)  # every call takes a while: the kill lands between batches or in one
    emulator.fault("logs:PutLogEvents", "throttle", count=3)
    first = Server(emulator, tmp_path, name="first", audit_path=audit, traits=traits)
    try:
        first.wait_ready()
        # Records written while it forwards (the store takes writers of several processes).
        with AuditStore(audit) as writer:
            for n in range(50):
                writer.append(record(n))
        _wait(lambda: _pending_and_forwarded(audit)[1] >= 2_000, 120, first)
        emulator.fault("logs:PutLogEvents", "5xx", count=2)
        os.killpg(first.proc.pid, signal.SIGKILL)
        first.proc.wait(10)
        assert first.proc.returncode == -signal.SIGKILL
    finally:
        first.stop()
    pending_at_kill, forwarded_at_kill = _pending_and_forwarded(audit)
    assert pending_at_kill > 0, "the kill came after the backlog was sent"
    second = Server(emulator, tmp_path, name="second", audit_path=audit, traits=traits)
    try:
        second.wait_ready()
        with AuditStore(audit) as writer:
            for n in range(50, 100):
                writer.append(record(n))
        _wait(lambda: _pending_and_forwarded(audit)[0] == 0, 180, second)
    finally:
        emulator.delay(0)
        emulator.clear_faults()
        second.stop()
    written = record_ids(audit)
    events = events_in(emulator.url)
    sent = Counter(json.loads(e["message"])["record_id"] for e in events)
    lost = written - set(sent)
    figures = {
        "records_written": len(written),
        "forwarded_at_kill": forwarded_at_kill,
        "pending_at_kill": pending_at_kill,
        "events_in_cloudwatch": len(events),
        "distinct_records_in_cloudwatch": len(sent),
        "lost": len(lost),
        "duplicates": len(events) - len(sent),
        "logs_calls": {
            op: n for op, n in emulator.calls()["counts"].items() if op.startswith("logs:")
        },
        "faults_injected": dict(
            Counter(
                f"{c['operation']} {c['fault']}"
                for c in emulator.calls()["calls"]
                if c.get("fault") and c["operation"].startswith("logs:")
            )
        ),
    }
    print("forwarding figures:", json.dumps(figures))
    assert len(written) == backlog + 100
    assert not lost, sorted(lost)[:5]
    assert set(sent) <= written  # nothing but audit records
    assert marks(audit) == {FORWARDED: len(written)}
    text = "\n".join(e["message"] for e in events)
    for secret in secrets_of(studio):
        assert secret not in text
    assert not UNMASKED_KEY.search(text)


# ---- the report's check and the audit route ------------------------------------------------------


def test_a_closed_connection_is_unreachable_not_an_error():
    # botocore raises it when the endpoint drops the connection before answering (urllib3's
    # ProtocolError); a transient failure, retried like a refused connection.
    closed = ConnectionClosedError(endpoint_url="https://logs.us-east-1.amazonaws.com/")
    failure = classify(closed, "logs:PutLogEvents")
    assert (failure.kind, failure.action, failure.code) == (
        kinds.UNREACHABLE,
        "logs:PutLogEvents",
        None,
    )
    assert failure.describe() == (
        "logs:PutLogEvents could not reach its endpoint: ConnectionClosedError."
    )
    # Other client-side failures botocore does not type stay errors that name it.
    other = classify(HTTPClientError(error="boom"), "logs:PutLogEvents")
    assert (other.kind, other.code) == (kinds.ERROR, "HTTPClientError")


async def test_a_connection_closed_by_cloudwatch_is_retried_as_unreachable(
    cloudwatch, emulator, make_forwarder, tmp_path
):
    forwarder = make_forwarder()
    for n in range(3):
        forwarder.store.append(record(n))
    emulator.fault("logs:PutLogEvents", "refused")
    try:
        await forwarder.forward_once()
    finally:
        emulator.clear_faults()
    status = forwarder.status()
    # Every try within the round met the closed connection: retrying, not blocked.
    assert status["state"] == RETRYING, status
    assert marks(tmp_path / "audit.sqlite3") == {PENDING: 3}
    assert forwarder.check().status == "warn"
    await forwarder.forward_once()
    assert forwarder.state == OK and marks(tmp_path / "audit.sqlite3") == {FORWARDED: 3}


def _check_of(report: dict[str, Any], check_id: str = CHECK_ID) -> dict[str, Any] | None:
    return next((c for c in report["checks"] if c["id"] == check_id), None)


async def test_the_engine_adds_extra_checks_after_its_verdict_and_changed_renews_reports(
    cloudwatch, studio, make_forwarder
):
    forwarder = make_forwarder()
    engine = forwarder.engine
    server = engine.server_scope()
    first = await engine.report(server)
    # Once the first gathering's late answers (CloudTrail) are in, a report is reused as it is
    # while nothing changes.
    for _ in range(50):
        again = await engine.report(server)
        if again is first:
            break
        first = again
        await asyncio.sleep(0.1)
    else:
        pytest.fail("the server report is never reused")
    assert _check_of(first) is None
    token = engine.generation()

    kernel_scopes: list[bool] = []

    def forwarding(scope):
        kernel_scopes.append(scope.is_kernel)
        return forwarder.check()

    engine.extra_checks.append(forwarding)
    engine.changed()
    assert engine.generation() != token
    second = await engine.report(server)
    assert second is not first and kernel_scopes == [False]
    check = _check_of(second)
    assert check is not None and check["status"] == "pass"
    assert (check["group"], check["required"], check["evidence"]) == ("audit", False, None)
    assert second["checks"][-1]["id"] == CHECK_ID  # after the engine's own
    assert second["verdict"] == first["verdict"] == "propagated"

    # A failing extra check sways neither the verdict nor its cause (the banner's words).
    cause = second["cause"]
    engine.extra_checks[:] = [lambda scope: replace(forwarder.check(), status="fail")]
    engine.changed()
    third = await engine.report(server)
    assert _check_of(third)["status"] == "fail"
    assert third["verdict"] == "propagated" and third["cause"] == cause

    # One that raises, or claims to be required, is left out; the report is whole.
    def broken(scope):
        raise RuntimeError("a bug")

    engine.extra_checks[:] = [broken, lambda scope: replace(forwarder.check(), required=True)]
    engine.changed()
    fourth = await engine.report(server)
    assert _check_of(fourth) is None and fourth["verdict"] == "propagated"


async def _settled_generation(engine: IdentityEngine) -> Any:
    """The engine's token once the answers the reports started have come in (it holds still)."""
    token = engine.generation()
    for _ in range(100):
        await asyncio.sleep(0.1)
        now = engine.generation()
        if now == token:
            return token
        token = now
    pytest.fail("the engine's generation never settles")


MISSING_GROUP = f"/tip/never-created-{uuid.uuid4().hex[:8]}"


@pytest.mark.traits(audit_log_group=MISSING_GROUP, audit_log_interval=3600.0)
async def test_a_blocked_forwarding_shows_in_the_server_report_and_the_audit_route(
    api, jp_serverapp, start_kernel, studio
):
    forwarder = trusted_identity_app(jp_serverapp).audit_forwarder
    status, body = await api("audit")
    assert status == 200 and body["records"] == []
    _validate(body["forwarding"], "AuditForwarding")
    assert body["forwarding"]["enabled"] is True
    assert (body["forwarding"]["state"], body["forwarding"]["log_group"]) == (
        "waiting",
        MISSING_GROUP,
    )
    status, before = await api("identity")
    assert status == 200 and before["verdict"] == "propagated"
    check = _check_of(before)
    assert check is not None, [c["id"] for c in before["checks"]]
    assert (check["status"], check["required"], check["group"]) == ("pass", False, "audit")

    assert (await api("identity/check", "POST"))[0] == 200  # an audit record to send
    engine = trusted_identity_app(jp_serverapp).engine
    token = await _settled_generation(engine)
    status, kept = await api("identity")
    assert _check_of(kept)["status"] == "pass"
    await forwarder.forward_once()  # CreateLogStream: no such group
    # The state change moved the engine's token (on_change=engine.changed) and renewed the
    # kept report: a plain GET shows the blocked check.
    assert engine.generation() != token
    status, report = await api("identity")
    check = _check_of(report)
    assert check is not None and check["status"] == "fail", check
    assert check["iam_action"] == "logs:CreateLogStream"
    assert check["error_code"] == "ResourceNotFoundException"
    region = studio["env"]["AWS_REGION"]
    assert (
        f"aws logs create-log-group --log-group-name {MISSING_GROUP} --region {region}"
        in check["remediation"]
    )
    assert report["verdict"] == "propagated" and report["cause"] != CHECK_ID

    status, body = await api("audit")
    forwarding = body["forwarding"]
    _validate(forwarding, "AuditForwarding")
    assert (forwarding["state"], forwarding["iam_action"], forwarding["error_code"]) == (
        "blocked",
        "logs:CreateLogStream",
        "ResourceNotFoundException",
    )
    assert forwarding["remediation"] == check["remediation"]
    assert forwarding["pending"] == 1 and forwarding["forwarded"] == 0
    assert [r["event"] for r in body["records"]] == ["checked"]

    # A kernel's report does not carry the server's forwarding.
    kernel_id = await start_kernel("python3", path="forwarding.ipynb")
    status, kernel_report = await api(f"kernels/{kernel_id}")
    assert status == 200 and kernel_report["scope"]["kind"] == "kernel"
    assert _check_of(kernel_report) is None


async def test_forwarding_off_adds_no_check_and_the_route_says_null(api, jp_serverapp):
    assert trusted_identity_app(jp_serverapp).audit_forwarder.enabled is False
    status, report = await api("identity")
    assert status == 200 and _check_of(report) is None
    assert not [c for c in report["checks"] if c["group"] == "audit"]
    status, body = await api("audit")
    assert status == 200 and body == {"records": [], "forwarding": None}

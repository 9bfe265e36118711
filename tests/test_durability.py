"""SIGKILL of a real `jupyter server` in the middle of a burst of audit writes from several
kernels (starts, restarts, explicit checks) and from the server's own checks: the audit store
opens again on the same file, holds every record the server had acknowledged, and the
restarted server goes on writing. test_audit.py kills writers of the store itself; this is the
server-level test.
"""

from __future__ import annotations

import json
import os
import signal
import threading
import time
from collections import Counter
from pathlib import Path
from typing import Any

import pytest

from bench.harness import Server

KERNELS = 4
ACKNOWLEDGED_BEFORE_KILL = 40


@pytest.fixture
def happy(emulator) -> dict[str, Any]:
    info = emulator.use("happy")
    emulator.reset_calls()
    return info


def _records(server: Server) -> list[dict[str, Any]]:
    return server.client.json("GET", "trusted-identity/audit?limit=10000")["records"]


@pytest.mark.skipif(not hasattr(signal, "SIGKILL"), reason="needs POSIX signals")
def test_sigkill_during_a_burst_of_audit_writes_loses_no_acknowledged_record(
    emulator, happy, tmp_path: Path
):
    audit = tmp_path / "audit" / "audit.sqlite3"
    first = Server(emulator, tmp_path, name="first", audit_path=audit)
    try:
        first.wait_ready()
        kernels = []
        for n in range(KERNELS):
            body = {"path": f"burst-{n}.ipynb", "type": "notebook", "kernel": {"name": "python3"}}
            session = first.client.json("POST", "api/sessions", body, expect=201)
            kernels.append(session["kernel"]["id"])
        deadline = time.monotonic() + 60
        while sum(r["event"] == "kernel_started" for r in _records(first)) < KERNELS:
            assert time.monotonic() < deadline, first.log_tail()
            time.sleep(0.2)

        acknowledged: Counter[str | None] = Counter()  # 'checked' responses received, by kernel
        listed: list[dict[str, Any]] = []  # the newest audit listing received before the kill
        lock = threading.Lock()
        stop = threading.Event()

        def check(kernel_id: str | None) -> None:
            client = first.new_client()
            path = f"kernels/{kernel_id}/check" if kernel_id else "identity/check"
            while not stop.is_set():
                try:
                    status, _ = client.request("POST", f"trusted-identity/{path}", {})
                except Exception:
                    return  # the server is gone
                if status == 200:
                    with lock:
                        acknowledged[kernel_id] += 1

        def restart() -> None:
            client = first.new_client()
            n = 0
            while not stop.is_set():
                try:
                    client.request("POST", f"api/kernels/{kernels[n % KERNELS]}/restart", {})
                except Exception:
                    return
                n += 1

        def listing() -> None:
            client = first.new_client()
            while not stop.is_set():
                try:
                    status, body = client.request("GET", "trusted-identity/audit?limit=10000")
                except Exception:
                    return
                if status == 200:
                    records = json.loads(body)["records"]
                    with lock:
                        listed[:] = records
                time.sleep(0.05)

        workers = [threading.Thread(target=check, args=(k,)) for k in [None, *kernels]]
        workers += [threading.Thread(target=restart), threading.Thread(target=listing)]
        for worker in workers:
            worker.start()
        deadline = time.monotonic() + 120

        # Explicit checks beyond the rate limit are answered at once (engine/budget.py), so
        # also wait for a kernel restart to be audited and listed before the kill.
        def burst_under_way() -> bool:
            with lock:
                restarted = any(r["event"] == "kernel_restarted" for r in listed)
                return restarted and sum(acknowledged.values()) >= ACKNOWLEDGED_BEFORE_KILL

        while not burst_under_way():
            assert time.monotonic() < deadline, first.log_tail()
            time.sleep(0.02)
        # Mid-burst: requests are in flight on every thread. The whole process group goes,
        # kernels included, as when Studio stops a space.
        os.killpg(first.proc.pid, signal.SIGKILL)
        first.proc.wait(10)
        stop.set()
        for worker in workers:
            worker.join(30)
        assert first.proc.returncode == -signal.SIGKILL
        with lock:
            acknowledged_then = dict(acknowledged)
            listed_then = list(listed)
    finally:
        first.stop()

    assert listed_then, "no audit listing was received before the kill"
    assert any(r["event"] == "kernel_restarted" for r in listed_then), "no restart was audited"
    second = Server(emulator, tmp_path, name="second", audit_path=audit)
    try:
        second.wait_ready()
        # The store opened the killed server's file as it was: nothing moved aside.
        assert not list(audit.parent.glob("*.corrupt-*")), list(audit.parent.iterdir())
        after = _records(second)
        for record in listed_then:
            assert record in after, record
        checked = Counter(r["kernel_id"] for r in after if r["event"] == "checked")
        for kernel_id, count in acknowledged_then.items():
            assert checked[kernel_id] >= count, (kernel_id, checked[kernel_id], count)

        status, report = second.client.request("POST", "trusted-identity/identity/check", {})
        assert status == 200, report
        resumed = _records(second)
        assert len(resumed) == len(after) + 1
        assert resumed[0]["event"] == "checked" and resumed[0]["kernel_id"] is None
        assert resumed[1:] == after
    finally:
        second.stop()

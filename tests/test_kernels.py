"""The kernel-launch hook and the per-kernel reports: real kernels started through Jupyter's REST
API in the emulated Studio, and a real `jupyter server` process killed with SIGKILL."""

from __future__ import annotations

import configparser
import json
import os
import signal
import sys
import time
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest
from helpers_reports import (
    MASKED_KEY,
    assert_report_shape,
    audit_record,
    check,
    explain,
)

from bench.harness import Server

STS = "sts:GetCallerIdentity"
ASSUME_ROLE = "sts:AssumeRole"


def _masked(key: str) -> str:
    return f"{key[:4]}…{key[-4:]}"


def _analytics_keys(studio: dict[str, Any]) -> tuple[str, str]:
    """The static keys of IAM user `analytics` the emulator writes for every scenario."""
    parser = configparser.ConfigParser()
    parser.read(Path(studio["state_dir"]) / "aws" / "credentials")
    section = parser["analytics-keys"]
    return section["aws_access_key_id"], section["aws_secret_access_key"]


def _parse(iso: str) -> datetime:
    return datetime.fromisoformat(iso.replace("Z", "+00:00"))


async def _kernel_report(api, kernel_id: str) -> dict[str, Any]:
    status, report = await api(f"kernels/{kernel_id}")
    assert status == 200, report
    assert_report_shape(report, kernel=True)
    return report


# ---- the headline --------------------------------------------------------------------------


async def test_aws_profile_kernel_is_not_propagated_while_server_and_python3_are(
    api, studio, start_kernel
):
    expected = studio["expected"]
    status, server = await api("identity")
    assert status == 200 and server["verdict"] == "propagated", explain(server)
    assert "kernel.environment" not in {c["id"] for c in server["checks"]}

    profile_id = await start_kernel("python3-aws-profile", path="profile.ipynb")
    plain_id = await start_kernel("python3", path="plain.ipynb")

    report = await _kernel_report(api, profile_id)
    assert report["verdict"] == "not_propagated", explain(report)
    scope = report["scope"]
    assert (scope["kind"], scope["kernel_id"], scope["kernel_name"], scope["session_path"]) == (
        "kernel",
        profile_id,
        "python3-aws-profile",
        "profile.ipynb",
    )
    assert scope["launched_at"] is not None
    creds = report["credentials"]
    assert creds["source"] == "assume-role", creds
    assert "AWS_PROFILE" in creds["overridden_by"], creds
    assert report["role"]["caller_arn"] == (
        f"arn:aws:sts::{expected['account']}:assumed-role/AnalyticsRole/analytics"
    )
    environment = check(report, "kernel.environment")
    assert environment["status"] == "fail" and environment["required"] is True, environment
    assert "AWS_PROFILE" in environment["detail"] and "AWS_PROFILE" in environment["remediation"]
    assert check(report, "credentials.carrier")["status"] == "fail"
    assert report["user"]["provenance"] == "none" and report["user"]["user_id"] is None
    # Another role's session: CloudTrail is not asked at the kernel's start...
    assert report["verification"]["status"] == "unavailable", report["verification"]
    assert "explicit check" in report["verification"]["detail"]
    # ...but on an explicit check, which finds that key's STS events only: they never record
    # onBehalfOf.
    status, checked = await api(f"kernels/{profile_id}/check", "POST")
    assert status == 200 and checked["verification"]["status"] == "inconclusive", checked

    plain = await _kernel_report(api, plain_id)
    assert plain["verdict"] == "propagated", explain(plain)
    assert plain["scope"]["kernel_name"] == "python3"
    assert plain["credentials"]["source"] == "container-role"
    assert plain["credentials"]["overridden_by"] == []
    assert check(plain, "kernel.environment")["status"] == "pass"
    assert (plain["user"]["user_id"], plain["user"]["provenance"]) == (
        expected["user_id"],
        "cloudtrail",
    )
    assert plain["role"]["caller_arn"] == server["role"]["caller_arn"] == expected["caller_arn"]

    status, server_again = await api("identity")
    assert server_again["verdict"] == "propagated", explain(server_again)


async def test_kernelspec_with_static_keys_is_env_sourced(api, studio, start_kernel, jp_kernel_dir):
    key_id, secret = _analytics_keys(studio)
    # Not the emulator's own python3-static-keys spec: this one holds the analytics user's keys.
    spec = Path(jp_kernel_dir) / "python3-analytics-keys"
    spec.mkdir()
    (spec / "kernel.json").write_text(
        json.dumps(
            {
                "argv": [sys.executable, "-m", "ipykernel_launcher", "-f", "{connection_file}"],
                "display_name": "Python 3 (static keys)",
                "language": "python",
                "env": {"AWS_ACCESS_KEY_ID": key_id, "AWS_SECRET_ACCESS_KEY": secret},
            }
        ),
        encoding="utf-8",
    )
    kernel_id = await start_kernel("python3-analytics-keys", path="keys.ipynb")
    report = await _kernel_report(api, kernel_id)
    assert key_id not in json.dumps(report) and secret not in json.dumps(report)

    assert report["verdict"] == "not_propagated", explain(report)
    creds = report["credentials"]
    assert creds["source"] == "env", creds
    assert {"AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY"} <= set(creds["overridden_by"]), creds
    assert creds["access_key_id"] == _masked(key_id)
    assert creds["expires_at"] is None
    expected_arn = f"arn:aws:iam::{studio['expected']['account']}:user/analytics"
    assert report["role"]["caller_arn"] == expected_arn
    assert check(report, "kernel.environment")["status"] == "fail"
    assert check(report, "credentials.carrier")["status"] == "fail"
    assert check(report, "credentials.valid")["status"] == "pass"


async def test_kernel_list_has_one_report_per_running_kernel(api, start_kernel, jp_fetch):
    started = {
        await start_kernel("python3", path="one.ipynb"): ("python3", "one.ipynb", "propagated"),
        await start_kernel("python3-aws-profile", path="two.ipynb"): (
            "python3-aws-profile",
            "two.ipynb",
            "not_propagated",
        ),
    }
    running = json.loads((await jp_fetch("api", "kernels")).body)
    assert {k["id"] for k in running} == set(started)

    status, body = await api("kernels")
    assert status == 200, body
    reports = body["kernels"]
    ids = [r["scope"]["kernel_id"] for r in reports]
    assert sorted(ids) == sorted(started), ids
    for report in reports:
        assert_report_shape(report, kernel=True)
        name, path, verdict = started[report["scope"]["kernel_id"]]
        scope = report["scope"]
        assert (scope["kind"], scope["kernel_name"], scope["session_path"]) == (
            "kernel",
            name,
            path,
        )
        assert report["verdict"] == verdict, explain(report)


# ---- launch hook: audit, restart, shutdown -------------------------------------------------


async def test_start_restart_and_shutdown_of_a_session_kernel(api, studio, start_kernel, jp_fetch):
    expected = studio["expected"]
    kernel_id = await start_kernel("python3", path="work/nb.ipynb")

    started = await audit_record(api, "kernel_started", kernel_id)
    first = await _kernel_report(api, kernel_id)
    assert {k: started[k] for k in started if k != "at"} == {
        "event": "kernel_started",
        "kernel_id": kernel_id,
        "kernel_name": "python3",
        "session_path": "work/nb.ipynb",
        "verdict": "propagated",
        "user_id": expected["user_id"],
        "user_name": "jdoe",
        "caller_arn": expected["caller_arn"],
        "access_key_id": first["credentials"]["access_key_id"],
        "credential_source": "container-role",
        # An access test's fields: empty in any other record.
        "access_target": None,
        "access_permission": None,
        "access_status": None,
        "grantee_type": None,
    }
    assert MASKED_KEY.match(started["access_key_id"]), started
    launched = _parse(first["scope"]["launched_at"])
    assert first["scope"]["launch"] == 1
    await jp_fetch("api", "kernels", kernel_id, "restart", method="POST", body="{}")

    restarted = await audit_record(api, "kernel_restarted", kernel_id)
    assert (restarted["kernel_name"], restarted["session_path"], restarted["verdict"]) == (
        "python3",
        "work/nb.ipynb",
        "propagated",
    )
    status, audit = await api("audit")
    assert [r["event"] for r in audit["records"][:2]] == ["kernel_restarted", "kernel_started"]
    second = await _kernel_report(api, kernel_id)
    assert _parse(second["scope"]["launched_at"]) > launched, (first["scope"], second["scope"])
    assert second["scope"]["launch"] == 2

    response = await jp_fetch("api", "kernels", kernel_id, method="DELETE")
    assert response.code == 204
    status, body = await api("kernels")
    assert status == 200 and kernel_id not in [r["scope"]["kernel_id"] for r in body["kernels"]]
    status, body = await api(f"kernels/{kernel_id}")
    assert status == 404 and body["error"]["code"] == "not_found", body


@pytest.mark.parametrize("kernel_name", ["python3-aws-profile", "python3"])
async def test_launch_check_runs_once_per_start(kernel_name: str, api, emulator, start_kernel):
    status, server = await api("identity")  # the server's own facts are cached from here on
    assert status == 200
    emulator.reset_calls()

    kernel_id = await start_kernel(kernel_name, path=f"{kernel_name}.ipynb")
    first = await _kernel_report(api, kernel_id)  # joins the launch check
    await audit_record(api, "kernel_started", kernel_id)
    calls = emulator.calls()
    sts_keys = [c["access_key_id"] for c in calls["calls"] if c["operation"] == STS]
    if kernel_name == "python3-aws-profile":
        # A new assumed-role key: STS is asked once, for that key.
        assert sts_keys == [first["credentials"]["access_key_id"]], calls["counts"]
        assert calls["counts"].get(ASSUME_ROLE, 0) == 1, calls["counts"]
    else:
        # The space's own key, which STS answered for this cache period already.
        assert sts_keys == [], calls["counts"]
        assert first["credentials"]["access_key_id"] == server["credentials"]["access_key_id"]
    assert calls["counts"].get("container:GetCredentials", 0) >= 1  # re-read at launch

    emulator.reset_calls()
    second = await _kernel_report(api, kernel_id)
    counts = emulator.calls()["counts"]
    assert counts.get(STS, 0) == 0 and counts.get(ASSUME_ROLE, 0) == 0, counts
    assert second["credentials"]["access_key_id"] == first["credentials"]["access_key_id"]
    assert second["verdict"] == first["verdict"]


async def test_rotated_container_keys_show_on_an_explicit_check(api, emulator):
    status, before = await api("identity/check", "POST")
    assert status == 200 and before["verdict"] == "propagated", explain(before)

    rotated = emulator.rotate()["access_key_id"]
    assert rotated != before["credentials"]["access_key_id"]

    status, after = await api("identity/check", "POST")
    assert status == 200, after
    assert after["credentials"]["access_key_id"] == rotated
    assert after["verdict"] == "propagated", explain(after)
    assert after["verification"]["status"] == "verified"
    assert after["role"]["caller_arn"] == before["role"]["caller_arn"]

    status, audit = await api("audit")
    checked = [r for r in audit["records"] if r["event"] == "checked"]
    assert [r["access_key_id"] for r in checked[:2]] == [
        rotated,
        before["credentials"]["access_key_id"],
    ]


# ---- durability across a killed server -----------------------------------------------------


def _audit(server: Server) -> list[dict[str, Any]]:
    status, body = server.client.request("GET", "trusted-identity/audit?limit=1000")
    assert status == 200, body
    return json.loads(body)["records"]


def _started_record(server: Server, kernel_id: str, timeout: float = 60.0) -> dict[str, Any]:
    """Waits for the `kernel_started` audit record of `kernel_id` (the server must stay up)."""
    deadline = time.monotonic() + timeout
    while True:
        assert server.proc.poll() is None, f"server exited:\n{server.log_tail()}"
        for record in _audit(server):
            if record["event"] == "kernel_started" and record["kernel_id"] == kernel_id:
                return record
        assert time.monotonic() < deadline, (
            f"kernel_started record not within {timeout} s:\n{server.log_tail()}"
        )
        time.sleep(0.2)


def test_audit_records_survive_a_killed_server(emulator, studio, tmp_path):
    # `studio` seeds the scenario whose environment the server gets (`emulator.env`).
    audit_path = tmp_path / "audit" / "audit.sqlite3"
    first = Server(emulator, tmp_path, audit_path=audit_path)
    kernel_pids: list[int] = []
    try:
        first.wait_ready()
        body = {"path": "crash.ipynb", "type": "notebook", "kernel": {"name": "python3"}}
        status, session = first.client.request("POST", "api/sessions", body)
        assert status == 201, session
        kernel_id = json.loads(session)["kernel"]["id"]
        record = _started_record(first, kernel_id)
        assert record["verdict"] == "propagated" and record["session_path"] == "crash.ipynb"
        kernel_pids = first.kernel_pids()
        assert kernel_pids, "the kernel process was not found"
    finally:
        for pid in kernel_pids:
            try:
                os.kill(pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
        if first.proc.poll() is None:
            first.proc.send_signal(signal.SIGKILL)
        first.proc.wait(10)
        first.stop()
    assert first.proc.returncode == -signal.SIGKILL

    # The same Studio home, root and audit file, as when Studio restarts the server.
    second = Server(emulator, tmp_path, audit_path=audit_path)
    try:
        second.wait_ready()
        records = _audit(second)
        assert record in records, records
        status, data = second.client.request("POST", "trusted-identity/identity/check", {})
        assert status == 200, data
        report = json.loads(data)
        assert report["verdict"] == "propagated", report
        after = _audit(second)
        assert after[0]["event"] == "checked" and after[0]["kernel_id"] is None, after[0]
        assert after[1:] == records
    finally:
        second.stop()

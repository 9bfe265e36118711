"""The kernel-launch hook and the per-kernel reports: real kernels started through Jupyter's REST
API in the emulated Studio, and a real `jupyter server` process killed with SIGKILL."""

from __future__ import annotations

import configparser
import json
import os
import secrets
import signal
import subprocess
import sys
import time
import urllib.error
import urllib.request
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

from studio_emulator.client import apply_env
from studio_emulator.processes import child_pids, free_port

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
    assert report["verification"]["status"] == "absent"

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
    spec = Path(jp_kernel_dir) / "python3-static-keys"
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
    kernel_id = await start_kernel("python3-static-keys", path="keys.ipynb")
    status, raw = await api(f"kernels/{kernel_id}")
    assert status == 200, raw
    assert key_id not in json.dumps(raw) and secret not in json.dumps(raw)
    report = await _kernel_report(api, kernel_id)

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

BASE_URL = "/jupyterlab/default/"


class _Server:
    """`jupyter server` as a real process, the way SageMaker Studio serves JupyterLab."""

    def __init__(self, env: dict[str, str], tmp: Path, audit_path: Path, metadata: str, n: int):
        self.port, self.token = free_port(), secrets.token_hex(16)
        self.log_path = tmp / f"server-{n}.log"
        jupyter = Path(sys.executable).with_name("jupyter")
        args = [
            str(jupyter),
            "server",
            "--allow-root",
            "--no-browser",
            "--ServerApp.ip=127.0.0.1",
            f"--port={self.port}",
            "--ServerApp.port_retries=0",
            f"--ServerApp.base_url={BASE_URL}",
            f"--ServerApp.root_dir={tmp / 'root'}",
            f"--IdentityProvider.token={self.token}",
            f"--TrustedIdentity.metadata_path={metadata}",
            f"--TrustedIdentity.audit_path={audit_path}",
        ]
        with open(self.log_path, "ab") as log:
            self.proc = subprocess.Popen(
                args, env=env, cwd=tmp, stdout=log, stderr=subprocess.STDOUT
            )
        self.url = f"http://127.0.0.1:{self.port}{BASE_URL}"

    def log(self) -> str:
        return self.log_path.read_text(errors="replace")[-3000:]

    def call(self, method: str, path: str, body: Any = None) -> tuple[int, Any]:
        data = None if body is None else json.dumps(body).encode()
        request = urllib.request.Request(
            self.url + path,
            data=data,
            method=method,
            headers={"Authorization": f"token {self.token}", "Content-Type": "application/json"},
        )
        try:
            with urllib.request.urlopen(request, timeout=30) as response:
                return response.status, json.loads(response.read() or b"null")
        except urllib.error.HTTPError as error:
            return error.code, error.read().decode(errors="replace")

    def wait(self, probe, what: str, timeout: float = 60.0) -> Any:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            assert self.proc.poll() is None, f"server exited:\n{self.log()}"
            try:
                value = probe()
            except (urllib.error.URLError, ConnectionError, TimeoutError):
                value = None
            if value:
                return value
            time.sleep(0.2)
        raise AssertionError(f"{what} not within {timeout} s:\n{self.log()}")

    def ready(self) -> _Server:
        self.wait(lambda: self.call("GET", "api/status")[0] == 200, "server ready")
        status, version = self.call("GET", "trusted-identity/version")
        assert status == 200, f"extension not loaded: {version}\n{self.log()}"
        return self

    def audit(self) -> list[dict[str, Any]]:
        status, body = self.call("GET", "trusted-identity/audit?limit=1000")
        assert status == 200, body
        return body["records"]

    def stop(self) -> None:
        if self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(20)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait(5)


def test_audit_records_survive_a_killed_server(studio, tmp_path):
    env = apply_env(studio["env"])
    for name in ("home", "config", "data", "runtime", "root"):
        (tmp_path / name).mkdir()
    env.update(
        HOME=str(tmp_path / "home"),
        JUPYTER_CONFIG_DIR=str(tmp_path / "config"),
        JUPYTER_DATA_DIR=str(tmp_path / "data"),
        JUPYTER_RUNTIME_DIR=str(tmp_path / "runtime"),
    )
    audit_path = tmp_path / "audit" / "audit.sqlite3"
    metadata = studio["metadata_path"]

    first = _Server(env, tmp_path, audit_path, metadata, 1)
    kernel_pids: list[int] = []
    try:
        first.ready()
        body = {"path": "crash.ipynb", "type": "notebook", "kernel": {"name": "python3"}}
        status, session = first.call("POST", "api/sessions", body)
        assert status == 201, session
        kernel_id = session["kernel"]["id"]
        record = first.wait(
            lambda: next(
                (
                    r
                    for r in first.audit()
                    if r["event"] == "kernel_started" and r["kernel_id"] == kernel_id
                ),
                None,
            ),
            "kernel_started record",
        )
        assert record["verdict"] == "propagated" and record["session_path"] == "crash.ipynb"
        kernel_pids = child_pids(first.proc.pid)
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
    assert first.proc.returncode == -signal.SIGKILL

    second = _Server(env, tmp_path, audit_path, metadata, 2)
    try:
        second.ready()
        records = second.audit()
        assert record in records, records
        status, report = second.call("POST", "trusted-identity/identity/check", {})
        assert status == 200 and report["verdict"] == "propagated", report
        after = second.audit()
        assert after[0]["event"] == "checked" and after[0]["kernel_id"] is None, after[0]
        assert after[1:] == records
    finally:
        second.stop()

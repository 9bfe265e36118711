"""``python -m studio_emulator``: list, serve, run (what `make demo` and Galata use)."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

from studio_emulator import scenarios
from studio_emulator.client import REPO_ROOT, EmulatorProcess

CLI = [sys.executable, "-m", "studio_emulator"]

# Written to a file by the child of `run`: what it was given.
PROBE = """
import json, os, sys
import boto3
session = boto3.Session()
json.dump({
    "argv": sys.argv[1:],
    "env": {k: os.environ.get(k) for k in (
        "AWS_REGION", "AWS_ENDPOINT_URL_STS", "AWS_CONTAINER_CREDENTIALS_FULL_URI",
        "AWS_PROFILE", "AWS_ACCESS_KEY_ID", "STUDIO_EMULATOR_URL", "STUDIO_EMULATOR_METADATA",
        "TRUSTED_IDENTITY_PROPOGATION_ENABLED", "JUPYTER_PATH")},
    "method": session.get_credentials().method,
    "arn": session.client("sts").get_caller_identity()["Arn"],
    "metadata": json.load(open(sys.argv[1])),
}, open(sys.argv[-1], "w"))
sys.exit(int(os.environ.get("PROBE_EXIT", "0")))
"""


def _cli(*args: str, env: dict[str, str] | None = None, timeout: float = 60):
    return subprocess.run(
        [*CLI, *args], cwd=REPO_ROOT, capture_output=True, text=True, timeout=timeout, env=env
    )


def test_list_names_every_scenario():
    out = _cli("list")
    assert out.returncode == 0
    rows = [line.split(maxsplit=1) for line in out.stdout.splitlines() if line.strip()]
    assert {name for name, _ in rows} == set(scenarios.names())
    assert all(len(row) == 2 and row[1].endswith(".") for row in rows)


def test_run_passes_env_and_placeholders_and_exit_code(tmp_path):
    out_file = tmp_path / "probe.json"
    env = {
        **os.environ,
        "PROBE_EXIT": "7",
        "AWS_PROFILE": "someone-elses",
        "AWS_ACCESS_KEY_ID": "AKIAFROMTHEHOST00000",
    }
    result = _cli(
        "run",
        "--scenario",
        "happy",
        "--state-dir",
        str(tmp_path / "state"),
        "--",
        sys.executable,
        "-c",
        PROBE,
        "{metadata_path}",
        "url={emulator_url}",
        "{state_dir}",
        "{not_a_placeholder}",
        str(out_file),
        env=env,
    )
    assert result.returncode == 7, result.stderr
    probe = json.loads(out_file.read_text())
    state = str((tmp_path / "state").resolve())
    url = probe["env"]["STUDIO_EMULATOR_URL"]
    assert probe["argv"][:4] == [
        f"{state}/metadata/resource-metadata.json",
        f"url={url}",
        state,
        "{not_a_placeholder}",
    ]
    assert probe["env"]["AWS_REGION"] == "us-east-1"
    assert probe["env"]["AWS_ENDPOINT_URL_STS"] == url
    assert probe["env"]["AWS_CONTAINER_CREDENTIALS_FULL_URI"] == url + "/_container/credentials"
    assert probe["env"]["AWS_PROFILE"] is None and probe["env"]["AWS_ACCESS_KEY_ID"] is None
    assert probe["env"]["TRUSTED_IDENTITY_PROPOGATION_ENABLED"] == "true"
    assert probe["env"]["JUPYTER_PATH"].startswith(f"{state}/jupyter")
    assert probe["method"] == "container-role"
    assert probe["arn"] == "arn:aws:sts::111122223333:assumed-role/SageMakerExec/SageMaker"
    assert probe["metadata"]["SpaceName"] == "jdoe-space"


def test_run_forwards_sigterm_and_cleans_up(tmp_path):
    child = (
        "import signal, sys, time; "
        "signal.signal(signal.SIGTERM, lambda *a: sys.exit(5)); "
        "open(sys.argv[1], 'w').write('up'); time.sleep(60)"
    )
    flag = tmp_path / "up"
    proc = subprocess.Popen(
        [*CLI, "run", "--scenario", "iam_auth", "--", sys.executable, "-c", child, str(flag)],
        cwd=REPO_ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    try:
        deadline = time.monotonic() + 30
        while not flag.exists() and time.monotonic() < deadline:
            time.sleep(0.05)
        assert flag.exists(), proc.stderr.read1().decode() if proc.poll() is not None else ""
        proc.send_signal(signal.SIGTERM)
        assert proc.wait(15) == 5
        state = proc.stderr.read().decode()
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
    assert "scenario iam_auth" in state


def test_run_without_command_fails():
    assert _cli("run", "--scenario", "happy").returncode == 2


def test_serve_rejects_unknown_scenario(tmp_path):
    result = _cli("serve", "--scenario", "nope", "--state-dir", str(tmp_path))
    assert result.returncode == 2 and "unknown scenario" in result.stderr


def test_serve_writes_info_and_stops_on_sigterm(tmp_path):
    emu = EmulatorProcess.start(tmp_path, scenario="remote_access")
    info_file = Path(tmp_path) / "emulator-info.json"
    assert json.loads(info_file.read_text())["name"] == "remote_access"
    assert oct(info_file.stat().st_mode & 0o777) == "0o600"
    emu.use("shared_space")  # the info file follows scenario switches
    assert json.loads(info_file.read_text())["name"] == "shared_space"
    assert "studio-emulator ready http://127.0.0.1:" in emu.log_path.read_text()
    assert emu.stop() == 0

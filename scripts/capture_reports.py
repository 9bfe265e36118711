"""Capture the jest fixtures (src/__tests__/data/*.json): real reports of the engine against the
Studio emulator, so the frontend's tests read what the server really sends.

    .venv/bin/python scripts/capture_reports.py            # every fixture
    .venv/bin/python scripts/capture_reports.py happy      # those of one scenario

The Test access answers (access-test-*.json) are made the same way, through
IdentityEngine.test_access after a server report names the expected user.

Each report is made in a child process whose environment is the scenario's, exactly as the
server extension makes it (IdentityEngine.report with an explicit refresh).
"""

from __future__ import annotations

import asyncio
import json
import os
import subprocess
import sys
import tempfile
from datetime import UTC, datetime
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from studio_emulator.client import EmulatorProcess, apply_env  # noqa: E402

DATA = REPO / "src" / "__tests__" / "data"
KERNEL_ID = "4f1c2a3b-5d6e-4f70-8a9b-0c1d2e3f4a5b"
# fixture file -> (scenario, kernelspec of a kernel report or None for the server report)
CAPTURES: dict[str, tuple[str, str | None]] = {
    "server-happy.json": ("happy", None),
    "server-shared-space.json": ("shared_space", None),
    "server-no-credentials.json": ("no_credentials", None),
    "server-outside-studio.json": ("outside_studio", None),
    "server-describe-space-denied.json": ("describe_space_denied", None),
    "server-sts-throttled.json": ("sts_throttled", None),
    "server-tip-read-missing.json": ("tip_read_missing", None),
    "kernel-aws-profile.json": ("happy", "python3-aws-profile"),
    "server-access-grants-user-and-group.json": ("access_grants_user_and_group", None),
    "server-access-grants-no-grant.json": ("access_grants_no_grant", None),
    "server-access-grants-other-instance.json": ("access_grants_other_instance", None),
    "server-access-grants-no-instance.json": ("access_grants_no_instance", None),
    "server-access-grants-denied.json": ("access_grants_denied", None),
    "server-services-not-configured.json": ("services_not_configured", None),
    "server-services-other-instance.json": ("services_other_instance", None),
    "server-services-denied.json": ("services_denied", None),
}
# fixture file -> (scenario, S3 URI, permission) of a Test access (POST trusted-identity/access-test)
ACCESS_TESTS: dict[str, tuple[str, str, str]] = {
    "access-test-allowed.json": ("happy", "s3://amzn-s3-demo-bucket/users/jdoe/data.csv", "READ"),
    "access-test-denied.json": ("happy", "s3://amzn-s3-demo-bucket/finance/q1.csv", "READ"),
    "access-test-group.json": (
        "access_grants_user_and_group",
        "s3://amzn-s3-demo-bucket/projects/churn/train.csv",
        "READ",
    ),
    "access-test-unknown.json": (
        "access_grants_denied",
        "s3://amzn-s3-demo-bucket/users/jdoe/data.csv",
        "READ",
    ),
}
# fixture file -> (scenario, S3 URI, permission): the server report after that Test access
PROVEN_BY_ACCESS_TEST: dict[str, tuple[str, str, str]] = {
    "server-grantee-proof.json": (
        "tip_read_missing_ct_pending",
        "s3://amzn-s3-demo-bucket/users/jdoe/data.csv",
        "READ",
    ),
}


async def _report(metadata_path: str, kernelspec: str | None, jupyter_dir: str) -> dict:
    from jupyterlab_trusted_identity.engine import EngineConfig, IdentityEngine, Scope

    engine = IdentityEngine(EngineConfig(metadata_path=metadata_path), dict(os.environ))
    try:
        scope = engine.server_scope()
        if kernelspec:
            spec = json.loads(
                (Path(jupyter_dir) / "kernels" / kernelspec / "kernel.json").read_text()
            )
            scope = Scope(
                kind="kernel",
                environ={**os.environ, **spec.get("env", {})},
                kernel_id=KERNEL_ID,
                kernel_name=kernelspec,
                session_path="analysis.ipynb",
                launched_at=datetime.now(UTC),
                launch=1,
                environment_source="kernelspec",
            )
        return await engine.report(scope, refresh=True)
    finally:
        engine.close()


async def _access_test(
    metadata_path: str, target: str, permission: str, then_report: bool = False
) -> dict:
    """A Test access as the route runs it: the expected user is the server report's; with
    then_report, the server report that follows it."""
    from jupyterlab_trusted_identity.engine import EngineConfig, IdentityEngine
    from jupyterlab_trusted_identity.engine.access_test import parse_request

    engine = IdentityEngine(EngineConfig(metadata_path=metadata_path), dict(os.environ))
    try:
        report = await engine.report(engine.server_scope())
        request = parse_request({"target": target, "permission": permission})
        result = await engine.test_access(request, report["user"]["user_id"])
        return await engine.report(engine.server_scope()) if then_report else result
    finally:
        engine.close()


def _child(metadata_path: str, what: str, argument: str, extra: str = "") -> None:
    if what in ("access-test", "report-after-access-test"):
        result = asyncio.run(
            _access_test(metadata_path, argument, extra, what == "report-after-access-test")
        )
    else:
        result = asyncio.run(_report(metadata_path, what or None, argument))
    sys.stdout.write(json.dumps(result, indent=2) + "\n")


def main(only: list[str]) -> None:
    with tempfile.TemporaryDirectory() as state:
        emulator = EmulatorProcess.start(state)
        try:
            jobs = (
                [
                    (name, scenario, [kernelspec or "", str(Path(state) / "jupyter")], "verdict")
                    for name, (scenario, kernelspec) in CAPTURES.items()
                ]
                + [
                    (name, scenario, ["access-test", target, permission], "status")
                    for name, (scenario, target, permission) in ACCESS_TESTS.items()
                ]
                + [
                    (name, scenario, ["report-after-access-test", target, permission], "verdict")
                    for name, (scenario, target, permission) in PROVEN_BY_ACCESS_TEST.items()
                ]
            )
            for name, scenario, arguments, shown in jobs:
                if only and scenario not in only:
                    continue
                info = emulator.use(scenario)
                env = apply_env(info["env"])
                env["PYTHONPATH"] = str(REPO)
                out = subprocess.run(
                    [sys.executable, __file__, "--child", info["metadata_path"], *arguments],
                    env=env,
                    check=True,
                    capture_output=True,
                    text=True,
                )
                (DATA / name).write_text(out.stdout, encoding="utf-8")
                print(f"{name}: {scenario} → {json.loads(out.stdout)[shown]}")
        finally:
            emulator.stop()
    # The fixtures are linted like the rest of the frontend.
    prettier = REPO / "node_modules" / ".bin" / "prettier"
    subprocess.run([str(prettier), "--write", str(DATA)], check=True, capture_output=True)


if __name__ == "__main__":
    if sys.argv[1:2] == ["--child"]:
        _child(*sys.argv[2:6])
    else:
        main(sys.argv[1:])

"""Shared helpers of the report tests (test_scenarios, test_checks, test_kernels).

The API.md constants live in contract.py (transcribed, not imported from the product).
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Awaitable, Callable, Mapping
from pathlib import Path
from typing import Any

from contract import (  # also re-exported to the report tests
    CHECK_STATUSES,
    KERNEL_CHECK_IDS,
    MASKED_AWS_KEY_ID,
    REQUIRED,
    SERVER_CHECK_IDS,
    VERDICTS,
    VERIFICATION_STATUSES,
)

REPO = Path(__file__).resolve().parent.parent
SCENARIO_DIR = REPO / "studio_emulator" / "scenarios"

STATUSES = CHECK_STATUSES
MASKED_KEY = MASKED_AWS_KEY_ID


def scenario_names() -> list[str]:
    return sorted(p.stem for p in SCENARIO_DIR.glob("*.json"))


def checks_by_id(report: Mapping[str, Any]) -> dict[str, dict[str, Any]]:
    ids = [c["id"] for c in report["checks"]]
    assert len(ids) == len(set(ids)), f"duplicate check ids: {ids}"
    return {c["id"]: c for c in report["checks"]}


def check(report: Mapping[str, Any], check_id: str) -> dict[str, Any]:
    found = checks_by_id(report)
    assert check_id in found, f"{check_id} missing from {sorted(found)}"
    return found[check_id]


def statuses(report: Mapping[str, Any]) -> dict[str, str]:
    return {c["id"]: c["status"] for c in report["checks"]}


def explain(report: Mapping[str, Any]) -> str:
    """A failure message: verdict, summary and every check that did not pass."""
    lines = [f"verdict={report.get('verdict')} summary={report.get('summary')!r}"]
    for c in report.get("checks", []):
        if c["status"] != "pass":
            lines.append(f"  {c['id']}={c['status']}: {c['detail']} | {c['remediation']}")
    return "\n".join(lines)


def verdict_by_api_rules(report: Mapping[str, Any]) -> str:
    """API.md's verdict table applied to a report's own checks and verification.

    API.md does not order the rows; the credential and Studio verdicts are read as taking
    precedence over the propagation ones (a report cannot say more than its credentials).
    """
    by_id = statuses(report)
    if by_id["credentials.resolved"] == "fail":
        return "no_credentials"
    if by_id["credentials.valid"] == "fail":
        return "invalid_credentials"
    if not report["studio"]["detected"]:
        return "outside_studio"
    required = [c for c in report["checks"] if c["required"]]
    if any(c["status"] == "fail" for c in required) or report["verification"]["status"] in (
        "mismatch",
        "absent",
    ):
        return "not_propagated"
    if any(c["status"] == "unknown" for c in required):
        return "unknown"
    return "propagated"


def assert_report_shape(report: Mapping[str, Any], *, kernel: bool = False) -> None:
    """The invariants every report of API.md has, whatever it says."""
    assert report["schema_version"] == 1
    assert report["verdict"] in VERDICTS, report["verdict"]
    assert report["verification"]["status"] in VERIFICATION_STATUSES
    assert report["user"]["provenance"] in ("cloudtrail", "profile", "none")
    ids = [c["id"] for c in report["checks"]]
    assert sorted(ids) == sorted(KERNEL_CHECK_IDS if kernel else SERVER_CHECK_IDS), ids
    assert len(ids) == len(set(ids)), ids
    for c in report["checks"]:
        assert c["status"] in STATUSES, c
        assert c["required"] is REQUIRED[c["id"]], c
        assert c["title"] and c["detail"], c
        assert c["doc_url"].startswith("https://docs.aws.amazon.com/"), c
        if c["status"] in ("fail", "unknown"):
            assert c["remediation"], c
    key = report["credentials"]["access_key_id"]
    assert key is None or MASKED_KEY.match(key), key
    assert report["verdict"] == verdict_by_api_rules(report), explain(report)


def assert_unknown_names_call(
    c: Mapping[str, Any], action: str, code: str | None, *, remediation_names_action: bool = True
) -> None:
    """API.md: an unevaluated check is `unknown`, with the AWS error code in `detail` and the
    IAM action it needs in `remediation`."""
    assert c["status"] == "unknown", c
    assert c["iam_action"] == action, c
    if remediation_names_action:
        assert action in c["remediation"], (
            f"{c['id']}: remediation does not name {action}: {c['remediation']!r}"
        )
    if code is not None:
        assert code in c["detail"], c
        assert c["error_code"] == code, c


async def eventually(
    probe: Callable[[], Awaitable[Any]], *, timeout: float = 15.0, interval: float = 0.1
) -> Any:
    """Polls `probe` until it returns something truthy; fails after `timeout` seconds."""
    deadline = time.monotonic() + timeout
    while True:
        value = await probe()
        if value:
            return value
        assert time.monotonic() < deadline, f"condition not met within {timeout} s"
        await asyncio.sleep(interval)


async def audit_record(
    api: Callable[..., Awaitable[tuple[int, Any]]],
    event: str,
    kernel_id: str | None,
    *,
    timeout: float = 15.0,
) -> dict[str, Any]:
    """Waits for the audit record of `event` for `kernel_id` and returns the newest one."""

    async def find() -> dict[str, Any] | None:
        status, body = await api("audit", limit=1000)
        assert status == 200, body
        return next(
            (r for r in body["records"] if r["event"] == event and r["kernel_id"] == kernel_id),
            None,
        )

    return await eventually(find, timeout=timeout)

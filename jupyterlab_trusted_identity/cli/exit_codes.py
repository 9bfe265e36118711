"""The exit codes of `jupyter trusted-identity`: what scripts branch on. One table, which --help
prints and README's "Command line" section restates (tests/test_cli.py holds them together)."""

from __future__ import annotations

from enum import IntEnum
from typing import get_args

from ..engine.report_types import Verdict


class ExitCode(IntEnum):
    PROPAGATED = 0
    FAILED = 1
    USAGE = 2  # argparse's own code, which traitlets' command line parser exits with
    NOT_PROPAGATED = 3
    UNKNOWN = 4
    NO_CREDENTIALS = 5
    INVALID_CREDENTIALS = 6
    OUTSIDE_STUDIO = 7
    LIFECYCLE_EXPECTED = 8
    NO_SERVER = 9
    SERVER_ERROR = 10


# Each verdict of API.md has its own code; 0 is `propagated` alone.
VERDICT_CODES: dict[str, ExitCode] = {
    "propagated": ExitCode.PROPAGATED,
    "not_propagated": ExitCode.NOT_PROPAGATED,
    "unknown": ExitCode.UNKNOWN,
    "no_credentials": ExitCode.NO_CREDENTIALS,
    "invalid_credentials": ExitCode.INVALID_CREDENTIALS,
    "outside_studio": ExitCode.OUTSIDE_STUDIO,
}
assert set(VERDICT_CODES) == set(get_args(Verdict)), "a verdict without an exit code"

MEANINGS: dict[ExitCode, str] = {
    ExitCode.PROPAGATED: "propagated: the session carries your IAM Identity Center identity",
    ExitCode.FAILED: "the command itself failed: a bad configuration value, or an error",
    ExitCode.USAGE: "usage: an unknown option or a missing value",
    ExitCode.NOT_PROPAGATED: "not_propagated: a required check failed, or CloudTrail shows "
    "the session acting for nobody or someone else",
    ExitCode.UNKNOWN: "unknown: a required check could not be evaluated (denied, timed out, "
    "throttled); try again, or grant the IAM action the report names",
    ExitCode.NO_CREDENTIALS: "no_credentials: no AWS credentials resolve in this environment",
    ExitCode.INVALID_CREDENTIALS: "invalid_credentials: AWS STS rejects the credentials "
    "(expired, invalid)",
    ExitCode.OUTSIDE_STUDIO: "outside_studio: no Studio app metadata; only the caller is known",
    ExitCode.LIFECYCLE_EXPECTED: "check --lifecycle: the session has the execution role alone, "
    "as every lifecycle configuration does, and no required check fails",
    ExitCode.NO_SERVER: "kernels, audit: no running Jupyter server with this extension was found",
    ExitCode.SERVER_ERROR: "kernels, audit: the server could not be reached or refused the request",
}


def for_verdict(verdict: str | None) -> ExitCode:
    """An unknown or missing verdict (a newer server) is `unknown`, never `propagated`."""
    return VERDICT_CODES.get(verdict or "", ExitCode.UNKNOWN)


def table() -> str:
    """The exit codes as --help prints them."""
    return "\n".join(f"  {int(code):>2}  {MEANINGS[code]}" for code in ExitCode)

"""The verdict of a report, computed from its checks exactly as API.md defines it."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Final

from . import cloudtrail as ct
from . import outcome as kinds
from .checks import FAIL, UNKNOWN, Check
from .credentials import ERROR as CREDENTIALS_ERROR
from .facts import Facts
from .report_types import Verdict

PROPAGATED: Final = "propagated"
NOT_PROPAGATED: Final = "not_propagated"
UNKNOWN_VERDICT: Final = "unknown"
NO_CREDENTIALS: Final = "no_credentials"
INVALID_CREDENTIALS: Final = "invalid_credentials"
OUTSIDE_STUDIO: Final = "outside_studio"

VERDICTS = (
    PROPAGATED,
    NOT_PROPAGATED,
    UNKNOWN_VERDICT,
    NO_CREDENTIALS,
    INVALID_CREDENTIALS,
    OUTSIDE_STUDIO,
)


def verdict_of(facts: Facts, checks: Sequence[Check]) -> Verdict:
    creds = facts.credentials
    # A provider that failed to answer (throttled, timed out) leaves the question open: the
    # credentials.resolved check is then unknown, and so is the verdict.
    if not creds.resolved and creds.problem != CREDENTIALS_ERROR:
        return NO_CREDENTIALS
    caller_failure = facts.caller.failure if facts.caller is not None else None
    rejected = caller_failure is not None and caller_failure.kind in (
        kinds.INVALID_CREDENTIALS,
        kinds.EXPIRED,
    )
    if creds.problem == "expired" or rejected:
        return INVALID_CREDENTIALS
    if not facts.in_studio:
        return OUTSIDE_STUDIO
    required = [c for c in checks if c.required]
    if any(c.status == FAIL for c in required) or facts.verification.status in (
        ct.MISMATCH,
        ct.ABSENT,
    ):
        return NOT_PROPAGATED
    if any(c.status == UNKNOWN for c in required):
        return UNKNOWN_VERDICT
    return PROPAGATED

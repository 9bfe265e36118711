"""API.md's contract as data, for the tests: transcribed from /work/shared/API.md, never imported
from the product, so a product change that drifts from the contract makes the tests fail."""

from __future__ import annotations

import re

VERDICTS = frozenset(
    {
        "propagated",
        "not_propagated",
        "unknown",
        "no_credentials",
        "invalid_credentials",
        "outside_studio",
    }
)
CHECK_STATUSES = frozenset({"pass", "warn", "fail", "unknown", "skip"})
VERIFICATION_STATUSES = frozenset(
    {"verified", "mismatch", "absent", "pending", "unavailable"}
    # Added by this project (API.md allows additions): events exist, but none from a source that
    # records onBehalfOf, so CloudTrail cannot decide (issue 8).
    | {"inconclusive"}
)
PROVENANCES = frozenset({"cloudtrail", "profile", "none"})
# "Checks": id → required, in the table's order. kernel.environment is in kernel reports only.
REQUIRED: dict[str, bool] = {
    "credentials.resolved": True,
    "credentials.valid": True,
    "credentials.expiry": False,
    "credentials.carrier": True,
    "studio.detected": False,
    "studio.region_supported": True,
    "studio.auth_mode": True,
    "studio.tip_enabled": True,
    "studio.space_private": True,
    "studio.remote_access": True,
    "identity.user_resolved": False,
    "identity.verified": False,
    "services.s3_access_grants": False,
    "kernel.environment": True,
    # Added by this project (API.md allows additions): the app kind Studio propagates to
    # (issue 8), and the finding when configuration reads contradict CloudTrail's proof (issue 12).
    "studio.app_supported": True,
    "evidence.consistent": False,
}
KERNEL_ONLY = frozenset({"kernel.environment"})
SERVER_CHECK_IDS = tuple(c for c in REQUIRED if c not in KERNEL_ONLY)
KERNEL_CHECK_IDS = tuple(REQUIRED)
# "Audit records", in order (also the CSV header).
AUDIT_FIELDS = [
    "at",
    "event",
    "kernel_id",
    "kernel_name",
    "session_path",
    "verdict",
    "user_id",
    "user_name",
    "caller_arn",
    "access_key_id",
    "credential_source",
    "access_target",
    "access_permission",
    "access_status",
    "grantee_type",
]
# "masked (first 4 and last 4 characters at most)"
MASKED_KEY = re.compile(r"^[^\s\u2026]{0,4}\u2026[^\s\u2026]{0,4}$")
# What that gives for a real 20-character AWS access key id.
MASKED_AWS_KEY_ID = re.compile(r"^[A-Z0-9]{4}\u2026[A-Z0-9]{4}$")

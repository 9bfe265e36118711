"""What an audit record holds: its fields and events, the record of a report, and the record as it
is stored (known fields only, validated, the access key id masked again)."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import UTC, datetime
from typing import Any

from ..engine.masking import mask_access_key
from ..engine.report_types import AccessTestResult, Report

#: The fields of a record, in the order of the REST contract and of the CSV columns.
AUDIT_FIELDS: tuple[str, ...] = (
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
    # Test access (event access_tested) only: what was asked and S3 Access Grants' answer.
    "access_target",
    "access_permission",
    "access_status",
    "grantee_type",
)

AUDIT_EVENTS: frozenset[str] = frozenset(
    {"kernel_started", "kernel_restarted", "checked", "access_tested"}
)

# No field the server writes comes close; the cap only keeps a misbehaving caller from
# filling the disk through one record.
MAX_VALUE_CHARS = 4096

_VALUE_FIELDS = AUDIT_FIELDS[1:]  # every field but `at`, which is always set


def audit_record(report: Report, event: str) -> dict[str, Any]:
    """The record of `event` (a kernel start or restart, an explicit check) for its report."""
    scope = report.get("scope") or {}
    return {
        "event": event,
        "kernel_id": scope.get("kernel_id"),
        "kernel_name": scope.get("kernel_name"),
        "session_path": scope.get("session_path"),
        "verdict": report.get("verdict"),
        "user_id": (report.get("user") or {}).get("user_id"),
        "user_name": (report.get("user") or {}).get("user_name"),
        "caller_arn": (report.get("role") or {}).get("caller_arn"),
        "access_key_id": (report.get("credentials") or {}).get("access_key_id"),
        "credential_source": (report.get("credentials") or {}).get("source"),
    }


def access_test_record(report: Report, result: AccessTestResult) -> dict[str, Any]:
    """The record of a Test access: who asked (the server report's identity), the target, the
    permission, the status and the grantee's type. Never the vended credentials: the result
    holds none, and nothing else of the answer is taken."""
    grantee = result.get("grantee") or {}
    return {
        **audit_record(report, "access_tested"),
        "access_target": result["target"],
        "access_permission": result["permission"],
        "access_status": result["status"],
        "grantee_type": grantee.get("type"),
    }


def format_time(value: datetime) -> str:
    """ISO 8601 in UTC with millisecond precision and a ``Z``; naive times are taken as UTC.

    Every stored ``at`` has this fixed-width form, so text order is time order and the
    index on ``at`` serves both sorting and ``before``.
    """
    if value.tzinfo is None:
        value = value.replace(tzinfo=UTC)
    value = value.astimezone(UTC)
    return (
        f"{value.year:04d}-{value.month:02d}-{value.day:02d}T"
        f"{value.hour:02d}:{value.minute:02d}:{value.second:02d}."
        f"{value.microsecond // 1000:03d}Z"
    )


def _parse_time(value: Any) -> datetime:
    if isinstance(value, datetime):
        return value
    if isinstance(value, str):
        try:
            return datetime.fromisoformat(value.strip())  # accepts `Z` since Python 3.11
        except ValueError:
            pass
    raise ValueError(f"'at' must be an ISO 8601 time or a datetime, not {value!r}")


def stored_record(record: Mapping[str, Any]) -> dict[str, str | None]:
    """The record as it is stored: known fields only, in order, validated, masked."""
    if not isinstance(record, Mapping):
        raise TypeError(f"an audit record must be a mapping, not {type(record).__name__}")
    event = record.get("event")
    if not isinstance(event, str) or event not in AUDIT_EVENTS:
        raise ValueError(f"unknown audit event {event!r}; expected one of {sorted(AUDIT_EVENTS)}")
    at = record.get("at")
    out: dict[str, str | None] = {
        "at": format_time(datetime.now(UTC) if at is None else _parse_time(at))
    }
    for field in _VALUE_FIELDS:
        value = record.get(field)
        if field == "access_key_id":
            value = mask_access_key(value)
        elif value is not None:
            value = str(value)[:MAX_VALUE_CHARS]
        out[field] = value
    return out

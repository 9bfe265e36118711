"""CloudTrail as ground truth: which Identity Center user a session's calls are made for.

`sts:GetCallerIdentity` cannot tell; the CloudTrail events of an identity-enhanced session carry
`userIdentity.onBehalfOf.userId`. Events arrive minutes late, so "no events yet" is `pending`.
"""

from __future__ import annotations

import asyncio
import json
import time
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from .outcome import Failure

VERIFIED = "verified"
MISMATCH = "mismatch"
ABSENT = "absent"
PENDING = "pending"
UNAVAILABLE = "unavailable"

ACTION = "cloudtrail:LookupEvents"


@dataclass(frozen=True)
class Verification:
    status: str
    user_id: str | None = None
    identity_store_arn: str | None = None
    event_name: str | None = None
    event_time: str | None = None
    event_id: str | None = None
    events_seen: int = 0
    expected_user_id: str | None = None
    detail: str = ""
    failure: Failure | None = None

    @classmethod
    def unavailable(cls, failure: Failure | None, detail: str = "") -> Verification:
        return cls(
            UNAVAILABLE, failure=failure, detail=detail or (failure.describe() if failure else "")
        )

    def compared_with(self, expected_user_id: str | None) -> Verification:
        """Turns what CloudTrail says into a verdict on the expected user."""
        if self.status not in (VERIFIED, MISMATCH):
            return _replace(self, expected_user_id=expected_user_id)
        if expected_user_id is None or self.user_id == expected_user_id:
            return _replace(self, status=VERIFIED, expected_user_id=expected_user_id)
        return _replace(
            self,
            status=MISMATCH,
            expected_user_id=expected_user_id,
            detail=f"CloudTrail shows this session acts for user {self.user_id}, not for the "
            f"space owner {expected_user_id}.",
        )


def _replace(v: Verification, **changes: Any) -> Verification:
    from dataclasses import replace

    return replace(v, **changes)


def _iso(value: Any) -> str | None:
    if isinstance(value, datetime):
        if value.tzinfo is None:
            value = value.replace(tzinfo=UTC)
        return value.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    return str(value) if value else None


def interpret(events: Iterable[dict[str, Any]]) -> Verification:
    """Reads LookupEvents' `Events` (newest first) for the session's access key."""
    seen = 0
    for event in events:
        seen += 1
        try:
            record = json.loads(event.get("CloudTrailEvent") or "{}")
        except ValueError:
            continue
        behalf = (record.get("userIdentity") or {}).get("onBehalfOf") or {}
        if behalf.get("userId"):
            return Verification(
                VERIFIED,  # provisional: compared_with() decides verified or mismatch
                user_id=str(behalf["userId"]),
                identity_store_arn=behalf.get("identityStoreArn"),
                event_name=event.get("EventName") or record.get("eventName"),
                event_time=_iso(event.get("EventTime")) or record.get("eventTime"),
                event_id=event.get("EventId") or record.get("eventID"),
                events_seen=seen,
            )
    if seen == 0:
        return Verification(
            PENDING,
            detail="CloudTrail has no event of this session yet; events arrive minutes after "
            "the calls.",
        )
    return Verification(
        ABSENT,
        events_seen=seen,
        detail=f"{seen} CloudTrail event(s) of this session carry no onBehalfOf user: the "
        "session is not identity-enhanced.",
    )


class RateLimiter:
    """LookupEvents allows 2 requests per second per account and region."""

    def __init__(self, per_second: float, clock=time.monotonic):
        self._interval = 1.0 / per_second
        self._clock = clock
        self._next = 0.0
        self._lock = asyncio.Lock()

    async def wait(self) -> None:
        async with self._lock:
            now = self._clock()
            delay = self._next - now
            self._next = max(now, self._next) + self._interval
        if delay > 0:
            await asyncio.sleep(delay)

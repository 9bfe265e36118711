"""CloudTrail as ground truth: which Identity Center user a session's calls are made for.

`sts:GetCallerIdentity` cannot tell; the CloudTrail events of an identity-enhanced session carry
`userIdentity.onBehalfOf = {userId, identityStoreArn}`. Events arrive minutes late, so "no events
yet" is `pending`. Not every service records `onBehalfOf`: events of a key that carry none prove
that the session is *not* identity-enhanced only when one of them comes from a source known to
record it; otherwise CloudTrail cannot decide (`inconclusive`).
"""

from __future__ import annotations

import asyncio
import json
import time
from collections.abc import Iterable
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from typing import Any, Final

from .outcome import Failure
from .report_types import ReportVerification, VerificationStatus

VERIFIED: Final = "verified"
MISMATCH: Final = "mismatch"
ABSENT: Final = "absent"
PENDING: Final = "pending"
INCONCLUSIVE: Final = "inconclusive"
UNAVAILABLE: Final = "unavailable"

# What CloudTrail proves: that the session acts for a user (or for another user, or for none).
DECISIVE = frozenset({VERIFIED, MISMATCH, ABSENT})

ACTION = "cloudtrail:LookupEvents"

# Event sources whose events of an identity-enhanced session carry `onBehalfOf`: the services
# that authorize by the propagated user (trusted identity propagation) and SageMaker itself.
# An event of another source (sts, cloudtrail, sso, identitystore...) without it proves nothing.
RECORDING_SOURCES = frozenset(
    f"{name}.amazonaws.com"
    for name in (
        "sagemaker",
        "s3",
        "athena",
        "lakeformation",
        "glue",
        "redshift",
        "redshift-data",
        "elasticmapreduce",
        "emr-serverless",
    )
)


@dataclass(frozen=True)
class Verification:
    status: VerificationStatus
    user_id: str | None = None
    identity_store_arn: str | None = None
    event_name: str | None = None
    event_source: str | None = None
    event_time: str | None = None
    event_id: str | None = None
    events_seen: int = 0
    # The sources of the events read, for a detail that says why CloudTrail could not decide.
    sources_seen: tuple[str, ...] = ()
    expected_user_id: str | None = None
    expected_identity_store_arn: str | None = None
    detail: str = ""
    failure: Failure | None = None
    # When CloudTrail was last asked, and when it will be asked again (None: not scheduled,
    # as for a decisive answer, kept for the app session).
    looked_up_at: datetime | None = None
    next_lookup_at: datetime | None = None

    @classmethod
    def unavailable(cls, failure: Failure | None, detail: str = "") -> Verification:
        return cls(
            UNAVAILABLE, failure=failure, detail=detail or (failure.describe() if failure else "")
        )

    @property
    def proves_identity(self) -> bool:
        """CloudTrail shows the session acts for a user (the expected one, or an unknown one)."""
        return self.status == VERIFIED

    @property
    def store_differs(self) -> bool:
        return bool(
            self.identity_store_arn
            and self.expected_identity_store_arn
            and self.identity_store_arn != self.expected_identity_store_arn
        )

    def to_json(self) -> ReportVerification:
        """The report's `verification` (and, when decisive, its evidence's proof)."""
        return {
            "status": self.status,
            "user_id": self.user_id,
            "identity_store_arn": self.identity_store_arn,
            "event_name": self.event_name,
            "event_source": self.event_source,
            "event_time": self.event_time,
            "event_id": self.event_id,
            "events_seen": self.events_seen,
            "sources_seen": list(self.sources_seen),
            "expected_user_id": self.expected_user_id,
            "expected_identity_store_arn": self.expected_identity_store_arn,
            "detail": self.detail or None,
            "looked_up_at": _iso(self.looked_up_at),
            "next_lookup_at": _iso(self.next_lookup_at),
        }

    def compared_with(
        self, expected_user_id: str | None, expected_store_arn: str | None = None
    ) -> Verification:
        """Turns what CloudTrail says into a verdict on the expected user and identity store."""
        compared = replace(
            self, expected_user_id=expected_user_id, expected_identity_store_arn=expected_store_arn
        )
        if self.status not in (VERIFIED, MISMATCH):
            return compared
        if compared.store_differs:
            return replace(
                compared,
                status=MISMATCH,
                detail=f"CloudTrail shows this session acts for user {self.user_id} of identity "
                f"store {self.identity_store_arn}, not of the domain's store "
                f"{expected_store_arn}.",
            )
        if expected_user_id is None or self.user_id == expected_user_id:
            return replace(compared, status=VERIFIED)
        return replace(
            compared,
            status=MISMATCH,
            detail=f"CloudTrail shows this session acts for user {self.user_id}, not for the "
            f"space owner {expected_user_id}.",
        )


def _iso(value: Any) -> str | None:
    if isinstance(value, datetime):
        if value.tzinfo is None:
            value = value.replace(tzinfo=UTC)
        return value.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    return str(value) if value else None


def interpret(events: Iterable[dict[str, Any]]) -> Verification:
    """Reads LookupEvents' `Events` (newest first) for the session's access key."""
    seen = 0
    sources: dict[str, None] = {}
    for event in events:
        seen += 1
        try:
            record = json.loads(event.get("CloudTrailEvent") or "{}")
        except ValueError:
            record = {}
        source = event.get("EventSource") or record.get("eventSource") or ""
        if source:
            sources[source] = None
        behalf = (record.get("userIdentity") or {}).get("onBehalfOf") or {}
        if behalf.get("userId"):
            # onBehalfOf belongs to the session: one event that carries it speaks for all.
            return Verification(
                VERIFIED,  # provisional: compared_with() decides verified or mismatch
                user_id=str(behalf["userId"]),
                identity_store_arn=behalf.get("identityStoreArn"),
                event_name=event.get("EventName") or record.get("eventName"),
                event_source=source or None,
                event_time=_iso(event.get("EventTime")) or record.get("eventTime"),
                event_id=event.get("EventId") or record.get("eventID"),
                events_seen=seen,
                sources_seen=tuple(sources),
            )
    if seen == 0:
        return Verification(
            PENDING,
            detail="CloudTrail has no event of this session yet; events arrive minutes after "
            "the calls.",
        )
    recording = [s for s in sources if s in RECORDING_SOURCES]
    if not recording:
        return Verification(
            INCONCLUSIVE,
            events_seen=seen,
            sources_seen=tuple(sources),
            detail=f"{seen} CloudTrail event(s) of this session, all from "
            f"{', '.join(sources) or 'unnamed sources'}, which do not record onBehalfOf: "
            "CloudTrail cannot tell yet whom the session acts for.",
        )
    return Verification(
        ABSENT,
        events_seen=seen,
        sources_seen=tuple(sources),
        event_source=recording[0],
        detail=f"{seen} CloudTrail event(s) of this session carry no onBehalfOf user, "
        f"{recording[0]} among them, which records it for identity-enhanced sessions: the "
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

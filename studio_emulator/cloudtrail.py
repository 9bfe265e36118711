"""CloudTrail as the emulator sees it: one management event per AWS call, and LookupEvents.

Events are keyed by the caller's access key id. An event carries ``userIdentity.onBehalfOf``
when the key belongs to an identity-enhanced session *and* its event source is a service that
records it (``ON_BEHALF_OF_SOURCES``); events of STS, CloudTrail, IAM Identity Center and the
identity store never do. A delivery delay hides events younger than N seconds, like
CloudTrail's minutes of latency. ``LookupEvents`` returns the events of the region it is
called in, as CloudTrail does.
"""

from __future__ import annotations

import base64
import hashlib
import json
import random
import threading
import uuid
from datetime import UTC, datetime
from typing import Any

from .clock import EmulatorClock
from .routing import AwsRequest, is_read_only
from .state import Principal, iso

MAX_RESULTS = 50
LOOKUP_KEYS = (
    "EventId",
    "EventName",
    "ReadOnly",
    "Username",
    "ResourceType",
    "ResourceName",
    "EventSource",
    "AccessKeyId",
)
# Event sources whose events record ``onBehalfOf`` for identity-enhanced sessions (the
# services trusted identity propagation reaches; README.md, "Realism"). The engine keeps its
# own copy on purpose: each side must be right on its own.
ON_BEHALF_OF_SOURCES = frozenset(
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
# Data events: CloudTrail's LookupEvents only ever returns management events.
_DATA_EVENTS = {"s3:GetObject", "s3:PutObject", "s3:HeadObject", "s3:DeleteObject"}


class LookupError_(Exception):
    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code, self.message = code, message


def _camel(name: str) -> str:
    return name[:1].lower() + name[1:]


def _request_parameters(req: AwsRequest) -> dict[str, Any] | None:
    if req.protocol == "query":
        params = {_camel(k): v for k, v in req.params.items() if k not in ("Action", "Version")}
    else:
        params = {_camel(k): v for k, v in req.params.items()}
    return params or None


def user_identity(
    principal: Principal | None, access_key_id: str | None, account: str, event_source: str
) -> dict[str, Any]:
    if principal is None:
        return {"type": "Unknown", "accountId": account, "accessKeyId": access_key_id or ""}
    ident: dict[str, Any] = {
        "type": principal.kind,
        "principalId": principal.principal_id,
        "arn": principal.arn,
        "accountId": principal.account,
        "accessKeyId": access_key_id,
    }
    if principal.kind == "IAMUser":
        ident["userName"] = principal.user_name
    if principal.kind == "AssumedRole":
        ident["sessionContext"] = {
            "sessionIssuer": {
                "type": "Role",
                "principalId": principal.role_id,
                "arn": principal.role_arn,
                "accountId": principal.account,
                "userName": (principal.role_arn or "").rsplit("/", 1)[-1],
            },
            "attributes": {"creationDate": iso(principal.created), "mfaAuthenticated": "false"},
        }
    if principal.on_behalf_of and event_source in ON_BEHALF_OF_SOURCES:
        ident["onBehalfOf"] = dict(principal.on_behalf_of)
    return ident


def _timestamp(value: Any, field: str) -> datetime:
    try:
        if isinstance(value, (int, float)):
            return datetime.fromtimestamp(value, UTC)
        return datetime.fromisoformat(str(value).replace("Z", "+00:00"))
    except (TypeError, ValueError, OverflowError):
        raise LookupError_("InvalidTimeRangeException", f"{field} is not a valid time") from None


class EventStore:
    def __init__(self, clock: EmulatorClock | None = None) -> None:
        self._lock = threading.Lock()
        self._events: list[dict[str, Any]] = []
        self._seq = 0
        self._clock = clock or EmulatorClock()
        # Each event is delivered after a delay drawn between these (equal: a fixed delay), as
        # CloudTrail's delivery varies from call to call.
        self.delivery_delay_seconds = 0.0
        self.delivery_delay_max_seconds: float | None = None
        self._rng = random.Random(0)

    def set_delivery(
        self, seconds: float, max_seconds: float | None = None, seed: int | None = None
    ) -> None:
        if seconds < 0 or (max_seconds is not None and max_seconds < seconds):
            raise ValueError("delivery delays must satisfy 0 <= min <= max")
        with self._lock:
            self.delivery_delay_seconds = float(seconds)
            self.delivery_delay_max_seconds = None if max_seconds is None else float(max_seconds)
            if seed is not None:
                self._rng = random.Random(seed)

    def _ranged(self) -> bool:
        high = self.delivery_delay_max_seconds
        return high is not None and high > self.delivery_delay_seconds

    def _draw_delay(self) -> float:
        return self._rng.uniform(self.delivery_delay_seconds, self.delivery_delay_max_seconds or 0)

    def clear(self) -> None:
        with self._lock:
            self._events.clear()

    def record(
        self,
        req: AwsRequest,
        principal: Principal | None,
        account: str,
        region: str,
        user_agent: str | None,
        error_code: str | None = None,
        error_message: str | None = None,
    ) -> None:
        if req.operation in _DATA_EVENTS:
            return
        now = self._clock.now()
        read_only = is_read_only(req.action)
        source = f"{req.service}.amazonaws.com"
        event: dict[str, Any] = {
            "eventVersion": "1.11",
            "userIdentity": user_identity(principal, req.access_key_id, account, source),
            "eventTime": iso(now),
            "eventSource": source,
            "eventName": req.action,
            "awsRegion": req.region or region,
            "sourceIPAddress": "127.0.0.1",
            "userAgent": user_agent or "",
            "requestParameters": _request_parameters(req),
            "responseElements": None,
            "requestID": str(uuid.uuid4()),
            "eventID": str(uuid.uuid4()),
            "readOnly": read_only,
            "eventType": "AwsApiCall",
            "managementEvent": True,
            "recipientAccountId": account,
            "eventCategory": "Management",
        }
        if error_code:
            event["errorCode"] = error_code
            event["errorMessage"] = error_message or ""
        with self._lock:
            self._seq += 1
            self._events.append(
                {
                    "seq": self._seq,
                    "time": now,
                    # None: the store's fixed delay at lookup time applies (it may change).
                    "delay": self._draw_delay() if self._ranged() else None,
                    "access_key_id": req.access_key_id,
                    "username": principal.user_name if principal else None,
                    "event": event,
                }
            )

    def raw(self) -> list[dict[str, Any]]:
        """Every recorded event, delivered or not, oldest first (for tests)."""
        with self._lock:
            return [self._public(e, as_text=False) for e in self._events]

    @staticmethod
    def _public(e: dict[str, Any], as_text: bool = True) -> dict[str, Any]:
        ev = e["event"]
        return {
            "EventId": ev["eventID"],
            "EventName": ev["eventName"],
            "ReadOnly": "true" if ev["readOnly"] else "false",
            "AccessKeyId": e["access_key_id"] or "",
            "EventTime": e["time"] if as_text else iso(e["time"]),
            "EventSource": ev["eventSource"],
            "Username": e["username"] or "",
            "Resources": [],
            "CloudTrailEvent": json.dumps(ev) if as_text else ev,
        }

    @staticmethod
    def _matches(e: dict[str, Any], key: str, value: str) -> bool:
        ev = e["event"]
        actual = {
            "EventId": ev["eventID"],
            "EventName": ev["eventName"],
            "ReadOnly": "true" if ev["readOnly"] else "false",
            "Username": e["username"],
            "EventSource": ev["eventSource"],
            "AccessKeyId": e["access_key_id"],
        }.get(key)
        return actual == value  # ResourceType/ResourceName: no event has resources

    def lookup(self, params: dict[str, Any], region: str) -> dict[str, Any]:
        """The ``LookupEvents`` response for ``params`` in ``region``; raises LookupError_
        like AWS would."""
        attrs = params.get("LookupAttributes") or []
        if len(attrs) > 1:
            raise LookupError_(
                "InvalidLookupAttributesException", "You can only specify one lookup attribute."
            )
        for a in attrs:
            if a.get("AttributeKey") not in LOOKUP_KEYS or "AttributeValue" not in a:
                raise LookupError_(
                    "InvalidLookupAttributesException",
                    f"Invalid lookup attribute: {a.get('AttributeKey')}",
                )
        max_results = params.get("MaxResults", MAX_RESULTS)
        if not isinstance(max_results, int) or not 1 <= max_results <= MAX_RESULTS:
            raise LookupError_(
                "InvalidMaxResultsException", f"MaxResults must be between 1 and {MAX_RESULTS}."
            )
        start = _timestamp(params["StartTime"], "StartTime") if "StartTime" in params else None
        end = _timestamp(params["EndTime"], "EndTime") if "EndTime" in params else None
        if start and end and start > end:
            raise LookupError_("InvalidTimeRangeException", "StartTime must be before EndTime.")
        if params.get("EventCategory") == "insight":
            return {"Events": []}

        # A token only resumes the query it came from.
        fingerprint = hashlib.sha256(
            json.dumps(
                [attrs, params.get("StartTime"), params.get("EndTime")], sort_keys=True, default=str
            ).encode()
        ).hexdigest()[:16]
        before_seq = None
        if params.get("NextToken"):
            try:
                token = json.loads(base64.urlsafe_b64decode(params["NextToken"].encode()))
                if token["q"] != fingerprint:
                    raise ValueError
                before_seq = int(token["s"])
            except (ValueError, KeyError, TypeError):
                raise LookupError_(
                    "InvalidNextTokenException", "The token is invalid or expired."
                ) from None

        now = self._clock.now()
        with self._lock:
            events = list(self._events)
            fixed = self.delivery_delay_seconds
        selected = []
        for e in reversed(events):  # newest first
            delay = fixed if e["delay"] is None else e["delay"]
            if (now - e["time"]).total_seconds() < delay:
                continue
            if e["event"]["awsRegion"] != region:
                continue
            if before_seq is not None and e["seq"] >= before_seq:
                continue
            if (start and e["time"] < start) or (end and e["time"] > end):
                continue
            if attrs and not self._matches(e, attrs[0]["AttributeKey"], attrs[0]["AttributeValue"]):
                continue
            selected.append(e)
            if len(selected) > max_results:
                break
        page, more = selected[:max_results], len(selected) > max_results
        out: dict[str, Any] = {"Events": [self._public(e) for e in page]}
        if more:
            token = json.dumps({"s": page[-1]["seq"], "q": fingerprint}).encode()
            out["NextToken"] = base64.urlsafe_b64encode(token).decode()
        return out

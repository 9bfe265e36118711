"""What the emulator remembers between requests: principals behind access keys, the call log."""

from __future__ import annotations

import threading
from collections import Counter
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from .clock import EmulatorClock


def mask(access_key_id: str | None) -> str | None:
    """First 4 and last 4 characters: enough to tell keys apart, useless to an attacker."""
    if not access_key_id:
        return None
    if len(access_key_id) <= 8:
        return access_key_id[:2] + "…"
    return f"{access_key_id[:4]}…{access_key_id[-4:]}"


def iso(ts: datetime) -> str:
    return ts.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


@dataclass
class Principal:
    """Who AWS (and so CloudTrail) sees behind an access key."""

    kind: str  # "AssumedRole", "IAMUser" or "Unknown"
    arn: str | None
    principal_id: str | None
    account: str
    user_name: str | None = None  # session name for AssumedRole, user name for IAMUser
    role_arn: str | None = None
    role_id: str | None = None
    on_behalf_of: dict[str, str] | None = None  # identity-enhanced sessions only
    expired: bool = False
    created: datetime = field(default_factory=lambda: datetime.now(UTC))


class CallLog:
    """Every request the front server saw, with masked key ids only."""

    def __init__(self, clock: EmulatorClock | None = None) -> None:
        self._lock = threading.Lock()
        self._calls: list[dict[str, Any]] = []
        self._clock = clock or EmulatorClock()

    def add(
        self,
        service: str,
        operation: str,
        access_key_id: str | None,
        status: int | None,
        fault: str | None = None,
    ) -> None:
        entry = {
            "at": self._clock.now().isoformat(timespec="milliseconds"),
            "service": service,
            "operation": operation,
            "access_key_id": mask(access_key_id),
            "status": status,
            "fault": fault,
        }
        with self._lock:
            self._calls.append(entry)

    def clear(self) -> None:
        with self._lock:
            self._calls.clear()

    def snapshot(self) -> dict[str, Any]:
        with self._lock:
            calls = list(self._calls)
        counts = Counter(c["operation"] for c in calls)
        total = sum(1 for c in calls if c["service"] != "container")
        return {"calls": calls, "counts": dict(counts), "total": total}


class KeyRegistry:
    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._keys: dict[str, Principal] = {}

    def add(self, access_key_id: str, principal: Principal) -> None:
        with self._lock:
            self._keys[access_key_id] = principal

    def get(self, access_key_id: str | None) -> Principal | None:
        if not access_key_id:
            return None
        with self._lock:
            return self._keys.get(access_key_id)

    def clear(self) -> None:
        with self._lock:
            self._keys.clear()

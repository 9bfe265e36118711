"""When CloudTrail is asked whom a session acts for: once per app session and carrier, at the
time its events can have been delivered.

CloudTrail delivers events minutes after the call (about 5 on average, not guaranteed; up to 15
is common). Asking before then costs a LookupEvents (2 per second per account and region, shared
by the whole fleet) and says only "pending". So:

* a carrier (role and session name) is verified once per app session: the identity context
  belongs to the session, and a rotated key of the same carrier carries the same one;
* its lookups are scheduled from the time of its own calls (the Studio reads it made): the first
  at the delivery delay learned in earlier app sessions (or at once when none is known), then at
  growing intervals while nothing is delivered;
* a decisive answer (verified, mismatch, absent) is kept for the app session: only an explicit
  request looks again.

The learned delay is kept in a small JSON file beside the audit store (the home directory outlives
app restarts). It holds no secret: a region and a number of seconds.
"""

from __future__ import annotations

import json
import logging
import os
import tempfile
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from . import cloudtrail as ct
from .cloudtrail import Verification

# Retries of a pending lookup never wait longer than this.
MAX_INTERVAL = 4 * 3600.0
# Nor shorter than this, even where delivery was measured as instant (an emulator).
MIN_INTERVAL = 120.0
# A delay found at the first lookup of a session is an upper bound: the next session tries a
# little earlier, so the learned delay follows a trail that became faster.
SHRINK = 0.9


class DeliveryMemory:
    """The learned delivery delay, by region, persisted across app restarts."""

    def __init__(self, path: str | None, log: logging.Logger | None = None):
        self._path = path or None
        self._log = log or logging.getLogger(__name__)
        self._delays: dict[str, float] = {}
        self._loaded = False

    def _load(self) -> None:
        if self._loaded:
            return
        self._loaded = True
        if not self._path:
            return
        try:
            with open(self._path, encoding="utf-8") as handle:
                data = json.load(handle)
            delays = data.get("cloudtrail_delivery_seconds") or {}
            self._delays = {
                str(region): float(seconds)
                for region, seconds in delays.items()
                if isinstance(seconds, (int, float)) and 0 <= seconds <= MAX_INTERVAL
            }
        except FileNotFoundError:
            pass
        except (OSError, ValueError, AttributeError) as error:
            self._log.debug("trusted-identity: state %s unreadable: %s", self._path, error)

    def get(self, region: str) -> float | None:
        self._load()
        return self._delays.get(region)

    def set(self, region: str, seconds: float) -> None:
        self._load()
        self._delays[region] = round(min(MAX_INTERVAL, max(0.0, seconds)), 1)
        if not self._path:
            return
        try:
            folder = os.path.dirname(self._path) or "."
            os.makedirs(folder, exist_ok=True)
            with tempfile.NamedTemporaryFile(
                "w", dir=folder, delete=False, suffix=".tmp", encoding="utf-8"
            ) as handle:
                json.dump({"cloudtrail_delivery_seconds": self._delays}, handle)
            os.replace(handle.name, self._path)
        except OSError as error:
            self._log.debug("trusted-identity: state %s not written: %s", self._path, error)


@dataclass
class Trail:
    """What is known of one carrier's CloudTrail lookups in this app session."""

    probe_key: str  # the access key whose calls are looked up (the one that made the reads)
    own_calls_at: float  # monotonic time of those calls
    own_calls_wall: datetime
    first_offset: float  # seconds after the calls when the first lookup is due
    retry_interval: float  # the first interval between lookups while nothing is delivered
    lookups: int = 0
    last: Verification | None = None
    looked_up_at: datetime | None = None
    next_due: float = 0.0
    # False for a carrier that is not the space's own session (a kernel's other credentials):
    # looked up on explicit checks only, never on a schedule.
    scheduled: bool = True
    inflight: Any = field(default=None, repr=False)

    @classmethod
    def start(
        cls,
        probe_key: str,
        now: float,
        wall: datetime,
        learned: float | None,
        default: float,
        *,
        scheduled: bool = True,
    ) -> Trail:
        first = learned if learned is not None else 0.0
        retry = max(MIN_INTERVAL, learned if learned is not None else default)
        return cls(probe_key, now, wall, first, retry, next_due=now + first, scheduled=scheduled)

    @property
    def decided(self) -> bool:
        return self.last is not None and self.last.status in ct.DECISIVE

    def due(self, now: float) -> bool:
        return self.scheduled and now >= self.next_due

    def interval(self) -> float:
        """How long after a lookup that found nothing decisive the next one waits: doubling."""
        return min(MAX_INTERVAL, self.retry_interval * 2 ** max(0, self.lookups - 1))

    def waiting(self) -> Verification:
        """The verification to show before the first lookup is due."""
        when = self.own_calls_wall + timedelta(seconds=self.first_offset)
        return Verification(
            ct.PENDING,
            detail="CloudTrail delivers this account's events about "
            f"{_minutes(self.first_offset)} after the calls (measured in an earlier app session): "
            f"it is asked from {when.strftime('%H:%M:%S')} UTC.",
        )

    def learned_delay(self, found_at: float) -> float | None:
        """The delivery delay this session's lookups measured, once a decisive answer came."""
        if not self.decided:
            return None
        measured = found_at - self.own_calls_at
        if self.lookups <= 1:
            # Found at the first try: delivery took at most this; try a little earlier next time.
            return measured * SHRINK if self.first_offset > 0 else measured
        return measured


def _minutes(seconds: float) -> str:
    if seconds < 90:
        return f"{seconds:.0f} s"
    return f"{seconds / 60:.0f} min"

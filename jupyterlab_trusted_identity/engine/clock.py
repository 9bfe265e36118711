"""The engine's sense of time: one object for the monotonic clock (cache lifetimes, schedules)
and the wall clock (report times, credential expiry, CloudTrail event times).

Injectable so a benchmark can live a whole day of a space in seconds (bench/fleet.py), and a
test can step over a cache lifetime without sleeping.
"""

from __future__ import annotations

import time
from datetime import UTC, datetime, timedelta


class Clock:
    """The real clocks."""

    def monotonic(self) -> float:
        return time.monotonic()

    def now(self) -> datetime:
        return datetime.now(UTC)


SYSTEM_CLOCK = Clock()


class ManualClock(Clock):
    """A clock that moves only when told (tests and the simulated fleet day)."""

    def __init__(self, start: datetime | None = None) -> None:
        self._start = start or datetime.now(UTC)
        self._elapsed = 0.0

    def monotonic(self) -> float:
        return self._elapsed

    def now(self) -> datetime:
        return self._start + timedelta(seconds=self._elapsed)

    def advance(self, seconds: float) -> None:
        if seconds < 0:
            raise ValueError("a clock does not go back")
        self._elapsed += seconds

"""The emulator's time: the real clock plus an offset a test or benchmark can move forward.

A simulated day of a space (bench/fleet.py) runs the engine on a manual clock; the emulator's
clock is moved with it, so credentials expire and rotate, and CloudTrail delivers events late,
on the same simulated timeline.
"""

from __future__ import annotations

import threading
from datetime import UTC, datetime, timedelta


class EmulatorClock:
    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._offset = 0.0

    def now(self) -> datetime:
        with self._lock:
            offset = self._offset
        return datetime.now(UTC) + timedelta(seconds=offset)

    @property
    def offset_seconds(self) -> float:
        with self._lock:
            return self._offset

    def advance(self, seconds: float) -> None:
        if seconds < 0:
            raise ValueError("the emulator's clock does not go back")
        with self._lock:
            self._offset += seconds

    def reset(self) -> None:
        with self._lock:
            self._offset = 0.0

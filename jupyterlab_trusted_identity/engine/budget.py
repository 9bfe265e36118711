"""When the engine asks AWS again: the call budget of one space.

Every call is multiplied by the fleet: thousands of spaces share one account's quotas with Studio
itself (CloudTrail LookupEvents: 2 requests per second per account and region). So:

* Studio applies the settings the checks read (domain TIP, the app's effective status, sharing,
  remote access, auth mode, the profile's user) only when an app starts: they are read once per
  app start (this server's life) and on an explicit check, unless `cache_ttl` asks for more.
* A failed read is asked again after a backoff that doubles, longer when AWS throttles.
* Explicit checks are the user's, but a held-down button cannot spend the account's quota:
  a few at once, then one per `explicit_check_interval`.
* Every scheduled time carries jitter, so a fleet started at 9:00 does not ask at 9:00:00.
"""

from __future__ import annotations

import math
import random
from collections.abc import Hashable
from dataclasses import dataclass

from . import outcome as kinds
from .clock import Clock
from .config import EngineConfig
from .outcome import Outcome
from .report_types import ExplicitCheckJson

# The answer is kept until the app restarts (this server's life) or an explicit check.
APP_LIFETIME = math.inf
# A throttled call waits this many times longer than a failed one before it is asked again.
THROTTLED_FACTOR = 4.0


@dataclass(frozen=True)
class ExplicitCheck:
    """What became of an explicit check: done, or served from what is known (rate limited)."""

    performed: bool
    retry_after: float | None = None

    def to_json(self) -> ExplicitCheckJson:
        return {
            "explicit_check": "performed" if self.performed else "rate_limited",
            "retry_after_seconds": None
            if self.retry_after is None
            else math.ceil(self.retry_after),
        }


class Budget:
    def __init__(self, config: EngineConfig, clock: Clock, rng: random.Random | None = None):
        self._config = config
        self._clock = clock
        self._rng = rng or random.Random()
        self._failures: dict[Hashable, int] = {}
        # IAM action -> (monotonic time until which it counts as throttled)
        self._throttled: dict[str, float] = {}
        self._tokens = float(config.explicit_check_burst)
        self._tokens_at = clock.monotonic()

    # ---- jitter --------------------------------------------------------------------------------

    def jittered(self, seconds: float) -> float:
        """`seconds` lengthened by up to `jitter` of itself: scheduled calls of spaces that
        started together drift apart instead of asking in the same second."""
        if not math.isfinite(seconds) or seconds <= 0:
            return seconds
        return seconds * (1.0 + self._rng.uniform(0.0, self._config.jitter))

    def start_delay(self) -> float:
        """How long after the server starts its unrequested first report waits."""
        return self._rng.uniform(0.0, self._config.start_jitter)

    # ---- lifetimes of answers ------------------------------------------------------------------

    def fact_lifetime(self) -> float:
        """How long a successful read of an app-lifetime fact is kept."""
        if self._config.cache_ttl > 0:
            return self.jittered(self._config.cache_ttl)
        return APP_LIFETIME

    def lifetime(self, key: Hashable, value: object, success: float | None = None) -> float:
        """The lifetime of a cached answer: `success` (default: fact_lifetime) when it is one,
        else a backoff that doubles with each failure of the same key in a row."""
        failure = value.failure if isinstance(value, Outcome) and not value.ok else None
        if failure is None:
            self._failures.pop(key, None)
            return self.fact_lifetime() if success is None else success
        count = self._failures[key] = self._failures.get(key, 0) + 1
        throttled = failure.kind == kinds.THROTTLED
        if throttled:
            self.note_throttled(failure.action or "an AWS call")
        return self.backoff(count, throttled=throttled)

    def backoff(self, failures: int, *, throttled: bool = False) -> float:
        base = self._config.failure_ttl * (THROTTLED_FACTOR if throttled else 1.0)
        delay = min(self._config.failure_backoff_max, base * 2 ** max(0, failures - 1))
        return self.jittered(delay)

    # ---- throttling ----------------------------------------------------------------------------

    def note_throttled(self, action: str) -> None:
        until = self._clock.monotonic() + self._config.failure_backoff_max
        self._throttled[action] = until

    def throttled_until(self) -> list[float]:
        """When each throttled action stops counting as throttled (monotonic times)."""
        return list(self._throttled.values())

    def throttled_actions(self) -> list[str]:
        """The IAM actions AWS throttled recently (within the longest backoff)."""
        now = self._clock.monotonic()
        for action in [a for a, until in self._throttled.items() if until <= now]:
            del self._throttled[action]
        return sorted(self._throttled)

    # ---- explicit checks -----------------------------------------------------------------------

    def take_explicit_check(self) -> ExplicitCheck:
        """A token bucket: `explicit_check_burst` checks at once, refilled one per
        `explicit_check_interval` seconds."""
        interval = self._config.explicit_check_interval
        burst = float(self._config.explicit_check_burst)
        now = self._clock.monotonic()
        if interval <= 0:
            return ExplicitCheck(True)
        self._tokens = min(burst, self._tokens + (now - self._tokens_at) / interval)
        self._tokens_at = now
        if self._tokens >= 1.0:
            self._tokens -= 1.0
            return ExplicitCheck(True)
        return ExplicitCheck(False, retry_after=(1.0 - self._tokens) * interval)

"""A token that moves whenever a report could differ if it were built again now.

A client polling many reports (the panel, every few seconds, for every kernel) can then be told
"nothing changed" without a report being built: the token moves when a fact is stored or dropped,
when a CloudTrail trail changes, and when a time set in advance passes (a cached answer's lifetime,
a scheduled lookup, a credentials expiry the report counts down to). Reading it costs a clock
read and, when times have passed, a heap pop for each.
"""

from __future__ import annotations

import heapq
import math
from collections.abc import Callable


class Generation:
    def __init__(self, clock: Callable[[], float]):
        self._clock = clock
        self._count = 0
        # Monotonic times at which the token moves, each once (a set mirrors the heap).
        self._due: list[float] = []
        self._pending: set[float] = set()

    def changed(self) -> None:
        """Something a report shows changed now."""
        self._count += 1

    def changes_at(self, when: float) -> None:
        """Something a report shows changes at `when` (monotonic), with nothing else happening:
        an answer's lifetime ends, a lookup falls due, a countdown crosses a minute."""
        if not math.isfinite(when) or when in self._pending:
            return
        self._pending.add(when)
        heapq.heappush(self._due, when)

    def token(self) -> int:
        now = self._clock()
        while self._due and self._due[0] <= now:
            self._pending.discard(heapq.heappop(self._due))
            self._count += 1
        return self._count

"""An asyncio cache with per-entry lifetimes and single flight.

Concurrent requests for one key share one load, so twenty notebooks polling at once cause one AWS
call. A load runs as its own task: a caller that gives up (the report deadline) does not cancel
it, and its result still warms the cache for the next report.

Every load, eviction and lapse moves the cache's `generation` (see generation.py): a report built
from these entries could differ only after it moved.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Awaitable, Callable, Hashable
from dataclasses import dataclass
from typing import Any

from .generation import Generation


@dataclass
class _Entry:
    value: Any
    expires: float
    loaded_at: float  # when the load that produced it started


class TtlCache:
    def __init__(
        self,
        clock: Callable[[], float] = time.monotonic,
        max_entries: int = 4096,
        generation: Generation | None = None,
    ):
        self._clock = clock
        self.generation = generation or Generation(clock)
        self._max_entries = max_entries
        self._entries: dict[Hashable, _Entry] = {}
        self._loading: dict[Hashable, asyncio.Future[Any]] = {}
        self.loads = 0
        self.hits = 0

    async def get(
        self,
        key: Hashable,
        load: Callable[[], Awaitable[Any]],
        ttl: Callable[[Any], float],
        *,
        force: bool = False,
        since: float | None = None,
    ) -> Any:
        """Returns the cached value for `key`, loading it when missing, expired or `force`d.

        `ttl(value)` gives the value's lifetime in seconds (0: do not keep it). `force` ignores
        every value whose load started before `since` (None: every value), so the calls of one
        explicit check can share answers loaded since that check began, and nothing older.
        """
        entry = self._entries.get(key)
        fresh = entry is not None and entry.expires > self._clock()
        if (
            entry is not None
            and fresh
            and (not force or (since is not None and entry.loaded_at >= since))
        ):
            self.hits += 1
            return entry.value
        pending = self._loading.get(key)
        if pending is None:
            pending = asyncio.ensure_future(self._load(key, load, ttl))
            self._loading[key] = pending
        # shield: our caller may be cancelled at the deadline; the load goes on.
        return await asyncio.shield(pending)

    async def _load(
        self, key: Hashable, load: Callable[[], Awaitable[Any]], ttl: Callable[[Any], float]
    ) -> Any:
        self.loads += 1
        started = self._clock()
        try:
            value = await load()
            lifetime = ttl(value)
            if lifetime > 0:
                if len(self._entries) >= self._max_entries:
                    self._evict()
                expires = self._clock() + lifetime
                self._entries[key] = _Entry(value, expires, started)
                self.generation.changes_at(expires)
            else:
                self._entries.pop(key, None)
            # Even an answer not kept was read anew: the report that asked may show it.
            self.generation.changed()
            return value
        finally:
            self._loading.pop(key, None)

    def _evict(self) -> None:
        self.generation.changed()
        now = self._clock()
        for key in [k for k, e in self._entries.items() if e.expires <= now]:
            del self._entries[key]
        while len(self._entries) >= self._max_entries:
            self._entries.pop(next(iter(self._entries)))

    def now(self) -> float:
        return self._clock()

    def peek(self, key: Hashable) -> Any | None:
        entry = self._entries.get(key)
        if entry is not None and entry.expires > self._clock():
            return entry.value
        return None

    def invalidate(self, predicate: Callable[[Hashable], bool] | None = None) -> None:
        self.generation.changed()
        if predicate is None:
            self._entries.clear()
            return
        for key in [k for k in self._entries if predicate(k)]:
            del self._entries[key]

    def __len__(self) -> int:
        return len(self._entries)

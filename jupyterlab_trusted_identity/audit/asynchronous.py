"""AsyncAudit: the audit store for the event loop (one worker thread, appends in order)."""

from __future__ import annotations

import asyncio
import concurrent.futures
import functools
from collections.abc import Mapping
from datetime import datetime
from typing import Any

from .store import AuditStore, DisabledAuditStore


class AsyncAudit:
    """Runs a store's calls on one worker thread, so the tornado event loop never waits for
    the disk (or for another process holding the write lock).

    A single worker also keeps appends in submission order.
    """

    def __init__(self, store: AuditStore | DisabledAuditStore) -> None:
        self.store = store
        self._executor = concurrent.futures.ThreadPoolExecutor(
            max_workers=1, thread_name_prefix="trusted-identity-audit"
        )

    @property
    def enabled(self) -> bool:
        return self.store.enabled

    async def append(self, record: Mapping[str, Any]) -> dict[str, str | None]:
        # Copy now: the caller may mutate its dict while the write is queued.
        snapshot = dict(record)
        loop = asyncio.get_running_loop()
        return await loop.run_in_executor(self._executor, self.store.append, snapshot)

    async def query(
        self, *, limit: int = 100, before: datetime | None = None
    ) -> list[dict[str, Any]]:
        loop = asyncio.get_running_loop()
        call = functools.partial(self.store.query, limit=limit, before=before)
        return await loop.run_in_executor(self._executor, call)

    def close(self) -> None:
        """Waits for queued writes, then closes the store (idempotent). Blocking: call it at
        server shutdown, when losing a queued record matters more than a short wait."""
        self._executor.shutdown(wait=True)
        self.store.close()

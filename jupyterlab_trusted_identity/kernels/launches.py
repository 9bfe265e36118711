"""Each running kernel's launches as the server saw them: when it last started, how many starts
(scope.launch, the one launch count), and the check of its latest start while that runs."""

from __future__ import annotations

import asyncio
from collections.abc import Coroutine
from datetime import UTC, datetime
from typing import Any

from ..engine.report_types import Report


class Launches:
    def __init__(self) -> None:
        self._at: dict[str, datetime] = {}
        self._counts: dict[str, int] = {}
        # The check of a kernel's latest start, while it runs: requests for it join it.
        self._checks: dict[str, asyncio.Task[Report]] = {}
        self._tasks: set[asyncio.Task[Any]] = set()
        #: Counts starts, ends and finished launch checks: each may change the kernel list.
        self.changes = 0

    def started(self, kernel_id: str) -> None:
        """A start or restart: the check of an earlier start is no longer wanted."""
        self._at[kernel_id] = datetime.now(UTC)
        self._counts[kernel_id] = self._counts.get(kernel_id, 0) + 1
        self._cancel_check(kernel_id)
        self.changes += 1

    def ended(self, kernel_id: str) -> None:
        self._at.pop(kernel_id, None)
        self._counts.pop(kernel_id, None)
        self._cancel_check(kernel_id)
        self.changes += 1

    def launched_at(self, kernel_id: str) -> datetime | None:
        return self._at.get(kernel_id)

    def count(self, kernel_id: str) -> int | None:
        return self._counts.get(kernel_id)

    def check(self, kernel_id: str, checking: Coroutine[Any, Any, Report]) -> None:
        """Runs the check of the kernel's latest start."""
        task = asyncio.ensure_future(checking)
        self._checks[kernel_id] = task
        self._tasks.add(task)
        task.add_done_callback(lambda done: self._checked(kernel_id, done))

    def _checked(self, kernel_id: str, task: asyncio.Task[Report]) -> None:
        self._tasks.discard(task)
        if self._checks.get(kernel_id) is task:
            del self._checks[kernel_id]
        self.changes += 1

    def running_check(self, kernel_id: str) -> asyncio.Task[Report] | None:
        return self._checks.get(kernel_id)

    def _cancel_check(self, kernel_id: str) -> None:
        task = self._checks.pop(kernel_id, None)
        if task is not None:
            task.cancel()

    def close(self) -> None:
        for task in list(self._tasks):
            task.cancel()

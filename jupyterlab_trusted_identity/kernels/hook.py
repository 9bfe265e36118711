"""The kernel-launch hook: a listener of jupyter_server's kernel_actions events. Every kernel start
and restart gets its identity checked (credentials read anew), cached and audited."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Mapping
from typing import Any

from ..audit import AsyncAudit, audit_record
from ..engine.report_types import Report
from .tracker import KernelTracker

KERNEL_ACTIONS_SCHEMA = "https://events.jupyter.org/jupyter_server/kernel_actions/v1"
_EVENTS = {"start": "kernel_started", "restart": "kernel_restarted"}
# A kernel's session row is written just after the kernel starts; wait this long for its path.
_SESSION_WAIT = 3.0


class LaunchHook:
    def __init__(self, tracker: KernelTracker, audit: AsyncAudit, log: logging.Logger) -> None:
        self._tracker = tracker
        self._audit = audit
        self._log = log

    async def on_kernel_action(self, logger: Any, schema_id: str, data: Mapping[str, Any]) -> None:
        """Listener of jupyter_server's kernel_actions events."""
        kernel_id = data.get("kernel_id")
        if data.get("status") != "success" or not kernel_id:
            return
        action = data.get("action")
        if action == "shutdown":
            self._tracker.ended(kernel_id)
            return
        event = _EVENTS.get(str(action))
        if event is None:
            return
        self._tracker.started(kernel_id)
        self._tracker.launches.check(kernel_id, self._check_launch(kernel_id, event))

    async def _check_launch(self, kernel_id: str, event: str) -> Report:
        await self._wait_for_session(kernel_id)
        report = await self._tracker.report_now(kernel_id, refresh="credentials")
        await self._audit.append(audit_record(report, event))
        verdict = report["verdict"]
        log = self._log.info if verdict == "propagated" else self._log.warning
        log(
            "trusted-identity: kernel %s (%s) %s: %s",
            kernel_id,
            report["scope"].get("kernel_name"),
            event.replace("kernel_", ""),
            report["summary"],
        )
        return report

    async def _wait_for_session(self, kernel_id: str) -> None:
        loop = asyncio.get_running_loop()
        until = loop.time() + _SESSION_WAIT
        while loop.time() < until and self._tracker.has(kernel_id):
            if await self._tracker.sessions.of(kernel_id) is not None:
                return
            await asyncio.sleep(0.1)

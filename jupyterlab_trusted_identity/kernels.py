"""The kernel-launch hook: every kernel start and restart gets its identity checked, cached and
audited; reports of kernels are served from here."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Mapping
from datetime import UTC, datetime
from typing import Any

from .audit import AsyncAudit
from .engine import IdentityEngine, Scope
from .engine.budget import ExplicitCheck
from .kernel_environment import launch_environment

KERNEL_ACTIONS_SCHEMA = "https://events.jupyter.org/jupyter_server/kernel_actions/v1"
_EVENTS = {"start": "kernel_started", "restart": "kernel_restarted"}
# A kernel's session row is written just after the kernel starts; wait this long for its path.
_SESSION_WAIT = 3.0


def audit_record(report: Mapping[str, Any], event: str) -> dict[str, Any]:
    scope = report.get("scope") or {}
    return {
        "event": event,
        "kernel_id": scope.get("kernel_id"),
        "kernel_name": scope.get("kernel_name"),
        "session_path": scope.get("session_path"),
        "verdict": report.get("verdict"),
        "user_id": (report.get("user") or {}).get("user_id"),
        "user_name": (report.get("user") or {}).get("user_name"),
        "caller_arn": (report.get("role") or {}).get("caller_arn"),
        "access_key_id": (report.get("credentials") or {}).get("access_key_id"),
        "credential_source": (report.get("credentials") or {}).get("source"),
    }


class KernelTracker:
    def __init__(
        self,
        engine: IdentityEngine,
        kernel_manager: Any,
        session_manager: Any,
        audit: AsyncAudit,
        log: logging.Logger,
    ):
        self._engine = engine
        self._kernels = kernel_manager
        self._sessions = session_manager
        self._audit = audit
        self._log = log
        self._launched_at: dict[str, datetime] = {}
        self._launches: dict[str, int] = {}
        # (pid, environment, source) per kernel: read once per process, not per report.
        self._environments: dict[str, tuple[int | None, dict[str, str], str]] = {}
        # The check of a kernel's latest start, while it runs: requests for it join it.
        self._launch_checks: dict[str, asyncio.Task[dict[str, Any]]] = {}
        self._tasks: set[asyncio.Task[Any]] = set()

    def has(self, kernel_id: str) -> bool:
        return kernel_id in self._kernels

    # ---- the hook ------------------------------------------------------------------------------

    async def on_kernel_action(self, logger: Any, schema_id: str, data: Mapping[str, Any]) -> None:
        """Listener of jupyter_server's kernel_actions events."""
        kernel_id = data.get("kernel_id")
        if data.get("status") != "success" or not kernel_id:
            return
        action = data.get("action")
        if action == "shutdown":
            self._forget(kernel_id)
            return
        event = _EVENTS.get(str(action))
        if event is None:
            return
        self._launched_at[kernel_id] = datetime.now(UTC)
        self._launches[kernel_id] = self._launches.get(kernel_id, 0) + 1
        self._environments.pop(kernel_id, None)
        previous = self._launch_checks.get(kernel_id)
        if previous is not None:
            previous.cancel()
        task = asyncio.ensure_future(self._check_launch(kernel_id, event))
        self._launch_checks[kernel_id] = task
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    async def _check_launch(self, kernel_id: str, event: str) -> dict[str, Any]:
        try:
            await self._wait_for_session(kernel_id)
            report = await self._report(kernel_id, refresh="credentials")
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
        finally:
            if self._launch_checks.get(kernel_id) is asyncio.current_task():
                del self._launch_checks[kernel_id]

    async def _wait_for_session(self, kernel_id: str) -> None:
        loop = asyncio.get_running_loop()
        until = loop.time() + _SESSION_WAIT
        while loop.time() < until and kernel_id in self._kernels:
            if await self._session_path(kernel_id) is not None:
                return
            await asyncio.sleep(0.1)

    def _forget(self, kernel_id: str) -> None:
        self._launched_at.pop(kernel_id, None)
        self._launches.pop(kernel_id, None)
        self._environments.pop(kernel_id, None)
        task = self._launch_checks.pop(kernel_id, None)
        if task is not None:
            task.cancel()

    # ---- reports -------------------------------------------------------------------------------

    async def _session_paths(self) -> dict[str, str]:
        try:
            sessions = await self._sessions.list_sessions()
        except Exception:  # a session store hiccup must not fail the report
            self._log.debug("trusted-identity: cannot list sessions", exc_info=True)
            return {}
        return {
            s["kernel"]["id"]: s.get("path")
            for s in sessions
            if isinstance(s.get("kernel"), dict) and s["kernel"].get("id")
        }

    async def _session_path(self, kernel_id: str) -> str | None:
        return (await self._session_paths()).get(kernel_id)

    def _environment(self, kernel_id: str) -> tuple[dict[str, str], str]:
        km = self._kernels.get_kernel(kernel_id)
        cached = self._environments.get(kernel_id)
        pid = getattr(getattr(km, "provisioner", None), "pid", None)
        if cached is not None and cached[0] == pid:
            return cached[1], cached[2]
        environ, source, pid = launch_environment(km, self._engine.server_environ)
        self._environments[kernel_id] = (pid, environ, source)
        return environ, source

    def scope(self, kernel_id: str, session_path: str | None) -> Scope:
        km = self._kernels.get_kernel(kernel_id)
        environ, source = self._environment(kernel_id)
        return Scope(
            kind="kernel",
            environ=environ,
            kernel_id=kernel_id,
            kernel_name=getattr(km, "kernel_name", None),
            session_path=session_path,
            launched_at=self._launched_at.get(kernel_id),
            launch=self._launches.get(kernel_id),
            environment_source=source,
        )

    async def _report(
        self,
        kernel_id: str,
        *,
        refresh: bool | str = False,
        path: str | None = None,
        **options: Any,
    ) -> dict[str, Any]:
        """options: the engine's reverify and explicit (see IdentityEngine.report)."""
        if path is None:
            path = await self._session_path(kernel_id)
        return await self._engine.report(self.scope(kernel_id, path), refresh=refresh, **options)

    async def report(self, kernel_id: str) -> dict[str, Any]:
        """The kernel's report; joins the check of its latest start if that still runs."""
        launch = self._launch_checks.get(kernel_id)
        if launch is not None:
            try:
                return await asyncio.shield(launch)
            except asyncio.CancelledError:
                if asyncio.current_task().cancelling():  # type: ignore[union-attr]
                    raise
        return await self._report(kernel_id)

    async def reports(self) -> list[dict[str, Any]]:
        paths = await self._session_paths()
        return self.completed(
            await asyncio.gather(
                *(self._report(k, path=paths.get(k)) for k in self.kernel_ids()),
                return_exceptions=True,
            )
        )

    def kernel_ids(self) -> list[str]:
        return [k for k in self._kernels.list_kernel_ids() if k in self._kernels]

    def completed(self, results: list[Any]) -> list[dict[str, Any]]:
        """The reports of a gathering over kernels, without those that ended meanwhile."""
        reports = []
        for result in results:
            if isinstance(result, BaseException):
                # A kernel shut down meanwhile: leave it out rather than fail the list.
                if not isinstance(result, KeyError):
                    self._log.warning("trusted-identity: kernel report failed: %r", result)
                continue
            reports.append(result)
        return reports

    async def check(
        self, kernel_id: str, *, reverify: bool = False, explicit: ExplicitCheck | None = None
    ) -> dict[str, Any]:
        """An explicit re-check: every cache bypassed (within the explicit-check rate limit).
        reverify: CloudTrail is asked again even for a carrier it proved. The service audits
        it."""
        return await self._report(kernel_id, refresh=True, reverify=reverify, explicit=explicit)

    async def close(self) -> None:
        for task in list(self._tasks):
            task.cancel()

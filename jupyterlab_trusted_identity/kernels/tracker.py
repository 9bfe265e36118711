"""KernelTracker: the running kernels as the engine sees them. Builds each kernel's scope (its
launch, launch environment and session path) and serves kernel reports."""

from __future__ import annotations

import asyncio
import logging
from typing import Any

from ..engine import IdentityEngine, Scope
from ..engine.budget import ExplicitCheck
from .environment import LaunchEnvironments
from .launches import Launches, Report
from .sessions import SessionPaths


class KernelTracker:
    def __init__(
        self,
        engine: IdentityEngine,
        kernel_manager: Any,
        session_manager: Any,
        log: logging.Logger,
    ):
        self._engine = engine
        self._kernels = kernel_manager
        self._log = log
        self.sessions = SessionPaths(session_manager, log)
        self.environments = LaunchEnvironments(engine.server_environ)
        self.launches = Launches()

    def has(self, kernel_id: str) -> bool:
        return kernel_id in self._kernels

    def kernel_ids(self) -> list[str]:
        return [k for k in self._kernels.list_kernel_ids() if k in self._kernels]

    # ---- what the launch hook tells -----------------------------------------------------------

    def started(self, kernel_id: str) -> None:
        self.launches.started(kernel_id)
        self.environments.forget(kernel_id)

    def ended(self, kernel_id: str) -> None:
        self.launches.ended(kernel_id)
        self.environments.forget(kernel_id)

    # ---- scopes and reports --------------------------------------------------------------------

    def scope(self, kernel_id: str, session_path: str | None) -> Scope:
        km = self._kernels.get_kernel(kernel_id)
        environ, source = self.environments.of(kernel_id, km)
        return Scope(
            kind="kernel",
            environ=environ,
            kernel_id=kernel_id,
            kernel_name=getattr(km, "kernel_name", None),
            session_path=session_path,
            launched_at=self.launches.launched_at(kernel_id),
            launch=self.launches.count(kernel_id),
            environment_source=source,
        )

    async def report_now(
        self,
        kernel_id: str,
        *,
        refresh: bool | str = False,
        path: str | None = None,
        **engine_options: Any,
    ) -> Report:
        """The kernel's report as the engine gives it now. engine_options: the engine's
        reverify and explicit (see IdentityEngine.report)."""
        if path is None:
            path = await self.sessions.of(kernel_id)
        return await self._engine.report(
            self.scope(kernel_id, path), refresh=refresh, **engine_options
        )

    async def report(self, kernel_id: str) -> Report:
        """The kernel's report; joins the check of its latest start if that still runs."""
        launch = self.launches.running_check(kernel_id)
        if launch is not None:
            try:
                return await asyncio.shield(launch)
            except asyncio.CancelledError:
                if asyncio.current_task().cancelling():  # type: ignore[union-attr]
                    raise
        return await self.report_now(kernel_id)

    async def reports(self) -> list[Report]:
        paths = await self.sessions.by_kernel()
        return self.completed(
            await asyncio.gather(
                *(self.report_now(k, path=paths.get(k)) for k in self.kernel_ids()),
                return_exceptions=True,
            )
        )

    def completed(self, results: list[Any]) -> list[Report]:
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
    ) -> Report:
        """An explicit re-check: every cache bypassed (within the explicit-check rate limit).
        reverify: CloudTrail is asked again even for a carrier it proved. The service audits
        it."""
        return await self.report_now(kernel_id, refresh=True, reverify=reverify, explicit=explicit)

    async def close(self) -> None:
        self.launches.close()

"""KernelTracker: the running kernels as the engine sees them. Builds each kernel's scope (its
launch, launch environment and session path), serves kernel reports, and says cheaply whether
the kernel list could have changed (`listing`), so a poll can be answered "not modified"."""

from __future__ import annotations

import asyncio
import hashlib
import logging
import os
from dataclasses import dataclass
from typing import Any

from ..engine import IdentityEngine, Scope
from ..engine.budget import ExplicitCheck
from ..engine.report_types import Report
from .environment import LaunchEnvironments, kernel_pid
from .launches import Launches
from .sessions import SessionPaths

# Kernel reports built at once for a list. They rest on cached facts, so all at once were no
# quicker (bench: 200 kernels' list in ~100 ms either way), but 200 gatherings in flight held
# ~6.5 MB of facts, checks and tasks at once, a high-water mark the server's memory kept.
_REPORTS_AT_ONCE = 16


@dataclass(frozen=True)
class KernelListing:
    """The kernels a list of reports covers, with their session paths, and a validator (an HTTP
    entity tag) that differs whenever any of their reports could."""

    kernel_ids: tuple[str, ...]
    paths: dict[str, str | None]
    etag: str


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
        self._explicit_checks = 0
        # Entity tags of an earlier server process never match: its counters started alike.
        self._instance = os.urandom(8).hex()

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

    async def listing(self) -> KernelListing:
        """The running kernels and their session paths, with a validator of their reports that
        costs no report: what the engine knows (its generation, read first, as it asks), what
        this tracker knows (launches, environments read, explicit checks), and what each
        report's scope is built from (kernel ids in order, process ids, session paths)."""
        # Counters and snapshots before the reports they stand for are built: a change after
        # this costs the next poll a 200, never a stale 304.
        known = (
            self._instance,
            self._engine.generation(),
            self.launches.changes,
            self.environments.reads,
            self._explicit_checks,
        )
        ids = tuple(self.kernel_ids())
        pids = tuple(self._pid(k) for k in ids)
        sessions = await self.sessions.by_kernel()
        paths = {k: sessions.get(k) for k in ids}
        state = (known, ids, pids, tuple(paths.values()))
        digest = hashlib.blake2b(repr(state).encode(), digest_size=12).hexdigest()
        # Weak: two lists with one validator show the same, but not byte for byte (each report
        # says when it was generated).
        return KernelListing(ids, paths, f'W/"{digest}"')

    def _pid(self, kernel_id: str) -> int | None:
        try:
            return kernel_pid(self._kernels.get_kernel(kernel_id))
        except KeyError:  # ended meanwhile: its report will be left out
            return None

    async def reports(self, listing: KernelListing | None = None) -> list[Report]:
        """The reports of the kernels of `listing` (by default, of the kernels running now), in
        its order, built _REPORTS_AT_ONCE at a time."""
        if listing is None:
            listing = await self.listing()
        ids = listing.kernel_ids
        results: list[Any] = [None] * len(ids)
        pending = iter(enumerate(ids))

        async def build() -> None:
            for n, kernel_id in pending:
                try:
                    results[n] = await self.report_now(kernel_id, path=listing.paths.get(kernel_id))
                except asyncio.CancelledError as error:
                    # Only this report's (as gather's return_exceptions kept it): left out.
                    if asyncio.current_task().cancelling():  # type: ignore[union-attr]
                        raise
                    results[n] = error
                except Exception as error:  # completed() leaves it out
                    results[n] = error

        await asyncio.gather(*(build() for _ in range(min(_REPORTS_AT_ONCE, len(ids)))))
        return self.completed(results)

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
        try:
            return await self.report_now(
                kernel_id, refresh=True, reverify=reverify, explicit=explicit
            )
        finally:
            self._explicit_checks += 1

    async def close(self) -> None:
        self.launches.close()

"""What the REST routes serve, in one object: the server report, the kernel reports, explicit
checks and Test access (rate limited by the engine's budget, and audited), the audit trail with
the state of its forwarding to CloudWatch Logs, and the version.

Route handlers stay thin (parse, call one method, write JSON); the engine knows no HTTP; the
kernel tracker knows kernels. A command line or a notebook magic can use this object as it is.
"""

from __future__ import annotations

import asyncio
import math
from datetime import datetime
from typing import Any

from . import __version__
from .audit import AsyncAudit, access_test_record, audit_record
from .audit.forwarding import AuditForwarder
from .engine import IdentityEngine
from .engine.access_test import AccessRequest
from .engine.report import SCHEMA_VERSION
from .engine.report_types import AccessTestResult, Report
from .kernels import KernelListing, KernelTracker


class RateLimited(Exception):
    """An explicit request the rate limit refused: nothing was asked of AWS."""

    def __init__(self, retry_after: float | None):
        super().__init__("rate limited")
        self.retry_after_seconds = None if retry_after is None else max(1, math.ceil(retry_after))


class IdentityService:
    def __init__(
        self,
        engine: IdentityEngine,
        tracker: KernelTracker,
        audit: AsyncAudit,
        *,
        forwarder: AuditForwarder | None = None,
    ):
        self.engine = engine
        self.tracker = tracker
        self.audit = audit
        self.forwarder = forwarder

    # ---- the server's own report -------------------------------------------------------------

    async def server_report(self) -> Report:
        return await self.engine.report(self.engine.server_scope())

    async def check_server(self, *, reverify: bool = False) -> Report:
        """An explicit check of the server's report, audited."""
        report = await self.engine.report(
            self.engine.server_scope(), refresh=True, reverify=reverify
        )
        await self.audit.append(audit_record(report, "checked"))
        return report

    # ---- kernels -----------------------------------------------------------------------------

    def has_kernel(self, kernel_id: str) -> bool:
        return self.tracker.has(kernel_id)

    async def kernel_report(self, kernel_id: str) -> Report:
        return await self.tracker.report(kernel_id)

    async def kernel_listing(self) -> KernelListing:
        """The running kernels with a validator of their reports (an entity tag), cheap: a
        client that holds the reports of that validator needs no new ones."""
        return await self.tracker.listing()

    async def kernel_reports(self, listing: KernelListing | None = None) -> list[Report]:
        """The reports of the kernels of `listing` (by default, of the kernels running now)."""
        return await self.tracker.reports(listing)

    async def check_kernel(self, kernel_id: str, *, reverify: bool = False) -> Report:
        """An explicit check of one kernel, audited."""
        report = await self.tracker.check(kernel_id, reverify=reverify)
        await self.audit.append(audit_record(report, "checked"))
        return report

    async def check_kernels(self) -> list[Report]:
        """One explicit check of every kernel: one request takes one token of the rate limit,
        however many kernels run."""
        explicit = self.engine.budget.take_explicit_check()
        reports = self.tracker.completed(
            await asyncio.gather(
                *(self.tracker.check(k, explicit=explicit) for k in self.tracker.kernel_ids()),
                return_exceptions=True,
            )
        )
        for report in reports:
            await self.audit.append(audit_record(report, "checked"))
        return reports

    # ---- Test access ---------------------------------------------------------------------------

    async def test_access(self, request: AccessRequest) -> AccessTestResult:
        """S3 Access Grants' answer for `request` (engine/access_test.py), on the user's explicit
        request only: it takes the explicit check's token (RateLimited when there is none, since
        there is no earlier answer to serve instead) and is audited without any credential."""
        explicit = self.engine.budget.take_explicit_check()
        if not explicit.performed:
            raise RateLimited(explicit.retry_after)
        # The expected user is the server report's (cached: the panel asked for it already).
        report = await self.engine.report(self.engine.server_scope())
        result = await self.engine.test_access(request, (report.get("user") or {}).get("user_id"))
        await self.audit.append(access_test_record(report, result))
        return result

    # ---- audit trail and version ---------------------------------------------------------------

    async def audit_records(self, *, limit: int, before: datetime | None) -> list[dict[str, Any]]:
        return await self.audit.query(limit=limit, before=before)

    def audit_forwarding(self) -> dict[str, Any] | None:
        """The forwarding to CloudWatch Logs (AuditForwarder.status()), None when it is off."""
        forwarder = self.forwarder
        return forwarder.status() if forwarder is not None and forwarder.enabled else None

    @staticmethod
    def version() -> dict[str, Any]:
        return {"version": __version__, "schema_version": SCHEMA_VERSION}

"""KernelTracker.reports: the list's reports in its order, a bounded number built at once (200
gatherings in flight at once held ~6.5 MB of the server's memory), kernels that ended meanwhile
(or whose report was cancelled) left out."""

from __future__ import annotations

import asyncio
import logging
from types import SimpleNamespace
from typing import Any

from jupyterlab_trusted_identity.kernels import tracker as tracker_module
from jupyterlab_trusted_identity.kernels.tracker import KernelListing, KernelTracker


class _SessionManager:
    def list_sessions(self) -> list[Any]:
        return []


async def test_reports_keep_the_list_order_and_build_a_few_at_once(monkeypatch):
    kernels = KernelTracker(
        SimpleNamespace(server_environ={}),  # type: ignore[arg-type]
        {},
        _SessionManager(),
        logging.getLogger("test"),
    )
    in_flight = most = 0
    ended = {"k007", "k150"}
    cancelled = "k100"  # its own report cancelled, not the list: left out too

    async def report_now(kernel_id: str, *, path: str | None = None, **_: Any) -> Any:
        nonlocal in_flight, most
        in_flight += 1
        most = max(most, in_flight)
        try:
            await asyncio.sleep(0.001 if int(kernel_id[1:]) % 3 else 0.003)
            if kernel_id in ended:
                raise KeyError(kernel_id)
            if kernel_id == cancelled:
                raise asyncio.CancelledError
            return {"kernel": kernel_id, "path": path}
        finally:
            in_flight -= 1

    monkeypatch.setattr(kernels, "report_now", report_now)
    ids = tuple(f"k{n:03d}" for n in range(200))
    listing = KernelListing(ids, {k: f"{k}.ipynb" for k in ids}, 'W/"x"')
    reports = await kernels.reports(listing)
    assert [r["kernel"] for r in reports] == [k for k in ids if k not in {*ended, cancelled}]
    assert all(r["path"] == f"{r['kernel']}.ipynb" for r in reports)
    assert most == tracker_module._REPORTS_AT_ONCE
    assert await kernels.reports(KernelListing((), {}, 'W/"y"')) == []

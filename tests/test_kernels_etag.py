"""GET trusted-identity/kernels as a conditional request (the panel's steady-state poll): the list's
ETag, a bodiless 304 that builds no report while no report could differ, and a 200 with the new
list once a kernel starts, ends, is checked again or has its session renamed. A real Jupyter
server in the emulated Studio; kernels and sessions through Jupyter's own REST API."""

from __future__ import annotations

import asyncio
import json
import time
from typing import Any

from helpers_http import Http, Reply, assert_unchanged, snapshot, trusted_identity_app

SETTLE_SECONDS = 30.0


def _listed(reply: Reply) -> dict[str, str | None]:
    """kernel id -> session path of a 200 kernel list."""
    assert reply.code == 200, (reply.code, reply.text[:500])
    return {k["scope"]["kernel_id"]: k["scope"]["session_path"] for k in reply.json()["kernels"]}


async def _poll(http: Http, etag: str) -> Reply:
    return await http("kernels", headers={"If-None-Match": etag})


async def _settled(http: Http) -> tuple[str, Reply]:
    """Polls as the panel does (sending the last ETag) until the server answers 304: the
    launch checks have finished and the engine's facts are stored. (ETag, the last 200)."""
    reply = await http("kernels")
    deadline = time.monotonic() + SETTLE_SECONDS
    while True:
        assert reply.code == 200, (reply.code, reply.text[:500])
        etag = reply.headers.get("ETag")
        assert etag, dict(reply.headers.get_all())
        again = await _poll(http, etag)
        if again.code == 304:
            return etag, reply
        assert time.monotonic() < deadline, "the kernel list never stopped changing"
        reply = again
        await asyncio.sleep(0.2)


def _count_reports(serverapp: Any, monkeypatch: Any) -> list[str]:
    """The kernel ids of every report the tracker builds from now on."""
    tracker = trusted_identity_app(serverapp).tracker
    built: list[str] = []
    report_now = tracker.report_now

    async def counted(kernel_id: str, **options: Any) -> Any:
        built.append(kernel_id)
        return await report_now(kernel_id, **options)

    monkeypatch.setattr(tracker, "report_now", counted)
    return built


async def test_an_unchanged_kernel_list_is_a_304_without_a_body_or_a_report(
    http, start_kernel, emulator, jp_serverapp, monkeypatch
):
    first = await start_kernel("python3", path="etag/a.ipynb")
    second = await start_kernel("python3")
    etag, listed = await _settled(http)
    assert _listed(listed) == {first: "etag/a.ipynb", second: None}
    assert etag.startswith('W/"') and etag.endswith('"'), etag
    assert listed.headers.get("Cache-Control") == "no-store"

    before = snapshot(emulator, jp_serverapp)
    built = _count_reports(jp_serverapp, monkeypatch)
    reply = await _poll(http, etag)
    assert reply.code == 304, (reply.code, reply.text[:500])
    assert reply.body == b""
    assert reply.headers.get("ETag") == etag
    assert reply.headers.get("Cache-Control") == "no-store"
    assert built == [], "a 304 built kernel reports"
    assert_unchanged(before, emulator, jp_serverapp, "a 304")

    # One of several validators (HTTP's list form) matches too.
    reply = await http("kernels", headers={"If-None-Match": f'W/"0000", {etag}'})
    assert reply.code == 304 and reply.body == b""

    # A validator the server never gave: the whole list, with the current ETag.
    for wrong in ('W/"0123456789abcdef01234567"', etag.removeprefix("W/")[:-2] + 'x"'):
        reply = await _poll(http, wrong)
        assert _listed(reply) == {first: "etag/a.ipynb", second: None}
        assert reply.headers.get("ETag") == etag
    assert sorted(built) == sorted([first, second] * 2)

    # refresh=1 is an explicit check: always a 200 with the list, never a 304.
    reply = await http("kernels", refresh="1", headers={"If-None-Match": etag})
    assert _listed(reply) == {first: "etag/a.ipynb", second: None}
    assert reply.headers.get("ETag") is None


async def test_the_etag_changes_when_a_kernel_starts_ends_is_checked_or_renamed(
    http, start_kernel, jp_fetch
):
    renamed = await start_kernel("python3", path="etag/before.ipynb")
    etag, _ = await _settled(http)

    # A kernel starts.
    ended = await start_kernel("python3", path="etag/other.ipynb")
    reply = await _poll(http, etag)
    assert ended in _listed(reply), reply.text[:500]
    assert reply.headers.get("ETag") != etag
    etag, _ = await _settled(http)

    # A kernel is checked again (a new report, though nothing it shows changed).
    reply = await http(f"kernels/{renamed}/check", "POST")
    assert reply.code == 200, reply.text
    reply = await _poll(http, etag)
    assert _listed(reply) == {renamed: "etag/before.ipynb", ended: "etag/other.ipynb"}
    etag, _ = await _settled(http)

    # Its session is renamed (only the session table changes: no kernel event).
    sessions = json.loads((await jp_fetch("api", "sessions")).body)
    session_id = next(s["id"] for s in sessions if s["kernel"]["id"] == renamed)
    await jp_fetch(
        "api",
        "sessions",
        session_id,
        method="PATCH",
        body=json.dumps({"path": "etag/after.ipynb"}),
    )
    reply = await _poll(http, etag)
    assert _listed(reply) == {renamed: "etag/after.ipynb", ended: "etag/other.ipynb"}
    etag, _ = await _settled(http)

    # A kernel ends.
    await jp_fetch("api", "kernels", ended, method="DELETE")
    reply = await _poll(http, etag)
    assert _listed(reply) == {renamed: "etag/after.ipynb"}
    etag, settled = await _settled(http)
    assert _listed(settled) == {renamed: "etag/after.ipynb"}

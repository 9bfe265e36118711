"""The call budget of one space (issue 13), on a simulated timeline: the engine runs on a manual
clock and the emulator's clock is moved with it, so hours pass in milliseconds while keys expire
and rotate and CloudTrail delivers late, as in Studio.

Each test counts the AWS calls at the emulator, the way AWS would bill them against the account's
quotas.
"""

from __future__ import annotations

import asyncio
import json
import os
import random
import time
from collections.abc import Iterator
from dataclasses import dataclass, replace
from datetime import datetime
from pathlib import Path
from typing import Any

import botocore.session
import pytest

from jupyterlab_trusted_identity.engine import EngineConfig, IdentityEngine, Scope
from jupyterlab_trusted_identity.engine.budget import Budget
from jupyterlab_trusted_identity.engine.clock import ManualClock
from jupyterlab_trusted_identity.engine.credentials import ResolvedCredentials, resolve_in_process
from jupyterlab_trusted_identity.engine.engine import REPORT_REUSE
from studio_emulator.client import EmulatorProcess, kernelspec_env

STUDIO_READS = (
    "sagemaker:DescribeDomain",
    "sagemaker:DescribeSpace",
    "sagemaker:DescribeApp",
    "sagemaker:DescribeUserProfile",
    "sso:DescribeApplication",
    "sso:DescribeInstance",
    "identitystore:GetUserId",
    "identitystore:DescribeUser",
)
STS = "sts:GetCallerIdentity"
LOOKUP = "cloudtrail:LookupEvents"


@dataclass
class Space:
    """One emulated space: the engine of its server on a manual clock, and the emulator."""

    emulator: EmulatorProcess
    clock: ManualClock
    engine: IdentityEngine
    config: EngineConfig

    def advance(self, seconds: float) -> None:
        self.clock.advance(seconds)
        self.emulator.advance_clock(seconds)

    async def report(self, **kwargs: Any) -> dict[str, Any]:
        return await self.engine.report(self.engine.server_scope(), **kwargs)

    async def poll(self, seconds: float, every: float = 10.0) -> dict[str, Any]:
        """The panel open for `seconds`: a report every `every` seconds."""
        report = await self.report()
        for _ in range(int(seconds // every)):
            self.advance(every)
            report = await self.report()
        return report

    def calls(self) -> dict[str, int]:
        counts = dict(self.emulator.calls()["counts"])
        counts.pop("container:GetCredentials", None)  # local, not an AWS quota
        return counts

    def restart(self, **changes: Any) -> None:
        """The app restarts: a new server (engine) and new container credentials."""
        self.engine.close()
        self.emulator.rotate()
        self.config = replace(self.config, **changes)
        self.engine = IdentityEngine(
            self.config, dict(os.environ), clock=self.clock, rng=random.Random(7)
        )


@pytest.fixture
def space(studio: dict[str, Any], emulator: EmulatorProcess, tmp_path: Path) -> Iterator[Space]:
    clock = ManualClock(datetime.fromisoformat(emulator.advance_clock(0)["now"]))
    config = EngineConfig(
        metadata_path=studio["metadata_path"],
        aws_timeout=2.0,
        check_deadline=5.0,
        state_path=str(tmp_path / "state.json"),
    )
    engine = IdentityEngine(config, dict(os.environ), clock=clock, rng=random.Random(7))
    emulator.reset_calls()
    s = Space(emulator, clock, engine, config)
    try:
        yield s
    finally:
        s.engine.close()


def _delivery(emulator: EmulatorProcess, low: float, high: float | None = None) -> None:
    emulator.cloudtrail_delay(low, high, seed=1)


# ---- facts fixed for the app's lifetime ---------------------------------------------------------


async def test_studio_facts_are_read_once_per_app_start_and_sts_once_per_key(space: Space):
    first = await space.report()
    assert first["verdict"] == "propagated", first["summary"]
    assert first["verification"]["status"] == "verified"
    assert first["budget"]["facts_kept"] == "app_lifetime"
    assert first["budget"]["explicit_check"] is None and first["budget"]["throttled"] == []
    started = space.calls()
    assert all(started.get(op) == 1 for op in STUDIO_READS[:4]), started
    assert started.get(STS) == 1 and started.get(LOOKUP) == 1, started

    # Six hours with the panel open: the keys rotate (every 45 minutes for this scenario's
    # one-hour credentials), nothing else changes.
    space.emulator.reset_calls()
    keys = {first["credentials"]["access_key_id"]}
    for _ in range(36):
        report = await space.poll(600, every=60)
        keys.add(report["credentials"]["access_key_id"])
        assert report["verdict"] == "propagated", report["summary"]
    later = space.calls()
    assert len(keys) >= 7, keys
    assert not any(later.get(op) for op in STUDIO_READS), later
    assert later.get(LOOKUP) is None, "a verified session was looked up again"
    # A key the container endpoint rotated is the same session: STS is not asked again.
    assert later.get(STS) is None, (later, keys)
    valid = next(c for c in report["checks"] if c["id"] == "credentials.valid")
    assert valid["status"] == "pass" and "rotated since" in valid["detail"], valid
    assert report["role"]["sources"]["caller_arn"].endswith("(of the key before rotation)")
    assert report["role"]["caller_arn"] == first["role"]["caller_arn"]

    # An explicit check reads the Studio facts again, and keeps CloudTrail's proof.
    space.emulator.reset_calls()
    checked = await space.report(refresh=True)
    counts = space.calls()
    assert checked["budget"]["explicit_check"] == "performed"
    assert all(counts.get(op) == 1 for op in (*STUDIO_READS[:4], STS)), counts
    assert checked["role"]["sources"]["caller_arn"] == "sts:GetCallerIdentity"
    assert counts.get(LOOKUP) is None and checked["verification"]["status"] == "verified"
    space.emulator.reset_calls()
    again = await space.report(refresh=True, reverify=True)
    assert space.calls().get(LOOKUP) == 1 and again["verification"]["status"] == "verified"

    # A restart of the app reads them again.
    space.emulator.reset_calls()
    space.restart()
    await space.report()
    restarted = space.calls()
    assert all(restarted.get(op) == 1 for op in STUDIO_READS[:4]), restarted


async def test_a_positive_cache_ttl_rereads_the_facts_that_often(space: Space):
    space.restart(cache_ttl=600)
    await space.report()
    space.emulator.reset_calls()
    report = await space.poll(3600, every=60)
    assert report["budget"]["facts_kept"] == "cache_ttl"
    counts = space.calls()
    # 600 s lengthened by up to 20 % jitter: 5 or 6 periods in an hour.
    assert 4 <= counts.get("sagemaker:DescribeDomain", 0) <= 6, counts


# ---- CloudTrail: once per app session, when delivery makes it worth asking ---------------------


async def test_pending_lookups_follow_delivery_and_the_delay_is_learned(space: Space):
    _delivery(space.emulator, 600)  # every event 10 minutes late
    space.restart()  # new keys: their events are recorded with that delay
    first = await space.report()
    verification = first["verification"]
    assert verification["status"] == "pending", verification
    assert verification["looked_up_at"] is not None and verification["next_lookup_at"] is not None
    next_at = datetime.fromisoformat(verification["next_lookup_at"].replace("Z", "+00:00"))
    wait = (next_at - space.clock.now()).total_seconds()
    # cloudtrail_delivery (900 s) plus up to 20 % jitter, not the old minute.
    assert 890 <= wait <= 1085, wait

    report = await space.poll(1200, every=10)
    assert report["verification"]["status"] == "verified", report["verification"]
    assert report["verification"]["next_lookup_at"] is None
    assert space.calls().get(LOOKUP) == 2, space.calls()
    learned = json.loads(Path(space.config.state_path or "").read_text())
    delay = learned["cloudtrail_delivery_seconds"][first["studio"]["region"]]
    assert 600 <= delay <= 1085, learned

    # Asking again hours later (on request) does not count as a delivery delay.
    space.advance(3 * 3600)
    await space.report(refresh=True, reverify=True)
    again = json.loads(Path(space.config.state_path or "").read_text())
    assert again == learned, again

    # The next app session asks once, when its events can have been delivered.
    space.emulator.reset_calls()
    space.restart()
    waiting = await space.report()
    assert waiting["verification"]["status"] == "pending"
    assert waiting["verification"]["looked_up_at"] is None, "asked before delivery"
    assert "measured" in waiting["verification"]["detail"]
    report = await space.poll(1800, every=10)
    assert report["verification"]["status"] == "verified", report["verification"]
    assert space.calls().get(LOOKUP) == 1, space.calls()


async def test_a_kernel_reuses_the_spaces_facts(space: Space, studio: dict[str, Any]):
    await space.report()
    space.emulator.reset_calls()
    same = Scope(kind="kernel", environ=dict(os.environ), kernel_id="k1", launch=1)
    report = await space.engine.report(same, refresh="credentials")
    assert report["verification"]["status"] == "verified"
    assert space.calls() == {}, "a kernel with the space's credentials cost AWS calls"

    profile = kernelspec_env(studio, "python3-aws-profile")
    other = Scope(kind="kernel", environ={**os.environ, **profile}, kernel_id="k2", launch=1)
    report = await space.engine.report(other, refresh="credentials")
    assert report["verdict"] == "not_propagated"
    counts = space.calls()
    # Resolving the profile assumes its role (once per kernel start, as boto3 in the kernel does).
    assert counts == {STS: 1, "sts:AssumeRole": 1}, counts
    assert report["verification"]["status"] == "unavailable"

    # An explicit check of that kernel looks CloudTrail up once; its pending answer is not
    # asked again on a schedule (only the space's own session is).
    checked = await space.engine.report(other, refresh=True)
    assert checked["verification"]["next_lookup_at"] is None, checked["verification"]
    space.emulator.reset_calls()
    for _ in range(12):
        space.advance(600)
        await space.engine.report(other)
    assert LOOKUP not in space.calls(), space.calls()


async def test_a_scope_resolving_its_own_credentials(space: Space, studio: dict[str, Any]):
    """A scope that resolves its own credentials (the notebook magic's boto3 default session) is
    asked at each report, even with the server's environment; when they are the space's, the
    kernel still costs no AWS call."""
    await space.report()
    space.emulator.reset_calls()
    asked: list[str] = []

    def chain() -> ResolvedCredentials:
        asked.append("chain")
        return resolve_in_process()

    same = Scope(
        kind="kernel", environ=dict(os.environ), kernel_id="k1", launch=1, resolve_credentials=chain
    )
    # Never a reused report: its credentials may change while its environment stays the same.
    for _ in range(2):
        report = await space.engine.report(same)
        assert report["verdict"] == "propagated", report["summary"]
        assert report["verification"]["status"] == "verified"
    assert asked == ["chain", "chain"]
    assert space.calls() == {}, "a kernel with the space's credentials cost AWS calls"

    # The same environment, another session: its keys are what the report judges.
    keys = kernelspec_env(studio, "python3-static-keys")
    session = botocore.session.Session()
    session.set_credentials(keys["AWS_ACCESS_KEY_ID"], keys["AWS_SECRET_ACCESS_KEY"])
    other = replace(same, resolve_credentials=lambda: resolve_in_process(session))
    report = await space.engine.report(other, refresh="credentials")
    assert report["verdict"] == "not_propagated", report["summary"]
    assert report["credentials"]["source"] == "explicit", report["credentials"]
    assert report["role"]["caller_arn"].endswith(":user/notebook-bot"), report["role"]
    assert space.calls() == {STS: 1}, space.calls()

    # One that does not answer is cut at the credentials' timeout (2 x aws_timeout), off the loop.
    def hung() -> ResolvedCredentials:
        time.sleep(4.5)
        return resolve_in_process()

    started = time.monotonic()
    report = await space.engine.report(replace(same, resolve_credentials=hung), refresh=True)
    assert time.monotonic() - started < 4.5
    assert report["credentials"]["problem"] == "error", report["credentials"]
    assert report["credentials"]["detail"] == "the credential provider did not answer within 4 s"


# ---- explicit checks and throttling ------------------------------------------------------------


async def test_a_held_down_check_button_is_rate_limited(space: Space):
    await space.report()
    space.advance(0.5)
    space.emulator.reset_calls()
    answers = []
    for _ in range(30):  # a button held down repeats about twice a second
        answers.append(await space.report(refresh=True))
        space.advance(0.5)
    performed = [a for a in answers if a["budget"]["explicit_check"] == "performed"]
    limited = [a for a in answers if a["budget"]["explicit_check"] == "rate_limited"]
    assert len(performed) == space.config.explicit_check_burst, len(performed)
    assert len(limited) == 30 - len(performed)
    assert all(0 < a["budget"]["retry_after_seconds"] <= 30 for a in limited)
    assert all(a["verdict"] == "propagated" for a in limited)
    reads = space.calls().get("sagemaker:DescribeDomain")
    assert reads == len(performed), space.calls()

    space.advance(30)
    assert (await space.report(refresh=True))["budget"]["explicit_check"] == "performed"


async def test_throttling_slows_the_space_down_and_is_reported(space: Space):
    space.emulator.fault("sagemaker:DescribeDomain", "throttle")
    first = await space.report()
    assert "sagemaker:DescribeDomain" in first["budget"]["throttled"], first["budget"]
    domain = next(c for c in first["checks"] if c["id"] == "studio.auth_mode")
    # unknown, or a warning where CloudTrail's proof settles it (evidence.py)
    assert domain["status"] in ("unknown", "warn") and "Throttl" in domain["detail"], domain
    space.emulator.reset_calls()
    await space.poll(1800, every=10)
    throttled = space.calls().get("sagemaker:DescribeDomain", 0)
    # Backoff from 120 s, doubling (plus jitter): at most 4 more asks in 30 minutes, each
    # retried once by botocore; an unthrottled failure every 30 s would have been 60.
    assert throttled <= 8, space.calls()

    space.emulator.clear_faults()
    space.advance(1800)
    report = await space.report()
    assert report["verdict"] == "propagated", report["summary"]


def test_jitter_spreads_schedules_within_their_bounds():
    config = EngineConfig()
    a = Budget(config, ManualClock(), random.Random(1))
    b = Budget(config, ManualClock(), random.Random(2))
    delays = [a.jittered(900) for _ in range(200)]
    assert min(delays) >= 900 and max(delays) <= 900 * (1 + config.jitter)
    assert len({round(d) for d in delays}) > 50, "no spread"
    assert a.jittered(900) != b.jittered(900)
    starts = [a.start_delay() for _ in range(500)]
    assert min(starts) >= 0 and max(starts) <= config.start_jitter
    # Spaces started in the same second warm up over the whole window.
    assert max(starts) - min(starts) > config.start_jitter * 0.9


# ---- the generation token: "not modified" without building a report ---------------------------


async def test_generation_moves_only_when_a_report_could_differ(space: Space):
    _delivery(space.emulator, 600)  # CloudTrail delivers late: the lookup is scheduled
    space.restart()
    engine = space.engine
    start = engine.generation()
    assert engine.generation() == start, "nothing changed"

    first = await space.report()
    assert first["verification"]["status"] == "pending", first["verification"]
    gathered = engine.generation()
    assert gathered != start, "facts were stored"
    space.emulator.reset_calls()
    again = await space.report()  # warm, at the same time: every fact is cached
    assert space.emulator.calls()["counts"] == {}, space.emulator.calls()
    assert engine.generation() == gathered, "a warm report changed nothing"
    assert again["checks"] == first["checks"]

    # The credentials are re-read every minute or so (credentials_recheck plus jitter).
    space.advance(75)
    lapsed = engine.generation()
    assert lapsed != gathered, "a cached answer's lifetime passed"
    space.emulator.reset_calls()
    await space.report()
    assert space.emulator.calls()["counts"].get("container:GetCredentials") == 1

    # The scheduled CloudTrail lookup: just before it is due, then once it is.
    next_at = datetime.fromisoformat(first["verification"]["next_lookup_at"].replace("Z", "+00:00"))
    space.advance((next_at - space.clock.now()).total_seconds() - 1)
    await space.report()
    assert space.calls().get(LOOKUP) is None, "looked up before it was due"
    space.advance(2.5)
    due = engine.generation()
    space.emulator.reset_calls()
    verified = await space.report()
    # Only the lookup happened in this report (no other answer was read anew)...
    assert space.emulator.calls()["counts"] == {LOOKUP: 1}, space.emulator.calls()
    assert verified["verification"]["status"] == "verified", verified["verification"]
    # ...and it moved the token: a client holding `due` must fetch the verified report.
    assert engine.generation() != due

    # The configuration.
    settled = engine.generation()
    engine.config = replace(engine.config, expiry_warning=60)
    assert engine.generation() != settled


async def test_reports_are_kept_only_for_their_reuse(space: Space):
    """A report is reused by pollers within REPORT_REUSE and then dropped, even if nothing asks
    again (a steady kernel poll is answered by an ETag and builds none): 200 kernels' reports
    must not stay in memory."""
    engine = space.engine
    await space.report()  # gathers, and stores facts: the generation moves
    first = await space.report()  # gathered under a generation that holds
    assert await space.report() is first, "reused within its window"
    assert len(engine._reports) == 1
    space.advance(REPORT_REUSE + 0.01)  # the simulated clock passes the window...
    await asyncio.sleep(REPORT_REUSE + 0.2)  # ...and the engine's timer fires
    assert len(engine._reports) == 0, "kept past its reuse"
    assert await space.report() is not first

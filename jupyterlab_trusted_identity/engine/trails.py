"""The CloudTrail lookups of this app session: one Trail per carrier and region (delivery.py says
when each is asked), rate limited for the whole space, and shown as a Verification."""

from __future__ import annotations

import asyncio
import logging
from concurrent.futures import Executor
from dataclasses import replace
from datetime import timedelta

from . import cloudtrail as ct
from .aws import AwsAccess
from .budget import Budget
from .clock import Clock
from .cloudtrail import RateLimiter, Verification, interpret
from .credentials import ResolvedCredentials
from .delivery import DeliveryMemory, Trail
from .generation import Generation

# LookupEvents allows 2 requests per second per account and region.
LOOKUPS_PER_SECOND = 2.0


class CloudTrailLookups:
    def __init__(
        self,
        aws: AwsAccess,
        clock: Clock,
        budget: Budget,
        executor: Executor,
        generation: Generation,
        state_path: str | None,
        log: logging.Logger,
    ):
        self.aws = aws
        self._clock = clock
        self._budget = budget
        self._executor = executor
        self._generation = generation
        self._limiter = RateLimiter(LOOKUPS_PER_SECOND)
        # (carrier, region) -> its CloudTrail lookups in this app session.
        self._trails: dict[tuple[str, str], Trail] = {}
        self._delivery = DeliveryMemory(state_path, log)

    def of(self, carrier: str, region: str) -> Trail | None:
        return self._trails.get((carrier, region))

    def start(
        self, carrier: str, region: str, probe_key: str, default_delay: float, *, scheduled: bool
    ) -> Trail:
        """A carrier's first report in this app session: its lookups are scheduled from now, at
        the delivery delay learned in an earlier session (else `default_delay`)."""
        learned = self._delivery.get(region)
        trail = self._trails[(carrier, region)] = Trail.start(
            probe_key,
            self._clock.monotonic(),
            self._clock.now(),
            None if learned is None else self._budget.jittered(learned),
            default_delay,
            scheduled=scheduled,
        )
        self._changed(trail)
        return trail

    async def answer(
        self, trail: Trail, reader: ResolvedCredentials, region: str, force: bool, reverify: bool
    ) -> Verification:
        """What CloudTrail says of a carrier: asked when a lookup is due (see delivery.py), on an
        explicit check while nothing decisive is known, or when asked to verify again."""
        if trail.inflight is None:
            now = self._clock.monotonic()
            wanted = reverify or (not trail.decided and (force or trail.due(now)))
            if wanted:
                trail.inflight = asyncio.ensure_future(self._look_up(trail, reader, region))
        if trail.inflight is not None:
            # shield: the lookup goes on past this report's deadline and serves the next one.
            await asyncio.shield(trail.inflight)
        return self._shown(trail)

    def _shown(self, trail: Trail) -> Verification:
        if trail.last is None:
            return trail.waiting()
        next_at = None
        if not trail.decided and trail.scheduled:
            next_at = self._clock.now() + timedelta(
                seconds=max(0.0, trail.next_due - self._clock.monotonic())
            )
        return replace(trail.last, looked_up_at=trail.looked_up_at, next_lookup_at=next_at)

    async def _look_up(self, trail: Trail, reader: ResolvedCredentials, region: str) -> None:
        # Only the lookup that first decides measures delivery: a later one (asked again on
        # request) says nothing of how late events arrive.
        deciding = not trail.decided
        try:
            await self._limiter.wait()
            found = await self.aws.call(
                reader,
                region,
                "cloudtrail",
                "lookup_events",
                ct.ACTION,
                expect=("Events",),
                LookupAttributes=[
                    {"AttributeKey": "AccessKeyId", "AttributeValue": trail.probe_key}
                ],
                MaxResults=50,
            )
            now = self._clock.monotonic()
            trail.lookups += 1
            trail.looked_up_at = self._clock.now()
            if not found.ok:
                trail.last = Verification.unavailable(found.failure)
                trail.next_due = now + self._budget.lifetime(("cloudtrail", trail.probe_key), found)
                return
            trail.last = interpret((found.value or {}).get("Events") or [])
            learned = trail.learned_delay(now) if deciding else None
            if learned is not None:
                await asyncio.get_running_loop().run_in_executor(
                    self._executor, self._delivery.set, region, learned
                )
            elif not trail.decided:
                trail.next_due = now + self._budget.jittered(trail.interval())
        finally:
            trail.inflight = None
            self._changed(trail)

    def _changed(self, trail: Trail) -> None:
        """A trail started or looked up: reports show it, and a scheduled lookup falls due."""
        self._generation.changed()
        if trail.scheduled and not trail.decided:
            self._generation.changes_at(trail.next_due)

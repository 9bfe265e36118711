"""AuditForwarder: the audit trail to CloudWatch Logs (opt-in: TrustedIdentity.audit_log_group).

The audit store is the outbox (outbox.py). Every ``interval`` seconds (jittered, so a fleet of
spaces does not call at once, and never per record: issue 13's budget) one round reads the
pending records in pages, oldest first, sends them in PutLogEvents batches (cloudwatch.py) and
marks a record forwarded only once CloudWatch Logs accepted it. Whatever happens between a send
and its mark (a kill, a timeout whose answer never came) sends the record again: delivery is
at-least-once, each event carries its ``record_id`` to deduplicate on.

Failures: throttling, 5xx, timeouts and unreachable endpoints are retried with backoff within
the round, then at the next round. A missing stream is created. A denied call, a missing log
group or refused credentials make the state ``blocked`` with what to fix (the IAM action, the
log group to create): the status (``status()``, ``check()``) shows it, and the next round tries
again, so forwarding resumes by itself once it is fixed.

Memory: at most one page of rows and one batch (<= 1 MiB of events) at a time, however long
CloudWatch Logs stays away; the backlog stays on disk.

Every AWS call goes through the engine's AwsAccess (botocore, timeouts, typed failures), on
this forwarder's own worker thread, with the server's credentials as the engine resolves them.
"""

from __future__ import annotations

import asyncio
import logging
import random
import socket
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any, Final

from ..engine import outcome as kinds
from ..engine.aws import AwsAccess
from ..engine.checks import FAIL, PASS, SKIP, WARN, Check
from ..engine.credentials import ResolvedCredentials
from ..engine.engine import IdentityEngine
from ..engine.metadata import MetadataError, StudioMetadata
from ..engine.outcome import Failure
from . import cloudwatch as cw
from .outbox import EXPIRED, FORWARDED, START
from .records import format_time
from .store import AuditStore, DisabledAuditStore

CHECK_ID: Final = "audit.forwarding"
DOC_URL = (
    "https://docs.aws.amazon.com/AmazonCloudWatchLogs/latest/APIReference/API_PutLogEvents.html"
)
PUT = "logs:PutLogEvents"
CREATE_STREAM = "logs:CreateLogStream"

#: Rows read from SQLite at once.
PAGE_ROWS = 500
#: Tries of one batch within a round when CloudWatch Logs is throttling or failing.
ATTEMPTS = 3
# Backoff before the n-th retry: BACKOFF * 2**n seconds (at most the interval), full jitter.
BACKOFF = 1.0
# The spread of each interval, so spaces started together drift apart.
JITTER = 0.2

# Answers that say "try again later"; the rest of the failures need someone to act.
_TRANSIENT = {kinds.THROTTLED, kinds.UNAVAILABLE, kinds.TIMEOUT, kinds.UNREACHABLE}
_TRANSIENT_CODES = {
    "ServiceUnavailableException",
    "LimitExceededException",
    # botocore's client failed in a way it does not type (engine.aws.classify names it).
    "HTTPClientError",
}
_CREDENTIAL_KINDS = {kinds.EXPIRED, kinds.INVALID_CREDENTIALS, kinds.NO_CREDENTIALS}

# States of the forwarding.
OFF = "off"  # no log group configured, or auditing itself is off
WAITING = "waiting"  # on, no round finished yet
OK = "ok"  # the last round sent what it read
RETRYING = "retrying"  # CloudWatch Logs throttled or failed; the next round tries again
BLOCKED = "blocked"  # someone must act (IAM, the log group, the credentials, the region)


@dataclass(frozen=True)
class ForwardingSettings:
    log_group: str  # "" = off
    stream_pattern: str = "{domain_id}/{space_name}"
    interval: float = 60.0
    aws_timeout: float = 5.0


@dataclass
class _Problem:
    state: str
    code: str | None
    iam_action: str | None
    detail: str
    remediation: str


class _Stop(Exception):
    """Ends a round: `problem` says why."""

    def __init__(self, problem: _Problem):
        super().__init__(problem.detail)
        self.problem = problem


class AuditForwarder:
    def __init__(
        self,
        store: AuditStore | DisabledAuditStore,
        engine: IdentityEngine,
        settings: ForwardingSettings,
        log: logging.Logger,
        *,
        rng: random.Random | None = None,
        user_agent: str = "jupyterlab-trusted-identity",
        on_change: Callable[[], None] | None = None,
    ):
        self.store = store
        self.engine = engine
        self.settings = settings
        self.log = log
        self.enabled = bool(settings.log_group) and store.enabled
        self._rng = rng or random.Random()
        self._on_change = on_change
        # One worker: SQLite pages and AWS calls of a round run one after the other, and a hung
        # call never takes a worker the engine's reports need.
        self._executor = ThreadPoolExecutor(
            max_workers=1, thread_name_prefix="trusted-identity-forwarding"
        )
        self.aws = AwsAccess(
            timeout=settings.aws_timeout, executor=self._executor, log=log, user_agent=user_agent
        )
        self._round_lock = asyncio.Lock()
        self._task: asyncio.Task[None] | None = None
        self._refresh_credentials = False
        self._known_stream: tuple[str, str, str] | None = None  # (region, group, stream)
        # Figures of this server's run.
        self.forwarded = 0  # records accepted by CloudWatch Logs
        self.expired = 0  # records CloudWatch Logs would no longer take
        self.batches = 0  # PutLogEvents calls accepted
        self.rounds = 0
        self.pending: int | None = None
        self.state = WAITING if self.enabled else OFF
        self.problem: _Problem | None = None
        self.last_attempt_at: str | None = None
        self.last_forwarded_at: str | None = None
        self.log_stream: str | None = None
        self.region: str | None = None

    # ---- lifecycle ---------------------------------------------------------------------------

    def start(self) -> None:
        """Starts the rounds on the running loop (nothing when forwarding is off)."""
        if self.enabled and self._task is None:
            self._task = asyncio.ensure_future(self._run())

    async def stop(self, flush_within: float = 0.0) -> None:
        """Stops the rounds; with ``flush_within`` > 0, one last round bounded by it (what it
        does not send stays pending for the next start)."""
        if self._task is not None:
            self._task.cancel()
            try:
                await self._task
            except (asyncio.CancelledError, Exception):
                pass
            self._task = None
        if self.enabled and flush_within > 0:
            try:
                await asyncio.wait_for(self.forward_once(), flush_within)
            except (TimeoutError, Exception):
                self.log.debug("trusted-identity: last forwarding round cut short", exc_info=True)
        self._executor.shutdown(wait=False, cancel_futures=True)

    async def _run(self) -> None:
        # The first round waits a random part of an interval: a fleet started together spreads.
        await asyncio.sleep(self._rng.uniform(0, self.settings.interval))
        while True:
            try:
                await self.forward_once()
            except asyncio.CancelledError:
                raise
            except Exception:  # a bug must not end forwarding for the app's lifetime
                self.log.exception("trusted-identity: audit forwarding round failed")
            await asyncio.sleep(self._jittered(self.settings.interval))

    def _jittered(self, seconds: float) -> float:
        return seconds * self._rng.uniform(1 - JITTER, 1 + JITTER)

    async def _in_worker(self, fn: Callable[..., Any], *args: Any) -> Any:
        return await asyncio.get_running_loop().run_in_executor(self._executor, fn, *args)

    # ---- one round ---------------------------------------------------------------------------

    async def forward_once(self) -> None:
        """Sends every pending record it can now, batch after batch, oldest first."""
        if not self.enabled:
            return
        async with self._round_lock:
            self.rounds += 1
            self.last_attempt_at = format_time(datetime.now(UTC))
            try:
                await self._round()
            except _Stop as stop:
                self._set(stop.problem.state, stop.problem)
            else:
                self._set(OK, None)
            try:
                self.pending = await self._in_worker(self.store.outbox_pending)
            except Exception:  # the store closed under a last round at shutdown
                self.pending = None

    async def _round(self) -> None:
        metadata = self._metadata()
        region = self._region(metadata)
        if not region:
            raise _Stop(
                _Problem(
                    BLOCKED,
                    None,
                    None,
                    "No region is known for the log group: no Studio metadata, no AWS_REGION.",
                    "Set TrustedIdentity.region to the log group's region.",
                )
            )
        values = _stream_values(metadata)
        stream = cw.stream_name(self.settings.stream_pattern, values)
        self.region, self.log_stream = region, stream
        source = {"domain_id": values["domain_id"], "space_name": values["space_name"]}
        creds = await self._credentials()
        after = START
        while True:
            batch = await self._in_worker(self._next_batch, after, source)
            if batch is None:
                return
            after = batch.last_key
            await self._send(creds, region, stream, batch)

    async def _credentials(self) -> ResolvedCredentials:
        engine = self.engine
        force, self._refresh_credentials = self._refresh_credentials, False
        creds = await engine.resolve_credentials(
            engine.server_environ, force, engine.server_fingerprint
        )
        if not creds.usable:
            self._refresh_credentials = True
            raise _Stop(
                _Problem(
                    BLOCKED,
                    creds.problem,
                    None,
                    f"The server has no usable AWS credentials ({creds.detail or creds.problem}).",
                    "Forwarding resumes once the space's credentials resolve again.",
                )
            )
        return creds

    def _next_batch(self, after: tuple[str, int], source: dict[str, str | None]) -> cw.Batch | None:
        """(Worker thread.) The next batch after ``after``, or None when nothing is left to send
        now; records too old for CloudWatch Logs are marked expired on the way."""
        now = int(time.time() * 1000)
        batch = cw.Batch()
        while True:
            rows = self.store.outbox_page(after, PAGE_ROWS)
            expired: list[int] = []
            full = False
            for row in rows:
                timestamp = cw.timestamp_ms(row.record["at"])
                if timestamp < now - cw.MAX_AGE_MS:
                    expired.append(row.id)
                    after = row.key
                    continue
                if timestamp > now + cw.MAX_AHEAD_MS:
                    # Written with a clock far ahead: sent once CloudWatch Logs takes it. What
                    # follows is later still, so the round ends here.
                    full = True
                    break
                if not batch.add(row, timestamp, cw.event_message(row, source)):
                    full = True
                    break
                after = row.key
            if expired:
                self.expired += self.store.mark_outbox(expired, EXPIRED)
            if full or len(rows) < PAGE_ROWS:
                return batch if batch.events else None

    async def _send(
        self, creds: ResolvedCredentials, region: str, stream: str, batch: cw.Batch
    ) -> None:
        group = self.settings.log_group
        for attempt in range(ATTEMPTS):
            outcome = await self.aws.call(
                creds,
                region,
                "logs",
                "put_log_events",
                PUT,
                logGroupName=group,
                logStreamName=stream,
                logEvents=batch.events,
            )
            if outcome.ok:
                await self._accepted(batch, outcome.value or {})
                return
            failure = outcome.failure
            assert failure is not None
            if failure.kind == kinds.NOT_FOUND:
                await self._create_stream(creds, region, group, stream)
                continue  # the stream exists now: send again at once
            transient = failure.kind in _TRANSIENT or failure.code in _TRANSIENT_CODES
            if transient and attempt + 1 < ATTEMPTS:
                delay = min(self.settings.interval, BACKOFF * 2**attempt)
                await asyncio.sleep(self._rng.uniform(0, delay))
                continue
            raise _Stop(self._problem(failure, group, region))
        raise _Stop(
            _Problem(
                RETRYING,
                None,
                PUT,
                f"CloudWatch Logs did not take a batch after {ATTEMPTS} tries.",
                "Nothing to do: the next round sends it again.",
            )
        )

    async def _create_stream(
        self, creds: ResolvedCredentials, region: str, group: str, stream: str
    ) -> None:
        outcome = await self.aws.call(
            creds,
            region,
            "logs",
            "create_log_stream",
            CREATE_STREAM,
            logGroupName=group,
            logStreamName=stream,
        )
        failure = outcome.failure
        if failure is None or failure.code == "ResourceAlreadyExistsException":
            return
        raise _Stop(self._problem(failure, group, region))

    async def _accepted(self, batch: cw.Batch, answer: dict[str, Any]) -> None:
        """Marks what CloudWatch Logs took as forwarded, what it refused for its age as expired;
        events it refused as too new stay pending (the next rounds send them again)."""
        rejected = answer.get("rejectedLogEventsInfo") or {}
        n = len(batch.ids)
        # tooOld/expired EndIndex are exclusive, tooNew StartIndex inclusive (API reference).
        too_old = max(
            rejected.get("tooOldLogEventEndIndex", 0), rejected.get("expiredLogEventEndIndex", 0)
        )
        too_new = min(rejected.get("tooNewLogEventStartIndex", n), n)
        too_old = min(max(too_old, 0), too_new)
        taken = batch.ids[too_old:too_new]
        self.forwarded += await self._in_worker(self.store.mark_outbox, taken, FORWARDED)
        if too_old:
            self.expired += await self._in_worker(
                self.store.mark_outbox, batch.ids[:too_old], EXPIRED
            )
        self.batches += 1
        self.last_forwarded_at = format_time(datetime.now(UTC))

    # ---- what went wrong, in words -----------------------------------------------------------

    def _problem(self, failure: Failure, group: str, region: str) -> _Problem:
        action = failure.action
        if failure.kind == kinds.DENIED:
            return _Problem(
                BLOCKED,
                failure.code,
                action,
                f"{failure.describe().rstrip('.')}: the audit trail stays in the space.",
                f"Allow {action} on arn:aws:logs:{region}:<account>:log-group:{group}:* for the "
                "space's execution role.",
            )
        if failure.kind == kinds.NOT_FOUND:  # CreateLogStream: the group itself is missing
            return _Problem(
                BLOCKED,
                failure.code,
                action,
                f"The log group {group} does not exist in {region}.",
                f"Create it: aws logs create-log-group --log-group-name {group} --region {region}"
                " (or correct TrustedIdentity.audit_log_group).",
            )
        if failure.kind in _CREDENTIAL_KINDS:
            self._refresh_credentials = True
            return _Problem(
                BLOCKED,
                failure.code,
                action,
                failure.describe(),
                "Forwarding resumes once the space's credentials are accepted again.",
            )
        if failure.kind in _TRANSIENT or failure.code in _TRANSIENT_CODES:
            return _Problem(
                RETRYING,
                failure.code,
                action,
                f"{failure.describe().rstrip('.')}; the records wait in the space's audit store.",
                "Nothing to do: the next round sends them again.",
            )
        return _Problem(
            BLOCKED,
            failure.code,
            action,
            failure.describe(),
            "Check TrustedIdentity.audit_log_group and audit_log_stream; the next round tries "
            "again.",
        )

    def _set(self, state: str, problem: _Problem | None) -> None:
        before = (self.state, self.problem and (self.problem.code, self.problem.iam_action))
        self.state, self.problem = state, problem
        after = (state, problem and (problem.code, problem.iam_action))
        if before == after:
            return
        if problem is not None and state == BLOCKED:
            self.log.warning(
                "trusted-identity: audit forwarding to %s is blocked: %s %s",
                self.settings.log_group,
                problem.detail,
                problem.remediation,
            )
        elif state == OK and before[0] in (BLOCKED, RETRYING):
            self.log.info(
                "trusted-identity: audit forwarding to %s resumed", self.settings.log_group
            )
        if self._on_change is not None:
            self._on_change()

    # ---- where the records go ----------------------------------------------------------------

    def _metadata(self) -> StudioMetadata | None:
        try:
            return self.engine.metadata.read(self.engine.server_environ)
        except MetadataError:
            return None

    def _region(self, metadata: StudioMetadata | None) -> str | None:
        # The domain's region, read as the engine reads it (gathering.Gathering.region).
        if self.engine.config.region:
            return self.engine.config.region
        if metadata is not None and metadata.region:
            return metadata.region
        environ = self.engine.server_environ
        return environ.get("AWS_REGION") or environ.get("AWS_DEFAULT_REGION") or None

    # ---- what the report and the REST routes show --------------------------------------------

    def status(self) -> dict[str, Any]:
        """The forwarding state, for the REST routes (JSON, no secret: names and counts)."""
        problem = self.problem
        return {
            "enabled": self.enabled,
            "state": self.state,
            "log_group": self.settings.log_group or None,
            "log_stream": self.log_stream,
            "region": self.region,
            "interval_seconds": self.settings.interval,
            "pending": self.pending,
            "forwarded": self.forwarded,
            "expired": self.expired,
            "batches": self.batches,
            "last_attempt_at": self.last_attempt_at,
            "last_forwarded_at": self.last_forwarded_at,
            "error_code": problem.code if problem else None,
            "iam_action": problem.iam_action if problem else None,
            "detail": problem.detail if problem else None,
            "remediation": problem.remediation if problem else None,
        }

    def check(self) -> Check:
        """The report's check ``audit.forwarding`` (never required: it says nothing about the
        identity), for the engine to add to the server report."""
        title = "The audit trail reaches CloudWatch Logs"
        if not self.enabled:
            return _check(SKIP, title, "Forwarding is off (TrustedIdentity.audit_log_group).", "")
        problem = self.problem
        if problem is None:
            if self.state == WAITING:
                return _check(PASS, title, "The first forwarding round has not run yet.", "")
            detail = (
                f"Records go to {self.settings.log_group} ({self.log_stream}) every "
                f"{self.settings.interval:g} s; {self.pending or 0} pending."
            )
            return _check(PASS, title, detail, "")
        status = FAIL if problem.state == BLOCKED else WARN
        return _check(
            status, title, problem.detail, problem.remediation, problem.iam_action, problem.code
        )


def _check(
    status: str,
    title: str,
    detail: str,
    remediation: str,
    iam_action: str | None = None,
    error_code: str | None = None,
) -> Check:
    return Check(
        id=CHECK_ID,
        status=status,  # type: ignore[arg-type]
        required=False,
        title=title,
        detail=detail,
        remediation=remediation,
        doc_url=DOC_URL,
        iam_action=iam_action,
        error_code=error_code,
    )


def _stream_values(metadata: StudioMetadata | None) -> dict[str, str | None]:
    values: dict[str, str | None] = dict.fromkeys(cw.STREAM_FIELDS)
    if metadata is not None:
        values.update(
            domain_id=metadata.domain_id or None,
            space_name=metadata.space_name,
            user_profile_name=metadata.user_profile_name,
            app_type=metadata.app_type,
            app_name=metadata.resource_name,
        )
    values["host"] = socket.gethostname()
    return values

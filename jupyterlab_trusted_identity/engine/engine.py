"""IdentityEngine: the reports of a space, each gathered within the check deadline (see
gathering.py for the plan of lookups), from answers kept as long as they hold.

Independent AWS calls run concurrently; each is cached under what it depends on (access key id,
domain, space, profile, identity store) so a warm report makes no AWS call but what expired.
What outlives one report lives here: the cache, the call budget, the carriers STS named, the
CloudTrail lookups of this app session, the recent reports and the generation token.

Two things keep reports quick (bench/: warm_report_vs_status, cold_report_vs_slowest_call):

* warm: a report is reused for REPORT_REUSE seconds (facts that fresh change nothing), so many
  notebooks polling at once cost one gathering;
* cold: each call starts as soon as its inputs exist (gathering.py).
"""

from __future__ import annotations

import asyncio
import contextvars
import logging
import random
import time
from collections import OrderedDict
from collections.abc import Awaitable, Callable, Mapping
from concurrent.futures import ThreadPoolExecutor
from typing import Any

from . import access_test, grantee_proof, services
from . import outcome as kinds
from .access_test import AccessRequest
from .aws import AwsAccess
from .budget import Budget, ExplicitCheck
from .cache import TtlCache
from .carriers import Carriers
from .checks import Check, run_checks
from .clock import SYSTEM_CLOCK, Clock
from .config import EngineConfig
from .credentials import (
    ResolvedCredentials,
    fingerprint,
    resolution_timeout,
    resolve_in_child,
    resolve_in_process,
    resolve_off_loop,
)
from .evidence import cause_of, weigh
from .facts import Facts
from .gathering import Gathering
from .generation import Generation
from .grantee_proof import GranteeProofs
from .integrations import DescribedOnce
from .metadata import MetadataReader
from .outcome import Failure, Outcome
from .redaction import protect_loggers
from .report import build_report
from .report_types import AccessTestResult, Report
from .scope import Scope
from .sharing import SharedParts
from .trails import CloudTrailLookups
from .verdict import verdict_of

# Set while a report is gathered: the cache clock when it started (an explicit check reuses
# answers loaded since then, and nothing older).
_STARTED: contextvars.ContextVar[float | None] = contextvars.ContextVar("started", default=None)
# Reports younger than this are served again as they are.
REPORT_REUSE = 2.0
_MAX_REPORTS = 1024


class IdentityEngine:
    def __init__(
        self,
        config: EngineConfig,
        server_environ: Mapping[str, str],
        log: logging.Logger | None = None,
        *,
        clock: Clock = SYSTEM_CLOCK,
        rng: random.Random | None = None,
        user_agent: str = "jupyterlab-trusted-identity",
    ):
        self.clock = clock
        # Moves whenever a report could differ if built again now (see generation()).
        self._generation = Generation(clock.monotonic)
        self.config = config
        self.log = log or logging.getLogger("jupyterlab_trusted_identity")
        self._server_environ = dict(server_environ)
        self._server_fingerprint = fingerprint(self._server_environ)
        self.metadata = MetadataReader(config.metadata_path)
        self._executor = ThreadPoolExecutor(max_workers=8, thread_name_prefix="trusted-identity")
        self.aws = AwsAccess(
            timeout=config.aws_timeout, executor=self._executor, log=self.log, user_agent=user_agent
        )
        self.cache = TtlCache(clock.monotonic, generation=self._generation)
        self.budget = Budget(config, clock, rng)
        protect_loggers()
        self.carriers = Carriers()
        # What Test access proved of each session (grantee_proof.py).
        self.grantee_proofs = GranteeProofs()
        # EMR security configurations described (integrations.py): they never change.
        self.security_configurations = DescribedOnce()
        self.trails = CloudTrailLookups(
            self.aws,
            clock,
            self.budget,
            self._executor,
            self._generation,
            config.state_path,
            self.log,
        )
        # Recent reports by _reuse_key: (reusable until, generation when its gathering started,
        # report). Reports are never mutated.
        self._reports: OrderedDict[tuple[Any, ...], tuple[float, int, Report]] = OrderedDict()
        self._prune: asyncio.TimerHandle | None = None
        # Parts equal between reports (most of a kernel report's) are one object (sharing.py).
        self._shared = SharedParts()
        # Checks computed outside the engine (the audit forwarding's, app.py): each is called
        # with the scope of every report built and returns its check for that scope, or None.
        # They are listed after the engine's own, never required, and neither the verdict nor
        # its cause (the banner's words) rests on them; their owner calls changed() when what
        # they say changes, so no reused report shows an older one.
        self.extra_checks: list[Callable[[Scope], Check | None]] = []

    # ---- public --------------------------------------------------------------------------------

    @property
    def config(self) -> EngineConfig:
        return self._config

    @config.setter
    def config(self, config: EngineConfig) -> None:
        self._config = config
        self._generation.changed()

    def generation(self) -> tuple[int, tuple[int, int] | str | None]:
        """A token that changes whenever the report of any scope could differ if it were built
        now: a fact stored, evicted or past its lifetime, a CloudTrail lookup made or due, a
        countdown the report shows (credentials expiry) crossing a minute, the configuration or
        the Studio metadata file changed. Cheap (no report is built): a client may answer "not
        modified" while it stays the same. Read it before building the reports it stands for.
        What a scope itself is (a kernel's launch, its environment) is the caller's to add."""
        return (self._generation.token(), self.metadata.stamp())

    def changed(self) -> None:
        """Something outside the engine that a report shows changed now (what an extra check
        reads): the reports kept are stale and generation() moves."""
        self._generation.changed()

    def server_scope(self) -> Scope:
        return Scope(kind="server", environ=self._server_environ, environment_source="server")

    @property
    def server_environ(self) -> Mapping[str, str]:
        return self._server_environ

    @property
    def server_fingerprint(self) -> str:
        """The digest of what the server's credential chain reads (see credentials.fingerprint)."""
        return self._server_fingerprint

    async def report(
        self,
        scope: Scope,
        *,
        refresh: bool | str = False,
        reverify: bool = False,
        explicit: ExplicitCheck | None = None,
    ) -> Report:
        """The report of `scope`, within `check_deadline`.

        refresh: False uses the caches; "credentials" re-reads the credentials (a kernel start);
        True bypasses every cache (an explicit check, rate limited: see budget.py).
        reverify: with refresh, CloudTrail is asked again even for a carrier it already proved.
        explicit: the rate limiter's answer when one explicit check covers several reports.
        """
        started = time.monotonic()
        now = self.clock.monotonic()
        generation = self._generation.token()
        environ_fingerprint = self._fingerprint(scope.environ)
        reuse_key = self._reuse_key(scope, environ_fingerprint)
        # A scope that resolves its own credentials (the notebook magic's: boto3's default
        # session) can change them while its environment stays the same: never reused.
        reusable = scope.resolve_credentials is None
        if refresh is False and reusable:
            kept = self._reports.get(reuse_key)
            # A report is reused only while nothing it rests on changed: a token handed out
            # with it (generation()) must never stand for an older report.
            if kept is not None and kept[0] > now and kept[1] == generation:
                return kept[2]
        if refresh is True:
            explicit = explicit or self.budget.take_explicit_check()
            if not explicit.performed:
                refresh, reverify = "credentials", False
        else:
            explicit = None
        facts = Facts(scope=scope, now=self.clock.now(), explicit_check=explicit)
        plan = Gathering(
            self, facts, refresh=refresh, scope_fingerprint=environ_fingerprint, reverify=reverify
        )
        token = _STARTED.set(self.cache.now())
        try:
            gathering = asyncio.ensure_future(plan.run())
        finally:
            _STARTED.reset(token)
        done, _ = await asyncio.wait({gathering}, timeout=self.config.check_deadline)
        complete = bool(done)
        if not complete:
            gathering.cancel()  # the cached loads it started are shielded and go on
        elif gathering.exception() is not None:
            # A bug must not cost the user the report: what was established is still shown.
            complete = False
            self.log.error(
                "trusted-identity: gathering facts failed", exc_info=gathering.exception()
            )
        report = self._build(facts, complete=complete, started=started, gathered_at=now)
        if complete and reusable:
            self._reports[reuse_key] = (self.clock.monotonic() + REPORT_REUSE, generation, report)
            self._reports.move_to_end(reuse_key)
            self._drop_stale_reports()
        return report

    async def test_access(
        self, request: AccessRequest, expected_user_id: str | None
    ) -> AccessTestResult:
        """Test access (access_test.py): s3control:GetDataAccess for `request`, in the domain's
        account and region with the space's session, within `check_deadline`. Only on the user's
        explicit request, never in a report: the caller takes the explicit check's token.
        expected_user_id: the space owner's Identity Center user (the server report's)."""
        facts = Facts(scope=self.server_scope(), now=self.clock.now())
        plan = Gathering(
            self, facts, refresh=False, scope_fingerprint=self._server_fingerprint, reverify=False
        )
        plan.read_local_facts()
        located = plan.domain_location()
        if located is None:
            why = "Not in a SageMaker Studio space whose account and Region are known."
            return access_test.not_asked(request, why, self.clock.now())
        account, region = located

        asked_with: list[str | None] = []

        async def ask() -> Outcome[dict[str, Any]]:
            creds = await self.resolve_credentials(
                self._server_environ, False, self._server_fingerprint
            )
            asked_with.append(creds.access_key_id)
            return await access_test.get_data_access(self.aws, creds, region, account, request)

        try:
            answer = await asyncio.wait_for(ask(), self.config.check_deadline)
        except TimeoutError:
            answer = Outcome.failed(Failure(kinds.DEADLINE, access_test.GET_DATA_ACCESS))
        now = self.clock.now()
        fallback = services.plugin_loaded(services.s3_access_grants(self._server_environ))
        result = access_test.access_result(
            request, answer, expected_user_id, now, fallback=fallback
        )
        # A grantee that is a directory user names whom this session acts for: first-hand proof
        # the reports of the session weigh (evidence.py) from now on.
        proof = grantee_proof.from_result(result, now)
        carrier = self.carriers.of(asked_with[0]) if asked_with else None
        if proof is not None and carrier is not None:
            self.grantee_proofs.remember(carrier, proof)
            self._generation.changed()
        return result

    def _drop_stale_reports(self) -> None:
        """Drops the reports past their reuse (and the oldest beyond _MAX_REPORTS): kept, 200
        kernels' last reports would hold ~20 KB of memory each for nothing, since a steady poll
        is answered by the kernel list's ETag without asking for them. The dict is in order of
        storing, so of expiry; while reports remain, this runs again when the first expires."""
        now = self.clock.monotonic()
        while self._reports and (
            len(self._reports) > _MAX_REPORTS or next(iter(self._reports.values()))[0] <= now
        ):
            self._reports.popitem(last=False)
        if self._reports and self._prune is None:
            delay = max(next(iter(self._reports.values()))[0] - now, 0.0) + 0.05
            self._prune = asyncio.get_running_loop().call_later(delay, self._pruned)

    def _pruned(self) -> None:
        self._prune = None
        self._drop_stale_reports()

    @staticmethod
    def _reuse_key(scope: Scope, environ_fingerprint: str) -> tuple[Any, ...]:
        """What a report depends on besides the cached facts: its scope, and the environment
        (a restarted kernel may have another)."""
        if not scope.is_kernel:
            return ("server",)
        return (
            scope.kernel_id,
            scope.launch,
            scope.session_path,
            scope.launched_at,
            environ_fingerprint,
        )

    def _build(self, facts: Facts, *, complete: bool, started: float, gathered_at: float) -> Report:
        facts.settle()
        facts.throttled = self.budget.throttled_actions()
        for until in self.budget.throttled_until():
            self._generation.changes_at(until)
        countdown = _countdown_changes(facts, self.config.expiry_warning)
        if countdown is not None:
            self._generation.changes_at(gathered_at + countdown)
        facts.grantee_proof = self.grantee_proofs.of(
            self.carriers.of(facts.credentials.access_key_id)
        )
        checks = weigh(facts, run_checks(facts, self.config))
        verdict = verdict_of(facts, checks)
        cause = cause_of(checks, verdict, facts)
        # After the verdict and its cause: neither may rest on an extra check.
        checks += self._extra_checks(facts.scope)
        return build_report(
            facts,
            checks,
            verdict,
            cause,
            self.config,
            complete=complete,
            duration=time.monotonic() - started,
            shared=self._shared,
        )

    def _extra_checks(self, scope: Scope) -> list[Check]:
        """The extra checks' results for `scope`. One that raises or claims to be required is
        left out (a bug in one must not cost the user the report, nor sway its verdict)."""
        found: list[Check] = []
        for extra in self.extra_checks:
            try:
                check = extra(scope)
                if check is not None and check.required:
                    raise ValueError(f"{check.id}: an extra check is never required")
            except Exception:
                self.log.exception("trusted-identity: an extra check failed")
                continue
            if check is not None:
                found.append(check)
        return found

    def close(self) -> None:
        if self._prune is not None:
            self._prune.cancel()
        self._executor.shutdown(wait=False, cancel_futures=True)

    # ---- what a gathering reads through (gathering.py) -----------------------------------------

    async def cached(
        self,
        key: tuple[Any, ...],
        load: Callable[[], Awaitable[Any]],
        *,
        force: bool,
        ttl: Callable[[Any], float] | None = None,
    ) -> Any:
        """The cached answer under `key`, loaded when missing, expired or `force`d; kept for
        `ttl(answer)` seconds (default: the budget's lifetime of an Outcome)."""

        def outcome_ttl(value: Any) -> float:
            return self.budget.lifetime(key, value)

        return await self._from_cache(key, load, ttl or outcome_ttl, force)

    async def _from_cache(
        self,
        key: tuple[Any, ...],
        load: Callable[[], Awaitable[Any]],
        ttl: Callable[[Any], float],
        force: bool,
    ) -> Any:
        return await self.cache.get(key, load, ttl, force=force, since=_STARTED.get())

    def _fingerprint(self, environ: Mapping[str, str]) -> str:
        # The server scope's environment is the server's own (same object): its digest is known.
        if environ is self._server_environ:
            return self._server_fingerprint
        return fingerprint(environ)

    async def resolve_credentials(
        self, environ: Mapping[str, str], force: bool, environ_fingerprint: str
    ) -> ResolvedCredentials:
        """What botocore's credential chain yields in `environ`, kept until it may have
        rotated (the server's) or until near expiry (another environment's)."""
        key = ("credentials", environ_fingerprint)
        timeout = resolution_timeout(self.config.aws_timeout)

        async def load() -> ResolvedCredentials:
            if key[1] != self._server_fingerprint:
                return await resolve_in_child(environ, self._server_environ, timeout)
            return await resolve_off_loop(resolve_in_process, timeout, environ, self._executor)

        def ttl(creds: ResolvedCredentials) -> float:
            if creds.problem:
                return min(self.config.failure_ttl, self.config.credentials_recheck)
            if key[1] == self._server_fingerprint:
                # A local read (no AWS call): the key, its expiry and rotation are seen this
                # often.
                lifetime = self.budget.jittered(self.config.credentials_recheck)
            else:
                # Another environment (a kernel's) is resolved in a child process, and resolving
                # a profile's role is an sts:AssumeRole: kept until near expiry, re-read at the
                # kernel's (re)start and on explicit checks.
                lifetime = self.budget.fact_lifetime()
            left = creds.seconds_left(self.clock.now())
            if left is not None:
                # Re-read before botocore's own refresh window so rotated keys are seen.
                lifetime = min(lifetime, max(0.0, left - 300))
            return lifetime

        return await self._from_cache(key, load, ttl, force)


def _countdown_changes(facts: Facts, warning: float) -> float | None:
    """Seconds after `facts.now` when the credentials expiry the report counts down to (whole
    minutes, the warning window, the expiry) next reads differently; None: it does not."""
    creds = facts.credentials
    left = creds.seconds_left(facts.now) if creds.resolved else None
    if left is None or left <= 0:
        return None
    # "expires in N min" is N = left // 60: it changes just after left crosses N minutes.
    crossings = [left - (left // 60) * 60]
    if left >= warning:
        crossings.append(left - warning)
    return min(crossings) + 1e-3

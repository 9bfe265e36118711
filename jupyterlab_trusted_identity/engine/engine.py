"""IdentityEngine: gathers the facts of one scope within the check deadline and reports on them.

Independent AWS calls run concurrently; each is cached under what it depends on (access key id,
domain, space, profile, identity store) so a warm report makes no AWS call but what expired.

Two things keep reports quick (bench/: warm_report_vs_status, cold_report_vs_slowest_call):

* warm: a report is reused for REPORT_REUSE seconds (facts that fresh change nothing), so many
  notebooks polling at once cost one gathering;
* cold: each call starts as soon as its inputs exist, and the space owner's user is looked up
  speculatively in the identity store CloudTrail names, with the user CloudTrail names as a
  hint; the speculation is used only when the domain's own identity store and user agree.
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
from dataclasses import replace
from datetime import timedelta
from typing import Any

from . import cloudtrail as ct
from . import studio
from .arns import account_of, last_segment
from .aws import AwsAccess
from .budget import Budget, ExplicitCheck
from .cache import TtlCache
from .checks import run_checks
from .clock import SYSTEM_CLOCK, Clock
from .cloudtrail import RateLimiter, Verification, interpret
from .config import EngineConfig
from .credentials import (
    CONTAINER_ROLE,
    ResolvedCredentials,
    compare_with_space,
    container_uri,
    fingerprint,
    resolve_in_child,
    resolve_in_process,
)
from .credentials import ERROR as CREDENTIALS_ERROR
from .delivery import DeliveryMemory, Trail
from .evidence import cause_of, weigh
from .facts import HINT_VARIABLES, Facts
from .generation import Generation
from .metadata import MetadataError, MetadataReader, StudioMetadata
from .outcome import Outcome
from .redaction import protect_loggers
from .report import build_report
from .report_types import Report
from .scope import Scope
from .services import s3_access_grants
from .verdict import verdict_of

# STS answers GetCallerIdentity in any region; this one is used when no region is known.
_FALLBACK_STS_REGION = "us-east-1"
# Access key ids remembered with the carrier STS named for them (see _verify).
_MAX_KEYS_SEEN = 256
# A kernel whose credentials are not the space's carrier: CloudTrail is asked for it only on an
# explicit check (at a kernel start such credentials cost at most a GetCallerIdentity).
OTHER_CARRIER = (
    "CloudTrail is looked up for these credentials only on an explicit check: they are not the "
    "space's own session, so their events cannot carry the user's identity."
)

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
        self._metadata = MetadataReader(config.metadata_path)
        self._executor = ThreadPoolExecutor(max_workers=8, thread_name_prefix="trusted-identity")
        self.aws = AwsAccess(
            timeout=config.aws_timeout, executor=self._executor, log=self.log, user_agent=user_agent
        )
        self.cache = TtlCache(clock.monotonic, generation=self._generation)
        self.budget = Budget(config, clock, rng)
        protect_loggers()
        self._lookup_limiter = RateLimiter(2.0)
        # Access key id -> the carrier STS named for it (see _remember_carrier).
        self._carriers: OrderedDict[str, str] = OrderedDict()
        # (container credentials URI, region) -> STS's answer for a key it handed out, and that
        # key: a rotated key of the same endpoint is the same session (see _caller_step).
        self._container_callers: dict[
            tuple[str, str], tuple[Outcome[dict[str, Any]], str | None]
        ] = {}
        # (carrier, region) -> its CloudTrail lookups in this app session.
        self._trails: dict[tuple[str, str], Trail] = {}
        self._delivery = DeliveryMemory(config.state_path, self.log)
        # Recent reports by _reuse_key: (reusable until, generation when its gathering started,
        # report). Reports are never mutated.
        self._reports: OrderedDict[tuple[Any, ...], tuple[float, int, Report]] = OrderedDict()

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
        return (self._generation.token(), self._metadata.stamp())

    def server_scope(self) -> Scope:
        return Scope(kind="server", environ=self._server_environ, environment_source="server")

    @property
    def server_environ(self) -> Mapping[str, str]:
        return self._server_environ

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
        if refresh is False:
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
        token = _STARTED.set(self.cache.now())
        try:
            gathering = asyncio.ensure_future(
                self._gather(facts, refresh, environ_fingerprint, reverify)
            )
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
        if complete:
            self._reports[reuse_key] = (self.clock.monotonic() + REPORT_REUSE, generation, report)
            self._reports.move_to_end(reuse_key)
            while len(self._reports) > _MAX_REPORTS:
                self._reports.popitem(last=False)
        return report

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
        checks = weigh(facts, run_checks(facts, self.config))
        verdict = verdict_of(facts, checks)
        return build_report(
            facts,
            checks,
            verdict,
            cause_of(checks, verdict, facts),
            self.config,
            complete=complete,
            duration=time.monotonic() - started,
        )

    def close(self) -> None:
        self._executor.shutdown(wait=False, cancel_futures=True)

    # ---- gathering -----------------------------------------------------------------------------

    async def _gather(
        self, f: Facts, refresh: bool | str, scope_fingerprint: str, reverify: bool = False
    ) -> None:
        force_all = refresh is True
        force_creds = refresh is True or refresh == "credentials"
        try:
            f.metadata = self._metadata.read(self._server_environ)
        except MetadataError as error:
            f.metadata_error = str(error)
        f.region, f.region_source, f.region_conflict = self._region(f.metadata)
        f.hints = {k: v for k in HINT_VARIABLES if (v := self._server_environ.get(k))}
        f.model_knows = self.aws.model_knows
        f.s3_access_grants = s3_access_grants(f.scope.environ)

        server_creds = asyncio.ensure_future(
            self._credentials(self._server_environ, force_creds, self._server_fingerprint)
        )
        if scope_fingerprint == self._server_fingerprint:
            scope_creds = server_creds
        else:
            scope_creds = asyncio.ensure_future(
                self._credentials(f.scope.environ, force_creds, scope_fingerprint)
            )
        loop = asyncio.get_running_loop()
        user_known: asyncio.Future[dict[str, Any] | None] = loop.create_future()
        # What CloudTrail says of the scope's key, as soon as it is known: the user lookup
        # takes its user and identity store as a hint (None: CloudTrail named no user).
        trail_seen: asyncio.Future[Verification | None] = loop.create_future()
        # The session's own calls whose events CloudTrail is then asked for: STS, and SageMaker's
        # reads (sources that record onBehalfOf; STS does not).
        caller_done, reads_done = asyncio.Event(), asyncio.Event()

        async def caller() -> None:
            try:
                # A kernel start re-reads the credentials; STS is asked again only for a key it
                # has not answered for this cache period (one GetCallerIdentity per key and
                # period, however many kernels start). Explicit checks ask it again.
                await self._caller_step(f, scope_creds, server_creds, force_all)
            finally:
                caller_done.set()

        try:
            await asyncio.gather(
                caller(),
                self._studio_step(f, server_creds, user_known, trail_seen, reads_done, force_all),
                self._verification_step(
                    f,
                    scope_creds,
                    server_creds,
                    user_known,
                    trail_seen,
                    (caller_done, reads_done),
                    force_all,
                    reverify,
                ),
            )
        finally:
            for future in (user_known, trail_seen):
                if not future.done():
                    future.cancel()

    def _region(self, metadata: StudioMetadata | None) -> tuple[str | None, str | None, str | None]:
        """(region, where it was read, a note when the region variables say otherwise).

        The domain's region is the one in the app's ARN: a kernel or a user may set AWS_REGION
        to another region for their own work, which says nothing about the domain."""
        if self.config.region:
            return self.config.region, "TrustedIdentity.region", None
        variables = [
            (name, value)
            for name in ("AWS_REGION", "AWS_DEFAULT_REGION")
            if (value := self._server_environ.get(name))
        ]
        if metadata is not None and metadata.region:
            other = [f"{name}={value}" for name, value in variables if value != metadata.region]
            note = (
                f"The environment says {', '.join(other)}, but the app's ARN is in "
                f"{metadata.region}: the domain's region wins."
                if other
                else None
            )
            return metadata.region, "metadata", note
        if variables:
            return variables[0][1], variables[0][0], None
        return None, None, None

    async def _cached(
        self,
        key: tuple[Any, ...],
        load: Callable[[], Awaitable[Any]],
        *,
        force: bool,
        ttl: Callable[[Any], float] | None = None,
    ) -> Any:
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

    async def _credentials(
        self, environ: Mapping[str, str], force: bool, environ_fingerprint: str
    ) -> ResolvedCredentials:
        key = ("credentials", environ_fingerprint)
        loop = asyncio.get_running_loop()
        timeout = max(2.0, self.config.aws_timeout * 2)

        async def load() -> ResolvedCredentials:
            if key[1] != self._server_fingerprint:
                return await resolve_in_child(environ, self._server_environ, timeout)
            try:
                return await asyncio.wait_for(
                    loop.run_in_executor(self._executor, resolve_in_process), timeout
                )
            except TimeoutError:
                return ResolvedCredentials(
                    source=None,
                    problem=CREDENTIALS_ERROR,
                    detail=f"the credential provider did not answer within {timeout:g} s",
                    container_uri=container_uri(environ),
                )

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

    async def _caller_step(
        self,
        f: Facts,
        scope_creds: asyncio.Future[ResolvedCredentials],
        server_creds: asyncio.Future[ResolvedCredentials],
        force: bool,
    ) -> None:
        creds = f.credentials = await asyncio.shield(scope_creds)
        space = f.server_credentials = await asyncio.shield(server_creds)
        # botocore's resolution decides whether the scope keeps the space's credentials.
        f.comparison = compare_with_space(
            creds,
            space if f.scope.is_kernel else None,
            f.scope.environ,
            self._server_environ,
        )
        if not creds.usable:
            f.caller = None
            return
        region = f.region or _FALLBACK_STS_REGION
        key = ("caller", creds.access_key_id, region)
        rotated = self._rotated(creds, region)
        if rotated is not None and not force and self.cache.peek(key) is None:
            # The container endpoint rotated the key of a session STS already identified: the
            # same role and session name, so no new GetCallerIdentity (one per rotation would
            # be one per space-hour on its own). An explicit check asks STS for the new key.
            f.caller, f.caller_answered_for = rotated
            self._remember_carrier(creds.access_key_id, f.caller)
            return

        def ttl(value: Any) -> float:
            # Who a key is does not change: STS is asked again when the key changes (rotation),
            # or when `cache_ttl` asks for it.
            lifetime = self.budget.fact_lifetime()
            left = creds.seconds_left(self.clock.now())
            if left is not None:
                lifetime = min(lifetime, max(60.0, left))
            return self.budget.lifetime(key, value, lifetime)

        f.caller = await self._cached(
            key,
            lambda: self.aws.call(
                creds,
                region,
                "sts",
                "get_caller_identity",
                "sts:GetCallerIdentity",
                expect=("Arn",),
            ),
            force=force,
            ttl=ttl,
        )
        self._remember_carrier(creds.access_key_id, f.caller)
        if f.caller.ok and creds.source == CONTAINER_ROLE and creds.container_uri:
            self._container_callers[(creds.container_uri, region)] = (
                f.caller,
                creds.access_key_id,
            )

    def _rotated(
        self, creds: ResolvedCredentials, region: str
    ) -> tuple[Outcome[dict[str, Any]], str | None] | None:
        """STS's answer for an earlier key of the same container credentials endpoint."""
        if creds.source != CONTAINER_ROLE or not creds.container_uri:
            return None
        known = self._container_callers.get((creds.container_uri, region))
        if known is None or known[1] == creds.access_key_id:
            return None
        return known

    def _remember_carrier(self, key_id: str | None, caller: Outcome[dict[str, Any]]) -> None:
        """The carrier of a key: the session's ARN (role and session name) and STS's UserId
        (the role's unique id and the session name), so a role deleted and created again under
        the same name is another carrier."""
        answer = (caller.value or {}) if caller.ok else {}
        arn = answer.get("Arn")
        if arn and key_id:
            self._carriers[key_id] = f"{arn} ({answer.get('UserId') or '?'})"
            self._carriers.move_to_end(key_id)
            while len(self._carriers) > _MAX_KEYS_SEEN:
                self._carriers.popitem(last=False)

    async def _studio_step(
        self,
        f: Facts,
        server_creds: asyncio.Future[ResolvedCredentials],
        user_known: asyncio.Future[dict[str, Any] | None],
        trail_seen: asyncio.Future[Verification | None],
        reads_done: asyncio.Event,
        force: bool,
    ) -> None:
        m = f.metadata
        if m is None:
            f.domain = f.space = f.profile = f.app = f.identity_store = f.user = None
            f.user_absent_reason = "Not running in SageMaker Studio."
            user_known.set_result(None)
            reads_done.set()
            return
        creds = await asyncio.shield(server_creds)
        region = f.region or ""
        aws = self.aws

        async def domain() -> None:
            f.domain = await self._cached(
                ("domain", m.domain_id),
                lambda: studio.describe_domain(aws, creds, region, m.domain_id),
                force=force,
            )

        async def space() -> None:
            if not m.space_name:
                f.space = None
                return
            f.space = await self._cached(
                ("space", m.domain_id, m.space_name),
                lambda: studio.describe_space(aws, creds, region, m.domain_id, m.space_name or ""),
                force=force,
            )

        async def app() -> None:
            if not (m.resource_name and m.app_type and (m.space_name or m.user_profile_name)):
                f.app = None
                return
            f.app = await self._cached(
                (
                    "app",
                    m.domain_id,
                    m.space_name,
                    m.user_profile_name,
                    m.app_type,
                    m.resource_name,
                ),
                lambda: studio.describe_app(
                    aws,
                    creds,
                    region,
                    m.domain_id,
                    space=m.space_name,
                    profile=m.user_profile_name,
                    app_type=m.app_type or "",
                    app_name=m.resource_name or "",
                ),
                force=force,
            )

        async def profile() -> Outcome[dict[str, Any]] | None:
            name, source = m.user_profile_name, "metadata"
            if not name:
                await space_done
                if f.space is not None and f.space.ok:
                    owner = (f.space.value or {}).get("OwnershipSettings") or {}
                    name, source = owner.get("OwnerUserProfileName"), studio.DESCRIBE_SPACE
            f.profile_name, f.profile_name_source = name, (source if name else None)
            if not name:
                # The owner is unknown because DescribeSpace did not answer: its failure is the
                # reason (an unknown, naming the action), not "the space has no owner".
                failed = f.space is not None and not f.space.ok
                f.profile = f.space if failed else None
                return f.profile
            f.profile = await self._cached(
                ("profile", m.domain_id, name),
                lambda: studio.describe_user_profile(aws, creds, region, m.domain_id, name),
                force=force,
            )
            return f.profile

        async def with_instance(
            app_arn: str, application: Outcome[dict[str, Any]], instance_arn: str
        ) -> None:
            instance = await self._cached(
                ("instance", instance_arn),
                lambda: studio.describe_instance(aws, creds, region, instance_arn),
                force=force,
            )
            f.identity_store = studio.store_of_application(app_arn, application, instance)

        async def identity_store() -> Outcome[dict[str, Any]] | None:
            if self.config.identity_store_id:
                trait = "TrustedIdentity.identity_store_id"
                f.identity_store = Outcome.of(
                    studio.store_view(
                        self.config.identity_store_id,
                        None,
                        trait,
                        [trait],
                        account=account_of(m.execution_role_arn) or m.account,
                    )
                )
                return f.identity_store
            await domain_done
            if f.domain is None or not f.domain.ok:
                f.identity_store = f.domain  # its failure is the reason
                return f.identity_store
            described = f.domain.value or {}
            if described.get("AuthMode") != "SSO":
                f.identity_store = None
                return None
            app_arn = described.get("SingleSignOnApplicationArn")
            if app_arn:
                application = await self._cached(
                    ("application", app_arn),
                    lambda: studio.describe_application(aws, creds, region, app_arn),
                    force=force,
                )
                value = (application.value or {}) if application.ok else {}
                instance_arn = value.get("InstanceArn")
                if instance_arn and not value.get("IdentityStoreArn"):
                    # The instance names the store: the user's lookup waits for it.
                    await with_instance(app_arn, application, instance_arn)
                    return f.identity_store
                # The user's lookup needs only the store: it does not wait for the instance,
                # whose Regions join the view when it answers.
                f.identity_store = studio.store_of_application(app_arn, application, None)
                if instance_arn:
                    regions.append(
                        asyncio.ensure_future(with_instance(app_arn, application, instance_arn))
                    )
                return f.identity_store
            # A domain created before October 2023 names no application: the account's
            # instance, or the store this session's CloudTrail events name.
            trail = await asyncio.shield(trail_seen)
            hint = trail.identity_store_arn if trail is not None else None
            account = m.account or account_of(m.execution_role_arn)
            f.identity_store = await self._cached(
                ("identity_store", "account", account, hint),
                lambda: studio.identity_store_of_account(aws, creds, region, account, hint),
                force=force,
            )
            return f.identity_store

        async def user() -> None:
            profile_done = asyncio.ensure_future(profile())
            # Cold path: do not wait for domain → sso:DescribeApplication to learn the identity
            # store; look the owner up in the store CloudTrail names (see _speculate_user).
            speculation = asyncio.ensure_future(
                self._speculate_user(profile_done, trail_seen, creds, region, force)
            )
            try:
                profile_outcome, store = await asyncio.gather(profile_done, identity_store())
                f.user = await self._expected_user(
                    f, profile_outcome, store, creds, region, force, trail_seen
                )
            finally:
                speculation.cancel()  # its cached loads are shielded and go on
            user_known.set_result(f.user.value if f.user is not None and f.user.ok else None)

        # DescribeInstance, when the store is known without it (see identity_store).
        regions: list[asyncio.Future[None]] = []
        domain_done = asyncio.ensure_future(domain())
        space_done = asyncio.ensure_future(space())
        app_done = asyncio.ensure_future(app())
        reads = asyncio.gather(domain_done, space_done, app_done, return_exceptions=True)
        reads.add_done_callback(lambda _: reads_done.set())
        try:
            await asyncio.gather(domain_done, space_done, app_done, user())
            await asyncio.gather(*regions)
        finally:
            reads_done.set()
            for task in (domain_done, space_done, app_done, *regions):
                task.cancel()

    @staticmethod
    def _user_key(profile: Outcome[dict[str, Any]] | None) -> tuple[str, str] | None:
        """(identifier attribute, value) of the profile's Identity Center user, if it names one."""
        if profile is None or not profile.ok:
            return None
        value = (profile.value or {}).get("SingleSignOnUserValue")
        attribute = (profile.value or {}).get("SingleSignOnUserIdentifier") or "UserName"
        return (attribute, value) if value else None

    async def _load_user(
        self,
        creds: ResolvedCredentials,
        region: str,
        store_id: str,
        store_arn: str | None,
        attribute: str,
        value: str,
        hint_user_id: str | None,
        force: bool,
    ) -> Outcome[dict[str, Any]]:
        """identitystore:GetUserId, then DescribeUser of the id found.

        With a hint (the user CloudTrail names in this store), DescribeUser of the hint runs
        alongside GetUserId and is used when GetUserId finds that very user: one round trip
        instead of two. When it finds another user, its DescribeUser follows as usual (the
        hint's answer is cached for naming CloudTrail's user, see _actual_user).
        """
        hinted = None
        if hint_user_id:
            hinted = asyncio.ensure_future(
                self._describe_user_id(creds, region, store_id, store_arn, hint_user_id, force)
            )
        found = await studio.get_user_id(self.aws, creds, region, store_id, attribute, value)
        if not found.ok:
            return Outcome.failed(found.failure)  # type: ignore[arg-type]
        user_id = (found.value or {}).get("UserId", "")
        if hinted is not None and user_id == hint_user_id:
            return await hinted
        return await studio.describe_user(self.aws, creds, region, store_id, store_arn, user_id)

    async def _describe_user_id(
        self,
        creds: ResolvedCredentials,
        region: str,
        store_id: str,
        store_arn: str | None,
        user_id: str,
        force: bool,
    ) -> Outcome[dict[str, Any]]:
        return await self._cached(
            ("user_id", store_id, user_id),
            lambda: studio.describe_user(self.aws, creds, region, store_id, store_arn, user_id),
            force=force,
        )

    async def _speculate_user(
        self,
        profile_done: asyncio.Future[Outcome[dict[str, Any]] | None],
        trail_seen: asyncio.Future[Verification | None],
        creds: ResolvedCredentials,
        region: str,
        force: bool,
    ) -> None:
        """Starts the owner's user lookup in the identity store CloudTrail names for this
        session, under the cache key of that store. The report uses it only through that key:
        when the domain's own store (DescribeApplication) turns out to be the same, its lookup
        joins this one (single flight) instead of starting after it; otherwise it is unused.
        """
        profile = await asyncio.shield(profile_done)
        trail = await asyncio.shield(trail_seen)
        user_key = self._user_key(profile)
        store_id = last_segment(trail.identity_store_arn) if trail is not None else None
        if trail is None or user_key is None or not store_id or not trail.user_id:
            return
        attribute, value = user_key
        arn, hint = trail.identity_store_arn, trail.user_id
        await self._cached(
            ("user", store_id, attribute, value),
            lambda: self._load_user(creds, region, store_id, arn, attribute, value, hint, force),
            force=force,
        )

    async def _expected_user(
        self,
        f: Facts,
        profile: Outcome[dict[str, Any]] | None,
        store: Outcome[dict[str, str]] | None,
        creds: ResolvedCredentials,
        region: str,
        force: bool,
        trail_seen: asyncio.Future[Verification | None] | None = None,
    ) -> Outcome[dict[str, Any]] | None:
        """The space owner's Identity Center user: profile → identity store → user."""
        if profile is None:
            f.user_absent_reason = "The space's owner profile is not known."
            return None
        if not profile.ok:
            return profile
        user_key = self._user_key(profile)
        if user_key is None:
            f.user_absent_reason = (
                f"The user profile {f.profile_name} is not linked to an IAM Identity Center user "
                "(no SingleSignOnUserValue)."
            )
            return None
        if store is None:
            f.user_absent_reason = "The domain has no IAM Identity Center application."
            return None
        if not store.ok:
            return store  # type: ignore[return-value]
        attribute, value = user_key
        store_id, store_arn = (store.value or {})["id"], (store.value or {}).get("arn")
        # CloudTrail's user of this session, if it is already known and in the same store.
        trail = (
            trail_seen.result()
            if trail_seen is not None and trail_seen.done() and not trail_seen.cancelled()
            else None
        )
        hint = None
        if trail is not None and last_segment(trail.identity_store_arn) == store_id:
            hint = trail.user_id
        return await self._cached(
            ("user", store_id, attribute, value),
            lambda: self._load_user(
                creds, region, store_id, store_arn, attribute, value, hint, force
            ),
            force=force,
        )

    async def _verification_step(
        self,
        f: Facts,
        scope_creds: asyncio.Future[ResolvedCredentials],
        server_creds: asyncio.Future[ResolvedCredentials],
        user_known: asyncio.Future[dict[str, Any] | None],
        trail_seen: asyncio.Future[Verification | None],
        own_calls: tuple[asyncio.Event, ...],
        force: bool,
        reverify: bool = False,
    ) -> None:
        try:
            await self._verify(
                f, scope_creds, server_creds, user_known, trail_seen, own_calls, force, reverify
            )
        finally:
            if not trail_seen.done():
                trail_seen.set_result(None)

    async def _verify(
        self,
        f: Facts,
        scope_creds: asyncio.Future[ResolvedCredentials],
        server_creds: asyncio.Future[ResolvedCredentials],
        user_known: asyncio.Future[dict[str, Any] | None],
        trail_seen: asyncio.Future[Verification | None],
        own_calls: tuple[asyncio.Event, ...],
        force: bool,
        reverify: bool,
    ) -> None:
        if not self.config.verify_with_cloudtrail:
            f.verification = Verification.unavailable(
                None,
                "CloudTrail verification is turned off (TrustedIdentity.verify_with_cloudtrail).",
            )
            return
        creds = await asyncio.shield(scope_creds)
        space = await asyncio.shield(server_creds)
        if not creds.resolved or not creds.access_key_id:
            f.verification = Verification.unavailable(None, "There are no credentials to look up.")
            return
        reader = space if space.usable else creds
        if not reader.usable:
            f.verification = Verification.unavailable(
                None, "No usable credentials to read CloudTrail with."
            )
            return
        region = f.region or _FALLBACK_STS_REGION
        key_id = creds.access_key_id
        carrier = self._carriers.get(key_id)
        if carrier is None or (carrier, region) not in self._trails:
            # A carrier's first lookup follows its own calls (STS, and SageMaker's reads with the
            # space's key), so a delivered trail holds an event of a source that records
            # onBehalfOf. Later reports need not wait: the carrier's lookups are scheduled.
            for done in own_calls:
                await done.wait()
            carrier = self._carriers.get(key_id) or f"key:{key_id}"
        trail = self._trails.get((carrier, region))
        if trail is None:
            space_carrier = self._carriers.get(space.access_key_id or "")
            others = f.scope.is_kernel and carrier != space_carrier
            if others and not force:
                f.verification = Verification.unavailable(None, OTHER_CARRIER)
                return
            learned = self._delivery.get(region)
            trail = self._trails[(carrier, region)] = Trail.start(
                key_id,
                self.clock.monotonic(),
                self.clock.now(),
                None if learned is None else self.budget.jittered(learned),
                self.config.cloudtrail_delivery,
                scheduled=not others,
            )
            self._trail_changed(trail)
        raw = await self._trail_verification(trail, reader, region, force, reverify)
        f.verification = raw  # provisional, in case the expected user misses the deadline
        trail_seen.set_result(raw)
        expected = await asyncio.shield(user_known)
        f.verification = raw.compared_with(
            (expected or {}).get("user_id"), (expected or {}).get("identity_store_arn")
        )
        if raw.user_id and raw.user_id != (expected or {}).get("user_id"):
            f.actual_user = await self._actual_user(raw, reader, region, force)

    async def _trail_verification(
        self, trail: Trail, reader: ResolvedCredentials, region: str, force: bool, reverify: bool
    ) -> Verification:
        """What CloudTrail says of a carrier: asked when a lookup is due (see delivery.py), on an
        explicit check while nothing decisive is known, or when asked to verify again."""
        if trail.inflight is None:
            now = self.clock.monotonic()
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
        looked_up = trail.looked_up_at
        next_at = None
        if not trail.decided and trail.scheduled:
            next_at = self.clock.now() + timedelta(
                seconds=max(0.0, trail.next_due - self.clock.monotonic())
            )
        return replace(trail.last, looked_up_at=looked_up, next_lookup_at=next_at)

    async def _look_up(self, trail: Trail, reader: ResolvedCredentials, region: str) -> None:
        # Only the lookup that first decides measures delivery: a later one (asked again on
        # request) says nothing of how late events arrive.
        deciding = not trail.decided
        try:
            await self._lookup_limiter.wait()
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
            now = self.clock.monotonic()
            trail.lookups += 1
            trail.looked_up_at = self.clock.now()
            if not found.ok:
                trail.last = Verification.unavailable(found.failure)
                trail.next_due = now + self.budget.lifetime(("cloudtrail", trail.probe_key), found)
                return
            trail.last = interpret((found.value or {}).get("Events") or [])
            learned = trail.learned_delay(now) if deciding else None
            if learned is not None:
                await asyncio.get_running_loop().run_in_executor(
                    self._executor, self._delivery.set, region, learned
                )
            elif not trail.decided:
                trail.next_due = now + self.budget.jittered(trail.interval())
        finally:
            trail.inflight = None
            self._trail_changed(trail)

    def _trail_changed(self, trail: Trail) -> None:
        """A trail started or looked up: reports show it, and a scheduled lookup falls due."""
        self._generation.changed()
        if trail.scheduled and not trail.decided:
            self._generation.changes_at(trail.next_due)

    async def _actual_user(
        self, v: Verification, creds: ResolvedCredentials, region: str, force: bool
    ) -> Outcome[dict[str, Any]] | None:
        """Names the user CloudTrail reports when it is not the expected one."""
        store_id = last_segment(v.identity_store_arn) or self.config.identity_store_id
        if not store_id or not v.user_id:
            return None
        return await self._describe_user_id(
            creds, region, store_id, v.identity_store_arn, v.user_id, force
        )


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

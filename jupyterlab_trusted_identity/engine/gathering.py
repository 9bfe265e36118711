"""The gathering of one report: the plan of lookups that establish a scope's facts.

Three strands run at once, and wait for one another only where a step needs another's answer:

* credentials → caller: the scope's credentials (and the space's), then sts:GetCallerIdentity
  (not asked again for a key the container endpoint rotated: the same session); a scope with
  its own `resolve_credentials` is asked at each report instead of botocore's chain over its
  environment;
* studio: DescribeDomain, DescribeSpace and DescribeApp at once with the space's credentials;
  the owner's profile (DescribeUserProfile, after DescribeSpace when the metadata does not name
  it), the identity store (after DescribeDomain: DescribeApplication, DescribeInstance), then
  the owner's Identity Center user (GetUserId, DescribeUser);
* verification: CloudTrail's LookupEvents of the scope's key, once its carrier's own calls are
  made, compared with the owner's user when it is known.

Two overlaps keep a cold report at about the slowest chain (bench: cold_report_vs_slowest_call):
CloudTrail is asked while STS answers for a key whose carrier is already known, and the owner's
user is looked up speculatively in the identity store CloudTrail names, with CloudTrail's user as
a hint (DescribeUser alongside GetUserId), while DescribeApplication runs; the speculation is
used only when the domain's own store turns out the same (see speculate_owner).

Every answer lands in the report's Facts; the cached loads (engine.cached) are shielded, so the
deadline cuts a report short, never a load the next report can use.
"""

from __future__ import annotations

import asyncio
import functools
from typing import TYPE_CHECKING, Any

from . import access_grants, integrations, studio
from .arns import account_of, last_segment
from .cloudtrail import Verification
from .credentials import (
    ResolvedCredentials,
    compare_with_space,
    resolution_timeout,
    resolve_off_loop,
)
from .facts import HINT_VARIABLES, PENDING, Facts
from .metadata import MetadataError, StudioMetadata
from .outcome import Outcome
from .services import s3_access_grants

if TYPE_CHECKING:
    from .engine import IdentityEngine

# STS answers GetCallerIdentity in any region; this one is used when no region is known.
FALLBACK_STS_REGION = "us-east-1"
# A kernel whose credentials are not the space's carrier: CloudTrail is asked for it only on an
# explicit check (at a kernel start such credentials cost at most a GetCallerIdentity).
OTHER_CARRIER = (
    "CloudTrail is looked up for these credentials only on an explicit check: they are not the "
    "space's own session, so their events cannot carry the user's identity."
)

Answer = Outcome[dict[str, Any]]
# The space owner's Identity Center user as DescribeUser named it (None: not known).
User = dict[str, Any] | None


class Gathering:
    """One report's lookups in flight, and the steps that start and await them."""

    def __init__(
        self,
        engine: IdentityEngine,
        facts: Facts,
        *,
        refresh: bool | str,
        scope_fingerprint: str,
        reverify: bool,
    ):
        self.engine = engine
        self.facts = facts
        self.scope_fingerprint = scope_fingerprint
        # An explicit check asks every cached answer again; a kernel start re-reads credentials.
        self.bypass_caches = refresh is True
        self.reread_credentials = refresh is True or refresh == "credentials"
        # CloudTrail is asked again even for a carrier it already proved.
        self.reverify = reverify
        # Set by run(): the lookups in flight, each awaited by the steps that need it.
        self.space_credentials: asyncio.Future[ResolvedCredentials]
        self.scope_credentials: asyncio.Future[ResolvedCredentials]
        # The owner's user, once the studio strand knows it (None: unknown or not applicable).
        self.owner_known: asyncio.Future[User]
        # What CloudTrail says of the scope's key, as soon as it is known (None: no user named):
        # the owner's lookup takes its user and identity store as a hint.
        self.trail_seen: asyncio.Future[Verification | None]
        # The session's own calls whose events CloudTrail is then asked for: STS, and
        # SageMaker's reads (sources that record onBehalfOf; STS does not).
        self.caller_asked = asyncio.Event()
        self.studio_read = asyncio.Event()
        # The studio strand's reads (set by studio()).
        self.domain_read: asyncio.Future[None]
        self.space_read: asyncio.Future[None]
        self.app_read: asyncio.Future[None]
        # DescribeInstance, when the identity store is known without it (see identity_store).
        self.instance_reads: list[asyncio.Future[None]] = []
        # What the studio strand reads with: the app's metadata, the space's credentials and
        # the domain's region (set by studio()).
        self.metadata: StudioMetadata
        self.studio_reader: ResolvedCredentials
        self.studio_region = ""

    # ---- the plan ------------------------------------------------------------------------------

    async def run(self) -> None:
        engine, f = self.engine, self.facts
        self.read_local_facts()
        self.space_credentials = asyncio.ensure_future(
            engine.resolve_credentials(
                engine.server_environ, self.reread_credentials, engine.server_fingerprint
            )
        )
        if f.scope.resolve_credentials is not None:
            # The scope decides its credentials, not its environment: asked at each report. The
            # answers of STS and CloudTrail are kept by key, so the space's key costs no call.
            self.scope_credentials = asyncio.ensure_future(
                resolve_off_loop(
                    f.scope.resolve_credentials,
                    resolution_timeout(engine.config.aws_timeout),
                    f.scope.environ,
                )
            )
        elif self.scope_fingerprint == engine.server_fingerprint:
            self.scope_credentials = self.space_credentials
        else:
            self.scope_credentials = asyncio.ensure_future(
                engine.resolve_credentials(
                    f.scope.environ, self.reread_credentials, self.scope_fingerprint
                )
            )
        loop = asyncio.get_running_loop()
        self.owner_known = loop.create_future()
        self.trail_seen = loop.create_future()
        try:
            await asyncio.gather(
                self.caller(),
                self.studio(),
                self.verification(),
                self.connected_services(),
            )
        finally:
            for future in (self.owner_known, self.trail_seen):
                if not future.done():
                    future.cancel()

    def read_local_facts(self) -> None:
        """What the space itself says: the metadata file, the region, the image's hints."""
        engine, f = self.engine, self.facts
        try:
            f.metadata = engine.metadata.read(engine.server_environ)
        except MetadataError as error:
            f.metadata_error = str(error)
        f.region, f.region_source, f.region_conflict = self.region(f.metadata)
        f.hints = {k: v for k in HINT_VARIABLES if (v := engine.server_environ.get(k))}
        f.model_knows = engine.aws.model_knows
        f.s3_access_grants = s3_access_grants(f.scope.environ)

    def region(self, metadata: StudioMetadata | None) -> tuple[str | None, str | None, str | None]:
        """(region, where it was read, a note when the region variables say otherwise).

        The domain's region is the one in the app's ARN: a kernel or a user may set AWS_REGION
        to another region for their own work, which says nothing about the domain."""
        if self.engine.config.region:
            return self.engine.config.region, "TrustedIdentity.region", None
        variables = [
            (name, value)
            for name in ("AWS_REGION", "AWS_DEFAULT_REGION")
            if (value := self.engine.server_environ.get(name))
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

    # ---- credentials → caller ------------------------------------------------------------------

    async def caller(self) -> None:
        try:
            # A kernel start re-reads the credentials; STS is asked again only for a key it has
            # not answered for this cache period (one GetCallerIdentity per key and period,
            # however many kernels start). Explicit checks ask it again.
            await self.ask_sts()
        finally:
            self.caller_asked.set()

    async def ask_sts(self) -> None:
        engine, f = self.engine, self.facts
        creds = f.credentials = await asyncio.shield(self.scope_credentials)
        space = f.server_credentials = await asyncio.shield(self.space_credentials)
        # botocore's resolution decides whether the scope keeps the space's credentials.
        f.comparison = compare_with_space(
            creds,
            space if f.scope.is_kernel else None,
            f.scope.environ,
            engine.server_environ,
        )
        if not creds.usable:
            f.caller = None
            return
        region = f.region or FALLBACK_STS_REGION
        key = ("caller", creds.access_key_id, region)
        rotated = engine.carriers.rotated(creds, region)
        if rotated is not None and not self.bypass_caches and engine.cache.peek(key) is None:
            # The container endpoint rotated the key of a session STS already identified: the
            # same role and session name, so no new GetCallerIdentity (one per rotation would
            # be one per space-hour on its own). An explicit check asks STS for the new key.
            f.caller, f.caller_answered_for = rotated
            engine.carriers.remember(creds.access_key_id, f.caller)
            return

        def lifetime(value: Any) -> float:
            # Who a key is does not change: STS is asked again when the key changes (rotation),
            # or when `cache_ttl` asks for it.
            seconds = engine.budget.fact_lifetime()
            left = creds.seconds_left(engine.clock.now())
            if left is not None:
                seconds = min(seconds, max(60.0, left))
            return engine.budget.lifetime(key, value, seconds)

        f.caller = await engine.cached(
            key,
            lambda: engine.aws.call(
                creds,
                region,
                "sts",
                "get_caller_identity",
                "sts:GetCallerIdentity",
                expect=("Arn",),
            ),
            force=self.bypass_caches,
            ttl=lifetime,
        )
        engine.carriers.remember(creds.access_key_id, f.caller)
        engine.carriers.answered(creds, region, f.caller)

    # ---- studio: domain, space, app, profile, identity store, owner ----------------------------

    async def studio(self) -> None:
        f = self.facts
        if f.metadata is None:
            f.domain = f.space = f.profile = f.app = f.identity_store = f.user = None
            f.user_absent_reason = "Not running in SageMaker Studio."
            self.owner_known.set_result(None)
            self.studio_read.set()
            return
        self.metadata = f.metadata
        self.studio_reader = await asyncio.shield(self.space_credentials)
        self.studio_region = f.region or ""
        self.domain_read = asyncio.ensure_future(self.domain())
        self.space_read = asyncio.ensure_future(self.space())
        self.app_read = asyncio.ensure_future(self.app())
        reads = (self.domain_read, self.space_read, self.app_read)
        asyncio.gather(*reads, return_exceptions=True).add_done_callback(
            lambda _: self.studio_read.set()
        )
        try:
            await asyncio.gather(*reads, self.owner())
            await asyncio.gather(*self.instance_reads)
        finally:
            self.studio_read.set()
            for task in (*reads, *self.instance_reads):
                task.cancel()

    async def domain(self) -> None:
        m = self.metadata
        self.facts.domain = await self.engine.cached(
            ("domain", m.domain_id),
            lambda: studio.describe_domain(
                self.engine.aws, self.studio_reader, self.studio_region, m.domain_id
            ),
            force=self.bypass_caches,
        )

    async def space(self) -> None:
        m = self.metadata
        if not m.space_name:
            self.facts.space = None
            return
        self.facts.space = await self.engine.cached(
            ("space", m.domain_id, m.space_name),
            lambda: studio.describe_space(
                self.engine.aws,
                self.studio_reader,
                self.studio_region,
                m.domain_id,
                m.space_name or "",
            ),
            force=self.bypass_caches,
        )

    async def app(self) -> None:
        m = self.metadata
        if not (m.resource_name and m.app_type and (m.space_name or m.user_profile_name)):
            self.facts.app = None
            return
        self.facts.app = await self.engine.cached(
            ("app", m.domain_id, m.space_name, m.user_profile_name, m.app_type, m.resource_name),
            lambda: studio.describe_app(
                self.engine.aws,
                self.studio_reader,
                self.studio_region,
                m.domain_id,
                space=m.space_name,
                profile=m.user_profile_name,
                app_type=m.app_type or "",
                app_name=m.resource_name or "",
            ),
            force=self.bypass_caches,
        )

    async def profile(self) -> Answer | None:
        """The owner's user profile: named by the metadata, else by DescribeSpace's owner."""
        f, m = self.facts, self.metadata
        name, source = m.user_profile_name, "metadata"
        if not name:
            await self.space_read
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
        f.profile = await self.engine.cached(
            ("profile", m.domain_id, name),
            lambda: studio.describe_user_profile(
                self.engine.aws, self.studio_reader, self.studio_region, m.domain_id, name
            ),
            force=self.bypass_caches,
        )
        return f.profile

    async def identity_store(self) -> Outcome[dict[str, Any]] | None:
        """The domain's identity store: configured, else DescribeDomain → DescribeApplication
        (→ DescribeInstance), else the account's instance or the store CloudTrail names."""
        engine, f, m = self.engine, self.facts, self.metadata
        if engine.config.identity_store_id:
            trait = "TrustedIdentity.identity_store_id"
            f.identity_store = Outcome.of(
                studio.store_view(
                    engine.config.identity_store_id,
                    None,
                    trait,
                    [trait],
                    account=account_of(m.execution_role_arn) or m.account,
                )
            )
            return f.identity_store
        await self.domain_read
        if f.domain is None or not f.domain.ok:
            f.identity_store = f.domain  # its failure is the reason
            f.identity_center_instance = f.domain
            return f.identity_store
        described = f.domain.value or {}
        if described.get("AuthMode") != "SSO":
            f.identity_store = None
            return None
        app_arn = described.get("SingleSignOnApplicationArn")
        if app_arn:
            application = await engine.cached(
                ("application", app_arn),
                lambda: studio.describe_application(
                    engine.aws, self.studio_reader, self.studio_region, app_arn
                ),
                force=self.bypass_caches,
            )
            value = (application.value or {}) if application.ok else {}
            instance_arn = value.get("InstanceArn")
            # The instance connected services must share with the domain (S3 Access Grants...).
            f.identity_center_instance = (
                Outcome.of(instance_arn)
                if instance_arn
                else (None if application.ok else application)
            )
            if instance_arn and not value.get("IdentityStoreArn"):
                # The instance names the store: the owner's lookup waits for it.
                await self.instance(app_arn, application, instance_arn)
                return f.identity_store
            # The owner's lookup needs only the store: it does not wait for the instance,
            # whose Regions join the view when it answers.
            f.identity_store = studio.store_of_application(app_arn, application, None)
            if instance_arn:
                self.instance_reads.append(
                    asyncio.ensure_future(self.instance(app_arn, application, instance_arn))
                )
            return f.identity_store
        # A domain created before October 2023 names no application: the account's instance,
        # or the store this session's CloudTrail events name.
        trail = await asyncio.shield(self.trail_seen)
        hint = trail.identity_store_arn if trail is not None else None
        account = m.account or account_of(m.execution_role_arn)
        f.identity_store = await engine.cached(
            ("identity_store", "account", account, hint),
            lambda: studio.identity_store_of_account(
                engine.aws, self.studio_reader, self.studio_region, account, hint
            ),
            force=self.bypass_caches,
        )
        store = f.identity_store
        if store is not None and store.ok and (store.value or {}).get("instance_arn"):
            f.identity_center_instance = Outcome.of((store.value or {})["instance_arn"])
        elif store is not None and not store.ok:
            f.identity_center_instance = store
        return f.identity_store

    async def instance(self, app_arn: str, application: Answer, instance_arn: str) -> None:
        """sso:DescribeInstance: the store when the application does not name it, and the
        Regions the instance serves."""
        found = await self.engine.cached(
            ("instance", instance_arn),
            lambda: studio.describe_instance(
                self.engine.aws, self.studio_reader, self.studio_region, instance_arn
            ),
            force=self.bypass_caches,
        )
        self.facts.identity_store = studio.store_of_application(app_arn, application, found)

    async def owner(self) -> None:
        """The space owner's Identity Center user: profile → identity store → user, with the
        speculative lookup started as soon as the profile and CloudTrail's answer allow."""
        f = self.facts
        profile_read = asyncio.ensure_future(self.profile())
        speculation = asyncio.ensure_future(self.speculate_owner(profile_read))
        try:
            profile, store = await asyncio.gather(profile_read, self.identity_store())
            f.user = await self.expected_user(profile, store)
        finally:
            speculation.cancel()  # its cached loads are shielded and go on
        self.owner_known.set_result(f.user.value if f.user is not None and f.user.ok else None)

    async def speculate_owner(self, profile_read: asyncio.Future[Answer | None]) -> None:
        """Starts the owner's user lookup in the identity store CloudTrail names for this
        session, under the cache key of that store. The report uses it only through that key:
        when the domain's own store (DescribeApplication) turns out to be the same, its lookup
        joins this one (single flight) instead of starting after it; otherwise it is unused.
        """
        profile = await asyncio.shield(profile_read)
        trail = await asyncio.shield(self.trail_seen)
        user_key = _user_key(profile)
        store_id = last_segment(trail.identity_store_arn) if trail is not None else None
        if trail is None or user_key is None or not store_id or not trail.user_id:
            return
        attribute, value = user_key
        store_arn, hint = trail.identity_store_arn, trail.user_id
        await self.engine.cached(
            ("user", store_id, attribute, value),
            lambda: self.find_user(store_id, store_arn, attribute, value, hint),
            force=self.bypass_caches,
        )

    async def expected_user(
        self, profile: Answer | None, store: Outcome[dict[str, Any]] | None
    ) -> Answer | None:
        """The user the owner's profile names, in the domain's identity store."""
        f = self.facts
        if profile is None:
            f.user_absent_reason = "The space's owner profile is not known."
            return None
        if not profile.ok:
            return profile
        user_key = _user_key(profile)
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
            return store
        attribute, value = user_key
        store_id, store_arn = (store.value or {})["id"], (store.value or {}).get("arn")
        # CloudTrail's user of this session, if it is already known and in the same store.
        seen = self.trail_seen
        trail = seen.result() if seen.done() and not seen.cancelled() else None
        hint = None
        if trail is not None and last_segment(trail.identity_store_arn) == store_id:
            hint = trail.user_id
        return await self.engine.cached(
            ("user", store_id, attribute, value),
            lambda: self.find_user(store_id, store_arn, attribute, value, hint),
            force=self.bypass_caches,
        )

    async def find_user(
        self,
        store_id: str,
        store_arn: str | None,
        attribute: str,
        value: str,
        hint_user_id: str | None,
    ) -> Answer:
        """identitystore:GetUserId, then DescribeUser of the id found.

        With a hint (the user CloudTrail names in this store), DescribeUser of the hint runs
        alongside GetUserId and is used when GetUserId finds that very user: one round trip
        instead of two. When it finds another user, its DescribeUser follows as usual (the
        hint's answer is cached for naming CloudTrail's user, see actual_user).
        """
        aws, creds, region = self.engine.aws, self.studio_reader, self.studio_region
        hinted = None
        if hint_user_id:
            hinted = asyncio.ensure_future(
                self.describe_user(creds, region, store_id, store_arn, hint_user_id)
            )
        found = await studio.get_user_id(aws, creds, region, store_id, attribute, value)
        if not found.ok:
            return Outcome.failed(found.failure)  # type: ignore[arg-type]
        user_id = (found.value or {}).get("UserId", "")
        if hinted is not None and user_id == hint_user_id:
            return await hinted
        return await studio.describe_user(aws, creds, region, store_id, store_arn, user_id)

    async def describe_user(
        self,
        creds: ResolvedCredentials,
        region: str,
        store_id: str,
        store_arn: str | None,
        user_id: str,
    ) -> Answer:
        return await self.engine.cached(
            ("user_id", store_id, user_id),
            lambda: studio.describe_user(
                self.engine.aws, creds, region, store_id, store_arn, user_id
            ),
            force=self.bypass_caches,
        )

    def domain_location(self) -> tuple[str, str] | None:
        """The domain's account and region, where the connected services' resources it uses
        live (once read_local_facts ran); None outside Studio or when either is not known."""
        m, region = self.facts.metadata, self.facts.region
        account = (m.account or account_of(m.execution_role_arn)) if m is not None else None
        return (account, region) if account and region else None

    # ---- connected services: S3 Access Grants and the other TIP-aware services ------------------

    async def connected_services(self) -> None:
        """S3 Access Grants (the account's instance and the grants that apply to the caller) and
        the Identity Center integrations of Athena, Lake Formation, Redshift, Glue and EMR, all
        at once with the space's session (the carrier of the user's identity) in the domain's
        account and region. App-lifetime facts like Studio's: cached, read again on an explicit
        check. Whether each is on the domain's Identity Center instance is decided when the
        report is built, from what the studio strand read."""
        engine, f = self.engine, self.facts
        located = self.domain_location()
        if located is None:
            return
        account, region = located
        # Read from now on: what the deadline cuts short is settled as a deadline failure.
        for name in (
            "access_grants_instance",
            "caller_grants",
            "athena_workgroups",
            "athena_integration",
            "lake_formation_integration",
            "redshift_integration",
            "glue_integration",
            "emr_security_configurations",
            "emr_integration",
        ):
            setattr(f, name, PENDING)
        reader = await asyncio.shield(self.space_credentials)
        aws = engine.aws

        async def read(name: str, load: Any) -> Answer:
            key = (name, account, region)

            def ttl(value: Any) -> float:
                # A listing some of whose resources could not be described is asked again as
                # soon as a failure would be.
                unread = integrations.partial_failure(value)
                return engine.budget.lifetime(key, Outcome.failed(unread) if unread else value)

            answer = await engine.cached(key, load, force=self.bypass_caches, ttl=ttl)
            setattr(f, name, answer)
            return answer

        async def listed_then_described(listing: str, described: str, list_: Any, describe: Any):
            names = await read(listing, lambda: list_(aws, reader, region))
            if not names.ok:
                setattr(f, described, names)  # the listing's failure is the reason
                return
            await read(described, lambda: describe(aws, reader, region, names.value or {}))

        await asyncio.gather(
            read(
                "access_grants_instance",
                lambda: access_grants.get_instance(aws, reader, region, account),
            ),
            read(
                "caller_grants",
                lambda: access_grants.list_caller_grants(aws, reader, region, account),
            ),
            listed_then_described(
                "athena_workgroups",
                "athena_integration",
                integrations.athena_workgroups,
                integrations.athena_identity_center,
            ),
            read(
                "lake_formation_integration",
                lambda: integrations.lake_formation_configuration(aws, reader, region, account),
            ),
            read(
                "redshift_integration",
                lambda: integrations.redshift_applications(aws, reader, region),
            ),
            read("glue_integration", lambda: integrations.glue_configuration(aws, reader, region)),
            listed_then_described(
                "emr_security_configurations",
                "emr_integration",
                integrations.emr_security_configurations,
                # A security configuration never changes: described once per app.
                functools.partial(
                    integrations.emr_identity_center_configurations,
                    known=engine.security_configurations,
                ),
            ),
        )

    # ---- verification: CloudTrail --------------------------------------------------------------

    async def verification(self) -> None:
        try:
            await self.ask_cloudtrail()
        finally:
            if not self.trail_seen.done():
                self.trail_seen.set_result(None)

    async def ask_cloudtrail(self) -> None:
        engine, f = self.engine, self.facts
        if not engine.config.verify_with_cloudtrail:
            f.verification = Verification.unavailable(
                None,
                "CloudTrail verification is turned off (TrustedIdentity.verify_with_cloudtrail).",
            )
            return
        creds = await asyncio.shield(self.scope_credentials)
        space = await asyncio.shield(self.space_credentials)
        if not creds.resolved or not creds.access_key_id:
            f.verification = Verification.unavailable(None, "There are no credentials to look up.")
            return
        reader = space if space.usable else creds
        if not reader.usable:
            f.verification = Verification.unavailable(
                None, "No usable credentials to read CloudTrail with."
            )
            return
        region = f.region or FALLBACK_STS_REGION
        key_id = creds.access_key_id
        carrier = engine.carriers.of(key_id)
        if carrier is None or engine.trails.of(carrier, region) is None:
            # A carrier's first lookup follows its own calls (STS, and SageMaker's reads with the
            # space's key), so a delivered trail holds an event of a source that records
            # onBehalfOf. Later reports need not wait: the carrier's lookups are scheduled.
            for done in (self.caller_asked, self.studio_read):
                await done.wait()
            carrier = engine.carriers.of(key_id) or f"key:{key_id}"
        trail = engine.trails.of(carrier, region)
        if trail is None:
            others = f.scope.is_kernel and carrier != engine.carriers.of(space.access_key_id)
            if others and not self.bypass_caches:
                f.verification = Verification.unavailable(None, OTHER_CARRIER)
                return
            trail = engine.trails.start(
                carrier,
                region,
                key_id,
                engine.config.cloudtrail_delivery,
                scheduled=not others,
            )
        raw = await engine.trails.answer(trail, reader, region, self.bypass_caches, self.reverify)
        f.verification = raw  # provisional, in case the expected user misses the deadline
        self.trail_seen.set_result(raw)
        expected = await asyncio.shield(self.owner_known)
        f.verification = raw.compared_with(
            (expected or {}).get("user_id"), (expected or {}).get("identity_store_arn")
        )
        if raw.user_id and raw.user_id != (expected or {}).get("user_id"):
            f.actual_user = await self.actual_user(raw, reader, region)

    async def actual_user(
        self, found: Verification, creds: ResolvedCredentials, region: str
    ) -> Answer | None:
        """Names the user CloudTrail reports when it is not the expected one."""
        store_id = last_segment(found.identity_store_arn) or self.engine.config.identity_store_id
        if not store_id or not found.user_id:
            return None
        return await self.describe_user(
            creds, region, store_id, found.identity_store_arn, found.user_id
        )


def _user_key(profile: Answer | None) -> tuple[str, str] | None:
    """(identifier attribute, value) of the profile's Identity Center user, if it names one."""
    if profile is None or not profile.ok:
        return None
    value = (profile.value or {}).get("SingleSignOnUserValue")
    attribute = (profile.value or {}).get("SingleSignOnUserIdentifier") or "UserName"
    return (attribute, value) if value else None

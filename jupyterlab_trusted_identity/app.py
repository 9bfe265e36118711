"""The server extension: the `TrustedIdentity` traits, and the wiring of engine, kernel-launch hook,
audit store and REST routes into jupyter_server."""

from __future__ import annotations

import asyncio
import os

from jupyter_server.extension.application import ExtensionApp
from tornado.ioloop import IOLoop
from traitlets import Bool, Float, Int, List, TraitError, Unicode, default, validate

from . import __version__
from .audit import AsyncAudit, default_audit_path, open_audit_store
from .audit.cloudwatch import check_log_group, check_stream_pattern
from .audit.forwarding import AuditForwarder, ForwardingSettings
from .engine import EngineConfig, IdentityEngine, Scope
from .engine.checks import Check
from .engine.regions import SUPPORTED_REGIONS
from .handlers import routes
from .kernels import KERNEL_ACTIONS_SCHEMA, KernelTracker, LaunchHook
from .service import IdentityService

# jupyter_server calls this hook once its loop runs from 2.16 on (SageMaker Distribution 3.1 has
# 2.15).
_STARTS_EXTENSIONS = hasattr(ExtensionApp, "_start_jupyter_server_extension")


class TrustedIdentity(ExtensionApp):
    """Checks, for the server and every kernel, whether SageMaker Studio propagates the user's
    IAM Identity Center identity."""

    name = "jupyterlab_trusted_identity"
    load_other_extensions = True

    metadata_path = Unicode(
        "/opt/ml/metadata/resource-metadata.json",
        config=True,
        help="Studio app resource metadata (DomainId, SpaceName, ResourceArn, ...).",
    )
    region = Unicode(
        None,
        allow_none=True,
        config=True,
        help="Region of the Studio domain. Default: the region of the metadata's ResourceArn "
        "(the domain's), else AWS_REGION, else AWS_DEFAULT_REGION.",
    )
    supported_regions = List(
        Unicode(),
        default_value=list(SUPPORTED_REGIONS),
        config=True,
        help="Regions where Studio supports trusted identity propagation.",
    )
    identity_store_id = Unicode(
        None,
        allow_none=True,
        config=True,
        help="Identity store id (d-...). Default: discovered through the domain's IAM Identity "
        "Center application (sso:DescribeApplication); set it where discovery is denied.",
    )
    verify_with_cloudtrail = Bool(
        True,
        config=True,
        help="Verify with cloudtrail:LookupEvents which user the session acts for.",
    )
    aws_timeout = Float(5.0, config=True, help="Connect and read timeout of one AWS call (s).")
    check_deadline = Float(
        10.0,
        config=True,
        help="A report is returned within this many seconds; what did not finish is unknown.",
    )
    cache_ttl = Float(
        0.0,
        config=True,
        help="How long facts that rarely change (domain, space, app, profile, user) are reused "
        "(s). 0: for the app's lifetime, since Studio applies these settings only when an app "
        "starts; they are read again on an explicit check.",
    )
    cloudtrail_delivery = Float(
        900.0,
        config=True,
        help="How late CloudTrail is assumed to deliver events until a delay has been measured "
        "(s): a pending verification is looked up again after this, then at doubling intervals.",
    )
    explicit_check_burst = Int(
        10, config=True, help="Explicit checks allowed at once before the rate limit applies."
    )
    explicit_check_interval = Float(
        30.0,
        config=True,
        help="Beyond the burst, one explicit check per this many seconds; the others are served "
        "from what is known, with the time of the next possible check. 0: no limit.",
    )
    start_jitter = Float(
        30.0,
        config=True,
        help="The server's first report waits up to this many seconds after start, at random, so "
        "a fleet of spaces started together does not call AWS in the same second.",
    )
    state_path = Unicode(
        config=True,
        help="Where the measured CloudTrail delivery delay is kept across app restarts. Default: "
        'trusted_identity/state.json under the Jupyter data directory. "" keeps nothing.',
    )
    expiry_warning = Float(
        900.0, config=True, help="credentials.expiry warns this many seconds before expiry."
    )
    audit_path = Unicode(
        config=True,
        help="SQLite audit store. Default: trusted_identity/audit.sqlite3 under the Jupyter data "
        'directory. "" turns auditing off.',
    )
    audit_max_records = Int(100_000, config=True, help="Audit records kept at most.")
    audit_retention_days = Float(90.0, config=True, help="Audit records older than this go.")
    audit_log_group = Unicode(
        "",
        config=True,
        help="CloudWatch Logs log group the audit records are forwarded to, one JSON event each, "
        'in the domain\'s region. "" (the default) forwards nothing.',
    )
    audit_log_stream = Unicode(
        "{domain_id}/{space_name}",
        config=True,
        help="Log stream name pattern: {domain_id}, {space_name}, {user_profile_name}, "
        "{app_type}, {app_name}, {host}; created when missing.",
    )
    audit_log_interval = Float(
        60.0,
        config=True,
        help="Seconds between two forwarding rounds (each jittered by up to 20 percent); each "
        "round sends every pending record, in batches.",
    )

    @validate("audit_log_group", "audit_log_stream")
    def _valid_cloudwatch_name(self, proposal):
        check = {"audit_log_group": check_log_group, "audit_log_stream": check_stream_pattern}
        try:
            return check[proposal["trait"].name](proposal["value"])
        except ValueError as error:
            raise TraitError(str(error)) from None

    @default("audit_path")
    def _default_audit_path(self) -> str:
        return default_audit_path()

    @default("state_path")
    def _default_state_path(self) -> str:
        return os.path.join(os.path.dirname(default_audit_path()), "state.json")

    @validate("aws_timeout", "check_deadline", "audit_log_interval")
    def _positive(self, proposal):
        if proposal["value"] <= 0:
            raise TraitError(f"{proposal['trait'].name} must be positive")
        return proposal["value"]

    @validate(
        "cache_ttl",
        "expiry_warning",
        "audit_retention_days",
        "cloudtrail_delivery",
        "explicit_check_burst",
        "explicit_check_interval",
        "start_jitter",
    )
    def _not_negative(self, proposal):
        if proposal["value"] < 0:
            raise TraitError(f"{proposal['trait'].name} must not be negative")
        return proposal["value"]

    def engine_config(self) -> EngineConfig:
        return EngineConfig(
            metadata_path=self.metadata_path,
            region=self.region or None,
            supported_regions=tuple(self.supported_regions),
            identity_store_id=self.identity_store_id or None,
            verify_with_cloudtrail=self.verify_with_cloudtrail,
            aws_timeout=self.aws_timeout,
            check_deadline=self.check_deadline,
            cache_ttl=self.cache_ttl,
            expiry_warning=self.expiry_warning,
            cloudtrail_delivery=self.cloudtrail_delivery,
            explicit_check_burst=self.explicit_check_burst,
            explicit_check_interval=self.explicit_check_interval,
            start_jitter=self.start_jitter,
            state_path=self.state_path or None,
        )

    def initialize_settings(self) -> None:
        self.engine = IdentityEngine(
            self.engine_config(),
            dict(os.environ),
            self.log,
            user_agent=f"jupyterlab-trusted-identity/{__version__}",
        )
        store = open_audit_store(
            self.audit_path,
            log=self.log,
            max_records=self.audit_max_records,
            retention_days=self.audit_retention_days,
        )
        self.audit = AsyncAudit(store)
        self.audit_forwarder = AuditForwarder(
            store,
            self.engine,
            ForwardingSettings(
                log_group=self.audit_log_group,
                stream_pattern=self.audit_log_stream,
                interval=self.audit_log_interval,
                aws_timeout=self.aws_timeout,
            ),
            self.log,
            user_agent=f"jupyterlab-trusted-identity/{__version__}",
            # A state change (blocked, resumed) makes the reports kept stale: the server report
            # shows the new check at once, and the panel's poll sees its token move.
            on_change=self.engine.changed,
        )
        if self.audit_forwarder.enabled:
            self.engine.extra_checks.append(self._forwarding_check)
        serverapp = self.serverapp
        self.tracker = KernelTracker(
            self.engine,
            serverapp.kernel_manager,
            serverapp.session_manager,
            self.log,
        )
        self.service = IdentityService(
            self.engine, self.tracker, self.audit, forwarder=self.audit_forwarder
        )
        launch_hook = LaunchHook(self.tracker, self.audit, self.log)
        serverapp.event_logger.add_listener(
            schema_id=KERNEL_ACTIONS_SCHEMA, listener=launch_hook.on_kernel_action
        )
        self.log.info(
            "trusted-identity %s: metadata %s, audit %s",
            __version__,
            self.metadata_path,
            self.audit_path or "off",
        )
        if not _STARTS_EXTENSIONS:
            # jupyter_server before 2.16 never calls _start_jupyter_server_extension: warm up
            # once its loop runs instead.
            IOLoop.current().add_callback(self._warm_up_once)

    def _forwarding_check(self, scope: Scope) -> Check | None:
        # The forwarding is the server's, not a kernel's: only the server report shows it.
        return None if scope.is_kernel else self.audit_forwarder.check()

    def initialize_handlers(self) -> None:
        self.handlers.extend(routes(self.service))

    async def _start_jupyter_server_extension(self, serverapp) -> None:
        """Once the loop runs: warm the caches, so the first panel opened gets a quick report."""
        self._warm_up_once()

    def _warm_up_once(self) -> None:
        self._warm_up = asyncio.ensure_future(self._report_quietly())
        self.audit_forwarder.start()

    async def _report_quietly(self) -> None:
        # Jittered: spaces started together warm up apart. A panel opened meanwhile gathers
        # the facts itself, and the warm-up then finds them cached.
        await asyncio.sleep(self.engine.budget.start_delay())
        try:
            await self.engine.report(self.engine.server_scope())
        except Exception:  # a failed warm-up costs the first request some time, nothing else
            self.log.debug("trusted-identity: warm-up failed", exc_info=True)

    async def stop_extension(self) -> None:
        await self.tracker.close()
        # Before the store closes: one last round, short, sends what it can.
        await self.audit_forwarder.stop(flush_within=min(10.0, 2 * self.aws_timeout))
        self.engine.close()
        self.audit.close()

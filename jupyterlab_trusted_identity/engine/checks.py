"""One function per check id of API.md. Each reads the facts and says pass, warn, fail, unknown or
skip, with a detail, the remediation (IAM action or Studio setting) and a documentation link."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace
from typing import Any, Final, cast

import botocore

from . import cloudtrail as ct
from . import outcome as kinds
from . import readings
from .arns import role_name_of
from .config import EngineConfig
from .credentials import EXPIRED, NO_CREDENTIALS
from .facts import APP_TYPE_HINT, SPACE_TYPE_HINT, TIP_HINT, Facts
from .masking import mask_access_key
from .outcome import Failure, Outcome
from .readings import Reading
from .report_types import CheckGroup, CheckId, CheckStatus, ReportCheck
from .services import S3AG_SETTING
from .studio import DESCRIBE_APP, DESCRIBE_DOMAIN, DESCRIBE_SPACE, DESCRIBE_USER_PROFILE

PASS: Final = "pass"
WARN: Final = "warn"
FAIL: Final = "fail"
UNKNOWN: Final = "unknown"
SKIP: Final = "skip"

DOC_COMPATIBILITY = (
    "https://docs.aws.amazon.com/sagemaker/latest/dg/trustedidentitypropagation-compatibility.html"
)
DOC_SETUP = "https://docs.aws.amazon.com/sagemaker/latest/dg/trustedidentitypropagation-setup.html"
DOC_SESSIONS = (
    "https://docs.aws.amazon.com/singlesignon/latest/userguide/"
    "trustedidentitypropagation-identity-enhanced-iam-role-sessions.html"
)
DOC_CLOUDTRAIL = (
    "https://docs.aws.amazon.com/awscloudtrail/latest/userguide/"
    "cloudtrail-event-reference-user-identity.html"
)

TIP_SETTING = ("DomainSettings", "TrustedIdentityPropagationSettings", "Status")
APP_TIP = ("EffectiveTrustedIdentityPropagationStatus",)

# The request field an administrator sets (UpdateDomain takes DomainSettingsForUpdate, not the
# DomainSettings that DescribeDomain returns).
ENABLE_TIP = (
    "An administrator enables it with sagemaker:UpdateDomain, setting "
    "DomainSettingsForUpdate.TrustedIdentityPropagationSettings.Status to ENABLED; then restart "
    "this app and sign in to IAM Identity Center again."
)
RESTART_AND_SIGN_IN = (
    "Stop and start the space's app, then sign in to IAM Identity Center again, so the app "
    "starts with a session that carries your identity."
)
# Apps where Studio propagates the identity (TIP-FACTS: private JupyterLab and Code Editor spaces).
SUPPORTED_APP_TYPES = ("JupyterLab", "CodeEditor")


@dataclass(frozen=True)
class Check:
    id: CheckId
    status: CheckStatus
    required: bool
    title: str
    detail: str
    remediation: str
    doc_url: str
    iam_action: str | None = None
    error_code: str | None = None
    # Set when first-hand proof outranked what this check read (see evidence.py): the proof's
    # source, and the status the reading alone gave.
    settled_by: str | None = None
    read_status: CheckStatus | None = None
    # evidence.consistent: the ids of the checks whose readings contradict the proof.
    contradictions: tuple[str, ...] = ()

    @property
    def group(self) -> CheckGroup:
        return cast(CheckGroup, self.id.split(".", 1)[0])

    def to_json(self) -> ReportCheck:
        # Field by field: dataclasses.asdict deep-copies every string, and was most of the time
        # of a warm report (bench: warm_report_vs_status).
        return {
            "id": self.id,
            "status": self.status,
            "required": self.required,
            "title": self.title,
            "detail": self.detail,
            "remediation": self.remediation,
            "doc_url": self.doc_url,
            "iam_action": self.iam_action,
            "error_code": self.error_code,
            "settled_by": self.settled_by,
            "read_status": self.read_status,
            "contradictions": list(self.contradictions),
            "group": self.group,
            # The rank of the evidence it rests on: the report adds it (evidence.TIER).
            "evidence": None,
        }


@dataclass(frozen=True)
class Spec:
    id: CheckId
    required: bool
    title: str
    doc_url: str

    def result(
        self, status: CheckStatus, detail: str, remediation: str = "", **extra: Any
    ) -> Check:
        return Check(
            self.id, status, self.required, self.title, detail, remediation, self.doc_url, **extra
        )

    def unknown(self, failure: Failure, remediation: str | None = None) -> Check:
        """A call this check needs failed without answering the question."""
        if remediation is None:
            remediation = _grant(failure)
        return self.result(
            UNKNOWN,
            failure.describe(),
            remediation,
            iam_action=failure.action,
            error_code=failure.code,
        )


def _grant(failure: Failure) -> str:
    if failure.kind == kinds.DENIED:
        return f"Allow {failure.action} in the execution role's IAM policy."
    if failure.kind == kinds.THROTTLED:
        return (
            f"AWS throttles {failure.action} for this account; the check is retried automatically."
        )
    if failure.kind in (kinds.TIMEOUT, kinds.DEADLINE, kinds.UNREACHABLE):
        return (
            f"Make sure the space can reach the endpoint of {failure.action} (VPC endpoints or "
            "internet access); the check is retried automatically."
        )
    if failure.kind == kinds.NO_CREDENTIALS:
        return "The space itself has no usable credentials to read this with."
    return f"Retry the check; if it persists, make sure {failure.action} is allowed and reachable."


def _fails(outcome: Outcome[Any] | None) -> Failure | None:
    return outcome.failure if outcome is not None else None


# ---- credentials -------------------------------------------------------------------------------

RESOLVED = Spec(
    "credentials.resolved", True, "AWS credentials resolve for this session", DOC_SESSIONS
)
VALID = Spec("credentials.valid", True, "Credentials are accepted by AWS STS", DOC_SESSIONS)
EXPIRY = Spec("credentials.expiry", False, "Credentials are not about to expire", DOC_SESSIONS)
CARRIER = Spec(
    "credentials.carrier",
    True,
    "Credentials are the space's execution role session, which carries the identity",
    DOC_COMPATIBILITY,
)


def credentials_resolved(f: Facts, c: EngineConfig) -> Check:
    creds = f.credentials
    if creds.resolved:
        return RESOLVED.result(
            PASS, f"botocore's credential chain yields {creds.source} credentials."
        )
    if creds.problem == NO_CREDENTIALS:
        return RESOLVED.result(
            FAIL,
            f"No credentials: {creds.detail}.".replace("..", "."),
            "Run in a Studio space whose app provides container credentials, and do not set "
            "AWS_PROFILE or key variables that point nowhere.",
        )
    return RESOLVED.result(
        UNKNOWN,
        f"Resolving credentials failed: {creds.detail}.".replace("..", "."),
        "The check is retried automatically. If it persists, restart the space's app and check "
        "the credential variables and profiles of this environment.",
    )


def credentials_valid(f: Facts, c: EngineConfig) -> Check:
    creds = f.credentials
    if not creds.resolved:
        return VALID.result(SKIP, "There are no credentials to validate.")
    if creds.problem == EXPIRED:
        return VALID.result(
            FAIL,
            "The credential provider returns credentials that are already expired; botocore and "
            "boto3 refuse to use them.",
            "Restart the space's app to renew its credentials.",
            error_code="ExpiredToken",
        )
    if not creds.usable:
        return VALID.result(UNKNOWN, creds.detail or "The credentials cannot be used.")
    failure = _fails(f.caller)
    if failure is None and f.caller is not None:
        arn = (f.caller.value or {}).get("Arn")
        if f.caller_answered_for:
            return VALID.result(
                PASS,
                f"STS knows this session as {arn}: it answered for key "
                f"{mask_access_key(f.caller_answered_for)}, which the space's container "
                "credentials endpoint has rotated since (same session). An explicit check asks "
                "STS for the new key.",
            )
        return VALID.result(PASS, f"STS knows these credentials as {arn}.")
    if failure is not None and failure.kind in (kinds.INVALID_CREDENTIALS, kinds.EXPIRED):
        return VALID.result(
            FAIL,
            failure.describe(),
            "Credentials that STS rejects cannot carry an identity: remove stale keys from the "
            "environment, or restart the space's app to renew its credentials.",
            iam_action=failure.action,
            error_code=failure.code,
        )
    if failure is not None:
        return VALID.unknown(
            failure,
            _grant(failure)
            if failure.kind != kinds.DENIED
            else "sts:GetCallerIdentity needs no permission; a service control "
            "policy or VPC endpoint policy denies it.",
        )
    return VALID.result(UNKNOWN, "STS was not asked.")


def credentials_expiry(f: Facts, c: EngineConfig) -> Check:
    creds = f.credentials
    if not creds.resolved:
        return EXPIRY.result(SKIP, "There are no credentials.")
    left = creds.seconds_left(f.now)
    if creds.expires_at is None or left is None:
        return EXPIRY.result(
            PASS if creds.source in ("env", "shared-credentials-file", "config-file") else SKIP,
            "These credentials carry no expiry time.",
        )
    when = creds.expires_at.strftime("%Y-%m-%dT%H:%M:%SZ")
    if left <= 0:
        return EXPIRY.result(
            FAIL, f"The credentials expired at {when}.", "Restart the space's app to renew them."
        )
    minutes = int(left // 60)
    if left < c.expiry_warning:
        return EXPIRY.result(
            WARN,
            f"The credentials expire in {minutes} min (at {when}).",
            "Studio renews container credentials before they expire; if they are not renewed, "
            "restart the space's app. Long jobs should not keep credentials they read once.",
        )
    return EXPIRY.result(PASS, f"The credentials expire in {minutes} min (at {when}).")


def _expected_role(f: Facts) -> str | None:
    return execution_role(f)[0]


def credentials_carrier(f: Facts, c: EngineConfig) -> Check:
    creds = f.credentials
    if not creds.resolved:
        return CARRIER.result(SKIP, "There are no credentials.")
    if creds.source != "container-role":
        explain = {
            "env": "static keys from environment variables",
            "shared-credentials-file": "keys from a shared credentials file",
            "config-file": "keys from the AWS config file",
            "assume-role": "a role assumed through a profile",
            "assume-role-with-web-identity": "a web identity role",
            "sso": "an IAM Identity Center (SSO) profile",
            "custom-process": "a credential process",
            "iam-role": "the instance's role",
        }.get(creds.source or "", f"{creds.source} credentials")
        return CARRIER.result(
            FAIL,
            f"This session uses {explain}; they carry no Identity Center identity context, "
            "only the space's own execution role session does.",
            "Remove the overriding credentials (variables, profiles, credential files) from this "
            "environment so boto3 uses the space's container credentials; do not assume other "
            "roles in notebooks that need the user's identity.",
        )
    if f.scope.is_kernel and creds.container_uri != f.server_credentials.container_uri:
        return CARRIER.result(
            FAIL,
            "This kernel reads container credentials from another endpoint than the space's.",
            "Do not override AWS_CONTAINER_CREDENTIALS_* in the kernel's environment.",
        )
    expected = _expected_role(f)
    arn = (f.caller.value or {}).get("Arn") if f.caller is not None and f.caller.ok else None
    actual = role_name_of(arn)
    if expected and actual and actual != expected.rsplit("/", 1)[-1]:
        return CARRIER.result(
            FAIL,
            f"The container credentials are a session of role {actual}, not of the space's "
            f"execution role {expected}.",
            "Use the space's execution role; other roles do not carry the identity context.",
        )
    if actual:
        return CARRIER.result(PASS, f"Container credentials of the execution role {actual}.")
    return CARRIER.result(
        PASS, "The space's container credentials (the role could not be confirmed by STS)."
    )


# ---- studio ------------------------------------------------------------------------------------

DETECTED = Spec("studio.detected", False, "Running in a SageMaker Studio app", DOC_COMPATIBILITY)
APP_SUPPORTED = Spec(
    "studio.app_supported",
    True,
    "The app is a JupyterLab or Code Editor app of a Studio space",
    DOC_COMPATIBILITY,
)
REGION = Spec(
    "studio.region_supported",
    True,
    "Region supports trusted identity propagation in Studio",
    DOC_COMPATIBILITY,
)
AUTH_MODE = Spec(
    "studio.auth_mode", True, "Domain signs users in through IAM Identity Center", DOC_SETUP
)
TIP_ENABLED = Spec(
    "studio.tip_enabled",
    True,
    "Trusted identity propagation is enabled for the domain and this app",
    DOC_SETUP,
)
SPACE_PRIVATE = Spec("studio.space_private", True, "The space is private", DOC_COMPATIBILITY)
REMOTE_ACCESS = Spec(
    "studio.remote_access", True, "Remote access to the space is off", DOC_COMPATIBILITY
)


def _outside(spec: Spec, f: Facts) -> Check | None:
    if f.in_studio:
        return None
    return spec.result(SKIP, "Not running in SageMaker Studio.")


def _hint(f: Facts, name: str) -> str:
    """A local hint of the image, as a sentence that says it is no proof ("" when unset)."""
    value = f.hints.get(name)
    if not value:
        return ""
    return (
        f" The image's environment says {name}={value}: a local hint written when the app "
        "started, not proof."
    )


def _unread(spec: Spec, reading: Reading, hint: str = "") -> Check:
    """A check whose input field could not be read: the call failed, or botocore dropped it."""
    if reading.failure is not None:
        check = spec.unknown(reading.failure)
        return _append(check, hint)
    return spec.result(
        UNKNOWN,
        reading.missing_sentence() + "." + hint,
        "Use this extension's own service models (reinstall it if they are missing), or a "
        "botocore that knows the field; the check is retried automatically.",
        iam_action=reading.action,
    )


def _append(check: Check, sentence: str) -> Check:
    return replace(check, detail=check.detail + sentence) if sentence else check


def studio_detected(f: Facts, c: EngineConfig) -> Check:
    if f.metadata is not None:
        m = f.metadata
        return DETECTED.result(
            PASS,
            f"Studio app {m.app_type or '?'} '{m.resource_name or '?'}' of space "
            f"'{m.space_name or '?'}' in domain {m.domain_id}.",
        )
    if f.metadata_error:
        return DETECTED.result(
            FAIL,
            f"The Studio metadata file cannot be used: {f.metadata_error}.",
            "Set TrustedIdentity.metadata_path to Studio's resource-metadata.json.",
        )
    # Outside Studio every studio.* check is skipped (API.md); the verdict says outside_studio.
    return DETECTED.result(
        SKIP,
        f"No Studio metadata at {c.metadata_path}: this is not a SageMaker Studio app.",
        "Outside Studio only the caller identity can be shown. In Studio, set "
        "TrustedIdentity.metadata_path if the file lives elsewhere.",
    )


def app_supported(f: Facts, c: EngineConfig) -> Check:
    if (skip := _outside(APP_SUPPORTED, f)) is not None:
        return skip
    m = f.metadata
    assert m is not None
    if m.unified_studio:
        project = m.datazone.get("DataZoneProjectId") or "?"
        domain = m.datazone.get("DataZoneDomainId") or "?"
        return APP_SUPPORTED.result(
            UNKNOWN,
            f"This is a SageMaker Unified Studio space (DataZone domain {domain}, project "
            f"{project}). Its identity comes from the project's setup, which the Studio domain "
            "settings these checks read do not describe; only CloudTrail's proof can tell.",
            "Check the project's IAM Identity Center and trusted identity propagation setup in "
            "SageMaker Unified Studio; CloudTrail verification below decides for this session.",
        )
    app_type = m.app_type or f.hints.get(APP_TYPE_HINT)
    if not app_type:
        return APP_SUPPORTED.result(
            UNKNOWN,
            "The Studio metadata names no AppType (and no ResourceArn it could be read from).",
            "Set TrustedIdentity.metadata_path to the app's resource-metadata.json.",
        )
    if app_type not in SUPPORTED_APP_TYPES:
        classic = app_type in ("JupyterServer", "KernelGateway")
        what = "a Studio Classic app" if classic else f"a {app_type} app"
        return APP_SUPPORTED.result(
            FAIL,
            f"This is {what}; Studio propagates identities only to JupyterLab and Code Editor "
            "apps of private spaces.",
            "Run your work in a JupyterLab or Code Editor app of a private space.",
        )
    if not m.space_name:
        return APP_SUPPORTED.result(
            FAIL,
            f"This {app_type} app does not run in a space; Studio propagates identities only in "
            "private spaces.",
            "Run JupyterLab or Code Editor in a private space.",
        )
    return APP_SUPPORTED.result(PASS, f"A {app_type} app of space '{m.space_name}'.")


def region_supported(f: Facts, c: EngineConfig) -> Check:
    if (skip := _outside(REGION, f)) is not None:
        return skip
    if not f.region:
        return REGION.result(
            UNKNOWN, "The region is unknown.", "Set AWS_REGION or TrustedIdentity.region."
        )
    where = f" (from {f.region_source})" if f.region_source else ""
    conflict = f" {f.region_conflict}" if f.region_conflict else ""
    if f.region not in c.supported_regions:
        return REGION.result(
            FAIL,
            f"Studio does not support trusted identity propagation in {f.region}{where}."
            + conflict,
            "Create the domain (and its IAM Identity Center instance) in a supported region. "
            "If AWS has added this region since, list it in TrustedIdentity.supported_regions.",
        )
    store = f.identity_store.value if f.identity_store is not None and f.identity_store.ok else {}
    served = (store or {}).get("regions")
    if served and f.region not in served:
        return REGION.result(
            FAIL,
            f"The domain is in {f.region}, but its IAM Identity Center instance serves "
            f"{', '.join(served)} only.",
            "Studio needs IAM Identity Center in the domain's region: an administrator adds the "
            "region to the instance (sso:AddRegion) or uses a domain in the instance's region.",
        )
    served_text = "; IAM Identity Center serves it" if served else ""
    return REGION.result(
        PASS,
        f"{f.region}{where} supports trusted identity propagation{served_text}." + conflict,
    )


def auth_mode(f: Facts, c: EngineConfig) -> Check:
    if (skip := _outside(AUTH_MODE, f)) is not None:
        return skip
    mode = f.read("domain", DESCRIBE_DOMAIN, "AuthMode")
    if not mode.present:
        return _unread(AUTH_MODE, mode)
    if mode.value == "SSO":
        return AUTH_MODE.result(PASS, "The domain's AuthMode is SSO.")
    return AUTH_MODE.result(
        FAIL,
        f"The domain's AuthMode is {mode.value}; only IAM Identity Center (SSO) domains "
        "propagate identities.",
        "Use a domain created with AuthMode SSO (the mode cannot be changed on an existing "
        "domain).",
    )


def tip_enabled(f: Facts, c: EngineConfig) -> Check:
    """The running app decides (DescribeApp's effective status); the domain setting explains."""
    if (skip := _outside(TIP_ENABLED, f)) is not None:
        return skip
    domain = f.read("domain", DESCRIBE_DOMAIN, *TIP_SETTING)
    app = f.read("app", DESCRIBE_APP, *APP_TIP)
    hint = _hint(f, TIP_HINT)
    if domain.present:
        domain_words = f"the domain's setting is {domain.value}"
    elif domain.state == readings.ABSENT:
        domain_words = f"{domain.missing_sentence()} (it was never set on the domain)"
    else:
        domain_words = ""
    if app.present and app.value == "ENABLED":
        if domain.present and domain.value == "ENABLED":
            return TIP_ENABLED.result(PASS, "Enabled on the domain and in this running app.")
        if domain.state in (readings.PRESENT, readings.ABSENT):
            return TIP_ENABLED.result(
                WARN,
                f"This app runs with trusted identity propagation ENABLED, but {domain_words}: "
                "the next start of the app will run without it.",
                "If that is not intended, an administrator sets "
                "DomainSettingsForUpdate.TrustedIdentityPropagationSettings.Status to ENABLED "
                "(sagemaker:UpdateDomain) before the app restarts.",
            )
        return TIP_ENABLED.result(
            PASS, "This running app's effective trusted identity propagation status is ENABLED."
        )
    if app.present:  # DISABLED: the running app has no identity, whatever the domain says now
        if domain.present and domain.value == "ENABLED":
            return TIP_ENABLED.result(
                FAIL,
                "Enabled on the domain, but this app was started before: its effective status "
                "is DISABLED.",
                RESTART_AND_SIGN_IN,
            )
        words = f": {domain_words}" if domain_words else ""
        return TIP_ENABLED.result(
            FAIL, f"This app runs with trusted identity propagation DISABLED{words}.", ENABLE_TIP
        )
    # The app's own status is not known: the domain setting is the best reading.
    app_words = _app_status_words(app)
    if domain.present:
        if domain.value == "ENABLED" and app.failure is not None:
            # An app started before the domain enabled it would run without: the question
            # stays open until DescribeApp answers (or CloudTrail proves the session).
            check = TIP_ENABLED.unknown(app.failure)
            return replace(check, detail=f"Enabled on the domain, but {app_words}.")
        if domain.value == "ENABLED":
            return TIP_ENABLED.result(PASS, f"Enabled on the domain; {app_words}.")
        return TIP_ENABLED.result(
            FAIL,
            f"Trusted identity propagation is {domain.value} on the domain; {app_words}.",
            ENABLE_TIP,
        )
    if domain.state == readings.ABSENT:
        return TIP_ENABLED.result(FAIL, f"{domain_words}; {app_words}.", ENABLE_TIP)
    return _unread(TIP_ENABLED, domain, hint)


def _app_status_words(app: Reading) -> str:
    if app.state == readings.NOT_READ:
        return "this app's own status could not be asked (the metadata does not name the app)"
    if app.failure is not None:
        return f"this app's own status is unknown ({app.failure.describe().rstrip('.')})"
    return f"this app's own status is unknown: {app.missing_sentence()}"


def space_private(f: Facts, c: EngineConfig) -> Check:
    if (skip := _outside(SPACE_PRIVATE, f)) is not None:
        return skip
    if f.space is None:
        return SPACE_PRIVATE.result(
            FAIL,
            "This app does not run in a space; Studio propagates identities only in private "
            "spaces.",
            "Run JupyterLab in a private space.",
        )
    sharing = f.read("space", DESCRIBE_SPACE, "SpaceSharingSettings", "SharingType")
    if not sharing.present:
        return _unread(SPACE_PRIVATE, sharing, _hint(f, SPACE_TYPE_HINT))
    if sharing.value == "Private":
        return SPACE_PRIVATE.result(PASS, "The space is private.")
    return SPACE_PRIVATE.result(
        FAIL,
        f"The space is {sharing.value}; shared spaces run with the execution role alone, "
        "without a user's identity.",
        "Use a private space for work that needs your identity.",
    )


def remote_access(f: Facts, c: EngineConfig) -> Check:
    if (skip := _outside(REMOTE_ACCESS, f)) is not None:
        return skip
    if f.space is None:
        return REMOTE_ACCESS.result(SKIP, "This app does not run in a space.")
    value = f.read("space", DESCRIBE_SPACE, "SpaceSettings", "RemoteAccess")
    if value.state == readings.ABSENT:
        # AWS omits the setting on a space where it was never set: remote access is off.
        return REMOTE_ACCESS.result(
            PASS, f"{value.missing_sentence()}: remote access was never turned on for this space."
        )
    if not value.present:
        return _unread(REMOTE_ACCESS, value)
    if value.value == "ENABLED":
        return REMOTE_ACCESS.result(
            FAIL,
            "Remote access is enabled on this space; it is not supported with trusted identity "
            "propagation.",
            "Turn off remote access (sagemaker:UpdateSpace with "
            "SpaceSettings.RemoteAccess DISABLED) and restart the app.",
        )
    return REMOTE_ACCESS.result(PASS, f"Remote access is {value.value}.")


# ---- identity ----------------------------------------------------------------------------------

USER_RESOLVED = Spec(
    "identity.user_resolved", False, "The space owner's Identity Center user is known", DOC_SETUP
)
VERIFIED = Spec(
    "identity.verified", False, "CloudTrail attributes this session to the user", DOC_CLOUDTRAIL
)


def user_resolved(f: Facts, c: EngineConfig) -> Check:
    if (skip := _outside(USER_RESOLVED, f)) is not None:
        return skip
    if f.user is None:
        return USER_RESOLVED.result(
            FAIL,
            f.user_absent_reason or "The space owner has no Identity Center user.",
            "Use a domain with IAM Identity Center and a user profile assigned to a user.",
        )
    if (failure := _fails(f.user)) is not None:
        if failure.kind == kinds.NOT_FOUND:
            return USER_RESOLVED.result(
                FAIL,
                failure.describe(),
                "The profile's Identity Center user no longer exists in the identity store.",
                iam_action=failure.action,
                error_code=failure.code,
            )
        remediation = None
        if failure.kind == kinds.DENIED and failure.action == "sso:DescribeApplication":
            remediation = (
                "Allow sso:DescribeApplication in the execution role's policy, or set "
                "TrustedIdentity.identity_store_id."
            )
        return USER_RESOLVED.unknown(failure, remediation)
    user = f.user.value or {}
    store = (f.identity_store.value or {}) if f.identity_store and f.identity_store.ok else {}
    path = " → ".join(store.get("path") or [])
    found = f" (found through {path})" if path else ""
    return USER_RESOLVED.result(
        PASS,
        f"{user.get('display_name') or user.get('user_name')} ({user.get('user_name')}) in "
        f"identity store {user.get('identity_store_id')}{found}.",
    )


def identity_verified(f: Facts, c: EngineConfig) -> Check:
    if not c.verify_with_cloudtrail:
        return VERIFIED.result(SKIP, "Disabled (TrustedIdentity.verify_with_cloudtrail).")
    v = f.verification
    if v.status == ct.VERIFIED:
        if v.expected_user_id is None:
            return VERIFIED.result(
                WARN,
                f"CloudTrail shows this session acts for user {v.user_id}, but the space owner's "
                "user is unknown, so it cannot be compared.",
                "See identity.user_resolved.",
            )
        return VERIFIED.result(
            PASS,
            f"{v.event_name} ({v.event_source}) at {v.event_time} was made on behalf of user "
            f"{v.user_id}.",
        )
    if v.status == ct.MISMATCH:
        return VERIFIED.result(
            FAIL,
            v.detail,
            "Restart the space's app and sign in to IAM Identity Center again so Studio issues a "
            "session for its owner, and report it to your administrator.",
        )
    if v.status == ct.ABSENT:
        return VERIFIED.result(
            FAIL,
            v.detail,
            # Not "the execution role": with static keys or an assumed role the calls are
            # another principal's, and they carry no user either.
            "Connected services see only the IAM principal of these credentials, not your "
            "identity. Check the other failing checks, then restart the space's app and sign in "
            "to IAM Identity Center again.",
        )
    if v.status == ct.PENDING:
        return VERIFIED.result(WARN, v.detail, "Nothing to do: CloudTrail is checked again.")
    if v.status == ct.INCONCLUSIVE:
        return VERIFIED.result(
            UNKNOWN,
            v.detail,
            "Nothing to do: CloudTrail is checked again; a call to SageMaker or another service "
            "that records onBehalfOf (S3 Access Grants, Athena, Lake Formation...) decides it.",
            iam_action=ct.ACTION,
        )
    if v.failure is not None:
        return VERIFIED.unknown(v.failure)
    return VERIFIED.result(SKIP, v.detail or "Not verified.")


# ---- services and kernel -----------------------------------------------------------------------

S3AG = Spec("services.s3_access_grants", False, "boto3 goes through S3 Access Grants", DOC_SETUP)
KERNEL_ENV = Spec(
    "kernel.environment",
    True,
    "The kernel's environment keeps the space credentials",
    DOC_COMPATIBILITY,
)


def s3_access_grants(f: Facts, c: EngineConfig) -> Check:
    s = f.s3_access_grants
    if s is None or not s.configured:
        return S3AG.result(
            WARN,
            "The S3 Access Grants plugin is not configured: boto3 reads S3 with the execution "
            "role's own permissions, not the user's grants.",
            f"Set {S3AG_SETTING} and install aws-s3-access-grants-boto3-plugin (SageMaker "
            "Distribution does both).",
        )
    if not s.botocore_loads_plugins:
        return S3AG.result(
            FAIL,
            f"The S3 Access Grants plugin is configured, but the installed botocore "
            f"{botocore.__version__} does not load client plugins (botocore 1.40 and later do): "
            "it ignores BOTOCORE_EXPERIMENTAL__PLUGINS, so boto3 reads S3 with the execution "
            "role's own permissions, not the user's grants.",
            "Use an image whose boto3/botocore is 1.40 or later (SageMaker Distribution 4.x), "
            "or call S3 Access Grants explicitly (s3control:GetDataAccess) for user-scoped access.",
        )
    if not s.importable:
        return S3AG.result(
            FAIL,
            f"{s.module} is configured but cannot be imported; botocore skips it silently.",
            "pip install aws-s3-access-grants-boto3-plugin in the kernel's environment.",
        )
    return S3AG.result(PASS, f"botocore loads {s.module} for S3 clients.")


def kernel_environment(f: Facts, c: EngineConfig) -> Check:
    """botocore's resolution in the kernel's environment decides; variable names explain."""
    comparison = f.comparison
    if comparison is None or comparison.differs is None:
        return KERNEL_ENV.result(
            UNKNOWN,
            "botocore's credential chain could not be run in the kernel's environment, so it "
            "cannot be told whether the kernel keeps the space credentials.",
            "The check is retried automatically; see credentials.resolved.",
        )
    ignored = ", ".join(comparison.ignored)
    if not comparison.differs:
        if ignored:
            return KERNEL_ENV.result(
                PASS,
                f"The kernel's environment sets {ignored}, but botocore there still resolves "
                "the space's own credentials (same provider, endpoint and key): they change "
                "nothing.",
            )
        return KERNEL_ENV.result(
            PASS, "botocore in the kernel's environment resolves the space's own credentials."
        )
    names = ", ".join(comparison.overriding)
    creds = f.credentials
    what = (
        f"{creds.source} credentials (key {creds.masked_access_key_id})"
        if creds.resolved
        else "no credentials"
    )
    because = f", because of {names}" if names else ""
    return KERNEL_ENV.result(
        FAIL,
        f"botocore in the kernel's environment resolves {what}, not the space's container "
        f"credentials{because}.",
        f"Remove {names or 'the overriding settings'} from the kernel's environment (kernelspec "
        "env, startup scripts) and restart the kernel.",
    )


CHECKS: tuple[tuple[str, Callable[[Facts, EngineConfig], Check], bool], ...] = (
    # (id, function, kernel reports only)
    ("credentials.resolved", credentials_resolved, False),
    ("credentials.valid", credentials_valid, False),
    ("credentials.expiry", credentials_expiry, False),
    ("credentials.carrier", credentials_carrier, False),
    ("studio.detected", studio_detected, False),
    ("studio.app_supported", app_supported, False),
    ("studio.region_supported", region_supported, False),
    ("studio.auth_mode", auth_mode, False),
    ("studio.tip_enabled", tip_enabled, False),
    ("studio.space_private", space_private, False),
    ("studio.remote_access", remote_access, False),
    ("identity.user_resolved", user_resolved, False),
    ("identity.verified", identity_verified, False),
    ("services.s3_access_grants", s3_access_grants, False),
    ("kernel.environment", kernel_environment, True),
)


def run_checks(f: Facts, c: EngineConfig) -> list[Check]:
    return [fn(f, c) for _, fn, kernel_only in CHECKS if f.scope.is_kernel or not kernel_only]


def execution_role(f: Facts) -> tuple[str | None, str | None]:
    """The space's execution role ARN and where it was read."""
    if f.metadata and f.metadata.execution_role_arn:
        return f.metadata.execution_role_arn, "metadata"
    if f.profile is not None and getattr(f.profile, "ok", False):
        role = ((f.profile.value or {}).get("UserSettings") or {}).get("ExecutionRole")
        if role:
            return role, DESCRIBE_USER_PROFILE
    if f.domain is not None and getattr(f.domain, "ok", False):
        role = ((f.domain.value or {}).get("DefaultUserSettings") or {}).get("ExecutionRole")
        if role:
            return role, DESCRIBE_DOMAIN
    return None, None

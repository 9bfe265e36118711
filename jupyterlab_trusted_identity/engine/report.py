"""Serializes facts, checks and verdict into the report of API.md. Every fact says where it came
from; what was not established is null, never guessed. No secret is ever written here."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import UTC, datetime
from typing import Any, Final, cast

from . import cloudtrail as ct
from . import integration_states, names, services
from .arns import account_of, last_segment, role_arn_of, role_name_of, session_name_of
from .checks import APP_TIP, PASS, TIP_SETTING, Check, execution_role
from .config import EngineConfig
from .evidence import TIER, evidence_json, proof_of
from .facts import INTEGRATION_FACTS, TIP_HINT, Facts
from .names import first_of
from .report_types import (
    ConnectedService,
    Provenance,
    Report,
    ReportBudget,
    ReportCheck,
    ReportCredentials,
    ReportRole,
    ReportScope,
    ReportStudio,
    ReportUser,
    Verdict,
)
from .services import CONNECTED_SERVICES
from .sharing import SharedParts
from .studio import DESCRIBE_APP, DESCRIBE_DOMAIN, DESCRIBE_SPACE, DESCRIBE_USER_PROFILE
from .verdict import (
    INVALID_CREDENTIALS,
    NO_CREDENTIALS,
    NOT_PROPAGATED,
    OUTSIDE_STUDIO,
    PROPAGATED,
)

# The version of the report's schema (API.md: bumped only when a field is renamed or dropped).
# The frontend's src/version.ts states the one it speaks; tests/test_routes.py compares them.
SCHEMA_VERSION: Final = 1


def iso(value: datetime | None, *, milliseconds: bool = False) -> str | None:
    if value is None:
        return None
    value = value.astimezone(UTC)
    if milliseconds:
        return value.strftime("%Y-%m-%dT%H:%M:%S.") + f"{value.microsecond // 1000:03d}Z"
    return value.strftime("%Y-%m-%dT%H:%M:%SZ")


def _value(outcome: Any) -> dict[str, Any]:
    return (outcome.value or {}) if outcome is not None and outcome.ok else {}


def _scope(f: Facts) -> ReportScope:
    s = f.scope
    if not s.is_kernel:
        return {"kind": s.kind}
    return {
        "kind": s.kind,
        "kernel_id": s.kernel_id,
        "kernel_name": s.kernel_name,
        "session_path": s.session_path,
        # Milliseconds: two restarts within a second must not look alike.
        "launched_at": iso(s.launched_at, milliseconds=True),
        "launch": s.launch,
        "environment_source": s.environment_source,
    }


def _user(f: Facts, checks: Sequence[Check]) -> ReportUser:
    known, provenance = _established_user(f, checks)
    store_arn = known.get("identity_store_arn")
    if provenance == "cloudtrail":
        store_arn = store_arn or f.verification.identity_store_arn
    user: ReportUser = {
        "user_id": known.get("user_id"),
        "user_name": known.get("user_name"),
        "display_name": known.get("display_name"),
        "email": known.get("email"),
        "identity_store_arn": store_arn,
        "provenance": provenance,
        # Derived once here, so no client parses the ARN or picks a name again.
        "identity_store_id": last_segment(store_arn),
        "shown_name": None,
        "short_name": None,
        # The first-hand proof that the session acts for this user, by its IAM action
        # (cloudtrail:LookupEvents, or s3:GetDataAccess for a Test access's grantee); None
        # while only configuration reads name the user.
        "proven_by": _proven_by(f, known),
    }
    user["shown_name"] = first_of(user, names.SHOWN)
    user["short_name"] = first_of(user, names.SHORT)
    return user


def _proven_by(f: Facts, known: Mapping[str, Any]) -> str | None:
    proof = proof_of(f)
    if proof is None or not known.get("user_id"):
        return None
    return proof.action if proof.json["user_id"] == known.get("user_id") else None


def _established_user(f: Facts, checks: Sequence[Check]) -> tuple[Mapping[str, Any], Provenance]:
    """The user the report names (as DescribeUser described it), and on what grounds."""
    expected = _value(f.user)
    v = f.verification
    if v.status in (ct.VERIFIED, ct.MISMATCH) and v.user_id:
        # CloudTrail is the ground truth of whom the session acts for.
        if expected.get("user_id") == v.user_id and not v.store_differs:
            return expected, "cloudtrail"
        return _value(f.actual_user) or {"user_id": v.user_id}, "cloudtrail"
    carrier = next((c for c in checks if c.id == "credentials.carrier"), None)
    if expected and carrier is not None and carrier.status == PASS:
        # The space owner, whom these credentials should carry (not yet seen in CloudTrail).
        return expected, "profile"
    return {}, "none"


def _role(f: Facts) -> ReportRole:
    arn = _value(f.caller).get("Arn")
    execution_arn, execution_source = execution_role(f)
    role_arn = role_arn_of(arn)
    # The session ARN drops the role's path; the execution role ARN has it.
    if execution_arn and role_name_of(arn) == execution_arn.rsplit("/", 1)[-1]:
        role_arn = execution_arn
    return {
        "caller_arn": arn,
        "account": _value(f.caller).get("Account") or account_of(arn),
        "role_arn": role_arn,
        # The names the panel shows: parsed here, once.
        "role_name": role_name_of(role_arn or arn),
        "execution_role_name": role_name_of(execution_arn),
        "session_name": session_name_of(arn),
        "execution_role_arn": execution_arn,
        "sources": {
            k: v
            for k, v in {
                "caller_arn": (
                    "sts:GetCallerIdentity (of the key before rotation)"
                    if arn and f.caller_answered_for
                    else "sts:GetCallerIdentity"
                    if arn
                    else None
                ),
                "execution_role_arn": execution_source,
            }.items()
            if v
        },
    }


def _credentials(f: Facts) -> ReportCredentials:
    c = f.credentials
    return {
        "source": c.source,
        "access_key_id": c.masked_access_key_id,
        "expires_at": iso(c.expires_at),
        "overridden_by": list(f.overridden_by),
        # Set, but botocore's resolution shows they change nothing (see kernel.environment).
        "ignored_variables": list(f.comparison.ignored) if f.comparison is not None else [],
        "resolved_at": iso(c.resolved_at),
        "problem": c.problem,
        "detail": c.detail or None,
    }


# Studio facts read from AWS answers: (report name, outcome field, action, member path).
_READ_FACTS = (
    ("tip_domain", "domain", DESCRIBE_DOMAIN, TIP_SETTING),
    ("tip_app", "app", DESCRIBE_APP, APP_TIP),
    ("sharing_type", "space", DESCRIBE_SPACE, ("SpaceSharingSettings", "SharingType")),
    ("remote_access", "space", DESCRIBE_SPACE, ("SpaceSettings", "RemoteAccess")),
    ("auth_mode", "domain", DESCRIBE_DOMAIN, ("AuthMode",)),
)


def _studio(f: Facts, config: EngineConfig) -> ReportStudio:
    m = f.metadata
    domain, space, profile = _value(f.domain), _value(f.space), _value(f.profile)
    store = _value(f.identity_store)
    facts: dict[str, tuple[Any, str | None]] = {
        "domain_id": (m.domain_id if m else None, "metadata"),
        "domain_name": (domain.get("DomainName"), DESCRIBE_DOMAIN),
        "space_name": (m.space_name if m else None, "metadata"),
        "user_profile_name": (f.profile_name, f.profile_name_source),
        "app_type": (m.app_type if m else None, "metadata"),
        "app_name": (m.resource_name if m else None, "metadata"),
        "region": (f.region, f.region_source),
        "owner_user_profile_name": (
            (space.get("OwnershipSettings") or {}).get("OwnerUserProfileName"),
            DESCRIBE_SPACE,
        ),
        "sso_user_value": (profile.get("SingleSignOnUserValue"), DESCRIBE_USER_PROFILE),
        "identity_store_id": (store.get("id"), store.get("source")),
        "identity_center_regions": (store.get("regions"), store.get("regions_source")),
        "tip_image_flag": (f.hints.get(TIP_HINT), TIP_HINT),
        "datazone_project_id": (
            m.datazone.get("DataZoneProjectId") if m else None,
            "metadata",
        ),
    }
    # A field AWS's answer lacks is null, and `missing` says so in the API's own words.
    missing: dict[str, str] = {}
    for name, outcome, action, path in _READ_FACTS:
        reading = f.read(outcome, action, *path)
        facts[name] = (reading.value if reading.present else None, action)
        if reading.missing:
            missing[name] = reading.missing_sentence()
    # The table names every fact of ReportStudio once with its source (tests/test_report_types.py
    # holds the keys to the TypedDict); the rest is derived.
    data = cast(ReportStudio, {name: value for name, (value, _) in facts.items()})
    data["region_supported"] = f.region in config.supported_regions if f.region and m else None
    data["detected"] = m is not None
    data["unified_studio"] = bool(m and m.unified_studio)
    data["identity_store_path"] = store.get("path") or []
    data["missing"] = missing
    data["sources"] = {
        name: src for name, (value, src) in facts.items() if value is not None and src is not None
    }
    return data


def _services(f: Facts, verdict: Verdict) -> list[ConnectedService]:
    """The connected services: what the space reads of each (its Identity Center integration,
    S3 Access Grants' grants) and whether this session can use it. Never part of the verdict."""
    propagated = verdict == PROPAGATED
    plugin_loaded = services.plugin_loaded(f.s3_access_grants)
    center = f.identity_center_instance
    expected = center.value if center is not None and center.ok else None
    expected_failure = center.failure if center is not None else None
    s3ag_integration = services.s3ag_integration(
        f.access_grants_instance, expected, expected_failure
    )
    result: list[ConnectedService] = []
    for service_id, name, needs in CONNECTED_SERVICES:
        integration = grants = None
        if service_id == "s3-access-grants":
            integration = s3ag_integration
            grants = services.s3ag_grants(
                f.caller_grants,
                f.access_grants_instance,
                propagated,
                fallback=plugin_loaded,
            )
        elif service_id in INTEGRATION_FACTS:
            integration = integration_states.service_integration(
                service_id, getattr(f, INTEGRATION_FACTS[service_id]), expected, expected_failure
            )
        if not propagated:
            ready, detail = False, "This session carries no propagated identity for it."
        elif service_id == "s3-access-grants":
            # An integration the space read as off (or on another instance) cannot serve the
            # user, whatever boto3 loads; one that could not be read leaves `ready` as it was.
            ready = plugin_loaded and not (
                integration is not None and integration["state"] in integration_states.NOT_SERVING
            )
            detail = (
                f"boto3 loads the S3 Access Grants plugin; needs {needs}. {services.S3AG_FALLBACK}"
                if plugin_loaded
                else "boto3 does not load the S3 Access Grants plugin."
            )
        elif integration is not None:
            # Read from the space: ready on the domain's instance, not when off or elsewhere,
            # unknown when it could not be read.
            state = integration["state"]
            ready = (
                True
                if state == "ready"
                else False
                if state in integration_states.NOT_SERVING
                else None
            )
            detail = f"Read from the space; needs {needs}."
        else:
            ready, detail = None, f"Not checked from the space; needs {needs}."
        result.append(
            {
                "id": service_id,
                "name": name,
                "ready": ready,
                "detail": detail,
                "integration": integration,
                "grants": grants,
            }
        )
    return result


def _summary(
    f: Facts,
    verdict: Verdict,
    cause: Check | None,
    user: Mapping[str, Any],
) -> str:
    who = first_of(user, names.SUMMARY)
    scope = "this kernel" if f.scope.is_kernel else "the server"
    if verdict == PROPAGATED:
        who = who or "the session's user"
        return f"Identity of {who} is propagated to connected AWS services."
    if verdict == NO_CREDENTIALS:
        return f"No AWS credentials resolve for {scope}."
    if verdict == INVALID_CREDENTIALS:
        return f"AWS rejects the credentials of {scope}: they are expired or invalid."
    if verdict == OUTSIDE_STUDIO:
        arn = _value(f.caller).get("Arn")
        shown = f" ({arn})" if arn else ""
        return f"Not running in SageMaker Studio: only the caller identity{shown} can be shown."
    reason = cause.detail if cause is not None else "some checks could not be evaluated."
    if verdict == NOT_PROPAGATED:
        return f"The identity is not propagated: {reason}"
    return f"Propagation could not be established: {reason}"


def _check_json(check: Check) -> ReportCheck:
    data = check.to_json()
    data["evidence"] = TIER.get(check.id)
    return data


def build_report(
    f: Facts,
    checks: Sequence[Check],
    verdict: Verdict,
    cause_id: str | None,
    config: EngineConfig,
    *,
    complete: bool,
    duration: float,
    shared: SharedParts | None = None,
) -> Report:
    """The report; `shared` makes each part equal to the previous report's that part itself
    (sharing.py)."""
    share = shared.share if shared is not None else _own
    user = _user(f, checks)
    cause = next((c for c in checks if c.id == cause_id), None)
    return {
        "schema_version": SCHEMA_VERSION,
        "generated_at": iso(f.now),
        "scope": _scope(f),
        "verdict": verdict,
        "summary": _summary(f, verdict, cause, user),
        # The check that explains the verdict (the banner shows its detail and remediation).
        "cause": cause_id,
        "user": share("user", user),
        "role": share("role", _role(f)),
        "credentials": share("credentials", _credentials(f)),
        "studio": share("studio", _studio(f, config)),
        "verification": share("verification", f.verification.to_json()),
        "evidence": share("evidence", evidence_json(f, checks)),
        "checks": share("checks", [share(("check", c.id), _check_json(c)) for c in checks]),
        "connected_services": share(
            "connected_services",
            [share(("service", s["id"]), s) for s in _services(f, verdict)],
        ),
        "budget": share("budget", _budget(f, config)),
        "complete": complete,
        "duration_ms": round(duration * 1000, 1),
    }


def _own(part: Any, value: Any) -> Any:
    return value


def _budget(f: Facts, config: EngineConfig) -> ReportBudget:
    """How this report was asked of AWS: an explicit check done or rate limited, the actions AWS
    throttles, and how long Studio's facts are kept (see budget.py)."""
    explicit = f.explicit_check.to_json() if f.explicit_check is not None else None
    return {
        "explicit_check": explicit["explicit_check"] if explicit else None,
        "retry_after_seconds": explicit["retry_after_seconds"] if explicit else None,
        "throttled": list(f.throttled),
        "facts_kept": "app_lifetime" if config.cache_ttl <= 0 else "cache_ttl",
    }

"""Connected AWS services that authorize per Identity Center user, and what can be checked of
their readiness from inside the space."""

from __future__ import annotations

import importlib.util
from collections.abc import Mapping
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from .integration_states import allow, domain_unknown, integration, service_read, unreadable
from .outcome import Failure, Outcome
from .report_types import AccessGrant, ServiceGrants, ServiceIntegration

PLUGINS_VARIABLE = "BOTOCORE_EXPERIMENTAL__PLUGINS"
S3AG_PLUGIN_NAME = "S3AccessGrantsPlugin"
S3AG_MODULE = "aws_s3_access_grants_boto3_plugin.s3_access_grants_plugin"
S3AG_SETTING = f"{PLUGINS_VARIABLE}={S3AG_PLUGIN_NAME}={S3AG_MODULE}"

# id, name, what the service side needs (not checkable from the space).
CONNECTED_SERVICES: tuple[tuple[str, str, str], ...] = (
    (
        "s3-access-grants",
        "Amazon S3 Access Grants",
        "grants for the user's Identity Center identity; the execution role needs "
        "s3:GetDataAccess and s3:GetAccessGrantsInstanceForPrefix",
    ),
    ("athena", "Amazon Athena", "a workgroup with IAM Identity Center enabled"),
    ("emr-ec2", "Amazon EMR on EC2", "a cluster with an Identity Center security configuration"),
    ("emr-serverless", "EMR Serverless", "an application with trusted identity propagation"),
    ("lake-formation", "AWS Lake Formation", "permissions granted to Identity Center users"),
    (
        "redshift-data",
        "Amazon Redshift Data API",
        "an Identity Center application on the cluster or workgroup",
    ),
    ("glue", "AWS Glue connections", "connections with identity propagation"),
)


# botocore reads BOTOCORE_EXPERIMENTAL__PLUGINS in this module; older botocore (before 1.40, as in
# SageMaker Distribution 3.x) has none and ignores the variable without a word.
CLIENT_PLUGINS_MODULE = "botocore.plugin"


@dataclass(frozen=True)
class S3AccessGrants:
    configured: bool  # the plugin is listed in BOTOCORE_EXPERIMENTAL__PLUGINS
    module: str | None
    importable: bool | None  # None when not configured
    # Whether the installed botocore loads client plugins at all.
    botocore_loads_plugins: bool = True


def _plugins(environ: Mapping[str, str]) -> dict[str, str]:
    raw = environ.get(PLUGINS_VARIABLE) or ""
    if raw == "DISABLED":
        return {}
    plugins = {}
    for item in raw.split(","):
        name, sep, module = item.partition("=")
        if sep and name.strip() and module.strip():
            plugins[name.strip()] = module.strip()
    return plugins


@lru_cache(maxsize=16)
def _importable(module: str) -> bool:
    try:
        return importlib.util.find_spec(module) is not None
    except (ImportError, ValueError):
        return False


def s3_access_grants(environ: Mapping[str, str]) -> S3AccessGrants:
    """botocore loads the plugin only when listed and importable; a missing module is skipped
    silently, so boto3 then bypasses S3 Access Grants without any error."""
    module = _plugins(environ).get(S3AG_PLUGIN_NAME)
    if module is None:
        return S3AccessGrants(False, None, None)
    return S3AccessGrants(True, module, _importable(module), _importable(CLIENT_PLUGINS_MODULE))


def plugin_loaded(s3ag: S3AccessGrants | None) -> bool:
    """Whether boto3 in this environment really runs the S3 Access Grants plugin."""
    return bool(s3ag and s3ag.configured and s3ag.importable and s3ag.botocore_loads_plugins)


# The plugin, loaded through BOTOCORE_EXPERIMENTAL__PLUGINS, registers itself with
# fallback_enabled=True (its initialize_client_plugin): whenever S3 Access Grants vends no
# credentials (no grant, a denied call, no instance), it signs with the client's own credentials,
# the execution role's, without a word. Said wherever a working S3 call could be read as the
# user's access.
S3AG_FALLBACK = (
    "Where S3 Access Grants gives no credentials, the S3 Access Grants plugin that boto3 loads "
    "here falls back silently to the execution role's own IAM permissions (fallback_enabled): an "
    "S3 call that works is no proof of access as you."
)


# ---- S3 Access Grants read from the space: the instance and the caller's grants ----------------
# What the answers of access_grants.py mean, in the report's words (the panel prints them).

S3AG_DOC_IDENTITY_CENTER = (
    "https://docs.aws.amazon.com/AmazonS3/latest/userguide/access-grants-instance-idc.html"
)
S3AG_DOC_GRANTS = (
    "https://docs.aws.amazon.com/AmazonS3/latest/userguide/access-grants-list-grants.html"
)
# What GetAccessGrantsInstance (and every Access Grants operation) answers, with HTTP 404, in an
# account and Region without an instance.
S3AG_NO_INSTANCE_CODES = frozenset({"AccessGrantsInstanceNotExistsError"})
S3AG = "S3 Access Grants"


def _integration(
    state: str,
    title: str,
    detail: str,
    remediation: str | None = None,
    failure: Failure | None = None,
    instance: Mapping[str, Any] | None = None,
    expected: str | None = None,
) -> ServiceIntegration:
    """S3 Access Grants' integration: the instance read names the resource and its center."""
    value = instance or {}
    return integration(
        state,
        title,
        detail,
        remediation,
        doc_url=S3AG_DOC_IDENTITY_CENTER,
        failure=failure,
        instance_arn=value.get("AccessGrantsInstanceArn"),
        center=identity_center_of(value),
        expected=expected,
    )


def identity_center_of(instance: Mapping[str, Any]) -> str | None:
    """The IAM Identity Center instance an Access Grants instance is associated with
    (`IdentityCenterArn` is the older, deprecated name of `IdentityCenterInstanceArn`)."""
    return instance.get("IdentityCenterInstanceArn") or instance.get("IdentityCenterArn") or None


def no_instance(failure: Failure | None) -> bool:
    return failure is not None and failure.code in S3AG_NO_INSTANCE_CODES


def s3ag_integration(
    instance: Outcome[dict[str, Any]] | None,
    expected: str | None,
    expected_failure: Failure | None,
) -> ServiceIntegration | None:
    """Whether S3 Access Grants is on IAM Identity Center, and on the domain's instance.

    instance: GetAccessGrantsInstance's answer (None: not read, outside Studio);
    expected: the domain's Identity Center instance (its application's InstanceArn);
    expected_failure: why the domain's instance is not known, when a read failed."""
    if instance is None:
        return None
    if not instance.ok:
        failure = instance.failure
        if no_instance(failure):
            return _integration(
                "not_configured",
                "No S3 Access Grants instance",
                "The account has no S3 Access Grants instance in this Region, so no grant can "
                "apply to the user.",
                "An administrator creates an S3 Access Grants instance in the domain's account "
                "and Region and associates it with the domain's IAM Identity Center instance.",
                expected=expected,
            )
        return unreadable(S3AG, failure, S3AG_DOC_IDENTITY_CENTER, expected)  # type: ignore[arg-type]
    value = instance.value or {}
    center = identity_center_of(value)
    if not center:
        return _integration(
            "not_configured",
            "S3 Access Grants is not on IAM Identity Center",
            "The account's S3 Access Grants instance is not associated with an IAM Identity "
            "Center instance: its grants can name IAM principals only, never the user.",
            "An administrator associates the S3 Access Grants instance with the domain's IAM "
            "Identity Center instance (AssociateAccessGrantsIdentityCenter).",
            instance=value,
            expected=expected,
        )
    if not expected:
        return domain_unknown(
            S3AG,
            center,
            expected_failure,
            S3AG_DOC_IDENTITY_CENTER,
            instance_arn=value.get("AccessGrantsInstanceArn"),
        )
    if center != expected:
        return _integration(
            "other_instance",
            "S3 Access Grants uses another IAM Identity Center instance",
            f"S3 Access Grants is associated with {center}, the domain with {expected}: grants "
            "name users of the other instance, so none applies to the propagated user.",
            "An administrator associates the S3 Access Grants instance with the domain's IAM "
            "Identity Center instance (disassociate the other one first).",
            instance=value,
            expected=expected,
        )
    return _integration(
        "ready",
        "S3 Access Grants uses the domain's IAM Identity Center instance",
        "Grants to the user and the user's groups apply to this space's session.",
        instance=value,
        expected=expected,
    )


def s3ag_grants(
    grants: Outcome[dict[str, Any]] | None,
    instance: Outcome[dict[str, Any]] | None,
    mine: bool,
    fallback: bool = False,
) -> ServiceGrants | None:
    """The grants that apply to the caller, in the order S3 Access Grants lists them (its
    answer carries no creation time); None when there is nothing to list (no instance).

    mine: the session carries the user's identity (verdict propagated), so the grants are the
    user's; otherwise they are those of the execution role's session."""
    if grants is None or (instance is not None and no_instance(instance.failure)):
        return None
    if not grants.ok:
        failure = grants.failure
        if no_instance(failure):
            return None
        return _grants(
            "unknown",
            [],
            None,
            "Your grants could not be listed",
            failure.describe(),  # type: ignore[union-attr]
            allow(
                failure,
                "list them",
                "Nothing to do: they are listed again at the next explicit check.",
            ),
            failure=failure,
        )
    value = grants.value or {}
    listed = list(value.get("grants") or [])
    truncated = bool(value.get("truncated"))
    whose = "you" if mine else "this session's IAM role (no propagated identity)"
    if not listed:
        return _grants(
            "none",
            [],
            0,
            "No grant applies to you" if mine else "No grant applies to this session",
            f"S3 Access Grants lists no grant that applies to {whose}."
            + (f" {S3AG_FALLBACK}" if fallback else ""),
            "An administrator creates an access grant for your IAM Identity Center user, or a "
            "group of it, on a registered location (CreateAccessGrant).",
        )
    count = len(listed)
    grants_word = "grant applies" if count == 1 and not truncated else "grants apply"
    return _grants(
        "listed",
        listed,
        count,
        f"{count}{'+' if truncated else ''} {grants_word} to "
        + ("you" if mine else "this session"),
        "S3 Access Grants lists "
        + (
            f"1 grant that applies to {whose}"
            if count == 1
            else f"{count} grants that apply to {whose}"
        )
        + (", and more that were not read." if truncated else "."),
        None,
        truncated=truncated,
    )


def _grants(
    state: str,
    listed: list[AccessGrant],
    count: int | None,
    title: str,
    detail: str,
    remediation: str | None,
    *,
    truncated: bool = False,
    failure: Failure | None = None,
) -> ServiceGrants:
    """The report's grants object (the grants' counterpart of integration_states.integration)."""
    return {
        "state": state,  # type: ignore[typeddict-item]
        "grants": listed,
        "count": count,
        "truncated": truncated,
        **service_read(title, detail, remediation, S3AG_DOC_GRANTS, failure),
    }

"""What a connected service's IAM Identity Center integration, as the space reads it, means: its
state (ready, not_configured, other_instance, unknown) and the report's words for it (the panel
prints them). One builder for every service, S3 Access Grants included (services.py); the reads
are access_grants.py's and integrations.py's.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from . import integrations
from . import outcome as kinds
from .outcome import Failure, Outcome
from .report_types import IntegrationResource, ServiceIntegration, ServiceRead

# Integration states in which a service cannot serve the propagated user.
NOT_SERVING = frozenset({"not_configured", "other_instance"})
# A listing's resources the report names (those on the domain's instance first): Redshift may
# list 500 applications, and every report of every poll would carry them.
REPORTED_RESOURCES = 20


def integration(
    state: str,
    title: str,
    detail: str,
    remediation: str | None = None,
    *,
    doc_url: str,
    failure: Failure | None = None,
    instance_arn: str | None = None,
    center: str | None = None,
    expected: str | None = None,
    application_arn: str | None = None,
    resources: Sequence[IntegrationResource] = (),
    truncated: bool = False,
) -> ServiceIntegration:
    """The report's integration object; `center`: the Identity Center instance the service is on,
    `expected`: the domain's."""
    return {
        "state": state,  # type: ignore[typeddict-item]
        **service_read(title, detail, remediation, doc_url, failure),
        "instance_arn": instance_arn,
        "identity_center_instance_arn": center,
        "expected_identity_center_instance_arn": expected,
        "application_arn": application_arn,
        "resources": list(resources),
        "truncated": truncated,
    }


def service_read(
    title: str, detail: str, remediation: str | None, doc_url: str, failure: Failure | None
) -> ServiceRead:
    """What a read of a service says (its integration, S3 Access Grants' grants): the words, and
    the IAM action and error code of the failure that left it unknown."""
    return {
        "title": title,
        "detail": detail,
        "remediation": remediation,
        "doc_url": doc_url,
        "iam_action": failure.action if failure is not None else None,
        "error_code": failure.code if failure is not None else None,
    }


def allow(failure: Failure | None, purpose: str, otherwise: str | None) -> str | None:
    """The remediation of a failed read: the IAM action to allow when it was denied."""
    if failure is not None and failure.kind == kinds.DENIED:
        return f"Allow {failure.action} on the execution role to {purpose}."
    return otherwise


AGAIN = "Nothing to do: it is read again at the next explicit check."


def unreadable(service: str, failure: Failure, doc_url: str, expected: str | None, **found: Any):
    """`service`'s integration could not be read: unknown, naming the IAM action."""
    return integration(
        "unknown",
        f"{service} could not be read",
        f"{failure.describe()} It cannot be told whether {service} uses the domain's IAM "
        "Identity Center instance; the verdict does not depend on it.",
        allow(failure, "see it", AGAIN),
        doc_url=doc_url,
        failure=failure,
        expected=expected,
        **found,
    )


def domain_unknown(
    service: str, center: str, expected_failure: Failure | None, doc_url: str, **found: Any
):
    """`service` is on `center`, but the domain's own instance is not known."""
    because = f" {expected_failure.describe()}" if expected_failure is not None else ""
    return integration(
        "unknown",
        f"{service} is on IAM Identity Center",
        f"{service} uses {center}, but the domain's IAM Identity Center instance is not known, "
        f"so it cannot be told whether they are the same.{because}",
        allow(expected_failure, "compare them", None),
        doc_url=doc_url,
        failure=expected_failure,
        center=center,
        **found,
    )


# ---- the other TIP-aware services --------------------------------------------------------------


@dataclass(frozen=True)
class Words:
    """One service's words; `things` names a listing's resources (None: one configuration)."""

    service: str
    doc_url: str
    none_title: str
    none_detail: str
    none_remediation: str
    other_remediation: str
    ready_detail: str
    things: str | None = None
    # Error codes that mean "no configuration" rather than a failed read.
    not_found_codes: frozenset[str] = frozenset()


WORDS: dict[str, Words] = {
    "athena": Words(
        service="Athena",
        things="workgroups",
        doc_url="https://docs.aws.amazon.com/athena/latest/ug/workgroups-identity-center.html",
        none_title="No Athena workgroup uses IAM Identity Center",
        none_detail="None of the Athena workgroups read in this Region enables IAM Identity "
        "Center, so no Athena query runs with the user's identity.",
        none_remediation="An administrator creates an Athena workgroup with IAM Identity Center "
        "enabled on the domain's instance and assigns the user, or a group of the user, to it.",
        other_remediation="An administrator creates an Athena workgroup with IAM Identity Center "
        "enabled on the domain's instance.",
        ready_detail="Queries in {names} run with the user's identity, for users assigned to "
        "the workgroup.",
    ),
    "lake-formation": Words(
        service="Lake Formation",
        doc_url="https://docs.aws.amazon.com/lake-formation/latest/dg/connect-lf-identity-center.html",
        none_title="Lake Formation is not connected to IAM Identity Center",
        none_detail="The Data Catalog has no IAM Identity Center configuration: Lake Formation "
        "permissions cannot name the user or the user's groups.",
        none_remediation="An administrator connects Lake Formation with the domain's IAM "
        "Identity Center instance (CreateLakeFormationIdentityCenterConfiguration).",
        other_remediation="An administrator connects Lake Formation with the domain's IAM "
        "Identity Center instance: a configuration's instance cannot be changed, so it is "
        "deleted and created again.",
        ready_detail="Lake Formation permissions granted to the user and the user's groups "
        "apply to this space's session.",
        not_found_codes=frozenset({"EntityNotFoundException"}),
    ),
    "redshift-data": Words(
        service="Redshift",
        things="IAM Identity Center applications",
        doc_url="https://docs.aws.amazon.com/redshift/latest/mgmt/"
        "redshift-iam-access-control-idp-connect.html",
        none_title="No Redshift IAM Identity Center application",
        none_detail="The account has no Amazon Redshift IAM Identity Center application in this "
        "Region, so no cluster or workgroup can authenticate the user.",
        none_remediation="An administrator creates a Redshift IAM Identity Center application "
        "on the domain's instance (CreateRedshiftIdcApplication) and enables it on the cluster "
        "or workgroup.",
        other_remediation="An administrator creates a Redshift IAM Identity Center application "
        "on the domain's instance and enables it on the cluster or workgroup.",
        ready_detail="Clusters and workgroups that use {names} authenticate the user with the "
        "propagated identity.",
        not_found_codes=frozenset({"RedshiftIdcApplicationNotExists"}),
    ),
    "glue": Words(
        service="AWS Glue",
        doc_url="https://docs.aws.amazon.com/glue/latest/dg/"
        "security-trusted-identity-propagation-getting-started.html",
        none_title="AWS Glue is not connected to IAM Identity Center",
        none_detail="Glue has no IAM Identity Center configuration: its interactive sessions "
        "cannot carry the user's identity.",
        none_remediation="An administrator connects Glue with the domain's IAM Identity Center "
        "instance (CreateGlueIdentityCenterConfiguration).",
        other_remediation="An administrator connects Glue with the domain's IAM Identity Center "
        "instance (DeleteGlueIdentityCenterConfiguration, then "
        "CreateGlueIdentityCenterConfiguration).",
        ready_detail="Glue interactive sessions carry the user's identity to the services "
        "they reach.",
        not_found_codes=frozenset({"EntityNotFoundException"}),
    ),
    "emr-ec2": Words(
        service="EMR",
        things="security configurations",
        doc_url="https://docs.aws.amazon.com/emr/latest/ManagementGuide/emr-idc-start.html",
        none_title="No EMR security configuration enables IAM Identity Center",
        none_detail="None of the EMR security configurations read in this Region enables IAM "
        "Identity Center, so no cluster launched with them carries the user's identity.",
        none_remediation="An administrator creates a security configuration with IAM Identity "
        "Center enabled on the domain's instance and launches clusters with it.",
        other_remediation="An administrator creates a security configuration with IAM Identity "
        "Center enabled on the domain's instance and launches clusters with it.",
        ready_detail="Clusters launched with {names} carry the user's identity.",
    ),
}


def _names(resources: Sequence[Mapping[str, Any]], most: int = 5) -> str:
    """The first `most` names, and how many more."""
    names = [str(r.get("name") or "") for r in resources]
    more = f" and {len(names) - most} more" if len(names) > most else ""
    return ", ".join(names[:most]) + more


def _cut(truncated: bool) -> str:
    return " More were listed than read." if truncated else ""


def service_integration(
    service_id: str,
    read: Outcome[dict[str, Any]] | None,
    expected: str | None,
    expected_failure: Failure | None,
) -> ServiceIntegration | None:
    """The integration of `service_id` (a key of WORDS) from its read (integrations.py; None:
    not read, outside Studio), compared with the domain's instance `expected` (None: not known,
    `expected_failure` says why when a read failed)."""
    if read is None:
        return None
    words = WORDS[service_id]
    if not read.ok:
        failure = read.failure
        assert failure is not None
        if failure.code in words.not_found_codes:
            return _none(words, expected)
        return unreadable(words.service, failure, words.doc_url, expected)
    value = read.value or {}
    if words.things is None:
        return _configuration(words, value, expected, expected_failure)
    return _listing(words, value, expected, expected_failure)


def _none(words: Words, expected: str | None, truncated: bool = False) -> ServiceIntegration:
    return integration(
        "not_configured",
        words.none_title,
        words.none_detail + _cut(truncated),
        words.none_remediation,
        doc_url=words.doc_url,
        expected=expected,
        truncated=truncated,
    )


def _configuration(
    words: Words, value: Mapping[str, Any], expected: str | None, expected_failure: Failure | None
) -> ServiceIntegration:
    """Lake Formation's or Glue's one configuration: InstanceArn, ApplicationArn."""
    center, application = value.get("InstanceArn") or None, value.get("ApplicationArn") or None
    if not center:
        return _none(words, expected)
    if not expected:
        return domain_unknown(
            words.service, center, expected_failure, words.doc_url, application_arn=application
        )
    found = {"center": center, "expected": expected, "application_arn": application}
    if center != expected:
        return integration(
            "other_instance",
            f"{words.service} uses another IAM Identity Center instance",
            f"{words.service} is connected with {center}, the domain with {expected}: its "
            "permissions name users of the other instance, never the propagated user.",
            words.other_remediation,
            doc_url=words.doc_url,
            **found,
        )
    return integration(
        "ready",
        f"{words.service} uses the domain's IAM Identity Center instance",
        words.ready_detail,
        doc_url=words.doc_url,
        **found,
    )


def _listing(
    words: Words, value: Mapping[str, Any], expected: str | None, expected_failure: Failure | None
) -> ServiceIntegration:
    """Athena's workgroups, Redshift's applications, EMR's security configurations: the
    Identity Center-enabled ones, those on the domain's instance first."""
    listed = list(value.get("resources") or [])
    truncated = bool(value.get("truncated"))
    unread = integrations.partial_failure(Outcome.of(value))
    if not listed:
        if unread is not None:
            return unreadable(words.service, unread, words.doc_url, expected, truncated=truncated)
        return _none(words, expected, truncated)
    if not expected:
        first = listed[0]
        return domain_unknown(
            words.service,
            first.get("identity_center_instance_arn") or "an unnamed instance",
            expected_failure,
            words.doc_url,
            application_arn=first.get("application_arn"),
            truncated=truncated,
        )
    mine = [r for r in listed if r.get("identity_center_instance_arn") == expected]
    others = [r for r in listed if r.get("identity_center_instance_arn") != expected]
    resources: list[IntegrationResource] = [
        {
            "kind": r["kind"],
            "name": r["name"],
            "identity_center_instance_arn": r.get("identity_center_instance_arn"),
            "state": "ready"
            if r.get("identity_center_instance_arn") == expected
            else "other_instance",
        }
        for r in (mine + others)[:REPORTED_RESOURCES]
    ]
    truncated = truncated or len(listed) > REPORTED_RESOURCES
    shown = (mine or others)[0]
    found = {
        "center": shown.get("identity_center_instance_arn"),
        "expected": expected,
        "application_arn": shown.get("application_arn"),
        "resources": resources,
        "truncated": truncated,
    }
    if mine:
        return integration(
            "ready",
            f"{words.service} has {words.things} on the domain's IAM Identity Center instance",
            words.ready_detail.format(names=_names(mine)) + _cut(truncated),
            doc_url=words.doc_url,
            **found,
        )
    centers = sorted(
        {str(r.get("identity_center_instance_arn") or "no named instance") for r in others}
    )
    if unread is not None:
        return integration(
            "unknown",
            f"Not all {words.service} {words.things} could be read",
            f"{unread.describe()} Those read ({_names(others)}) are on {', '.join(centers)}, "
            f"not the domain's {expected}.",
            allow(unread, "see them all", AGAIN),
            doc_url=words.doc_url,
            failure=unread,
            **found,
        )
    return integration(
        "other_instance",
        f"{words.service}'s {words.things} use another IAM Identity Center instance",
        f"{_names(others)} {'is' if len(others) == 1 else 'are'} on {', '.join(centers)}, the "
        f"domain on {expected}: they cannot serve the propagated user." + _cut(truncated),
        words.other_remediation,
        doc_url=words.doc_url,
        **found,
    )

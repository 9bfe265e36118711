"""The IAM Identity Center integration of the other TIP-aware services, as the space's session
reads it in the domain's account and region: Athena's workgroups, Lake Formation's and Glue's
Identity Center configurations, Redshift's Identity Center applications and EMR's security
configurations. Read-only; every listing is paged with a hard cap. What the answers mean, and
the words for it, are integration_states.py's.

Athena and EMR are read in two steps, each its own cached fact (so a deadline names the step
that did not finish): the names listed ({"names": [...], "truncated": bool}), then each one
described. A listing's answer is {"resources": [found], "truncated": bool, "failure": Failure |
None}: the Identity Center-enabled resources (the others are not kept), whether more were listed
than read, and why some could not be described (the first failure; the others were read). A
found resource is {"kind", "name", "identity_center_instance_arn", "application_arn"}.
"""

from __future__ import annotations

import asyncio
import json
from collections.abc import Awaitable, Callable
from typing import Any

from . import outcome as kinds
from .arns import instance_of_application
from .aws import AwsAccess
from .credentials import ResolvedCredentials
from .outcome import Failure, Outcome
from .paging import each_page

# The IAM actions, one per operation.
LIST_WORKGROUPS = "athena:ListWorkGroups"
GET_WORKGROUP = "athena:GetWorkGroup"
DESCRIBE_LAKE_FORMATION = "lakeformation:DescribeLakeFormationIdentityCenterConfiguration"
DESCRIBE_REDSHIFT_APPLICATIONS = "redshift:DescribeRedshiftIdcApplications"
GET_GLUE_CONFIGURATION = "glue:GetGlueIdentityCenterConfiguration"
LIST_SECURITY_CONFIGURATIONS = "elasticmapreduce:ListSecurityConfigurations"
DESCRIBE_SECURITY_CONFIGURATION = "elasticmapreduce:DescribeSecurityConfiguration"

# Hard caps: an account may hold hundreds of workgroups or security configurations, and each one
# described is one more call of every space at every app start.
MAX_LISTED = 50  # workgroups / security configurations listed
MAX_DESCRIBED = 20  # of those, described (GetWorkGroup / DescribeSecurityConfiguration)
ATHENA_PAGE_SIZE = 50  # ListWorkGroups' own maximum
REDSHIFT_PAGE_SIZE = 100  # DescribeRedshiftIdcApplications' MaxRecords (its maximum)
REDSHIFT_MAX_PAGES = 5
# Describes at once: the engine's thread pool (8 workers) serves the other strands too.
PARALLEL_DESCRIBES = 4

# Resource kinds (report_types.ResourceKind).
WORKGROUP = "workgroup"
IDC_APPLICATION = "idc_application"
SECURITY_CONFIGURATION = "security_configuration"

Answer = Outcome[dict[str, Any]]


def found(kind: str, name: str, center: Any, application: Any = None) -> dict[str, Any]:
    return {
        "kind": kind,
        "name": name,
        "identity_center_instance_arn": center or None,
        "application_arn": application or None,
    }


def listing(resources: list[dict[str, Any]], truncated: bool, failure: Failure | None = None):
    return Outcome.of({"resources": resources, "truncated": truncated, "failure": failure})


def partial_failure(answer: Any) -> Failure | None:
    """Why some resources of a listing could not be described (None: all were, or not a listing):
    the cache keeps such an answer as briefly as a failure."""
    if isinstance(answer, Outcome) and answer.ok and isinstance(answer.value, dict):
        failure = answer.value.get("failure")
        return failure if isinstance(failure, Failure) else None
    return None


async def _described(
    names: list[str], describe: Callable[[str], Awaitable[Answer]]
) -> list[tuple[str, Answer]]:
    """`describe(name)` of each name, a few at once, in the order of `names`."""
    gate = asyncio.Semaphore(PARALLEL_DESCRIBES)

    async def one(name: str) -> tuple[str, Answer]:
        async with gate:
            return name, await describe(name)

    return list(await asyncio.gather(*(one(name) for name in names)))


async def _enabled_resources(
    listed: dict[str, Any],
    describe: Callable[[str], Awaitable[Answer]],
    resource: Callable[[str, dict[str, Any]], dict[str, Any] | None],
    action: str,
) -> Answer:
    """`describe` each name listed (at most MAX_DESCRIBED, a few at once) and keep the
    resources `resource` finds Identity Center-enabled (None: not enabled; ValueError or
    TypeError: an answer unlike the API's documentation). A describe that fails is remembered as
    the listing's partial failure; the others still count."""
    names = list(listed.get("names") or [])
    truncated = bool(listed.get("truncated")) or len(names) > MAX_DESCRIBED
    resources: list[dict[str, Any]] = []
    failure: Failure | None = None
    for name, answer in await _described(names[:MAX_DESCRIBED], describe):
        if not answer.ok:
            failure = failure or answer.failure
            continue
        try:
            item = resource(name, answer.value or {})
        except (ValueError, TypeError) as error:
            failure = failure or Failure(kinds.MALFORMED, action, None, str(error))
            continue
        if item is not None:
            resources.append(item)
    return listing(resources, truncated, failure)


# ---- Athena: workgroups with IAM Identity Center enabled ------------------------------------------


async def athena_workgroups(aws: AwsAccess, creds: ResolvedCredentials, region: str) -> Answer:
    """ListWorkGroups (paged, at most MAX_LISTED workgroups): the ENABLED workgroups with IAM
    Identity Center. Its summaries name a workgroup's Identity Center application, and an
    application's ARN names its instance, so GetWorkGroup is asked only of a workgroup whose
    application ARN does not (`names`): a fleet of spaces does not describe every workgroup of
    the account at each app start. A workgroup without an application has no Identity Center."""
    names: list[str] = []
    resources: list[dict[str, Any]] = []
    seen = 0

    def take(value: dict[str, Any]) -> None:
        nonlocal seen
        for group in value.get("WorkGroups") or []:
            seen += 1
            name, application = group.get("Name"), group.get("IdentityCenterApplicationArn")
            if not name or not application or group.get("State", "ENABLED") != "ENABLED":
                continue
            instance = instance_of_application(application)
            if instance:
                resources.append(found(WORKGROUP, name, instance, application))
            else:
                names.append(name)

    more = await each_page(
        lambda paging: aws.call(
            creds,
            region,
            "athena",
            "list_work_groups",
            LIST_WORKGROUPS,
            MaxResults=min(ATHENA_PAGE_SIZE, MAX_LISTED - seen),
            **paging,
        ),
        take,
        "NextToken",
        enough=lambda: seen >= MAX_LISTED,
    )
    if not more.ok:
        return more
    return Outcome.of({"names": names, "resources": resources, "truncated": more.value})


async def athena_identity_center(
    aws: AwsAccess, creds: ResolvedCredentials, region: str, listed: dict[str, Any]
) -> Answer:
    """The Identity Center workgroups the listing found, and GetWorkGroup of those it could not
    place (at most MAX_DESCRIBED): whether their IdentityCenterConfiguration enables it, and on
    which instance. Usually no call at all."""

    async def describe(name: str) -> Answer:
        return await aws.call(
            creds,
            region,
            "athena",
            "get_work_group",
            GET_WORKGROUP,
            expect=("WorkGroup",),
            WorkGroup=name,
        )

    def resource(name: str, value: dict[str, Any]) -> dict[str, Any] | None:
        group = value.get("WorkGroup") or {}
        center = (group.get("Configuration") or {}).get("IdentityCenterConfiguration") or {}
        if not center.get("EnableIdentityCenter"):
            return None
        return found(
            WORKGROUP,
            name,
            center.get("IdentityCenterInstanceArn"),
            group.get("IdentityCenterApplicationArn"),
        )

    described = await _enabled_resources(listed, describe, resource, GET_WORKGROUP)
    value = described.value or {}
    return listing(
        [*(listed.get("resources") or []), *value["resources"]],
        value["truncated"],
        value["failure"],
    )


# ---- Lake Formation and Glue: one Identity Center configuration per account ----------------------


async def lake_formation_configuration(
    aws: AwsAccess, creds: ResolvedCredentials, region: str, account: str
) -> Answer:
    """The Data Catalog's Identity Center configuration: InstanceArn, ApplicationArn
    (EntityNotFoundException: none)."""
    return await aws.call(
        creds,
        region,
        "lakeformation",
        "describe_lake_formation_identity_center_configuration",
        DESCRIBE_LAKE_FORMATION,
        keep=("InstanceArn", "ApplicationArn", "CatalogId"),
        CatalogId=account,
    )


async def glue_configuration(aws: AwsAccess, creds: ResolvedCredentials, region: str) -> Answer:
    """Glue's Identity Center configuration: InstanceArn, ApplicationArn (EntityNotFoundException:
    none)."""
    return await aws.call(
        creds,
        region,
        "glue",
        "get_glue_identity_center_configuration",
        GET_GLUE_CONFIGURATION,
        keep=("InstanceArn", "ApplicationArn"),
    )


# ---- Redshift: its IAM Identity Center applications ----------------------------------------------


async def redshift_applications(aws: AwsAccess, creds: ResolvedCredentials, region: str) -> Answer:
    """DescribeRedshiftIdcApplications, paged (at most REDSHIFT_MAX_PAGES pages): every Redshift
    Identity Center application of the account, on its Identity Center instance."""
    resources: list[dict[str, Any]] = []
    more = await each_page(
        lambda paging: aws.call(
            creds,
            region,
            "redshift",
            "describe_redshift_idc_applications",
            DESCRIBE_REDSHIFT_APPLICATIONS,
            MaxRecords=REDSHIFT_PAGE_SIZE,
            **paging,
        ),
        lambda value: resources.extend(
            found(
                IDC_APPLICATION,
                app.get("RedshiftIdcApplicationName") or app.get("RedshiftIdcApplicationArn") or "",
                app.get("IdcInstanceArn"),
                app.get("IdcManagedApplicationArn"),
            )
            for app in value.get("RedshiftIdcApplications") or []
        ),
        "Marker",
        max_pages=REDSHIFT_MAX_PAGES,
    )
    if not more.ok:
        return more
    return listing(resources, bool(more.value))


# ---- EMR on EC2: security configurations that enable Identity Center -----------------------------


def emr_identity_center(document: str) -> tuple[bool, str | None]:
    """(enabled, Identity Center instance) of a security configuration's JSON document; raises
    ValueError when it is not a JSON object."""
    data = json.loads(document)
    if not isinstance(data, dict):
        raise ValueError("not a JSON object")
    authentication = data.get("AuthenticationConfiguration") or {}
    center = (
        authentication.get("IdentityCenterConfiguration")
        if isinstance(authentication, dict)
        else None
    )
    if not isinstance(center, dict):
        return False, None
    enabled = center.get("EnableIdentityCenter") in (True, "true", "TRUE", "True")
    return enabled, center.get("IdentityCenterInstanceARN") or None


async def emr_security_configurations(
    aws: AwsAccess, creds: ResolvedCredentials, region: str
) -> Answer:
    """ListSecurityConfigurations (paged, at most MAX_LISTED): their names, and when each was
    created (a security configuration cannot be changed, only deleted and created again)."""
    names: list[str] = []
    created: dict[str, str] = {}

    def take(value: dict[str, Any]) -> None:
        for configuration in value.get("SecurityConfigurations") or []:
            if configuration.get("Name"):
                names.append(configuration["Name"])
                created[configuration["Name"]] = str(configuration.get("CreationDateTime") or "")

    more = await each_page(
        lambda paging: aws.call(
            creds,
            region,
            "emr",
            "list_security_configurations",
            LIST_SECURITY_CONFIGURATIONS,
            **paging,
        ),
        take,
        "Marker",
        enough=lambda: len(names) >= MAX_LISTED,
    )
    if not more.ok:
        return more
    return Outcome.of(
        {
            "names": names[:MAX_LISTED],
            "created": created,
            "truncated": bool(more.value) or len(names) > MAX_LISTED,
        }
    )


class DescribedOnce:
    """What DescribeSecurityConfiguration said of each security configuration, by region, name
    and creation time: one that cannot change is described once per app, not at every
    explicit check (at most MAX_KEPT kept)."""

    MAX_KEPT = 256

    def __init__(self) -> None:
        self._known: dict[tuple[str, str, str], dict[str, Any] | None] = {}

    def get(self, key: tuple[str, str, str]) -> tuple[bool, dict[str, Any] | None]:
        return (key in self._known, self._known.get(key))

    def put(self, key: tuple[str, str, str], resource: dict[str, Any] | None) -> None:
        if key not in self._known and len(self._known) >= self.MAX_KEPT:
            self._known.pop(next(iter(self._known)))
        self._known[key] = resource


async def emr_identity_center_configurations(
    aws: AwsAccess,
    creds: ResolvedCredentials,
    region: str,
    listed: dict[str, Any],
    known: DescribedOnce | None = None,
) -> Answer:
    """DescribeSecurityConfiguration of each one listed (at most MAX_DESCRIBED) that `known`
    has not described yet: those whose AuthenticationConfiguration enables Identity Center."""
    created = listed.get("created") or {}
    names = list(listed.get("names") or [])[:MAX_DESCRIBED]
    truncated = bool(listed.get("truncated")) or len(listed.get("names") or []) > MAX_DESCRIBED

    def key(name: str) -> tuple[str, str, str]:
        return (region, name, created.get(name, ""))

    remembered: list[dict[str, Any]] = []
    unknown: list[str] = []
    for name in names:
        seen, resource = known.get(key(name)) if known is not None else (False, None)
        if not seen:
            unknown.append(name)
        elif resource is not None:
            remembered.append(resource)

    async def describe(name: str) -> Answer:
        return await aws.call(
            creds,
            region,
            "emr",
            "describe_security_configuration",
            DESCRIBE_SECURITY_CONFIGURATION,
            expect=("SecurityConfiguration",),
            Name=name,
        )

    def resource(name: str, value: dict[str, Any]) -> dict[str, Any] | None:
        try:
            enabled, center = emr_identity_center(value["SecurityConfiguration"])
        except (ValueError, TypeError) as error:
            raise ValueError(f"the security configuration {name} is not a JSON object") from error
        item = found(SECURITY_CONFIGURATION, name, center) if enabled else None
        if known is not None:
            known.put(key(name), item)
        return item

    described = await _enabled_resources(
        {"names": unknown}, describe, resource, DESCRIBE_SECURITY_CONFIGURATION
    )
    value = described.value or {}
    order = {name: i for i, name in enumerate(names)}
    resources = sorted([*remembered, *value["resources"]], key=lambda r: order[r["name"]])
    return listing(resources, truncated, value["failure"])

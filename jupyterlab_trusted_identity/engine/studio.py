"""Studio facts from SageMaker and IAM Identity Center: domain, space, profile, app, identity store,
and the space owner's user. Each function is one cached AWS call (or a short chain)."""

from __future__ import annotations

from typing import Any

from . import outcome as kinds
from .arns import account_of, last_segment
from .aws import AwsAccess
from .cloudtrail import ACTION as LOOKUP_EVENTS
from .credentials import ResolvedCredentials
from .outcome import Failure, Outcome

# The IAM actions of the SageMaker calls (checks and reports name them).
DESCRIBE_DOMAIN, DESCRIBE_SPACE = "sagemaker:DescribeDomain", "sagemaker:DescribeSpace"
DESCRIBE_USER_PROFILE, DESCRIBE_APP = "sagemaker:DescribeUserProfile", "sagemaker:DescribeApp"


async def describe_domain(aws: AwsAccess, creds: ResolvedCredentials, region: str, domain_id: str):
    return await aws.call(
        creds,
        region,
        "sagemaker",
        "describe_domain",
        DESCRIBE_DOMAIN,
        expect=("DomainId",),
        DomainId=domain_id,
    )


async def describe_space(
    aws: AwsAccess, creds: ResolvedCredentials, region: str, domain_id: str, space: str
):
    return await aws.call(
        creds,
        region,
        "sagemaker",
        "describe_space",
        DESCRIBE_SPACE,
        expect=("SpaceName",),
        DomainId=domain_id,
        SpaceName=space,
    )


async def describe_user_profile(
    aws: AwsAccess, creds: ResolvedCredentials, region: str, domain_id: str, profile: str
):
    return await aws.call(
        creds,
        region,
        "sagemaker",
        "describe_user_profile",
        DESCRIBE_USER_PROFILE,
        expect=("UserProfileName",),
        DomainId=domain_id,
        UserProfileName=profile,
    )


async def describe_app(
    aws: AwsAccess,
    creds: ResolvedCredentials,
    region: str,
    domain_id: str,
    *,
    space: str | None,
    profile: str | None,
    app_type: str,
    app_name: str,
):
    owner: dict[str, str] = {"SpaceName": space} if space else {"UserProfileName": profile or ""}
    return await aws.call(
        creds,
        region,
        "sagemaker",
        "describe_app",
        DESCRIBE_APP,
        expect=("AppName",),
        DomainId=domain_id,
        AppType=app_type,
        AppName=app_name,
        **owner,
    )


DESCRIBE_APPLICATION = "sso:DescribeApplication"
DESCRIBE_INSTANCE = "sso:DescribeInstance"
LIST_INSTANCES = "sso:ListInstances"


def store_view(
    store_id: str | None,
    store_arn: str | None,
    source: str,
    path: list[str],
    instance: dict[str, Any] | None = None,
    account: str | None = None,
    instance_source: str | None = None,
) -> dict[str, Any]:
    """The report's view of an identity store, the calls that established it, and the Regions
    its IAM Identity Center instance serves (read by `instance_source`)."""
    if not store_arn and store_id and account:
        store_arn = f"arn:aws:identitystore::{account}:identitystore/{store_id}"
    return {
        "id": store_id or last_segment(store_arn) or "",
        "arn": store_arn,
        "source": source,
        "path": path,
        "instance_arn": (instance or {}).get("InstanceArn"),
        "regions": instance_regions(instance),
        "regions_source": instance_source if instance else None,
    }


def instance_regions(instance: dict[str, Any] | None) -> list[str] | None:
    """The Regions an IAM Identity Center instance serves, when its description says so."""
    if not instance:
        return None
    regions = [
        r["RegionName"]
        for r in instance.get("Regions") or []
        if r.get("RegionName") and r.get("Status", "ACTIVE") == "ACTIVE"
    ]
    if not regions and instance.get("PrimaryRegion"):
        regions = [instance["PrimaryRegion"]]
    return regions or None


async def describe_instance(
    aws: AwsAccess, creds: ResolvedCredentials, region: str, instance_arn: str
) -> Outcome[dict[str, Any]]:
    return await aws.call(
        creds,
        region,
        "sso-admin",
        "describe_instance",
        DESCRIBE_INSTANCE,
        expect=("InstanceArn",),
        InstanceArn=instance_arn,
    )


async def describe_application(
    aws: AwsAccess, creds: ResolvedCredentials, region: str, application_arn: str
) -> Outcome[dict[str, Any]]:
    return await aws.call(
        creds,
        region,
        "sso-admin",
        "describe_application",
        DESCRIBE_APPLICATION,
        expect=("ApplicationArn",),
        ApplicationArn=application_arn,
    )


def store_of_application(
    application_arn: str,
    described: Outcome[dict[str, Any]],
    instance: Outcome[dict[str, Any]] | None,
) -> Outcome[dict[str, Any]]:
    """The identity store behind the domain's IAM Identity Center application:
    DescribeApplication's IdentityStoreArn, else its InstanceArn → DescribeInstance's
    IdentityStoreId. `instance` (None: not read yet) adds the Regions the instance serves; it
    is needed only when the application names no identity store."""
    if not described.ok:
        return Outcome.failed(described.failure)  # type: ignore[arg-type]
    application = described.value or {}
    store_arn, instance_arn = application.get("IdentityStoreArn"), application.get("InstanceArn")
    path = [DESCRIBE_DOMAIN, DESCRIBE_APPLICATION]
    if store_arn:
        described_instance = instance.value if instance is not None and instance.ok else None
        return Outcome.of(
            store_view(
                None,
                store_arn,
                DESCRIBE_APPLICATION,
                path,
                described_instance,
                instance_source=DESCRIBE_INSTANCE,
            )
        )
    if not instance_arn:
        return Outcome.failed(
            Failure(
                kinds.ERROR,
                DESCRIBE_APPLICATION,
                None,
                "the application names neither an identity store nor an instance",
            )
        )
    if instance is None:
        raise ValueError("the application names no identity store: its instance is needed")
    if not instance.ok:
        return Outcome.failed(instance.failure)  # type: ignore[arg-type]
    value = instance.value or {}
    if not value.get("IdentityStoreId"):
        return Outcome.failed(
            Failure(kinds.ERROR, DESCRIBE_INSTANCE, None, "the instance names no identity store")
        )
    return Outcome.of(
        store_view(
            value["IdentityStoreId"],
            value.get("IdentityStoreArn"),
            DESCRIBE_INSTANCE,
            [*path, DESCRIBE_INSTANCE],
            value,
            account=value.get("OwnerAccountId") or account_of(application_arn),
            instance_source=DESCRIBE_INSTANCE,
        )
    )


async def identity_store_of_account(
    aws: AwsAccess,
    creds: ResolvedCredentials,
    region: str,
    account: str | None,
    hint_store_arn: str | None,
) -> Outcome[dict[str, Any]]:
    """For a domain without SingleSignOnApplicationArn (created before October 2023): the
    account's IAM Identity Center instance (ListInstances), the one whose store CloudTrail names
    when there are several."""
    listed = await aws.call(
        creds, region, "sso-admin", "list_instances", LIST_INSTANCES, expect=("Instances",)
    )
    path = [DESCRIBE_DOMAIN, LIST_INSTANCES]
    if not listed.ok:
        if hint_store_arn:
            # The store this very session acts in: established by CloudTrail, not by Studio.
            return Outcome.of(store_view(None, hint_store_arn, LOOKUP_EVENTS, [LOOKUP_EVENTS]))
        return Outcome.failed(listed.failure)  # type: ignore[arg-type]
    instances = [i for i in (listed.value or {}).get("Instances") or [] if i.get("IdentityStoreId")]
    hint_id = last_segment(hint_store_arn)
    chosen = [i for i in instances if i["IdentityStoreId"] == hint_id] or instances
    if len(chosen) != 1:
        what = "no IAM Identity Center instance" if not chosen else f"{len(chosen)} instances"
        return Outcome.failed(
            Failure(kinds.ERROR, LIST_INSTANCES, None, f"the account has {what} to choose from")
        )
    instance = chosen[0]
    return Outcome.of(
        store_view(
            instance["IdentityStoreId"],
            instance.get("IdentityStoreArn"),
            LIST_INSTANCES,
            path,
            instance,
            account=instance.get("OwnerAccountId") or account,
            instance_source=LIST_INSTANCES,
        )
    )


def user_of(described: dict[str, Any], store_id: str, store_arn: str | None) -> dict[str, Any]:
    """The report's view of an identitystore:DescribeUser answer."""
    emails = described.get("Emails") or []
    primary = next((e for e in emails if e.get("Primary")), emails[0] if emails else {})
    name = described.get("Name") or {}
    display = described.get("DisplayName") or name.get("Formatted")
    if not display and (name.get("GivenName") or name.get("FamilyName")):
        display = " ".join(p for p in (name.get("GivenName"), name.get("FamilyName")) if p)
    return {
        "user_id": described.get("UserId"),
        "user_name": described.get("UserName"),
        "display_name": display or None,
        "email": primary.get("Value"),
        "identity_store_id": store_id,
        "identity_store_arn": store_arn,
    }


async def describe_user(
    aws: AwsAccess,
    creds: ResolvedCredentials,
    region: str,
    store_id: str,
    store_arn: str | None,
    user_id: str,
) -> Outcome[dict[str, Any]]:
    described = await aws.call(
        creds,
        region,
        "identitystore",
        "describe_user",
        "identitystore:DescribeUser",
        expect=("UserId",),
        IdentityStoreId=store_id,
        UserId=user_id,
    )
    if not described.ok:
        return Outcome.failed(described.failure)  # type: ignore[arg-type]
    return Outcome.of(user_of(described.value or {}, store_id, store_arn))


async def get_user_id(
    aws: AwsAccess,
    creds: ResolvedCredentials,
    region: str,
    store_id: str,
    attribute: str,
    value: str,
) -> Outcome[dict[str, Any]]:
    """GetUserId by the profile's unique attribute: `{"UserId": ...}`."""
    # The profile says `UserName`; the identity store's attribute path is `userName`.
    path = {"username": "userName", "email": "emails.value"}.get(attribute.lower(), attribute)
    return await aws.call(
        creds,
        region,
        "identitystore",
        "get_user_id",
        "identitystore:GetUserId",
        expect=("UserId",),
        IdentityStoreId=store_id,
        AlternateIdentifier={"UniqueAttribute": {"AttributePath": path, "AttributeValue": value}},
    )

"""Studio facts from SageMaker and IAM Identity Center: domain, space, profile, app, identity store,
and the space owner's user. Each function is one cached AWS call (or a short chain)."""

from __future__ import annotations

from typing import Any

from . import outcome as kinds
from .arns import last_segment
from .aws import AwsAccess
from .credentials import ResolvedCredentials
from .outcome import Failure, Outcome


async def describe_domain(aws: AwsAccess, creds: ResolvedCredentials, region: str, domain_id: str):
    return await aws.call(
        creds,
        region,
        "sagemaker",
        "describe_domain",
        "sagemaker:DescribeDomain",
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
        "sagemaker:DescribeSpace",
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
        "sagemaker:DescribeUserProfile",
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
        "sagemaker:DescribeApp",
        expect=("AppName",),
        DomainId=domain_id,
        AppType=app_type,
        AppName=app_name,
        **owner,
    )


async def identity_store_of_application(
    aws: AwsAccess, creds: ResolvedCredentials, region: str, application_arn: str
) -> Outcome[dict[str, str]]:
    """The identity store behind the domain's IAM Identity Center application."""
    described = await aws.call(
        creds,
        region,
        "sso-admin",
        "describe_application",
        "sso:DescribeApplication",
        expect=("ApplicationArn",),
        ApplicationArn=application_arn,
    )
    if not described.ok:
        return Outcome.failed(described.failure)  # type: ignore[arg-type]
    arn = (described.value or {}).get("IdentityStoreArn")
    if not arn:
        return Outcome.failed(
            Failure(
                kinds.ERROR,
                "sso:DescribeApplication",
                None,
                "the application names no identity store",
            )
        )
    return Outcome.of(
        {"id": last_segment(arn) or "", "arn": arn, "source": "sso:DescribeApplication"}
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

"""IAM Identity Center (sso-admin, signing name ``sso``) operations moto lacks.

``DescribeApplication`` answers for the domain's ``SingleSignOnApplicationArn`` exactly as
moto's DescribeDomain returns it. An IAM-mode domain has no Identity Center application
in AWS, so there the ARN moto invents is not found.
"""

from __future__ import annotations

from typing import Any

from .responses import Reply, aws_error, aws_json
from .routing import AwsRequest
from .seed import World


def describe_application(world: World, p: dict[str, Any]) -> Reply:
    arn = p.get("ApplicationArn")
    if world.scenario["domain"]["auth_mode"] != "SSO" or arn != world.sso_application_arn:
        return aws_error(
            "json", "ResourceNotFoundException", f"Application {arn} does not exist.", 400
        )
    return aws_json(
        {
            "ApplicationArn": arn,
            "ApplicationProviderArn": "arn:aws:sso::aws:applicationProvider/sagemaker",
            "Name": f"SageMakerStudio-{world.domain_id}",
            "ApplicationAccount": world.account,
            "InstanceArn": world.instance_arn,
            "IdentityStoreArn": world.identity_store_arn,
            "Status": "ENABLED",
            "PortalOptions": {"SignInOptions": {"Origin": "APPLICATION"}, "Visibility": "ENABLED"},
            "Description": f"SageMaker Studio domain {world.domain_id}",
            "CreatedDate": world.created,
        }
    )


def describe_instance(world: World, p: dict[str, Any]) -> Reply:
    if p.get("InstanceArn") != world.instance_arn:
        return aws_error(
            "json",
            "ResourceNotFoundException",
            f"Instance {p.get('InstanceArn')} does not exist.",
            400,
        )
    return aws_json(
        {
            "InstanceArn": world.instance_arn,
            "IdentityStoreId": world.identity_store_id,
            "IdentityStoreArn": world.identity_store_arn,
            "OwnerAccountId": world.account,
            "Name": "emulated-identity-center",
            "CreatedDate": world.created,
            "Status": "ACTIVE",
            "PrimaryRegion": world.region,
        }
    )


HANDLERS = {
    "sso:DescribeApplication": describe_application,
    "sso:DescribeInstance": describe_instance,
}


def handle(world: World, req: AwsRequest) -> Reply | None:
    handler = HANDLERS.get(req.operation)
    return handler(world, req.params) if handler else None

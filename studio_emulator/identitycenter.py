"""IAM Identity Center: sso-admin (signing name ``sso``) DescribeApplication, DescribeInstance,
ListInstances, and identitystore GetUserId, DescribeUser.

Shapes follow botocore's newest models (moto's identitystore answers lack the required
``UserArn`` and ``Revision`` and send ``null`` members, so the emulator answers itself).
The domain's application is found by its ``SingleSignOnApplicationArn``; an IAM-mode domain
or one created before October 2023 has none. The emulator does not route Identity Center
calls by region: an instance whose ``Regions`` leave out the domain's region still answers,
so a reader can see that fact (README.md, "Realism").
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

from .responses import Reply, aws_error, aws_json
from .routing import AwsRequest
from .seed import World


def _instance(world: World) -> dict[str, Any]:
    """An InstanceMetadata (ListInstances) of the account's Identity Center instance."""
    return {
        "InstanceArn": world.instance_arn,
        "IdentityStoreId": world.identity_store_id,
        "IdentityStoreArn": world.identity_store_arn,
        "OwnerAccountId": world.account,
        "Name": "emulated-identity-center",
        "CreatedDate": world.domain_created,
        "Status": "ACTIVE",
        "PrimaryRegion": world.identity_center_regions[0],
        "Regions": [
            {
                "RegionName": region,
                "Status": "ACTIVE",
                "AddedDate": world.domain_created,
                "IsPrimaryRegion": i == 0,
            }
            for i, region in enumerate(world.identity_center_regions)
        ],
    }


def describe_application(world: World, req: AwsRequest) -> Reply:
    arn = req.params.get("ApplicationArn")
    if not world.sso_application_arn or arn != world.sso_application_arn:
        return aws_error(
            "json", "ResourceNotFoundException", f"Application {arn} does not exist.", 400
        )
    out: dict[str, Any] = {
        "ApplicationArn": arn,
        "ApplicationProviderArn": "arn:aws:sso::aws:applicationProvider/sagemaker",
        "Name": f"SageMakerStudio-{world.domain_id}",
        "ApplicationAccount": world.account,
        "InstanceArn": world.instance_arn,
        "Status": "ENABLED",
        "PortalOptions": {"SignInOptions": {"Origin": "APPLICATION"}, "Visibility": "ENABLED"},
        "Description": f"SageMaker Studio domain {world.domain_id}",
        "CreatedDate": world.domain_created,
        "CreatedFrom": world.region,
    }
    if world.scenario["identity_center"]["application_identity_store_arn"] is not None:
        out["IdentityStoreArn"] = world.identity_store_arn
    return aws_json(out)


def describe_instance(world: World, req: AwsRequest) -> Reply:
    if req.params.get("InstanceArn") != world.instance_arn:
        # DescribeInstance models no ResourceNotFoundException: an instance that is not the
        # caller's (or is gone) is AccessDeniedException (aws sso-admin describe-instance).
        return aws_error(
            "json",
            "AccessDeniedException",
            f"User is not authorized to access instance {req.params.get('InstanceArn')}.",
            400,
        )
    return aws_json(_instance(world))


def list_instances(world: World, req: AwsRequest) -> Reply:
    return aws_json({"Instances": [_instance(world)]})


def _store_not_found(world: World, req: AwsRequest) -> Reply | None:
    store = req.params.get("IdentityStoreId")
    if store in (world.identity_store_id, world.identity_store_arn):
        return None
    return _resource_not_found("IDENTITY_STORE", str(store))


def _resource_not_found(kind: str, resource_id: str) -> Reply:
    reply = aws_error("json", "ResourceNotFoundException", f"{kind} not found.", 400)
    body = json.loads(reply.body)  # the identity store names what it did not find
    body.update({"ResourceType": kind, "ResourceId": resource_id})
    reply.body = json.dumps(body).encode()
    return reply


# SCIM attribute names are case-insensitive (RFC 7643, 2.1); the identity store follows SCIM.
_UNIQUE_PATHS = {"username": "user_name", "emails.value": "email"}


def get_user_id(world: World, req: AwsRequest) -> Reply:
    if err := _store_not_found(world, req):
        return err
    unique = (req.params.get("AlternateIdentifier") or {}).get("UniqueAttribute") or {}
    key = _UNIQUE_PATHS.get(str(unique.get("AttributePath", "")).lower())
    if key is None:
        return aws_error(
            "json",
            "ValidationException",
            f"Invalid AttributePath {unique.get('AttributePath')!r}.",
            400,
        )
    wanted = unique.get("AttributeValue")
    for user in world.users.values():
        if user.get(key) == wanted:
            return aws_json(
                {
                    "IdentityStoreId": world.identity_store_id,
                    "UserId": user["user_id"],
                    "UserArn": f"arn:aws:identitystore:::user/{user['user_id']}",
                }
            )
    return _resource_not_found("USER", str(wanted))


def describe_user(world: World, req: AwsRequest) -> Reply:
    if err := _store_not_found(world, req):
        return err
    user_id = req.params.get("UserId")
    user = next((u for u in world.users.values() if u["user_id"] == user_id), None)
    if user is None:
        return _resource_not_found("USER", str(user_id))
    return aws_json(
        {
            "IdentityStoreId": world.identity_store_id,
            "UserId": user["user_id"],
            "UserArn": f"arn:aws:identitystore:::user/{user['user_id']}",
            "Revision": "1",
            "UserName": user["user_name"],
            "Name": {
                "Formatted": user["display_name"],
                "FamilyName": user.get("family_name", ""),
                "GivenName": user.get("given_name", ""),
            },
            "DisplayName": user["display_name"],
            "Emails": [{"Value": user["email"], "Type": "work", "Primary": True}],
        }
    )


HANDLERS: dict[str, Callable[[World, AwsRequest], Reply]] = {
    "sso:DescribeApplication": describe_application,
    "sso:DescribeInstance": describe_instance,
    "sso:ListInstances": list_instances,
    "identitystore:GetUserId": get_user_id,
    "identitystore:DescribeUser": describe_user,
}


def handle(world: World, req: AwsRequest) -> Reply | None:
    handler = HANDLERS.get(req.operation)
    return handler(world, req) if handler else None

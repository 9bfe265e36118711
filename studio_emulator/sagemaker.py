"""The SageMaker Studio operations moto lacks: DescribeSpace, DescribeUserProfile, DescribeApp.

Shapes follow botocore's sagemaker service model; values come from the seeded scenario.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from .responses import Reply, aws_error, aws_json
from .routing import AwsRequest
from .seed import World


def _not_found(kind: str, name: str, arn_prefix: str) -> Reply:
    return aws_error(
        "json", "ResourceNotFound", f"{kind} [{arn_prefix}/{name}] does not exist.", 400
    )


def _check_domain(world: World, p: dict[str, Any]) -> Reply | None:
    if p.get("DomainId") != world.domain_id:
        return _not_found("Domain", str(p.get("DomainId")), f"{world.arn_prefix}:domain")
    return None


def describe_space(world: World, p: dict[str, Any]) -> Reply:
    sp = world.scenario["space"]
    if err := _check_domain(world, p):
        return err
    if p.get("SpaceName") != sp["name"]:
        return _not_found(
            "Space", f"{world.domain_id}/{p.get('SpaceName')}", f"{world.arn_prefix}:space"
        )
    app_type = world.scenario["app"]["type"]
    return aws_json(
        {
            "DomainId": world.domain_id,
            "SpaceArn": f"{world.arn_prefix}:space/{world.domain_id}/{sp['name']}",
            "SpaceName": sp["name"],
            "HomeEfsFileSystemUid": "200005",
            "Status": "InService",
            "LastModifiedTime": world.created,
            "CreationTime": world.created,
            "SpaceSettings": {
                "AppType": app_type,
                "JupyterLabAppSettings": {
                    "DefaultResourceSpec": {
                        "InstanceType": world.scenario["app"].get("instance_type", "ml.t3.medium")
                    }
                },
                "SpaceStorageSettings": {"EbsStorageSettings": {"EbsVolumeSizeInGb": 5}},
                "RemoteAccess": sp["remote_access"],
            },
            "OwnershipSettings": {"OwnerUserProfileName": sp["owner"]},
            "SpaceSharingSettings": {"SharingType": sp["sharing"]},
            "SpaceDisplayName": sp.get("display_name", sp["name"]),
            "Url": f"https://{world.domain_id}.studio.{world.region}.sagemaker.aws/"
            f"{app_type.lower()}/{sp['name']}",
        }
    )


def describe_user_profile(world: World, p: dict[str, Any]) -> Reply:
    up = world.scenario["user_profile"]
    if err := _check_domain(world, p):
        return err
    if p.get("UserProfileName") != up["name"]:
        return _not_found(
            "User profile",
            f"{world.domain_id}/{p.get('UserProfileName')}",
            f"{world.arn_prefix}:user-profile",
        )
    out: dict[str, Any] = {
        "DomainId": world.domain_id,
        "UserProfileArn": f"{world.arn_prefix}:user-profile/{world.domain_id}/{up['name']}",
        "UserProfileName": up["name"],
        "HomeEfsFileSystemUid": "200001",
        "Status": "InService",
        "LastModifiedTime": world.created,
        "CreationTime": world.created,
        "UserSettings": {"ExecutionRole": world.execution_role_arn},
    }
    if up.get("sso_user_identifier"):
        out["SingleSignOnUserIdentifier"] = up["sso_user_identifier"]
        out["SingleSignOnUserValue"] = up["sso_user_value"]
    return aws_json(out)


def describe_app(world: World, p: dict[str, Any]) -> Reply:
    sp, app = world.scenario["space"], world.scenario["app"]
    if err := _check_domain(world, p):
        return err
    if (
        p.get("SpaceName") != sp["name"]
        or p.get("AppType") != app["type"]
        or p.get("AppName") != app["name"]
    ):
        owner = p.get("SpaceName") or p.get("UserProfileName")
        return _not_found(
            "App",
            f"{world.domain_id}/{owner}/{p.get('AppType')}/{p.get('AppName')}",
            f"{world.arn_prefix}:app",
        )
    return aws_json(
        {
            "AppArn": world.app_arn,
            "AppType": app["type"],
            "AppName": app["name"],
            "DomainId": world.domain_id,
            "SpaceName": sp["name"],
            "Status": "InService",
            "EffectiveTrustedIdentityPropagationStatus": app["effective_tip"],
            "RecoveryMode": False,
            "LastHealthCheckTimestamp": world.created,
            "LastUserActivityTimestamp": world.created,
            "CreationTime": world.created,
            "ResourceSpec": {
                "InstanceType": app.get("instance_type", "ml.t3.medium"),
                "SageMakerImageArn": f"arn:aws:sagemaker:{world.region}:081325390199:"
                "image/sagemaker-distribution-cpu",
            },
        }
    )


HANDLERS: dict[str, Callable[[World, dict[str, Any]], Reply]] = {
    "sagemaker:DescribeSpace": describe_space,
    "sagemaker:DescribeUserProfile": describe_user_profile,
    "sagemaker:DescribeApp": describe_app,
}


def handle(world: World, req: AwsRequest) -> Reply | None:
    handler = HANDLERS.get(req.operation)
    return handler(world, req.params) if handler else None

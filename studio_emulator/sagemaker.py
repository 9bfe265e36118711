"""The SageMaker operations the engine reads: DescribeDomain, DescribeSpace,
DescribeUserProfile, DescribeApp.

Shapes follow botocore's newest sagemaker model (tests/emulator/test_emulator_wire_shapes.py
holds every answer to it); values come from the seeded scenario. A domain lives in one
region: a request signed for another region does not find it, as in AWS.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from .responses import Reply, aws_error, aws_json
from .routing import AwsRequest
from .seed import World

# DescribeSpace/DescribeDomain settings member of each app type.
_SETTINGS = {"JupyterLab": "JupyterLabAppSettings", "CodeEditor": "CodeEditorAppSettings"}


def _not_found(kind: str, name: str, arn_prefix: str) -> Reply:
    return aws_error(
        "json", "ResourceNotFound", f"{kind} [{arn_prefix}/{name}] does not exist.", 400
    )


def _check_domain(world: World, req: AwsRequest) -> Reply | None:
    p = req.params
    if p.get("DomainId") != world.domain_id or (req.region and req.region != world.region):
        return _not_found("Domain", str(p.get("DomainId")), f"{world.arn_prefix}:domain")
    return None


def describe_domain(world: World, req: AwsRequest) -> Reply:
    if err := _check_domain(world, req):
        return err
    dom = world.scenario["domain"]
    settings: dict[str, Any] = {}
    if dom.get("tip") is not None:  # null: the answer leaves the field out
        settings["TrustedIdentityPropagationSettings"] = {"Status": dom["tip"]}
    out: dict[str, Any] = {
        "DomainArn": world.domain_arn,
        "DomainId": world.domain_id,
        "DomainName": dom["name"],
        "HomeEfsFileSystemId": "fs-" + world.domain_id[2:].ljust(17, "0"),
        "Status": "InService",
        "CreationTime": world.domain_created,
        "LastModifiedTime": world.domain_created,
        "AuthMode": dom["auth_mode"],
        "DefaultUserSettings": {"ExecutionRole": world.execution_role_arn},
        "DefaultSpaceSettings": {"ExecutionRole": world.execution_role_arn},
        "AppNetworkAccessType": "PublicInternetOnly",
        "SubnetIds": ["subnet-0a1b2c3d"],
        "Url": f"https://{world.domain_id}.studio.{world.region}.sagemaker.aws",
        "VpcId": "vpc-0a1b2c3d",
    }
    if settings:
        out["DomainSettings"] = settings
    if world.sso_application_arn:  # SSO domains created since October 2023 only
        out["SingleSignOnApplicationArn"] = world.sso_application_arn
    return aws_json(out)


def describe_space(world: World, req: AwsRequest) -> Reply:
    sp = world.scenario["space"]
    if err := _check_domain(world, req):
        return err
    if req.params.get("SpaceName") != sp["name"]:
        return _not_found(
            "Space",
            f"{world.domain_id}/{req.params.get('SpaceName')}",
            f"{world.arn_prefix}:space",
        )
    # A Studio Classic scenario still has the owner's private space, of JupyterLab.
    app_type = world.app_type if world.in_space else "JupyterLab"
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
                _SETTINGS[app_type]: {
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


def describe_user_profile(world: World, req: AwsRequest) -> Reply:
    up = world.scenario["user_profile"]
    if err := _check_domain(world, req):
        return err
    if req.params.get("UserProfileName") != up["name"]:
        return _not_found(
            "User profile",
            f"{world.domain_id}/{req.params.get('UserProfileName')}",
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


def describe_app(world: World, req: AwsRequest) -> Reply:
    app, p = world.scenario["app"], req.params
    if err := _check_domain(world, req):
        return err
    owner_key = "SpaceName" if world.in_space else "UserProfileName"
    if (
        p.get(owner_key) != world.app_owner
        or p.get("AppType") != app["type"]
        or p.get("AppName") != app["name"]
    ):
        owner = p.get("SpaceName") or p.get("UserProfileName")
        return _not_found(
            "App",
            f"{world.domain_id}/{owner}/{p.get('AppType')}/{p.get('AppName')}",
            f"{world.arn_prefix}:app",
        )
    out: dict[str, Any] = {
        "AppArn": world.app_arn,
        "AppType": app["type"],
        "AppName": app["name"],
        "DomainId": world.domain_id,
        owner_key: world.app_owner,
        "Status": "InService",
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
    if app.get("effective_tip") is not None:  # null: the answer leaves the field out
        out["EffectiveTrustedIdentityPropagationStatus"] = app["effective_tip"]
    return aws_json(out)


HANDLERS: dict[str, Callable[[World, AwsRequest], Reply]] = {
    "sagemaker:DescribeDomain": describe_domain,
    "sagemaker:DescribeSpace": describe_space,
    "sagemaker:DescribeUserProfile": describe_user_profile,
    "sagemaker:DescribeApp": describe_app,
}


def handle(world: World, req: AwsRequest) -> Reply | None:
    handler = HANDLERS.get(req.operation)
    return handler(world, req) if handler else None

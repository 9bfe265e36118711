"""The scenario info: the environment that wires a process to the emulator, and the facts
a scenario promises (``expected``), for tests and tools to compare against."""

from __future__ import annotations

import os
from typing import Any

from . import accessgrants, integrations
from .scenarios import TIP_APP_TYPES, TIP_REGIONS
from .seed import (
    ANALYTICS_ROLE,
    ANALYTICS_SESSION,
    KERNEL_DISPLAY_NAMES,
    KERNELSPECS,
    World,
    kernelspec_env,
)
from .state import Principal

S3_ACCESS_GRANTS_PLUGIN = (
    "S3AccessGrantsPlugin=aws_s3_access_grants_boto3_plugin.s3_access_grants_plugin"
)
# Variables that change which credentials botocore picks: unset unless a scenario sets them.
UNSET_BY_DEFAULT = (
    "AWS_ACCESS_KEY_ID",
    "AWS_SECRET_ACCESS_KEY",
    "AWS_SESSION_TOKEN",
    "AWS_SECURITY_TOKEN",
    "AWS_PROFILE",
    "AWS_DEFAULT_PROFILE",
    "AWS_ROLE_ARN",
    "AWS_ROLE_SESSION_NAME",
    "AWS_WEB_IDENTITY_TOKEN_FILE",
    "AWS_CONTAINER_CREDENTIALS_RELATIVE_URI",
    "AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE",
    "AWS_IGNORE_CONFIGURED_ENDPOINT_URLS",
)
# botocore puts the account id in front of the s3control endpoint's host, which then must
# resolve: "<account>.127.0.0.1" does not, nor do subdomains of localhost. So s3control gets a
# made-up host and every process reaches it through the emulator as its HTTP proxy, while
# NO_PROXY sends every other endpoint (all on 127.0.0.1) and Jupyter's own traffic direct.
S3_CONTROL_ENDPOINT = "http://s3-control.emulator.test"
NO_PROXY = "127.0.0.1,localhost"
ENDPOINT_VARS = (
    "AWS_ENDPOINT_URL",
    "AWS_ENDPOINT_URL_STS",
    "AWS_ENDPOINT_URL_SAGEMAKER",
    "AWS_ENDPOINT_URL_IDENTITYSTORE",
    "AWS_ENDPOINT_URL_SSO_ADMIN",
    "AWS_ENDPOINT_URL_CLOUDTRAIL",
    # The other TIP-aware services' Identity Center integrations (integrations.py): botocore's
    # name is AWS_ENDPOINT_URL_ + the service id, upper case, spaces as underscores.
    "AWS_ENDPOINT_URL_ATHENA",
    "AWS_ENDPOINT_URL_LAKEFORMATION",
    "AWS_ENDPOINT_URL_REDSHIFT",
    "AWS_ENDPOINT_URL_GLUE",
    "AWS_ENDPOINT_URL_EMR",
    # The audit trail forwarded to CloudWatch Logs (moto serves it behind the emulator).
    "AWS_ENDPOINT_URL_CLOUDWATCH_LOGS",
)


def scenario_info(world: World, url: str, token: str) -> dict[str, Any]:
    """What a caller needs: the environment to run a process with, and the expected facts."""
    sc, state = world.scenario, world.state_dir
    mode = sc["credentials"]["mode"]
    space_app = sc["studio"] and world.in_space  # Studio Classic apps run no SMD image
    env: dict[str, str | None] = dict.fromkeys(UNSET_BY_DEFAULT)
    env.update(dict.fromkeys(ENDPOINT_VARS, url))
    jupyter_path = str(state / "jupyter")
    inherited = os.environ.get("JUPYTER_PATH")  # prepend ours, keep the caller's
    env.update(
        {
            "AWS_REGION": world.region,
            "AWS_DEFAULT_REGION": world.region,
            "AWS_CONTAINER_CREDENTIALS_FULL_URI": f"{url}/_container/credentials",
            "AWS_CONTAINER_AUTHORIZATION_TOKEN": token,
            "AWS_CONFIG_FILE": str(state / "aws" / "config"),
            "AWS_SHARED_CREDENTIALS_FILE": str(state / "aws" / "credentials"),
            "AWS_EC2_METADATA_DISABLED": "true",
            "AWS_ENDPOINT_URL_S3_CONTROL": S3_CONTROL_ENDPOINT,
            # urllib (so botocore) reads the lower-case names first: set both spellings.
            "HTTP_PROXY": url,
            "http_proxy": url,
            "NO_PROXY": NO_PROXY,
            "no_proxy": NO_PROXY,
            "SAGEMAKER_SPACE_NAME": sc["space"]["name"] if space_app else None,
            # Studio sets SAGEMAKER_APP_TYPE; the SMD entrypoints derive the lower-case one.
            "SAGEMAKER_APP_TYPE": world.app_type if space_app else None,
            "SAGEMAKER_APP_TYPE_LOWERCASE": world.app_type.lower() if space_app else None,
            "SAGEMAKER_SPACE_TYPE_LOWERCASE": sc["space"]["sharing"].lower() if space_app else None,
            "TRUSTED_IDENTITY_PROPOGATION_ENABLED": "true"
            if sc["server_env"]["tip_flags"]
            else None,
            "BOTOCORE_EXPERIMENTAL__PLUGINS": S3_ACCESS_GRANTS_PLUGIN
            if sc["server_env"]["tip_flags"]
            else None,
            "JUPYTER_PATH": jupyter_path + (os.pathsep + inherited if inherited else ""),
            "STUDIO_EMULATOR_URL": url,
            "STUDIO_EMULATOR_METADATA": str(world.metadata_path),
        }
    )
    if mode == "none":
        # Point the shared files somewhere empty so no profile of the host is found.
        for var, name in (
            ("AWS_CONFIG_FILE", "config"),
            ("AWS_SHARED_CREDENTIALS_FILE", "credentials"),
        ):
            env[var] = str(state / "aws" / "none" / name)
        env["AWS_CONTAINER_CREDENTIALS_FULL_URI"] = None
        env["AWS_CONTAINER_AUTHORIZATION_TOKEN"] = None
    if mode == "static_keys":
        env["AWS_ACCESS_KEY_ID"], env["AWS_SECRET_ACCESS_KEY"] = world.static_keys["notebook-bot"]
    if sc["server_env"].get("harmless_aws"):  # the same variables as that kernel spec
        env.update(kernelspec_env(world)["python3-harmless-aws"])
    for name, value in sc["env"].items():
        env[name] = (
            None
            if value is None
            else str(value).replace("{state_dir}", str(state)).replace("{emulator_url}", url)
        )

    sso = sc["domain"]["auth_mode"] == "SSO"
    owner = sc["user_profile"].get("sso_user_value") if sso else None
    user = world.users.get(owner or "", {})
    obo = world.on_behalf_of()
    source, caller = _credential_source(world, env)
    ic = sc["identity_center"]
    if not sso:
        store_source = None
    elif world.sso_application_arn is None:
        store_source = "sso:ListInstances"  # a domain created before October 2023
    elif ic["application_identity_store_arn"] is None:
        store_source = "sso:DescribeInstance"  # DescribeApplication names only InstanceArn
    else:
        store_source = "sso:DescribeApplication"
    metadata_region = world.region if sc["studio"] else None
    expected: dict[str, Any] = {
        "user_id": user.get("user_id"),
        "user_name": owner if user else None,
        "display_name": user.get("display_name"),
        "email": user.get("email"),
        "identity_store_arn": world.identity_store_arn if sso else None,
        "identity_store_id": world.identity_store_id if sso else None,
        "identity_store_source": store_source,
        "identity_center_instance_arn": world.instance_arn if sso else None,
        "identity_center_regions": list(world.identity_center_regions) if sso else None,
        "identity_center_serves_region": world.region in world.identity_center_regions,
        "execution_role_arn": world.execution_role_arn,
        "domain_id": world.domain_id,
        "space_name": sc["space"]["name"] if world.in_space else None,
        "user_profile_name": sc["user_profile"]["name"],
        "app_type": world.app_type,
        "app_name": sc["app"]["name"],
        "app_arn": world.app_arn,
        "studio_kind": (
            None
            if not sc["studio"]
            else "studio_classic"
            if not world.in_space
            else "unified_studio"
            if sc["unified_studio"]
            else "studio"
        ),
        "tip_supported_app": world.app_type in TIP_APP_TYPES
        and world.in_space
        and not sc["unified_studio"],
        "account": world.account,
        "region": world.region,
        "metadata_region": metadata_region,
        "env_region": env.get("AWS_REGION"),
        "region_supported": world.region in TIP_REGIONS,
        "auth_mode": sc["domain"]["auth_mode"],
        "tip_domain": sc["domain"].get("tip"),
        "tip_app": sc["app"].get("effective_tip"),
        "app_started_with_tip": sc["app"]["started_with_tip"],
        "sharing_type": sc["space"]["sharing"],
        "remote_access": sc["space"]["remote_access"],
        "credential_source": source,
        "caller_arn": caller,
        "identity_enhanced": bool(obo),
        "on_behalf_of_user_id": obo["userId"] if obo else None,
        "on_behalf_of_identity_store_arn": obo["identityStoreArn"] if obo else None,
        "sso_application_arn": world.sso_application_arn,
        **_access_grants_expected(world),
        "integrations": _integrations_expected(world),
    }
    expected.update(sc.get("expected", {}))
    return {
        "name": sc["name"],
        "description": sc["description"],
        "url": url,
        "region": world.region,
        "env": env,
        "metadata_path": str(world.metadata_path),
        "state_dir": str(state),
        "kernelspecs": _kernelspecs(world, env, source, expected["verdict_hint"]),
        "expected": expected,
    }


def _access_grants_expected(world: World) -> dict[str, Any]:
    """S3 Access Grants as the space's container session sees them."""
    inst = accessgrants.instance(world)
    session = Principal(
        "AssumedRole",
        None,
        None,
        world.account,
        role_arn=world.execution_role_arn,
        on_behalf_of=world.on_behalf_of(),
    )
    return {
        "access_grants_instance_arn": inst["AccessGrantsInstanceArn"] if inst else None,
        "access_grants_identity_center_arn": accessgrants.identity_center_instance_arn(world)
        if inst
        else None,
        "access_grants_same_identity_center": (
            accessgrants.identity_center_instance_arn(world) == world.instance_arn if inst else None
        ),
        # Newest first, as the emulator lists them; GranteeType/GranteeIdentifier are what
        # GetDataAccess names for a target in the scope (ListCallerAccessGrants does not).
        "access_grants_caller_grants": [
            {
                "GrantScope": g["GrantScope"],
                "Permission": g["Permission"],
                "ApplicationArn": g["ApplicationArn"],
                "GranteeType": g["GranteeType"],
                "GranteeIdentifier": g["GranteeIdentifier"],
            }
            for g in accessgrants.caller_grants(world, session)
        ]
        if inst
        else [],
    }


def _integrations_expected(world: World) -> dict[str, Any]:
    """Every other TIP-aware service's Identity Center integration as the scenario holds it, in
    the CONTRACT's terms (connected_services ids, ``state`` and ``resources``, the domain's
    instance first). ``state`` is what a reader that reads everything finds with the space's
    own session; a read the scenario denies is ``unknown``. Readers that stop early (at most
    N pages or items) see less: ``services_many`` is for that."""
    domain = world.instance_arn
    denied = {f["operation"] for f in world.scenario["faults"] if f["fault"] == "denied"}

    def state(arns: list[str | None], reads: tuple[str, ...]) -> str:
        if denied & set(reads):
            return "unknown"
        if domain in arns:
            return "ready"
        return "other_instance" if any(arns) else "not_configured"

    def resources(kind: str, items: list[tuple[str, str | None]]) -> list[dict[str, Any]]:
        out = [
            {
                "kind": kind,
                "name": name,
                "identity_center_instance_arn": ic,
                "state": "ready" if ic == domain else "other_instance",
            }
            for name, ic in items
            if ic
        ]
        return sorted(out, key=lambda r: r["state"] != "ready")  # stable: listing order kept

    wgs = [w for w in integrations.workgroups(world) if w["state"] == "ENABLED"]
    apps = integrations.redshift_applications(world)
    confs = integrations.security_configurations(world)
    lf, glue = integrations.lake_formation(world), integrations.glue(world)
    reads = integrations.READS
    return {
        "athena": {
            "state": state([w["identity_center_instance_arn"] for w in wgs], reads["athena"]),
            "resources": resources(
                "workgroup", [(w["name"], w["identity_center_instance_arn"]) for w in wgs]
            ),
        },
        "lake-formation": {
            "state": state([lf and lf["InstanceArn"]], reads["lake-formation"]),
            "identity_center_instance_arn": lf and lf["InstanceArn"],
            "application_arn": lf and lf["ApplicationArn"],
        },
        "redshift-data": {
            "state": state([a["IdcInstanceArn"] for a in apps], reads["redshift-data"]),
            "resources": resources(
                "idc_application",
                [(a["RedshiftIdcApplicationName"], a["IdcInstanceArn"]) for a in apps],
            ),
        },
        "glue": {
            "state": state([glue and glue["InstanceArn"]], reads["glue"]),
            "identity_center_instance_arn": glue and glue["InstanceArn"],
            "application_arn": glue and glue["ApplicationArn"],
        },
        "emr-ec2": {
            "state": state([c["identity_center_instance_arn"] for c in confs], reads["emr-ec2"]),
            "resources": resources(
                "security_configuration",
                [(c["name"], c["identity_center_instance_arn"]) for c in confs],
            ),
        },
    }


def _credential_source(world: World, env: dict[str, str | None]) -> tuple[str | None, str | None]:
    """What botocore resolves in ``env`` (method name) and the ARN STS answers with."""
    mode = world.scenario["credentials"]["mode"]
    exec_session = (
        f"arn:aws:sts::{world.account}:assumed-role/"
        f"{world.execution_role_arn.rsplit('/', 1)[-1]}/"
        f"{world.scenario['credentials']['session_name']}"
    )
    if env.get("AWS_ACCESS_KEY_ID"):
        static = env["AWS_ACCESS_KEY_ID"] == world.static_keys["notebook-bot"][0]
        return "env", f"arn:aws:iam::{world.account}:user/notebook-bot" if static else None
    if env.get("AWS_PROFILE") == ANALYTICS_SESSION:
        if mode == "none":  # its AWS files hold no such profile
            return None, None
        return (
            "assume-role",
            f"arn:aws:sts::{world.account}:assumed-role/{ANALYTICS_ROLE}/{ANALYTICS_SESSION}",
        )
    if not env.get("AWS_CONTAINER_CREDENTIALS_FULL_URI"):
        return None, None
    if mode == "expired":
        return "container-role", None
    return "container-role", exec_session


def _kernelspecs(
    world: World, server_env: dict[str, str | None], server_source: str | None, hint: str
) -> dict[str, dict[str, Any]]:
    """Each kernel spec of the state directory and what a kernel started with it resolves.

    ``carrier``: it still uses the space's container credentials. ``verdict_hint``: the
    kernel's verdict where it follows from the scenario's, else None."""
    out: dict[str, dict[str, Any]] = {}
    for name in KERNELSPECS:
        env = kernelspec_env(world)[name]
        source, caller = _credential_source(world, {**server_env, **env})
        carrier = source == "container-role"
        if not world.scenario["studio"]:
            kernel_hint: str | None = hint
        elif not carrier and source is not None:
            kernel_hint = "not_propagated"
        elif source == server_source:
            kernel_hint = hint
        else:
            kernel_hint = None
        out[name] = {
            "display_name": KERNEL_DISPLAY_NAMES[name],
            "env_names": sorted(env),
            "credential_source": source,
            "caller_arn": caller,
            "carrier": carrier,
            "verdict_hint": kernel_hint,
        }
    return out

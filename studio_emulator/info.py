"""The scenario info: the environment that wires a process to the emulator, and the facts
a scenario promises (``expected``), for tests and tools to compare against."""

from __future__ import annotations

import os
from typing import Any

from .scenarios import TIP_REGIONS
from .seed import ANALYTICS_ROLE, ANALYTICS_SESSION, World

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
ENDPOINT_VARS = (
    "AWS_ENDPOINT_URL",
    "AWS_ENDPOINT_URL_STS",
    "AWS_ENDPOINT_URL_SAGEMAKER",
    "AWS_ENDPOINT_URL_IDENTITYSTORE",
    "AWS_ENDPOINT_URL_SSO_ADMIN",
    "AWS_ENDPOINT_URL_CLOUDTRAIL",
)


def scenario_info(world: World, url: str, token: str) -> dict[str, Any]:
    """What a caller needs: the environment to run a process with, and the expected facts."""
    sc, state = world.scenario, world.state_dir
    mode = sc["credentials"]["mode"]
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
            "SAGEMAKER_SPACE_NAME": sc["space"]["name"] if sc["studio"] else None,
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
    exec_session = (
        f"arn:aws:sts::{world.account}:assumed-role/"
        f"{world.execution_role_arn.rsplit('/', 1)[-1]}/{sc['credentials']['session_name']}"
    )
    if env.get("AWS_ACCESS_KEY_ID"):
        source = "env"
        caller = (
            f"arn:aws:iam::{world.account}:user/notebook-bot" if mode == "static_keys" else None
        )
    elif env.get("AWS_PROFILE") == ANALYTICS_SESSION:
        source, caller = (
            "assume-role",
            (f"arn:aws:sts::{world.account}:assumed-role/{ANALYTICS_ROLE}/{ANALYTICS_SESSION}"),
        )
    elif mode in ("container", "static_keys"):
        source, caller = "container-role", exec_session
    elif mode == "expired":
        source, caller = "container-role", None
    else:
        source, caller = None, None
    expected: dict[str, Any] = {
        "user_id": user.get("user_id"),
        "user_name": owner if user else None,
        "display_name": user.get("display_name"),
        "email": user.get("email"),
        "identity_store_arn": world.identity_store_arn if sso else None,
        "identity_store_id": world.identity_store_id if sso else None,
        "execution_role_arn": world.execution_role_arn,
        "domain_id": world.domain_id,
        "space_name": sc["space"]["name"],
        "user_profile_name": sc["user_profile"]["name"],
        "app_arn": world.app_arn,
        "account": world.account,
        "region": world.region,
        "region_supported": world.region in TIP_REGIONS,
        "auth_mode": sc["domain"]["auth_mode"],
        "tip_domain": sc["domain"].get("tip"),
        "tip_app": sc["app"]["effective_tip"],
        "sharing_type": sc["space"]["sharing"],
        "remote_access": sc["space"]["remote_access"],
        "credential_source": source,
        "caller_arn": caller,
        "identity_enhanced": bool(obo),
        "on_behalf_of_user_id": obo["userId"] if obo else None,
        "sso_application_arn": world.sso_application_arn if sso else None,
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
        "expected": expected,
    }

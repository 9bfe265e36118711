"""Turn a scenario into a world: resources in moto, and the files a Studio space has (app
metadata, an AWS config with a role profile, a Jupyter kernel spec) in the state directory."""

from __future__ import annotations

import json
import os
import sys
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from .moto_backend import MotoBackend
from .state import KeyRegistry, Principal

ANALYTICS_ROLE = "AnalyticsRole"
ANALYTICS_SESSION = "analytics"
_TRUST_POLICY = json.dumps(
    {
        "Version": "2012-10-17",
        "Statement": [
            {
                "Effect": "Allow",
                "Principal": {"Service": "sagemaker.amazonaws.com"},
                "Action": ["sts:AssumeRole", "sts:SetContext"],
            }
        ],
    }
)


@dataclass
class World:
    """A seeded scenario: what the emulated APIs answer with."""

    scenario: dict[str, Any]
    state_dir: Path
    account: str
    region: str
    domain_id: str
    domain_arn: str
    sso_application_arn: str
    execution_role_arn: str
    execution_role_id: str
    identity_store_id: str
    identity_store_arn: str
    instance_arn: str
    users: dict[str, dict[str, Any]]  # user name -> {"user_id", "display_name", "email", ...}
    static_keys: dict[str, tuple[str, str]]  # IAM user -> (access key id, secret)
    metadata_path: Path
    created: datetime = field(default_factory=lambda: datetime.now(UTC))

    @property
    def arn_prefix(self) -> str:
        return f"arn:aws:sagemaker:{self.region}:{self.account}"

    @property
    def app_arn(self) -> str:
        sp, app = self.scenario["space"], self.scenario["app"]
        return (
            f"{self.arn_prefix}:app/{self.domain_id}/{sp['name']}/"
            f"{app['type'].lower()}/{app['name']}"
        )

    def on_behalf_of(self) -> dict[str, str] | None:
        """``onBehalfOf`` of the space's container credentials, as the scenario says."""
        who = self.scenario["cloudtrail"]["on_behalf_of"]
        if who in (None, "none"):
            return None
        if who == "owner":
            who = self.scenario["user_profile"].get("sso_user_value")
        user = self.users.get(who or "")
        if not user:
            return None
        return {"userId": user["user_id"], "identityStoreArn": self.identity_store_arn}


def _iam_user_with_key(
    backend: MotoBackend, name: str, keys: KeyRegistry, account: str
) -> tuple[str, str]:
    iam = backend.client("iam", "us-east-1")
    user = iam.create_user(UserName=name)["User"]
    key = iam.create_access_key(UserName=name)["AccessKey"]
    keys.add(
        key["AccessKeyId"],
        Principal("IAMUser", user["Arn"], user["UserId"], account, user_name=name),
    )
    return key["AccessKeyId"], key["SecretAccessKey"]


def seed(backend: MotoBackend, sc: dict[str, Any], state_dir: Path, keys: KeyRegistry) -> World:
    account, region = sc["account"], sc["region"]
    iam = backend.client("iam", "us-east-1")
    dom = sc["domain"]
    role = iam.create_role(
        RoleName=dom["execution_role"], AssumeRolePolicyDocument=_TRUST_POLICY, Path="/"
    )["Role"]
    iam.create_role(
        RoleName=ANALYTICS_ROLE,
        AssumeRolePolicyDocument=json.dumps(
            {
                "Version": "2012-10-17",
                "Statement": [
                    {
                        "Effect": "Allow",
                        "Principal": {"AWS": f"arn:aws:iam::{account}:root"},
                        "Action": "sts:AssumeRole",
                    }
                ],
            }
        ),
    )
    static_keys = {
        name: _iam_user_with_key(backend, name, keys, account)
        for name in ("notebook-bot", "analytics")
    }

    settings: dict[str, Any] = {}
    if dom.get("tip"):
        settings["TrustedIdentityPropagationSettings"] = {"Status": dom["tip"]}
    sm = backend.client("sagemaker", region)
    created = sm.create_domain(
        DomainName=dom["name"],
        AuthMode=dom["auth_mode"],
        DefaultUserSettings={"ExecutionRole": role["Arn"]},
        DomainSettings=settings,
        SubnetIds=["subnet-0a1b2c3d"],
        VpcId="vpc-0a1b2c3d",
    )
    domain_arn = created["DomainArn"]
    domain_id = domain_arn.rsplit("/", 1)[-1]
    described = sm.describe_domain(DomainId=domain_id)

    ic = sc["identity_center"]
    store_id = ic["identity_store_id"]
    ids = backend.client("identitystore", region)
    users: dict[str, dict[str, Any]] = {}
    for user_name, u in ic.get("users", {}).items():
        made = ids.create_user(
            IdentityStoreId=store_id,
            UserName=user_name,
            DisplayName=u["display_name"],
            Name={
                "GivenName": u.get("given_name", ""),
                "FamilyName": u.get("family_name", ""),
                "Formatted": u["display_name"],
            },
            Emails=[{"Value": u["email"], "Type": "work", "Primary": True}],
        )
        users[user_name] = {"user_id": made["UserId"], "user_name": user_name, **u}

    world = World(
        scenario=sc,
        state_dir=state_dir,
        account=account,
        region=region,
        domain_id=domain_id,
        domain_arn=domain_arn,
        sso_application_arn=described.get("SingleSignOnApplicationArn", ""),
        execution_role_arn=role["Arn"],
        execution_role_id=role["RoleId"],
        identity_store_id=store_id,
        identity_store_arn=f"arn:aws:identitystore::{account}:identitystore/{store_id}",
        instance_arn=f"arn:aws:sso:::instance/{ic['instance_id']}",
        users=users,
        static_keys=static_keys,
        metadata_path=state_dir / "metadata" / "resource-metadata.json",
    )
    write_files(world)
    return world


def _write(path: Path, text: str, mode: int = 0o644) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(path.name + ".tmp")
    tmp.write_text(text, encoding="utf-8")
    os.chmod(tmp, mode)
    os.replace(tmp, path)


def write_files(world: World) -> None:
    sc, state = world.scenario, world.state_dir
    if sc["studio"]:
        _write(
            world.metadata_path,
            json.dumps(
                {
                    "AppType": sc["app"]["type"],
                    "DomainId": world.domain_id,
                    "SpaceName": sc["space"]["name"],
                    "UserProfileName": sc["user_profile"]["name"],
                    "ExecutionRoleArn": world.execution_role_arn,
                    "ResourceArn": world.app_arn,
                    "ResourceName": sc["app"]["name"],
                    "AppImageVersion": "",
                },
                indent=2,
            )
            + "\n",
        )
    elif world.metadata_path.exists():
        world.metadata_path.unlink()

    region, account = world.region, world.account
    akid, secret = world.static_keys["analytics"]
    _write(
        state / "aws" / "config",
        f"[profile {ANALYTICS_SESSION}]\n"
        f"role_arn = arn:aws:iam::{account}:role/{ANALYTICS_ROLE}\n"
        f"source_profile = analytics-keys\n"
        f"role_session_name = {ANALYTICS_SESSION}\n"
        f"region = {region}\n\n"
        f"[profile analytics-keys]\nregion = {region}\n",
    )
    _write(
        state / "aws" / "credentials",
        f"[analytics-keys]\naws_access_key_id = {akid}\naws_secret_access_key = {secret}\n",
        0o600,
    )
    _write(
        state / "jupyter" / "kernels" / "python3-aws-profile" / "kernel.json",
        json.dumps(
            {
                "argv": [sys.executable, "-m", "ipykernel_launcher", "-f", "{connection_file}"],
                "display_name": "Python 3 (AWS_PROFILE=analytics)",
                "language": "python",
                "env": {"AWS_PROFILE": ANALYTICS_SESSION},
                "metadata": {"debugger": True},
            },
            indent=2,
        )
        + "\n",
    )

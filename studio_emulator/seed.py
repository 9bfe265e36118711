"""Turn a scenario into a world: IAM roles and users in moto, the Studio and IAM Identity
Center resources the emulator answers for itself, and the files a Studio space has (app
metadata, an AWS config with role and region-only profiles, Jupyter kernel specs) in the
state directory. Why each value looks the way it does: README.md, "Realism"."""

from __future__ import annotations

import hashlib
import json
import os
import uuid
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from .moto_backend import MotoBackend
from .scenarios import PROFILE_APP_TYPES, SSO_APPLICATION_SINCE
from .state import KeyRegistry, Principal

ANALYTICS_ROLE = "AnalyticsRole"
ANALYTICS_SESSION = "analytics"
# A profile that only sets a region: naming it in AWS_PROFILE changes no credentials.
REGION_ONLY_PROFILE = "region-only"
# A role ARN without a web identity token file: botocore's web identity provider skips it.
HARMLESS_ROLE_ARN = "arn:aws:iam::{account}:role/WebIdentityRole"
# A session token without keys: botocore's environment provider needs AWS_ACCESS_KEY_ID.
HARMLESS_SESSION_TOKEN = "emulator-session-token-without-keys"
KERNELSPECS = ("python3-aws-profile", "python3-harmless-aws", "python3-static-keys")
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


def _digest(*parts: str) -> str:
    """Stable hex for ids that must look like AWS's and stay the same across runs."""
    return hashlib.sha256("/".join(parts).encode()).hexdigest()


def parse_time(text: str) -> datetime:
    return datetime.fromisoformat(text.replace("Z", "+00:00")).astimezone(UTC)


@dataclass
class World:
    """A seeded scenario: what the emulated APIs answer with."""

    scenario: dict[str, Any]
    state_dir: Path
    account: str
    region: str
    domain_id: str
    domain_arn: str
    domain_created: datetime
    sso_application_arn: str | None  # None: IAM domain, or created before October 2023
    execution_role_arn: str
    execution_role_id: str
    identity_store_id: str
    identity_store_arn: str
    instance_arn: str
    identity_center_regions: list[str]  # the first is the primary region
    users: dict[str, dict[str, Any]]  # user name -> {"user_id", "display_name", "email", ...}
    static_keys: dict[str, tuple[str, str]]  # IAM user -> (access key id, secret)
    metadata_path: Path
    created: datetime = field(default_factory=lambda: datetime.now(UTC))
    # group name -> {"group_id", "members": [user names]} (S3 Access Grants group grants)
    groups: dict[str, dict[str, Any]] = field(default_factory=dict)

    @property
    def arn_prefix(self) -> str:
        return f"arn:aws:sagemaker:{self.region}:{self.account}"

    @property
    def app_type(self) -> str:
        return self.scenario["app"]["type"]

    @property
    def in_space(self) -> bool:
        """Studio apps run in a space; Studio Classic apps belong to a user profile."""
        return self.app_type not in PROFILE_APP_TYPES

    @property
    def app_owner(self) -> str:
        """The space (Studio) or user profile (Studio Classic) the app belongs to."""
        sc = self.scenario
        return sc["space"]["name"] if self.in_space else sc["user_profile"]["name"]

    @property
    def app_arn(self) -> str:
        # The app type keeps its case (.../JupyterLab/default), as DescribeApp and the
        # metadata file show it.
        return (
            f"{self.arn_prefix}:app/{self.domain_id}/{self.app_owner}/"
            f"{self.app_type}/{self.scenario['app']['name']}"
        )

    @property
    def on_behalf_of_store_arn(self) -> str:
        store = self.scenario["cloudtrail"]["on_behalf_of_store"]
        if store == "auto":
            return self.identity_store_arn
        return f"arn:aws:identitystore::{self.account}:identitystore/{store}"

    def on_behalf_of(self) -> dict[str, str] | None:
        """``onBehalfOf`` of the space's container credentials, as the scenario says.

        CloudTrail writes it only on events of services that record it (cloudtrail.py)."""
        who = self.scenario["cloudtrail"]["on_behalf_of"]
        if who in (None, "none"):
            return None
        if who == "owner":
            who = self.scenario["user_profile"].get("sso_user_value")
        user = self.users.get(who or "")
        if not user:
            return None
        return {"userId": user["user_id"], "identityStoreArn": self.on_behalf_of_store_arn}


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


def identity_center_user_id(store_id: str, user_name: str) -> str:
    """An Identity Center user id: 10 hex digits, a dash and a UUID (identitystore's model)."""
    h = _digest(store_id, user_name)
    return f"{h[:10]}-{uuid.UUID(hex=h[10:42])}"


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

    # AWS domain ids are "d-" and 12 lowercase letters or digits.
    domain_id = "d-" + _digest(account, region, dom["name"])[:12]
    domain_created = parse_time(dom["created"])
    ic = sc["identity_center"]
    instance_id = ic["instance_id"]
    sso_application_arn = None
    if dom["auth_mode"] == "SSO" and domain_created >= parse_time(SSO_APPLICATION_SINCE):
        sso_application_arn = (
            f"arn:aws:sso::{account}:application/{instance_id}/apl-{_digest(domain_id)[:16]}"
        )
    store_id = ic["identity_store_id"]
    users = {
        user_name: {
            "user_id": identity_center_user_id(store_id, user_name),
            "user_name": user_name,
            **u,
        }
        for user_name, u in ic.get("users", {}).items()
    }

    world = World(
        scenario=sc,
        state_dir=state_dir,
        account=account,
        region=region,
        domain_id=domain_id,
        domain_arn=f"arn:aws:sagemaker:{region}:{account}:domain/{domain_id}",
        domain_created=domain_created,
        sso_application_arn=sso_application_arn,
        execution_role_arn=role["Arn"],
        execution_role_id=role["RoleId"],
        identity_store_id=store_id,
        identity_store_arn=f"arn:aws:identitystore::{account}:identitystore/{store_id}",
        instance_arn=f"arn:aws:sso:::instance/{instance_id}",
        identity_center_regions=list(ic["regions"]),
        users=users,
        static_keys=static_keys,
        metadata_path=state_dir / "metadata" / "resource-metadata.json",
        groups={
            name: {
                # Group ids look like user ids (identitystore's GroupId pattern).
                "group_id": identity_center_user_id(store_id, f"group:{name}"),
                "members": list(g.get("members", [])),
            }
            for name, g in ic["groups"].items()
        },
    )
    write_files(world)
    return world


def _write(path: Path, text: str, mode: int = 0o644) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(path.name + ".tmp")
    tmp.write_text(text, encoding="utf-8")
    os.chmod(tmp, mode)
    os.replace(tmp, path)


def resource_metadata(world: World) -> dict[str, Any]:
    """``/opt/ml/metadata/resource-metadata.json`` as Studio writes it for this app."""
    sc = world.scenario
    if not world.in_space:
        # Studio Classic: the documented example, a user profile's app, no role, no space.
        return {
            "AppType": world.app_type,
            "DomainId": world.domain_id,
            "UserProfileName": sc["user_profile"]["name"],
            "ResourceArn": world.app_arn,
            "ResourceName": sc["app"]["name"],
            "AppImageVersion": "",
        }
    # A space app: no UserProfileName (the owner comes from DescribeSpace).
    meta: dict[str, Any] = {
        "AppType": world.app_type,
        "DomainId": world.domain_id,
        "SpaceName": sc["space"]["name"],
        "ExecutionRoleArn": world.execution_role_arn,
        "ResourceArn": world.app_arn,
        "ResourceName": sc["app"]["name"],
        "AppImageVersion": "",
    }
    dz = sc["unified_studio"]
    if dz:
        meta["AdditionalMetadata"] = {
            "DataZoneDomainId": dz["domain_id"],
            "DataZoneDomainRegion": world.region,
            "DataZoneEndpoint": f"https://datazone.{world.region}.api.aws",
            "DataZoneEnvironmentId": dz["environment_id"],
            "DataZoneProjectId": dz["project_id"],
            "DataZoneScopeName": "dev",
            "DataZoneStage": "prod",
            "DataZoneUserId": dz["user_id"],
            "PrivateSubnets": "",
            "ProjectS3Path": f"s3://amazon-sagemaker-{world.account}-{world.region}-"
            f"{dz['domain_id'].removeprefix('dzd_')}/{dz['domain_id']}/{dz['project_id']}/dev",
            "SecurityGroup": "",
        }
    meta["ResourceArnCaseSensitive"] = world.app_arn
    meta["IpAddressType"] = "ipv4"
    return meta


def kernelspec_env(world: World) -> dict[str, dict[str, str]]:
    """The ``env`` of each kernel spec the state directory holds."""
    akid, secret = world.static_keys["notebook-bot"]
    return {
        "python3-aws-profile": {"AWS_PROFILE": ANALYTICS_SESSION},
        "python3-harmless-aws": {
            "AWS_SESSION_TOKEN": HARMLESS_SESSION_TOKEN,
            "AWS_ROLE_ARN": HARMLESS_ROLE_ARN.format(account=world.account),
            "AWS_PROFILE": REGION_ONLY_PROFILE,
        },
        "python3-static-keys": {"AWS_ACCESS_KEY_ID": akid, "AWS_SECRET_ACCESS_KEY": secret},
    }


KERNEL_DISPLAY_NAMES = {
    "python3-aws-profile": "Python 3 (AWS_PROFILE=analytics)",
    "python3-harmless-aws": "Python 3 (harmless AWS_* variables)",
    "python3-static-keys": "Python 3 (static keys of IAM user notebook-bot)",
}


def write_files(world: World) -> None:
    sc, state = world.scenario, world.state_dir
    if sc["studio"]:
        _write(world.metadata_path, json.dumps(resource_metadata(world), indent=2) + "\n")
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
        f"[profile analytics-keys]\nregion = {region}\n\n"
        f"[profile {REGION_ONLY_PROFILE}]\nregion = {region}\n",
    )
    _write(
        state / "aws" / "credentials",
        f"[analytics-keys]\naws_access_key_id = {akid}\naws_secret_access_key = {secret}\n",
        0o600,
    )
    # Credentials mode "none": AWS files without any key, where a region-only profile is
    # still harmless.
    _write(
        state / "aws" / "none" / "config", f"[profile {REGION_ONLY_PROFILE}]\nregion = {region}\n"
    )
    _write(state / "aws" / "none" / "credentials", "", 0o600)
    for name, env in kernelspec_env(world).items():
        _write(
            state / "jupyter" / "kernels" / name / "kernel.json",
            json.dumps(
                {
                    # "python": jupyter_client runs the kernel with the server's own Python,
                    # so a matrix environment's kernels use its ipykernel, not the emulator's.
                    "argv": ["python", "-m", "ipykernel_launcher", "-f", "{connection_file}"],
                    "display_name": KERNEL_DISPLAY_NAMES[name],
                    "language": "python",
                    "env": env,
                    "metadata": {"debugger": True},
                },
                indent=2,
            )
            + "\n",
            0o600 if "AWS_SECRET_ACCESS_KEY" in env else 0o644,  # the static test keys
        )

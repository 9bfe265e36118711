"""Every scenario promises facts; real botocore clients read them back from the emulator."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest
from botocore.exceptions import ClientError, ConnectionClosedError, ReadTimeoutError

from studio_emulator import scenarios

REQUIRED = {
    "happy",
    "tip_domain_off",
    "tip_app_stale",
    "shared_space",
    "remote_access",
    "region_unsupported",
    "iam_auth",
    "static_keys",
    "no_credentials",
    "expired",
    "ct_mismatch",
    "ct_absent",
    "ct_pending",
    "ct_denied",
    "describe_space_denied",
    "sts_throttled",
    "sagemaker_hang",
    # issue 8 and 12
    "old_domain",
    "identity_store_arn_missing",
    "harmless_env",
    "code_editor",
    "studio_classic",
    "unified_studio",
    "tip_read_missing",
    "tip_read_contradicts",
    "tip_domain_off_app_on",
    "ct_other_store",
    "ct_unattributed",
    "region_from_arn",
    "ic_other_region",
    # issue 10
    "access_grants_user_and_group",
    "access_grants_no_grant",
    "access_grants_other_instance",
    "access_grants_no_instance",
    "access_grants_denied",
}
HAPPY = {
    "auth": "SSO",
    "tip": "ENABLED",
    "app_tip": "ENABLED",
    "app_type": "JupyterLab",
    "kind": "studio",
    "space": "jdoe-space",
    "profile": "jdoe",
    "sharing": "Private",
    "remote": "DISABLED",
    "sso": "jdoe",
    "sso_app": True,
    "store": "sso:DescribeApplication",
    "region": "us-east-1",
    "ic_regions": ["us-east-1"],
    "env_region": "us-east-1",
    "source": "container-role",
    "obo": "jdoe",
    "obo_store": "d-1234567890",
    "studio": True,
    "tip_flags": True,
    "verdict": "propagated",
}
NOT_PROPAGATED = {"obo": None, "verdict": "not_propagated"}
SMUS_USER = "5f1e2d3c-4b5a-4968-8776-a5b4c3d2e1f0"
# What each scenario promises, written out here so a wrong scenario file fails a test.
FACTS: dict[str, dict[str, Any]] = {
    "happy": HAPPY,
    "tip_domain_off": {
        **HAPPY,
        **NOT_PROPAGATED,
        "tip": "DISABLED",
        "app_tip": "DISABLED",
        "tip_flags": False,
    },
    "tip_app_stale": {**HAPPY, **NOT_PROPAGATED, "app_tip": "DISABLED", "tip_flags": False},
    "shared_space": {**HAPPY, **NOT_PROPAGATED, "sharing": "Shared"},
    "remote_access": {**HAPPY, **NOT_PROPAGATED, "remote": "ENABLED"},
    "region_unsupported": {
        **HAPPY,
        **NOT_PROPAGATED,
        "region": "ca-west-1",
        "ic_regions": ["ca-west-1"],
        "env_region": "ca-west-1",
    },
    "iam_auth": {
        **HAPPY,
        **NOT_PROPAGATED,
        "auth": "IAM",
        "tip": "DISABLED",
        "app_tip": "DISABLED",
        "sso": None,
        "sso_app": False,
        "store": None,
        "tip_flags": False,
    },
    "static_keys": {**HAPPY, "source": "env", "verdict": "not_propagated"},
    "no_credentials": {**HAPPY, "source": None, "verdict": "no_credentials"},
    "expired": {**HAPPY, "verdict": "invalid_credentials"},
    "ct_mismatch": {**HAPPY, "obo": "asmith", "verdict": "not_propagated"},
    "ct_absent": {**HAPPY, **NOT_PROPAGATED},
    "ct_pending": HAPPY,
    # issue 10: S3 Access Grants (their own answers: test_emulator_access_grants.py)
    "access_grants_user_and_group": HAPPY,
    "access_grants_no_grant": HAPPY,
    "access_grants_other_instance": HAPPY,
    "access_grants_no_instance": HAPPY,
    "access_grants_no_identity_center": HAPPY,
    "access_grants_denied": HAPPY,
    # The other services' Identity Center integrations never change the Studio facts.
    "services_denied": HAPPY,
    "services_many": HAPPY,
    "services_not_configured": HAPPY,
    "services_other_instance": HAPPY,
    "fleet_day": HAPPY,
    "ct_denied": HAPPY,
    "ct_other_store": {**HAPPY, "obo_store": "d-9a8b7c6d5e", "verdict": "not_propagated"},
    "ct_unattributed": {**HAPPY, "verdict": "unknown"},
    "describe_space_denied": HAPPY,
    "identitystore_denied": HAPPY,
    "sts_throttled": {**HAPPY, "verdict": "unknown"},
    "sagemaker_hang": {**HAPPY, "verdict": "unknown"},
    "profile_env": {**HAPPY, "source": "assume-role", "verdict": "not_propagated"},
    "harmless_env": HAPPY,
    "creds_expiring": HAPPY,
    "outside_studio": {**HAPPY, "studio": False, "kind": None, "verdict": "outside_studio"},
    "old_domain": {**HAPPY, "sso_app": False, "store": "sso:ListInstances"},
    "identity_store_arn_missing": {**HAPPY, "store": "sso:DescribeInstance"},
    "code_editor": {**HAPPY, "app_type": "CodeEditor"},
    "studio_classic": {
        **HAPPY,
        **NOT_PROPAGATED,
        "app_type": "JupyterServer",
        "kind": "studio_classic",
        "app_tip": None,
        "tip_flags": False,
    },
    "unified_studio": {
        **HAPPY,
        **NOT_PROPAGATED,
        "kind": "unified_studio",
        "space": f"default-{SMUS_USER}",
        "profile": SMUS_USER,
    },
    "tip_read_missing": {**HAPPY, "tip": None, "app_tip": None},
    # The same answers, CloudTrail late: the read decides until a Test access proves the owner.
    "tip_read_missing_ct_pending": {
        **HAPPY,
        "tip": None,
        "app_tip": None,
        "verdict": "not_propagated",
    },
    "tip_read_contradicts": {**HAPPY, "tip": "DISABLED", "app_tip": None},
    "tip_domain_off_app_on": {**HAPPY, "tip": "DISABLED"},
    "region_from_arn": {**HAPPY, "env_region": "eu-west-1"},
    "ic_other_region": {**HAPPY, **NOT_PROPAGATED, "ic_regions": ["eu-west-1"]},
}
# Faults a scenario sets: (operation, how to call it, what botocore raises)
FAULTS = {
    "ct_denied": ("cloudtrail", "lookup_events", {}, "AccessDeniedException"),
    "describe_space_denied": (
        "sagemaker",
        "describe_space",
        {"SpaceName": "jdoe-space"},
        "AccessDeniedException",
    ),
    "identitystore_denied": (
        "identitystore",
        "describe_user",
        {"IdentityStoreId": "d-1234567890", "UserId": "x"},
        "AccessDeniedException",
    ),
    "sts_throttled": ("sts", "get_caller_identity", {}, "Throttling"),
    "sagemaker_hang": ("sagemaker", "describe_domain", {}, ReadTimeoutError),
    "ct_unattributed": ("sagemaker", "describe_domain", {}, ConnectionClosedError),
}
STORE_ARN = "arn:aws:identitystore::111122223333:identitystore/d-1234567890"


def test_required_scenarios_exist_and_resolve():
    assert set(scenarios.names()) >= REQUIRED
    assert set(FACTS) == set(scenarios.names()), "every scenario needs its facts listed here"
    for name in scenarios.names():
        sc = scenarios.load(name)
        assert sc["description"], name


def test_unknown_scenario_is_rejected(emulator):
    from studio_emulator.client import EmulatorError

    with pytest.raises(EmulatorError, match="400"):
        emulator.use("no_such_scenario")
    with pytest.raises(EmulatorError, match="400"):
        emulator.use("../happy")


def _code(exc: ClientError) -> str:
    return exc.response["Error"]["Code"]


def _user_id(admin, info, user_name: str) -> str:
    return admin("identitystore", info).get_user_id(
        IdentityStoreId="d-1234567890",
        AlternateIdentifier={
            "UniqueAttribute": {"AttributePath": "userName", "AttributeValue": user_name}
        },
    )["UserId"]


@pytest.mark.parametrize("name", sorted(FACTS))
def test_scenario_facts(emulator, admin, name):
    info = emulator.use(name)
    facts = FACTS[name]
    exp = info["expected"]
    assert info["name"] == name and info["region"] == facts["region"]
    domain_id = exp["domain_id"]
    assert re.fullmatch(r"d-[a-z0-9]{12}", domain_id)  # AWS's form, not moto's d-<name>

    if name in FAULTS:  # the injected failure first, then the facts underneath it
        service, method, params, error = FAULTS[name]
        client = admin(service, info)
        if service == "sagemaker":
            params = {"DomainId": domain_id, **params}
        if isinstance(error, str):
            with pytest.raises(ClientError) as ei:
                getattr(client, method)(**params)
            assert _code(ei.value) == error
        else:
            with pytest.raises(error):
                getattr(client, method)(**params)
        emulator.clear_faults()

    sm = admin("sagemaker", info)
    domain = sm.describe_domain(DomainId=domain_id)
    assert domain["AuthMode"] == facts["auth"]
    tip = domain.get("DomainSettings", {}).get("TrustedIdentityPropagationSettings")
    assert (tip or {}).get("Status") == facts["tip"] and (tip is None) == (facts["tip"] is None)
    assert domain["DefaultUserSettings"]["ExecutionRole"] == exp["execution_role_arn"]
    assert exp["execution_role_arn"] == "arn:aws:iam::111122223333:role/SageMakerExec"
    assert domain["DomainArn"].startswith(f"arn:aws:sagemaker:{facts['region']}:111122223333:")
    assert ("SingleSignOnApplicationArn" in domain) == facts["sso_app"]
    assert domain.get("SingleSignOnApplicationArn") == exp["sso_application_arn"]

    space = sm.describe_space(DomainId=domain_id, SpaceName=facts["space"])
    assert space["SpaceSharingSettings"]["SharingType"] == facts["sharing"]
    assert space["SpaceSettings"]["RemoteAccess"] == facts["remote"]
    assert space["OwnershipSettings"]["OwnerUserProfileName"] == facts["profile"]
    assert space["Status"] == "InService"

    in_space = facts["kind"] != "studio_classic"
    owner = {"SpaceName": facts["space"]} if in_space else {"UserProfileName": facts["profile"]}
    app = sm.describe_app(DomainId=domain_id, AppType=facts["app_type"], AppName="default", **owner)
    assert app.get("EffectiveTrustedIdentityPropagationStatus") == facts["app_tip"]
    assert app["AppArn"] == exp["app_arn"]
    assert app["AppArn"].endswith(f"/{facts['app_type']}/default")  # its real case
    assert exp["app_type"] == facts["app_type"] and exp["studio_kind"] == facts["kind"]
    if in_space:
        assert space["SpaceSettings"]["AppType"] == facts["app_type"]

    profile = sm.describe_user_profile(DomainId=domain_id, UserProfileName=facts["profile"])
    assert profile.get("SingleSignOnUserValue") == facts["sso"]
    assert profile.get("SingleSignOnUserIdentifier") == ("UserName" if facts["sso"] else None)

    _check_identity_center(admin, info, facts, domain)
    assert exp["credential_source"] == facts["source"]
    assert exp["verdict_hint"] == facts["verdict"]
    assert exp["identity_enhanced"] == (facts["obo"] is not None)
    if facts["obo"]:
        assert exp["on_behalf_of_user_id"] == _user_id(admin, info, facts["obo"])
        assert exp["on_behalf_of_identity_store_arn"].endswith(f"/{facts['obo_store']}")

    _check_files(info, facts, domain_id)
    _check_kernelspecs(info, facts)
    _check_env(info, facts)


def _check_identity_center(admin, info, facts, domain) -> None:
    exp = info["expected"]
    sso = admin("sso-admin", info)
    (instance,) = sso.list_instances()["Instances"]
    assert [r["RegionName"] for r in instance["Regions"]] == facts["ic_regions"]
    assert instance["PrimaryRegion"] == facts["ic_regions"][0]
    assert exp["identity_center_serves_region"] == (facts["region"] in facts["ic_regions"])
    assert exp["identity_store_source"] == facts["store"]
    if facts["auth"] != "SSO":
        assert exp["user_id"] is None and exp["identity_store_arn"] is None
        return
    if facts["sso_app"]:
        application = sso.describe_application(ApplicationArn=domain["SingleSignOnApplicationArn"])
        assert application["InstanceArn"] == instance["InstanceArn"]
        assert application.get("IdentityStoreArn") == (
            STORE_ARN if facts["store"] == "sso:DescribeApplication" else None
        )
    described = sso.describe_instance(InstanceArn=instance["InstanceArn"])
    assert described["IdentityStoreId"] == "d-1234567890"
    assert described["IdentityStoreArn"] == STORE_ARN == exp["identity_store_arn"]
    user_id = _user_id(admin, info, facts["sso"])
    assert re.fullmatch(r"[0-9a-f]{10}-[0-9a-f-]{36}", user_id)  # Identity Center's form
    user = admin("identitystore", info).describe_user(
        IdentityStoreId="d-1234567890", UserId=user_id
    )
    assert (user["DisplayName"], user["Emails"][0]["Value"]) == ("Jane Doe", "jdoe@example.com")
    assert (exp["user_id"], exp["user_name"], exp["display_name"], exp["email"]) == (
        user_id,
        "jdoe",
        "Jane Doe",
        "jdoe@example.com",
    )


def _check_files(info: dict[str, Any], facts: dict[str, Any], domain_id: str) -> None:
    meta_path = Path(info["metadata_path"])
    if not facts["studio"]:
        assert not meta_path.exists()
        return
    meta = json.loads(meta_path.read_text())
    owner = facts["profile"] if facts["kind"] == "studio_classic" else facts["space"]
    arn = (
        f"arn:aws:sagemaker:{facts['region']}:111122223333:app/"
        f"{domain_id}/{owner}/{facts['app_type']}/default"
    )
    common = {
        "AppType": facts["app_type"],
        "DomainId": domain_id,
        "ResourceArn": arn,
        "ResourceName": "default",
        "AppImageVersion": "",
    }
    if facts["kind"] == "studio_classic":  # the documented Studio Classic file
        assert meta == {**common, "UserProfileName": facts["profile"]}
        return
    space_app = {
        **common,
        "SpaceName": facts["space"],
        "ExecutionRoleArn": "arn:aws:iam::111122223333:role/SageMakerExec",
        "ResourceArnCaseSensitive": arn,
        "IpAddressType": "ipv4",
    }
    extra = meta.pop("AdditionalMetadata", None)
    assert meta == space_app  # a space app's file has no UserProfileName
    if facts["kind"] == "unified_studio":
        assert set(extra) == {
            "DataZoneDomainId",
            "DataZoneDomainRegion",
            "DataZoneEndpoint",
            "DataZoneEnvironmentId",
            "DataZoneProjectId",
            "DataZoneScopeName",
            "DataZoneStage",
            "DataZoneUserId",
            "PrivateSubnets",
            "ProjectS3Path",
            "SecurityGroup",
        }
        assert extra["DataZoneDomainId"].startswith("dzd_")
        assert extra["DataZoneUserId"] == SMUS_USER
        assert extra["DataZoneDomainRegion"] == facts["region"]
    else:
        assert extra is None
    state = Path(info["state_dir"])
    config = (state / "aws/config").read_text()
    assert "[profile analytics]" in config and "source_profile = analytics-keys" in config
    assert "[profile region-only]\nregion = " in config
    assert "[analytics-keys]" in (state / "aws/credentials").read_text()


def _check_kernelspecs(info: dict[str, Any], facts: dict[str, Any]) -> None:
    state = Path(info["state_dir"])
    specs = info["kernelspecs"]
    assert set(specs) == {"python3-aws-profile", "python3-harmless-aws", "python3-static-keys"}
    for name, spec in specs.items():
        kernel = json.loads((state / "jupyter/kernels" / name / "kernel.json").read_text())
        assert kernel["argv"][1:] == ["-m", "ipykernel_launcher", "-f", "{connection_file}"]
        assert kernel["display_name"] == spec["display_name"]
        assert sorted(kernel["env"]) == spec["env_names"]
    assert specs["python3-aws-profile"]["env_names"] == ["AWS_PROFILE"]
    assert specs["python3-harmless-aws"]["env_names"] == [
        "AWS_PROFILE",
        "AWS_ROLE_ARN",
        "AWS_SESSION_TOKEN",
    ]
    static = json.loads((state / "jupyter/kernels/python3-static-keys/kernel.json").read_text())
    assert static["env"]["AWS_ACCESS_KEY_ID"].startswith("AKIA")
    assert (state / "jupyter/kernels/python3-static-keys/kernel.json").stat().st_mode & 0o077 == 0
    assert specs["python3-static-keys"]["credential_source"] == "env"
    assert specs["python3-static-keys"]["carrier"] is False
    assert specs["python3-static-keys"]["caller_arn"] == (
        "arn:aws:iam::111122223333:user/notebook-bot"
    )
    harmless = specs["python3-harmless-aws"]
    # Harmless variables change nothing: the kernel resolves what the server resolves,
    # except where the server's own AWS_PROFILE is replaced by the region-only one.
    if facts["source"] == "assume-role":
        assert harmless["credential_source"] == "container-role"
    else:
        assert harmless["credential_source"] == facts["source"]
        assert harmless["verdict_hint"] == facts["verdict"]
    expected_static = "outside_studio" if not facts["studio"] else "not_propagated"
    assert specs["python3-static-keys"]["verdict_hint"] == expected_static


def _check_env(info: dict[str, Any], facts: dict[str, Any]) -> None:
    env, url = info["env"], info["url"]
    for var in (
        "AWS_ENDPOINT_URL",
        "AWS_ENDPOINT_URL_STS",
        "AWS_ENDPOINT_URL_SAGEMAKER",
        "AWS_ENDPOINT_URL_IDENTITYSTORE",
        "AWS_ENDPOINT_URL_SSO_ADMIN",
        "AWS_ENDPOINT_URL_CLOUDTRAIL",
        "STUDIO_EMULATOR_URL",
    ):
        assert env[var] == url
    assert env["AWS_REGION"] == env["AWS_DEFAULT_REGION"] == facts["env_region"]
    assert info["expected"]["env_region"] == facts["env_region"]
    assert env["AWS_EC2_METADATA_DISABLED"] == "true"
    assert env["STUDIO_EMULATOR_METADATA"] == info["metadata_path"]
    assert env["JUPYTER_PATH"].split(":")[0] == str(Path(info["state_dir"]) / "jupyter")
    space_app = facts["studio"] and facts["kind"] != "studio_classic"
    assert env["SAGEMAKER_SPACE_NAME"] == (facts["space"] if space_app else None)
    assert env["SAGEMAKER_APP_TYPE"] == (facts["app_type"] if space_app else None)
    assert env["SAGEMAKER_APP_TYPE_LOWERCASE"] == (facts["app_type"].lower() if space_app else None)
    assert env["SAGEMAKER_SPACE_TYPE_LOWERCASE"] == (
        facts["sharing"].lower() if space_app else None
    )
    flags = facts["tip_flags"]
    assert env["TRUSTED_IDENTITY_PROPOGATION_ENABLED"] == ("true" if flags else None)
    assert (env["BOTOCORE_EXPERIMENTAL__PLUGINS"] or "").startswith(
        "S3AccessGrantsPlugin=" if flags else ""
    )
    has_container = facts["source"] is not None or info["name"] == "profile_env"
    assert (
        env["AWS_CONTAINER_CREDENTIALS_FULL_URI"] == f"{url}/_container/credentials"
    ) == has_container
    assert bool(env["AWS_CONTAINER_AUTHORIZATION_TOKEN"]) == has_container
    static = facts["source"] == "env"
    assert bool(env["AWS_ACCESS_KEY_ID"]) == static and bool(env["AWS_SECRET_ACCESS_KEY"]) == static
    harmless = info["name"] == "harmless_env"
    profile = {"assume-role": "analytics"}.get(facts["source"], "region-only" if harmless else None)
    assert env["AWS_PROFILE"] == profile
    assert bool(env["AWS_SESSION_TOKEN"]) == harmless and bool(env["AWS_ROLE_ARN"]) == harmless
    for var in (
        "AWS_DEFAULT_PROFILE",
        "AWS_WEB_IDENTITY_TOKEN_FILE",
        "AWS_CONTAINER_CREDENTIALS_RELATIVE_URI",
    ):
        assert var in env and env[var] is None


def test_the_domain_lives_in_the_region_of_its_arn(emulator, admin):
    info = emulator.use("region_from_arn")
    exp = info["expected"]
    assert exp["metadata_region"] == "us-east-1" != exp["env_region"] == "eu-west-1"
    arn_region = json.loads(Path(info["metadata_path"]).read_text())["ResourceArn"].split(":")[3]
    assert arn_region == info["region"] == "us-east-1"
    sm = admin("sagemaker", info)
    assert sm.describe_domain(DomainId=exp["domain_id"])["DomainId"] == exp["domain_id"]
    elsewhere = {**info, "region": exp["env_region"]}
    with pytest.raises(ClientError) as ei:
        admin("sagemaker", elsewhere).describe_domain(DomainId=exp["domain_id"])
    assert _code(ei.value) == "ResourceNotFound"

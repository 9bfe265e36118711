"""Every scenario promises facts; real botocore clients read them back from the emulator."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from botocore.exceptions import ClientError, ReadTimeoutError

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
}
HAPPY = {
    "auth": "SSO",
    "tip": "ENABLED",
    "app_tip": "ENABLED",
    "sharing": "Private",
    "remote": "DISABLED",
    "sso": "jdoe",
    "region": "us-east-1",
    "source": "container-role",
    "obo": "jdoe",
    "studio": True,
    "tip_flags": True,
    "verdict": "propagated",
}
# What each scenario promises, written out here so a wrong scenario file fails a test.
FACTS: dict[str, dict[str, Any]] = {
    "happy": HAPPY,
    "tip_domain_off": {
        **HAPPY,
        "tip": "DISABLED",
        "app_tip": "DISABLED",
        "obo": None,
        "tip_flags": False,
        "verdict": "not_propagated",
    },
    "tip_app_stale": {
        **HAPPY,
        "app_tip": "DISABLED",
        "obo": None,
        "tip_flags": False,
        "verdict": "not_propagated",
    },
    "shared_space": {**HAPPY, "sharing": "Shared", "obo": None, "verdict": "not_propagated"},
    "remote_access": {**HAPPY, "remote": "ENABLED", "obo": None, "verdict": "not_propagated"},
    "region_unsupported": {
        **HAPPY,
        "region": "ca-west-1",
        "obo": None,
        "verdict": "not_propagated",
    },
    "iam_auth": {
        **HAPPY,
        "auth": "IAM",
        "tip": "DISABLED",
        "app_tip": "DISABLED",
        "sso": None,
        "obo": None,
        "tip_flags": False,
        "verdict": "not_propagated",
    },
    "static_keys": {**HAPPY, "source": "env", "verdict": "not_propagated"},
    "no_credentials": {**HAPPY, "source": None, "verdict": "no_credentials"},
    "expired": {**HAPPY, "verdict": "invalid_credentials"},
    "ct_mismatch": {**HAPPY, "obo": "asmith", "verdict": "not_propagated"},
    "ct_absent": {**HAPPY, "obo": None, "verdict": "not_propagated"},
    "ct_pending": HAPPY,
    "ct_denied": HAPPY,
    "describe_space_denied": {**HAPPY, "verdict": "unknown"},
    "identitystore_denied": HAPPY,
    "sts_throttled": {**HAPPY, "verdict": "unknown"},
    "sagemaker_hang": {**HAPPY, "verdict": "unknown"},
    "profile_env": {**HAPPY, "source": "assume-role", "verdict": "not_propagated"},
    "creds_expiring": HAPPY,
    "outside_studio": {**HAPPY, "studio": False, "verdict": "outside_studio"},
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
}


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


@pytest.mark.parametrize("name", sorted(FACTS))
def test_scenario_facts(emulator, admin, name):
    info = emulator.use(name)
    facts = FACTS[name]
    exp = info["expected"]
    assert info["name"] == name and info["region"] == facts["region"]
    domain_id = exp["domain_id"]

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
    assert domain["DomainSettings"]["TrustedIdentityPropagationSettings"]["Status"] == facts["tip"]
    assert domain["DefaultUserSettings"]["ExecutionRole"] == exp["execution_role_arn"]
    assert exp["execution_role_arn"] == "arn:aws:iam::111122223333:role/SageMakerExec"
    assert domain["DomainArn"].startswith(f"arn:aws:sagemaker:{facts['region']}:111122223333:")

    space = sm.describe_space(DomainId=domain_id, SpaceName="jdoe-space")
    assert space["SpaceSharingSettings"]["SharingType"] == facts["sharing"]
    assert space["SpaceSettings"]["RemoteAccess"] == facts["remote"]
    assert space["OwnershipSettings"]["OwnerUserProfileName"] == "jdoe"
    assert space["Status"] == "InService"

    app = sm.describe_app(
        DomainId=domain_id, SpaceName="jdoe-space", AppType="JupyterLab", AppName="default"
    )
    assert app["EffectiveTrustedIdentityPropagationStatus"] == facts["app_tip"]
    assert app["AppArn"] == exp["app_arn"]

    profile = sm.describe_user_profile(DomainId=domain_id, UserProfileName="jdoe")
    assert profile.get("SingleSignOnUserValue") == facts["sso"]
    assert profile.get("SingleSignOnUserIdentifier") == ("UserName" if facts["sso"] else None)

    sso = admin("sso-admin", info)
    if facts["auth"] == "SSO":
        application = sso.describe_application(ApplicationArn=domain["SingleSignOnApplicationArn"])
        store_arn = application["IdentityStoreArn"]
        assert store_arn == "arn:aws:identitystore::111122223333:identitystore/d-1234567890"
        assert store_arn == exp["identity_store_arn"]
        ids = admin("identitystore", info)
        user_id = ids.get_user_id(
            IdentityStoreId="d-1234567890",
            AlternateIdentifier={
                "UniqueAttribute": {"AttributePath": "userName", "AttributeValue": facts["sso"]}
            },
        )["UserId"]
        user = ids.describe_user(IdentityStoreId="d-1234567890", UserId=user_id)
        assert (user["DisplayName"], user["Emails"][0]["Value"]) == ("Jane Doe", "jdoe@example.com")
        assert (exp["user_id"], exp["user_name"], exp["display_name"], exp["email"]) == (
            user_id,
            "jdoe",
            "Jane Doe",
            "jdoe@example.com",
        )
    else:
        with pytest.raises(ClientError) as ei:
            sso.describe_application(ApplicationArn=domain["SingleSignOnApplicationArn"])
        assert _code(ei.value) == "ResourceNotFoundException"
        assert exp["user_id"] is None and exp["identity_store_arn"] is None

    assert exp["credential_source"] == facts["source"]
    assert exp["verdict_hint"] == facts["verdict"]
    assert exp["identity_enhanced"] == (facts["obo"] is not None)
    if facts["obo"]:
        ids = admin("identitystore", info)
        obo_id = ids.get_user_id(
            IdentityStoreId="d-1234567890",
            AlternateIdentifier={
                "UniqueAttribute": {"AttributePath": "userName", "AttributeValue": facts["obo"]}
            },
        )["UserId"]
        assert exp["on_behalf_of_user_id"] == obo_id

    _check_files(info, facts, domain_id)
    _check_env(info, facts)


def _check_files(info: dict[str, Any], facts: dict[str, Any], domain_id: str) -> None:
    meta_path = Path(info["metadata_path"])
    if not facts["studio"]:
        assert not meta_path.exists()
        return
    meta = json.loads(meta_path.read_text())
    assert meta["DomainId"] == domain_id
    assert meta["SpaceName"] == "jdoe-space" and meta["UserProfileName"] == "jdoe"
    assert meta["AppType"] == "JupyterLab" and meta["ResourceName"] == "default"
    assert meta["ResourceArn"] == (
        f"arn:aws:sagemaker:{facts['region']}:111122223333:app/"
        f"{domain_id}/jdoe-space/jupyterlab/default"
    )
    assert meta["ExecutionRoleArn"] == "arn:aws:iam::111122223333:role/SageMakerExec"
    state = Path(info["state_dir"])
    kernel = json.loads((state / "jupyter/kernels/python3-aws-profile/kernel.json").read_text())
    assert kernel["display_name"] == "Python 3 (AWS_PROFILE=analytics)"
    assert kernel["env"] == {"AWS_PROFILE": "analytics"}
    assert kernel["argv"][1:] == ["-m", "ipykernel_launcher", "-f", "{connection_file}"]
    config = (state / "aws/config").read_text()
    assert "[profile analytics]" in config and "source_profile = analytics-keys" in config
    assert "[analytics-keys]" in (state / "aws/credentials").read_text()


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
    assert env["AWS_REGION"] == env["AWS_DEFAULT_REGION"] == facts["region"]
    assert env["AWS_EC2_METADATA_DISABLED"] == "true"
    assert env["STUDIO_EMULATOR_METADATA"] == info["metadata_path"]
    assert env["JUPYTER_PATH"].split(":")[0] == str(Path(info["state_dir"]) / "jupyter")
    assert env["SAGEMAKER_SPACE_NAME"] == ("jdoe-space" if facts["studio"] else None)
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
    assert env["AWS_PROFILE"] == ("analytics" if facts["source"] == "assume-role" else None)
    for var in (
        "AWS_SESSION_TOKEN",
        "AWS_DEFAULT_PROFILE",
        "AWS_ROLE_ARN",
        "AWS_WEB_IDENTITY_TOKEN_FILE",
        "AWS_CONTAINER_CREDENTIALS_RELATIVE_URI",
    ):
        assert var in env and env[var] is None

"""Credentials resolve through botocore's own chain the way they do in a Studio space."""

from __future__ import annotations

import json
import subprocess
import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from botocore.credentials import ContainerProvider
from botocore.exceptions import ClientError, CredentialRetrievalError, NoCredentialsError
from emulator_helpers import FAST
from emulator_helpers import fetch_container as _fetch

from studio_emulator.client import apply_env
from studio_emulator.state import mask

EXEC_SESSION = "arn:aws:sts::111122223333:assumed-role/SageMakerExec/SageMaker"


def _sts(session):
    return session.create_client("sts", config=FAST)


def test_container_provider_resolves_execution_role(happy):
    creds = ContainerProvider(environ=apply_env(happy["env"])).load()
    assert creds.method == "container-role"
    frozen = creds.get_frozen_credentials()
    assert frozen.access_key.startswith("ASIA") and frozen.token
    assert creds._expiry_time > datetime.now(UTC) + timedelta(minutes=50)


def test_default_chain_in_a_clean_process_is_the_container_role(happy):
    # The whole chain, in a process that only has the scenario's environment.
    code = (
        "import boto3, json; s = boto3.Session(); c = s.get_credentials(); "
        "print(json.dumps([c.method, s.client('sts').get_caller_identity()['Arn']]))"
    )
    env = apply_env(happy["env"], base={"PATH": "/usr/bin:/bin"})
    out = subprocess.run(
        [sys.executable, "-c", code],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    assert json.loads(out.stdout) == ["container-role", EXEC_SESSION]


def test_session_uses_container_role_and_sts_sees_the_assumed_role(happy, session_for):
    session = session_for(happy)
    assert session.get_credentials().method == "container-role"
    ident = _sts(session).get_caller_identity()
    assert ident["Arn"] == EXEC_SESSION == happy["expected"]["caller_arn"]
    assert ident["Account"] == "111122223333"


def test_container_token_is_enforced(happy):
    assert _fetch(happy, None)[0] == 403
    assert _fetch(happy, "wrong-token")[0] == 403
    status, body = _fetch(happy, happy["env"]["AWS_CONTAINER_AUTHORIZATION_TOKEN"])
    assert status == 200
    assert set(body) >= {"AccessKeyId", "SecretAccessKey", "Token", "Expiration"}
    assert body["RoleArn"] == happy["expected"]["execution_role_arn"]
    env = apply_env({**happy["env"], "AWS_CONTAINER_AUTHORIZATION_TOKEN": "wrong-token"})
    provider = ContainerProvider(environ=env)
    provider._fetcher.RETRY_ATTEMPTS = 1  # botocore's default: 3 tries, 1 s apart
    provider._fetcher.SLEEP_TIME = 0
    with pytest.raises(CredentialRetrievalError):
        provider.load()


def test_keys_are_reused_until_rotated_and_old_keys_stay_valid(happy, emulator, session_for):
    token = happy["env"]["AWS_CONTAINER_AUTHORIZATION_TOKEN"]
    first = _fetch(happy, token)[1]
    assert _fetch(happy, token)[1]["AccessKeyId"] == first["AccessKeyId"]
    rotated = emulator.rotate()
    assert rotated["access_key_id"] != mask(first["AccessKeyId"])
    second = _fetch(happy, token)[1]
    assert second["AccessKeyId"] != first["AccessKeyId"]
    assert rotated["access_key_id"] == mask(second["AccessKeyId"])
    session = session_for(
        happy,
        AWS_CONTAINER_CREDENTIALS_FULL_URI=None,
        AWS_ACCESS_KEY_ID=first["AccessKeyId"],
        AWS_SECRET_ACCESS_KEY=first["SecretAccessKey"],
        AWS_SESSION_TOKEN=first["Token"],
    )
    assert _sts(session).get_caller_identity()["Arn"] == EXEC_SESSION


def test_profile_analytics_is_an_assumed_role(happy, session_for):
    session = session_for(happy, AWS_PROFILE="analytics")
    assert session.get_credentials().method == "assume-role"
    arn = _sts(session).get_caller_identity()["Arn"]
    assert arn == "arn:aws:sts::111122223333:assumed-role/AnalyticsRole/analytics"


def test_profile_env_scenario(emulator, session_for):
    info = emulator.use("profile_env")
    session = session_for(info)
    assert session.get_credentials().method == "assume-role"
    assert _sts(session).get_caller_identity()["Arn"] == info["expected"]["caller_arn"]


def test_static_keys_override_the_container(emulator, session_for):
    info = emulator.use("static_keys")
    session = session_for(info)
    assert session.get_credentials().method == "env"
    assert _sts(session).get_caller_identity()["Arn"] == (
        "arn:aws:iam::111122223333:user/notebook-bot"
    )
    # the container credentials are still there underneath
    assert ContainerProvider(environ=apply_env(info["env"])).load().method == "container-role"


def test_no_credentials(emulator, session_for):
    info = emulator.use("no_credentials")
    session = session_for(info)
    assert session.get_credentials() is None
    with pytest.raises(NoCredentialsError):
        _sts(session).get_caller_identity()


def test_expired_keys_are_rejected_by_sts(emulator, session_for):
    info = emulator.use("expired")
    status, body = _fetch(info, info["env"]["AWS_CONTAINER_AUTHORIZATION_TOKEN"])
    assert status == 200
    expiry = datetime.fromisoformat(body["Expiration"].replace("Z", "+00:00"))
    assert expiry < datetime.now(UTC)
    # botocore itself refuses to use container keys that are still expired after a refresh
    with pytest.raises(RuntimeError, match="still expired"):
        session_for(info).get_credentials().get_frozen_credentials()
    # sent anyway, STS answers ExpiredToken
    session = session_for(
        info,
        AWS_CONTAINER_CREDENTIALS_FULL_URI=None,
        AWS_ACCESS_KEY_ID=body["AccessKeyId"],
        AWS_SECRET_ACCESS_KEY=body["SecretAccessKey"],
        AWS_SESSION_TOKEN=body["Token"],
    )
    with pytest.raises(ClientError) as ei:
        _sts(session).get_caller_identity()
    assert ei.value.response["Error"]["Code"] == "ExpiredToken"
    assert "expired" in ei.value.response["Error"]["Message"]


def test_expiring_credentials(emulator):
    info = emulator.use("creds_expiring")
    body = _fetch(info, info["env"]["AWS_CONTAINER_AUTHORIZATION_TOKEN"])[1]
    left = datetime.fromisoformat(body["Expiration"].replace("Z", "+00:00")) - datetime.now(UTC)
    assert timedelta(minutes=5) < left <= timedelta(minutes=10)


def test_keys_from_an_earlier_scenario_follow_the_new_one(emulator, session_for):
    """A long-running server keeps its cached container keys when tests switch scenarios."""
    happy = emulator.use("happy")
    old = _fetch(happy, happy["env"]["AWS_CONTAINER_AUTHORIZATION_TOKEN"])[1]
    info = emulator.use("ct_mismatch")
    assert (
        info["env"]["AWS_CONTAINER_AUTHORIZATION_TOKEN"]
        == happy["env"]["AWS_CONTAINER_AUTHORIZATION_TOKEN"]
    )
    session = session_for(
        info,
        AWS_CONTAINER_CREDENTIALS_FULL_URI=None,
        AWS_ACCESS_KEY_ID=old["AccessKeyId"],
        AWS_SECRET_ACCESS_KEY=old["SecretAccessKey"],
        AWS_SESSION_TOKEN=old["Token"],
    )
    assert _sts(session).get_caller_identity()["Arn"] == EXEC_SESSION
    # SageMaker records onBehalfOf (STS does not)
    session.create_client("sagemaker", config=FAST).describe_domain(
        DomainId=info["expected"]["domain_id"]
    )
    events = [e for e in emulator.events() if e["AccessKeyId"] == old["AccessKeyId"]]
    assert (
        events[-1]["CloudTrailEvent"]["userIdentity"]["onBehalfOf"]["userId"]
        == (info["expected"]["on_behalf_of_user_id"])
    )


def _resolve_in_clean_process(env: dict) -> list:
    code = (
        "import boto3, json; s = boto3.Session(); c = s.get_credentials(); "
        "print(json.dumps([c.method, s.client('sts').get_caller_identity()['Arn']]))"
    )
    out = subprocess.run(
        [sys.executable, "-c", code],
        env=apply_env(env, base={"PATH": "/usr/bin:/bin"}),
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    return json.loads(out.stdout)


@pytest.mark.parametrize(
    "kernel", ["python3-harmless-aws", "python3-static-keys", "python3-aws-profile"]
)
def test_each_kernelspec_resolves_what_the_info_says(happy, kernel):
    spec = json.loads(
        (Path(happy["state_dir"]) / "jupyter/kernels" / kernel / "kernel.json").read_text()
    )
    said = happy["kernelspecs"][kernel]
    resolved = _resolve_in_clean_process({**happy["env"], **spec["env"]})
    assert resolved == [said["credential_source"], said["caller_arn"]]
    assert said["carrier"] == (resolved == ["container-role", EXEC_SESSION])


def test_harmless_server_variables_change_nothing(emulator):
    info = emulator.use("harmless_env")
    assert info["env"]["AWS_SESSION_TOKEN"] and info["env"]["AWS_ROLE_ARN"]
    assert info["env"]["AWS_PROFILE"] == "region-only"
    assert _resolve_in_clean_process(info["env"]) == ["container-role", EXEC_SESSION]
    assert info["expected"]["credential_source"] == "container-role"

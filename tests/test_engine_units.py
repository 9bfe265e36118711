"""Unit tests of the engine's pure parts: no AWS, no server."""

from __future__ import annotations

import asyncio
import json
from datetime import UTC, datetime, timedelta

import pytest

from jupyterlab_trusted_identity.engine import cloudtrail as ct
from jupyterlab_trusted_identity.engine.arns import (
    account_of,
    app_of,
    last_segment,
    region_of,
    role_arn_of,
    role_name_of,
    session_name_of,
)
from jupyterlab_trusted_identity.engine.cache import TtlCache
from jupyterlab_trusted_identity.engine.credentials import (
    ResolvedCredentials,
    candidate_variables,
    compare_with_space,
    container_uri,
    fingerprint,
)
from jupyterlab_trusted_identity.engine.masking import mask_access_key, mask_key_ids
from jupyterlab_trusted_identity.engine.metadata import MetadataError, MetadataReader
from jupyterlab_trusted_identity.engine.services import s3_access_grants

SESSION = "arn:aws:sts::111122223333:assumed-role/SageMakerExec/SageMaker"


def test_arns():
    assert role_name_of(SESSION) == "SageMakerExec"
    assert session_name_of(SESSION) == "SageMaker"
    assert role_arn_of(SESSION) == "arn:aws:iam::111122223333:role/SageMakerExec"
    assert role_name_of("arn:aws:iam::1:role/service-role/Exec") == "Exec"
    assert role_name_of("arn:aws:sts::1:user/moto") is None
    assert role_arn_of("arn:aws:sts::1:user/moto") is None
    assert account_of(SESSION) == "111122223333"
    assert last_segment("arn:aws:identitystore::1:identitystore/d-1234567890") == "d-1234567890"
    assert role_name_of(None) is None and role_name_of("garbage") is None
    app = "arn:aws:sagemaker:eu-west-1:111122223333:app/d-abc/jdoe-space/JupyterLab/default"
    assert region_of(app) == "eu-west-1" and region_of("garbage") is None
    assert app_of(app) == ("d-abc", "jdoe-space", "JupyterLab", "default")
    assert app_of("arn:aws:sagemaker:eu-west-1:1:space/d-abc/jdoe-space") is None


def test_masking_never_reveals_a_whole_key():
    assert mask_access_key("ASIAEXAMPLEKEY12WXYZ") == "ASIA…WXYZ"
    assert mask_access_key("ASIA…WXYZ") == "ASIA…WXYZ"
    assert mask_access_key("AB") == "…"
    assert mask_access_key(None) is None
    text = mask_key_ids("The key AKIAIOSFODNN7EXAMPLE is invalid")
    assert "AKIAIOSFODNN7EXAMPLE" not in text and "AKIA…MPLE" in text


def test_candidate_variables_name_what_could_replace_the_container_credentials():
    server = {"AWS_CONTAINER_CREDENTIALS_FULL_URI": "http://127.0.0.1:1/c", "HOME": "/root"}
    assert candidate_variables(server, server) == []
    kernel = {**server, "AWS_PROFILE": "analytics", "AWS_SECRET_ACCESS_KEY": ""}
    assert candidate_variables(kernel, server) == ["AWS_PROFILE"]
    moved = {**server, "AWS_CONTAINER_CREDENTIALS_FULL_URI": "http://127.0.0.1:2/c"}
    assert candidate_variables(moved, server) == ["AWS_CONTAINER_CREDENTIALS_FULL_URI"]
    removed = {"HOME": "/root"}
    assert candidate_variables(removed, server) == ["AWS_CONTAINER_CREDENTIALS_FULL_URI"]
    web = {**server, "AWS_ROLE_ARN": "arn", "AWS_ROLE_SESSION_NAME": "x"}
    assert candidate_variables(web, server) == ["AWS_ROLE_ARN", "AWS_ROLE_SESSION_NAME"]


def _resolved(source: str | None, key: str | None = "ASIAKEY1", uri: str | None = None):
    return ResolvedCredentials(
        source=source,
        access_key_id=key,
        secret_access_key="s" if key else None,
        container_uri=uri,
        problem=None if key else "no_credentials",
    )


def test_botocores_resolution_decides_an_override_and_names_explain_it():
    uri = "http://127.0.0.1:1/c"
    server_env = {"AWS_CONTAINER_CREDENTIALS_FULL_URI": uri}
    space = _resolved("container-role", uri=uri)
    harmless = {
        **server_env,
        "AWS_SESSION_TOKEN": "t",
        "AWS_ROLE_ARN": "arn:aws:iam::1:role/R",
        "AWS_PROFILE": "regional",
    }
    # The same provider and endpoint (a rotated key included): the names change nothing.
    same = compare_with_space(
        _resolved("container-role", "ASIAKEY2", uri), space, harmless, server_env
    )
    assert same.differs is False and same.overriding == ()
    assert same.ignored == ("AWS_SESSION_TOKEN", "AWS_PROFILE", "AWS_ROLE_ARN")
    # Another provider: the variables that lead botocore to it explain the override.
    static = {**harmless, "AWS_ACCESS_KEY_ID": "AKIA", "AWS_SECRET_ACCESS_KEY": "x"}
    env = compare_with_space(_resolved("env", "AKIAKEY"), space, static, server_env)
    assert env.differs is True
    assert env.overriding == ("AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN")
    assert env.ignored == ("AWS_PROFILE", "AWS_ROLE_ARN")
    profile = compare_with_space(_resolved("assume-role", "ASIAKEY3"), space, harmless, server_env)
    assert profile.overriding == ("AWS_PROFILE",)
    moved = {**server_env, "AWS_CONTAINER_CREDENTIALS_FULL_URI": "http://127.0.0.1:2/c"}
    other = compare_with_space(
        _resolved("container-role", uri="http://127.0.0.1:2/c"), space, moved, server_env
    )
    assert other.differs is True and other.overriding == ("AWS_CONTAINER_CREDENTIALS_FULL_URI",)
    # No credentials where the space has some: the profile that does not exist explains it.
    missing = compare_with_space(_resolved(None, None), space, harmless, server_env)
    assert missing.differs is True and "AWS_PROFILE" in missing.overriding
    # A resolution that failed (timed out) decides nothing.
    failed = ResolvedCredentials(source=None, problem="error", detail="timeout")
    assert compare_with_space(failed, space, harmless, server_env).differs is None
    # The server itself: its credentials should be the container's.
    assert compare_with_space(space, None, server_env, server_env).differs is False
    server_static = compare_with_space(_resolved("env", "AKIAKEY"), None, static, static)
    assert server_static.differs is True and "AWS_ACCESS_KEY_ID" in server_static.overriding


def test_fingerprint_reads_only_what_the_chain_reads():
    base = {"AWS_REGION": "us-east-1", "HOME": "/root", "PATH": "/bin"}
    assert fingerprint(base) == fingerprint({**base, "PATH": "/usr/bin", "JPY_SESSION_NAME": "x"})
    assert fingerprint(base) != fingerprint({**base, "AWS_PROFILE": "p"})
    assert fingerprint(base) != fingerprint({**base, "HOME": "/home/x"})


def test_container_uri():
    assert container_uri({"AWS_CONTAINER_CREDENTIALS_RELATIVE_URI": "/v2/c"}) == (
        "http://169.254.170.2/v2/c"
    )
    assert container_uri({}) is None


def _event(
    user_id: str | None, name: str = "GetCallerIdentity", source: str = "sts.amazonaws.com"
) -> dict:
    identity = {"type": "AssumedRole", "accessKeyId": "ASIAX"}
    if user_id:
        identity["onBehalfOf"] = {
            "userId": user_id,
            "identityStoreArn": "arn:aws:identitystore::1:identitystore/d-1",
        }
    return {
        "EventId": "e1",
        "EventName": name,
        "EventTime": datetime(2026, 11, 28, 12, tzinfo=UTC),
        "EventSource": source,
        "CloudTrailEvent": json.dumps({"userIdentity": identity, "eventName": name}),
    }


def test_cloudtrail_interpretation():
    assert ct.interpret([]).status == ct.PENDING
    absent = ct.interpret([_event(None), _event(None, source="sagemaker.amazonaws.com")])
    assert absent.status == ct.ABSENT and absent.events_seen == 2
    found = ct.interpret([_event(None), _event("u-1")])
    assert found.user_id == "u-1" and found.event_time == "2026-11-28T12:00:00Z"
    assert found.compared_with("u-1").status == ct.VERIFIED
    assert found.compared_with("u-2").status == ct.MISMATCH
    assert found.compared_with(None).status == ct.VERIFIED
    assert ct.interpret([{"CloudTrailEvent": "not json"}]).status == ct.INCONCLUSIVE
    assert absent.compared_with("u-1").status == ct.ABSENT


def test_cloudtrail_decides_absence_only_from_sources_that_record_onbehalfof():
    sts_only = ct.interpret([_event(None), _event(None, name="GetSessionToken")])
    assert sts_only.status == ct.INCONCLUSIVE
    assert sts_only.sources_seen == ("sts.amazonaws.com",)
    assert "sts.amazonaws.com" in sts_only.detail
    for source in ("sagemaker.amazonaws.com", "s3.amazonaws.com", "athena.amazonaws.com"):
        assert ct.interpret([_event(None), _event(None, source=source)]).status == ct.ABSENT


def test_cloudtrail_compares_the_identity_store_too():
    found = ct.interpret([_event("u-1")])
    same_store = "arn:aws:identitystore::1:identitystore/d-1"
    assert found.compared_with("u-1", same_store).status == ct.VERIFIED
    other = found.compared_with("u-1", "arn:aws:identitystore::1:identitystore/d-2")
    assert other.status == ct.MISMATCH and "identity store" in other.detail
    # An unknown expected store compares the user only.
    assert found.compared_with("u-1", None).status == ct.VERIFIED


def test_metadata_reader(tmp_path):
    path = tmp_path / "resource-metadata.json"
    reader = MetadataReader(str(path))
    assert reader.read() is None and reader.stamp() is None
    path.write_text(
        json.dumps(
            {
                "DomainId": "d-1",
                "ResourceArn": "arn:aws:sagemaker:eu-west-1:111122223333:app/d-1/s/jupyterlab/x",
            }
        )
    )
    written = reader.stamp()
    assert written is not None  # the file appeared: the engine's generation moves with it
    meta = reader.read({"SAGEMAKER_SPACE_NAME": "from-env"})
    assert meta.domain_id == "d-1" and meta.region == "eu-west-1"
    assert meta.space_name == "from-env" and meta.account == "111122223333"
    # No AppType: the ARN names it, whatever its case.
    assert meta.app_type == "JupyterLab" and not meta.unified_studio
    path.write_text(
        json.dumps(
            {
                "DomainId": "d-1",
                "AppType": "JupyterLab",
                "AdditionalMetadata": {
                    "DataZoneDomainId": "dzd_abc",
                    "DataZoneProjectId": "prj1",
                    "ProjectS3Path": "s3://b/p",
                },
            }
        )
    )
    assert reader.stamp() != written
    unified = reader.read()
    assert unified.unified_studio
    assert unified.datazone == {"DataZoneDomainId": "dzd_abc", "DataZoneProjectId": "prj1"}
    path.write_text("{}")
    with pytest.raises(MetadataError):
        reader.read()
    path.write_text("not json at all")
    with pytest.raises(MetadataError):
        reader.read()


def test_s3_access_grants_plugin_detection():
    module = "aws_s3_access_grants_boto3_plugin.s3_access_grants_plugin"
    configured = s3_access_grants(
        {"BOTOCORE_EXPERIMENTAL__PLUGINS": f"Other=x.y, S3AccessGrantsPlugin={module}"}
    )
    assert configured.configured and configured.module == module
    missing = s3_access_grants({"BOTOCORE_EXPERIMENTAL__PLUGINS": "S3AccessGrantsPlugin=no.such"})
    assert missing.configured and missing.importable is False
    assert not s3_access_grants({}).configured
    assert not s3_access_grants({"BOTOCORE_EXPERIMENTAL__PLUGINS": "DISABLED"}).configured


class _Clock:
    def __init__(self):
        self.now = 0.0

    def __call__(self) -> float:
        return self.now


def test_cache_single_flight_ttl_and_force():
    clock = _Clock()
    cache = TtlCache(clock)
    calls = []

    async def load():
        calls.append(1)
        await asyncio.sleep(0.01)
        return len(calls)

    async def scenario():
        values = await asyncio.gather(*(cache.get("k", load, lambda v: 10) for _ in range(20)))
        assert values == [1] * 20 and len(calls) == 1  # twenty waiters, one load
        assert await cache.get("k", load, lambda v: 10) == 1
        clock.now = 11  # expired
        assert await cache.get("k", load, lambda v: 10) == 2
        assert await cache.get("k", load, lambda v: 10, force=True) == 3
        assert await cache.get("zero", load, lambda v: 0) == 4
        assert await cache.get("zero", load, lambda v: 0) == 5  # ttl 0 is not kept

    asyncio.run(scenario())


def test_cache_load_survives_a_cancelled_waiter():
    cache = TtlCache()

    async def slow():
        await asyncio.sleep(0.05)
        return "warm"

    async def scenario():
        with pytest.raises(asyncio.TimeoutError):
            await asyncio.wait_for(cache.get("k", slow, lambda v: 60), 0.01)
        await asyncio.sleep(0.1)
        assert cache.peek("k") == "warm"  # the deadline cut the waiter, not the load

    asyncio.run(scenario())


def test_rate_limiter_spaces_calls():
    clock = _Clock()
    limiter = ct.RateLimiter(2.0, clock=clock)
    slept = []

    async def scenario():
        real_sleep = asyncio.sleep

        async def fake_sleep(delay):
            slept.append(round(delay, 3))
            await real_sleep(0)

        asyncio.sleep = fake_sleep  # type: ignore[assignment]
        try:
            for _ in range(3):
                await limiter.wait()
        finally:
            asyncio.sleep = real_sleep  # type: ignore[assignment]

    asyncio.run(scenario())
    assert slept == [0.5, 1.0]


def test_expiry_boundaries_are_reported(tmp_path):
    from jupyterlab_trusted_identity.engine.checks import credentials_expiry
    from jupyterlab_trusted_identity.engine.config import EngineConfig
    from jupyterlab_trusted_identity.engine.credentials import ResolvedCredentials
    from jupyterlab_trusted_identity.engine.facts import Facts
    from jupyterlab_trusted_identity.engine.scope import Scope

    now = datetime(2026, 11, 28, 12, tzinfo=UTC)
    config = EngineConfig(expiry_warning=900)

    def status(minutes: float) -> str:
        facts = Facts(scope=Scope("server", {}), now=now)
        facts.credentials = ResolvedCredentials(
            "container-role", "ASIAEXAMPLEKEY123456", "s", "t", now + timedelta(minutes=minutes)
        )
        return credentials_expiry(facts, config).status

    assert status(60) == "pass"
    assert status(10) == "warn"
    assert status(-1) == "fail"


def test_cache_generation_moves_on_loads_evictions_and_lapses():
    clock = _Clock()
    cache = TtlCache(clock)

    async def load():
        return "value"

    async def scenario():
        start = cache.generation.token()
        assert cache.generation.token() == start  # nothing happened
        await cache.get("k", load, lambda v: 10)
        stored = cache.generation.token()
        assert stored != start
        await cache.get("k", load, lambda v: 10)  # a hit changes nothing
        clock.now = 9.5
        assert cache.generation.token() == stored  # still within its lifetime
        clock.now = 10
        lapsed = cache.generation.token()
        assert lapsed != stored  # its lifetime ended: a report would load it again
        assert cache.generation.token() == lapsed
        await cache.get("forever", load, lambda v: float("inf"))
        kept = cache.generation.token()
        assert kept != lapsed
        clock.now = 1e9
        assert cache.generation.token() == kept  # no lifetime, no lapse
        cache.invalidate(lambda key: key == "forever")
        assert cache.generation.token() != kept

    asyncio.run(scenario())


def test_generation_follows_the_credentials_countdown_a_report_shows():
    """The engine's token moves when the expiry check's words would change (minutes left, the
    warning window, the expiry), and not in between."""
    from jupyterlab_trusted_identity.engine.checks import credentials_expiry
    from jupyterlab_trusted_identity.engine.config import EngineConfig
    from jupyterlab_trusted_identity.engine.engine import _countdown_changes
    from jupyterlab_trusted_identity.engine.facts import Facts
    from jupyterlab_trusted_identity.engine.scope import Scope

    now = datetime(2026, 11, 28, 12, tzinfo=UTC)

    def shown(creds: ResolvedCredentials, config: EngineConfig, at: datetime) -> tuple[str, str]:
        facts = Facts(scope=Scope("server", {}), now=at)
        facts.credentials = creds
        check = credentials_expiry(facts, config)
        return check.status, check.detail

    for warning in (900.0, 100.0):
        config = EngineConfig(expiry_warning=warning)
        for left in (3599.5, 930.0, 901.0, 125.0, 110.0, 60.0, 59.9, 0.5):
            expires = now + timedelta(seconds=left)
            creds = ResolvedCredentials("container-role", "ASIAEXAMPLEKEY123456", "s", "t", expires)
            facts = Facts(scope=Scope("server", {}), now=now)
            facts.credentials = creds
            changes = _countdown_changes(facts, warning)
            assert changes is not None and 0 < changes <= 60.001, (left, changes)
            before = now + timedelta(seconds=changes - 0.01)
            after = now + timedelta(seconds=changes)
            assert shown(creds, config, before) == shown(creds, config, now), (warning, left)
            assert shown(creds, config, after) != shown(creds, config, now), (warning, left)
    expired = Facts(scope=Scope("server", {}), now=now)
    expired.credentials = _resolved("container-role")  # no expiry time: nothing counts down
    assert _countdown_changes(expired, 900) is None

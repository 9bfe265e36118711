"""Each injected fault surfaces as the botocore error a real failure would give."""

from __future__ import annotations

import json
import threading
import time
import urllib.error
import urllib.request

import pytest
from botocore.exceptions import (
    ClientError,
    ConnectionClosedError,
    ReadTimeoutError,
)
from botocore.parsers import ResponseParserError
from emulator_helpers import fetch_container

from studio_emulator.client import EmulatorError

ERRORS = {
    # fault: (code for STS' query protocol, code for JSON protocols, HTTP status if both agree)
    "denied": ("AccessDenied", "AccessDeniedException"),
    "throttle": ("Throttling", "ThrottlingException"),
    "5xx": ("InternalFailure", "InternalFailure"),
    "unavailable": ("ServiceUnavailable", "ServiceUnavailable"),
    "expired": ("ExpiredToken", "ExpiredTokenException"),
}
STATUS = {
    "denied": (403, 400),
    "throttle": (400, 400),
    "5xx": (500, 500),
    "unavailable": (503, 503),
    "expired": (400, 400),
}


@pytest.fixture
def clients(happy, session_for):
    from emulator_helpers import FAST

    session = session_for(happy)
    return {
        "sts": session.create_client("sts", config=FAST),
        "sagemaker": session.create_client("sagemaker", config=FAST),
        "domain_id": happy["expected"]["domain_id"],
    }


def _sts_call(c):
    return c["sts"].get_caller_identity()


def _sm_call(c):
    return c["sagemaker"].describe_space(DomainId=c["domain_id"], SpaceName="jdoe-space")


@pytest.mark.parametrize("kind", sorted(ERRORS))
def test_error_faults(emulator, clients, kind):
    _sts_call(clients)  # credentials fetched before faults are set
    emulator.fault("sts:GetCallerIdentity", kind)
    emulator.fault("sagemaker:DescribeSpace", kind)
    with pytest.raises(ClientError) as sts_err:
        _sts_call(clients)
    with pytest.raises(ClientError) as sm_err:
        _sm_call(clients)
    assert sts_err.value.response["Error"]["Code"] == ERRORS[kind][0]
    assert sm_err.value.response["Error"]["Code"] == ERRORS[kind][1]
    assert sts_err.value.response["ResponseMetadata"]["HTTPStatusCode"] == STATUS[kind][0]
    assert sm_err.value.response["ResponseMetadata"]["HTTPStatusCode"] == STATUS[kind][1]
    calls = emulator.calls()["calls"]
    assert [c["fault"] for c in calls[-2:]] == [kind, kind]


def test_malformed(emulator, clients):
    emulator.fault("sts:GetCallerIdentity", "malformed")
    emulator.fault("sagemaker:DescribeSpace", "malformed")
    with pytest.raises(ResponseParserError):
        _sts_call(clients)
    # botocore's JSON parser swallows an unparseable 200 body: the result is simply empty
    result = _sm_call(clients)
    assert "SpaceSharingSettings" not in result


def test_refused(emulator, clients):
    emulator.fault("sts:*", "refused")
    with pytest.raises(ConnectionClosedError):
        _sts_call(clients)
    assert emulator.calls()["calls"][-1]["status"] is None


def test_hang_times_out_then_is_released_by_clear(emulator, clients):
    _sts_call(clients)
    emulator.fault("sagemaker:*", "hang")
    started = time.monotonic()
    with pytest.raises(ReadTimeoutError):
        _sm_call(clients)
    assert 1.9 < time.monotonic() - started < 5

    # a request held by the hang ends as soon as faults are cleared
    emulator.fault("sts:GetCallerIdentity", "hang")
    outcome: dict[str, object] = {}

    def call() -> None:
        req = urllib.request.Request(
            emulator.url + "/",
            method="POST",
            data=b"Action=GetCallerIdentity&Version=2011-06-15",
            headers={"Content-Type": "application/x-www-form-urlencoded"},
        )
        t0 = time.monotonic()
        try:
            urllib.request.urlopen(req, timeout=30)
        except Exception as e:  # the connection closes without a response
            outcome["error"] = type(e).__name__
        outcome["took"] = time.monotonic() - t0

    thread = threading.Thread(target=call)
    thread.start()
    time.sleep(0.5)
    assert thread.is_alive()
    emulator.clear_faults()
    thread.join(10)
    assert not thread.is_alive() and outcome["took"] < 5 and "error" in outcome


def test_hang_seconds_bound_the_hang(emulator, happy):
    emulator.fault("sts:GetCallerIdentity", "hang", hang_seconds=0.3)
    req = urllib.request.Request(
        emulator.url + "/",
        method="POST",
        data=b"Action=GetCallerIdentity&Version=2011-06-15",
        headers={"Content-Type": "application/x-www-form-urlencoded"},
    )
    t0 = time.monotonic()
    with pytest.raises((ConnectionError, urllib.error.URLError)):  # closed, no response
        urllib.request.urlopen(req, timeout=10)
    assert time.monotonic() - t0 < 3


def test_count_limits_a_fault(emulator, clients):
    emulator.fault("sts:GetCallerIdentity", "throttle", count=2)
    for _ in range(2):
        with pytest.raises(ClientError):
            _sts_call(clients)
    assert _sts_call(clients)["Arn"].endswith("assumed-role/SageMakerExec/SageMaker")


def test_most_specific_fault_wins(emulator, clients):
    emulator.fault("*", "5xx")
    emulator.fault("sagemaker:*", "throttle")
    emulator.fault("sagemaker:DescribeSpace", "denied")
    with pytest.raises(ClientError) as ei:
        _sm_call(clients)
    assert ei.value.response["Error"]["Code"] == "AccessDeniedException"
    with pytest.raises(ClientError) as ei:
        clients["sagemaker"].describe_domain(DomainId=clients["domain_id"])
    assert ei.value.response["Error"]["Code"] == "ThrottlingException"
    with pytest.raises(ClientError) as ei:
        _sts_call(clients)
    assert ei.value.response["Error"]["Code"] == "InternalFailure"
    emulator.clear_faults()
    assert _sm_call(clients)["SpaceName"] == "jdoe-space"


def test_container_endpoint_faults(emulator, happy):
    token = happy["env"]["AWS_CONTAINER_AUTHORIZATION_TOKEN"]
    emulator.fault("container:GetCredentials", "5xx", count=1)
    assert fetch_container(happy, token)[0] == 500
    assert fetch_container(happy, token)[0] == 200


def test_delay_slows_aws_calls_only(emulator, clients):
    _sts_call(clients)
    emulator.delay(400)
    t0 = time.monotonic()
    _sts_call(clients)
    assert time.monotonic() - t0 >= 0.4
    t0 = time.monotonic()
    emulator.health()
    assert time.monotonic() - t0 < 0.3
    emulator.delay(0)


def test_calls_are_logged_and_counted(emulator, clients, happy):
    emulator.reset_calls()
    _sts_call(clients)
    _sts_call(clients)
    _sm_call(clients)
    emulator.fault("sagemaker:DescribeSpace", "denied", count=1)
    with pytest.raises(ClientError):
        _sm_call(clients)
    log = emulator.calls()
    assert log["counts"]["sts:GetCallerIdentity"] == 2
    assert log["counts"]["sagemaker:DescribeSpace"] == 2
    assert log["total"] == 4  # container fetches are not AWS operations
    entry = [c for c in log["calls"] if c["operation"] == "sagemaker:DescribeSpace"][-1]
    assert entry["service"] == "sagemaker" and entry["status"] == 400
    assert entry["fault"] == "denied"
    # key ids are masked; no secret of any kind is in the log
    text = json.dumps(log)
    for call in log["calls"]:
        assert call["access_key_id"] is None or "…" in call["access_key_id"]
    assert happy["env"]["AWS_CONTAINER_AUTHORIZATION_TOKEN"] not in text
    emulator.reset_calls()
    assert emulator.calls() == {"calls": [], "counts": {}, "total": 0}


def test_container_fetches_are_counted_separately(emulator, happy):
    emulator.reset_calls()
    fetch_container(happy, happy["env"]["AWS_CONTAINER_AUTHORIZATION_TOKEN"])
    log = emulator.calls()
    assert log["counts"] == {"container:GetCredentials": 1} and log["total"] == 0


def test_control_api_rejects_bad_input(emulator, happy):
    with pytest.raises(EmulatorError, match="400"):
        emulator.fault("sts:GetCallerIdentity", "explode")
    with pytest.raises(EmulatorError, match="400"):
        emulator.fault("GetCallerIdentity", "denied")
    with pytest.raises(urllib.error.HTTPError) as ei:
        urllib.request.urlopen(emulator.url + "/_emulator/nope", timeout=5)
    assert ei.value.code == 404 and "error" in json.loads(ei.value.read())
    assert emulator.health()["status"] == "ok"

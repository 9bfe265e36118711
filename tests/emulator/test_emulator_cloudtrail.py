"""CloudTrail records the calls of each key and tells who an identity-enhanced session acts for."""

from __future__ import annotations

import json
import time
from datetime import UTC, datetime, timedelta

import pytest
from botocore.exceptions import ClientError, ConnectionClosedError
from emulator_helpers import FAST


@pytest.fixture
def space(session_for):
    """Clients of the space's own (container) credentials in a scenario."""

    def make(info):
        session = session_for(info)
        frozen = session.get_credentials().get_frozen_credentials()
        return (
            session.create_client("sts", config=FAST),
            session.create_client("cloudtrail", config=FAST),
            frozen.access_key,
        )

    return make


def _by_key(ct, key, **extra):
    return ct.lookup_events(
        LookupAttributes=[{"AttributeKey": "AccessKeyId", "AttributeValue": key}], **extra
    )


def _on_behalf_of(event):
    return json.loads(event["CloudTrailEvent"])["userIdentity"].get("onBehalfOf")


def _sagemaker_call(session_for, info):
    """One call to a service that records onBehalfOf (SageMaker)."""
    sm = session_for(info).create_client("sagemaker", config=FAST)
    sm.describe_domain(DomainId=info["expected"]["domain_id"])


def test_events_of_the_space_key_carry_on_behalf_of_the_owner(emulator, happy, space, session_for):
    sts, ct, key = space(happy)
    sts.get_caller_identity()
    events = _by_key(ct, key)["Events"]
    assert [e["EventName"] for e in events] == ["GetCallerIdentity"]
    event = events[0]
    assert event["AccessKeyId"] == key and event["EventSource"] == "sts.amazonaws.com"
    assert event["ReadOnly"] == "true" and event["Username"] == "SageMaker"
    assert isinstance(event["EventTime"], datetime)
    record = json.loads(event["CloudTrailEvent"])
    assert record["eventType"] == "AwsApiCall" and record["eventName"] == "GetCallerIdentity"
    assert record["awsRegion"] == "us-east-1" and record["eventID"] == event["EventId"]
    ident = record["userIdentity"]
    assert ident["type"] == "AssumedRole"
    assert ident["arn"] == "arn:aws:sts::111122223333:assumed-role/SageMakerExec/SageMaker"
    assert ident["accountId"] == "111122223333" and ident["accessKeyId"] == key
    assert ident["principalId"].endswith(":SageMaker")
    issuer = ident["sessionContext"]["sessionIssuer"]
    assert issuer["arn"] == "arn:aws:iam::111122223333:role/SageMakerExec"
    assert "onBehalfOf" not in ident  # STS does not record it
    _sagemaker_call(session_for, happy)
    newest = _by_key(ct, key)["Events"][0]
    assert newest["EventSource"] == "sagemaker.amazonaws.com"
    assert _on_behalf_of(newest) == {
        "userId": happy["expected"]["user_id"],
        "identityStoreArn": "arn:aws:identitystore::111122223333:identitystore/d-1234567890",
    }
    # the LookupEvents call itself is an event too, newest first
    assert [e["EventName"] for e in _by_key(ct, key)["Events"]][:3] == [
        "LookupEvents",
        "DescribeDomain",
        "LookupEvents",
    ]


def test_only_sources_that_record_it_carry_on_behalf_of(emulator, happy, session_for):
    session = session_for(happy)
    key = session.get_credentials().get_frozen_credentials().access_key
    domain_id = happy["expected"]["domain_id"]
    clients = {s: session.create_client(s, config=FAST) for s in ("sagemaker", "sso-admin")}
    clients["sagemaker"].describe_domain(DomainId=domain_id)
    clients["sagemaker"].describe_space(DomainId=domain_id, SpaceName="jdoe-space")
    clients["sso-admin"].list_instances()
    session.create_client("identitystore", config=FAST).describe_user(
        IdentityStoreId="d-1234567890", UserId=happy["expected"]["user_id"]
    )
    session.create_client("sts", config=FAST).get_caller_identity()
    session.create_client("cloudtrail", config=FAST).lookup_events(MaxResults=1)
    carried = {
        e["EventSource"]: "onBehalfOf" in e["CloudTrailEvent"]["userIdentity"]
        for e in emulator.events()
        if e["AccessKeyId"] == key
    }
    assert carried == {
        "sagemaker.amazonaws.com": True,
        "sso.amazonaws.com": False,
        "identitystore.amazonaws.com": False,
        "sts.amazonaws.com": False,
        "cloudtrail.amazonaws.com": False,
    }


def test_lookup_returns_the_events_of_its_own_region(emulator, happy, space, session_for):
    sts, ct, key = space(happy)
    sts.get_caller_identity()
    elsewhere = session_for(happy).create_client("cloudtrail", region_name="eu-west-1", config=FAST)
    assert _by_key(elsewhere, key)["Events"] == []
    assert [e["EventName"] for e in _by_key(ct, key)["Events"]] == ["GetCallerIdentity"]


def test_on_behalf_of_can_name_another_identity_store(emulator, space, session_for):
    info = emulator.use("ct_other_store")
    _sts, ct, key = space(info)
    _sagemaker_call(session_for, info)
    obo = _on_behalf_of(_by_key(ct, key)["Events"][0])
    assert obo["userId"] == info["expected"]["user_id"]
    assert obo["identityStoreArn"].endswith("identitystore/d-9a8b7c6d5e")
    assert obo["identityStoreArn"] != info["expected"]["identity_store_arn"]
    assert info["expected"]["on_behalf_of_identity_store_arn"] == obo["identityStoreArn"]


def test_unattributed_sessions_have_only_sources_without_on_behalf_of(emulator, space, session_for):
    info = emulator.use("ct_unattributed")
    sts, ct, key = space(info)
    sts.get_caller_identity()
    with pytest.raises(ConnectionClosedError):  # refused: no answer at all
        _sagemaker_call(session_for, info)
    events = _by_key(ct, key)["Events"]
    assert events and {e["EventSource"] for e in events} == {"sts.amazonaws.com"}
    assert info["expected"]["identity_enhanced"] is True  # the keys are, CloudTrail cannot tell


def test_other_keys_events_are_not_returned(emulator, happy, space, session_for):
    sts, ct, key = space(happy)
    other = session_for(happy, AWS_PROFILE="analytics").create_client("sts", config=FAST)
    other.get_caller_identity()
    sts.get_caller_identity()
    names = [e["EventName"] for e in _by_key(ct, key)["Events"]]
    assert names == ["GetCallerIdentity"]
    # the analytics session (a role assumed inside the space) has no onBehalfOf
    assumed = [
        e
        for e in emulator.events()
        if e["EventName"] == "GetCallerIdentity" and e["AccessKeyId"] != key
    ]
    assert assumed and all(
        "onBehalfOf" not in e["CloudTrailEvent"]["userIdentity"] for e in assumed
    )
    assert assumed[0]["CloudTrailEvent"]["userIdentity"]["arn"].endswith(
        "assumed-role/AnalyticsRole/analytics"
    )


@pytest.mark.parametrize(
    "name,who",
    [
        ("ct_mismatch", "asmith"),
        ("ct_absent", None),
        ("iam_auth", None),
        ("tip_domain_off", None),
        ("happy", "jdoe"),
        ("tip_read_missing", "jdoe"),
        ("tip_domain_off_app_on", "jdoe"),
        ("ic_other_region", None),
        ("studio_classic", None),
    ],
)
def test_on_behalf_of_follows_the_scenario(emulator, admin, space, session_for, name, who):
    info = emulator.use(name)
    _sts, ct, key = space(info)
    _sagemaker_call(session_for, info)
    events = _by_key(ct, key)["Events"]
    assert events
    obo = _on_behalf_of(events[0])
    if who is None:
        assert obo is None
        assert info["expected"]["on_behalf_of_user_id"] is None
    else:
        user_id = admin("identitystore", info).get_user_id(
            IdentityStoreId="d-1234567890",
            AlternateIdentifier={
                "UniqueAttribute": {"AttributePath": "userName", "AttributeValue": who}
            },
        )["UserId"]
        assert obo["userId"] == user_id == info["expected"]["on_behalf_of_user_id"]


def test_pending_events_are_hidden_until_delivered(emulator, space):
    info = emulator.use("ct_pending")
    sts, ct, key = space(info)
    sts.get_caller_identity()
    assert _by_key(ct, key)["Events"] == []
    assert any(e["AccessKeyId"] == key for e in emulator.events())  # recorded, not delivered
    emulator.cloudtrail_delay(0)
    assert "GetCallerIdentity" in [e["EventName"] for e in _by_key(ct, key)["Events"]]


def test_lookup_denied(emulator, space):
    info = emulator.use("ct_denied")
    _sts, ct, key = space(info)
    with pytest.raises(ClientError) as ei:
        _by_key(ct, key)
    assert ei.value.response["Error"]["Code"] == "AccessDeniedException"


def test_static_key_events_are_an_iam_user(emulator, session_for):
    info = emulator.use("static_keys")
    session = session_for(info)
    key = session.get_credentials().get_frozen_credentials().access_key
    session.create_client("sts", config=FAST).get_caller_identity()
    events = _by_key(session.create_client("cloudtrail", config=FAST), key)["Events"]
    ident = json.loads(events[-1]["CloudTrailEvent"])["userIdentity"]
    assert ident["type"] == "IAMUser" and ident["userName"] == "notebook-bot"
    assert "onBehalfOf" not in ident and events[-1]["Username"] == "notebook-bot"


def test_filters_and_pages(emulator, happy, space):
    sts, ct, key = space(happy)
    for _ in range(5):
        sts.get_caller_identity()
    by_name = ct.lookup_events(
        LookupAttributes=[{"AttributeKey": "EventName", "AttributeValue": "GetCallerIdentity"}]
    )
    assert len(by_name["Events"]) == 5

    attrs = [{"AttributeKey": "EventName", "AttributeValue": "GetCallerIdentity"}]
    first = ct.lookup_events(LookupAttributes=attrs, MaxResults=2)
    second = ct.lookup_events(LookupAttributes=attrs, MaxResults=2, NextToken=first["NextToken"])
    third = ct.lookup_events(LookupAttributes=attrs, MaxResults=2, NextToken=second["NextToken"])
    ids = [e["EventId"] for page in (first, second, third) for e in page["Events"]]
    assert len(ids) == len(set(ids)) == 5 and "NextToken" not in third
    times = [e["EventTime"] for page in (first, second, third) for e in page["Events"]]
    assert times == sorted(times, reverse=True)

    future = datetime.now(UTC) + timedelta(hours=1)
    assert _by_key(ct, key, StartTime=future)["Events"] == []
    assert _by_key(ct, key, EndTime=datetime.now(UTC) - timedelta(hours=1))["Events"] == []
    assert (
        len(_by_key(ct, key, StartTime=future - timedelta(hours=2), EndTime=future)["Events"]) > 5
    )

    paginator = ct.get_paginator("lookup_events")
    pages = list(paginator.paginate(LookupAttributes=attrs, PaginationConfig={"PageSize": 2}))
    assert sum(len(p["Events"]) for p in pages) == 5


def test_invalid_lookups(emulator, happy, space):
    _, ct, key = space(happy)
    cases = [
        ({"MaxResults": 51}, "InvalidMaxResultsException"),
        (
            {
                "LookupAttributes": [
                    {"AttributeKey": "AccessKeyId", "AttributeValue": key},
                    {"AttributeKey": "EventName", "AttributeValue": "X"},
                ]
            },
            "InvalidLookupAttributesException",
        ),
        ({"NextToken": "not-a-token"}, "InvalidNextTokenException"),
        (
            {"StartTime": datetime.now(UTC), "EndTime": datetime.now(UTC) - timedelta(hours=1)},
            "InvalidTimeRangeException",
        ),
    ]
    for params, code in cases:
        with pytest.raises(ClientError) as ei:
            ct.lookup_events(**params)
        assert ei.value.response["Error"]["Code"] == code, params


def test_events_are_newest_first_across_services(emulator, happy, space, session_for):
    sts, ct, key = space(happy)
    sm = session_for(happy).create_client("sagemaker", config=FAST)
    sts.get_caller_identity()
    time.sleep(0.01)
    sm.describe_domain(DomainId=happy["expected"]["domain_id"])
    events = _by_key(ct, key)["Events"]
    assert [(e["EventName"], e["EventSource"]) for e in events] == [
        ("DescribeDomain", "sagemaker.amazonaws.com"),
        ("GetCallerIdentity", "sts.amazonaws.com"),
    ]


def test_the_simulated_clock_delivers_each_event_after_its_own_drawn_delay(emulator, space):
    """bench/fleet.py and tests/test_budget.py move the emulator's clock: events wait for their
    own delay (fleet_day: drawn between 300 and 900 s) in simulated time, not in real time."""
    info = emulator.use("fleet_day")
    sts, ct, key = space(info)
    for _ in range(12):
        sts.get_caller_identity()
    assert _by_key(ct, key)["Events"] == []
    delivered = []
    for _ in range(10):  # 100 s steps across the 300-900 s window
        emulator.advance_clock(100)
        events = _by_key(ct, key)["Events"]  # (lookups are recorded too: count STS's only)
        delivered.append(sum(e["EventName"] == "GetCallerIdentity" for e in events))
    # None before 300 s, all by 900 s (the 1000th second), and not all at once: delays vary.
    assert delivered[1] == 0 and delivered[-1] == 12, delivered
    assert len(set(delivered[2:9])) >= 3, delivered


def test_the_simulated_clock_rotates_container_credentials(emulator, session_for):
    info = emulator.use("fleet_day")  # 75-minute credentials, renewed 15 minutes before expiry
    first = session_for(info).get_credentials().get_frozen_credentials().access_key
    emulator.advance_clock(30 * 60)
    assert session_for(info).get_credentials().get_frozen_credentials().access_key == first
    emulator.advance_clock(31 * 60)
    assert session_for(info).get_credentials().get_frozen_credentials().access_key != first

"""S3 Access Grants as the emulator answers them: a botocore s3control client made from a
scenario's environment (the account id in front of the host, the emulator as HTTP proxy),
the grants of the space's identity-enhanced session, GetDataAccess's matching rules, paging,
the errors, and each access_grants_* scenario."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from botocore.exceptions import ClientError
from emulator_helpers import FAST
from wire_shapes import Wire, full_models_session, problems

from studio_emulator.accessgrants import VENDED_MARKER, covers, permits

ACCOUNT = "111122223333"
BUCKET = "s3://amzn-s3-demo-bucket"
JDOE = f"{BUCKET}/users/jdoe/*"
INSTANCE_ARN = f"arn:aws:s3:us-east-1:{ACCOUNT}:access-grants/default"
ROLE_ARN = f"arn:aws:iam::{ACCOUNT}:role/SageMakerExec"


@pytest.fixture
def s3control(emulator, session_for):
    """An s3control client of the space's own session, made from the scenario's env only."""

    def make(name: str) -> tuple[Any, dict[str, Any]]:
        info = emulator.use(name)
        client = session_for(info).create_client("s3control", config=FAST)
        return client, info

    return make


def _error(call, **params) -> tuple[str, int, str]:
    with pytest.raises(ClientError) as ei:
        call(AccountId=ACCOUNT, **params)
    resp = ei.value.response
    return (
        resp["Error"]["Code"],
        resp["ResponseMetadata"]["HTTPStatusCode"],
        resp["Error"]["Message"],
    )


def _scopes(client, **params) -> list[str]:
    listed = client.list_caller_access_grants(AccountId=ACCOUNT, **params)
    return [g["GrantScope"] for g in listed["CallerAccessGrantsList"]]


def test_the_scenario_env_reaches_the_emulator_through_the_proxy(s3control, emulator):
    client, info = s3control("happy")
    env = info["env"]
    assert env["AWS_ENDPOINT_URL_S3_CONTROL"] == "http://s3-control.emulator.test"
    assert env["HTTP_PROXY"] == env["http_proxy"] == info["url"]
    assert set(env["NO_PROXY"].split(",")) >= {"127.0.0.1", "localhost"}
    sent: list[tuple[str, str]] = []
    client.meta.events.register(
        "before-send",
        lambda request, **_: sent.append((request.url, request.headers["x-amz-account-id"])),
    )
    emulator.reset_calls()
    client.get_access_grants_instance(AccountId=ACCOUNT)
    assert sent[0][0].startswith(f"http://{ACCOUNT}.s3-control.emulator.test/v20180820/")
    assert sent[0][1] in (ACCOUNT, ACCOUNT.encode())
    assert emulator.calls()["counts"].get("s3:GetAccessGrantsInstance") == 1


def test_happy_instance_is_on_the_domains_identity_center(s3control):
    client, info = s3control("happy")
    exp = info["expected"]
    inst = client.get_access_grants_instance(AccountId=ACCOUNT)
    assert inst["AccessGrantsInstanceArn"] == INSTANCE_ARN == exp["access_grants_instance_arn"]
    assert inst["AccessGrantsInstanceId"] == "default"
    assert inst["IdentityCenterInstanceArn"] == exp["identity_center_instance_arn"]
    assert inst["IdentityCenterArn"] == inst["IdentityCenterInstanceArn"]
    assert inst["IdentityCenterApplicationArn"].startswith(
        f"arn:aws:sso::{ACCOUNT}:application/ssoins-7223a1b2c3d4e5f6/apl-"
    )
    assert inst["CreatedAt"] == datetime(2024, 6, 10, 9, tzinfo=UTC)
    assert exp["access_grants_same_identity_center"] is True


def test_happy_lists_only_jdoes_grant_and_test_access_allows_it_only(s3control):
    client, info = s3control("happy")
    listed = client.list_caller_access_grants(AccountId=ACCOUNT)["CallerAccessGrantsList"]
    assert listed == [
        {"Permission": "READWRITE", "GrantScope": JDOE, "AccessGrantsInstanceArn": INSTANCE_ARN}
    ]
    before = datetime.now(UTC)
    got = client.get_data_access(AccountId=ACCOUNT, Target=JDOE, Permission="READ")
    assert got["MatchedGrantTarget"] == JDOE
    assert got["MatchedInstanceArn"] == INSTANCE_ARN
    assert got["Grantee"] == {
        "GranteeType": "DIRECTORY_USER",
        "GranteeIdentifier": info["expected"]["user_id"],
    }
    creds = got["Credentials"]
    assert VENDED_MARKER in creds["SecretAccessKey"] and VENDED_MARKER in creds["SessionToken"]
    assert creds["AccessKeyId"].startswith("ASIA")
    assert timedelta(minutes=59) < creds["Expiration"] - before < timedelta(minutes=61)
    short = client.get_data_access(
        AccountId=ACCOUNT, Target=JDOE, Permission="WRITE", DurationSeconds=900
    )["Credentials"]["Expiration"]
    assert short - before < timedelta(minutes=16)

    other = f"{BUCKET}/users/asmith/*"
    code, status, message = _error(client.get_data_access, Target=other, Permission="READ")
    assert (code, status) == ("AccessDenied", 403)
    assert message == f"You do not have READ permissions to the requested S3 Prefix: {other}"
    assert info["expected"]["access_grants_caller_grants"] == [
        {
            "GrantScope": JDOE,
            "Permission": "READWRITE",
            "ApplicationArn": None,
            "GranteeType": "DIRECTORY_USER",
            "GranteeIdentifier": info["expected"]["user_id"],
        }
    ]


@pytest.mark.parametrize(
    "target,target_type,allowed",
    [
        (JDOE, None, True),
        (f"{BUCKET}/users/jdoe/sub/*", None, True),
        (f"{BUCKET}/users/jdoe/file.csv", "Object", True),
        (f"{BUCKET}/users/jdoe/file.csv", None, True),
        (f"{BUCKET}/users/jdoe", None, False),  # the prefix without its slash is outside
        (f"{BUCKET}/users/jdoe2/*", None, False),
        (f"{BUCKET}/users/*", None, False),  # wider than the grant
        ("s3://other-bucket/users/jdoe/*", None, False),
    ],
)
def test_get_data_access_matches_the_scope(s3control, target, target_type, allowed):
    client, _ = s3control("happy")
    params = {"TargetType": target_type} if target_type else {}
    if allowed:
        got = client.get_data_access(AccountId=ACCOUNT, Target=target, Permission="READ", **params)
        assert got["MatchedGrantTarget"] == JDOE
    else:
        assert _error(client.get_data_access, Target=target, Permission="READ", **params)[:2] == (
            "AccessDenied",
            403,
        )


def test_matching_rules():
    assert covers("s3://b/p/*", "s3://b/p/x/*") and covers("s3://b/p/*", "s3://b/p/x.csv")
    assert not covers("s3://b/p/*", "s3://b/p") and not covers("s3://b/p/*", "s3://b/*")
    assert covers("s3://b/p/x.csv", "s3://b/p/x.csv", "Object")
    assert not covers("s3://b/p/x.csv", "s3://b/p/x.csv2", "Object")
    assert covers("s3://*", "s3://any/thing/*")
    assert permits("READWRITE", "READ") and permits("READWRITE", "WRITE")
    assert permits("READ", "READ") and not permits("READ", "WRITE")
    assert not permits("READ", "READWRITE") and not permits("WRITE", "READWRITE")


def test_user_group_and_iam_grants(s3control):
    client, info = s3control("access_grants_user_and_group")
    exp = info["expected"]
    listed = client.list_caller_access_grants(AccountId=ACCOUNT)["CallerAccessGrantsList"]
    # newest first; finance is asmith's group only, asmith's own grant is not jdoe's
    assert [g["GrantScope"] for g in listed] == [
        f"{BUCKET}/projects/churn/*",
        JDOE,
        f"{BUCKET}/shared/*",
    ]
    assert listed[0]["ApplicationArn"] == exp["sso_application_arn"]
    assert "ApplicationArn" not in listed[1]
    assert [g["GrantScope"] for g in exp["access_grants_caller_grants"]] == [
        g["GrantScope"] for g in listed
    ]

    group = client.get_data_access(
        AccountId=ACCOUNT, Target=f"{BUCKET}/projects/churn/q3/*", Permission="READ"
    )
    assert group["Grantee"]["GranteeType"] == "DIRECTORY_GROUP"
    assert (
        group["Grantee"]["GranteeIdentifier"]
        == exp["access_grants_caller_grants"][0]["GranteeIdentifier"]
    )
    assert group["Grantee"]["GranteeIdentifier"] != exp["user_id"]
    assert _error(client.get_data_access, Target=f"{BUCKET}/projects/churn/*", Permission="WRITE")[
        :2
    ] == ("AccessDenied", 403)
    iam = client.get_data_access(AccountId=ACCOUNT, Target=f"{BUCKET}/shared/*", Permission="READ")
    assert iam["Grantee"] == {"GranteeType": "IAM", "GranteeIdentifier": ROLE_ARN}
    assert _error(client.get_data_access, Target=f"{BUCKET}/finance/*", Permission="READ")[0] == (
        "AccessDenied"
    )

    assert _scopes(client, GrantScope=f"{BUCKET}/projects") == [f"{BUCKET}/projects/churn/*"]
    assert _scopes(client, AllowedByApplication=True) == [
        f"{BUCKET}/projects/churn/*",
        JDOE,
        f"{BUCKET}/shared/*",
    ]


def test_paging_honours_max_results(s3control):
    client, _ = s3control("access_grants_user_and_group")
    full = _scopes(client)
    pages, token = [], None
    while True:
        params = {"MaxResults": 1, **({"NextToken": token} if token else {})}
        page = client.list_caller_access_grants(AccountId=ACCOUNT, **params)
        pages.append([g["GrantScope"] for g in page["CallerAccessGrantsList"]])
        token = page.get("NextToken")
        if not token:
            break
    assert pages == [[s] for s in full] and len(full) == 3
    two = client.list_caller_access_grants(AccountId=ACCOUNT, MaxResults=2)
    assert len(two["CallerAccessGrantsList"]) == 2 and two["NextToken"]
    # a token is good for the same query only
    code, status, _ = _error(
        client.list_caller_access_grants, MaxResults=1, NextToken=two["NextToken"]
    )
    assert (code, status) == ("InvalidRequest", 400)
    assert _error(client.list_caller_access_grants, NextToken="garbage")[:2] == (
        "InvalidRequest",
        400,
    )
    assert "NextToken" not in client.list_caller_access_grants(AccountId=ACCOUNT, MaxResults=3)


def test_no_grant(s3control):
    client, info = s3control("access_grants_no_grant")
    assert client.get_access_grants_instance(AccountId=ACCOUNT)["IdentityCenterInstanceArn"]
    assert _scopes(client) == [] and info["expected"]["access_grants_caller_grants"] == []
    assert _error(client.get_data_access, Target=JDOE, Permission="READ")[:2] == (
        "AccessDenied",
        403,
    )


def test_other_identity_center_instance(s3control):
    client, info = s3control("access_grants_other_instance")
    inst = client.get_access_grants_instance(AccountId=ACCOUNT)
    assert inst["IdentityCenterInstanceArn"] != info["expected"]["identity_center_instance_arn"]
    assert (
        inst["IdentityCenterInstanceArn"] == info["expected"]["access_grants_identity_center_arn"]
    )
    assert info["expected"]["access_grants_same_identity_center"] is False
    # jdoe's grant is there, but her identity is not one this instance's directory knows
    assert _scopes(client) == []
    assert _error(client.get_data_access, Target=JDOE, Permission="READ")[0] == "AccessDenied"


def test_no_identity_center(s3control):
    client, info = s3control("access_grants_no_identity_center")
    inst = client.get_access_grants_instance(AccountId=ACCOUNT)
    assert inst["AccessGrantsInstanceArn"] == INSTANCE_ARN
    assert not {
        "IdentityCenterArn",
        "IdentityCenterInstanceArn",
        "IdentityCenterApplicationArn",
    } & set(inst)
    assert info["expected"]["access_grants_identity_center_arn"] is None
    assert _scopes(client) == []


def test_no_instance(s3control):
    client, info = s3control("access_grants_no_instance")
    assert info["expected"]["access_grants_instance_arn"] is None
    for call, params in (
        (client.get_access_grants_instance, {}),
        (client.list_caller_access_grants, {}),
        (client.get_data_access, {"Target": JDOE, "Permission": "READ"}),
    ):
        assert _error(call, **params) == (
            "AccessGrantsInstanceNotExistsError",
            404,
            "Access Grants Instance does not exist",
        )


def test_denied_to_the_role(s3control, emulator):
    client, _ = s3control("access_grants_denied")
    for call, params, action in (
        (client.get_access_grants_instance, {}, "s3:GetAccessGrantsInstance"),
        (client.list_caller_access_grants, {}, "s3:ListCallerAccessGrants"),
        (client.get_data_access, {"Target": JDOE, "Permission": "READ"}, "s3:GetDataAccess"),
    ):
        code, status, message = _error(call, **params)
        assert (code, status) == ("AccessDenied", 403)
        assert f"not authorized to perform: {action}" in message
    emulator.clear_faults()
    assert _scopes(client) == [JDOE]


def test_a_session_without_the_identity_has_only_iam_grants(s3control):
    client, info = s3control("tip_domain_off")
    assert info["expected"]["identity_enhanced"] is False
    assert _scopes(client) == []
    assert _error(client.get_data_access, Target=JDOE, Permission="READ")[0] == "AccessDenied"


def test_bad_input_and_another_account(s3control):
    client, _ = s3control("happy")
    for params in (
        {"Target": "https://amzn-s3-demo-bucket/x", "Permission": "READ"},
        {"Target": JDOE, "Permission": "READ", "DurationSeconds": 43201},
    ):
        assert _error(client.get_data_access, **params)[:2] == ("InvalidRequest", 400)
    with pytest.raises(ClientError) as ei:
        client.get_data_access(AccountId="999988887777", Target=JDOE, Permission="READ")
    assert ei.value.response["Error"]["Code"] == "AccessDenied"


def test_vended_credentials_are_never_logged_or_recorded(s3control, emulator):
    client, info = s3control("happy")
    emulator.reset_calls()
    client.get_data_access(AccountId=ACCOUNT, Target=JDOE, Permission="READWRITE")
    stored = json.dumps([emulator.calls(), emulator.events(), emulator.info])
    assert VENDED_MARKER not in stored
    event = next(e for e in emulator.events() if e["EventName"] == "GetDataAccess")
    record = event["CloudTrailEvent"]
    assert record["eventSource"] == "s3.amazonaws.com"
    assert record["userIdentity"]["onBehalfOf"]["userId"] == info["expected"]["user_id"]


# -- the rest-xml check itself must catch what it is for ----------------------------------
def _xml_wire(operation: str, body: str, status: int = 200) -> Wire:
    model = full_models_session().get_service_model("s3control").operation_model(operation)
    return Wire(
        "s3control", operation, status, {"content-type": "application/xml"}, body.encode(), model
    )


NS = 'xmlns="http://awss3control.amazonaws.com/doc/2018-08-20/"'


@pytest.mark.parametrize(
    "operation,body,status,complaint",
    [
        ("GetDataAccess", f"<GetDataAccessResult {NS}><Grantee><Kind>IAM</Kind></Grantee></GetDataAccessResult>", 200, "not a member"),
        ("GetDataAccess", f"<GetDataAccessResult {NS}><Grantee><GranteeType>USER</GranteeType></Grantee></GetDataAccessResult>", 200, "is not one of"),
        ("GetDataAccess", "<GetDataAccessResult><MatchedGrantTarget>s3://b/*</MatchedGrantTarget></GetDataAccessResult>", 200, "root"),
        ("GetAccessGrantsInstance", f"<GetAccessGrantsInstanceResult {NS}><CreatedAt>2024-06-10</CreatedAt></GetAccessGrantsInstanceResult>", 200, "ISO 8601"),
        ("ListCallerAccessGrants", f"<ListCallerAccessGrantsResult {NS}><CallerAccessGrantsList><Grant/></CallerAccessGrantsList></ListCallerAccessGrantsResult>", 200, "expected <AccessGrant>"),
        ("GetDataAccess", "<Error><Code>AccessDenied</Code><Message>no</Message></Error>", 403, "expected <ErrorResponse>"),
        ("GetDataAccess", "<ErrorResponse><Error><Code>NoSuchThing</Code><Message>no</Message></Error></ErrorResponse>", 404, "neither modeled"),
    ],
)  # fmt: skip
def test_the_rest_xml_check_rejects_wrong_shapes(operation, body, status, complaint):
    good = f"<GetDataAccessResult {NS}><MatchedGrantTarget>s3://b/*</MatchedGrantTarget></GetDataAccessResult>"
    assert not problems(_xml_wire("GetDataAccess", good))
    found = problems(_xml_wire(operation, body, status))
    assert any(complaint in p for p in found), found


def test_throttling_is_s3s_slow_down(s3control, emulator):
    client, _ = s3control("happy")
    emulator.fault("s3:GetDataAccess", "throttle", count=1)
    code, status, _ = _error(client.get_data_access, Target=JDOE, Permission="READ")
    assert (code, status) == ("SlowDown", 503)
    assert client.get_data_access(AccountId=ACCOUNT, Target=JDOE, Permission="READ")["Grantee"]

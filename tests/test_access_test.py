"""Test access (issue 10): POST trusted-identity/access-test asks S3 Access Grants
(s3control:GetDataAccess) whether the space's session may READ/WRITE/READWRITE an S3 location,
and which grant and grantee answer. Against the emulator's scenarios, through a real Jupyter
server: allowed for the user's own prefix (first-hand proof of the identity), denied elsewhere,
unknown without an instance or when the role may not call it; every hostile input a 400 that asks
nothing; rate limited as an explicit check; never run by a report or a poll; authenticated and
XSRF-bound; and the vended credentials nowhere: response, server log, audit store, state file.
"""

from __future__ import annotations

import asyncio
import json
import logging
import time
from pathlib import Path
from typing import Any

import pytest
from helpers_http import (
    FULL_KEY_ID,
    ISO_Z,
    assert_error,
    assert_unchanged,
    audit_rows,
    leaks,
    raw,
    scenario_secrets,
    settled,
    snapshot,
    trusted_identity_app,
)
from test_openapi import _validate

from jupyterlab_trusted_identity.engine import access_test, services
from jupyterlab_trusted_identity.engine.access_test import AccessRequestError, parse_request
from studio_emulator.accessgrants import VENDED_MARKER

ROUTE = "access-test"
BUCKET = "s3://amzn-s3-demo-bucket"
JDOE = f"{BUCKET}/users/jdoe/*"
GET_DATA_ACCESS = "s3:GetDataAccess"
FIELDS = {
    "target",
    "permission",
    "status",
    "matched_grant_target",
    "grantee",
    "grantee_is_expected_user",
    "title",
    "detail",
    "remediation",
    "iam_action",
    "error_code",
    "doc_url",
    "checked_at",
}


async def _test(http, target: str, permission: str = "READ", **headers: str):
    reply = await http(
        ROUTE, "POST", body=json.dumps({"target": target, "permission": permission}), **headers
    )
    return reply


async def _result(http, target: str, permission: str = "READ") -> dict[str, Any]:
    reply = await _test(http, target, permission)
    assert reply.code == 200, reply.text
    assert reply.headers.get("Cache-Control") == "no-store"
    result = reply.json()
    assert set(result) == FIELDS, result
    assert result["target"] == target and result["permission"] == permission
    assert result["status"] in ("allowed", "denied", "unknown")
    assert ISO_Z.match(result["checked_at"]), result
    assert result["doc_url"].startswith("https://docs.aws.amazon.com/")
    for key in ("title", "detail"):
        assert isinstance(result[key], str) and result[key].strip(), result
    assert isinstance(result["remediation"], str)
    return result


def _data_access_calls(emulator) -> list[dict[str, Any]]:
    return [c for c in emulator.calls()["calls"] if c["operation"] == GET_DATA_ACCESS]


async def _let_go_of_the_hang(emulator) -> None:
    """Clears the faults and waits until the request they held is logged, and botocore's retry
    of it (the worker thread still waits on it after the engine gave up) has come and gone, so
    that neither is logged among the next test's calls."""
    emulator.clear_faults()
    for _ in range(200):
        if any(c["fault"] == "hang" for c in _data_access_calls(emulator)):
            break
        await asyncio.sleep(0.025)
    seen, quiet_since = len(_data_access_calls(emulator)), time.monotonic()
    while time.monotonic() - quiet_since < 0.75:
        await asyncio.sleep(0.05)
        now = len(_data_access_calls(emulator))
        if now != seen:
            seen, quiet_since = now, time.monotonic()


# ---- against the emulator ------------------------------------------------------------------------


async def test_the_users_own_prefix_is_allowed_and_proves_the_identity(
    http, studio, emulator, jp_serverapp
):
    expected = studio["expected"]
    await settled(http, emulator, jp_serverapp)
    result = await _result(http, f"{BUCKET}/users/jdoe/notes.csv", "READWRITE")
    assert result["status"] == "allowed", result
    assert result["matched_grant_target"] == JDOE
    assert result["grantee"] == {"type": "DIRECTORY_USER", "identifier": expected["user_id"]}
    assert result["grantee_is_expected_user"] is True
    assert result["iam_action"] is None and result["error_code"] is None
    assert result["remediation"] == ""
    assert "first-hand proof" in result["detail"]
    # One GetDataAccess in the domain's account, the shortest duration, Default privilege.
    assert len(_data_access_calls(emulator)) == 1
    events = [e["CloudTrailEvent"] for e in emulator.events() if e["EventName"] == "GetDataAccess"]
    assert events, "the emulator recorded no GetDataAccess event"
    params = events[-1]["requestParameters"]
    assert str(params.get("durationSeconds")) == "900", params
    assert params.get("privilege") == "Default", params
    assert params.get("target") == f"{BUCKET}/users/jdoe/notes.csv", params
    # Audited: target, permission, status, grantee type; never the credentials.
    row = audit_rows(jp_serverapp)[0]
    assert row["event"] == "access_tested", row
    assert (row["access_target"], row["access_permission"]) == (result["target"], "READWRITE")
    assert (row["access_status"], row["grantee_type"]) == ("allowed", "DIRECTORY_USER")
    assert row["user_id"] == expected["user_id"]
    # CloudTrail, which has decided, stays the proof the report names first.
    report = (await http("identity")).json()
    assert report["evidence"]["proof"]["source"] == "cloudtrail:LookupEvents"
    assert report["user"]["proven_by"] == "cloudtrail:LookupEvents"


@pytest.mark.scenario("tip_read_missing_ct_pending")
async def test_a_grantee_that_is_the_owner_is_proof_the_verdict_weighs(
    http, studio, emulator, jp_serverapp
):
    """Before CloudTrail delivers, a configuration read decides (the domain's answer lacks the
    TIP setting); a Test access whose grantee is the owner is first-hand proof that outranks
    it: the verdict follows the proof, and the disagreement is said out loud."""
    expected = studio["expected"]
    await settled(http, emulator, jp_serverapp)
    before = (await http("identity")).json()
    assert before["verdict"] == "not_propagated", before["summary"]
    assert before["user"]["proven_by"] is None and before["evidence"]["proof"] is None

    # A denial proves nothing.
    await _result(http, f"{BUCKET}/users/asmith/data.csv", "READ")
    assert (await http("identity")).json()["verdict"] == "not_propagated"

    result = await _result(http, f"{BUCKET}/users/jdoe/notes.csv", "READ")
    assert result["grantee_is_expected_user"] is True, result
    calls = len(emulator.calls()["calls"])
    after = (await http("identity")).json()
    assert after["verdict"] == "propagated", after["summary"]
    assert after["cause"] == "evidence.consistent"
    assert after["user"]["user_id"] == expected["user_id"]
    assert after["user"]["proven_by"] == GET_DATA_ACCESS
    assert after["user"]["provenance"] == "profile"  # CloudTrail has not named anyone yet
    assert after["verification"]["status"] == "pending"
    proof = after["evidence"]["proof"]
    assert proof["source"] == GET_DATA_ACCESS and proof["status"] == "verified"
    assert proof["user_id"] == expected["user_id"] and proof["event_name"] == "GetDataAccess"
    checks = {c["id"]: c for c in after["checks"]}
    tip = checks["studio.tip_enabled"]
    assert (tip["status"], tip["read_status"], tip["settled_by"]) == (
        "warn",
        "fail",
        GET_DATA_ACCESS,
    )
    assert "S3 Access Grants shows that this session acts for Jane Doe" in tip["detail"]
    assert "Status to ENABLED" not in tip["remediation"]
    finding = checks["evidence.consistent"]
    assert finding["status"] == "warn" and "studio.tip_enabled" in finding["contradictions"]
    assert "S3 Access Grants proves the identity" in finding["remediation"]
    # The proof came from the test: the report asked AWS nothing more for it.
    assert not [c for c in emulator.calls()["calls"][calls:] if c["operation"] == GET_DATA_ACCESS]


async def test_another_users_prefix_is_denied_with_the_grant_to_create(
    http, studio, emulator, jp_serverapp
):
    result = await _result(http, f"{BUCKET}/users/asmith/data.csv", "READ")
    assert result["status"] == "denied", result
    assert result["matched_grant_target"] is None and result["grantee"] is None
    assert result["grantee_is_expected_user"] is None
    assert result["error_code"] == "AccessDenied"
    assert result["iam_action"] == GET_DATA_ACCESS
    assert "CreateAccessGrant" in result["remediation"]
    assert f"{BUCKET}/users/asmith/data.csv" in result["remediation"]
    assert "READ" in result["remediation"]
    # boto3 here loads the plugin, whose fallback would still reach S3 as the role: said.
    assert services.S3AG_FALLBACK in result["detail"]
    assert audit_rows(jp_serverapp)[0]["access_status"] == "denied"


async def test_write_on_a_read_only_group_grant_is_denied(http, studio):
    # happy has only jdoe's READWRITE grant: WRITE elsewhere is denied.
    result = await _result(http, f"{BUCKET}/projects/churn/x.parquet", "WRITE")
    assert result["status"] == "denied", result


@pytest.mark.scenario("access_grants_user_and_group")
async def test_a_group_grant_names_the_group_not_the_user(http, studio):
    result = await _result(http, f"{BUCKET}/projects/churn/train.parquet", "READ")
    assert result["status"] == "allowed", result
    assert result["matched_grant_target"] == f"{BUCKET}/projects/churn/*"
    assert result["grantee"]["type"] == "DIRECTORY_GROUP"
    assert result["grantee"]["identifier"]
    assert result["grantee_is_expected_user"] is False
    # The user's own grant still answers as the user.
    own = await _result(http, f"{BUCKET}/users/jdoe/", "WRITE")
    assert own["grantee"]["type"] == "DIRECTORY_USER" and own["grantee_is_expected_user"] is True


@pytest.mark.scenario("access_grants_user_and_group")
async def test_the_roles_grant_says_nothing_about_the_user(http, studio):
    result = await _result(http, f"{BUCKET}/shared/readme.txt", "READ")
    assert result["status"] == "allowed", result
    assert result["grantee"]["type"] == "IAM"
    assert result["grantee"]["identifier"].endswith(":role/SageMakerExec")
    assert result["grantee_is_expected_user"] is False
    assert "nothing about your identity" in result["detail"]


@pytest.mark.scenario("access_grants_no_instance")
async def test_no_instance_is_unknown(http, studio):
    result = await _result(http, f"{BUCKET}/users/jdoe/a", "READ")
    assert result["status"] == "unknown", result
    assert result["error_code"] == "AccessGrantsInstanceNotExistsError"
    assert result["iam_action"] == GET_DATA_ACCESS
    assert "instance" in result["remediation"]


@pytest.mark.scenario("access_grants_denied")
async def test_a_role_that_may_not_call_get_data_access_is_unknown_naming_it(http, studio):
    result = await _result(http, f"{BUCKET}/users/jdoe/a", "READ")
    assert result["status"] == "unknown", result
    assert result["error_code"] == "AccessDenied"
    assert result["iam_action"] == GET_DATA_ACCESS
    assert f"Allow {GET_DATA_ACCESS}" in result["remediation"]
    assert GET_DATA_ACCESS in result["detail"]


@pytest.mark.parametrize("fault", ["throttle", "hang"])
@pytest.mark.traits(aws_timeout=1.0, check_deadline=3.0)
async def test_throttled_or_hung_is_unknown_within_the_deadline(fault, http, studio, emulator):
    await http("identity")  # the expected user, before the fault
    emulator.fault(GET_DATA_ACCESS, fault, hang_seconds=30 if fault == "hang" else None)
    try:
        result = await _result(http, f"{BUCKET}/users/jdoe/a", "READ")
    finally:
        if fault == "hang":
            await _let_go_of_the_hang(emulator)
        emulator.clear_faults()
    assert result["status"] == "unknown", result
    assert result["iam_action"] == GET_DATA_ACCESS
    assert result["remediation"] == "Try again in a moment."


@pytest.mark.traits(aws_timeout=5.0, check_deadline=1.5)
async def test_an_answer_past_the_check_deadline_is_unknown(http, studio, emulator):
    await http("identity")
    emulator.fault(GET_DATA_ACCESS, "hang", hang_seconds=30)
    try:
        reply = await _test(http, f"{BUCKET}/users/jdoe/a")
    finally:
        await _let_go_of_the_hang(emulator)
    result = reply.json()
    assert reply.code == 200 and result["status"] == "unknown", result
    assert "check deadline" in result["detail"] and result["iam_action"] == GET_DATA_ACCESS
    assert result["remediation"] == "Try again in a moment."


@pytest.mark.scenario("outside_studio")
async def test_outside_studio_nothing_is_asked(http, studio, emulator):
    result = await _result(http, f"{BUCKET}/users/jdoe/a", "READ")
    assert result["status"] == "unknown", result
    assert _data_access_calls(emulator) == []


# ---- only on the explicit request, rate limited --------------------------------------------------


async def test_reports_and_polls_never_test_access(http, studio, emulator, start_kernel):
    kid = await start_kernel("python3")
    for path, method in (
        ("identity", "GET"),
        ("identity/check", "POST"),
        ("kernels", "GET"),
        (f"kernels/{kid}", "GET"),
        (f"kernels/{kid}/check", "POST"),
    ):
        assert (await http(path, method)).code == 200, path
    assert _data_access_calls(emulator) == []


@pytest.mark.traits(explicit_check_burst=1)
async def test_test_access_takes_the_explicit_checks_token(http, studio, emulator, jp_serverapp):
    await settled(http, emulator, jp_serverapp)  # the warm-up is not an explicit check
    assert (await _test(http, JDOE)).code == 200
    before = snapshot(emulator, jp_serverapp)
    limited = await _test(http, JDOE)
    assert limited.code == 429, limited.text
    error = limited.json()["error"]
    assert error["code"] == "rate_limited"
    assert isinstance(error["retry_after_seconds"], int) and error["retry_after_seconds"] > 0
    assert limited.headers.get("Retry-After") == str(error["retry_after_seconds"])
    assert limited.headers.get("Cache-Control") == "no-store"
    assert_unchanged(before, emulator, jp_serverapp, "a rate-limited access test")
    # One token for both kinds of explicit request: a check now is served from what is known.
    check = (await http("identity/check", "POST")).json()
    assert check["budget"]["explicit_check"] == "rate_limited"


# ---- hostile input -------------------------------------------------------------------------------

HOSTILE: list[tuple[str, Any]] = [
    ("not JSON", "{target"),
    ("a list", [JDOE, "READ"]),
    ("a string", JDOE),
    ("null", None),
    ("empty object", {}),
    ("no permission", {"target": JDOE}),
    ("no target", {"permission": "READ"}),
    ("extra field", {"target": JDOE, "permission": "READ", "duration": 43200}),
    ("target a number", {"target": 3, "permission": "READ"}),
    ("target a list", {"target": [JDOE], "permission": "READ"}),
    ("target null", {"target": None, "permission": "READ"}),
    (
        "https URL",
        {"target": "https://amzn-s3-demo-bucket.s3.amazonaws.com/a", "permission": "READ"},
    ),
    ("upper-case scheme", {"target": "S3://amzn-s3-demo-bucket/a", "permission": "READ"}),
    ("no scheme", {"target": "amzn-s3-demo-bucket/users/jdoe/", "permission": "READ"}),
    ("empty", {"target": "", "permission": "READ"}),
    ("no bucket", {"target": "s3://", "permission": "READ"}),
    ("no bucket, a key", {"target": "s3:///users/jdoe/", "permission": "READ"}),
    ("bucket too short", {"target": "s3://ab/x", "permission": "READ"}),
    ("bucket too long", {"target": f"s3://{'b' * 64}/x", "permission": "READ"}),
    ("upper-case bucket", {"target": "s3://Amzn-S3-Demo-Bucket/x", "permission": "READ"}),
    ("bucket with underscore", {"target": "s3://my_bucket/x", "permission": "READ"}),
    ("adjacent dots", {"target": "s3://my..bucket/x", "permission": "READ"}),
    ("leading hyphen", {"target": "s3://-bucket/x", "permission": "READ"}),
    ("IP address", {"target": "s3://192.168.5.4/x", "permission": "READ"}),
    (
        "ARN",
        {"target": "s3://arn:aws:s3:us-east-1:111122223333:accesspoint/ap/x", "permission": "READ"},
    ),
    ("bucket ARN", {"target": "arn:aws:s3:::amzn-s3-demo-bucket/x", "permission": "READ"}),
    ("access point alias", {"target": "s3://my-ap-abcdefgh-s3alias/x", "permission": "READ"}),
    ("directory bucket", {"target": "s3://bucket--use1-az4--x-s3/x", "permission": "READ"}),
    ("Object Lambda alias", {"target": "s3://my-olap-abc--ol-s3/x", "permission": "READ"}),
    ("Multi-Region Access Point", {"target": "s3://mfzwi23gnjvgw.mrap/x", "permission": "READ"}),
    ("key of 1025 bytes", {"target": f"{BUCKET}/{'k' * 1025}", "permission": "READ"}),
    ("key of 1025 bytes in UTF-8", {"target": f"{BUCKET}/{'é' * 512}k", "permission": "READ"}),
    ("huge target", {"target": f"{BUCKET}/{'k' * 15000}", "permission": "READ"}),
    ("newline", {"target": f"{BUCKET}/users/jdoe/\n", "permission": "READ"}),
    ("carriage return", {"target": f"{BUCKET}/a\rb", "permission": "READ"}),
    ("NUL", {"target": f"{BUCKET}/a\x00b", "permission": "READ"}),
    ("DEL", {"target": f"{BUCKET}/a\x7fb", "permission": "READ"}),
    ("escape", {"target": f"{BUCKET}/a\x1b[31mb", "permission": "READ"}),
    ("lone surrogate", '{"target": "s3://amzn-s3-demo-bucket/\\ud800", "permission": "READ"}'),
    ("lower-case permission", {"target": JDOE, "permission": "read"}),
    ("other permission", {"target": JDOE, "permission": "ADMIN"}),
    ("empty permission", {"target": JDOE, "permission": ""}),
    ("permission a list", {"target": JDOE, "permission": ["READ"]}),
    ("permission null", {"target": JDOE, "permission": None}),
    ("permission true", {"target": JDOE, "permission": True}),
    ("permission with space", {"target": JDOE, "permission": "READ "}),
]


async def test_every_hostile_input_is_a_400_that_asks_nothing(http, studio, emulator, jp_serverapp):
    before = await settled(http, emulator, jp_serverapp)
    for name, body in HOSTILE:
        text = body if isinstance(body, str) and name != "a string" else json.dumps(body)
        reply = await http(ROUTE, "POST", body=text)
        error = assert_error(reply, 400, "bad_request")
        assert len(error["message"]) < 400, (name, error)
        # The message never echoes the input (it may be huge, or terminal escapes).
        assert "\x1b" not in error["message"] and "k" * 100 not in error["message"], name
    assert_unchanged(before, emulator, jp_serverapp, "hostile access tests")


async def test_an_oversized_body_is_413(http, studio, emulator, jp_serverapp):
    before = await settled(http, emulator, jp_serverapp)
    body = json.dumps({"target": f"{BUCKET}/{'k' * 17000}", "permission": "READ"})
    assert_error(await http(ROUTE, "POST", body=body), 413, "too_large")
    assert_unchanged(before, emulator, jp_serverapp, "an oversized access test")


async def test_other_verbs_are_405(http, studio):
    for method in ("GET", "PUT", "PATCH", "DELETE"):
        body = "{}" if method in ("PUT", "PATCH") else None
        assert_error(await http(ROUTE, method, body=body), 405)


def test_valid_targets_parse():
    for target in (
        JDOE,
        f"{BUCKET}/users/jdoe/",
        f"{BUCKET}/users/jdoe/notes.csv",
        f"{BUCKET}/",
        BUCKET,
        "s3://my.bucket-1/a b/ü/?#[]",
        f"{BUCKET}/{'k' * 1024}",
        f"{BUCKET}/{'k' * 1024}*",
        f"s3://{'b' * 63}/x",
        "s3://abc",
    ):
        for permission in access_test.PERMISSIONS:
            request = parse_request({"target": target, "permission": permission})
            assert (request.target, request.permission) == (target, permission)


def test_hostile_inputs_are_refused_by_the_parser_too():
    for name, body in HOSTILE:
        if not isinstance(body, dict):
            continue
        with pytest.raises(AccessRequestError):
            parse_request(body)
            pytest.fail(name)


# ---- authentication and XSRF ---------------------------------------------------------------------


async def test_an_unauthenticated_request_learns_nothing_and_asks_nothing(
    http, studio, emulator, jp_serverapp
):
    before = await settled(http, emulator, jp_serverapp)
    body = json.dumps({"target": JDOE, "permission": "READ"})
    reply = await http(ROUTE, "POST", body=body, token=False)
    assert reply.code == 403, reply.text
    assert '"status"' not in reply.text and "grantee" not in reply.text
    assert_unchanged(before, emulator, jp_serverapp, "an unauthenticated access test")


class TestStudioWithoutToken:
    """Studio runs Jupyter with an empty token behind its proxy: the POST needs the `_xsrf`
    cookie and the X-XSRFToken header."""

    @pytest.fixture
    def jp_server_config(self, jp_server_config):
        config = dict(jp_server_config)
        config["ServerApp"] = {**config["ServerApp"], "token": "", "disable_check_xsrf": False}
        return config

    async def test_access_test_needs_xsrf(self, http, studio, emulator, jp_serverapp):
        assert jp_serverapp.identity_provider.token == ""
        xsrf = None
        for page in ("", "login", "no-such-page"):
            xsrf = (await raw(http.base_url + page)).cookies.get("_xsrf") or xsrf
        assert xsrf, "the server set no _xsrf cookie"
        body = json.dumps({"target": JDOE, "permission": "READ"})
        before = await settled(http, emulator, jp_serverapp)
        for headers in ({}, {"Cookie": f"_xsrf={xsrf}"}, {"X-XSRFToken": xsrf}):
            reply = await http(ROUTE, "POST", body=body, headers=headers, token=False)
            assert reply.code == 403, (headers, reply.text)
            assert "grantee" not in reply.text
        assert_unchanged(before, emulator, jp_serverapp, "access tests without XSRF")
        good = {"Cookie": f"_xsrf={xsrf}", "X-XSRFToken": xsrf}
        reply = await http(ROUTE, "POST", body=body, headers=good, token=False)
        assert reply.code == 200, reply.text
        assert reply.json()["status"] == "allowed"


# ---- the vended credentials go nowhere -----------------------------------------------------------


@pytest.mark.traits(explicit_check_burst=20)
async def test_vended_credentials_reach_no_response_log_audit_or_state(
    http, studio, emulator, jp_serverapp, caplog, jp_logging_stream, tmp_path
):
    # Every logger at DEBUG, botocore's wire logging included (it logs response bodies).
    caplog.set_level(logging.DEBUG)
    for name in list(logging.root.manager.loggerDict):
        caplog.set_level(logging.DEBUG, logger=name)
    secrets = scenario_secrets(studio)
    replies = []
    for target, permission in (
        (f"{BUCKET}/users/jdoe/a.csv", "READ"),
        (JDOE, "READWRITE"),
        (f"{BUCKET}/users/jdoe/", "WRITE"),
        (f"{BUCKET}/users/asmith/a.csv", "READ"),
    ):
        replies.append(await _test(http, target, permission))
    assert [r.json()["status"] for r in replies] == ["allowed"] * 3 + ["denied"]
    assert len(_data_access_calls(emulator)) == 4
    assert (await http("identity/check", "POST")).code == 200  # the state file written too
    replies.append(await http("audit"))
    replies.append(await http("audit", format="csv"))

    responses = "\n".join(
        [r.text for r in replies] + [f"{k}: {v}" for r in replies for k, v in r.headers.get_all()]
    )
    logs = (
        "\n".join(f"{r.name} {r.getMessage()} {r.exc_text or ''}" for r in caplog.records)
        + jp_logging_stream.getvalue()
    )
    assert any(r.name.startswith("botocore") for r in caplog.records), "botocore not captured"
    # botocore logged the answers' bodies, credentials and all: the redaction is what is tested.
    bodies = [r.getMessage() for r in caplog.records if "MatchedGrantTarget" in r.getMessage()]
    assert bodies and all("<SecretAccessKey><redacted>" in b for b in bodies), bodies[:1]
    app = trusted_identity_app(jp_serverapp)
    audit_path = Path(app.audit_path)
    audit = "\n".join(
        p.read_bytes().decode("latin-1")
        for p in (audit_path, Path(f"{audit_path}-wal"))
        if p.exists()
    )
    assert "access_tested" in audit
    state = Path(app.state_path)
    state_text = state.read_text(encoding="utf-8") if state.exists() else ""
    engine = app.engine
    cached = repr(vars(engine.cache)) + repr(engine._reports)

    for where, text in {
        "responses": responses,
        "server log": logs,
        "audit store": audit,
        "state file": state_text,
    }.items():
        assert VENDED_MARKER not in text, where
        assert FULL_KEY_ID.findall(text) == [], where
        assert leaks(text, secrets) == [], where
    # The engine's caches hold the space's own credentials (to call AWS with), nothing vended.
    assert VENDED_MARKER not in cached
    assert set(FULL_KEY_ID.findall(cached)) <= {secrets["container AccessKeyId"]}


# ---- the contract (docs/rest-api.yml) ------------------------------------------------------------


@pytest.mark.traits(explicit_check_burst=4)
async def test_answers_errors_and_audit_records_match_the_schema(
    http, studio, emulator, jp_serverapp
):
    await settled(http, emulator, jp_serverapp)
    for target, permission in (
        (f"{BUCKET}/users/jdoe/a", "READ"),
        (f"{BUCKET}/users/asmith/a", "WRITE"),
    ):
        _validate(await _result(http, target, permission), "AccessTestResult")
    _validate({"target": JDOE, "permission": "READ"}, "AccessTestRequest")
    bad = await http(ROUTE, "POST", body="[]")
    assert bad.code == 400
    _validate(bad.json(), "Error")
    for _ in range(2):
        assert (await _test(http, JDOE)).code == 200
    limited = await _test(http, JDOE)
    assert limited.code == 429, limited.text
    _validate(limited.json(), "Error")
    records = (await http("audit")).json()["records"]
    tested = [r["access_status"] for r in records if r["event"] == "access_tested"]
    assert tested == ["allowed", "allowed", "denied", "allowed"], tested  # newest first
    for record in records:
        _validate(record, "AuditRecord")

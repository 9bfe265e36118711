"""Every emulated Studio scenario: the server report's verdict, the check that explains it, the
user and its provenance, the Studio facts and the CloudTrail verification.

The expectations are read from API.md's rules; each is also compared with the emulator's own
reading (`expected.verdict_hint`), and the report's verdict is re-derived from its checks.
"""

from __future__ import annotations

import importlib.util
import json
import time
from dataclasses import dataclass, field
from typing import Any

import pytest
from helpers_reports import (
    SCENARIO_DIR,
    assert_report_shape,
    check,
    explain,
    scenario_names,
)

FACTS = (
    "auth_mode",
    "tip_domain",
    "tip_app",
    "sharing_type",
    "remote_access",
    "region",
    "region_supported",
)
# Facts that only the named SageMaker calls can establish.
DOMAIN_FACTS = {"auth_mode", "tip_domain"}
SPACE_FACTS = {"sharing_type", "remote_access"}
APP_FACTS = {"tip_app"}
AWS_FACTS = DOMAIN_FACTS | SPACE_FACTS | APP_FACTS

# How the report's user relates to the scenario:
OWNER = "owner"  # the space owner, every attribute known (expected.user_*)
OBO_ID = "obo-id"  # only CloudTrail's onBehalfOf user id; names could not be read
OBO_USER = "obo-user"  # the user CloudTrail names (expected.on_behalf_of_user_id), described
NOBODY = None


@dataclass(frozen=True)
class Expect:
    verdict: str
    because: tuple[str, str]  # (check id, status) that explains the verdict
    provenance: str
    user: str | None
    verification: str
    summary: tuple[str, ...]  # words the summary contains (case-insensitive); "{x}": expected[x]
    unknown_facts: frozenset[str] = field(default_factory=frozenset)
    caller_known: bool = True
    complete: bool = True


PROPAGATED_SUMMARY = ("{email}",)

# CloudTrail has delivered none of the session's events yet.
PENDING = Expect(
    "propagated",
    ("identity.verified", "warn"),
    "profile",
    OWNER,
    "pending",
    PROPAGATED_SUMMARY,
)

SCENARIOS: dict[str, Expect] = {
    "happy": Expect(
        "propagated",
        ("identity.verified", "pass"),
        "cloudtrail",
        OWNER,
        "verified",
        PROPAGATED_SUMMARY,
    ),
    "creds_expiring": Expect(
        "propagated",
        ("credentials.expiry", "warn"),
        "cloudtrail",
        OWNER,
        "verified",
        PROPAGATED_SUMMARY,
    ),
    "ct_pending": PENDING,
    # S3 Access Grants' state is its own section (tests/test_access_grants.py): never the
    # verdict's, so each of its scenarios reads as happy.
    **{
        f"access_grants_{variant}": Expect(
            "propagated",
            ("identity.verified", "pass"),
            "cloudtrail",
            OWNER,
            "verified",
            PROPAGATED_SUMMARY,
        )
        for variant in (
            "denied",
            "no_grant",
            "no_identity_center",
            "no_instance",
            "other_instance",
            "user_and_group",
        )
    },
    # So are the other TIP-aware services' integrations (tests/test_integrations.py).
    **{
        f"services_{variant}": Expect(
            "propagated",
            ("identity.verified", "pass"),
            "cloudtrail",
            OWNER,
            "verified",
            PROPAGATED_SUMMARY,
        )
        for variant in ("denied", "many", "not_configured", "other_instance")
    },
    # Events arrive 5 to 15 minutes late: the first report finds none yet.
    "fleet_day": PENDING,
    "ct_denied": Expect(
        "propagated",
        ("identity.verified", "unknown"),
        "profile",
        OWNER,
        "unavailable",
        PROPAGATED_SUMMARY,
    ),
    "identitystore_denied": Expect(
        "propagated",
        ("identity.user_resolved", "unknown"),
        "cloudtrail",
        OBO_ID,
        "verified",
        ("{on_behalf_of_user_id}",),
    ),
    "tip_domain_off": Expect(
        "not_propagated",
        ("studio.tip_enabled", "fail"),
        "profile",
        OWNER,
        "absent",
        ("domain", "disabled"),
    ),
    "tip_app_stale": Expect(
        "not_propagated",
        ("studio.tip_enabled", "fail"),
        "profile",
        OWNER,
        "absent",
        ("app", "disabled"),
    ),
    "shared_space": Expect(
        "not_propagated",
        ("studio.space_private", "fail"),
        "profile",
        OWNER,
        "absent",
        ("shared",),
    ),
    "remote_access": Expect(
        "not_propagated",
        ("studio.remote_access", "fail"),
        "profile",
        OWNER,
        "absent",
        ("remote access",),
    ),
    "region_unsupported": Expect(
        "not_propagated",
        ("studio.region_supported", "fail"),
        "profile",
        OWNER,
        "absent",
        ("ca-west-1",),
    ),
    "iam_auth": Expect(
        "not_propagated",
        ("studio.auth_mode", "fail"),
        "none",
        NOBODY,
        "absent",
        ("iam",),
    ),
    "static_keys": Expect(
        "not_propagated",
        ("credentials.carrier", "fail"),
        "none",
        NOBODY,
        "absent",
        ("keys",),
    ),
    "profile_env": Expect(
        "not_propagated",
        ("credentials.carrier", "fail"),
        "none",
        NOBODY,
        "absent",
        ("profile",),
    ),
    "ct_mismatch": Expect(
        "not_propagated",
        ("identity.verified", "fail"),
        "cloudtrail",
        OBO_USER,
        "mismatch",
        ("{on_behalf_of_user_id}",),
    ),
    # Every configuration read says "on"; CloudTrail's proof of nobody outranks them.
    "ct_absent": Expect(
        "not_propagated",
        ("evidence.consistent", "warn"),
        "profile",
        OWNER,
        "absent",
        ("onbehalfof",),
    ),
    "no_credentials": Expect(
        "no_credentials",
        ("credentials.resolved", "fail"),
        "none",
        NOBODY,
        "unavailable",
        ("credentials",),
        unknown_facts=frozenset(AWS_FACTS),
        caller_known=False,
    ),
    "expired": Expect(
        "invalid_credentials",
        ("credentials.valid", "fail"),
        "none",
        NOBODY,
        "unavailable",
        ("expired",),
        unknown_facts=frozenset(AWS_FACTS),
        caller_known=False,
    ),
    # Outside Studio the session's only events are STS's, which never record onBehalfOf.
    "outside_studio": Expect(
        "outside_studio",
        ("studio.detected", "skip"),
        "none",
        NOBODY,
        "inconclusive",
        ("studio", "{caller_arn}"),
        unknown_facts=frozenset(AWS_FACTS | {"region_supported"}),
    ),
    # CloudTrail proves the session acts for Jane Doe: the denied read is settled by the proof.
    "describe_space_denied": Expect(
        "propagated",
        ("studio.space_private", "warn"),
        "cloudtrail",
        OWNER,  # the user CloudTrail names, described in its identity store
        "verified",
        PROPAGATED_SUMMARY,
        unknown_facts=frozenset(SPACE_FACTS),
    ),
    "sts_throttled": Expect(
        "unknown",
        ("credentials.valid", "unknown"),
        "cloudtrail",
        OWNER,
        "verified",
        ("sts:GetCallerIdentity", "Throttling"),
        caller_known=False,
    ),
    # The deadline (3 s) strikes before the hung calls time out (2 attempts of aws_timeout 2 s);
    # CloudTrail is asked after the session's own SageMaker reads (its STS events never record
    # onBehalfOf), which hang: the verification did not finish either.
    "sagemaker_hang": Expect(
        "unknown",
        ("studio.auth_mode", "unknown"),
        "none",
        NOBODY,
        "unavailable",
        ("sagemaker:",),
        unknown_facts=frozenset(AWS_FACTS),
        complete=False,
    ),
    # ---- issue 8: the shapes and kinds of real Studio apps ------------------------------------
    "code_editor": Expect(
        "propagated",
        ("identity.verified", "pass"),
        "cloudtrail",
        OWNER,
        "verified",
        PROPAGATED_SUMMARY,
    ),
    "harmless_env": Expect(
        "propagated",
        ("identity.verified", "pass"),
        "cloudtrail",
        OWNER,
        "verified",
        PROPAGATED_SUMMARY,
    ),
    "old_domain": Expect(
        "propagated",
        ("identity.user_resolved", "pass"),
        "cloudtrail",
        OWNER,
        "verified",
        PROPAGATED_SUMMARY,
    ),
    "identity_store_arn_missing": Expect(
        "propagated",
        ("identity.user_resolved", "pass"),
        "cloudtrail",
        OWNER,
        "verified",
        PROPAGATED_SUMMARY,
    ),
    "region_from_arn": Expect(
        "propagated",
        ("studio.region_supported", "pass"),
        "cloudtrail",
        OWNER,
        "verified",
        PROPAGATED_SUMMARY,
    ),
    "ic_other_region": Expect(
        "not_propagated",
        ("studio.region_supported", "fail"),
        "profile",
        OWNER,
        "absent",
        ("identity center",),
    ),
    "studio_classic": Expect(
        "not_propagated",
        ("studio.app_supported", "fail"),
        "profile",
        OWNER,
        "absent",
        ("studio classic",),
        unknown_facts=frozenset(SPACE_FACTS),  # a Studio Classic app runs in no space
    ),
    # Unified Studio: the domain settings do not describe it; CloudTrail's proof decides.
    "unified_studio": Expect(
        "not_propagated",
        ("studio.app_supported", "unknown"),
        "profile",
        OWNER,
        "absent",
        ("onbehalfof",),
    ),
    "ct_other_store": Expect(
        "not_propagated",
        ("identity.verified", "fail"),
        "cloudtrail",
        OBO_ID,
        "mismatch",
        ("identity store",),
    ),
    # Only events of sources that never record onBehalfOf: CloudTrail cannot decide.
    "ct_unattributed": Expect(
        "unknown",
        ("identity.verified", "unknown"),
        "none",
        NOBODY,
        "inconclusive",
        ("sagemaker:",),
        unknown_facts=frozenset(AWS_FACTS),
    ),
    # ---- issue 12: proof against configuration reads ----------------------------------------
    "tip_read_missing": Expect(
        "propagated",
        ("evidence.consistent", "warn"),
        "cloudtrail",
        OWNER,
        "verified",
        PROPAGATED_SUMMARY,
        unknown_facts=frozenset({"tip_domain", "tip_app"}),
    ),
    "tip_read_contradicts": Expect(
        "propagated",
        ("evidence.consistent", "warn"),
        "cloudtrail",
        OWNER,
        "verified",
        PROPAGATED_SUMMARY,
        unknown_facts=frozenset({"tip_app"}),
    ),
    # The domain's answer lacks the TIP setting (never set, as the current model reads it) and
    # CloudTrail has not delivered yet: the read decides until a Test access's grantee proves
    # the session acts for the owner (tests/test_access_test.py).
    "tip_read_missing_ct_pending": Expect(
        "not_propagated",
        ("studio.tip_enabled", "fail"),
        "profile",
        OWNER,
        "pending",
        ("not propagated",),
        unknown_facts=frozenset({"tip_domain", "tip_app"}),
    ),
    "tip_domain_off_app_on": Expect(
        "propagated",
        ("studio.tip_enabled", "warn"),
        "cloudtrail",
        OWNER,
        "verified",
        PROPAGATED_SUMMARY,
    ),
}

# The cause the banner shows, where the evidence decides it.
CAUSES: dict[str, str | None] = {
    # botocore before 1.40 (SageMaker Distribution 3.x) ignores the S3 Access Grants plugin.
    "happy": None if importlib.util.find_spec("botocore.plugin") else "services.s3_access_grants",
    **{
        name: None if importlib.util.find_spec("botocore.plugin") else "services.s3_access_grants"
        for name in SCENARIOS
        if name.startswith(("access_grants_", "services_"))
    },
    "shared_space": "studio.space_private",
    "ct_mismatch": "identity.verified",
    "ct_absent": "evidence.consistent",  # every read says "on": the disagreement is the cause
    "tip_domain_off": "studio.tip_enabled",  # proof of nobody agrees with the read: its fix
    "tip_read_missing": "evidence.consistent",
    "tip_read_contradicts": "evidence.consistent",
    "studio_classic": "studio.app_supported",
}

HANG_DEADLINE = 3.0
MARKS: dict[str, list[pytest.MarkDecorator]] = {
    "sagemaker_hang": [pytest.mark.traits(check_deadline=HANG_DEADLINE)],
}


def test_every_scenario_of_the_emulator_has_expectations():
    assert sorted(SCENARIOS) == scenario_names()


@pytest.mark.parametrize("name", sorted(SCENARIOS))
def test_expectations_agree_with_the_emulators_reading(name: str):
    data = json.loads((SCENARIO_DIR / f"{name}.json").read_text())
    hint = (data.get("expected") or {}).get("verdict_hint")
    assert hint == SCENARIOS[name].verdict


def _expand(words: tuple[str, ...], expected: dict[str, Any]) -> list[str]:
    return [w.format(**expected) for w in words]


def _assert_user(report: dict[str, Any], exp: Expect, expected: dict[str, Any]) -> None:
    user = report["user"]
    assert user["provenance"] == exp.provenance, user
    names = ("user_name", "display_name", "email")
    if exp.user == OWNER:
        assert user["user_id"] == expected["user_id"], user
        for name in names:
            assert user[name] == expected[name], (name, user)
        assert user["identity_store_arn"] == expected["identity_store_arn"], user
    elif exp.user == OBO_USER:
        assert user["user_id"] == expected["on_behalf_of_user_id"] != expected["user_id"], user
        assert (user["user_name"], user["display_name"], user["email"]) == (
            "asmith",
            "Alex Smith",
            "asmith@example.com",
        ), user
    elif exp.user == OBO_ID:
        assert user["user_id"] == expected["on_behalf_of_user_id"] == expected["user_id"], user
        assert all(user[name] is None for name in names), user
    else:
        assert all(user[name] is None for name in ("user_id", *names)), user


@pytest.mark.parametrize(
    "name",
    [
        pytest.param(n, marks=[pytest.mark.scenario(n), *MARKS.get(n, [])], id=n)
        for n in scenario_names()
    ],
)
async def test_server_report_of_scenario(name: str, api, studio):
    assert name in SCENARIOS, f"scenario {name} has no expectations in this file"
    exp, expected = SCENARIOS[name], studio["expected"]

    started = time.monotonic()
    status, report = await api("identity")
    elapsed = time.monotonic() - started

    assert status == 200, report
    assert_report_shape(report)
    assert report["verdict"] == exp.verdict == expected["verdict_hint"], explain(report)
    assert report["scope"] == {"kind": "server"}
    assert report["complete"] is exp.complete, explain(report)

    because_id, because_status = exp.because
    because = check(report, because_id)
    assert because["status"] == because_status, explain(report)
    if because_status in ("fail", "unknown", "warn"):
        assert because["remediation"], because

    _assert_user(report, exp, expected)
    assert report["verification"]["status"] == exp.verification, report["verification"]

    summary = report["summary"].lower()
    for word in _expand(exp.summary, expected):
        assert word.lower() in summary, (word, report["summary"])

    facts = report["studio"]
    for fact in FACTS:
        want = None if fact in exp.unknown_facts else expected[fact]
        assert facts[fact] == want, (fact, facts[fact], want)

    # The server names the check that explains the verdict (the banner shows it).
    if report["cause"] is not None:
        assert check(report, report["cause"])["status"] in ("fail", "unknown", "warn"), report
    if name in CAUSES:
        assert report["cause"] == CAUSES[name], (report["cause"], explain(report))
    if exp.user == OWNER:
        # Which calls established the identity store (DescribeApplication, DescribeInstance
        # when the application names no store, ListInstances for a domain without one).
        assert facts["identity_store_path"][-1] == expected["identity_store_source"], facts
        assert facts["identity_store_id"] == expected["identity_store_id"], facts
        # The instance's Regions come from the call that described the instance.
        listed = expected["identity_store_source"] == "sso:ListInstances"
        assert facts["identity_center_regions"] == expected["identity_center_regions"], facts
        assert facts["sources"]["identity_center_regions"] == (
            "sso:ListInstances" if listed else "sso:DescribeInstance"
        ), facts["sources"]
    if expected["metadata_region"]:
        assert facts["region"] == expected["metadata_region"], facts  # the domain's, not env's

    creds, role = report["credentials"], report["role"]
    assert creds["source"] == expected["credential_source"], creds
    assert role["caller_arn"] == (expected["caller_arn"] if exp.caller_known else None), role

    if name == "sagemaker_hang":
        assert elapsed < HANG_DEADLINE + 1, f"report took {elapsed:.2f} s"
        actions = {
            "studio.auth_mode": "sagemaker:DescribeDomain",
            "studio.tip_enabled": "sagemaker:DescribeDomain",
            "studio.space_private": "sagemaker:DescribeSpace",
            "studio.remote_access": "sagemaker:DescribeSpace",
        }
        for check_id, action in actions.items():
            c = check(report, check_id)
            assert c["status"] == "unknown", c
            assert c["iam_action"] == action, c
            assert action in c["remediation"] and "deadline" in c["detail"], c
        # The user cannot be resolved because the profile and domain calls hung.
        resolved = check(report, "identity.user_resolved")
        assert resolved["status"] == "unknown", resolved
        assert resolved["iam_action"] in (
            "sagemaker:DescribeSpace",  # Studio's metadata of a space app names no profile
            "sagemaker:DescribeUserProfile",
            "sagemaker:DescribeDomain",
        ), resolved
    else:
        assert elapsed < 5.0 + 1, f"report took {elapsed:.2f} s"

"""S3 Access Grants read from the space (issue 10, step 1): the account's instance
(s3:GetAccessGrantsInstance) compared with the domain's IAM Identity Center instance, and the
grants that apply to the caller (s3:ListCallerAccessGrants), in connected_services. Against the
emulator's scenarios, through botocore and the engine's bundled s3control model; never part of
the verdict; read once per app start like the Studio facts.
"""

from __future__ import annotations

import os
from typing import Any

import pytest

from jupyterlab_trusted_identity.engine import EngineConfig, IdentityEngine, services
from jupyterlab_trusted_identity.engine import access_grants as ag
from jupyterlab_trusted_identity.engine import outcome as kinds
from jupyterlab_trusted_identity.engine.outcome import Failure, Outcome

DOMAIN_INSTANCE = "arn:aws:sso:::instance/ssoins-1111111111111111"
S3AG_CALLS = (ag.GET_INSTANCE, ag.LIST_CALLER_GRANTS)


async def _reports(studio: dict[str, Any], count: int = 1, **config: Any):
    """`count` server reports of one engine (the first cold), and the engine's AWS call counts
    after each."""
    engine = IdentityEngine(
        EngineConfig(
            metadata_path=studio["metadata_path"],
            aws_timeout=2.0,
            check_deadline=config.pop("check_deadline", 5.0),
            **config,
        ),
        dict(os.environ),
    )
    reports, calls = [], []
    try:
        for _ in range(count):
            reports.append(await engine.report(engine.server_scope(), refresh="credentials"))
            calls.append(dict(engine.aws.calls))
    finally:
        engine.close()
    return reports, calls


def _s3ag(report: dict[str, Any]) -> dict[str, Any]:
    return next(s for s in report["connected_services"] if s["id"] == "s3-access-grants")


def _expected_grants(studio: dict[str, Any]) -> list[tuple[str, str, str | None]]:
    return [
        (g["GrantScope"], g["Permission"], g["ApplicationArn"])
        for g in studio["expected"]["access_grants_caller_grants"]
    ]


def _listed(service: dict[str, Any]) -> list[tuple[str, str, str | None]]:
    return [
        (g["scope"], g["permission"], g["application_arn"]) for g in service["grants"]["grants"]
    ]


# ---- against the emulator ------------------------------------------------------------------------


@pytest.mark.scenario("access_grants_user_and_group")
async def test_the_users_and_groups_grants_on_the_domains_instance(studio):
    expected = studio["expected"]
    (report,), (calls,) = await _reports(studio)
    assert report["verdict"] == "propagated"
    service = _s3ag(report)
    integration = service["integration"]
    assert integration["state"] == "ready"
    assert integration["instance_arn"] == expected["access_grants_instance_arn"]
    assert (
        integration["identity_center_instance_arn"]
        == (expected["access_grants_identity_center_arn"])
    )
    assert (
        integration["expected_identity_center_instance_arn"]
        == (expected["access_grants_identity_center_arn"])
    )
    assert integration["iam_action"] is None and integration["doc_url"].startswith("https://")
    grants = service["grants"]
    # The user's grant, her group's (limited to the domain's application), the role's; not
    # finance's (another group): in the order S3 Access Grants lists them (newest first).
    assert len(_expected_grants(studio)) == 3
    assert _listed(service) == _expected_grants(studio)
    assert grants["state"] == "listed" and grants["count"] == 3 and not grants["truncated"]
    assert "finance" not in str(grants["grants"])
    assert grants["title"] == "3 grants apply to you"
    assert service["ready"] in (True, False)  # the plugin's part, unchanged by a ready integration
    # One call each, with the space's session.
    assert calls[ag.GET_INSTANCE] == 1 and calls[ag.LIST_CALLER_GRANTS] == 1


async def test_happy_lists_the_users_grant(studio):
    (report,), _ = await _reports(studio)
    service = _s3ag(report)
    assert service["integration"]["state"] == "ready"
    assert _listed(service) == _expected_grants(studio) != []
    assert service["grants"]["count"] == len(_expected_grants(studio))


@pytest.mark.scenario("access_grants_no_grant")
async def test_no_grant_says_what_an_administrator_must_create(studio):
    (report,), _ = await _reports(studio)
    assert report["verdict"] == "propagated"
    service = _s3ag(report)
    assert service["integration"]["state"] == "ready"
    grants = service["grants"]
    assert grants["state"] == "none" and grants["count"] == 0 and grants["grants"] == []
    assert grants["title"] == "No grant applies to you"
    # The scenario's boto3 loads the plugin, which would fall back to the role: said.
    assert services.S3AG_FALLBACK in grants["detail"]
    row = _s3ag(report)
    assert services.S3AG_FALLBACK in row["detail"]
    assert "CreateAccessGrant" in grants["remediation"]
    assert grants["iam_action"] is None


@pytest.mark.scenario("access_grants_other_instance")
async def test_an_instance_on_another_identity_center_instance(studio):
    expected = studio["expected"]
    (report,), _ = await _reports(studio)
    assert report["verdict"] == "propagated"
    service = _s3ag(report)
    integration = service["integration"]
    assert integration["state"] == "other_instance"
    assert (
        integration["identity_center_instance_arn"]
        == (expected["access_grants_identity_center_arn"])
    )
    domain = integration["expected_identity_center_instance_arn"]
    assert domain and domain != integration["identity_center_instance_arn"]
    assert domain in integration["detail"] and integration["remediation"]
    assert service["ready"] is False  # it cannot serve the user, whatever boto3 loads
    # The user's directory grant does not apply; what is listed is what S3 lists.
    assert _listed(service) == _expected_grants(studio)


@pytest.mark.scenario("access_grants_no_identity_center")
async def test_an_instance_on_no_identity_center_instance(studio):
    (report,), _ = await _reports(studio)
    assert report["verdict"] == "propagated"
    integration = _s3ag(report)["integration"]
    assert integration["state"] == "not_configured"
    assert integration["identity_center_instance_arn"] is None
    assert "AssociateAccessGrantsIdentityCenter" in integration["remediation"]


@pytest.mark.scenario("access_grants_no_instance")
async def test_no_instance_is_not_configured_and_lists_nothing(studio):
    (report,), _ = await _reports(studio)
    assert report["verdict"] == "propagated"
    service = _s3ag(report)
    integration = service["integration"]
    assert integration["state"] == "not_configured"
    assert integration["instance_arn"] is None and integration["iam_action"] is None
    assert integration["title"] == "No S3 Access Grants instance"
    assert service["grants"] is None
    assert service["ready"] is False


@pytest.mark.scenario("access_grants_denied")
async def test_denied_reads_are_unknown_naming_the_iam_action_and_leave_the_verdict(studio):
    (report,), _ = await _reports(studio)
    assert report["verdict"] == "propagated"
    assert report["complete"] is True
    service = _s3ag(report)
    integration, grants = service["integration"], service["grants"]
    assert integration["state"] == "unknown"
    assert integration["iam_action"] == "s3:GetAccessGrantsInstance"
    assert integration["error_code"] == "AccessDenied"
    assert "Allow s3:GetAccessGrantsInstance" in integration["remediation"]
    assert grants["state"] == "unknown" and grants["count"] is None
    assert grants["iam_action"] == "s3:ListCallerAccessGrants"
    assert "Allow s3:ListCallerAccessGrants" in grants["remediation"]
    # No check reads S3 Access Grants' answers: the checks are those of the happy scenario.
    assert all(c["id"] != "services.access_grants" for c in report["checks"])


async def test_a_warm_report_asks_s3_access_grants_nothing(studio):
    reports, calls = await _reports(studio, count=3)
    for action in S3AG_CALLS:
        assert calls[0][action] == 1
        assert calls[-1][action] == 1, action  # read once per app start
    assert _s3ag(reports[-1])["grants"] == _s3ag(reports[0])["grants"]


async def test_an_explicit_check_reads_them_again(studio):
    engine = IdentityEngine(
        EngineConfig(metadata_path=studio["metadata_path"], aws_timeout=2.0, check_deadline=5),
        dict(os.environ),
    )
    try:
        await engine.report(engine.server_scope())
        await engine.report(engine.server_scope(), refresh=True)
    finally:
        engine.close()
    assert engine.aws.calls[ag.GET_INSTANCE] == 2
    assert engine.aws.calls[ag.LIST_CALLER_GRANTS] == 2


async def test_a_hung_access_grants_call_is_cut_by_the_deadline_and_leaves_the_verdict(
    studio, emulator
):
    emulator.fault("s3:ListCallerAccessGrants", "hang", hang_seconds=6)
    try:
        (report,), _ = await _reports(studio, check_deadline=1.5)
    finally:
        emulator.clear_faults()
    grants = _s3ag(report)["grants"]
    assert grants["state"] == "unknown"
    assert grants["iam_action"] == "s3:ListCallerAccessGrants"
    assert report["duration_ms"] < 3000
    assert _s3ag(report)["integration"]["state"] == "ready"


@pytest.mark.scenario("outside_studio")
async def test_outside_studio_nothing_is_read(studio):
    (report,), (calls,) = await _reports(studio)
    service = _s3ag(report)
    assert service["integration"] is None and service["grants"] is None
    assert not any(calls.get(action) for action in S3AG_CALLS)


# ---- the states, without AWS -----------------------------------------------------------------


def _instance(center: str | None) -> Outcome[dict[str, Any]]:
    value = {"AccessGrantsInstanceArn": "arn:aws:s3:us-east-1:111122223333:access-grants/default"}
    if center:
        value["IdentityCenterArn"] = center  # the older name alone is enough
    return Outcome.of(value)


def test_integration_states():
    assert services.s3ag_integration(None, DOMAIN_INSTANCE, None) is None
    ready = services.s3ag_integration(_instance(DOMAIN_INSTANCE), DOMAIN_INSTANCE, None)
    assert ready["state"] == "ready" and ready["remediation"] is None
    other = services.s3ag_integration(
        _instance("arn:aws:sso:::instance/ssoins-2"), DOMAIN_INSTANCE, None
    )
    assert other["state"] == "other_instance"
    assert services.s3ag_integration(_instance(None), DOMAIN_INSTANCE, None)["state"] == (
        "not_configured"
    )
    missing = Outcome.failed(
        Failure(kinds.ERROR, ag.GET_INSTANCE, "AccessGrantsInstanceNotExistsError", "")
    )
    assert services.s3ag_integration(missing, DOMAIN_INSTANCE, None)["state"] == "not_configured"
    throttled = Outcome.failed(Failure(kinds.THROTTLED, ag.GET_INSTANCE, "SlowDown", ""))
    unknown = services.s3ag_integration(throttled, DOMAIN_INSTANCE, None)
    assert unknown["state"] == "unknown" and unknown["iam_action"] == ag.GET_INSTANCE
    assert unknown["error_code"] == "SlowDown" and "Allow" not in unknown["remediation"]


def test_an_unknown_domain_instance_cannot_be_compared():
    denied = Failure(kinds.DENIED, "sso:DescribeApplication", "AccessDeniedException", "")
    found = services.s3ag_integration(_instance(DOMAIN_INSTANCE), None, denied)
    assert found["state"] == "unknown"
    assert found["iam_action"] == "sso:DescribeApplication"
    assert found["identity_center_instance_arn"] == DOMAIN_INSTANCE
    assert services.s3ag_integration(_instance(DOMAIN_INSTANCE), None, None)["iam_action"] is None


def test_grants_words_and_counts():
    one = Outcome.of({"grants": [ag.grant_view({"GrantScope": "s3://b/*", "Permission": "READ"})]})
    listed = services.s3ag_grants(one, _instance(DOMAIN_INSTANCE), mine=True)
    assert listed["title"] == "1 grant applies to you" and listed["count"] == 1
    assert listed["grants"] == [
        {"scope": "s3://b/*", "permission": "READ", "application_arn": None, "instance_arn": None}
    ]
    many = Outcome.of({"grants": listed["grants"] * 500, "truncated": True})
    cut = services.s3ag_grants(many, _instance(DOMAIN_INSTANCE), mine=False)
    assert cut["truncated"] and cut["title"] == "500+ grants apply to this session"
    assert "IAM role" in cut["detail"]
    none = services.s3ag_grants(Outcome.of({"grants": []}), _instance(DOMAIN_INSTANCE), mine=True)
    assert none["state"] == "none" and none["remediation"]
    assert "1 grant that applies to you." in listed["detail"]
    assert "500 grants that apply" in cut["detail"]


def test_the_plugins_silent_fallback_is_said_where_no_grant_applies():
    """The plugin loaded through BOTOCORE_EXPERIMENTAL__PLUGINS falls back to the execution
    role's permissions: with it, 'no grant' does not mean 'S3 says no'."""
    empty, instance = Outcome.of({"grants": []}), _instance(DOMAIN_INSTANCE)
    said = services.s3ag_grants(empty, instance, mine=True, fallback=True)
    assert services.S3AG_FALLBACK in said["detail"]
    quiet = services.s3ag_grants(empty, instance, mine=True, fallback=False)
    assert services.S3AG_FALLBACK not in quiet["detail"]
    # Loaded only when listed, importable, and botocore loads client plugins at all.
    listed = services.s3_access_grants(
        {"BOTOCORE_EXPERIMENTAL__PLUGINS": services.S3AG_SETTING.split("=", 1)[1]}
    )
    assert services.plugin_loaded(listed) is listed.importable
    missing = services.s3_access_grants(
        {"BOTOCORE_EXPERIMENTAL__PLUGINS": "S3AccessGrantsPlugin=no_such_module_4711.plugin"}
    )
    assert missing.configured and not services.plugin_loaded(missing)
    assert not services.plugin_loaded(services.s3_access_grants({}))
    assert not services.plugin_loaded(None)


class _PagedAws:
    """Stands in for AwsAccess.call: pages of one grant each, forever."""

    def __init__(self) -> None:
        self.calls: list[dict[str, Any]] = []

    async def call(self, creds, region, service, operation, action, **params):
        self.calls.append(params)
        page = len(self.calls)
        return Outcome.of(
            {
                "CallerAccessGrantsList": [
                    {"GrantScope": f"s3://b/{page}/*", "Permission": "READ"}
                ],
                "NextToken": f"t{page}",
            }
        )


async def test_paging_is_bounded():
    aws = _PagedAws()
    found = await ag.list_caller_grants(aws, None, "us-east-1", "111122223333")  # type: ignore[arg-type]
    assert len(aws.calls) == ag.MAX_PAGES
    assert aws.calls[0].get("NextToken") is None and aws.calls[1]["NextToken"] == "t1"
    assert all(c["MaxResults"] == ag.PAGE_SIZE for c in aws.calls)
    assert found.value["truncated"] is True and len(found.value["grants"]) == ag.MAX_PAGES

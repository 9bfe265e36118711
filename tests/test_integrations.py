"""The other TIP-aware services' IAM Identity Center integrations read from the space (issue 10,
second half): Athena's workgroups, Lake Formation's and Glue's configurations, Redshift's
Identity Center applications and EMR's security configurations, each compared with the domain's
Identity Center instance, in connected_services. Against the emulator's scenarios through
botocore and the engine's bundled models; never part of the verdict; read once per app start.
Then the words of every state, and the reads' hard caps, without AWS.
"""

from __future__ import annotations

import json
import os
from typing import Any

import pytest

from jupyterlab_trusted_identity.engine import EngineConfig, IdentityEngine
from jupyterlab_trusted_identity.engine import integration_states as states
from jupyterlab_trusted_identity.engine import integrations as reads
from jupyterlab_trusted_identity.engine import outcome as kinds
from jupyterlab_trusted_identity.engine.arns import instance_of_application
from jupyterlab_trusted_identity.engine.outcome import Failure, Outcome

SERVICES = ("athena", "lake-formation", "redshift-data", "glue", "emr-ec2")
LISTINGS = ("athena", "redshift-data", "emr-ec2")
ACTIONS = (
    reads.LIST_WORKGROUPS,
    reads.GET_WORKGROUP,
    reads.DESCRIBE_LAKE_FORMATION,
    reads.DESCRIBE_REDSHIFT_APPLICATIONS,
    reads.GET_GLUE_CONFIGURATION,
    reads.LIST_SECURITY_CONFIGURATIONS,
    reads.DESCRIBE_SECURITY_CONFIGURATION,
)
DOMAIN = "arn:aws:sso:::instance/ssoins-1111111111111111"
OTHER = "arn:aws:sso:::instance/ssoins-2222222222222222"


def _engine(studio: dict[str, Any], **config: Any) -> IdentityEngine:
    return IdentityEngine(
        EngineConfig(
            metadata_path=studio["metadata_path"],
            aws_timeout=2.0,
            check_deadline=config.pop("check_deadline", 5.0),
            **config,
        ),
        dict(os.environ),
    )


async def _report(studio: dict[str, Any], **config: Any) -> tuple[dict[str, Any], dict[str, int]]:
    engine = _engine(studio, **config)
    try:
        report = await engine.report(engine.server_scope(), refresh="credentials")
    finally:
        engine.close()
    return report, dict(engine.aws.calls)


def _service(report: dict[str, Any], service_id: str) -> dict[str, Any]:
    return next(s for s in report["connected_services"] if s["id"] == service_id)


def _expected(studio: dict[str, Any], service_id: str) -> dict[str, Any]:
    return studio["expected"]["integrations"][service_id]


# ---- against the emulator ------------------------------------------------------------------------


def _holds_the_scenario(studio: dict[str, Any], report: dict[str, Any]) -> None:
    """Every service's state and resources as the scenario holds them."""
    domain = report["connected_services"][0]["integration"]["expected_identity_center_instance_arn"]
    assert domain
    for service_id in SERVICES:
        expected, service = _expected(studio, service_id), _service(report, service_id)
        integration = service["integration"]
        assert integration["state"] == expected["state"], (service_id, integration)
        assert integration["expected_identity_center_instance_arn"] == domain
        assert integration["doc_url"].startswith("https://docs.aws.amazon.com/")
        if integration["state"] != "unknown":
            assert integration["iam_action"] is None and integration["error_code"] is None
        if service_id in LISTINGS and integration["state"] != "unknown":
            assert integration["resources"] == expected["resources"], service_id
        elif service_id not in LISTINGS:
            assert integration["resources"] == []
            if integration["state"] in ("ready", "other_instance"):
                assert (
                    integration["identity_center_instance_arn"]
                    == (expected["identity_center_instance_arn"])
                )
                assert integration["application_arn"] == expected["application_arn"]
        assert integration["truncated"] is False
        # Whether this session can use it, from the integration (the verdict is propagated).
        assert service["ready"] == {"ready": True, "unknown": None}.get(integration["state"], False)
    assert _service(report, "emr-serverless")["integration"] is None
    assert _service(report, "emr-serverless")["ready"] is None


async def test_happy_every_service_is_on_the_domains_instance(studio):
    report, calls = await _report(studio)
    assert report["verdict"] == "propagated" and report["complete"] is True
    _holds_the_scenario(studio, report)
    for service_id in SERVICES:
        assert _service(report, service_id)["integration"]["state"] == "ready", service_id
    athena = _service(report, "athena")["integration"]
    assert [r["name"] for r in athena["resources"]] == ["tip-analysts"]
    assert athena["application_arn"] and athena["identity_center_instance_arn"]
    assert "tip-analysts" in athena["detail"]
    emr = _service(report, "emr-ec2")["integration"]
    assert [r["name"] for r in emr["resources"]] == ["tip-emr-idc"]
    assert emr["application_arn"] is None  # a security configuration has no application
    redshift = _service(report, "redshift-data")["integration"]
    assert [r["name"] for r in redshift["resources"]] == ["redshift-idc-app"]
    # Each read once; no GetWorkGroup (ListWorkGroups names each workgroup's Identity Center
    # application, whose ARN names the instance); DescribeSecurityConfiguration once for each
    # one listed (tip-emr-idc and plain-emr).
    for action in ACTIONS:
        if action not in (reads.GET_WORKGROUP, reads.DESCRIBE_SECURITY_CONFIGURATION):
            assert calls[action] == 1, action
    assert calls.get(reads.GET_WORKGROUP, 0) == 0
    assert calls[reads.DESCRIBE_SECURITY_CONFIGURATION] == 2
    assert (
        athena["identity_center_instance_arn"]
        == studio["expected"]["integrations"]["athena"]["resources"][0][
            "identity_center_instance_arn"
        ]
    )


@pytest.mark.scenario("services_not_configured")
async def test_no_service_configured(studio):
    report, _ = await _report(studio)
    assert report["verdict"] == "propagated"
    _holds_the_scenario(studio, report)
    for service_id in SERVICES:
        integration = _service(report, service_id)["integration"]
        assert integration["state"] == "not_configured", service_id
        assert integration["remediation"] and integration["resources"] == []
        assert integration["identity_center_instance_arn"] is None
        assert _service(report, service_id)["ready"] is False


@pytest.mark.scenario("services_other_instance")
async def test_every_service_on_another_instance(studio):
    report, _ = await _report(studio)
    assert report["verdict"] == "propagated"
    _holds_the_scenario(studio, report)
    for service_id in SERVICES:
        integration = _service(report, service_id)["integration"]
        assert integration["state"] == "other_instance", service_id
        center = integration["identity_center_instance_arn"]
        domain = integration["expected_identity_center_instance_arn"]
        assert center and domain and center != domain
        assert center in integration["detail"] and domain in integration["detail"]
        assert all(r["state"] == "other_instance" for r in integration["resources"])
        assert _service(report, service_id)["ready"] is False


@pytest.mark.scenario("services_denied")
async def test_denied_reads_are_unknown_naming_the_iam_action_and_leave_the_verdict(studio):
    report, _ = await _report(studio)
    assert report["verdict"] == "propagated" and report["complete"] is True
    _holds_the_scenario(studio, report)
    first_reads = {
        "athena": reads.LIST_WORKGROUPS,
        "lake-formation": reads.DESCRIBE_LAKE_FORMATION,
        "redshift-data": reads.DESCRIBE_REDSHIFT_APPLICATIONS,
        "glue": reads.GET_GLUE_CONFIGURATION,
        "emr-ec2": reads.LIST_SECURITY_CONFIGURATIONS,
    }
    for service_id, action in first_reads.items():
        integration = _service(report, service_id)["integration"]
        assert integration["state"] == "unknown", service_id
        assert integration["iam_action"] == action
        assert integration["error_code"] in ("AccessDenied", "AccessDeniedException")
        assert f"Allow {action} on the execution role" in integration["remediation"]
        assert _service(report, service_id)["ready"] is None
    # S3 Access Grants is read as in the happy scenario.
    assert _service(report, "s3-access-grants")["integration"]["state"] == "ready"


@pytest.mark.scenario("services_many")
async def test_more_than_the_caps_is_said_and_never_read(studio):
    report, calls = await _report(studio)
    assert report["verdict"] == "propagated"
    # 60 workgroups and 60 security configurations without Identity Center come first: the
    # first 50 are listed (no workgroup described: none names an Identity Center application)
    # and 20 security configurations described, none enabled; the domain's own are not reached.
    for service_id in ("athena", "emr-ec2"):
        integration = _service(report, service_id)["integration"]
        assert integration["state"] == "not_configured", service_id
        assert integration["truncated"] is True
        assert "More were listed than read" in integration["detail"]
    assert calls.get(reads.GET_WORKGROUP, 0) == 0
    assert calls[reads.DESCRIBE_SECURITY_CONFIGURATION] == reads.MAX_DESCRIBED
    # 505 Redshift applications on another instance first: 5 pages read, 20 named.
    redshift = _service(report, "redshift-data")["integration"]
    assert redshift["state"] == "other_instance" and redshift["truncated"] is True
    assert len(redshift["resources"]) == states.REPORTED_RESOURCES
    assert calls[reads.DESCRIBE_REDSHIFT_APPLICATIONS] == reads.REDSHIFT_MAX_PAGES
    assert len(json.dumps(redshift)) < 6000
    for service_id in ("lake-formation", "glue"):
        assert _service(report, service_id)["integration"]["state"] == "ready"


async def test_a_warm_report_asks_nothing_and_an_explicit_check_asks_again(studio):
    engine = _engine(studio)
    try:
        await engine.report(engine.server_scope(), refresh="credentials")
        cold = {action: engine.aws.calls[action] for action in ACTIONS}
        await engine.report(engine.server_scope(), refresh="credentials")
        warm = {action: engine.aws.calls[action] for action in ACTIONS}
        await engine.report(engine.server_scope(), refresh=True)
        checked = {action: engine.aws.calls[action] for action in ACTIONS}
    finally:
        engine.close()
    assert all(count for action, count in cold.items() if action != reads.GET_WORKGROUP), cold
    assert warm == cold  # read once per app start
    # An explicit check reads every listing and configuration again, but describes no
    # security configuration again: one never changes (a new one has a new creation time).
    again = {
        a: (c if a == reads.DESCRIBE_SECURITY_CONFIGURATION else 2 * c) for a, c in cold.items()
    }
    assert checked == again


async def test_a_hung_describe_is_cut_by_the_deadline_naming_it(studio, emulator):
    emulator.fault(reads.DESCRIBE_SECURITY_CONFIGURATION, "hang", hang_seconds=6)
    try:
        report, _ = await _report(studio, check_deadline=1.5)
    finally:
        emulator.clear_faults()
    emr = _service(report, "emr-ec2")["integration"]
    assert emr["state"] == "unknown"
    assert emr["iam_action"] == reads.DESCRIBE_SECURITY_CONFIGURATION  # not the listing
    assert "did not finish within the check deadline" in emr["detail"]
    assert report["duration_ms"] < 3000
    assert report["verdict"] == "propagated"
    for service_id in ("athena", "lake-formation", "redshift-data", "glue"):
        assert _service(report, service_id)["integration"]["state"] == "ready", service_id


async def test_a_hung_listing_is_named_by_the_deadline(studio, emulator):
    emulator.fault(reads.LIST_SECURITY_CONFIGURATIONS, "hang", hang_seconds=6)
    try:
        report, _ = await _report(studio, check_deadline=1.5)
    finally:
        emulator.clear_faults()
    emr = _service(report, "emr-ec2")["integration"]
    assert emr["state"] == "unknown" and emr["iam_action"] == reads.LIST_SECURITY_CONFIGURATIONS


@pytest.mark.scenario("outside_studio")
async def test_outside_studio_nothing_is_read(studio):
    report, calls = await _report(studio)
    for service_id in SERVICES:
        assert _service(report, service_id)["integration"] is None
    assert not any(calls.get(action) for action in ACTIONS)


# ---- the words of every state, without AWS ---------------------------------------------------


def _listing(*resources: dict[str, Any], truncated=False, failure=None) -> Outcome[dict[str, Any]]:
    return reads.listing(list(resources), truncated, failure)


def _found(service_id: str, name: str, center: str | None, app: str | None = None):
    kind = {
        "athena": reads.WORKGROUP,
        "redshift-data": reads.IDC_APPLICATION,
        "emr-ec2": reads.SECURITY_CONFIGURATION,
    }[service_id]
    return reads.found(kind, name, center, app)


DENIED = Failure(kinds.DENIED, "x:Read", "AccessDeniedException", "")
THROTTLED = Failure(kinds.THROTTLED, "x:Read", "ThrottlingException", "")


@pytest.mark.parametrize("service_id", SERVICES)
def test_the_words_of_every_state(service_id):
    words = states.WORDS[service_id]
    listing = service_id in LISTINGS

    def state_of(read, expected=DOMAIN, expected_failure=None):
        found = states.service_integration(service_id, read, expected, expected_failure)
        assert found is not None
        assert found["doc_url"] == words.doc_url and found["title"] and found["detail"]
        return found

    def on(center):
        if listing:
            return _listing(_found(service_id, "one", center, "arn:app"))
        return Outcome.of({"InstanceArn": center, "ApplicationArn": "arn:app"})

    assert states.service_integration(service_id, None, DOMAIN, None) is None
    ready = state_of(on(DOMAIN))
    assert ready["state"] == "ready" and ready["remediation"] is None
    assert ready["identity_center_instance_arn"] == DOMAIN
    assert ready["application_arn"] == "arn:app"
    other = state_of(on(OTHER))
    assert other["state"] == "other_instance" and other["remediation"]
    assert OTHER in other["detail"] and DOMAIN in other["detail"]
    none = state_of(_listing() if listing else Outcome.of({}))
    assert none["state"] == "not_configured" and none["remediation"] == words.none_remediation
    if words.not_found_codes:
        code = sorted(words.not_found_codes)[0]
        missing = state_of(Outcome.failed(Failure(kinds.ERROR, "x:Read", code, "")))
        assert missing["state"] == "not_configured" and missing["iam_action"] is None
    denied = state_of(Outcome.failed(DENIED))
    assert denied["state"] == "unknown" and denied["iam_action"] == "x:Read"
    assert denied["remediation"] == "Allow x:Read on the execution role to see it."
    throttled = state_of(Outcome.failed(THROTTLED))
    assert throttled["state"] == "unknown" and throttled["error_code"] == "ThrottlingException"
    assert "Allow" not in throttled["remediation"]
    app_denied = Failure(kinds.DENIED, "sso:DescribeApplication", "AccessDeniedException", "")
    cannot_compare = state_of(on(DOMAIN), expected=None, expected_failure=app_denied)
    assert cannot_compare["state"] == "unknown"
    assert cannot_compare["iam_action"] == "sso:DescribeApplication"
    assert cannot_compare["identity_center_instance_arn"] == DOMAIN
    assert cannot_compare["resources"] == []  # no state against an unknown instance


@pytest.mark.parametrize("service_id", LISTINGS)
def test_listings_put_the_domains_instance_first_and_say_what_was_not_read(service_id):
    both = _listing(
        _found(service_id, "elsewhere", OTHER), _found(service_id, "mine", DOMAIN), truncated=True
    )
    found = states.service_integration(service_id, both, DOMAIN, None)
    assert found["state"] == "ready" and found["truncated"] is True
    assert [(r["name"], r["state"]) for r in found["resources"]] == [
        ("mine", "ready"),
        ("elsewhere", "other_instance"),
    ]
    assert "mine" in found["detail"] and "More were listed than read" in found["detail"]
    # Some could not be described: one on the domain's instance is still ready...
    partial = _listing(_found(service_id, "mine", DOMAIN), failure=DENIED)
    assert states.service_integration(service_id, partial, DOMAIN, None)["state"] == "ready"
    # ...but none on it, with some unread, cannot be told.
    unread = _listing(_found(service_id, "elsewhere", OTHER), failure=DENIED)
    unknown = states.service_integration(service_id, unread, DOMAIN, None)
    assert unknown["state"] == "unknown" and unknown["iam_action"] == "x:Read"
    assert unknown["resources"][0]["name"] == "elsewhere"
    only_unread = states.service_integration(service_id, _listing(failure=DENIED), DOMAIN, None)
    assert only_unread["state"] == "unknown"
    cut = states.service_integration(service_id, _listing(truncated=True), DOMAIN, None)
    assert cut["state"] == "not_configured" and cut["truncated"] is True
    assert "More were listed than read" in cut["detail"]


def test_s3_access_grants_integration_has_the_new_fields_empty():
    from jupyterlab_trusted_identity.engine import services

    instance = Outcome.of({"AccessGrantsInstanceArn": "arn:ag", "IdentityCenterArn": DOMAIN})
    found = services.s3ag_integration(instance, DOMAIN, None)
    assert found["state"] == "ready"
    assert found["application_arn"] is None and found["resources"] == []
    assert found["truncated"] is False


# ---- the reads' caps, without AWS ------------------------------------------------------------


class _FakeAws:
    """Stands in for AwsAccess.call: endless pages, and answers per operation."""

    def __init__(self, answer):
        self.calls: list[tuple[str, dict[str, Any]]] = []
        self.answer = answer

    async def call(self, creds, region, service, operation, action, **params):
        params.pop("expect", None)
        params.pop("keep", None)
        self.calls.append((operation, params))
        return Outcome.of(self.answer(operation, params, len(self.calls)))


def _ops(aws: _FakeAws, operation: str) -> list[dict[str, Any]]:
    return [params for op, params in aws.calls if op == operation]


APPLICATION = "arn:aws:sso::111122223333:application/ssoins-7223a1b2c3d4e5f6/apl-1a2b3c4d5e6f7a8b"


async def test_athena_reads_are_capped_and_describe_only_what_the_listing_cannot_place():
    def answer(operation, params, n):
        if operation == "list_work_groups":
            # Per page: one with an application ARN that names its instance, one whose ARN does
            # not (described), one without Identity Center, one disabled.
            groups = [
                {
                    "Name": f"idc{n}",
                    "State": "ENABLED",
                    "IdentityCenterApplicationArn": APPLICATION,
                },
                {"Name": f"odd{n}", "State": "ENABLED", "IdentityCenterApplicationArn": "arn:x"},
                {"Name": f"plain{n}", "State": "ENABLED"},
                {
                    "Name": f"off{n}",
                    "State": "DISABLED",
                    "IdentityCenterApplicationArn": APPLICATION,
                },
            ][: params["MaxResults"]]
            return {"WorkGroups": groups, "NextToken": "t"}
        center = {"EnableIdentityCenter": True, "IdentityCenterInstanceArn": DOMAIN}
        return {
            "WorkGroup": {
                "Name": params["WorkGroup"],
                "Configuration": {"IdentityCenterConfiguration": center},
            }
        }

    aws = _FakeAws(answer)
    listed = await reads.athena_workgroups(aws, None, "us-east-1")  # type: ignore[arg-type]
    assert listed.value["truncated"]
    pages = _ops(aws, "list_work_groups")
    assert sum(min(4, p["MaxResults"]) for p in pages) == reads.MAX_LISTED
    assert all(p["MaxResults"] <= reads.ATHENA_PAGE_SIZE for p in pages)
    placed = listed.value["resources"]
    assert placed and all(r["name"].startswith("idc") for r in placed)
    assert (
        placed[0]["identity_center_instance_arn"]
        == "arn:aws:sso:::instance/ssoins-7223a1b2c3d4e5f6"
    )
    assert listed.value["names"] and all(n.startswith("odd") for n in listed.value["names"])
    found = await reads.athena_identity_center(aws, None, "us-east-1", listed.value)  # type: ignore[arg-type]
    described = _ops(aws, "get_work_group")
    assert [p["WorkGroup"] for p in described] == listed.value["names"][: reads.MAX_DESCRIBED]
    names = [r["name"] for r in found.value["resources"]]
    assert names == [r["name"] for r in placed] + listed.value["names"][: reads.MAX_DESCRIBED]


def test_an_applications_arn_names_its_instance():
    assert instance_of_application(APPLICATION) == (
        "arn:aws:sso:::instance/ssoins-7223a1b2c3d4e5f6"
    )
    assert instance_of_application("arn:aws-cn:sso::111122223333:application/ssoins-1/apl-2") == (
        "arn:aws-cn:sso:::instance/ssoins-1"
    )
    for other in (None, "", "arn:x", "arn:aws:sso:::instance/ssoins-1", "arn:aws:iam::1:role/x"):
        assert instance_of_application(other) is None, other


async def test_a_security_configuration_is_described_once():
    document = json.dumps(
        {
            "AuthenticationConfiguration": {
                "IdentityCenterConfiguration": {
                    "EnableIdentityCenter": True,
                    "IdentityCenterInstanceARN": DOMAIN,
                }
            }
        }
    )

    def answer(operation, params, n):
        return {"Name": params["Name"], "SecurityConfiguration": document}

    aws, known = _FakeAws(answer), reads.DescribedOnce()
    listed = {"names": ["a", "b"], "created": {"a": "t1", "b": "t1"}, "truncated": False}
    first = await reads.emr_identity_center_configurations(aws, None, "us-east-1", listed, known)  # type: ignore[arg-type]
    again = await reads.emr_identity_center_configurations(aws, None, "us-east-1", listed, known)  # type: ignore[arg-type]
    assert (
        [r["name"] for r in again.value["resources"]]
        == ["a", "b"]
        == [r["name"] for r in first.value["resources"]]
    )
    assert len(_ops(aws, "describe_security_configuration")) == 2
    # Deleted and created again under the same name: described again.
    listed["created"] = {"a": "t2", "b": "t1"}
    await reads.emr_identity_center_configurations(aws, None, "us-east-1", listed, known)  # type: ignore[arg-type]
    assert [p["Name"] for p in _ops(aws, "describe_security_configuration")] == ["a", "b", "a"]


async def test_redshift_paging_is_capped():
    def answer(operation, params, n):
        app = {"RedshiftIdcApplicationName": f"app{n}", "IdcInstanceArn": DOMAIN}
        return {"RedshiftIdcApplications": [app], "Marker": f"m{n}"}

    aws = _FakeAws(answer)
    found = await reads.redshift_applications(aws, None, "us-east-1")  # type: ignore[arg-type]
    calls = _ops(aws, "describe_redshift_idc_applications")
    assert len(calls) == reads.REDSHIFT_MAX_PAGES
    assert calls[0].get("Marker") is None and calls[1]["Marker"] == "m1"
    assert all(c["MaxRecords"] == reads.REDSHIFT_PAGE_SIZE for c in calls)
    assert found.value["truncated"] is True and len(found.value["resources"]) == 5


async def test_emr_reads_are_capped_and_parse_the_security_configuration():
    documents = {
        "idc": {
            "AuthenticationConfiguration": {
                "IdentityCenterConfiguration": {
                    "EnableIdentityCenter": True,
                    "IdentityCenterInstanceARN": DOMAIN,
                }
            }
        },
        "off": {
            "AuthenticationConfiguration": {
                "IdentityCenterConfiguration": {"EnableIdentityCenter": False}
            }
        },
        "plain": {"EncryptionConfiguration": {}},
    }

    def answer(operation, params, n):
        if operation == "list_security_configurations":
            names = [{"Name": f"{kind}-{n}"} for kind in ("idc", "off", "plain")] * 10
            return {"SecurityConfigurations": names, "Marker": "m"}
        kind = params["Name"].split("-")[0]
        return {"Name": params["Name"], "SecurityConfiguration": json.dumps(documents[kind])}

    aws = _FakeAws(answer)
    listed = await reads.emr_security_configurations(aws, None, "us-east-1")  # type: ignore[arg-type]
    assert len(listed.value["names"]) == reads.MAX_LISTED and listed.value["truncated"]
    found = await reads.emr_identity_center_configurations(aws, None, "us-east-1", listed.value)  # type: ignore[arg-type]
    assert len(_ops(aws, "describe_security_configuration")) == reads.MAX_DESCRIBED
    names = [r["name"] for r in found.value["resources"]]
    assert names and all(n.startswith("idc-") for n in names)
    assert found.value["resources"][0]["identity_center_instance_arn"] == DOMAIN
    assert found.value["failure"] is None


def test_an_unreadable_security_configuration_is_a_partial_failure():
    with pytest.raises(ValueError):
        reads.emr_identity_center("[1, 2]")
    assert reads.emr_identity_center('{"AuthenticationConfiguration": "x"}') == (False, None)
    assert reads.emr_identity_center(
        '{"AuthenticationConfiguration": {"IdentityCenterConfiguration": '
        '{"EnableIdentityCenter": true}}}'
    ) == (True, None)


async def test_an_unreadable_security_configuration_is_kept_as_the_listings_partial_failure():
    good = {
        "AuthenticationConfiguration": {
            "IdentityCenterConfiguration": {
                "EnableIdentityCenter": True,
                "IdentityCenterInstanceARN": DOMAIN,
            }
        }
    }

    def answer(operation, params, n):
        document = "not json" if params["Name"] == "broken" else json.dumps(good)
        return {"Name": params["Name"], "SecurityConfiguration": document}

    aws = _FakeAws(answer)
    listed = {"names": ["broken", "tip-emr-idc"], "truncated": False}
    found = await reads.emr_identity_center_configurations(aws, None, "us-east-1", listed)  # type: ignore[arg-type]
    assert [r["name"] for r in found.value["resources"]] == ["tip-emr-idc"]
    failure = found.value["failure"]
    assert (
        failure.kind == kinds.MALFORMED and failure.action == reads.DESCRIBE_SECURITY_CONFIGURATION
    )
    assert "broken is not a JSON object" in failure.message
    assert reads.partial_failure(found) is failure

"""The other TIP-aware services' Identity Center integrations as the emulator answers them:
Athena workgroups, Lake Formation, Redshift IdC applications, Glue and EMR security
configurations, read by real botocore clients made from a scenario's environment only. Every
answer also goes through the strict wire check against botocore's newest models
(wire_shapes.py), so a wrong shape fails even where botocore's parser would forgive it."""

from __future__ import annotations

import json
from typing import Any

import pytest
from botocore.exceptions import ClientError
from emulator_helpers import FAST
from wire_shapes import NEWEST_BOTOCORE, Recorder, botocore_version, full_models_session, problems

from studio_emulator.client import monkeypatch_env

pytestmark = pytest.mark.skipif(
    botocore_version() < NEWEST_BOTOCORE,
    reason="needs botocore's newest service models (the dev environment's botocore)",
)
ACCOUNT = "111122223333"
DOMAIN_INSTANCE = "arn:aws:sso:::instance/ssoins-7223a1b2c3d4e5f6"
OTHER_INSTANCE = "arn:aws:sso:::instance/ssoins-99887766aabbccdd"
# botocore client name -> the endpoint variable botocore reads for it
ENDPOINT_VARS = {
    "athena": "AWS_ENDPOINT_URL_ATHENA",
    "lakeformation": "AWS_ENDPOINT_URL_LAKEFORMATION",
    "redshift": "AWS_ENDPOINT_URL_REDSHIFT",
    "glue": "AWS_ENDPOINT_URL_GLUE",
    "emr": "AWS_ENDPOINT_URL_EMR",
}


class Space:
    """Clients of the space's own session (the scenario's env), every answer recorded."""

    def __init__(self, session: Any, region: str | None = None):
        self.recorder = Recorder()
        self.recorder.attach(session)
        self._session, self._region = session, region
        self._clients: dict[str, Any] = {}

    def __getattr__(self, service: str) -> Any:
        if service not in self._clients:
            self._clients[service] = self._session.create_client(
                service, region_name=self._region, config=FAST
            )
        return self._clients[service]

    def problems(self) -> list[str]:
        return [p for w in self.recorder.seen for p in problems(w)]


@pytest.fixture
def space(emulator, monkeypatch):
    def make(name: str, region: str | None = None) -> tuple[Space, dict[str, Any]]:
        info = emulator.use(name)
        monkeypatch_env(monkeypatch, info["env"])

        return Space(full_models_session(), region), info

    return make


def _error(call, **params) -> tuple[str, int]:
    with pytest.raises(ClientError) as ei:
        call(**params)
    resp = ei.value.response
    return resp["Error"]["Code"], resp["ResponseMetadata"]["HTTPStatusCode"]


def _read_all(s: Space) -> dict[str, Any]:
    """Everything there is to read, as the engine reads it (every page)."""
    out: dict[str, Any] = {}
    names, token = [], None
    while True:
        page = s.athena.list_work_groups(MaxResults=50, **({"NextToken": token} if token else {}))
        names += [w["Name"] for w in page["WorkGroups"]]
        token = page.get("NextToken")
        if not token:
            break
    out["athena"] = {
        n: s.athena.get_work_group(WorkGroup=n)["WorkGroup"]["Configuration"].get(
            "IdentityCenterConfiguration"
        )
        for n in names
    }
    try:
        out["lakeformation"] = (
            s.lakeformation.describe_lake_formation_identity_center_configuration(CatalogId=ACCOUNT)
        )
    except ClientError as e:
        out["lakeformation"] = e.response["Error"]["Code"]
    apps, marker = [], None
    while True:
        page = s.redshift.describe_redshift_idc_applications(
            MaxRecords=100, **({"Marker": marker} if marker else {})
        )
        apps += page["RedshiftIdcApplications"]
        marker = page.get("Marker")
        if not marker:
            break
    out["redshift"] = {a["RedshiftIdcApplicationName"]: a for a in apps}
    try:
        out["glue"] = s.glue.get_glue_identity_center_configuration()
    except ClientError as e:
        out["glue"] = e.response["Error"]["Code"]
    confs, marker = [], None
    while True:
        page = s.emr.list_security_configurations(**({"Marker": marker} if marker else {}))
        confs += [c["Name"] for c in page["SecurityConfigurations"]]
        marker = page.get("Marker")
        if not marker:
            break
    out["emr"] = {
        n: json.loads(s.emr.describe_security_configuration(Name=n)["SecurityConfiguration"])
        for n in confs
    }
    return out


def _emr_idc(doc: dict[str, Any]) -> dict[str, Any] | None:
    return doc.get("AuthenticationConfiguration", {}).get("IdentityCenterConfiguration")


# -- wiring ------------------------------------------------------------------------------
def test_every_scenario_env_points_the_five_services_at_the_emulator(emulator, monkeypatch):
    info = emulator.use("happy")
    for var in ENDPOINT_VARS.values():
        assert info["env"][var] == info["url"]
    # Without the global variable, each client must find the emulator through its own one:
    # a misspelt name would send it to AWS.
    monkeypatch_env(monkeypatch, {**info["env"], "AWS_ENDPOINT_URL": None})
    import botocore.session

    session = botocore.session.Session()
    for service in ENDPOINT_VARS:
        assert session.create_client(service).meta.endpoint_url == info["url"], service


# -- the scenarios ---------------------------------------------------------------------------
def test_happy_has_every_service_on_the_domains_instance(space):
    s, info = space("happy")
    assert info["expected"]["identity_center_instance_arn"] == DOMAIN_INSTANCE
    got = _read_all(s)
    assert got["athena"] == {
        "primary": None,
        "tip-analysts": {
            "EnableIdentityCenter": True,
            "IdentityCenterInstanceArn": DOMAIN_INSTANCE,
        },
    }
    lf = got["lakeformation"]
    assert (lf["CatalogId"], lf["InstanceArn"]) == (ACCOUNT, DOMAIN_INSTANCE)
    assert lf["ApplicationArn"].startswith(f"arn:aws:sso::{ACCOUNT}:application/ssoins-7223")
    assert list(got["redshift"]) == ["redshift-idc-app"]
    app = got["redshift"]["redshift-idc-app"]
    assert app["IdcInstanceArn"] == DOMAIN_INSTANCE
    assert app["IdcManagedApplicationArn"].startswith(f"arn:aws:sso::{ACCOUNT}:application/")
    assert got["glue"]["InstanceArn"] == DOMAIN_INSTANCE
    assert got["glue"]["ApplicationArn"] != lf["ApplicationArn"]  # each service its own
    assert set(got["emr"]) == {"tip-emr-idc", "plain-emr"}
    assert _emr_idc(got["emr"]["tip-emr-idc"]) == {
        "EnableIdentityCenter": True,
        "IdentityCenterApplicationAssigmentRequired": False,  # sic, as EMR's guide spells it
        "IdentityCenterInstanceARN": DOMAIN_INSTANCE,
    }
    assert _emr_idc(got["emr"]["plain-emr"]) is None
    assert not s.problems(), s.problems()
    exp = info["expected"]["integrations"]
    assert {k: v["state"] for k, v in exp.items()} == dict.fromkeys(
        ("athena", "lake-formation", "redshift-data", "glue", "emr-ec2"), "ready"
    )
    assert exp["athena"]["resources"] == [
        {
            "kind": "workgroup",
            "name": "tip-analysts",
            "identity_center_instance_arn": DOMAIN_INSTANCE,
            "state": "ready",
        }
    ]
    assert exp["lake-formation"]["application_arn"] == lf["ApplicationArn"]


def test_services_not_configured(space):
    s, info = space("services_not_configured")
    got = _read_all(s)
    assert got["athena"] == {"primary": None, "tip-analysts": None}
    assert got["lakeformation"] == "EntityNotFoundException"
    assert got["redshift"] == {}
    assert got["glue"] == "EntityNotFoundException"
    assert {n: _emr_idc(d) for n, d in got["emr"].items()} == {"plain-emr": None}
    assert not s.problems(), s.problems()
    exp = info["expected"]["integrations"]
    assert {v["state"] for v in exp.values()} == {"not_configured"}


def test_services_other_instance(space):
    s, info = space("services_other_instance")
    got = _read_all(s)
    assert got["athena"]["tip-analysts"]["IdentityCenterInstanceArn"] == OTHER_INSTANCE
    assert got["lakeformation"]["InstanceArn"] == OTHER_INSTANCE
    assert got["lakeformation"]["ApplicationArn"].split("/")[1] == "ssoins-99887766aabbccdd"
    assert got["redshift"]["redshift-idc-app"]["IdcInstanceArn"] == OTHER_INSTANCE
    assert got["glue"]["InstanceArn"] == OTHER_INSTANCE
    assert _emr_idc(got["emr"]["tip-emr-idc"])["IdentityCenterInstanceARN"] == OTHER_INSTANCE
    assert not s.problems(), s.problems()
    exp = info["expected"]["integrations"]
    assert {v["state"] for v in exp.values()} == {"other_instance"}
    assert exp["emr-ec2"]["resources"][0]["state"] == "other_instance"


DENIED = [
    ("athena", "list_work_groups", {}, "AccessDeniedException", 400),
    ("athena", "get_work_group", {"WorkGroup": "tip-analysts"}, "AccessDeniedException", 400),
    (
        "lakeformation",
        "describe_lake_formation_identity_center_configuration",
        {"CatalogId": ACCOUNT},
        "AccessDeniedException",
        403,
    ),
    ("redshift", "describe_redshift_idc_applications", {}, "AccessDenied", 403),
    ("glue", "get_glue_identity_center_configuration", {}, "AccessDeniedException", 400),
    ("emr", "list_security_configurations", {}, "AccessDeniedException", 400),
    (
        "emr",
        "describe_security_configuration",
        {"Name": "tip-emr-idc"},
        "AccessDeniedException",
        400,
    ),
]


def test_services_denied_refuses_every_read_and_logs_it(space, emulator):
    s, info = space("services_denied")
    emulator.reset_calls()
    for service, method, params, code, status in DENIED:
        assert _error(getattr(getattr(s, service), method), **params) == (code, status), method
    assert not s.problems(), s.problems()
    calls = emulator.calls()["calls"]
    assert {c["operation"] for c in calls if c["fault"] == "denied"} == {
        "athena:ListWorkGroups",
        "athena:GetWorkGroup",
        "lakeformation:DescribeLakeFormationIdentityCenterConfiguration",
        "redshift:DescribeRedshiftIdcApplications",
        "glue:GetGlueIdentityCenterConfiguration",
        "elasticmapreduce:ListSecurityConfigurations",
        "elasticmapreduce:DescribeSecurityConfiguration",
    }
    events = [e["CloudTrailEvent"] for e in emulator.events()]
    denied = {(e["eventSource"], e["eventName"], e.get("errorCode")) for e in events}
    assert ("lakeformation.amazonaws.com", "DescribeLakeFormationIdentityCenterConfiguration",
            "AccessDeniedException") in denied  # fmt: skip
    assert ("redshift.amazonaws.com", "DescribeRedshiftIdcApplications", "AccessDenied") in denied
    exp = info["expected"]["integrations"]
    assert {v["state"] for v in exp.values()} == {"unknown"}


def test_calls_are_logged_and_recorded_in_cloudtrail_for_the_user(space, emulator):
    s, info = space("happy")
    emulator.reset_calls()
    s.emr.list_security_configurations()
    s.redshift.describe_redshift_idc_applications()
    counts = emulator.calls()["counts"]
    assert counts.get("elasticmapreduce:ListSecurityConfigurations") == 1
    assert counts.get("redshift:DescribeRedshiftIdcApplications") == 1
    events = {e["CloudTrailEvent"]["eventName"]: e["CloudTrailEvent"] for e in emulator.events()}
    emr = events["ListSecurityConfigurations"]
    assert emr["eventSource"] == "elasticmapreduce.amazonaws.com"
    assert emr["readOnly"] is True
    assert emr["userIdentity"]["onBehalfOf"]["userId"] == info["expected"]["user_id"]


# -- paging, errors, account and region ---------------------------------------------------
def test_athena_pages_by_max_results(space):
    s, _ = space("happy")
    first = s.athena.list_work_groups(MaxResults=1)
    assert [w["Name"] for w in first["WorkGroups"]] == ["primary"]
    second = s.athena.list_work_groups(MaxResults=1, NextToken=first["NextToken"])
    assert [w["Name"] for w in second["WorkGroups"]] == ["tip-analysts"]
    assert "NextToken" not in second
    assert second["WorkGroups"][0]["IdentityCenterApplicationArn"].startswith("arn:aws:sso::")
    # A token of another page size is not one of this query's.
    code, status = _error(s.athena.list_work_groups, MaxResults=2, NextToken=first["NextToken"])
    assert (code, status) == ("InvalidRequestException", 400)
    assert _error(s.athena.get_work_group, WorkGroup="nope")[0] == "InvalidRequestException"
    assert not s.problems(), s.problems()


def test_services_many_pages_every_list(space):
    s, info = space("services_many")
    page = s.athena.list_work_groups()
    assert len(page["WorkGroups"]) == 50 and page["NextToken"]
    got = _read_all(s)
    assert len(got["athena"]) == 62
    assert list(got["athena"])[-1] == "tip-analysts"  # after the fillers
    assert len(got["redshift"]) == 506
    assert list(got["redshift"])[-1] == "redshift-idc-app"
    assert len(got["emr"]) == 62
    emr = s.emr.list_security_configurations()
    assert len(emr["SecurityConfigurations"]) == 50 and emr["Marker"]
    rs = s.redshift.describe_redshift_idc_applications(MaxRecords=20)
    assert len(rs["RedshiftIdcApplications"]) == 20 and rs["Marker"]
    assert not s.problems(), s.problems()
    exp = info["expected"]["integrations"]
    assert exp["redshift-data"]["state"] == "ready"
    assert exp["redshift-data"]["resources"][0]["name"] == "redshift-idc-app"  # domain's first
    assert len(exp["redshift-data"]["resources"]) == 506


def test_bad_paging_and_unknown_names_are_modeled_errors(space):
    s, _ = space("happy")
    assert _error(s.redshift.describe_redshift_idc_applications, MaxRecords=10) == (
        "InvalidParameterValue",
        400,
    )
    assert _error(s.redshift.describe_redshift_idc_applications, Marker="bogus") == (
        "InvalidParameterValue",
        400,
    )
    assert _error(
        s.redshift.describe_redshift_idc_applications,
        RedshiftIdcApplicationArn=f"arn:aws:redshift:us-east-1:{ACCOUNT}:redshiftidcapplication:x",
    ) == ("RedshiftIdcApplicationNotExists", 404)
    assert _error(s.emr.list_security_configurations, Marker="bogus") == (
        "InvalidRequestException",
        400,
    )
    assert _error(s.emr.describe_security_configuration, Name="nope") == (
        "InvalidRequestException",
        400,
    )
    assert not s.problems(), s.problems()


def test_another_catalog_is_denied(space):
    s, _ = space("happy")
    code, status = _error(
        s.lakeformation.describe_lake_formation_identity_center_configuration,
        CatalogId="999988887777",
    )
    assert (code, status) == ("AccessDeniedException", 403)
    # Without CatalogId the caller's account is meant.
    assert (
        s.lakeformation.describe_lake_formation_identity_center_configuration()["CatalogId"]
        == ACCOUNT
    )
    assert not s.problems(), s.problems()


def test_another_region_has_no_integration(space):
    s, _ = space("happy", region="eu-west-1")
    listed = s.athena.list_work_groups()["WorkGroups"]
    assert [w["Name"] for w in listed] == ["primary"]  # every region has its own
    assert (
        "IdentityCenterConfiguration"
        not in (s.athena.get_work_group(WorkGroup="primary")["WorkGroup"]["Configuration"])
    )
    assert _error(s.athena.get_work_group, WorkGroup="tip-analysts")[0] == "InvalidRequestException"
    assert _error(s.lakeformation.describe_lake_formation_identity_center_configuration) == (
        "EntityNotFoundException",
        400,
    )
    assert s.redshift.describe_redshift_idc_applications()["RedshiftIdcApplications"] == []
    assert _error(s.glue.get_glue_identity_center_configuration)[0] == "EntityNotFoundException"
    assert s.emr.list_security_configurations()["SecurityConfigurations"] == []
    assert not s.problems(), s.problems()

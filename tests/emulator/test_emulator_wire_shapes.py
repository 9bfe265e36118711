"""Every answer the emulator gives, as the bytes on the wire, holds to botocore's newest full
service models, in every scenario: its own operations (S3 Access Grants' rest-xml, the other
services' Identity Center integrations, Lake Formation's rest-json too) and what moto answers
for it. Plus the
container credentials JSON (what botocore's ContainerProvider reads) and every CloudTrail
record (the documented record format).

botocore's parsers forgive a wrong shape; this test does not (wire_shapes.py), so the engine
and the emulator cannot agree on a shape AWS never sends.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from botocore.exceptions import BotoCoreError, ClientError
from emulator_helpers import FAST, fetch_container
from wire_shapes import (
    NEWEST_BOTOCORE,
    Recorder,
    Wire,
    botocore_version,
    cloudtrail_record_problems,
    container_problems,
    full_models_session,
    problems,
)

from studio_emulator import scenarios
from studio_emulator.client import monkeypatch_env

pytestmark = pytest.mark.skipif(
    botocore_version() < NEWEST_BOTOCORE,
    reason="needs botocore's newest service models (the dev environment's botocore)",
)
ADMIN_KEYS = {"aws_access_key_id": "AKIAFACTCHECKER00001", "aws_secret_access_key": "x"}
OTHER_REGION = "ap-southeast-2"
UNKNOWN_USER_ID = "0000000000-00000000-0000-0000-0000-000000000000"


def _metadata(info: dict[str, Any]) -> dict[str, Any]:
    """What the engine starts from: the app metadata file, else (outside Studio) the info."""
    path = Path(info["metadata_path"])
    if path.exists():
        return json.loads(path.read_text())
    exp = info["expected"]
    return {
        "DomainId": exp["domain_id"],
        "SpaceName": exp["space_name"],
        "AppType": exp["app_type"],
        "ResourceName": exp["app_name"],
        "ResourceArn": exp["app_arn"],
    }


class Reader:
    """Makes the calls the engine makes, and a few that must fail, logging every failure."""

    def __init__(self, session: Any, region: str, keys: dict[str, str]):
        self._session, self._region, self._keys = session, region, keys
        self._clients: dict[tuple[str, str], Any] = {}
        self.skip: set[str] = set()  # operations that hang: no answer to check

    def call(self, service: str, method: str, region: str | None = None, **params: Any) -> Any:
        op = f"{service}:{''.join(p.title() for p in method.split('_'))}"
        signing = {"sso-admin": "sso", "s3control": "s3", "emr": "elasticmapreduce"}.get(
            service, service
        )
        if {op.replace(service, signing, 1), f"{signing}:*", "*"} & self.skip:
            return None
        key = (service, region or self._region)
        if key not in self._clients:
            self._clients[key] = self._session.create_client(
                service, region_name=key[1], config=FAST, **self._keys
            )
        try:
            return getattr(self._clients[key], method)(**params)
        except (ClientError, BotoCoreError):
            return None

    def read(self, meta: dict[str, Any]) -> None:
        self.call("sts", "get_caller_identity")
        domain_id = meta["DomainId"]
        domain = self.call("sagemaker", "describe_domain", DomainId=domain_id) or {}
        self.call("sagemaker", "describe_domain", region=OTHER_REGION, DomainId=domain_id)
        profile_name = meta.get("UserProfileName")
        if meta.get("SpaceName"):
            space = self.call(
                "sagemaker", "describe_space", DomainId=domain_id, SpaceName=meta["SpaceName"]
            )
            profile_name = profile_name or ((space or {}).get("OwnershipSettings") or {}).get(
                "OwnerUserProfileName"
            )
            owner = {"SpaceName": meta["SpaceName"]}
        else:
            owner = {"UserProfileName": profile_name}
        self.call("sagemaker", "describe_space", DomainId=domain_id, SpaceName="no-such-space")
        for name in (meta.get("ResourceName"), "no-such-app"):
            self.call(
                "sagemaker",
                "describe_app",
                DomainId=domain_id,
                AppType=meta["AppType"],
                AppName=name,
                **owner,
            )
        profile = (
            self.call(
                "sagemaker",
                "describe_user_profile",
                DomainId=domain_id,
                UserProfileName=profile_name or "jdoe",
            )
            or {}
        )
        self._identity_center(domain, profile)
        self._cloudtrail()
        self._access_grants(meta["ResourceArn"].split(":")[4])
        self._integrations(meta["ResourceArn"].split(":")[4])

    def _integrations(self, account: str) -> None:
        """The other services' Identity Center integrations: a page or two, each item, and
        the errors (a foreign token, an unknown name, another catalog)."""
        listed = self.call("athena", "list_work_groups", MaxResults=50) or {}
        if listed.get("NextToken"):
            self.call("athena", "list_work_groups", MaxResults=50, NextToken=listed["NextToken"])
        for wg in [*listed.get("WorkGroups", [])[:3], {"Name": "no-such-workgroup"}]:
            self.call("athena", "get_work_group", WorkGroup=wg["Name"])
        for catalog in (account, "999988887777"):
            self.call(
                "lakeformation",
                "describe_lake_formation_identity_center_configuration",
                CatalogId=catalog,
            )
        self.call("redshift", "describe_redshift_idc_applications", MaxRecords=100)
        self.call("redshift", "describe_redshift_idc_applications", Marker="bogus")
        self.call("glue", "get_glue_identity_center_configuration")
        confs = self.call("emr", "list_security_configurations") or {}
        for conf in [*confs.get("SecurityConfigurations", [])[:3], {"Name": "no-such-conf"}]:
            self.call("emr", "describe_security_configuration", Name=conf["Name"])

    def _access_grants(self, account: str) -> None:
        self.call("s3control", "get_access_grants_instance", AccountId=account)
        listed = self.call("s3control", "list_caller_access_grants", AccountId=account) or {}
        self.call("s3control", "list_caller_access_grants", AccountId=account, NextToken="bad")
        targets = [g["GrantScope"] for g in listed.get("CallerAccessGrantsList", [])]
        for target in [*targets, "s3://amzn-s3-demo-bucket/nobody/*"]:
            self.call(
                "s3control", "get_data_access", AccountId=account, Target=target, Permission="READ"
            )
        self.call(
            "s3control",
            "get_data_access",
            AccountId="999988887777",
            Target="s3://x/*",
            Permission="READ",
        )  # another account: AccessDenied

    def _identity_center(self, domain: dict[str, Any], profile: dict[str, Any]) -> None:
        instances = []
        if domain.get("SingleSignOnApplicationArn"):
            app = self.call(
                "sso-admin",
                "describe_application",
                ApplicationArn=domain["SingleSignOnApplicationArn"],
            )
            instances.append((app or {}).get("InstanceArn"))
        listed = self.call("sso-admin", "list_instances") or {}
        instances += [i["InstanceArn"] for i in listed.get("Instances", [])]
        instances.append("arn:aws:sso:::instance/ssoins-0000000000000000")
        stores = set()
        for arn in filter(None, instances):
            described = self.call("sso-admin", "describe_instance", InstanceArn=arn) or {}
            stores.add(described.get("IdentityStoreId"))
        for store in filter(None, stores):
            for value in filter(None, (profile.get("SingleSignOnUserValue"), "nobody")):
                found = self.call(
                    "identitystore",
                    "get_user_id",
                    IdentityStoreId=store,
                    AlternateIdentifier={
                        "UniqueAttribute": {"AttributePath": "userName", "AttributeValue": value}
                    },
                )
                user_id = (found or {}).get("UserId") or UNKNOWN_USER_ID
                self.call("identitystore", "describe_user", IdentityStoreId=store, UserId=user_id)

    def _cloudtrail(self) -> None:
        self.call("cloudtrail", "lookup_events", MaxResults=50)
        self.call("cloudtrail", "lookup_events", MaxResults=51)  # InvalidMaxResultsException
        two = [
            {"AttributeKey": "EventName", "AttributeValue": "DescribeApp"},
            {"AttributeKey": "ReadOnly", "AttributeValue": "true"},
        ]
        self.call("cloudtrail", "lookup_events", LookupAttributes=two)


def _usable(session: Any) -> bool:
    try:
        creds = session.get_credentials()
        return creds is not None and bool(creds.get_frozen_credentials().access_key)
    except Exception:  # expired container keys: botocore refuses to use them
        return False


def _required_answers(info: dict[str, Any], own_keys: bool) -> set[str]:
    exp = info["expected"]
    ops = {
        "sagemaker:DescribeDomain",
        "sagemaker:DescribeUserProfile",
        "sagemaker:DescribeApp",
        "sso-admin:ListInstances",
        "sso-admin:DescribeInstance",
        "cloudtrail:LookupEvents",
    }
    if exp["auth_mode"] == "SSO":
        ops |= {"identitystore:GetUserId", "identitystore:DescribeUser"}
    if own_keys:
        ops.add("sts:GetCallerIdentity")
    if exp["space_name"]:
        ops.add("sagemaker:DescribeSpace")
    if exp["sso_application_arn"]:
        ops.add("sso-admin:DescribeApplication")
    if exp["access_grants_instance_arn"]:
        ops |= {"s3control:GetAccessGrantsInstance", "s3control:ListCallerAccessGrants"}
    ops |= {
        "athena:ListWorkGroups",
        "athena:GetWorkGroup",  # primary at least
        "redshift:DescribeRedshiftIdcApplications",  # an empty list when none
        "emr:ListSecurityConfigurations",
    }
    integrations = exp["integrations"]
    if integrations["emr-ec2"]["resources"]:
        ops.add("emr:DescribeSecurityConfiguration")
    if integrations["lake-formation"]["identity_center_instance_arn"]:
        ops.add("lakeformation:DescribeLakeFormationIdentityCenterConfiguration")
    if integrations["glue"]["identity_center_instance_arn"]:
        ops.add("glue:GetGlueIdentityCenterConfiguration")
    # The space's session itself (not a profile's, not the fact checker's keys) is granted.
    own_session = own_keys and exp["credential_source"] == "container-role"
    if own_session and exp["access_grants_caller_grants"]:
        ops.add("s3control:GetDataAccess")
    return ops


@pytest.mark.parametrize("name", scenarios.names())
def test_every_answer_holds_to_the_newest_models(emulator, monkeypatch, name):
    info = emulator.use(name)
    monkeypatch_env(monkeypatch, info["env"])
    session = full_models_session()
    recorder = Recorder()
    recorder.attach(session)
    own_keys = _usable(session)
    keys = {} if own_keys else ADMIN_KEYS
    meta = _metadata(info)
    region = meta["ResourceArn"].split(":")[3]

    reader = Reader(session, region, keys)
    reader.skip = {f["operation"] for f in emulator.faults() if f["fault"] == "hang"}
    reader.read(meta)  # with the scenario's faults
    emulator.clear_faults()
    reader.skip = set()
    reader.read(meta)

    answered = {f"{w.service}:{w.operation}" for w in recorder.seen if w.status == 200}
    assert answered >= _required_answers(info, own_keys)
    assert any(w.status >= 400 for w in recorder.seen), "the failing calls must be checked too"

    found = [p for w in recorder.seen for p in problems(w)]
    for w in _lookups(recorder.seen):
        for event in json.loads(w.body)["Events"]:
            found += cloudtrail_record_problems(json.loads(event["CloudTrailEvent"]))
    for event in emulator.events():  # delivered or not
        found += cloudtrail_record_problems(event["CloudTrailEvent"])
    token = info["env"]["AWS_CONTAINER_AUTHORIZATION_TOKEN"]
    if token and info["env"]["AWS_CONTAINER_CREDENTIALS_FULL_URI"]:
        status, body = fetch_container(info, token)
        assert status == 200
        found += container_problems(body)
    assert not found, "\n".join(sorted(set(found)))


def _lookups(wires: list[Wire]) -> list[Wire]:
    return [w for w in wires if w.operation == "LookupEvents" and w.status == 200]


# -- the validator itself: it must catch what it is for ----------------------------------
def _wire(service: str, operation: str, body: Any, status: int = 200) -> Wire:
    model = full_models_session().get_service_model(service).operation_model(operation)
    ctype = "text/xml" if model.service_model.protocol == "query" else "application/x-amz-json-1.1"
    raw = body if isinstance(body, bytes) else json.dumps(body).encode()
    return Wire(service, operation, status, {"content-type": ctype}, raw, model)


GOOD_INSTANCE = {
    "InstanceArn": "arn:aws:sso:::instance/ssoins-7223a1b2c3d4e5f6",
    "IdentityStoreId": "d-1234567890",
    "Status": "ACTIVE",
    "Regions": [{"RegionName": "us-east-1", "Status": "ACTIVE", "IsPrimaryRegion": True}],
}


@pytest.mark.parametrize(
    "body,complaint",
    [
        ({**GOOD_INSTANCE, "IdentityStore": "d-1234567890"}, "not a member"),
        ({**GOOD_INSTANCE, "Status": "ENABLED"}, "is not one of"),
        ({**GOOD_INSTANCE, "Regions": "us-east-1"}, "expected a list"),
        ({**GOOD_INSTANCE, "Regions": [{"RegionName": "us-east-1", "Primary": True}]}, "member"),
        ({**GOOD_INSTANCE, "CreatedDate": "2024-06-03"}, "epoch seconds"),
        ({**GOOD_INSTANCE, "IdentityStoreId": None}, "null"),
        ({**GOOD_INSTANCE, "InstanceArn": "arn:aws:sso:::instance/ins-1"}, "pattern"),
    ],
)
def test_the_validator_rejects_wrong_shapes(body, complaint):
    assert not problems(_wire("sso-admin", "DescribeInstance", GOOD_INSTANCE))
    found = problems(_wire("sso-admin", "DescribeInstance", body))
    assert any(complaint in p for p in found), found


def test_the_validator_rejects_missing_required_members_and_unmodeled_errors():
    found = problems(_wire("identitystore", "GetUserId", {"IdentityStoreId": "d-1234567890"}))
    assert {p.split(": ")[0].rsplit(".", 1)[-1] for p in found} >= {"UserId", "UserArn"}
    error = {"__type": "ResourceNotFoundException", "message": "no"}
    assert any(
        "neither modeled" in p for p in problems(_wire("sso-admin", "DescribeInstance", error, 400))
    )
    xml = (
        b"<GetCallerIdentityResponse><GetCallerIdentityResult><UserId>x</UserId>"
        b"<Role>y</Role></GetCallerIdentityResult></GetCallerIdentityResponse>"
    )
    assert any("Role: not a member" in p for p in problems(_wire("sts", "GetCallerIdentity", xml)))


def test_the_container_and_record_checks_reject_what_botocore_and_cloudtrail_do_not_know():
    assert container_problems({"AccessKeyId": "A", "SecretAccessKey": "s", "Token": "t"}) == [
        "container credentials: Expiration missing (botocore reads response['Expiration'])"
    ]
    assert container_problems(
        {
            "AccessKeyId": "A",
            "SecretAccessKey": "s",
            "Token": "t",
            "Expiration": "2026-11-29T12:00:00Z",
            "SessionToken": "t",
        }
    ) == ["container credentials: SessionToken is not a field botocore or ECS knows"]
    record = {
        "eventVersion": "1.11",
        "eventTime": "2026-11-29T12:00:00Z",
        "eventSource": "sts.amazonaws.com",
        "eventName": "GetCallerIdentity",
        "awsRegion": "us-east-1",
        "sourceIPAddress": "127.0.0.1",
        "eventID": "e",
        "eventType": "AwsApiCall",
        "eventCategory": "Management",
        "userIdentity": {"type": "IAMUser", "onBehalfOf": {"userId": "u"}},
    }
    found = cloudtrail_record_problems(record)
    assert "userIdentity.onBehalfOf.userId: 'u'" in found
    assert "userIdentity.onBehalfOf.identityStoreArn: None" in found

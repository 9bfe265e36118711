"""The Identity Center integrations of the other services trusted identity propagation reaches,
answered by the emulator: Athena workgroups (ListWorkGroups, GetWorkGroup), Lake Formation
(DescribeLakeFormationIdentityCenterConfiguration, rest-json), Redshift IdC applications
(DescribeRedshiftIdcApplications, query XML), Glue (GetGlueIdentityCenterConfiguration) and
EMR on EC2 security configurations (ListSecurityConfigurations, DescribeSecurityConfiguration).

moto 5.2 has no Lake Formation, Glue or Redshift IdC operations and no EMR security
configuration with Identity Center; its Athena keeps a workgroup's IdentityCenterConfiguration
but pages nothing (MaxResults is ignored), answers an unknown workgroup with
``{"WorkGroup": null}`` and dates every workgroup "now" on each call. So all of them are
answered here, from the scenario's ``services`` (scenarios.py).

Every integration is regional, as in AWS: a call signed for another region than the domain's
finds nothing there (only Athena's ``primary`` workgroup, no configuration, an empty list). Why each shape looks
the way it does: README.md, "Realism".
"""

from __future__ import annotations

import hashlib
import json
import uuid
from collections.abc import Callable
from datetime import datetime
from typing import Any
from xml.sax.saxutils import escape

from .accessgrants import OTHER_IDENTITY_CENTER_INSTANCE
from .responses import (
    Reply,
    aws_error,
    aws_json,
    continuation_token,
    page_offset,
    request_id,
    rest_json,
)
from .routing import AwsRequest
from .seed import World, parse_time

ATHENA_MAX_RESULTS = 50  # the athena model's maximum, and the default
REDSHIFT_MAX_RECORDS = (20, 100)  # as Redshift's other Describe* operations document
EMR_PAGE = 50  # "returns a maximum of 50 ... per call" (EMR API reference)
REDSHIFT_XMLNS = "http://redshift.amazonaws.com/doc/2012-12-01/"


# -- the scenario's integrations -----------------------------------------------------------
def identity_center_arn(world: World, which: str | None) -> str | None:
    """``domain``: the domain's Identity Center instance; ``other``: another one; None: none."""
    if which == "domain":
        return world.instance_arn
    if which == "other":
        return f"arn:aws:sso:::instance/{OTHER_IDENTITY_CENTER_INSTANCE}"
    return None


def application_arn(world: World, instance_arn: str, *owner: str) -> str:
    """An Identity Center application a service made on ``instance_arn`` for ``owner``."""
    instance_id = instance_arn.rsplit("/", 1)[-1]
    digest = hashlib.sha256("/".join((world.account, *owner)).encode()).hexdigest()
    return f"arn:aws:sso::{world.account}:application/{instance_id}/apl-{digest[:16]}"


def _in_region(world: World, req: AwsRequest) -> bool:
    return not req.region or req.region == world.region


def workgroups(world: World) -> list[dict[str, Any]]:
    """Athena workgroups in listing order: the fillers, then the scenario's."""
    athena = world.scenario["services"]["athena"]
    filler = [{"name": f"filler-wg-{i:03d}"} for i in range(athena["filler"])]
    out = []
    for wg in filler + athena["workgroups"]:
        ic = identity_center_arn(world, wg.get("identity_center"))
        out.append(
            {
                "name": wg["name"],
                "state": wg.get("state", "ENABLED"),
                "description": wg.get("description", ""),
                "created": parse_time(wg.get("created", "2024-06-04T08:00:00Z")),
                "identity_center_instance_arn": ic,
                "application_arn": application_arn(world, ic, "athena", wg["name"]) if ic else None,
            }
        )
    return out


def _workgroups_in(world: World, req: AwsRequest) -> list[dict[str, Any]]:
    """The workgroups of the region called: another region has only its own ``primary``
    (every region has one), without Identity Center."""
    if _in_region(world, req):
        return workgroups(world)
    primary = {
        "name": "primary",
        "state": "ENABLED",
        "description": "",
        "created": world.domain_created,
    }
    return [{**primary, "identity_center_instance_arn": None, "application_arn": None}]


def lake_formation(world: World) -> dict[str, str] | None:
    ic = identity_center_arn(world, world.scenario["services"]["lake_formation"]["identity_center"])
    if ic is None:
        return None
    return {"InstanceArn": ic, "ApplicationArn": application_arn(world, ic, "lakeformation")}


def glue(world: World) -> dict[str, str] | None:
    ic = identity_center_arn(world, world.scenario["services"]["glue"]["identity_center"])
    if ic is None:
        return None
    return {"InstanceArn": ic, "ApplicationArn": application_arn(world, ic, "glue")}


def redshift_applications(world: World) -> list[dict[str, Any]]:
    """Redshift IdC applications in listing order: the fillers (on another instance), then
    the scenario's."""
    rs = world.scenario["services"]["redshift"]
    filler = [
        {"name": f"filler-app-{i:03d}", "identity_center": "other"} for i in range(rs["filler"])
    ]
    out = []
    for app in filler + rs["idc_applications"]:
        ic = identity_center_arn(world, app["identity_center"])
        assert ic is not None  # a Redshift IdC application always has its instance
        app_id = uuid.UUID(
            hex=hashlib.sha256(f"{world.account}/{app['name']}".encode()).hexdigest()[:32]
        )
        out.append(
            {
                "IdcInstanceArn": ic,
                "RedshiftIdcApplicationName": app["name"],
                "RedshiftIdcApplicationArn": (
                    f"arn:aws:redshift:{world.region}:{world.account}:"
                    f"redshiftidcapplication:{app_id}"
                ),
                "IdentityNamespace": "AWSIDC",
                "IdcDisplayName": app.get("display_name", app["name"]),
                "IamRoleArn": f"arn:aws:iam::{world.account}:role/RedshiftIdcRole",
                "IdcManagedApplicationArn": application_arn(world, ic, "redshift", app["name"]),
                "IdcOnboardStatus": "COMPLETED",
            }
        )
    return out


def security_configurations(world: World) -> list[dict[str, Any]]:
    """EMR security configurations in listing order: the fillers, then the scenario's."""
    emr = world.scenario["services"]["emr"]
    filler = [{"name": f"filler-emr-{i:03d}"} for i in range(emr["filler"])]
    out = []
    for conf in filler + emr["security_configurations"]:
        ic = identity_center_arn(world, conf.get("identity_center"))
        out.append(
            {
                "name": conf["name"],
                "created": parse_time(conf.get("created", "2024-06-04T09:00:00Z")),
                "identity_center_instance_arn": ic,
                "document": _security_configuration_document(ic),
            }
        )
    return out


def _security_configuration_document(ic: str | None) -> str:
    """The JSON string EMR returns as given to CreateSecurityConfiguration. The Identity Center
    keys are spelled as the EMR Management Guide's example ("Create an Identity Center enabled
    security configuration") spells them, ``IdentityCenterApplicationAssigmentRequired`` (sic)
    included."""
    doc: dict[str, Any] = {
        "EncryptionConfiguration": {
            "EnableInTransitEncryption": ic is not None,  # required with Identity Center
            "EnableAtRestEncryption": False,
        }
    }
    if ic:
        doc["EncryptionConfiguration"]["InTransitEncryptionConfiguration"] = {
            "TLSCertificateConfiguration": {
                "CertificateProviderType": "PEM",
                "S3Object": "s3://amzn-s3-demo-bucket/cert/my-certs.zip",
            }
        }
        doc["AuthenticationConfiguration"] = {
            "IdentityCenterConfiguration": {
                "EnableIdentityCenter": True,
                "IdentityCenterApplicationAssigmentRequired": False,
                "IdentityCenterInstanceARN": ic,
            }
        }
        doc["AuthorizationConfiguration"] = {
            "LakeFormationConfiguration": {"AuthorizedSessionTagValue": "Amazon EMR"}
        }
    return json.dumps(doc)


# -- paging ----------------------------------------------------------------------------
def _page(
    items: list[Any], token: Any, limit: int, query: str
) -> tuple[list[Any], str | None] | None:
    """One page of ``items`` from ``token`` and the token of the next page; None when the
    token is not one of this query's."""
    start = 0
    if token:
        found = page_offset(str(token), query)
        if found is None:
            return None
        start = found
    nxt = continuation_token(start + limit, query) if start + limit < len(items) else None
    return items[start : start + limit], nxt


# -- Athena (json 1.1, AmazonAthena) ---------------------------------------------------------
def _athena_invalid(message: str) -> Reply:
    reply = aws_json({"__type": "InvalidRequestException", "Message": message}, 400)
    reply.headers["x-amzn-ErrorType"] = "InvalidRequestException"
    return reply


def _engine_version() -> dict[str, str]:
    return {"SelectedEngineVersion": "AUTO", "EffectiveEngineVersion": "Athena engine version 3"}


def list_work_groups(world: World, req: AwsRequest) -> Reply:
    p = req.params
    limit = p.get("MaxResults", ATHENA_MAX_RESULTS)
    if isinstance(limit, bool) or not isinstance(limit, int) or not 0 < limit <= ATHENA_MAX_RESULTS:
        return _athena_invalid(f"MaxResults must be between 1 and {ATHENA_MAX_RESULTS}")
    found = _workgroups_in(world, req)
    page = _page(found, p.get("NextToken"), limit, f"athena:{limit}")
    if page is None:
        return _athena_invalid("Invalid NextToken")
    items, nxt = page
    out: dict[str, Any] = {
        "WorkGroups": [
            {
                "Name": wg["name"],
                "State": wg["state"],
                "Description": wg["description"],
                "CreationTime": wg["created"],
                "EngineVersion": _engine_version(),
                **(
                    {"IdentityCenterApplicationArn": wg["application_arn"]}
                    if wg["application_arn"]
                    else {}
                ),
            }
            for wg in items
        ]
    }
    if nxt:
        out["NextToken"] = nxt
    return aws_json(out)


def get_work_group(world: World, req: AwsRequest) -> Reply:
    name = req.params.get("WorkGroup")
    found = _workgroups_in(world, req)
    wg = next((w for w in found if w["name"] == name), None)
    if wg is None:
        return _athena_invalid(f"WorkGroup {name} is not found.")
    config: dict[str, Any] = {
        "ResultConfiguration": {
            "OutputLocation": f"s3://aws-athena-query-results-{world.account}-{world.region}/"
        },
        "EnforceWorkGroupConfiguration": True,
        "PublishCloudWatchMetricsEnabled": False,
        "RequesterPaysEnabled": False,
        "EngineVersion": _engine_version(),
        "EnableMinimumEncryptionConfiguration": False,
    }
    if wg["identity_center_instance_arn"]:
        config["IdentityCenterConfiguration"] = {
            "EnableIdentityCenter": True,
            "IdentityCenterInstanceArn": wg["identity_center_instance_arn"],
        }
        # The emulator's choice (README.md, "Realism"): results under S3 Access Grants.
        config["QueryResultsS3AccessGrantsConfiguration"] = {
            "EnableS3AccessGrants": True,
            "CreateUserLevelPrefix": True,
            "AuthenticationType": "DIRECTORY_IDENTITY",
        }
    out: dict[str, Any] = {
        "Name": wg["name"],
        "State": wg["state"],
        "Configuration": config,
        "Description": wg["description"],
        "CreationTime": wg["created"],
    }
    if wg["application_arn"]:
        out["IdentityCenterApplicationArn"] = wg["application_arn"]
    return aws_json({"WorkGroup": out})


# -- Lake Formation (rest-json) ------------------------------------------------------------
def describe_lake_formation_identity_center_configuration(world: World, req: AwsRequest) -> Reply:
    catalog = req.params.get("CatalogId") or world.account
    if catalog != world.account:
        return aws_error(
            "rest-json",
            "AccessDeniedException",
            f"Insufficient Lake Formation permission(s) on catalog {catalog}",
            403,
        )
    conf = lake_formation(world) if _in_region(world, req) else None
    if conf is None:
        return aws_error(
            "rest-json",
            "EntityNotFoundException",
            "Identity Center configuration not found for the catalog",
            400,
        )
    return rest_json(
        {
            "CatalogId": catalog,
            **conf,
            "ExternalFiltering": {"Status": "DISABLED", "AuthorizedTargets": []},
        }
    )


# -- Glue (json 1.1, AWSGlue) --------------------------------------------------------------
def get_glue_identity_center_configuration(world: World, req: AwsRequest) -> Reply:
    conf = glue(world) if _in_region(world, req) else None
    if conf is None:
        return aws_error(
            "json", "EntityNotFoundException", "Glue Identity Center configuration not found", 400
        )
    return aws_json(conf)


# -- Redshift (query, XML) -----------------------------------------------------------------
def _redshift_error(code: str, message: str, status: int) -> Reply:
    rid = request_id()
    body = (
        f'<ErrorResponse xmlns="{REDSHIFT_XMLNS}"><Error><Type>Sender</Type>'
        f"<Code>{escape(code)}</Code><Message>{escape(message)}</Message></Error>"
        f"<RequestId>{rid}</RequestId></ErrorResponse>"
    )
    return Reply(status, body.encode(), {"Content-Type": "text/xml", "x-amzn-RequestId": rid})


def _xml_members(item: dict[str, Any]) -> str:
    return "".join(f"<{k}>{escape(str(v))}</{k}>" for k, v in item.items())


def describe_redshift_idc_applications(world: World, req: AwsRequest) -> Reply:
    p = req.params
    lo, hi = REDSHIFT_MAX_RECORDS
    try:
        limit = int(p.get("MaxRecords") or hi)
    except ValueError:
        limit = 0
    if not lo <= limit <= hi:
        return _redshift_error(
            "InvalidParameterValue", f"MaxRecords must be between {lo} and {hi}", 400
        )
    found = redshift_applications(world) if _in_region(world, req) else []
    arn = p.get("RedshiftIdcApplicationArn")
    if arn:
        found = [a for a in found if a["RedshiftIdcApplicationArn"] == arn]
        if not found:
            return _redshift_error(
                "RedshiftIdcApplicationNotExists",
                f"Redshift IdC application {arn} does not exist.",
                404,
            )
    page = _page(found, p.get("Marker"), limit, f"redshift:{arn}:{limit}")
    if page is None:
        return _redshift_error("InvalidParameterValue", "Invalid marker", 400)
    items, nxt = page
    members = "".join(f"<member>{_xml_members(a)}</member>" for a in items)
    result = f"<RedshiftIdcApplications>{members}</RedshiftIdcApplications>"
    if nxt:
        result += f"<Marker>{escape(nxt)}</Marker>"
    rid = request_id()
    body = (
        f'<DescribeRedshiftIdcApplicationsResponse xmlns="{REDSHIFT_XMLNS}">'
        f"<DescribeRedshiftIdcApplicationsResult>{result}</DescribeRedshiftIdcApplicationsResult>"
        f"<ResponseMetadata><RequestId>{rid}</RequestId></ResponseMetadata>"
        "</DescribeRedshiftIdcApplicationsResponse>"
    )
    return Reply(200, body.encode(), {"Content-Type": "text/xml", "x-amzn-RequestId": rid})


# -- EMR (json 1.1, ElasticMapReduce) ------------------------------------------------------
def _emr_invalid(message: str) -> Reply:
    reply = aws_json(
        {"__type": "InvalidRequestException", "ErrorCode": "InvalidRequest", "Message": message},
        400,
    )
    reply.headers["x-amzn-ErrorType"] = "InvalidRequestException"
    return reply


def list_security_configurations(world: World, req: AwsRequest) -> Reply:
    found = security_configurations(world) if _in_region(world, req) else []
    page = _page(found, req.params.get("Marker"), EMR_PAGE, "emr")
    if page is None:
        return _emr_invalid("Invalid marker")
    items, nxt = page
    out: dict[str, Any] = {
        "SecurityConfigurations": [
            {"Name": c["name"], "CreationDateTime": c["created"]} for c in items
        ]
    }
    if nxt:
        out["Marker"] = nxt
    return aws_json(out)


def describe_security_configuration(world: World, req: AwsRequest) -> Reply:
    name = req.params.get("Name")
    found = security_configurations(world) if _in_region(world, req) else []
    conf = next((c for c in found if c["name"] == name), None)
    if conf is None:
        return _emr_invalid(f"Security configuration with name '{name}' does not exist.")
    created: datetime = conf["created"]
    return aws_json(
        {
            "Name": conf["name"],
            "SecurityConfiguration": conf["document"],
            "CreationDateTime": created,
        }
    )


HANDLERS: dict[str, Callable[[World, AwsRequest], Reply]] = {
    "athena:ListWorkGroups": list_work_groups,
    "athena:GetWorkGroup": get_work_group,
    "lakeformation:DescribeLakeFormationIdentityCenterConfiguration": (
        describe_lake_formation_identity_center_configuration
    ),
    "redshift:DescribeRedshiftIdcApplications": describe_redshift_idc_applications,
    "glue:GetGlueIdentityCenterConfiguration": get_glue_identity_center_configuration,
    "elasticmapreduce:ListSecurityConfigurations": list_security_configurations,
    "elasticmapreduce:DescribeSecurityConfiguration": describe_security_configuration,
}
# The reads of each service, by its connected_services id (API.md): IAM actions, which are
# also the operation ids faults name.
READS: dict[str, tuple[str, ...]] = {
    "athena": ("athena:ListWorkGroups", "athena:GetWorkGroup"),
    "lake-formation": ("lakeformation:DescribeLakeFormationIdentityCenterConfiguration",),
    "redshift-data": ("redshift:DescribeRedshiftIdcApplications",),
    "glue": ("glue:GetGlueIdentityCenterConfiguration",),
    "emr-ec2": (
        "elasticmapreduce:ListSecurityConfigurations",
        "elasticmapreduce:DescribeSecurityConfiguration",
    ),
}


def handle(world: World, req: AwsRequest) -> Reply | None:
    handler = HANDLERS.get(req.operation)
    return handler(world, req) if handler else None

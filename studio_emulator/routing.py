"""Tell which AWS service and operation an incoming request is for.

botocore signs every request with SigV4, whose credential scope names the service
(``Credential=AKID/date/region/<signing-name>/aws4_request``); the operation is in the
``X-Amz-Target`` header (JSON protocol) or the ``Action`` field (STS query protocol).
Operation ids are IAM-style: ``sagemaker:DescribeSpace``.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import parse_qs, urlsplit

_CREDENTIAL = re.compile(r"Credential=([^/,\s]+)/(\d{8})/([^/]+)/([^/]+)/aws4_request")

# Used when a request carries no signature: JSON protocol target prefix -> signing name.
_TARGET_PREFIXES = {
    "SageMaker": "sagemaker",
    "AmazonAthena": "athena",
    "AWSGlue": "glue",
    "ElasticMapReduce": "elasticmapreduce",
    "AWSIdentityStore": "identitystore",
    "SWBExternalService": "sso",
    "com.amazonaws.cloudtrail.v20131101.CloudTrail_20131101": "cloudtrail",
}
# ... and query protocol API version -> signing name.
_QUERY_VERSIONS = {"2011-06-15": "sts", "2010-05-08": "iam", "2012-12-01": "redshift"}


# S3 Control (rest-xml, account id in the host and the x-amz-account-id header): the
# operations the emulator answers, by request line.
_S3CONTROL_ACTIONS = {
    ("GET", "/v20180820/accessgrantsinstance"): "GetAccessGrantsInstance",
    ("GET", "/v20180820/accessgrantsinstance/caller/grants"): "ListCallerAccessGrants",
    ("GET", "/v20180820/accessgrantsinstance/dataaccess"): "GetDataAccess",
}


# rest-json operations the emulator answers, by signing name and request line (the path names
# the operation; the body is JSON).
_REST_JSON_ACTIONS = {
    ("lakeformation", "POST", "/DescribeLakeFormationIdentityCenterConfiguration"): (
        "DescribeLakeFormationIdentityCenterConfiguration"
    ),
}


@dataclass
class AwsRequest:
    service: str
    action: str
    protocol: str  # "json", "query", "rest-xml", "s3control" (rest-xml) or "rest-json"
    access_key_id: str | None
    region: str | None
    params: dict[str, Any] = field(default_factory=dict)

    @property
    def operation(self) -> str:
        return f"{self.service}:{self.action}"


def _s3_action(method: str, path: str) -> str:
    parts = [p for p in path.split("/") if p]
    if not parts:
        return "ListBuckets" if method == "GET" else method
    on_object = len(parts) > 1
    table = {
        ("GET", True): "GetObject",
        ("PUT", True): "PutObject",
        ("HEAD", True): "HeadObject",
        ("DELETE", True): "DeleteObject",
        ("GET", False): "ListObjects",
        ("PUT", False): "CreateBucket",
        ("HEAD", False): "HeadBucket",
        ("DELETE", False): "DeleteBucket",
        ("POST", False): "DeleteObjects",
    }
    return table.get((method, on_object), method)


def identify(method: str, target: str, headers: Any, body: bytes) -> AwsRequest:
    """Classify a request. ``target`` is the request line's path with its query."""
    split = urlsplit(target)
    query = parse_qs(split.query, keep_blank_values=True)
    auth = headers.get("Authorization", "") or ""
    m = _CREDENTIAL.search(auth)
    if not m and "X-Amz-Credential" in query:  # presigned URL
        m = _CREDENTIAL.search("Credential=" + query["X-Amz-Credential"][0])
    akid, region, service = (m.group(1), m.group(3), m.group(4)) if m else (None, None, "")

    amz_target = headers.get("X-Amz-Target")
    if amz_target:
        prefix, _, action = amz_target.rpartition(".")
        try:
            params = json.loads(body) if body else {}
        except ValueError:
            params = {}
        return AwsRequest(
            service or _TARGET_PREFIXES.get(prefix, "unknown"),
            action,
            "json",
            akid,
            region,
            params if isinstance(params, dict) else {},
        )

    form: dict[str, list[str]] = dict(query)
    ctype = headers.get("Content-Type", "") or ""
    if body and "x-www-form-urlencoded" in ctype:
        form.update(parse_qs(body.decode("utf-8", "replace"), keep_blank_values=True))
    if "Action" in form and not service.startswith("s3"):
        params = {k: v[0] for k, v in form.items()}
        service = service or _QUERY_VERSIONS.get(params.get("Version", ""), "unknown")
        return AwsRequest(service, params["Action"], "query", akid, region, params)

    s3control = _S3CONTROL_ACTIONS.get((method, split.path))
    if s3control and headers.get("x-amz-account-id") is not None:
        # S3 Control signs as "s3"; its IAM actions are s3:<Operation> too.
        params = {k: v[0] for k, v in query.items()}
        params["x-amz-account-id"] = headers.get("x-amz-account-id")
        params["host"] = (headers.get("Host") or "").lower()
        return AwsRequest(service or "s3", s3control, "s3control", akid, region, params)
    if service.startswith("s3"):
        return AwsRequest(service, _s3_action(method, split.path), "rest-xml", akid, region)
    rest_json = _REST_JSON_ACTIONS.get((service, method, split.path))
    if rest_json:
        try:
            params = json.loads(body) if body else {}
        except ValueError:
            params = {}
        params = params if isinstance(params, dict) else {}
        return AwsRequest(service, rest_json, "rest-json", akid, region, params)
    return AwsRequest(service or "unknown", method, "rest-json", akid, region)


def is_read_only(action: str) -> bool:
    return action.startswith(("Describe", "Get", "List", "Lookup", "Head", "Search"))

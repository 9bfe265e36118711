"""A strict check of raw AWS response bodies against botocore's service models.

botocore's parsers are lenient: they drop members their model does not know, accept a string
where a number belongs and never look at enums or required members. So a body the emulator
gets wrong still parses, and the engine and the emulator can agree on a shape AWS never sends.
This module reads the bytes as they came over the wire and reports every difference from the
model: a member the model does not know, a required member missing, a wrong type, a value
outside an enum, a string outside its length or pattern.

Only the newest full models count (the dev environment's botocore, never the engine's trimmed
copies): ``full_models_session`` refuses any other data path.
"""

from __future__ import annotations

import base64
import json
import re
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import botocore
import botocore.session
from botocore.model import OperationModel, Shape

try:  # \p{L}-style classes in a few patterns; without `regex` those patterns go unchecked
    import regex as _regex
except ImportError:  # pragma: no cover - the dev environment has it
    _regex = None

# The models this check trusts: botocore 1.44.8 is the dev environment's pin (pyproject.toml).
NEWEST_BOTOCORE = (1, 44, 8)

# Errors every AWS JSON/query service may answer with although few models list them
# (https://docs.aws.amazon.com/STS/latest/APIReference/CommonErrors.html and the same page of
# every JSON-protocol service).
COMMON_ERRORS = frozenset(
    {
        "AccessDenied",
        "AccessDeniedException",
        "ExpiredToken",
        "ExpiredTokenException",
        "IncompleteSignature",
        "InternalFailure",
        "InvalidClientTokenId",
        "NotAuthorized",
        "RequestExpired",
        "ServiceUnavailable",
        "ThrottlingException",
        "Throttling",
        "UnrecognizedClientException",
        "ValidationError",
        "ValidationException",
        # What the Query services (Redshift, RDS, ElastiCache) answer a parameter out of its
        # range with, e.g. MaxRecords outside 20-100, though their models rarely list it.
        "InvalidParameterValue",
    }
)


def botocore_version() -> tuple[int, ...]:
    return tuple(int(p) for p in re.findall(r"\d+", botocore.__version__)[:3])


def full_models_session() -> botocore.session.Session:
    """A botocore session that loads only botocore's own, complete service models."""
    session = botocore.session.Session()
    loader = session.get_component("data_loader")
    own = str(Path(botocore.__file__).resolve().parent / "data")
    # No ~/.aws/models, no AWS_DATA_PATH, no trimmed copy: botocore's data directory only.
    loader.search_paths[:] = [own]
    return session


@dataclass
class Wire:
    """One HTTP response exactly as it came back, before botocore parsed it."""

    service: str  # botocore service name, e.g. "sso-admin"
    operation: str
    status: int
    headers: dict[str, str]
    body: bytes
    operation_model: OperationModel

    @property
    def label(self) -> str:
        return f"{self.service}:{self.operation} ({self.status})"


@dataclass
class Recorder:
    """Collects every response a session's clients receive (botocore's ``before-parse``)."""

    seen: list[Wire] = field(default_factory=list)

    def attach(self, session: botocore.session.Session) -> None:
        session.register("before-parse", self._record)

    def _record(self, operation_model: OperationModel, response_dict: dict, **_: Any) -> None:
        body = response_dict.get("body") or b""
        self.seen.append(
            Wire(
                operation_model.service_model.service_name,
                operation_model.name,
                int(response_dict.get("status_code") or 0),
                {k.lower(): v for k, v in (response_dict.get("headers") or {}).items()},
                body if isinstance(body, bytes) else bytes(body),
                operation_model,
            )
        )


# -- values ------------------------------------------------------------------------------
def _pattern_ok(pattern: str, value: str) -> bool | None:
    """True/False when the model's pattern can be checked, None when it cannot."""
    try:
        return re.fullmatch(pattern, value) is not None
    except re.error:
        if _regex is None:
            return None
        try:
            return _regex.fullmatch(pattern, value) is not None
        except _regex.error:
            return None


def _check_string(shape: Shape, value: str, path: str, out: list[str]) -> None:
    enum = shape.metadata.get("enum")
    if enum and value not in enum:
        out.append(f"{path}: {value!r} is not one of {enum}")
    lo, hi = shape.metadata.get("min"), shape.metadata.get("max")
    if lo is not None and len(value) < lo:
        out.append(f"{path}: {value!r} is shorter than {lo}")
    if hi is not None and len(value) > hi:
        out.append(f"{path}: {value!r} is longer than {hi}")
    pattern = shape.metadata.get("pattern")
    if pattern and _pattern_ok(pattern, value) is False:
        out.append(f"{path}: {value!r} does not match the pattern {pattern!r}")


def _wire_name(name: str, member: Shape) -> str:
    return member.serialization.get("name", name)


def check_json(shape: Shape, value: Any, path: str, out: list[str]) -> None:
    """Compare a JSON-protocol value with its shape; append every problem to ``out``."""
    kind = shape.type_name
    if value is None:
        out.append(f"{path}: null (AWS leaves a member out rather than sending null)")
        return
    if kind == "structure":
        if getattr(shape, "is_document_type", False):
            return
        if not isinstance(value, dict):
            out.append(f"{path}: expected an object ({shape.name}), got {type(value).__name__}")
            return
        by_wire = {_wire_name(n, m): (n, m) for n, m in shape.members.items()}
        for key, item in value.items():
            if key not in by_wire:
                out.append(f"{path}.{key}: not a member of {shape.name}")
                continue
            check_json(by_wire[key][1], item, f"{path}.{key}", out)
        for name in shape.required_members:
            if _wire_name(name, shape.members[name]) not in value:
                out.append(f"{path}.{name}: required by {shape.name} but missing")
    elif kind == "list":
        if not isinstance(value, list):
            out.append(f"{path}: expected a list ({shape.name}), got {type(value).__name__}")
            return
        lo, hi = shape.metadata.get("min"), shape.metadata.get("max")
        if lo is not None and len(value) < lo:
            out.append(f"{path}: {len(value)} items, fewer than {lo}")
        if hi is not None and len(value) > hi:
            out.append(f"{path}: {len(value)} items, more than {hi}")
        for i, item in enumerate(value):
            check_json(shape.member, item, f"{path}[{i}]", out)
    elif kind == "map":
        if not isinstance(value, dict):
            out.append(f"{path}: expected a map ({shape.name}), got {type(value).__name__}")
            return
        for key, item in value.items():
            check_json(shape.key, key, f"{path}<key {key!r}>", out)
            check_json(shape.value, item, f"{path}[{key!r}]", out)
    elif kind == "string":
        if not isinstance(value, str):
            out.append(f"{path}: expected a string, got {type(value).__name__} {value!r}")
        else:
            _check_string(shape, value, path, out)
    elif kind in ("integer", "long"):
        if isinstance(value, bool) or not isinstance(value, int):
            out.append(f"{path}: expected an integer, got {value!r}")
    elif kind in ("float", "double"):
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            out.append(f"{path}: expected a number, got {value!r}")
    elif kind == "boolean":
        if not isinstance(value, bool):
            out.append(f"{path}: expected a boolean, got {value!r}")
    elif kind == "timestamp":
        fmt = shape.serialization.get("timestampFormat", "unixTimestamp")
        if fmt == "unixTimestamp":
            if isinstance(value, bool) or not isinstance(value, (int, float)):
                out.append(f"{path}: expected epoch seconds (a number), got {value!r}")
        elif not isinstance(value, str):
            out.append(f"{path}: expected a {fmt} timestamp string, got {value!r}")
    elif kind == "blob":
        try:
            base64.b64decode(value, validate=True)
        except (TypeError, ValueError):
            out.append(f"{path}: expected base64, got {value!r}")


_ISO8601 = re.compile(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})")


def _local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1]


def check_xml(shape: Shape, node: ET.Element, path: str, out: list[str]) -> None:
    """Compare a query-protocol (XML) element with its shape."""
    kind = shape.type_name
    if kind == "structure":
        by_wire = {_wire_name(n, m): (n, m) for n, m in shape.members.items()}
        seen: set[str] = set()
        for child in node:
            tag = _local(child.tag)
            if tag not in by_wire:
                out.append(f"{path}.{tag}: not a member of {shape.name}")
                continue
            if tag in seen and by_wire[tag][1].type_name != "list":
                out.append(f"{path}.{tag}: appears twice")
            seen.add(tag)
            check_xml(by_wire[tag][1], child, f"{path}.{tag}", out)
        for name in shape.required_members:
            if _wire_name(name, shape.members[name]) not in seen:
                out.append(f"{path}.{name}: required by {shape.name} but missing")
        return
    if kind == "list":
        member_tag = shape.member.serialization.get("name", "member")
        for i, child in enumerate(node):
            if _local(child.tag) != member_tag:
                out.append(f"{path}: list item <{_local(child.tag)}>, expected <{member_tag}>")
            check_xml(shape.member, child, f"{path}[{i}]", out)
        return
    if len(node):
        out.append(f"{path}: a {kind} with child elements")
        return
    text = node.text or ""
    if kind == "string":
        _check_string(shape, text, path, out)
    elif kind in ("integer", "long") and not re.fullmatch(r"-?\d+", text):
        out.append(f"{path}: expected an integer, got {text!r}")
    elif kind == "boolean" and text not in ("true", "false"):
        out.append(f"{path}: expected true/false, got {text!r}")
    elif kind == "timestamp" and not _ISO8601.fullmatch(text):
        out.append(f"{path}: expected an ISO 8601 timestamp, got {text!r}")


# -- responses ---------------------------------------------------------------------------
def _error_code(op: OperationModel, code: str, out: list[str], label: str) -> Shape | None:
    """The modeled error shape of ``code``; an error the operation's model does not list and
    that is not common to every AWS service is a problem."""
    code = code.rsplit("#", 1)[-1].split(":", 1)[0]
    modeled = {e.metadata.get("error", {}).get("code", e.name): e for e in op.error_shapes}
    modeled.update({e.name: e for e in op.error_shapes})
    if code in modeled:
        return modeled[code]
    if code not in COMMON_ERRORS:
        out.append(f"{label}: error code {code!r} is neither modeled for it nor common")
    return None


def _check_json_error(wire: Wire, data: Any, out: list[str]) -> None:
    label = wire.label
    if not isinstance(data, dict) or not data.get("__type"):
        out.append(f"{label}: JSON error without __type: {data!r}")
        return
    shape = _error_code(wire.operation_model, str(data["__type"]), out, label)
    known = {"__type"}
    if shape is not None:
        known |= {_wire_name(n, m) for n, m in shape.members.items()}
    # Services spell the message `message` or `Message`; botocore reads both.
    known |= {"message", "Message"}
    for key in data:
        if key not in known:
            out.append(f"{label}.{key}: not a member of the error {data['__type']}")
    if not any(k in data for k in ("message", "Message")):
        out.append(f"{label}: error without a message")


def _check_query(wire: Wire, out: list[str]) -> None:
    label, op = wire.label, wire.operation_model
    try:
        root = ET.fromstring(wire.body)
    except ET.ParseError as e:
        out.append(f"{label}: body is not XML ({e})")
        return
    if wire.status >= 300:
        if _local(root.tag) != "ErrorResponse":
            out.append(f"{label}: error body <{_local(root.tag)}>, expected <ErrorResponse>")
            return
        for child in root:
            tag = _local(child.tag)
            if tag == "Error":
                fields = {_local(c.tag): (c.text or "") for c in child}
                unknown = set(fields) - {"Type", "Code", "Message"}
                if unknown:
                    out.append(f"{label}: unknown <Error> fields {sorted(unknown)}")
                if fields.get("Type") not in ("Sender", "Receiver"):
                    out.append(f"{label}: <Type> is {fields.get('Type')!r}")
                _error_code(op, fields.get("Code", ""), out, label)
            elif tag != "RequestId":
                out.append(f"{label}: unknown element <{tag}> in <ErrorResponse>")
        return
    if _local(root.tag) != f"{op.name}Response":
        out.append(f"{label}: root <{_local(root.tag)}>, expected <{op.name}Response>")
    wrapper = op.output_shape.serialization.get("resultWrapper") if op.output_shape else None
    for child in root:
        tag = _local(child.tag)
        if tag == "ResponseMetadata":
            if [_local(c.tag) for c in child] != ["RequestId"]:
                out.append(f"{label}: ResponseMetadata holds {[_local(c.tag) for c in child]}")
        elif wrapper and tag == wrapper:
            check_xml(op.output_shape, child, f"{label}", out)
        else:
            out.append(f"{label}: unknown element <{tag}> in <{op.name}Response>")


# Error codes S3 (and S3 Control) may answer with although the s3control model lists none for
# the Access Grants operations: the Amazon S3 API Reference, "Error responses" (the common list
# and "List of S3 Access Grants error codes").
S3_ERRORS = frozenset(
    {
        "AccessDenied",
        "AccessGrantsInstanceNotExistsError",
        "ExpiredToken",
        "InternalError",
        "InvalidRequest",
        "ServiceUnavailable",
        "SlowDown",
        "StsNotAuthorizedError",
    }
)
S3CONTROL_XMLNS = "http://awss3control.amazonaws.com/doc/2018-08-20/"


def _check_rest_xml(wire: Wire, out: list[str]) -> None:
    """S3 Control answers: ``<{Operation}Result>`` in its namespace, members as the output
    shape says; errors as ``<ErrorResponse><Error>{Code, Message}</Error>...``."""
    label, op = wire.label, wire.operation_model
    ctype = wire.headers.get("content-type", "")
    if not ctype.startswith("application/xml"):
        out.append(f"{label}: Content-Type {ctype!r}, expected application/xml")
    try:
        root = ET.fromstring(wire.body)
    except ET.ParseError as e:
        out.append(f"{label}: body is not XML ({e})")
        return
    if wire.status >= 300:
        error = root.find("Error") if _local(root.tag) == "ErrorResponse" else None
        if error is None:
            out.append(f"{label}: error body <{_local(root.tag)}>, expected <ErrorResponse><Error>")
            return
        for child in root:
            if _local(child.tag) not in ("Error", "RequestId", "HostId"):
                out.append(f"{label}: unknown element <{_local(child.tag)}> in <ErrorResponse>")
        fields = {_local(c.tag): (c.text or "") for c in error}
        unknown = set(fields) - {"Code", "Message"}
        if unknown:
            out.append(f"{label}: unknown <Error> fields {sorted(unknown)}")
        if not fields.get("Message"):
            out.append(f"{label}: error without a message")
        code = fields.get("Code", "")
        if code not in S3_ERRORS:
            _error_code(op, code, out, label)
        return
    if root.tag != f"{{{S3CONTROL_XMLNS}}}{op.name}Result":
        out.append(
            f"{label}: root <{root.tag}>, expected <{op.name}Result xmlns={S3CONTROL_XMLNS}>"
        )
    if op.output_shape is not None:
        check_xml(op.output_shape, root, label, out)


def problems(wire: Wire) -> list[str]:
    """Everything that makes ``wire`` differ from what the newest model allows."""
    out: list[str] = []
    op = wire.operation_model
    protocol = op.service_model.resolved_protocol
    if protocol == "query":
        _check_query(wire, out)
        return out
    if protocol == "rest-xml" and wire.service == "s3control":
        _check_rest_xml(wire, out)
        return out
    if protocol not in ("json", "rest-json"):
        out.append(f"{wire.label}: protocol {protocol} is not checked here")
        return out
    ctype = wire.headers.get("content-type", "")
    # rest-json services (Lake Formation) answer plain application/json.
    wanted = "application/json" if protocol == "rest-json" else "application/x-amz-json-"
    if not ctype.startswith(wanted):
        out.append(f"{wire.label}: Content-Type {ctype!r}, expected {wanted}")
    if (
        protocol == "rest-json"
        and op.output_shape is not None
        and any(m.serialization.get("location") for m in op.output_shape.members.values())
    ):
        out.append(f"{wire.label}: output members in headers are not checked here")
    try:
        data = json.loads(wire.body or b"{}")
    except ValueError as e:
        out.append(f"{wire.label}: body is not JSON ({e})")
        return out
    if wire.status >= 300:
        _check_json_error(wire, data, out)
    elif op.output_shape is None:
        if data:
            out.append(f"{wire.label}: a body for an operation without output")
    else:
        check_json(op.output_shape, data, wire.label, out)
    return out


def all_problems(wires: list[Wire]) -> Iterator[str]:
    for wire in wires:
        yield from problems(wire)


# -- the container credentials endpoint ----------------------------------------------------
def container_fields() -> tuple[set[str], set[str]]:
    """(required, optional) fields of the container credentials JSON, read from botocore's own
    ContainerProvider: ``response['X']`` is required, ``response.get('X')`` optional."""
    import inspect

    from botocore.credentials import ContainerProvider

    src = inspect.getsource(ContainerProvider._create_fetcher)
    required = set(re.findall(r"response\['(\w+)'\]", src))
    optional = set(re.findall(r"response\.get\('(\w+)'", src))
    return required, optional


# Sent by the ECS/Studio endpoint although botocore does not read it (Amazon ECS developer
# guide, "Task IAM role": the endpoint returns RoleArn with the keys).
CONTAINER_EXTRA = frozenset({"RoleArn"})


def container_problems(body: Any) -> list[str]:
    out: list[str] = []
    required, optional = container_fields()
    if not isinstance(body, dict):
        return [f"container credentials: not an object: {body!r}"]
    for name in sorted(required - set(body)):
        out.append(f"container credentials: {name} missing (botocore reads response[{name!r}])")
    for name in sorted(set(body) - required - optional - CONTAINER_EXTRA):
        out.append(f"container credentials: {name} is not a field botocore or ECS knows")
    for name, value in body.items():
        if not isinstance(value, str) or not value:
            out.append(f"container credentials: {name} is not a non-empty string")
    if isinstance(body.get("Expiration"), str) and not _ISO8601.fullmatch(body["Expiration"]):
        out.append(f"container credentials: Expiration {body['Expiration']!r} is not ISO 8601")
    return out


# -- CloudTrail records ------------------------------------------------------------------
# The record format as documented: "CloudTrail record contents for management, data, and
# network activity events" and "CloudTrail userIdentity element" (AWS CloudTrail User Guide).
RECORD_FIELDS = frozenset(
    {
        "eventVersion", "userIdentity", "eventTime", "eventSource", "eventName", "awsRegion",
        "sourceIPAddress", "userAgent", "errorCode", "errorMessage", "requestParameters",
        "responseElements", "additionalEventData", "requestID", "eventID", "eventType",
        "apiVersion", "managementEvent", "readOnly", "resources", "recipientAccountId",
        "serviceEventDetails", "sharedEventID", "vpcEndpointId", "vpcEndpointAccountId",
        "eventCategory", "addendum", "sessionCredentialFromConsole", "edgeDeviceDetails",
        "tlsDetails", "insightDetails",
    }
)  # fmt: skip
RECORD_REQUIRED = frozenset(
    {
        "eventVersion", "userIdentity", "eventTime", "eventSource", "eventName", "awsRegion",
        "sourceIPAddress", "eventID", "eventType", "eventCategory",
    }
)  # fmt: skip
EVENT_TYPES = frozenset(
    {"AwsApiCall", "AwsServiceEvent", "AwsConsoleAction", "AwsConsoleSignIn", "AwsVpceEvent"}
)
EVENT_CATEGORIES = frozenset({"Management", "Data", "NetworkActivity", "Insight"})
IDENTITY_TYPES = frozenset(
    {
        "Root", "IAMUser", "AssumedRole", "Role", "FederatedUser", "Directory", "AWSAccount",
        "AWSService", "IdentityCenterUser", "Unknown",
    }
)  # fmt: skip
IDENTITY_FIELDS = frozenset(
    {
        "type", "userName", "principalId", "arn", "accountId", "accessKeyId", "sessionContext",
        "invokedBy", "identityProvider", "credentialId", "onBehalfOf", "inScopeOf",
    }
)  # fmt: skip
SESSION_CONTEXT_FIELDS = frozenset(
    {
        "sessionIssuer", "webIdFederationData", "attributes", "sourceIdentity",
        "ec2RoleDelivery", "assumedRoot",
    }
)  # fmt: skip
SESSION_ISSUER_FIELDS = frozenset({"type", "principalId", "arn", "accountId", "userName"})
# onBehalfOf: the Identity Center user and the identity store it belongs to (both always).
_STORE_ARN = re.compile(r"arn:aws[a-z-]*:identitystore::\d{12}:identitystore/d-[0-9a-f]{10}")
_IC_USER_ID = re.compile(
    r"([0-9a-f]{10}-|)[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}"
)
_EVENT_TIME = re.compile(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z")


def _fields(where: str, obj: Any, allowed: frozenset[str], out: list[str]) -> dict[str, Any]:
    if not isinstance(obj, dict):
        out.append(f"{where}: not an object")
        return {}
    for key in sorted(set(obj) - allowed):
        out.append(f"{where}.{key}: not a documented field")
    return obj


def cloudtrail_record_problems(record: Any) -> list[str]:
    """Everything in one ``CloudTrailEvent`` record that the documented format does not have."""
    out: list[str] = []
    rec = _fields("record", record, RECORD_FIELDS, out)
    for key in sorted(RECORD_REQUIRED - set(rec)):
        out.append(f"record.{key}: missing")
    if rec.get("eventType") not in EVENT_TYPES:
        out.append(f"record.eventType: {rec.get('eventType')!r}")
    if rec.get("eventCategory") not in EVENT_CATEGORIES:
        out.append(f"record.eventCategory: {rec.get('eventCategory')!r}")
    if not _EVENT_TIME.fullmatch(str(rec.get("eventTime", ""))):
        out.append(f"record.eventTime: {rec.get('eventTime')!r} is not yyyy-MM-ddTHH:mm:ssZ")
    if not str(rec.get("eventSource", "")).endswith(".amazonaws.com"):
        out.append(f"record.eventSource: {rec.get('eventSource')!r}")
    for key in ("readOnly", "managementEvent"):
        if key in rec and not isinstance(rec[key], bool):
            out.append(f"record.{key}: {rec[key]!r} is not a boolean")
    if ("errorCode" in rec) != ("errorMessage" in rec):
        out.append("record: errorCode and errorMessage come together")
    ident = _fields("userIdentity", rec.get("userIdentity"), IDENTITY_FIELDS, out)
    if ident.get("type") not in IDENTITY_TYPES:
        out.append(f"userIdentity.type: {ident.get('type')!r}")
    if ident.get("type") == "AssumedRole":
        for key in ("principalId", "arn", "accountId", "sessionContext"):
            if key not in ident:
                out.append(f"userIdentity.{key}: missing for an AssumedRole")
    ctx = ident.get("sessionContext")
    if ctx is not None:
        ctx = _fields("userIdentity.sessionContext", ctx, SESSION_CONTEXT_FIELDS, out)
        if "sessionIssuer" in ctx:
            _fields(
                "userIdentity.sessionContext.sessionIssuer",
                ctx["sessionIssuer"],
                SESSION_ISSUER_FIELDS,
                out,
            )
        attrs = _fields(
            "userIdentity.sessionContext.attributes",
            ctx.get("attributes", {}),
            frozenset({"creationDate", "mfaAuthenticated"}),
            out,
        )
        if attrs.get("mfaAuthenticated", "false") not in ("true", "false"):
            out.append("userIdentity.sessionContext.attributes.mfaAuthenticated: not a string")
    if "onBehalfOf" in ident:
        obo = _fields(
            "userIdentity.onBehalfOf",
            ident["onBehalfOf"],
            frozenset({"userId", "identityStoreArn"}),
            out,
        )
        if not _IC_USER_ID.fullmatch(str(obo.get("userId", ""))):
            out.append(f"userIdentity.onBehalfOf.userId: {obo.get('userId')!r}")
        if not _STORE_ARN.fullmatch(str(obo.get("identityStoreArn", ""))):
            out.append(f"userIdentity.onBehalfOf.identityStoreArn: {obo.get('identityStoreArn')!r}")
    return out

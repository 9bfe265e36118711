"""S3 Access Grants (s3control, rest-xml): GetAccessGrantsInstance, ListCallerAccessGrants and
GetDataAccess, answered by the emulator (moto 5.2 has no Access Grants operations).

botocore puts the account id in front of the s3control endpoint's host *and* in the
``x-amz-account-id`` header; the emulator is reached through an HTTP proxy (info.py), so it sees
the full host and checks that both name the scenario's account.

Who the caller is: the Principal behind the access key. An identity-enhanced session acts for
the Identity Center user of its ``onBehalfOf`` (the same fact CloudTrail records); its grants are
the user's, those of the user's groups, and the IAM role's. Directory grants count only when the
instance is associated with the Identity Center instance that user belongs to. Why each shape
looks the way it does: README.md, "Realism".
"""

from __future__ import annotations

import hashlib
import json
import secrets
from collections.abc import Callable
from datetime import datetime, timedelta
from typing import Any
from xml.sax.saxutils import escape

from .responses import Reply, aws_error, continuation_token, page_offset, request_id
from .routing import AwsRequest
from .seed import World, parse_time
from .state import Principal

XMLNS = "http://awss3control.amazonaws.com/doc/2018-08-20/"
INSTANCE_ID = "default"  # an account has one instance per region, named "default"
OTHER_IDENTITY_CENTER_INSTANCE = "ssoins-99887766aabbccdd"
PERMISSIONS = ("READ", "WRITE", "READWRITE")
GRANTEE_ORDER = ("DIRECTORY_USER", "DIRECTORY_GROUP", "IAM")  # tie-break, most personal first
# Vended credentials are fake: every secret part carries this marker so a secret scan can find
# any that leaks (they are never valid anywhere).
VENDED_MARKER = "EMULATED-NOT-A-REAL-SECRET"
DEFAULT_DURATION = 3600
MAX_RESULTS = 1000  # the model's maximum, and the default


# -- the scenario's instance and grants ------------------------------------------------------
def instance(world: World) -> dict[str, Any] | None:
    """The account's Access Grants instance in the domain's region, or None."""
    inst = world.scenario["access_grants"]["instance"]
    if inst is None:
        return None
    out: dict[str, Any] = {
        "AccessGrantsInstanceArn": instance_arn(world),
        "AccessGrantsInstanceId": INSTANCE_ID,
        "CreatedAt": parse_time(inst["created"]),
    }
    ic = identity_center_instance_arn(world)
    if ic:
        out["IdentityCenterArn"] = ic  # the deprecated name, still sent
        out["IdentityCenterInstanceArn"] = ic
        out["IdentityCenterApplicationArn"] = (
            f"arn:aws:sso::{world.account}:application/{ic.rsplit('/', 1)[-1]}/"
            f"apl-{hashlib.sha256(instance_arn(world).encode()).hexdigest()[:16]}"
        )
    return out


def instance_arn(world: World) -> str:
    return f"arn:aws:s3:{world.region}:{world.account}:access-grants/{INSTANCE_ID}"


def identity_center_instance_arn(world: World) -> str | None:
    inst = world.scenario["access_grants"]["instance"]
    which = inst and inst["identity_center"]
    if which == "domain":
        return world.instance_arn
    if which == "other":
        return f"arn:aws:sso:::instance/{OTHER_IDENTITY_CENTER_INSTANCE}"
    return None


def grants(world: World) -> list[dict[str, Any]]:
    """Every grant of the instance, resolved: grantee type and identifier, newest first."""
    out = []
    for g in world.scenario["access_grants"]["grants"]:
        kind, _, name = g["grantee"].partition(":")
        if kind == "user":
            grantee = ("DIRECTORY_USER", world.users[name]["user_id"])
        elif kind == "group":
            grantee = ("DIRECTORY_GROUP", world.groups[name]["group_id"])
        else:  # "iam:<role name>"
            grantee = ("IAM", f"arn:aws:iam::{world.account}:role/{name}")
        app = g.get("application")
        out.append(
            {
                "GrantScope": g["scope"],
                "Permission": g["permission"],
                "ApplicationArn": world.sso_application_arn if app == "domain" else app,
                "GranteeType": grantee[0],
                "GranteeIdentifier": grantee[1],
                "CreatedAt": parse_time(g["created"]),
            }
        )
    return sorted(out, key=lambda g: g["CreatedAt"], reverse=True)


def caller_grantees(world: World, principal: Principal | None) -> set[tuple[str, str]]:
    """The grantees a caller is: its directory user and groups, and its IAM identity."""
    out: set[tuple[str, str]] = set()
    if principal is None:
        return out
    obo = principal.on_behalf_of
    same_directory = identity_center_instance_arn(world) == world.instance_arn
    if obo and same_directory and obo["identityStoreArn"] == world.identity_store_arn:
        user = next((u for u in world.users.values() if u["user_id"] == obo["userId"]), None)
        if user:
            out.add(("DIRECTORY_USER", user["user_id"]))
            for group in world.groups.values():
                if user["user_name"] in group["members"]:
                    out.add(("DIRECTORY_GROUP", group["group_id"]))
    iam = principal.role_arn or principal.arn
    if iam:
        out.add(("IAM", iam))
    return out


def caller_grants(world: World, principal: Principal | None) -> list[dict[str, Any]]:
    mine = caller_grantees(world, principal)
    return [g for g in grants(world) if (g["GranteeType"], g["GranteeIdentifier"]) in mine]


def covers(scope: str, target: str, target_type: str | None = None) -> bool:
    """Whether a grant's scope holds the target: a scope ending in ``*`` holds every key with
    that prefix, any other scope only itself. A target ending in ``*`` is a prefix (unless
    TargetType is ``Object``)."""
    wanted = target[:-1] if target.endswith("*") and target_type != "Object" else target
    if scope.endswith("*"):
        return wanted.startswith(scope[:-1])
    return wanted == scope


def permits(granted: str, requested: str) -> bool:
    return granted == requested or granted == "READWRITE"


def match(
    world: World, principal: Principal | None, target: str, permission: str, target_type: str | None
) -> dict[str, Any] | None:
    """The grant GetDataAccess vends for: the most specific scope, then the most personal
    grantee."""
    found = [
        g
        for g in caller_grants(world, principal)
        if covers(g["GrantScope"], target, target_type) and permits(g["Permission"], permission)
    ]
    if not found:
        return None
    return max(
        found,
        key=lambda g: (len(g["GrantScope"].rstrip("*")), -GRANTEE_ORDER.index(g["GranteeType"])),
    )


# -- the wire ------------------------------------------------------------------------------
def _timestamp(value: datetime) -> str:
    return value.strftime("%Y-%m-%dT%H:%M:%S.") + f"{value.microsecond // 1000:03d}Z"


def _xml(name: str, value: Any) -> str:
    if isinstance(value, dict):
        inner = "".join(_xml(k, v) for k, v in value.items() if v is not None)
        return f"<{name}>{inner}</{name}>"
    if isinstance(value, datetime):
        value = _timestamp(value)
    return f"<{name}>{escape(str(value))}</{name}>"


def _result(operation: str, members: str) -> Reply:
    body = (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        f'<{operation}Result xmlns="{XMLNS}">{members}</{operation}Result>'
    )
    return Reply(
        200, body.encode(), {"Content-Type": "application/xml", "x-amz-request-id": request_id()}
    )


def _error(code: str, message: str, status: int) -> Reply:
    return aws_error("s3control", code, message, status)


def _no_instance() -> Reply:
    return _error(
        "AccessGrantsInstanceNotExistsError", "Access Grants Instance does not exist", 404
    )


def _account_problem(world: World, req: AwsRequest) -> Reply | None:
    header = req.params.get("x-amz-account-id")
    host = str(req.params.get("host") or "")
    if not header or not host.startswith(f"{header}."):
        return _error(
            "InvalidRequest",
            "The account id must be in the x-amz-account-id header and in front of the host",
            400,
        )
    if header != world.account:
        return _error("AccessDenied", "Access Denied", 403)
    return None


def get_access_grants_instance(world: World, req: AwsRequest, principal, now) -> Reply:
    inst = instance(world)
    if inst is None:
        return _no_instance()
    return _result("GetAccessGrantsInstance", "".join(_xml(k, v) for k, v in inst.items()))


def list_caller_access_grants(world: World, req: AwsRequest, principal, now) -> Reply:
    if instance(world) is None:
        return _no_instance()
    p = req.params
    try:
        limit = int(p.get("maxResults") or MAX_RESULTS)
    except ValueError:
        limit = -1
    if not 0 < limit <= MAX_RESULTS:
        return _error("InvalidRequest", f"maxResults must be between 1 and {MAX_RESULTS}", 400)
    scope = p.get("grantscope")
    by_app = str(p.get("allowedByApplication", "")).lower() == "true"
    query = json.dumps([scope, by_app, limit])
    start = 0
    if p.get("nextToken"):
        start = page_offset(p["nextToken"], query)
        if start is None:
            return _error("InvalidRequest", "The continuation token is not valid", 400)
    found = caller_grants(world, principal)
    if scope:
        found = [g for g in found if g["GrantScope"].startswith(scope)]
    if by_app:
        apps = (None, world.sso_application_arn)
        found = [g for g in found if g["ApplicationArn"] in apps]
    page = found[start : start + limit]
    entries = "".join(
        _xml(
            "AccessGrant",
            {
                "Permission": g["Permission"],
                "GrantScope": g["GrantScope"],
                "ApplicationArn": g["ApplicationArn"],
                "AccessGrantsInstanceArn": instance_arn(world),
            },
        )
        for g in page
    )
    members = ""
    if start + limit < len(found):
        members += _xml("NextToken", continuation_token(start + limit, query))
    members += f"<CallerAccessGrantsList>{entries}</CallerAccessGrantsList>"
    return _result("ListCallerAccessGrants", members)


def vended_credentials(expires: datetime) -> dict[str, Any]:
    """Fake, clearly marked credentials: never valid, never a real secret."""
    return {
        "AccessKeyId": "ASIA" + secrets.token_hex(8).upper(),
        "SecretAccessKey": f"{VENDED_MARKER}-{secrets.token_hex(12)}",
        "SessionToken": f"{VENDED_MARKER}-session-{secrets.token_hex(24)}",
        "Expiration": expires,
    }


def get_data_access(world: World, req: AwsRequest, principal, now: datetime) -> Reply:
    p = req.params
    target, permission = str(p.get("target") or ""), str(p.get("permission") or "")
    if not target.startswith("s3://") or len(target) > 2000:
        return _error("InvalidRequest", f"Invalid S3 target: {target}", 400)
    if permission not in PERMISSIONS:
        return _error("InvalidRequest", f"Invalid permission: {permission}", 400)
    try:
        duration = int(p.get("durationSeconds") or DEFAULT_DURATION)
    except ValueError:
        duration = 0
    if not 900 <= duration <= 43200:
        return _error("InvalidRequest", "durationSeconds must be between 900 and 43200", 400)
    if p.get("privilege") not in (None, "Minimal", "Default"):
        return _error("InvalidRequest", f"Invalid privilege: {p.get('privilege')}", 400)
    target_type = p.get("targetType")
    if target_type not in (None, "Object"):
        return _error("InvalidRequest", f"Invalid targetType: {target_type}", 400)
    if instance(world) is None:
        return _no_instance()
    grant = match(world, principal, target, permission, target_type)
    if grant is None:
        return _error(
            "AccessDenied",
            f"You do not have {permission} permissions to the requested S3 Prefix: {target}",
            403,
        )
    members = (
        _xml("Credentials", vended_credentials(now + timedelta(seconds=duration)))
        + _xml("MatchedGrantTarget", grant["GrantScope"])
        + _xml(
            "Grantee",
            {"GranteeType": grant["GranteeType"], "GranteeIdentifier": grant["GranteeIdentifier"]},
        )
        + _xml("MatchedInstanceArn", instance_arn(world))
    )
    return _result("GetDataAccess", members)


Handler = Callable[[World, AwsRequest, Principal | None, datetime], Reply]
HANDLERS: dict[str, Handler] = {
    "GetAccessGrantsInstance": get_access_grants_instance,
    "ListCallerAccessGrants": list_caller_access_grants,
    "GetDataAccess": get_data_access,
}


def handle(
    world: World, req: AwsRequest, principal: Principal | None, now: datetime
) -> Reply | None:
    if req.protocol != "s3control" or req.action not in HANDLERS:
        return None
    return _account_problem(world, req) or HANDLERS[req.action](world, req, principal, now)

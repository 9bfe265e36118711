"""Test access: asks S3 Access Grants (s3control:GetDataAccess) whether the space's session may
READ, WRITE or READWRITE an S3 location the user names, and which grant and grantee answer.

Only ever run on the user's explicit request (the route's POST, rate limited like an explicit
check), never in a report or a poll: GetDataAccess vends credentials. They are dropped in the
worker thread that receives the answer (AwsAccess.call's `keep`), so they never reach the event
loop, a response, a log line, a cache, the audit store or the state file.

Here: the request's validation (AccessRequestError's sentence is the 400's message), the call,
and what its answer means in the user's words (the panel prints them).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from . import outcome as kinds
from .aws import AwsAccess
from .credentials import ResolvedCredentials
from .integration_states import allow
from .outcome import Failure, Outcome
from .report_types import AccessTestResult
from .services import S3AG_FALLBACK

GET_DATA_ACCESS = "s3:GetDataAccess"  # the IAM action (s3control signs as s3)
PERMISSIONS = ("READ", "WRITE", "READWRITE")
FIELDS = frozenset({"target", "permission"})
SCHEME = "s3://"
# S3 object keys are at most 1024 bytes of UTF-8; a trailing `*` (a prefix) is not part of one.
MAX_KEY_BYTES = 1024
# The shortest credentials GetDataAccess vends (the model's minimum): none are used anyway.
DURATION_SECONDS = 900
# `Default` vends for the matched grant's whole scope; `Minimal` narrows it to the target. The
# answer (the matched grant, the grantee) is the same; Default is what the plugin asks for.
PRIVILEGE = "Default"
# Only what the report shows is kept from the answer: never `Credentials`.
KEPT = ("MatchedGrantTarget", "Grantee", "MatchedInstanceArn")
DOC_URL = "https://docs.aws.amazon.com/AmazonS3/latest/userguide/access-grants-credentials.html"
# The sentence of IAM's own refusal (the role may not call s3:GetDataAccess); S3 Access Grants
# answers a missing grant with the same AccessDenied code but "You do not have READ permissions
# to the requested S3 Prefix: ...".
_IAM_REFUSAL = "not authorized to perform"
# AccessGrantsInstanceNotExistsError: no instance in the account and Region (services.py too).
_NO_INSTANCE = "AccessGrantsInstanceNotExistsError"

# A general purpose bucket's name: 3-63 lowercase letters, digits, dots and hyphens, beginning
# and ending with a letter or digit; no two adjacent dots, not an IP address.
_BUCKET = re.compile(r"[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]")
_IP_ADDRESS = re.compile(r"\d{1,3}(\.\d{1,3}){3}")
# Names S3 reserves for other kinds of bucket and for access points, which are not a grant's
# location: access point aliases (-s3alias), Object Lambda (--ol-s3), directory buckets
# (--x-s3), table buckets (--table-s3), Multi-Region Access Points (.mrap); xn-- and sthree-.
_RESERVED_SUFFIXES = ("-s3alias", "--ol-s3", "--x-s3", "--table-s3", ".mrap")
_RESERVED_PREFIXES = ("xn--", "sthree-")


class AccessRequestError(ValueError):
    """A request Test access refuses; its message is a sentence the user can act on."""


@dataclass(frozen=True)
class AccessRequest:
    target: str
    permission: str
    bucket: str


def parse_request(body: Mapping[str, Any]) -> AccessRequest:
    """`{"target": "s3://bucket/key-or-prefix", "permission": "READ" | "WRITE" | "READWRITE"}`,
    checked before anything is asked of AWS."""
    missing = sorted(FIELDS - set(body))
    extra = sorted(str(k)[:40] for k in set(body) - FIELDS)
    if missing or extra:
        raise AccessRequestError(
            'The body must be {"target": "s3://bucket/prefix", "permission": "READ"}'
            + (f"; missing: {', '.join(missing)}" if missing else "")
            + (f"; not allowed: {', '.join(extra)}" if extra else "")
            + "."
        )
    target, permission = body["target"], body["permission"]
    if not isinstance(permission, str) or permission not in PERMISSIONS:
        raise AccessRequestError("permission must be READ, WRITE or READWRITE.")
    if not isinstance(target, str):
        raise AccessRequestError("target must be a string: an S3 URI, s3://bucket/prefix.")
    if any(unicodedata.category(c) in ("Cc", "Cs") for c in target):
        raise AccessRequestError("target must not contain control characters.")
    if not target.startswith(SCHEME):
        raise AccessRequestError("target must be an S3 URI: s3://bucket/prefix.")
    bucket, _, key = target[len(SCHEME) :].partition("/")
    if not bucket:
        raise AccessRequestError("target names no bucket: s3://bucket/prefix.")
    if not valid_bucket(bucket):
        raise AccessRequestError(
            "target's bucket must be a general purpose bucket name (3 to 63 lowercase letters, "
            "digits, dots and hyphens), not an ARN, an access point or a directory bucket."
        )
    if len(key.removesuffix("*").encode("utf-8")) > MAX_KEY_BYTES:
        raise AccessRequestError(f"target's key must be at most {MAX_KEY_BYTES} bytes long.")
    return AccessRequest(target, permission, bucket)


def valid_bucket(name: str) -> bool:
    return (
        bool(_BUCKET.fullmatch(name))
        and ".." not in name
        and not _IP_ADDRESS.fullmatch(name)
        and not name.endswith(_RESERVED_SUFFIXES)
        and not name.startswith(_RESERVED_PREFIXES)
    )


async def get_data_access(
    aws: AwsAccess,
    creds: ResolvedCredentials,
    region: str,
    account: str,
    request: AccessRequest,
) -> Outcome[dict[str, Any]]:
    """GetDataAccess in the account's instance, with the vended credentials already dropped."""
    return await aws.call(
        creds,
        region,
        "s3control",
        "get_data_access",
        GET_DATA_ACCESS,
        expect=("MatchedGrantTarget",),
        keep=KEPT,
        AccountId=account,
        Target=request.target,
        Permission=request.permission,
        DurationSeconds=DURATION_SECONDS,
        Privilege=PRIVILEGE,
    )


# ---- what the answer means ----------------------------------------------------------------------


def _result(
    request: AccessRequest,
    status: str,
    title: str,
    detail: str,
    remediation: str,
    now: datetime,
    *,
    failure: Failure | None = None,
    matched: str | None = None,
    grantee: dict[str, str] | None = None,
    expected_user: bool | None = None,
) -> AccessTestResult:
    return {
        "target": request.target,
        "permission": request.permission,
        "status": status,  # type: ignore[typeddict-item]
        "matched_grant_target": matched,
        "grantee": grantee,  # type: ignore[typeddict-item]
        "grantee_is_expected_user": expected_user,
        "title": title,
        "detail": detail,
        "remediation": remediation,
        "iam_action": failure.action if failure is not None else None,
        "error_code": failure.code if failure is not None else None,
        "doc_url": DOC_URL,
        "checked_at": now.strftime("%Y-%m-%dT%H:%M:%SZ"),
    }


def not_asked(request: AccessRequest, why: str, now: datetime) -> AccessTestResult:
    """Nothing could be asked (outside Studio, no credentials): unknown, with the reason."""
    return _result(
        request,
        "unknown",
        "Access could not be tested",
        why,
        "Test access works in a SageMaker Studio space with its own credentials.",
        now,
    )


def iam_refused(failure: Failure | None) -> bool:
    return (
        failure is not None
        and failure.kind == kinds.DENIED
        and _IAM_REFUSAL in (failure.message or "").lower()
    )


def access_result(
    request: AccessRequest,
    answer: Outcome[dict[str, Any]],
    expected_user_id: str | None,
    now: datetime,
    fallback: bool = False,
) -> AccessTestResult:
    """What GetDataAccess's answer means: allowed (and by which grant, to whom), denied (no
    grant covers it), or unknown (it could not be asked).

    fallback: boto3 in the space loads the S3 Access Grants plugin, which then falls back to the
    execution role's permissions (services.S3AG_FALLBACK): said with a denial."""
    asked = f"{request.permission} on {request.target}"
    if answer.ok:
        return _allowed(request, answer.value or {}, expected_user_id, now)
    failure = answer.failure
    assert failure is not None
    if failure.kind == kinds.DENIED and not iam_refused(failure):
        return _result(
            request,
            "denied",
            "Denied: no grant gives you this access",
            f"S3 Access Grants has no grant that gives your identity {asked}."
            + (f" {S3AG_FALLBACK}" if fallback else ""),
            f"An administrator creates an access grant (CreateAccessGrant) for your IAM "
            f"Identity Center user, or a group of it, with {request.permission} (or READWRITE) "
            f"on a registered location that holds {request.target}.",
            now,
            failure=failure,
        )
    if failure.code == _NO_INSTANCE:
        return _result(
            request,
            "unknown",
            "No S3 Access Grants instance",
            "The account has no S3 Access Grants instance in the domain's Region, so no grant "
            "can apply.",
            "An administrator creates an S3 Access Grants instance in the domain's account and "
            "Region and associates it with the domain's IAM Identity Center instance.",
            now,
            failure=failure,
        )
    if failure.kind in (
        kinds.THROTTLED,
        kinds.TIMEOUT,
        kinds.DEADLINE,
        kinds.UNREACHABLE,
        kinds.UNAVAILABLE,
    ):
        otherwise = "Try again in a moment."
    else:
        otherwise = f"Check that the execution role may call {failure.action}, then try again."
    return _result(
        request,
        "unknown",
        "Access could not be tested",
        f"{failure.describe()} It cannot be told whether S3 Access Grants gives you {asked}.",
        allow(failure, "test access", otherwise),
        now,
        failure=failure,
    )


def _allowed(
    request: AccessRequest, value: Mapping[str, Any], expected_user_id: str | None, now: datetime
) -> AccessTestResult:
    matched = value.get("MatchedGrantTarget") or None
    raw = value.get("Grantee") or {}
    kind, identifier = raw.get("GranteeType"), raw.get("GranteeIdentifier")
    grantee = {"type": kind, "identifier": identifier} if kind and identifier else None
    through = f" through the grant on {matched}" if matched else ""
    allowed = f"S3 Access Grants allows {request.permission} on {request.target}{through}"
    expected: bool | None
    if grantee is None:
        expected = None
        title = "Allowed"
        detail = f"{allowed}; it did not name the grantee."
    elif kind == "DIRECTORY_USER":
        expected = None if not expected_user_id else identifier == expected_user_id
        if expected:
            title = "Allowed: S3 Access Grants sees you"
            detail = (
                f"{allowed}, granted to your IAM Identity Center user ({identifier}): "
                "first-hand proof that your identity reaches S3 Access Grants."
            )
        elif expected is None:
            title = "Allowed for an IAM Identity Center user"
            detail = (
                f"{allowed}, granted to the IAM Identity Center user {identifier}; the space "
                "owner's user is not known, so it cannot be told whether that is you."
            )
        else:
            title = "Allowed for another IAM Identity Center user"
            detail = (
                f"{allowed}, granted to the IAM Identity Center user {identifier}, who is not "
                f"the space owner's user ({expected_user_id}): the session acts for someone else."
            )
    elif kind == "DIRECTORY_GROUP":
        expected = False
        title = "Allowed through a group"
        detail = (
            f"{allowed}, granted to the IAM Identity Center group {identifier}: S3 Access Grants "
            "sees a user of that group."
        )
    else:
        expected = False
        title = "Allowed through the IAM role, not you"
        detail = (
            f"{allowed}, granted to the IAM identity {identifier}: anyone using the role has "
            "this access, so it says nothing about your identity."
        )
    return _result(
        request,
        "allowed",
        title,
        detail,
        "",
        now,
        matched=matched,
        grantee=grantee,
        expected_user=expected,
    )

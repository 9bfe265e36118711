"""S3 Access Grants as the space's session reads them: the account's Access Grants instance in the
domain's region (s3control:GetAccessGrantsInstance) and the grants that apply to the caller, the
propagated user (s3control:ListCallerAccessGrants). Read-only; what the answers mean, and the
words for it, are services.py's.

GetDataAccess (the explicit Test access) is not here: it vends credentials, and is only ever
asked on the user's request.
"""

from __future__ import annotations

from typing import Any

from .aws import AwsAccess
from .credentials import ResolvedCredentials
from .outcome import Outcome
from .paging import each_page

# The IAM actions (S3 Access Grants' actions live in the s3 namespace, not s3control).
GET_INSTANCE = "s3:GetAccessGrantsInstance"
LIST_CALLER_GRANTS = "s3:ListCallerAccessGrants"
# A listing is paged: at most MAX_PAGES pages of PAGE_SIZE grants (the API allows 1000 a page;
# a smaller page keeps one answer's parse short), then the report says the list is cut.
PAGE_SIZE = 100
MAX_PAGES = 5


async def get_instance(
    aws: AwsAccess, creds: ResolvedCredentials, region: str, account: str
) -> Outcome[dict[str, Any]]:
    """The account's S3 Access Grants instance in `region` (one per account and Region)."""
    return await aws.call(
        creds,
        region,
        "s3control",
        "get_access_grants_instance",
        GET_INSTANCE,
        expect=("AccessGrantsInstanceArn",),
        AccountId=account,
    )


def grant_view(entry: dict[str, Any]) -> dict[str, Any]:
    """The report's view of one ListCallerAccessGrants entry."""
    return {
        "scope": entry.get("GrantScope") or "",
        "permission": entry.get("Permission") or "",
        "application_arn": entry.get("ApplicationArn") or None,
        "instance_arn": entry.get("AccessGrantsInstanceArn") or None,
    }


async def list_caller_grants(
    aws: AwsAccess, creds: ResolvedCredentials, region: str, account: str
) -> Outcome[dict[str, Any]]:
    """The grants that apply to the caller in the account's instance: {"grants": [views],
    "truncated": whether more pages were left unread}. Every page must answer: a failure of any
    page is the listing's failure (a partial list would read as "no grant" for the rest)."""
    grants: list[dict[str, Any]] = []
    more = await each_page(
        lambda paging: aws.call(
            creds,
            region,
            "s3control",
            "list_caller_access_grants",
            LIST_CALLER_GRANTS,
            AccountId=account,
            MaxResults=PAGE_SIZE,
            **paging,
        ),
        lambda value: grants.extend(
            grant_view(entry) for entry in value.get("CallerAccessGrantsList") or []
        ),
        "NextToken",
        max_pages=MAX_PAGES,
    )
    if not more.ok:
        return more
    return Outcome.of({"grants": grants, "truncated": more.value})

"""What a Test access proves of the session: S3 Access Grants vends credentials to the grantee
that matches the session's identity context, so an allowed GetDataAccess whose grantee is an IAM
Identity Center *user* names whom the session acts for — first-hand, without waiting minutes
for CloudTrail. A group's grant or an IAM principal's names no user, and a denial proves
nothing.

The proof is kept in memory for the session (its carrier, as STS named it): never stored, and
never holds the vended credentials (access_test.py drops them before anything here sees the
answer)."""

from __future__ import annotations

from collections import OrderedDict
from dataclasses import dataclass
from datetime import datetime

from .report_types import AccessTestResult

# The IAM action of the proof's source (s3control signs as s3), as checks name what settled them.
ACTION = "s3:GetDataAccess"
SOURCE = "S3 Access Grants"
# Sessions remembered (a server sees one or two carriers; kernels with other credentials add few).
MAX_CARRIERS = 16


@dataclass(frozen=True)
class GranteeProof:
    user_id: str  # the grantee: the IAM Identity Center user the session acts for
    target: str
    permission: str
    matched_grant_target: str | None
    checked_at: datetime


def from_result(result: AccessTestResult, checked_at: datetime) -> GranteeProof | None:
    """The proof an access test gives, if any: allowed, through a grant to a directory user."""
    grantee = result.get("grantee")
    if result["status"] != "allowed" or not grantee or grantee["type"] != "DIRECTORY_USER":
        return None
    return GranteeProof(
        user_id=grantee["identifier"],
        target=result["target"],
        permission=result["permission"],
        matched_grant_target=result.get("matched_grant_target"),
        checked_at=checked_at,
    )


class GranteeProofs:
    """The latest proof of each carrier (session), newest last."""

    def __init__(self) -> None:
        self._by_carrier: OrderedDict[str, GranteeProof] = OrderedDict()

    def remember(self, carrier: str, proof: GranteeProof) -> None:
        self._by_carrier[carrier] = proof
        self._by_carrier.move_to_end(carrier)
        while len(self._by_carrier) > MAX_CARRIERS:
            self._by_carrier.popitem(last=False)

    def of(self, carrier: str | None) -> GranteeProof | None:
        return self._by_carrier.get(carrier) if carrier else None

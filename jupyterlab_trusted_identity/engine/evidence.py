"""How a report weighs its evidence.

Evidence is ranked (RANKING, written down in docs/evidence.md and the README):

1. proof: first-hand proof of whom this session acts for — CloudTrail's `onBehalfOf` on the
   session's own events, or the IAM Identity Center user S3 Access Grants names as the grantee
   of a Test access (grantee_proof.py); CloudTrail's, when it has decided, comes first;
2. credentials: what botocore's credential chain resolves here and STS accepts;
3. configuration: what AWS's configuration reads say (domain, app, space, profile, region);
4. local: what the image's environment says (variables written at app start): hints, never proof.

Proof that the session acts for a user settles every required credentials or configuration check
that failed or could not be read: the verdict follows the proof, the check says what it read and
that the proof outranks it, and the disagreement becomes its own finding (`evidence.consistent`)
with its likely causes — never a remediation that asks to change a setting the proof shows is in
effect. The reverse holds too: proof that the session acts for someone else (`mismatch`) or for
nobody (`absent`) decides `not_propagated`, whatever the configuration reads say.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import UTC
from typing import Any, Final, cast

from . import cloudtrail as ct
from . import grantee_proof
from .checks import DOC_CLOUDTRAIL, FAIL, PASS, SKIP, UNKNOWN, WARN, Check, Spec
from .facts import Facts
from .report_types import EvidenceContradiction, EvidenceProof, EvidenceTier, ReportEvidence
from .verdict import PROPAGATED

PROOF: Final = "proof"
CREDENTIALS: Final = "credentials"
CONFIGURATION: Final = "configuration"
LOCAL: Final = "local"

RANKING: tuple[tuple[EvidenceTier, str], ...] = (
    (
        PROOF,
        "First-hand proof of whom the session acts for: CloudTrail's onBehalfOf on this "
        "session's own events, or the user S3 Access Grants names as the grantee of a Test "
        "access.",
    ),
    (
        CREDENTIALS,
        "What botocore's credential chain resolves in this environment and STS accepts.",
    ),
    (
        CONFIGURATION,
        "What AWS's configuration reads say: the domain, the app, the space, the user profile, "
        "the region.",
    ),
    (
        LOCAL,
        "What the image's environment says (variables Studio writes at app start): hints, "
        "never proof.",
    ),
)

# The tier of every check's evidence.
TIER: dict[str, EvidenceTier] = {
    "identity.verified": PROOF,
    "credentials.resolved": CREDENTIALS,
    "credentials.valid": CREDENTIALS,
    "credentials.expiry": CREDENTIALS,
    "credentials.carrier": CREDENTIALS,
    "kernel.environment": CREDENTIALS,
    "studio.detected": CONFIGURATION,
    "studio.app_supported": CONFIGURATION,
    "studio.region_supported": CONFIGURATION,
    "studio.auth_mode": CONFIGURATION,
    "studio.tip_enabled": CONFIGURATION,
    "studio.space_private": CONFIGURATION,
    "studio.remote_access": CONFIGURATION,
    "identity.user_resolved": CONFIGURATION,
    "services.s3_access_grants": LOCAL,
    "evidence.consistent": PROOF,
    # audit.forwarding (an extra check, engine.extra_checks) says where the audit trail goes,
    # nothing of the identity: it rests on no evidence tier (null in the report).
}
# Required checks that proof settles. credentials.resolved and credentials.valid are not among
# them: without usable credentials there is no session to prove anything of.
SETTLED_BY_PROOF = frozenset(
    {
        "credentials.carrier",
        "kernel.environment",
        "studio.app_supported",
        "studio.region_supported",
        "studio.auth_mode",
        "studio.tip_enabled",
        "studio.space_private",
        "studio.remote_access",
    }
)

# Why a configuration reading can disagree with proof of the session, by check id.
_CHANGED = (
    "the setting was changed after this app started: the running app keeps the session it "
    "started with until it restarts"
)
_CACHED = "an answer cached before a change (reads are reused for a few minutes)"
LIKELY_CAUSES: dict[str, tuple[str, ...]] = {
    "studio.tip_enabled": (_CHANGED, _CACHED),
    "studio.auth_mode": (_CACHED, "an answer about another domain than this app's"),
    "studio.space_private": (_CHANGED, _CACHED),
    "studio.remote_access": (_CHANGED, _CACHED),
    "studio.region_supported": (
        "this extension's list of supported regions is older than AWS's "
        "(TrustedIdentity.supported_regions)",
        "the region variables of this environment differ from the domain's",
    ),
    "studio.app_supported": ("the app metadata file describes another app than this one",),
    "credentials.carrier": (
        "the variables hold a copy of the space's own session credentials, which carry the "
        "identity now but are not renewed when they expire",
    ),
    "kernel.environment": (
        "the kernel's variables hold a copy of the space's own session credentials, which "
        "carry the identity now but are not renewed when they expire",
    ),
}
# Why configuration that says "on" can disagree with proof that the session acts for nobody.
ABSENT_CAUSES = (
    "the session was issued before trusted identity propagation was enabled, or before you "
    "signed in to IAM Identity Center again",
    _CACHED,
)
_NOTHING_TO_CHANGE = (
    "Nothing to change: {source} proves the identity is propagated now. Check again after "
    "the app's next restart; if the reading persists, report it to your administrator."
)
_COPIED_KEYS = (
    "Nothing to change for the identity now, but these keys will not be renewed: remove them "
    "so boto3 uses the space's own credentials before they expire."
)
# What to do about a reading that proof outranks, by check id (default: nothing).
ACTIONS: dict[str, str] = {
    "credentials.carrier": _COPIED_KEYS,
    "kernel.environment": _COPIED_KEYS,
}


def action_for(check_ids: Sequence[str], proof: Proof) -> str:
    return next(
        (ACTIONS[i] for i in check_ids if i in ACTIONS),
        _NOTHING_TO_CHANGE.format(source=proof.source),
    )


CONSISTENT = Spec(
    "evidence.consistent",
    False,
    "Configuration reads agree with the proof of whom the session acts for",
    DOC_CLOUDTRAIL,
)


@dataclass(frozen=True)
class Proof:
    """First-hand proof that the session acts for a user, and where it comes from."""

    action: str  # the source's IAM action, as a settled check names it (settled_by)
    source: str  # the source in sentences: CloudTrail, S3 Access Grants
    sentence: str  # "<source> shows that this session acts for <who> (<how, when>)"
    json: EvidenceProof  # the report's evidence.proof


def _cloudtrail_proof(v: ct.Verification) -> EvidenceProof:
    """A decisive verification as the report's evidence.proof."""
    # cast: the status is one of DECISIVE, as EvidenceProof says.
    return cast(EvidenceProof, {"source": ct.ACTION, **v.to_json()})


def proof_of(f: Facts) -> Proof | None:
    """The proof a report weighs: CloudTrail's when it shows the session acting for a user,
    else a Test access whose grantee is the expected user (never one that names someone
    else: only CloudTrail decides a mismatch)."""
    v = f.verification
    if v.proves_identity:
        who = _user_words(f, v.user_id)
        when = f" ({v.event_name}, {v.event_time})" if v.event_name else ""
        return Proof(
            ct.ACTION,
            "CloudTrail",
            f"CloudTrail shows that this session acts for {who}{when}",
            _cloudtrail_proof(v),
        )
    if v.status in ct.DECISIVE:
        return None  # CloudTrail decided otherwise (someone else, nobody): it alone decides that
    g = f.grantee_proof
    expected = f.user.value if f.user is not None and f.user.ok else None
    if g is None or not expected or expected.get("user_id") != g.user_id:
        return None
    who = _user_words(f, g.user_id)
    at = g.checked_at.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    grant = f" through the grant on {g.matched_grant_target}" if g.matched_grant_target else ""
    sentence = (
        f"S3 Access Grants shows that this session acts for {who}: it allowed "
        f"{g.permission} on {g.target}{grant} to {who} as the grantee (Test access, {at})"
    )
    return Proof(
        grantee_proof.ACTION,
        grantee_proof.SOURCE,
        sentence,
        {
            "source": grantee_proof.ACTION,
            "status": ct.VERIFIED,
            "user_id": g.user_id,
            "identity_store_arn": None,
            "event_name": "GetDataAccess",
            "event_source": "s3.amazonaws.com",
            "event_time": at,
            "event_id": None,
            "events_seen": 0,
            "sources_seen": [],
            "expected_user_id": expected.get("user_id"),
            "expected_identity_store_arn": None,
            "detail": sentence + ".",
            "looked_up_at": at,
            "next_lookup_at": None,
        },
    )


def likely_causes(check_id: str) -> list[str]:
    return list(LIKELY_CAUSES.get(check_id, (_CACHED,)))


def _settled(check: Check, proof: Proof) -> Check:
    """A failed or unread required check that proof of the session outranks."""
    if check.status == FAIL:
        detail = (
            f"{check.detail} {proof.sentence}, so this reading is not what is in effect "
            "(see evidence.consistent)."
        )
        remediation = action_for([check.id], proof)
    else:  # UNKNOWN: the reading failed; the proof answers the question it asked
        detail = f"{check.detail} {proof.sentence}, which settles it."
        remediation = check.remediation
    return replace(
        check,
        status=WARN,
        detail=detail,
        remediation=remediation,
        settled_by=proof.action,
        read_status=check.status,
    )


def _user_words(f: Facts, user_id: str | None) -> str:
    """Whom a proof names, in the words the report can establish."""
    for outcome in (f.user, f.actual_user):
        user = outcome.value if outcome is not None and outcome.ok else None
        if user and user.get("user_id") == user_id:
            name = user.get("display_name") or user.get("user_name")
            if name:
                return name
    return f"user {user_id}"


def weigh(f: Facts, checks: Sequence[Check]) -> list[Check]:
    """The checks once proof has been weighed against them, with the `evidence.consistent`
    finding appended (outside Studio there is no configuration to weigh)."""
    if not f.in_studio:
        return [*checks, CONSISTENT.result(SKIP, "Not running in SageMaker Studio.")]
    weighed: list[Check] = []
    contradicted: list[Check] = []
    proof = proof_of(f)
    if proof is not None:
        for check in checks:
            if check.id in SETTLED_BY_PROOF and check.status in (FAIL, UNKNOWN):
                if check.status == FAIL:
                    contradicted.append(check)
                check = _settled(check, proof)
            weighed.append(check)
        return [*weighed, _finding_with_proof(contradicted, proof)]
    weighed = list(checks)
    return [*weighed, _finding_without_proof(f, weighed)]


def _first_clause(detail: str) -> str:
    """A reading's first clause: what it read, without the explanation that follows."""
    for stop in ("; ", ". "):
        detail = detail.split(stop, 1)[0]
    return detail.rstrip(".")


def _finding_with_proof(contradicted: Sequence[Check], proof: Proof) -> Check:
    if not contradicted:
        return CONSISTENT.result(PASS, f"{proof.sentence}; every configuration read agrees.")
    readings_text = "; ".join(_first_clause(c.detail) for c in contradicted)
    causes: list[str] = []
    for check in contradicted:
        causes += [c for c in likely_causes(check.id) if c not in causes]
    these = (
        "a configuration reading says"
        if len(contradicted) == 1
        else f"{len(contradicted)} configuration readings say"
    )
    return CONSISTENT.result(
        WARN,
        f"{proof.sentence}, but {these} otherwise: {readings_text}. The verdict follows the "
        "proof. Likely causes: " + "; ".join(causes) + ".",
        action_for([c.id for c in contradicted], proof),
        contradictions=tuple(c.id for c in contradicted),
    )


def _finding_without_proof(f: Facts, checks: Sequence[Check]) -> Check:
    v = f.verification
    if v.status not in (ct.ABSENT, ct.MISMATCH):
        return CONSISTENT.result(
            SKIP, "CloudTrail has no first-hand proof of this session yet to compare with."
        )
    # The readings that proof would settle: the credentials' and the configuration's.
    readings = [c for c in checks if c.id in SETTLED_BY_PROOF]
    says_on = readings and all(c.status in (PASS, WARN) for c in readings)
    if v.status == ct.ABSENT and says_on:
        return CONSISTENT.result(
            WARN,
            f"Every configuration read says the identity should be propagated, but {v.detail} "
            "The proof outranks the reads: the verdict follows it. Likely causes: "
            + "; ".join(ABSENT_CAUSES)
            + ".",
            "Stop and start the space's app, then sign in to IAM Identity Center again.",
            contradictions=tuple(c.id for c in readings),
        )
    return CONSISTENT.result(
        PASS, f"CloudTrail's proof and the configuration reads agree: {v.detail}"
    )


# ---- the verdict's cause ------------------------------------------------------------------------


def cause_of(checks: Sequence[Check], verdict: str, f: Facts) -> str | None:
    """The id of the check that explains the verdict; the one the banner shows."""
    by_id = {c.id: c for c in checks}
    finding = by_id.get(CONSISTENT.id)
    if finding is not None and finding.status == WARN:
        return finding.id

    def first(predicate: Any) -> str | None:
        return next((c.id for c in checks if predicate(c)), None)

    if verdict == PROPAGATED:
        return first(lambda c: c.status in (FAIL, WARN))
    return (
        first(lambda c: c.required and c.status == FAIL)
        or (
            "identity.verified"
            if f.verification.status in (ct.MISMATCH, ct.ABSENT) and "identity.verified" in by_id
            else None
        )
        or first(lambda c: c.required and c.status == UNKNOWN)
        or first(lambda c: c.status == FAIL)
        or first(lambda c: c.status == UNKNOWN)
        or first(lambda c: c.status == WARN)
    )


def evidence_json(f: Facts, checks: Sequence[Check]) -> ReportEvidence:
    """The report's `evidence`: the ranking, the proof, and the contradictions found."""
    v = f.verification
    found = proof_of(f)
    finding = next((c for c in checks if c.id == CONSISTENT.id), None)
    contradictions: list[EvidenceContradiction] = []
    if finding is not None and finding.status == WARN:
        by_id: dict[str, Check] = {c.id: c for c in checks}
        for check_id in finding.contradictions:
            check = by_id[check_id]
            contradictions.append(
                {
                    "check": check_id,
                    "read_status": check.read_status or check.status,
                    "likely_causes": likely_causes(check_id)
                    if found is not None
                    else list(ABSENT_CAUSES),
                }
            )
    # CloudTrail's decision is the proof the report names, whichever way it went.
    proof = _cloudtrail_proof(v) if v.status in ct.DECISIVE else found.json if found else None
    return {
        "ranking": [{"tier": tier, "description": text} for tier, text in RANKING],
        "proof": proof,
        "contradictions": contradictions,
    }

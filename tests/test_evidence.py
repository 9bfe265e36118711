"""How a report weighs its evidence (issue 12), one pair of conflicting evidence at a time.

The engine's pure parts only: facts are built here as the AWS answers would leave them, then
checked, weighed, judged and explained exactly as IdentityEngine._build does. The expected words
are the ones the panel's banner shows (the cause check's detail and remediation).
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from jupyterlab_trusted_identity.engine import cloudtrail as ct
from jupyterlab_trusted_identity.engine.checks import run_checks
from jupyterlab_trusted_identity.engine.config import EngineConfig
from jupyterlab_trusted_identity.engine.credentials import ResolvedCredentials, compare_with_space
from jupyterlab_trusted_identity.engine.evidence import (
    RANKING,
    SETTLED_BY_PROOF,
    TIER,
    cause_of,
    weigh,
)
from jupyterlab_trusted_identity.engine.facts import Facts
from jupyterlab_trusted_identity.engine.grantee_proof import GranteeProof
from jupyterlab_trusted_identity.engine.metadata import StudioMetadata
from jupyterlab_trusted_identity.engine.outcome import Failure, Outcome
from jupyterlab_trusted_identity.engine.report import build_report
from jupyterlab_trusted_identity.engine.scope import Scope
from jupyterlab_trusted_identity.engine.services import S3AG_MODULE, S3AccessGrants
from jupyterlab_trusted_identity.engine.verdict import verdict_of

ACCOUNT = "111122223333"
STORE_ARN = f"arn:aws:identitystore::{ACCOUNT}:identitystore/d-1234567890"
OTHER_STORE_ARN = f"arn:aws:identitystore::{ACCOUNT}:identitystore/d-0000000000"
JANE, ALEX = "jane-0001", "alex-0002"
ROLE = f"arn:aws:iam::{ACCOUNT}:role/SageMakerExec"
CONTAINER_URI = "http://169.254.170.2/v2/credentials/abc"
TIP_FIELD = "TrustedIdentityPropagationSettings"
OLD_REMEDIATION = "DomainSettingsForUpdate.TrustedIdentityPropagationSettings.Status to ENABLED"
CONFIG = EngineConfig()


def _creds(
    source: str = "container-role", key: str = "ASIAEXAMPLEKEY000001"
) -> ResolvedCredentials:
    return ResolvedCredentials(
        source=source,
        access_key_id=key,
        secret_access_key="secret",
        session_token="token",
        expires_at=datetime.now(UTC) + timedelta(hours=1),
        container_uri=CONTAINER_URI if source == "container-role" else None,
    )


def _domain(tip: str | None = "ENABLED", auth: str = "SSO") -> dict[str, Any]:
    settings = {TIP_FIELD: {"Status": tip}} if tip else {}
    return {"DomainId": "d-abc", "AuthMode": auth, "DomainSettings": settings}


def _space(sharing: str = "Private", remote: str | None = "DISABLED") -> dict[str, Any]:
    settings = {"AppType": "JupyterLab"}
    if remote:
        settings["RemoteAccess"] = remote
    return {
        "SpaceName": "jdoe-space",
        "SpaceSharingSettings": {"SharingType": sharing},
        "SpaceSettings": settings,
        "OwnershipSettings": {"OwnerUserProfileName": "jdoe"},
    }


def _app(tip: str | None = "ENABLED") -> dict[str, Any]:
    app: dict[str, Any] = {"AppName": "default", "AppType": "JupyterLab"}
    if tip:
        app["EffectiveTrustedIdentityPropagationStatus"] = tip
    return app


def _user(user_id: str = JANE, name: str = "Jane Doe") -> dict[str, Any]:
    return {
        "user_id": user_id,
        "user_name": name.split()[0].lower(),
        "display_name": name,
        "email": None,
        "identity_store_id": "d-1234567890",
        "identity_store_arn": STORE_ARN,
    }


def trail(
    status: str = ct.VERIFIED, user_id: str | None = JANE, store: str | None = STORE_ARN
) -> ct.Verification:
    """What LookupEvents said, before the comparison with the expected user."""
    if status == ct.VERIFIED:
        return ct.Verification(
            ct.VERIFIED,
            user_id=user_id,
            identity_store_arn=store,
            event_name="DescribeDomain",
            event_source="sagemaker.amazonaws.com",
            event_time="2026-11-29T12:00:00Z",
            events_seen=3,
        )
    if status == ct.ABSENT:
        return ct.interpret([_event("sagemaker.amazonaws.com")])
    if status == ct.INCONCLUSIVE:
        return ct.interpret([_event("sts.amazonaws.com")])
    if status == ct.PENDING:
        return ct.interpret([])
    return ct.Verification.unavailable(Failure("denied", ct.ACTION, "AccessDeniedException"))


def _event(source: str) -> dict[str, Any]:
    return {
        "EventName": "DescribeDomain",
        "EventSource": source,
        "CloudTrailEvent": '{"userIdentity": {"type": "AssumedRole"}}',
    }


@dataclass
class Space:
    """An emulated space as the engine's facts see it; every field is one reading."""

    domain: Any = field(default_factory=_domain)
    space: Any = field(default_factory=_space)
    app: Any = field(default_factory=_app)
    user: Any = field(default_factory=_user)
    verification: ct.Verification = field(default_factory=trail)
    credentials: ResolvedCredentials = field(default_factory=_creds)
    region: str = "us-east-1"
    knows: bool = True  # whether botocore's model knows every field (False: an old botocore)
    hints: dict[str, str] = field(default_factory=dict)
    app_type: str = "JupyterLab"
    s3ag: S3AccessGrants = field(default_factory=lambda: S3AccessGrants(True, S3AG_MODULE, True))
    grantee: GranteeProof | None = None  # what a Test access proved (grantee_proof.py)

    def facts(self) -> Facts:
        def outcome(value: Any) -> Any:
            if value is None or isinstance(value, Outcome):
                return value
            return Outcome.of(value)

        f = Facts(scope=Scope(kind="server", environ={}), now=datetime.now(UTC))
        f.metadata = StudioMetadata(
            domain_id="d-abc",
            space_name="jdoe-space",
            user_profile_name="jdoe",
            resource_arn=f"arn:aws:sagemaker:{self.region}:{ACCOUNT}:app/d-abc/jdoe-space/"
            f"{self.app_type}/default",
            resource_name="default",
            app_type=self.app_type,
            execution_role_arn=ROLE,
        )
        f.region, f.region_source = self.region, "metadata"
        f.hints = self.hints
        f.s3_access_grants = self.s3ag
        f.model_knows = lambda service, operation, path: self.knows
        f.credentials = f.server_credentials = self.credentials
        f.comparison = compare_with_space(self.credentials, None, {}, {})
        f.caller = Outcome.of(
            {"Arn": f"arn:aws:sts::{ACCOUNT}:assumed-role/SageMakerExec/SageMaker"}
        )
        f.domain, f.space, f.app = outcome(self.domain), outcome(self.space), outcome(self.app)
        f.profile_name, f.profile_name_source = "jdoe", "metadata"
        f.profile = Outcome.of({"UserProfileName": "jdoe", "SingleSignOnUserValue": "jdoe"})
        store = {"id": "d-1234567890", "arn": STORE_ARN, "path": [], "regions": None}
        f.identity_store = Outcome.of(store)
        f.user = outcome(self.user)
        expected = self.user if isinstance(self.user, dict) else {}
        f.verification = self.verification.compared_with(
            expected.get("user_id"), expected.get("identity_store_arn")
        )
        if f.verification.user_id == ALEX:
            f.actual_user = Outcome.of(_user(ALEX, "Alex Smith"))
        f.grantee_proof = self.grantee
        return f


@dataclass(frozen=True)
class Judged:
    verdict: str
    checks: dict[str, Any]
    cause: Any
    report: dict[str, Any]

    def status(self, check_id: str) -> str:
        return self.checks[check_id].status

    @property
    def banner(self) -> str:
        """The words the banner shows: the summary, the cause's detail and remediation."""
        cause = self.cause
        words = [self.report["summary"]]
        if cause is not None:
            words += [cause.detail, cause.remediation]
        return " ".join(words)


def judge(space: Space) -> Judged:
    f = space.facts()
    checks = weigh(f, run_checks(f, CONFIG))
    verdict = verdict_of(f, checks)
    cause_id = cause_of(checks, verdict, f)
    report = build_report(f, checks, verdict, cause_id, CONFIG, complete=True, duration=0.0)
    by_id = {c.id: c for c in checks}
    return Judged(verdict, by_id, by_id.get(cause_id) if cause_id else None, report)


def _denied(action: str) -> Outcome[Any]:
    return Outcome.failed(Failure("denied", action, "AccessDeniedException", "not authorized"))


# ---- the ranking itself -------------------------------------------------------------------------


def test_the_ranking_is_proof_then_credentials_then_configuration_then_local_hints():
    assert [tier for tier, _ in RANKING] == ["proof", "credentials", "configuration", "local"]
    f = Space().facts()
    ids = {c.id for c in weigh(f, run_checks(f, CONFIG))}
    assert ids <= set(TIER), ids - set(TIER)
    # Proof settles only required checks of the lower tiers, never the credentials' existence.
    assert "credentials.resolved" not in SETTLED_BY_PROOF
    assert "credentials.valid" not in SETTLED_BY_PROOF
    assert {TIER[c] for c in SETTLED_BY_PROOF} == {"credentials", "configuration"}


def test_agreeing_evidence_is_propagated_and_says_so():
    judged = judge(Space())
    assert judged.verdict == "propagated"
    assert judged.status("evidence.consistent") == "pass"
    assert all(c.status == "pass" for c in judged.checks.values()), judged.banner
    assert judged.report["evidence"]["proof"]["status"] == "verified"
    assert judged.report["evidence"]["contradictions"] == []


# ---- proof of the user against configuration reads that say "off" -------------------------------

CONTRADICTING_READS = {
    # name: (space, check id the reading fails, words of the reading)
    "tip-never-set": (
        Space(domain=_domain(tip=None), app=_app(tip=None)),
        "studio.tip_enabled",
        f"DescribeDomain returned no {TIP_FIELD}",
    ),
    "tip-turned-off": (
        Space(domain=_domain(tip="DISABLED"), app=_app(tip=None)),
        "studio.tip_enabled",
        "DISABLED on the domain",
    ),
    "app-disabled": (
        Space(app=_app(tip="DISABLED")),
        "studio.tip_enabled",
        "effective status is DISABLED",
    ),
    "iam-domain": (Space(domain=_domain(auth="IAM")), "studio.auth_mode", "AuthMode is IAM"),
    "shared-space": (Space(space=_space(sharing="Shared")), "studio.space_private", "Shared"),
    "remote-access": (
        Space(space=_space(remote="ENABLED")),
        "studio.remote_access",
        "Remote access is enabled",
    ),
    "region-list": (Space(region="ca-west-1"), "studio.region_supported", "ca-west-1"),
    "classic-app": (Space(app_type="JupyterServer"), "studio.app_supported", "Studio Classic"),
    "copied-keys": (
        Space(credentials=_creds(source="env")),
        "credentials.carrier",
        "static keys from environment variables",
    ),
}


@pytest.mark.parametrize("name", sorted(CONTRADICTING_READS))
def test_proof_of_the_user_outranks_a_reading_that_says_off(name: str):
    space, check_id, reading_words = CONTRADICTING_READS[name]
    # The reading alone (no proof yet) fails the check: that is what it says.
    alone = judge(replace(space, verification=trail(ct.PENDING)))
    assert alone.status(check_id) == "fail", alone.banner
    assert alone.verdict == "not_propagated"

    judged = judge(space)
    assert judged.verdict == "propagated", judged.banner
    settled = judged.checks[check_id]
    assert (settled.status, settled.read_status, settled.settled_by) == (
        "warn",
        "fail",
        ct.ACTION,
    )
    assert reading_words in settled.detail
    assert "CloudTrail shows that this session acts for Jane Doe" in settled.detail
    # The disagreement is its own finding, and the banner's cause.
    finding = judged.checks["evidence.consistent"]
    assert finding.status == "warn" and finding.contradictions == (check_id,)
    assert judged.cause is finding
    assert reading_words in judged.banner and "Likely causes" in judged.banner
    # Never a remediation that asks to change what the proof shows is in effect.
    for check in (settled, finding):
        assert check.remediation.startswith("Nothing to change"), check.remediation
        assert OLD_REMEDIATION not in check.remediation
        assert "UpdateDomain" not in check.remediation and "UpdateSpace" not in check.remediation
    (contradiction,) = judged.report["evidence"]["contradictions"]
    assert contradiction["check"] == check_id and contradiction["read_status"] == "fail"
    assert contradiction["likely_causes"]


def test_the_reported_case_old_botocore_drops_the_field_and_cloudtrail_verifies():
    """Issue 12's report: a field botocore dropped must neither fail the check nor be
    'fixed' by a remediation; the proof decides and the check says what was missing."""
    space = Space(domain=_domain(tip=None), app=_app(tip=None), knows=False)
    alone = judge(replace(space, verification=trail(ct.PENDING)))
    tip = alone.checks["studio.tip_enabled"]
    assert tip.status == "unknown" and alone.verdict == "unknown", alone.banner
    assert f"DescribeDomain returned no {TIP_FIELD}" in tip.detail
    assert "botocore does not know this field" in tip.detail
    assert "DISABLED" not in tip.detail and OLD_REMEDIATION not in tip.remediation

    judged = judge(space)
    assert judged.verdict == "propagated", judged.banner
    assert judged.status("studio.tip_enabled") == "warn"
    assert judged.checks["studio.tip_enabled"].read_status == "unknown"
    assert OLD_REMEDIATION not in judged.banner


@pytest.mark.parametrize(
    "reads",
    [
        {"domain": _denied("sagemaker:DescribeDomain")},
        {"space": _denied("sagemaker:DescribeSpace")},
        {"app": _denied("sagemaker:DescribeApp"), "domain": _domain(tip=None)},
    ],
    ids=["domain-denied", "space-denied", "app-denied-domain-unset"],
)
def test_proof_answers_the_question_a_denied_read_could_not(reads: dict[str, Any]):
    space = Space(**reads)
    alone = judge(replace(space, verification=trail(ct.PENDING)))
    assert alone.verdict in ("unknown", "not_propagated"), alone.banner
    judged = judge(space)
    assert judged.verdict == "propagated", judged.banner
    settled = [c for c in judged.checks.values() if c.settled_by]
    assert settled and all(c.status == "warn" for c in settled)
    for check in settled:
        if check.read_status == "unknown":
            assert "which settles it" in check.detail
            # The grant is still named: the reading failed, and an administrator may fix that.
            assert check.iam_action and check.iam_action in check.remediation, check


def test_proof_of_an_unknown_user_still_outranks_configuration():
    space = Space(
        user=_denied("identitystore:GetUserId"), domain=_domain(tip=None), app=_app(tip=None)
    )
    judged = judge(space)
    assert judged.verdict == "propagated", judged.banner
    assert judged.status("identity.user_resolved") == "unknown"  # not settled: not required
    assert judged.status("identity.verified") == "warn"
    assert judged.status("studio.tip_enabled") == "warn"
    assert f"user {JANE}" in judged.checks["studio.tip_enabled"].detail


# ---- proof against the user, or of nobody, against configuration that says "on" ---------------


@pytest.mark.parametrize(
    ("verification", "detail"),
    [
        (trail(user_id=ALEX), f"acts for user {ALEX}, not for the space owner {JANE}"),
        (trail(store=OTHER_STORE_ARN), "not of the domain's store"),
        (trail(ct.ABSENT), "carry no onBehalfOf user"),
    ],
    ids=["other-user", "other-store", "nobody"],
)
def test_configuration_that_says_on_never_outweighs_proof_against(verification, detail):
    judged = judge(Space(verification=verification))
    assert judged.verdict == "not_propagated", judged.banner
    assert judged.status("identity.verified") == "fail"
    assert detail in judged.checks["identity.verified"].detail
    assert all(
        c.status == "pass"
        for c in judged.checks.values()
        if c.required and c.id != "identity.verified"
    )
    assert not any(c.settled_by for c in judged.checks.values())
    if verification.status == ct.ABSENT:
        finding = judged.checks["evidence.consistent"]
        assert finding.status == "warn" and judged.cause is finding
        assert "Every configuration read says the identity should be propagated" in finding.detail
        assert "sign in to IAM Identity Center again" in finding.remediation
    else:
        assert judged.cause is judged.checks["identity.verified"]


def test_proof_of_nobody_agrees_with_a_reading_that_says_off():
    judged = judge(
        Space(domain=_domain(tip="DISABLED"), app=_app(tip=None), verification=trail(ct.ABSENT))
    )
    assert judged.verdict == "not_propagated"
    assert judged.status("evidence.consistent") == "pass"
    # Both say off: the reading explains why, so it is the cause, with its fix.
    assert judged.cause is judged.checks["studio.tip_enabled"]
    assert OLD_REMEDIATION in judged.cause.remediation
    # Credentials that botocore resolves elsewhere agree with proof of nobody too.
    keys = judge(Space(credentials=_creds(source="env"), verification=trail(ct.ABSENT)))
    assert keys.status("evidence.consistent") == "pass"
    assert keys.cause is keys.checks["credentials.carrier"]


# ---- no decisive proof: the readings stand ----------------------------------------------------------


@pytest.mark.parametrize("status", [ct.PENDING, ct.INCONCLUSIVE, ct.UNAVAILABLE])
def test_without_decisive_proof_the_readings_decide(status: str):
    judged = judge(Space(verification=trail(status)))
    assert judged.verdict == "propagated", judged.banner
    assert judged.status("evidence.consistent") == "skip"
    off = judge(Space(space=_space(sharing="Shared"), verification=trail(status)))
    assert off.verdict == "not_propagated"
    assert off.cause is off.checks["studio.space_private"]


# ---- a Test access's grantee as proof (S3 Access Grants) -------------------------------------------


def _grantee(user_id: str = JANE) -> GranteeProof:
    return GranteeProof(
        user_id=user_id,
        target="s3://amzn-s3-demo-bucket/users/jdoe/data.csv",
        permission="READ",
        matched_grant_target="s3://amzn-s3-demo-bucket/users/jdoe/*",
        checked_at=datetime(2026, 11, 29, 20, 0, tzinfo=UTC),
    )


@pytest.mark.parametrize("status", [ct.PENDING, ct.INCONCLUSIVE, ct.UNAVAILABLE])
def test_a_grantee_that_is_the_owner_outranks_a_reading_until_cloudtrail_decides(status: str):
    off = Space(domain=_domain(tip=None), app=_app(tip=None), verification=trail(status))
    assert judge(off).verdict == "not_propagated"
    judged = judge(replace(off, grantee=_grantee()))
    assert judged.verdict == "propagated", judged.banner
    tip = judged.checks["studio.tip_enabled"]
    assert (tip.status, tip.read_status, tip.settled_by) == ("warn", "fail", "s3:GetDataAccess")
    assert "S3 Access Grants shows that this session acts for Jane Doe" in tip.detail
    assert judged.cause is judged.checks["evidence.consistent"]
    assert "Nothing to change: S3 Access Grants proves" in judged.cause.remediation
    assert OLD_REMEDIATION not in judged.banner
    report = judged.report
    assert report["evidence"]["proof"]["source"] == "s3:GetDataAccess"
    assert report["user"]["proven_by"] == "s3:GetDataAccess"
    assert report["user"]["provenance"] == "profile"


def test_a_grantee_who_is_someone_else_proves_nothing_here():
    """Only CloudTrail decides that the session acts for someone else."""
    off = Space(domain=_domain(tip=None), app=_app(tip=None), verification=trail(ct.PENDING))
    judged = judge(replace(off, grantee=_grantee(ALEX)))
    assert judged.verdict == "not_propagated"
    assert judged.report["evidence"]["proof"] is None
    assert judged.report["user"]["proven_by"] is None


@pytest.mark.parametrize(
    "verification", [trail(ct.ABSENT), trail(user_id=ALEX)], ids=["nobody", "other-user"]
)
def test_cloudtrails_decision_outranks_a_grantee(verification: ct.Verification):
    judged = judge(Space(verification=verification, grantee=_grantee()))
    assert judged.verdict == "not_propagated", judged.banner
    assert judged.report["evidence"]["proof"]["source"] == ct.ACTION
    assert not any(c.settled_by == "s3:GetDataAccess" for c in judged.checks.values())


def test_cloudtrails_verification_stays_the_named_proof():
    judged = judge(Space(grantee=_grantee()))
    assert judged.report["evidence"]["proof"]["source"] == ct.ACTION
    assert judged.report["user"]["proven_by"] == ct.ACTION


def test_events_from_sources_that_do_not_record_onbehalfof_cannot_decide():
    judged = judge(Space(verification=trail(ct.INCONCLUSIVE)))
    verified = judged.checks["identity.verified"]
    assert verified.status == "unknown"
    assert "sts.amazonaws.com" in verified.detail and "do not record onBehalfOf" in verified.detail


# ---- the running app decides; the domain setting explains ------------------------------------------


@pytest.mark.parametrize(
    ("domain", "app", "status", "words"),
    [
        ("ENABLED", "ENABLED", "pass", "Enabled on the domain and in this running app"),
        ("DISABLED", "ENABLED", "warn", "next start of the app will run without it"),
        (None, "ENABLED", "warn", f"DescribeDomain returned no {TIP_FIELD}"),
        ("ENABLED", "DISABLED", "fail", "sign in to IAM Identity Center again"),
        ("DISABLED", "DISABLED", "fail", "DomainSettingsForUpdate"),
        ("ENABLED", None, "pass", "returned no EffectiveTrustedIdentityPropagationStatus"),
        ("DISABLED", None, "fail", "DISABLED on the domain"),
        (None, None, "fail", f"DescribeDomain returned no {TIP_FIELD}"),
    ],
)
def test_the_running_app_decides(domain, app, status, words):
    judged = judge(
        Space(domain=_domain(tip=domain), app=_app(tip=app), verification=trail(ct.PENDING))
    )
    tip = judged.checks["studio.tip_enabled"]
    assert tip.status == status, tip
    assert words in tip.detail + " " + tip.remediation, tip
    if status == "fail" and domain == "ENABLED":
        # After TIP is enabled on an existing domain: restart the app and sign in again.
        assert "Stop and start the space's app" in tip.remediation
        assert "UpdateDomain" not in tip.remediation


def test_remediations_name_the_request_field_of_updatedomain():
    tip = judge(Space(domain=_domain(tip="DISABLED"), verification=trail(ct.PENDING))).checks[
        "studio.tip_enabled"
    ]
    assert "DomainSettingsForUpdate.TrustedIdentityPropagationSettings.Status" in tip.remediation
    assert "Set DomainSettings." not in tip.remediation


# ---- missing fields say so ----------------------------------------------------------------------------


def test_a_missing_remote_access_setting_says_so_and_means_never_turned_on():
    judged = judge(Space(space=_space(remote=None), verification=trail(ct.PENDING)))
    remote = judged.checks["studio.remote_access"]
    assert remote.status == "pass"
    assert "DescribeSpace returned no RemoteAccess" in remote.detail
    assert judged.report["studio"]["remote_access"] is None
    assert judged.report["studio"]["missing"]["remote_access"].startswith(
        "DescribeSpace returned no RemoteAccess"
    )


def test_a_field_the_model_drops_is_unknown_not_off():
    judged = judge(Space(space=_space(remote=None), knows=False, verification=trail(ct.PENDING)))
    remote = judged.checks["studio.remote_access"]
    assert remote.status == "unknown" and "does not know this field" in remote.detail
    assert judged.verdict == "unknown"


# ---- local hints rank last: they explain, never prove ---------------------------------------------


def test_a_local_hint_is_shown_but_never_proves():
    hints = {"TRUSTED_IDENTITY_PROPOGATION_ENABLED": "true"}
    denied = Space(
        domain=_denied("sagemaker:DescribeDomain"),
        app=_denied("sagemaker:DescribeApp"),
        hints=hints,
        verification=trail(ct.PENDING),
    )
    judged = judge(denied)
    tip = judged.checks["studio.tip_enabled"]
    assert tip.status == "unknown" and judged.verdict == "unknown"
    assert "TRUSTED_IDENTITY_PROPOGATION_ENABLED=true" in tip.detail and "not proof" in tip.detail
    # A reading outranks the hint: the domain says DISABLED, the image says enabled.
    off = judge(
        Space(
            domain=_domain(tip="DISABLED"),
            app=_app(tip=None),
            hints=hints,
            verification=trail(ct.PENDING),
        )
    )
    assert off.status("studio.tip_enabled") == "fail"
    space_hint = judge(
        Space(
            space=_denied("sagemaker:DescribeSpace"),
            hints={"SAGEMAKER_SPACE_TYPE_LOWERCASE": "private"},
            verification=trail(ct.PENDING),
        )
    )
    private = space_hint.checks["studio.space_private"]
    assert (
        private.status == "unknown" and "SAGEMAKER_SPACE_TYPE_LOWERCASE=private" in private.detail
    )


def test_every_check_carries_its_evidence_tier():
    judged = judge(Space())
    for check in judged.report["checks"]:
        assert check["evidence"] in {tier for tier, _ in RANKING}, check
    assert judged.report["cause"] is None  # nothing to explain in a clean propagated report


def test_a_botocore_without_client_plugins_never_reaches_s3_access_grants():
    """botocore before 1.40 (SageMaker Distribution 3.x) ignores BOTOCORE_EXPERIMENTAL__PLUGINS."""
    old = judge(Space(s3ag=S3AccessGrants(True, S3AG_MODULE, True, botocore_loads_plugins=False)))
    s3ag = old.checks["services.s3_access_grants"]
    assert s3ag.status == "fail" and "does not load client plugins" in s3ag.detail
    service = next(s for s in old.report["connected_services"] if s["id"] == "s3-access-grants")
    assert service["ready"] is False
    assert old.verdict == "propagated"  # the session still carries the identity

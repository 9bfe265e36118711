"""Every check id of API.md in each status it can take, produced by a scenario, an injected
AWS fault, a trait, a changed server environment or a kernel.

Each case lists every check that does not pass (all others must pass), the verdict, and for
`unknown` checks the IAM action and AWS error code API.md requires them to carry. Fault cases run
without CloudTrail verification, as API.md describes them; with it, CloudTrail's proof of the
session settles a read that failed (issue 12: `warn`, its `read_status` still `unknown`, the
action and error code kept) — the `settled` cases.
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import pytest
from helpers_reports import (
    KERNEL_CHECK_IDS,
    SERVER_CHECK_IDS,
    VERDICTS,
    assert_report_shape,
    assert_unknown_names_call,
    explain,
    statuses,
)

DOMAIN, SPACE, APP = "sagemaker:DescribeDomain", "sagemaker:DescribeSpace", "sagemaker:DescribeApp"
PROFILE, SSO = "sagemaker:DescribeUserProfile", "sso:DescribeApplication"
GET_USER_ID, DESCRIBE_USER = "identitystore:GetUserId", "identitystore:DescribeUser"
LOOKUP, STS, CONTAINER = (
    "cloudtrail:LookupEvents",
    "sts:GetCallerIdentity",
    "container:GetCredentials",
)
DENIED_JSON, DENIED_STS = "AccessDeniedException", "AccessDenied"
THROTTLED_JSON, THROTTLED_STS = "ThrottlingException", "Throttling"
INTERNAL = "InternalFailure"

# Statuses each check can take. `unknown` is left out where the check needs no AWS call
# (API.md: unknown is for a call that was denied, timed out or throttled).
REACHABLE: dict[str, set[str]] = {
    "credentials.resolved": {"pass", "fail", "unknown"},
    "credentials.valid": {"pass", "fail", "unknown", "skip"},
    "credentials.expiry": {"pass", "warn", "fail", "skip"},
    "credentials.carrier": {"pass", "fail", "skip"},
    "studio.detected": {"pass", "fail", "skip"},
    "studio.app_supported": {"pass", "fail", "unknown", "skip"},
    # warn: a reading that CloudTrail's proof of the session outranks (issue 12)
    "studio.region_supported": {"pass", "warn", "fail", "unknown", "skip"},
    "studio.auth_mode": {"pass", "warn", "fail", "unknown", "skip"},
    "studio.tip_enabled": {"pass", "warn", "fail", "unknown", "skip"},
    "studio.space_private": {"pass", "warn", "fail", "unknown", "skip"},
    "studio.remote_access": {"pass", "warn", "fail", "unknown", "skip"},
    "identity.user_resolved": {"pass", "fail", "unknown", "skip"},
    "identity.verified": {"pass", "warn", "fail", "unknown", "skip"},
    "services.s3_access_grants": {"pass", "warn", "fail"},
    "kernel.environment": {"pass", "fail"},
    "evidence.consistent": {"pass", "warn", "skip"},
}

STUDIO_UNKNOWN = {
    "studio.auth_mode": "unknown",
    "studio.tip_enabled": "unknown",
    "studio.space_private": "unknown",
    "studio.remote_access": "unknown",
    "identity.user_resolved": "unknown",
}
# CloudTrail has no decisive proof to weigh the readings against.
NO_PROOF = {"evidence.consistent": "skip"}
# CloudTrail verification turned off (API.md's fault semantics, without proof).
NO_CLOUDTRAIL = {"verify_with_cloudtrail": False}
UNVERIFIED = {"identity.verified": "skip", **NO_PROOF}
STUDIO_SKIP = {
    "studio.app_supported": "skip",
    "studio.region_supported": "skip",
    "studio.auth_mode": "skip",
    "studio.tip_enabled": "skip",
    "studio.space_private": "skip",
    "studio.remote_access": "skip",
    "identity.user_resolved": "skip",
}
# The space owner's user is unknown, so CloudTrail's user cannot be compared with it.
UNCOMPARED = {"identity.user_resolved": "unknown", "identity.verified": "warn"}


@dataclass(frozen=True)
class Case:
    id: str
    verdict: str
    # Every check that does not pass; the others must pass (unless exact=False).
    expect: dict[str, str]
    scenario: str = "happy"
    traits: dict[str, Any] = field(default_factory=dict)
    faults: tuple[tuple[str, str], ...] = ()
    # check id -> (IAM action, AWS error code or None when AWS gave no answer)
    unknown: dict[str, tuple[str, str | None]] = field(default_factory=dict)
    # The same for reads CloudTrail's proof settled (warn, read_status unknown).
    settled: dict[str, tuple[str, str | None]] = field(default_factory=dict)
    env: dict[str, str | None] = field(default_factory=dict)  # server environment changes
    metadata_drop: tuple[str, ...] = ()  # keys removed from the Studio metadata file
    kernel: str | None = None  # the report of a kernel of this kernelspec
    exact: bool = True
    extra: Callable[[dict[str, Any], dict[str, Any], Any], None] | None = None


def _fault_case(
    op: str, kind: str, expect: dict[str, str], verdict: str, checks: list[str], code: str | None
) -> Case:
    """A fault without CloudTrail verification (unless the fault is CloudTrail's own)."""
    traits: dict[str, Any] = {"aws_timeout": 0.5} if kind == "hang" else {}
    if op != LOOKUP:
        traits.update(NO_CLOUDTRAIL)
        expect = {**expect, **UNVERIFIED}
    return Case(
        f"{op.replace(':', '-')}-{kind}",
        verdict,
        expect,
        traits=traits,
        faults=((op, kind),),
        unknown=dict.fromkeys(checks, (op, code)),
    )


def _user_is_jdoe(report: dict[str, Any], studio: dict[str, Any], emulator: Any) -> None:
    expected = studio["expected"]
    user = report["user"]
    assert (user["user_id"], user["user_name"], user["email"]) == (
        expected["user_id"],
        "jdoe",
        "jdoe@example.com",
    ), user
    assert report["studio"]["identity_store_id"] == "d-1234567890", report["studio"]


def _no_cloudtrail_lookup(report: dict[str, Any], studio: dict[str, Any], emulator: Any) -> None:
    assert report["verification"]["status"] == "unavailable", report["verification"]
    assert report["user"]["provenance"] == "profile", report["user"]
    assert emulator.calls()["counts"].get(LOOKUP, 0) == 0


def _contradiction(check_id: str) -> Callable[[dict[str, Any], dict[str, Any], Any], None]:
    """The reading is settled by CloudTrail's proof and its disagreement is the cause."""

    def extra(report: dict[str, Any], studio: dict[str, Any], emulator: Any) -> None:
        settled = next(c for c in report["checks"] if c["id"] == check_id)
        assert (settled["read_status"], settled["settled_by"]) == ("fail", LOOKUP), settled
        assert report["cause"] == "evidence.consistent", report["cause"]
        (contradiction,) = report["evidence"]["contradictions"]
        assert contradiction["check"] == check_id and contradiction["likely_causes"]
        assert "Status to ENABLED" not in json.dumps(report["checks"]), explain(report)

    return extra


def _ignored(report: dict[str, Any], studio: dict[str, Any], emulator: Any) -> None:
    creds = report["credentials"]
    assert creds["overridden_by"] == [], creds
    assert {"AWS_SESSION_TOKEN", "AWS_ROLE_ARN", "AWS_PROFILE"} <= set(creds["ignored_variables"])
    env = next(c for c in report["checks"] if c["id"] == "kernel.environment")
    assert "change nothing" in env["detail"], env


def _overridden_by(*names: str) -> Callable[[dict[str, Any], dict[str, Any], Any], None]:
    def extra(report: dict[str, Any], studio: dict[str, Any], emulator: Any) -> None:
        assert report["credentials"]["overridden_by"] == list(names), report["credentials"]
        assert report["credentials"]["source"] == "env", report["credentials"]

    return extra


def _region_not_supported(report: dict[str, Any], studio: dict[str, Any], emulator: Any) -> None:
    assert (report["studio"]["region"], report["studio"]["region_supported"]) == (
        "us-east-1",
        False,
    )


def _region_unknown(report: dict[str, Any], studio: dict[str, Any], emulator: Any) -> None:
    assert (report["studio"]["region"], report["studio"]["region_supported"]) == (None, None)


def _resolution_unknown(code: str | None) -> Callable[[dict[str, Any], dict[str, Any], Any], None]:
    def extra(report: dict[str, Any], studio: dict[str, Any], emulator: Any) -> None:
        resolved = next(c for c in report["checks"] if c["id"] == "credentials.resolved")
        if code is not None:
            assert code in resolved["detail"], resolved

    return extra


CASES: list[Case] = [
    # ---- scenarios --------------------------------------------------------------------------
    Case("happy", "propagated", {}),
    Case(
        "no_credentials",
        "no_credentials",
        {
            "credentials.resolved": "fail",
            "credentials.valid": "skip",
            "credentials.expiry": "skip",
            "credentials.carrier": "skip",
            **STUDIO_UNKNOWN,
            "identity.verified": "skip",
            **NO_PROOF,
        },
        scenario="no_credentials",
    ),
    Case(
        "expired",
        "invalid_credentials",
        {
            "credentials.valid": "fail",
            "credentials.expiry": "fail",
            **STUDIO_UNKNOWN,
            "identity.verified": "skip",
            **NO_PROOF,
        },
        scenario="expired",
    ),
    Case("creds_expiring", "propagated", {"credentials.expiry": "warn"}, scenario="creds_expiring"),
    Case(
        "static_keys",
        "not_propagated",
        {"credentials.carrier": "fail", "identity.verified": "fail"},
        scenario="static_keys",
    ),
    Case(
        "profile_env",
        "not_propagated",
        {"credentials.carrier": "fail", "identity.verified": "fail"},
        scenario="profile_env",
    ),
    Case(
        "outside_studio",
        "outside_studio",
        # Outside Studio the session's only events are STS's: CloudTrail cannot decide.
        {"studio.detected": "skip", **STUDIO_SKIP, "identity.verified": "unknown", **NO_PROOF},
        scenario="outside_studio",
    ),
    Case(
        # A metadata file Studio did not write whole: not "outside Studio" but broken.
        "metadata-without-domain",
        "outside_studio",
        {"studio.detected": "fail", **STUDIO_SKIP, "identity.verified": "unknown", **NO_PROOF},
        metadata_drop=("DomainId",),
    ),
    Case(
        "region_unsupported",
        "not_propagated",
        {"studio.region_supported": "fail", "identity.verified": "fail"},
        scenario="region_unsupported",
    ),
    Case(
        "iam_auth",
        "not_propagated",
        {
            "studio.auth_mode": "fail",
            "studio.tip_enabled": "fail",
            "identity.user_resolved": "fail",
            "identity.verified": "fail",
            "services.s3_access_grants": "warn",
        },
        scenario="iam_auth",
    ),
    Case(
        "tip_domain_off",
        "not_propagated",
        {
            "studio.tip_enabled": "fail",
            "identity.verified": "fail",
            "services.s3_access_grants": "warn",
        },
        scenario="tip_domain_off",
    ),
    Case(
        "tip_app_stale",
        "not_propagated",
        {
            "studio.tip_enabled": "fail",
            "identity.verified": "fail",
            "services.s3_access_grants": "warn",
        },
        scenario="tip_app_stale",
    ),
    Case(
        "shared_space",
        "not_propagated",
        {"studio.space_private": "fail", "identity.verified": "fail"},
        scenario="shared_space",
    ),
    Case(
        "remote_access",
        "not_propagated",
        {"studio.remote_access": "fail", "identity.verified": "fail"},
        scenario="remote_access",
    ),
    Case(
        "ct_pending",
        "propagated",
        {"identity.verified": "warn", **NO_PROOF},
        scenario="ct_pending",
    ),
    Case("ct_mismatch", "not_propagated", {"identity.verified": "fail"}, scenario="ct_mismatch"),
    Case(
        "ct_other_store",
        "not_propagated",
        {"identity.verified": "fail"},
        scenario="ct_other_store",
    ),
    # Every reading says "on", CloudTrail proves nobody: the disagreement is a finding.
    Case(
        "ct_absent",
        "not_propagated",
        {"identity.verified": "fail", "evidence.consistent": "warn"},
        scenario="ct_absent",
    ),
    Case(
        "ct_unattributed",
        "unknown",
        {
            "studio.auth_mode": "unknown",
            "studio.tip_enabled": "unknown",
            "studio.space_private": "unknown",
            "studio.remote_access": "unknown",
            "identity.user_resolved": "unknown",
            "identity.verified": "unknown",
            **NO_PROOF,
        },
        scenario="ct_unattributed",
        exact=False,
    ),
    Case(
        "ct_denied",
        "propagated",
        {"identity.verified": "unknown", **NO_PROOF},
        scenario="ct_denied",
        unknown={"identity.verified": (LOOKUP, DENIED_JSON)},
    ),
    Case(
        "identitystore_denied",
        "propagated",
        UNCOMPARED,
        scenario="identitystore_denied",
        unknown={"identity.user_resolved": (GET_USER_ID, DENIED_JSON)},
    ),
    # CloudTrail proves the session acts for the owner: the denied read is settled by it.
    Case(
        "describe_space_denied",
        "propagated",
        {
            "studio.space_private": "warn",
            "studio.remote_access": "warn",
            "identity.user_resolved": "unknown",
            "identity.verified": "warn",
        },
        scenario="describe_space_denied",
        unknown={"identity.user_resolved": (SPACE, DENIED_JSON)},
        settled={
            "studio.space_private": (SPACE, DENIED_JSON),
            "studio.remote_access": (SPACE, DENIED_JSON),
        },
    ),
    # ---- readings that contradict CloudTrail's proof (issue 12) --------------------------
    *(
        Case(
            scenario,
            "propagated",
            {"studio.tip_enabled": "warn", "evidence.consistent": "warn"},
            scenario=scenario,
            extra=_contradiction("studio.tip_enabled"),
        )
        for scenario in ("tip_read_missing", "tip_read_contradicts")
    ),
    Case(
        "tip_domain_off_app_on",
        "propagated",
        {"studio.tip_enabled": "warn"},
        scenario="tip_domain_off_app_on",
    ),
    Case(
        "studio_classic",
        "not_propagated",
        {
            "studio.app_supported": "fail",
            "studio.space_private": "fail",
            "studio.remote_access": "skip",
            "identity.verified": "fail",
            "services.s3_access_grants": "warn",
        },
        scenario="studio_classic",
    ),
    Case(
        "unified_studio",
        "not_propagated",
        {"studio.app_supported": "unknown", "identity.verified": "fail"},
        scenario="unified_studio",
    ),
    Case(
        "ic_other_region",
        "not_propagated",
        {"studio.region_supported": "fail", "identity.verified": "fail"},
        scenario="ic_other_region",
    ),
    Case(
        "DescribeDomain-denied-settled-by-proof",
        "propagated",
        {"studio.auth_mode": "warn", **UNCOMPARED},
        faults=((DOMAIN, "denied"),),
        unknown={"identity.user_resolved": (DOMAIN, DENIED_JSON)},
        settled={"studio.auth_mode": (DOMAIN, DENIED_JSON)},
    ),
    Case(
        "DescribeApp-denied-settled-by-proof",
        "propagated",
        {"studio.tip_enabled": "warn"},
        faults=((APP, "denied"),),
        settled={"studio.tip_enabled": (APP, DENIED_JSON)},
    ),
    Case(
        "sts_throttled",
        "unknown",
        {"credentials.valid": "unknown"},
        scenario="sts_throttled",
        unknown={"credentials.valid": (STS, THROTTLED_STS)},
    ),
    # ---- sts:GetCallerIdentity ---------------------------------------------------------------
    *(
        _fault_case(
            STS, kind, {"credentials.valid": "unknown"}, "unknown", ["credentials.valid"], code
        )
        for kind, code in (
            ("denied", DENIED_STS),
            ("5xx", INTERNAL),
            ("hang", None),
            ("malformed", None),
            ("refused", None),
        )
    ),
    Case(
        "sts-GetCallerIdentity-expired",
        "invalid_credentials",
        {"credentials.valid": "fail"},
        faults=((STS, "expired"),),
        extra=lambda r, s, e: _assert_error_code(r, "credentials.valid", "ExpiredToken"),
    ),
    # ---- sagemaker:DescribeDomain ------------------------------------------------------------
    *(
        _fault_case(
            DOMAIN,
            kind,
            # The running app's ENABLED status decides TIP; AuthMode needs the domain.
            {"studio.auth_mode": "unknown", "identity.user_resolved": "unknown"},
            "unknown",
            ["studio.auth_mode", "identity.user_resolved"],
            code,
        )
        for kind, code in (
            ("denied", DENIED_JSON),
            ("throttle", THROTTLED_JSON),
            ("5xx", INTERNAL),
            ("hang", None),
            ("refused", None),
            # A garbage answer is no answer: it must not read as "AuthMode not set".
            ("malformed", None),
        )
    ),
    # ---- sagemaker:DescribeSpace / DescribeApp / DescribeUserProfile -------------------------
    *(
        _fault_case(
            SPACE,
            kind,
            # The space names its owner, whose user cannot be looked up then.
            {
                "studio.space_private": "unknown",
                "studio.remote_access": "unknown",
                "identity.user_resolved": "unknown",
            },
            "unknown",
            ["studio.space_private", "studio.remote_access", "identity.user_resolved"],
            code,
        )
        for kind, code in (("throttle", THROTTLED_JSON), ("malformed", None))
    ),
    *(
        _fault_case(
            APP, kind, {"studio.tip_enabled": "unknown"}, "unknown", ["studio.tip_enabled"], code
        )
        for kind, code in (("denied", DENIED_JSON), ("malformed", None))
    ),
    _fault_case(
        PROFILE, "denied", UNCOMPARED, "propagated", ["identity.user_resolved"], DENIED_JSON
    ),
    # ---- IAM Identity Center -----------------------------------------------------------------
    _fault_case(SSO, "denied", UNCOMPARED, "propagated", ["identity.user_resolved"], DENIED_JSON),
    Case(
        "identity_store_id-trait-with-sso-denied",
        "propagated",
        {},
        traits={"identity_store_id": "d-1234567890"},
        faults=((SSO, "denied"),),
        extra=_user_is_jdoe,
    ),
    _fault_case(GET_USER_ID, "5xx", UNCOMPARED, "propagated", ["identity.user_resolved"], INTERNAL),
    _fault_case(
        DESCRIBE_USER, "denied", UNCOMPARED, "propagated", ["identity.user_resolved"], DENIED_JSON
    ),
    # ---- cloudtrail:LookupEvents -------------------------------------------------------------
    *(
        _fault_case(
            LOOKUP,
            kind,
            {"identity.verified": "unknown", **NO_PROOF},
            "propagated",
            ["identity.verified"],
            code,
        )
        for kind, code in (
            ("throttle", THROTTLED_JSON),
            ("5xx", INTERNAL),
            ("hang", None),
            ("malformed", None),
        )
    ),
    # ---- container credentials endpoint ------------------------------------------------------
    # A throttled or hung credentials endpoint is a call that could not be evaluated: unknown,
    # in a 200 report, within the deadline; not "no credentials".
    Case(
        "container-GetCredentials-throttle",
        "unknown",
        {"credentials.resolved": "unknown"},
        faults=((CONTAINER, "throttle"),),
        exact=False,
        extra=_resolution_unknown(THROTTLED_JSON),
    ),
    Case(
        "container-GetCredentials-hang",
        "unknown",
        {"credentials.resolved": "unknown"},
        faults=((CONTAINER, "hang"),),
        exact=False,
    ),
    # ---- traits ------------------------------------------------------------------------------
    Case(
        "verify_with_cloudtrail-off",
        "propagated",
        UNVERIFIED,
        traits={"verify_with_cloudtrail": False},
        extra=_no_cloudtrail_lookup,
    ),
    # A list of regions older than AWS's: CloudTrail's proof in this region outranks it.
    Case(
        "supported_regions-trait",
        "propagated",
        {"studio.region_supported": "warn", "evidence.consistent": "warn"},
        traits={"supported_regions": ["eu-west-1", "ap-south-1"]},
        extra=_region_not_supported,
    ),
    Case(
        "supported_regions-trait-unverified",
        "not_propagated",
        {"studio.region_supported": "fail", **UNVERIFIED},
        traits={"supported_regions": ["eu-west-1", "ap-south-1"], **NO_CLOUDTRAIL},
        extra=_region_not_supported,
    ),
    Case(
        "expiry_warning-trait-warns",
        "propagated",
        {"credentials.expiry": "warn"},
        traits={"expiry_warning": 7200},
    ),
    Case(
        "expiry_warning-trait-quiet",
        "propagated",
        {},
        scenario="creds_expiring",
        traits={"expiry_warning": 60},
    ),
    # ---- server environment and metadata -----------------------------------------------------
    Case(
        "no-region",
        "unknown",
        {"studio.region_supported": "unknown"},
        env={"AWS_REGION": None, "AWS_DEFAULT_REGION": None},
        metadata_drop=("ResourceArn",),
        exact=False,
        extra=_region_unknown,
    ),
    Case(
        "s3-access-grants-plugin-missing",
        "propagated",
        {"services.s3_access_grants": "fail"},
        env={"BOTOCORE_EXPERIMENTAL__PLUGINS": "S3AccessGrantsPlugin=no_such_module_4711.plugin"},
    ),
    # ---- kernel reports ----------------------------------------------------------------------
    Case("kernel-python3", "propagated", {}, kernel="python3"),
    # AWS_* variables botocore ignores there: the kernel keeps the space's credentials.
    Case("kernel-harmless-aws", "propagated", {}, kernel="python3-harmless-aws", extra=_ignored),
    Case(
        "kernel-static-keys",
        "not_propagated",
        {
            "credentials.carrier": "fail",
            "credentials.expiry": "pass",
            # Not the space's session: CloudTrail is asked only on an explicit check.
            "identity.verified": "skip",
            "kernel.environment": "fail",
            **NO_PROOF,
        },
        kernel="python3-static-keys",
        extra=_overridden_by("AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY"),
    ),
    Case(
        "kernel-aws-profile",
        "not_propagated",
        {
            "credentials.carrier": "fail",
            # Another role's session: CloudTrail is asked only on an explicit check.
            "identity.verified": "skip",
            "kernel.environment": "fail",
            **NO_PROOF,
        },
        kernel="python3-aws-profile",
    ),
]


def _assert_error_code(report: dict[str, Any], check_id: str, code: str) -> None:
    c = next(c for c in report["checks"] if c["id"] == check_id)
    assert c["error_code"] == code and code in c["detail"], c


def _param(case: Case) -> Any:
    marks = [pytest.mark.scenario(case.scenario)]
    if case.traits:
        marks.append(pytest.mark.traits(**case.traits))
    return pytest.param(case, marks=marks, id=case.id)


# ---- the table itself ----------------------------------------------------------------------


def test_case_ids_are_unique():
    ids = [c.id for c in CASES]
    assert len(ids) == len(set(ids))


def test_every_reachable_status_of_every_check_is_produced():
    assert set(REACHABLE) == set(KERNEL_CHECK_IDS)
    produced: dict[str, set[str]] = {check_id: set() for check_id in REACHABLE}
    for case in CASES:
        ids = KERNEL_CHECK_IDS if case.kernel else SERVER_CHECK_IDS
        for check_id in ids:
            produced[check_id].add(case.expect.get(check_id, "pass" if case.exact else "?"))
        assert set(case.unknown) <= {k for k, v in case.expect.items() if v == "unknown"}
        assert set(case.settled) <= {k for k, v in case.expect.items() if v == "warn"}
    for check_id, wanted in REACHABLE.items():
        assert wanted <= produced[check_id], (check_id, wanted - produced[check_id])


def test_every_verdict_is_produced():
    assert {case.verdict for case in CASES} == VERDICTS


def test_every_fault_kind_is_exercised():
    kinds = {kind for case in CASES for _, kind in case.faults}
    assert kinds >= {"denied", "throttle", "5xx", "hang", "malformed", "refused", "expired"}


# ---- the cases -----------------------------------------------------------------------------


@pytest.fixture
def case(request: pytest.FixtureRequest) -> Case:
    return request.param


@pytest.fixture
def jp_server_config(jp_server_config, case: Case, studio, monkeypatch, tmp_path):
    """Applies a case's server environment and metadata before the server starts."""
    for name, value in case.env.items():
        if value is None:
            monkeypatch.delenv(name, raising=False)
        else:
            monkeypatch.setenv(name, value)
    if case.metadata_drop:
        with open(studio["metadata_path"], encoding="utf-8") as f:
            metadata = json.load(f)
        for key in case.metadata_drop:
            metadata.pop(key, None)
        path = tmp_path / "resource-metadata.json"
        path.write_text(json.dumps(metadata), encoding="utf-8")
        jp_server_config["TrustedIdentity"]["metadata_path"] = str(path)
    return jp_server_config


@pytest.mark.parametrize("case", [_param(c) for c in CASES], indirect=True)
async def test_check_statuses(case: Case, api, studio, emulator, start_kernel, traits):
    for operation, kind in case.faults:
        emulator.fault(operation, kind, hang_seconds=30 if kind == "hang" else None)

    started = time.monotonic()
    if case.kernel:
        kernel_id = await start_kernel(case.kernel, path="checks.ipynb")
        status, report = await api(f"kernels/{kernel_id}")
    else:
        # An explicit check bypasses every cache, so the faults apply to every call.
        status, report = await api("identity/check", "POST")
    elapsed = time.monotonic() - started

    assert status == 200, report
    assert elapsed < traits["check_deadline"] + 1, f"report took {elapsed:.2f} s"
    assert_report_shape(report, kernel=bool(case.kernel))
    assert report["verdict"] == case.verdict, explain(report)

    got = statuses(report)
    if case.exact:
        want = {c: case.expect.get(c, "pass") for c in got}
        assert got == want, explain(report)
    else:
        for check_id, status_ in case.expect.items():
            assert got[check_id] == status_, explain(report)

    by_id = {c["id"]: c for c in report["checks"]}
    for check_id, (action, code) in case.unknown.items():
        assert_unknown_names_call(by_id[check_id], action, code)
    for check_id, (action, code) in case.settled.items():
        settled = by_id[check_id]
        assert (settled["status"], settled["read_status"]) == ("warn", "unknown"), settled
        assert settled["settled_by"] == LOOKUP and "settles it" in settled["detail"], settled
        assert_unknown_names_call({**settled, "status": "unknown"}, action, code)
    if case.extra is not None:
        case.extra(report, studio, emulator)

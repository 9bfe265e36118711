"""The report's shape, as the engine writes it and docs/rest-api.yml documents it (API.md's fields
are binding: add freely, rename or drop nothing). One TypedDict per object of the report; the
names follow src/types.ts without its `I` (IReportUser → ReportUser), so the three descriptions
of one object are easy to hold side by side. tests/test_report_types.py compares these with
docs/rest-api.yml and with reports the engine builds.

`NotRequired` marks a key some reports leave out (a server report's scope has no kernel fields);
every other key is always present, with None where the fact is unknown.
"""

from typing import Literal, NotRequired, TypedDict

Verdict = Literal[
    "propagated",
    "not_propagated",
    "unknown",
    "no_credentials",
    "invalid_credentials",
    "outside_studio",
]
CheckId = Literal[
    "credentials.resolved",
    "credentials.valid",
    "credentials.expiry",
    "credentials.carrier",
    "studio.detected",
    "studio.region_supported",
    "studio.auth_mode",
    "studio.tip_enabled",
    "studio.space_private",
    "studio.remote_access",
    "identity.user_resolved",
    "identity.verified",
    "services.s3_access_grants",
    "kernel.environment",
    "studio.app_supported",
    "evidence.consistent",
    "audit.forwarding",
]
CheckStatus = Literal["pass", "warn", "fail", "unknown", "skip"]
CheckGroup = Literal["evidence", "credentials", "studio", "identity", "services", "kernel", "audit"]
EvidenceTier = Literal["proof", "credentials", "configuration", "local"]
Provenance = Literal["cloudtrail", "profile", "none"]
VerificationStatus = Literal[
    "verified", "mismatch", "absent", "pending", "inconclusive", "unavailable"
]
DecisiveStatus = Literal["verified", "mismatch", "absent"]
CredentialsProblem = Literal["no_credentials", "expired", "error"]
ExplicitCheckResult = Literal["performed", "rate_limited"]
FactsKept = Literal["app_lifetime", "cache_ttl"]
ScopeKind = Literal["server", "kernel"]
# Where a scope's environment was read: the server's own, /proc/<pid>/environ, the kernelspec.
EnvironmentSource = Literal["server", "process", "kernelspec"]


class ReportScope(TypedDict):
    kind: ScopeKind
    # Kernel reports only.
    kernel_id: NotRequired[str | None]
    kernel_name: NotRequired[str | None]
    session_path: NotRequired[str | None]
    launched_at: NotRequired[str | None]  # milliseconds: two restarts within a second differ
    launch: NotRequired[int | None]  # starts and restarts the server counted: 1 for the first
    environment_source: NotRequired[EnvironmentSource]


class ReportUser(TypedDict):
    user_id: str | None
    user_name: str | None
    display_name: str | None
    email: str | None
    identity_store_arn: str | None
    # Derived once by the server (engine/names.py), so no client parses or picks again.
    identity_store_id: str | None
    shown_name: str | None
    short_name: str | None
    provenance: Provenance
    # The IAM action of the first-hand proof that the session acts for this user
    # (cloudtrail:LookupEvents, s3:GetDataAccess), None while only configuration names them.
    proven_by: str | None


class ReportRole(TypedDict):
    caller_arn: str | None
    account: str | None
    role_arn: str | None
    role_name: str | None
    execution_role_name: str | None
    session_name: str | None
    execution_role_arn: str | None
    sources: dict[str, str]  # fact name → where it was read


class ReportCredentials(TypedDict):
    source: str | None  # botocore's provider name: container-role, env, assume-role...
    access_key_id: str | None  # masked
    expires_at: str | None
    overridden_by: list[str]
    ignored_variables: list[str]
    resolved_at: str | None
    problem: CredentialsProblem | None
    detail: str | None


class ReportStudio(TypedDict):
    domain_id: str | None
    domain_name: str | None
    space_name: str | None
    user_profile_name: str | None
    app_type: str | None
    app_name: str | None
    region: str | None
    owner_user_profile_name: str | None
    sso_user_value: str | None
    identity_store_id: str | None
    identity_center_regions: list[str] | None
    tip_image_flag: str | None
    datazone_project_id: str | None
    tip_domain: str | None
    tip_app: str | None
    sharing_type: str | None
    remote_access: str | None
    auth_mode: str | None
    region_supported: bool | None
    detected: bool
    unified_studio: bool
    identity_store_path: list[str]
    missing: dict[str, str]  # fact name → the sentence saying AWS's answer lacked it
    sources: dict[str, str]  # fact name → where it was read


class VerificationFacts(TypedDict):
    """What a CloudTrail lookup established: a verification's fields but its status."""

    user_id: str | None
    identity_store_arn: str | None
    event_name: str | None
    event_source: str | None
    event_time: str | None
    event_id: str | None
    events_seen: int
    sources_seen: list[str]
    expected_user_id: str | None
    expected_identity_store_arn: str | None
    detail: str | None
    looked_up_at: str | None
    next_lookup_at: str | None


class ReportVerification(VerificationFacts):
    status: VerificationStatus


class ReportCheck(TypedDict):
    id: CheckId
    status: CheckStatus
    required: bool
    title: str
    detail: str
    remediation: str
    doc_url: str
    iam_action: str | None
    error_code: str | None
    settled_by: str | None
    read_status: CheckStatus | None
    contradictions: list[str]
    group: CheckGroup
    evidence: EvidenceTier | None


class EvidenceRank(TypedDict):
    tier: EvidenceTier
    description: str


class EvidenceProof(VerificationFacts):
    """A decisive verification (the fields of ReportVerification), named by its source."""

    source: str  # cloudtrail:LookupEvents, or s3:GetDataAccess (a Test access's grantee)
    status: DecisiveStatus


class EvidenceContradiction(TypedDict):
    check: str
    read_status: CheckStatus
    likely_causes: list[str]


class ReportEvidence(TypedDict):
    ranking: list[EvidenceRank]
    proof: EvidenceProof | None
    contradictions: list[EvidenceContradiction]


# A connected service's IAM Identity Center integration, as read from the space.
IntegrationState = Literal["ready", "not_configured", "other_instance", "unknown"]
GrantsState = Literal["listed", "none", "unknown"]
# An Identity Center-enabled resource of a service: an Athena workgroup, a Redshift Identity
# Center application, an EMR security configuration.
ResourceKind = Literal["workgroup", "idc_application", "security_configuration"]
ResourceState = Literal[
    "ready", "other_instance"
]  # on the domain's Identity Center instance or not


class IntegrationResource(TypedDict):
    kind: ResourceKind
    name: str
    identity_center_instance_arn: str | None
    state: ResourceState


class ServiceRead(TypedDict):
    """What the panel says of one read of a service (its integration, the grants): the server's
    words, and the IAM action to allow when it could not be told."""

    title: str
    detail: str
    remediation: str | None
    doc_url: str
    iam_action: str | None  # the action that failed (unknown), or None
    error_code: str | None


class ServiceIntegration(ServiceRead):
    state: IntegrationState
    instance_arn: str | None  # the service's own resource (the S3 Access Grants instance)
    identity_center_instance_arn: str | None  # the Identity Center instance it is on
    expected_identity_center_instance_arn: str | None  # the domain's
    application_arn: str | None  # the service's own Identity Center application, if it has one
    resources: list[IntegrationResource]  # those on the domain's instance first
    truncated: bool  # more were listed than read


class AccessGrant(TypedDict):
    scope: str
    permission: str
    application_arn: str | None
    instance_arn: str | None


class ServiceGrants(ServiceRead):
    state: GrantsState
    grants: list[AccessGrant]
    count: int | None  # None: not listed
    truncated: bool  # more pages than the engine reads


class ConnectedService(TypedDict):
    id: str
    name: str
    ready: bool | None
    detail: str
    integration: ServiceIntegration | None  # None: not read from the space
    grants: ServiceGrants | None  # S3 Access Grants only: the grants that apply to the caller


class ExplicitCheckJson(TypedDict):
    explicit_check: ExplicitCheckResult | None
    retry_after_seconds: int | None


class ReportBudget(ExplicitCheckJson):
    throttled: list[str]
    facts_kept: FactsKept


class Report(TypedDict):
    schema_version: Literal[1]  # engine/report.py's SCHEMA_VERSION
    generated_at: str | None
    scope: ReportScope
    verdict: Verdict
    summary: str
    cause: str | None  # the id of the check that explains the verdict
    user: ReportUser
    role: ReportRole
    credentials: ReportCredentials
    studio: ReportStudio
    verification: ReportVerification
    evidence: ReportEvidence
    checks: list[ReportCheck]
    connected_services: list[ConnectedService]
    budget: ReportBudget
    complete: bool  # False when the check deadline cut some calls short
    duration_ms: float


# ---- Test access (POST trusted-identity/access-test): not part of a report -------------------------

AccessPermission = Literal["READ", "WRITE", "READWRITE"]
AccessTestStatus = Literal["allowed", "denied", "unknown"]
GranteeType = Literal["DIRECTORY_USER", "DIRECTORY_GROUP", "IAM"]


class AccessGrantee(TypedDict):
    type: GranteeType
    identifier: str


class AccessTestResult(TypedDict):
    target: str
    permission: AccessPermission
    status: AccessTestStatus
    matched_grant_target: str | None
    grantee: AccessGrantee | None
    # The grantee is DIRECTORY_USER and the space owner's user (None: not known, or no grantee).
    grantee_is_expected_user: bool | None
    title: str
    detail: str
    remediation: str
    iam_action: str | None
    error_code: str | None
    doc_url: str
    checked_at: str  # ISO 8601, UTC, Z

"""Everything established for one report, filled in as the AWS calls return.

A field still `PENDING` when the deadline strikes is settled as a deadline failure, so the report
says which call did not finish instead of waiting for it.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from . import access_grants, integrations, studio
from . import outcome as kinds
from .budget import ExplicitCheck
from .cloudtrail import ACTION as LOOKUP_EVENTS
from .cloudtrail import Verification
from .credentials import ERROR, Comparison, ResolvedCredentials
from .grantee_proof import GranteeProof
from .metadata import StudioMetadata
from .outcome import Failure, Outcome
from .readings import ModelKnows, Reading, knows_every_member, read
from .scope import Scope
from .services import S3AccessGrants

# What the image itself says about the app (Studio and SageMaker Distribution set these in the
# server's environment): local hints, never proof. TIP's variable is misspelt by the image.
TIP_HINT = "TRUSTED_IDENTITY_PROPOGATION_ENABLED"
SPACE_TYPE_HINT = "SAGEMAKER_SPACE_TYPE_LOWERCASE"
APP_TYPE_HINT = "SAGEMAKER_APP_TYPE"
HINT_VARIABLES = (TIP_HINT, SPACE_TYPE_HINT, APP_TYPE_HINT)


class _Pending:
    def __repr__(self) -> str:
        return "PENDING"


PENDING: Any = _Pending()

# The call each outcome field waits for, named in the deadline failure.
_ACTIONS = {
    "caller": "sts:GetCallerIdentity",
    "domain": studio.DESCRIBE_DOMAIN,
    "space": studio.DESCRIBE_SPACE,
    "profile": studio.DESCRIBE_USER_PROFILE,
    "app": studio.DESCRIBE_APP,
    "identity_store": studio.DESCRIBE_APPLICATION,
    "user": "identitystore:GetUserId",
    "actual_user": "identitystore:DescribeUser",
    "access_grants_instance": access_grants.GET_INSTANCE,
    "caller_grants": access_grants.LIST_CALLER_GRANTS,
    "athena_workgroups": integrations.LIST_WORKGROUPS,
    "athena_integration": integrations.GET_WORKGROUP,
    "lake_formation_integration": integrations.DESCRIBE_LAKE_FORMATION,
    "redshift_integration": integrations.DESCRIBE_REDSHIFT_APPLICATIONS,
    "glue_integration": integrations.GET_GLUE_CONFIGURATION,
    "emr_security_configurations": integrations.LIST_SECURITY_CONFIGURATIONS,
    "emr_integration": integrations.DESCRIBE_SECURITY_CONFIGURATION,
}
# The report's connected service id → the fact holding its integration's read.
INTEGRATION_FACTS = {
    "athena": "athena_integration",
    "lake-formation": "lake_formation_integration",
    "redshift-data": "redshift_integration",
    "glue": "glue_integration",
    "emr-ec2": "emr_integration",
}


@dataclass
class Facts:
    scope: Scope
    now: datetime
    metadata: StudioMetadata | None = None
    metadata_error: str | None = None
    region: str | None = None
    region_source: str | None = None
    # The region variables when they disagree with the domain's region (from the metadata).
    region_conflict: str | None = None
    # Local hints of the image (HINT_VARIABLES found in the server's environment).
    hints: Mapping[str, str] = field(default_factory=dict)
    # Whether the loaded botocore models know a response member (see readings.py).
    model_knows: ModelKnows = knows_every_member
    # The scope's credentials and those of the space (the server's), which read Studio facts.
    credentials: ResolvedCredentials = PENDING
    server_credentials: ResolvedCredentials = PENDING
    # How the scope's credentials relate to the space's: decided by botocore's resolution.
    comparison: Comparison | None = None
    # Outcomes: None when not applicable (outside Studio, no credentials, IAM domain...).
    caller: Outcome[dict[str, Any]] | None = PENDING
    # Set when `caller` is STS's answer for an earlier key of the same container credentials
    # (rotated since): the key STS was asked for.
    caller_answered_for: str | None = None
    domain: Outcome[dict[str, Any]] | None = PENDING
    space: Outcome[dict[str, Any]] | None = PENDING
    profile_name: str | None = None
    profile_name_source: str | None = None
    profile: Outcome[dict[str, Any]] | None = PENDING
    app: Outcome[dict[str, Any]] | None = PENDING
    identity_store: Outcome[dict[str, str]] | None = PENDING
    # The space owner's Identity Center user, and why it is unknown when it is.
    user: Outcome[dict[str, Any]] | None = PENDING
    user_absent_reason: str | None = None
    verification: Verification = PENDING
    # The user CloudTrail names when it is not the expected one (or none was expected).
    actual_user: Outcome[dict[str, Any]] | None = None
    s3_access_grants: S3AccessGrants | None = None
    # The domain's IAM Identity Center instance ARN (its application's InstanceArn), or why it
    # is not known; None: no read names it (IAM domain, configured identity store).
    identity_center_instance: Outcome[str] | None = None
    # S3 Access Grants as the space's session reads it (None: not read, outside Studio;
    # PENDING while the gathering reads it).
    access_grants_instance: Outcome[dict[str, Any]] | None = None
    caller_grants: Outcome[dict[str, Any]] | None = None
    # The other TIP-aware services' Identity Center integrations (integrations.py), read like S3
    # Access Grants; Athena and EMR list their resources first (the names), then describe them.
    athena_workgroups: Outcome[dict[str, Any]] | None = None
    athena_integration: Outcome[dict[str, Any]] | None = None
    lake_formation_integration: Outcome[dict[str, Any]] | None = None
    redshift_integration: Outcome[dict[str, Any]] | None = None
    glue_integration: Outcome[dict[str, Any]] | None = None
    emr_security_configurations: Outcome[dict[str, Any]] | None = None
    emr_integration: Outcome[dict[str, Any]] | None = None
    # What a Test access proved of this session (its grantee), set when the report is built.
    grantee_proof: GranteeProof | None = None
    # What became of an explicit check (None: the report was not asked for as one).
    explicit_check: ExplicitCheck | None = None
    # IAM actions AWS throttled recently: the engine asks less often meanwhile.
    throttled: Sequence[str] = ()

    def _waiting_for(self, name: str) -> str:
        """The call a pending field is actually stuck on: the user waits on a chain."""
        chain = {
            "profile": ["space", "profile"],
            "identity_store": ["domain", "identity_store"],
            "user": ["space", "profile", "domain", "identity_store", "user"],
            "athena_integration": ["athena_workgroups", "athena_integration"],
            "emr_integration": ["emr_security_configurations", "emr_integration"],
        }.get(name, [name])
        for step in chain:
            if step == "space" and self.profile_name is not None:
                continue  # the profile's name came from the metadata, not from the space
            if getattr(self, step) is PENDING:
                return _ACTIONS[step]
        return _ACTIONS[name]

    def settle(self) -> None:
        """Replaces what did not arrive before the deadline by deadline failures."""
        actions = {name: self._waiting_for(name) for name in _ACTIONS}
        for name, action in actions.items():
            if getattr(self, name) is PENDING:
                setattr(self, name, Outcome.failed(Failure(kinds.DEADLINE, action)))
        for name in ("credentials", "server_credentials"):
            if getattr(self, name) is PENDING:
                setattr(
                    self,
                    name,
                    ResolvedCredentials(
                        source=None,
                        problem=ERROR,
                        detail="resolving the credentials did not finish within the check deadline",
                    ),
                )
        if self.verification is PENDING:
            self.verification = Verification.unavailable(Failure(kinds.DEADLINE, LOOKUP_EVENTS))

    @property
    def in_studio(self) -> bool:
        return self.metadata is not None

    @property
    def overridden_by(self) -> Sequence[str]:
        return self.comparison.overriding if self.comparison is not None else ()

    def read(self, name: str, action: str, *path: str) -> Reading:
        """A field of one of the outcomes (`domain`, `space`, `app`...), with its presence."""
        return read(getattr(self, name), action, path, self.model_knows)

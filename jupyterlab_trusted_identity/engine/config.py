"""Settings of the engine, filled from the `TrustedIdentity` traits by the server extension."""

from __future__ import annotations

from dataclasses import dataclass

from .regions import SUPPORTED_REGIONS


@dataclass(frozen=True)
class EngineConfig:
    metadata_path: str = "/opt/ml/metadata/resource-metadata.json"
    # None: the metadata's ResourceArn (the domain's region), else AWS_REGION, else AWS_DEFAULT_REGION.
    region: str | None = None
    supported_regions: tuple[str, ...] = SUPPORTED_REGIONS
    identity_store_id: str | None = None
    verify_with_cloudtrail: bool = True
    aws_timeout: float = 5.0
    check_deadline: float = 10.0
    cache_ttl: float = 300.0
    expiry_warning: float = 900.0
    # Credentials are re-read at least this often, so rotated keys are seen without a restart.
    credentials_recheck: float = 60.0
    # Failed AWS calls are retried after this long at the earliest (explicit checks bypass it).
    failure_ttl: float = 30.0
    # CloudTrail delivers events minutes late: a pending verification is retried after this.
    pending_ttl: float = 60.0

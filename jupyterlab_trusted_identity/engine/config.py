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
    # Facts Studio applies only when an app starts (domain, space, app, profile, user): 0 reads
    # them once per app start (this server's life) and on an explicit check; a positive value
    # re-reads them that often (seconds).
    cache_ttl: float = 0.0
    expiry_warning: float = 900.0
    # Credentials are re-read at least this often, so rotated keys are seen without a restart.
    credentials_recheck: float = 60.0
    # A failed AWS call is asked again after this long, doubling with each failure in a row up to
    # failure_backoff_max (four times longer when AWS throttles); explicit checks ask at once.
    failure_ttl: float = 30.0
    failure_backoff_max: float = 1800.0
    # How late CloudTrail is assumed to deliver events until a delay has been measured: a pending
    # verification is asked again after this, then at doubling intervals (see delivery.py).
    cloudtrail_delivery: float = 900.0
    # Where the measured delivery delay is kept across app restarts (None: not kept).
    state_path: str | None = None
    # Every scheduled interval is lengthened by up to this fraction of itself, at random.
    jitter: float = 0.2
    # The server's first report (warm-up) waits up to this long after start, at random.
    start_jitter: float = 30.0
    # Explicit checks: this many at once, then one per interval (seconds); beyond, the report is
    # served from what is known, saying when the next check is possible.
    explicit_check_burst: int = 10
    explicit_check_interval: float = 30.0

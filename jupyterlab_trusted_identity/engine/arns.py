"""Reading the parts of ARNs the report shows."""

from __future__ import annotations


def _resource(arn: str | None) -> tuple[str | None, str]:
    """(account, resource) of `arn:partition:service:region:account:resource`."""
    parts = (arn or "").split(":", 5)
    if len(parts) != 6 or parts[0] != "arn":
        return None, ""
    return parts[4] or None, parts[5]


def role_name_of(caller_arn: str | None) -> str | None:
    """`…:assumed-role/SageMakerExec/SageMaker` → `SageMakerExec`; `…:role/path/Name` → `Name`."""
    _, resource = _resource(caller_arn)
    kind, _, rest = resource.partition("/")
    if kind == "assumed-role" and rest:
        return rest.split("/", 1)[0]
    if kind == "role" and rest:
        return rest.rsplit("/", 1)[-1]
    return None


def session_name_of(caller_arn: str | None) -> str | None:
    _, resource = _resource(caller_arn)
    kind, _, rest = resource.partition("/")
    if kind == "assumed-role" and "/" in rest:
        return rest.split("/", 1)[1]
    return None


def role_arn_of(caller_arn: str | None) -> str | None:
    """The IAM role ARN behind an assumed-role session ARN (the role's path is not in it)."""
    account, _ = _resource(caller_arn)
    name = role_name_of(caller_arn)
    if not (account and name):
        return None
    partition = (caller_arn or "").split(":")[1]
    if ":assumed-role/" in (caller_arn or ""):
        return f"arn:{partition}:iam::{account}:role/{name}"
    return caller_arn


def account_of(arn: str | None) -> str | None:
    return _resource(arn)[0]


def region_of(arn: str | None) -> str | None:
    """`arn:aws:sagemaker:us-east-1:111122223333:app/...` → `us-east-1`."""
    parts = (arn or "").split(":", 5)
    return parts[3] or None if len(parts) == 6 and parts[0] == "arn" else None


def app_of(arn: str | None) -> tuple[str, str, str, str] | None:
    """(domain, space or user profile, app type, app name) of a SageMaker app ARN
    `…:app/<domain>/<space or profile>/<AppType>/<name>`."""
    _, resource = _resource(arn)
    segments = resource.split("/")
    if len(segments) != 5 or segments[0] != "app":
        return None
    return segments[1], segments[2], segments[3], segments[4]


def last_segment(arn: str | None) -> str | None:
    """`arn:aws:identitystore::111122223333:identitystore/d-1234567890` → `d-1234567890`."""
    _, resource = _resource(arn)
    return resource.rsplit("/", 1)[-1] or None if resource else None


def instance_of_application(arn: str | None) -> str | None:
    """The IAM Identity Center instance an application belongs to, from the application's ARN
    (`arn:aws:sso::111122223333:application/ssoins-1111/apl-2222` →
    `arn:aws:sso:::instance/ssoins-1111`): an application's ARN names its instance."""
    parts = (arn or "").split(":", 5)
    if len(parts) != 6 or parts[0] != "arn" or parts[2] != "sso":
        return None
    kind, _, rest = parts[5].partition("/")
    instance = rest.split("/", 1)[0]
    if kind != "application" or not instance.startswith("ssoins-") or "/" not in rest:
        return None
    return f"arn:{parts[1]}:sso:::instance/{instance}"

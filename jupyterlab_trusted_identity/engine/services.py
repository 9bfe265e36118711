"""Connected AWS services that authorize per Identity Center user, and what can be checked of
their readiness from inside the space."""

from __future__ import annotations

import importlib.util
from collections.abc import Mapping
from dataclasses import dataclass
from functools import lru_cache

PLUGINS_VARIABLE = "BOTOCORE_EXPERIMENTAL__PLUGINS"
S3AG_PLUGIN_NAME = "S3AccessGrantsPlugin"
S3AG_MODULE = "aws_s3_access_grants_boto3_plugin.s3_access_grants_plugin"
S3AG_SETTING = f"{PLUGINS_VARIABLE}={S3AG_PLUGIN_NAME}={S3AG_MODULE}"

# id, name, what the service side needs (not checkable from the space).
CONNECTED_SERVICES: tuple[tuple[str, str, str], ...] = (
    (
        "s3-access-grants",
        "Amazon S3 Access Grants",
        "grants for the user's Identity Center identity; the execution role needs "
        "s3:GetDataAccess and s3:GetAccessGrantsInstanceForPrefix",
    ),
    ("athena", "Amazon Athena", "a workgroup with IAM Identity Center enabled"),
    ("emr-ec2", "Amazon EMR on EC2", "a cluster with an Identity Center security configuration"),
    ("emr-serverless", "EMR Serverless", "an application with trusted identity propagation"),
    ("lake-formation", "AWS Lake Formation", "permissions granted to Identity Center users"),
    (
        "redshift-data",
        "Amazon Redshift Data API",
        "an Identity Center application on the cluster or workgroup",
    ),
    ("glue", "AWS Glue connections", "connections with identity propagation"),
)


# botocore reads BOTOCORE_EXPERIMENTAL__PLUGINS in this module; older botocore (before 1.40, as in
# SageMaker Distribution 3.x) has none and ignores the variable without a word.
CLIENT_PLUGINS_MODULE = "botocore.plugin"


@dataclass(frozen=True)
class S3AccessGrants:
    configured: bool  # the plugin is listed in BOTOCORE_EXPERIMENTAL__PLUGINS
    module: str | None
    importable: bool | None  # None when not configured
    # Whether the installed botocore loads client plugins at all.
    botocore_loads_plugins: bool = True


def _plugins(environ: Mapping[str, str]) -> dict[str, str]:
    raw = environ.get(PLUGINS_VARIABLE) or ""
    if raw == "DISABLED":
        return {}
    plugins = {}
    for item in raw.split(","):
        name, sep, module = item.partition("=")
        if sep and name.strip() and module.strip():
            plugins[name.strip()] = module.strip()
    return plugins


@lru_cache(maxsize=16)
def _importable(module: str) -> bool:
    try:
        return importlib.util.find_spec(module) is not None
    except (ImportError, ValueError):
        return False


def s3_access_grants(environ: Mapping[str, str]) -> S3AccessGrants:
    """botocore loads the plugin only when listed and importable; a missing module is skipped
    silently, so boto3 then bypasses S3 Access Grants without any error."""
    module = _plugins(environ).get(S3AG_PLUGIN_NAME)
    if module is None:
        return S3AccessGrants(False, None, None)
    return S3AccessGrants(True, module, _importable(module), _importable(CLIENT_PLUGINS_MODULE))

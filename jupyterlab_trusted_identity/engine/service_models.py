"""The AWS operations the engine calls, and the current service models it parses them with.

botocore silently drops every response member its own model does not know, and SageMaker
Distribution images pin old botocore (1.37 has no `TrustedIdentityPropagationSettings`, no
`RemoteAccess`; sso-admin `DescribeApplication` has no `IdentityStoreArn` before 1.43.6). So the
engine ships the models of the operations below, trimmed to those operations and the shapes they
reach (`make models` writes them from the botocore pinned in the dev extra, see
scripts/generate_service_models.py), and puts them first on the data-loader search path of its
*own* botocore session. The user's boto3/botocore sessions are never touched. Beside them lies
botocore's endpoint data (`endpoints.json`) with every partition and region but only these
services: botocore's client creator loads that whole file (~7 MiB of a server's memory) to read a
handful of entries. Endpoint rulesets, partitions.json and retry rules still come from the
installed botocore.
"""

from __future__ import annotations

import json
import os
from collections.abc import Callable
from functools import cache
from pathlib import Path
from typing import Any

import botocore.session
from botocore.exceptions import DataNotFoundError
from botocore.loaders import JSONFileLoader

# Every AWS operation the engine calls, by botocore service name. A test scans the engine's
# `aws.call(...)` sites and fails when this list and the calls differ.
OPERATIONS: dict[str, tuple[str, ...]] = {
    "sts": ("GetCallerIdentity",),
    "sagemaker": ("DescribeDomain", "DescribeSpace", "DescribeUserProfile", "DescribeApp"),
    "sso-admin": ("DescribeApplication", "DescribeInstance", "ListInstances"),
    "identitystore": ("GetUserId", "DescribeUser"),
    "cloudtrail": ("LookupEvents",),
    "s3control": ("GetAccessGrantsInstance", "ListCallerAccessGrants", "GetDataAccess"),
    # The other TIP-aware services' Identity Center integrations (integrations.py).
    "athena": ("ListWorkGroups", "GetWorkGroup"),
    "lakeformation": ("DescribeLakeFormationIdentityCenterConfiguration",),
    "redshift": ("DescribeRedshiftIdcApplications",),
    "glue": ("GetGlueIdentityCenterConfiguration",),
    "emr": ("ListSecurityConfigurations", "DescribeSecurityConfiguration"),
    # The audit trail forwarded to CloudWatch Logs (audit/forwarding.py, opt-in).
    "logs": ("CreateLogStream", "PutLogEvents"),
}

MODELS_DIR = Path(__file__).resolve().parent / "models"
PROVENANCE = MODELS_DIR / "provenance.json"
SERVICE_MODEL = "service-2"
# botocore's endpoint data, loaded by name through the same search path (models/endpoints.json).
ENDPOINTS = "endpoints"
# botocore loads a client's endpoint ruleset with the api version of its service model.
ENDPOINT_RULESET = "endpoint-rule-set-1"


@cache
def bundled_api_versions() -> dict[str, str]:
    """The api version of each bundled model, by service (one directory per service)."""
    versions: dict[str, str] = {}
    for service in OPERATIONS:
        found = sorted(
            p.parent.name for p in (MODELS_DIR / service).glob(f"*/{SERVICE_MODEL}.json")
        )
        if found:
            versions[service] = found[-1]
    return versions


@cache
def provenance() -> dict[str, Any]:
    """Which botocore the bundled models come from ({} when the file is missing)."""
    try:
        return json.loads(PROVENANCE.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}


def choose_api_version(bundled: str | None, installed: list[str]) -> tuple[str | None, bool]:
    """The api version a client of the service asks for, and whether it is the bundled model.

    The bundled model is used only when the installed botocore has an endpoint ruleset for its
    api version (botocore loads the ruleset of the model's version). Should a service ever get
    a new api version, an old botocore has no ruleset for it (our model would be newer), and a
    new botocore may have dropped the old one (our model would be older): then the installed
    model is the only one that can build a client. Otherwise ours wins even over a botocore
    newer than the generator's, so the engine always parses with the model it is tested against.
    """
    if bundled is not None and bundled in installed:
        return bundled, True
    return (max(installed) if installed else None), False


def _compact_object() -> Callable[[list[tuple[str, Any]]], dict[str, Any]]:
    """A JSON object hook: plain dicts (ordered since Python 3.7), and one str object for each
    string value repeated in the file (member names, shape names, regions)."""
    strings: dict[str, str] = {}
    one = strings.setdefault

    def compact(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
        out = {}
        for key, value in pairs:
            kind = type(value)
            if kind is str:
                value = one(value, value)
            elif kind is list:
                value = [one(item, item) if type(item) is str else item for item in value]
            out[key] = value
        return out

    return compact


class CompactJSONFileLoader(JSONFileLoader):
    """botocore's JSON file loader, reading into compact objects: botocore's makes every JSON
    object an OrderedDict and every string value its own copy, so the models, endpoint rulesets
    and endpoints its clients keep (cached by the session's loader, ~2.3 MB for the engine's
    services) took ~3x what plain dicts with shared strings take (~0.7 MB). Same data, same
    order; botocore reads it through the mapping interface only."""

    def _load_file(self, full_path: str, open_method: Any) -> Any:
        if not os.path.isfile(full_path):
            return None
        with open_method(full_path, "rb") as fp:
            payload = fp.read().decode("utf-8")
        return json.loads(payload, object_pairs_hook=_compact_object())


def attach(session: botocore.session.Session) -> dict[str, tuple[str | None, bool]]:
    """Puts the bundled models first on `session`'s data-loader search path and has it read
    JSON compactly (CompactJSONFileLoader), before anything is loaded through it; returns, by
    service, the api version its clients must ask for and whether that is the bundled model.
    Only this session's loader changes: each botocore session builds its own loader."""
    loader = session.get_component("data_loader")
    loader.file_loader = CompactJSONFileLoader()
    path = str(MODELS_DIR)
    if path not in loader.search_paths:
        loader.search_paths.insert(0, path)
    chosen: dict[str, tuple[str | None, bool]] = {}
    for service in OPERATIONS:
        try:
            installed = loader.list_api_versions(service, ENDPOINT_RULESET)
        except DataNotFoundError:  # a botocore without this service at all
            installed = []
        chosen[service] = choose_api_version(bundled_api_versions().get(service), installed)
    return chosen


def has_member(shape: Any, member_path: tuple[str, ...]) -> bool:
    """Whether a botocore shape has the nested member `member_path` (lists and maps are walked
    through to their elements, so a path names structure members only)."""
    for name in member_path:
        while shape is not None and shape.type_name in ("list", "map"):
            shape = shape.member if shape.type_name == "list" else shape.value
        members = getattr(shape, "members", None)
        if not members or name not in members:
            return False
        shape = members[name]
    return True

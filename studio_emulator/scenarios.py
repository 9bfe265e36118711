"""Scenario files: JSON data in ``scenarios/``, each optionally ``extends`` another.

A scenario is plain data; ``load`` resolves inheritance (deep merge: objects merge key by
key, anything else, lists included, replaces) and fills defaults derived from the facts
(``"auto"`` values), so the rest of the emulator reads one fully resolved dict. A ``null``
where an AWS answer has a field (``domain.tip``, ``app.effective_tip``, ...) means the
emulator leaves that field out of the answer, as an old botocore or an old resource shows it.
"""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

from jupyterlab_trusted_identity.engine.regions import SUPPORTED_REGIONS

SCENARIO_DIR = Path(__file__).resolve().parent / "scenarios"

# Regions where Studio supports trusted identity propagation (TIP-FACTS.md): one list.
TIP_REGIONS = frozenset(SUPPORTED_REGIONS)

CREDENTIAL_MODES = ("container", "static_keys", "none", "expired")
# App types that run in a space, where Studio supports trusted identity propagation
# (TIP-FACTS.md: private JupyterLab and Code Editor spaces only).
TIP_APP_TYPES = frozenset({"JupyterLab", "CodeEditor"})
# Studio Classic apps belong to a user profile, not to a space.
PROFILE_APP_TYPES = frozenset({"JupyterServer", "KernelGateway"})
APP_TYPES = TIP_APP_TYPES | PROFILE_APP_TYPES
# What an S3 Access Grants instance is associated with: the domain's Identity Center
# instance, another one, or none (None).
ACCESS_GRANTS_IDENTITY_CENTERS = ("domain", "other", None)
# The same choice for the other services' Identity Center integrations (``services``).
IDENTITY_CENTERS = ACCESS_GRANTS_IDENTITY_CENTERS
# Domains created before this have no SingleSignOnApplicationArn (TIP-FACTS.md).
SSO_APPLICATION_SINCE = "2023-10-01T00:00:00Z"


class ScenarioError(ValueError):
    """A scenario name or file that cannot be used."""


def names() -> list[str]:
    return sorted(p.stem for p in SCENARIO_DIR.glob("*.json"))


def _read(name: str) -> dict[str, Any]:
    if not name or "/" in name or "\\" in name or name.startswith("."):
        raise ScenarioError(f"invalid scenario name: {name!r}")
    path = SCENARIO_DIR / f"{name}.json"
    if not path.is_file():
        raise ScenarioError(f"unknown scenario {name!r}; known: {', '.join(names())}")
    with path.open(encoding="utf-8") as f:
        return json.load(f)


def deep_merge(base: dict[str, Any], override: dict[str, Any]) -> dict[str, Any]:
    out = copy.deepcopy(base)
    for key, value in override.items():
        if isinstance(value, dict) and isinstance(out.get(key), dict):
            out[key] = deep_merge(out[key], value)
        else:
            out[key] = copy.deepcopy(value)
    return out


def raw(name: str, _seen: tuple[str, ...] = ()) -> dict[str, Any]:
    """The scenario with its ``extends`` chain merged, before defaults are derived."""
    if name in _seen:
        raise ScenarioError(f"scenario inheritance loop: {' -> '.join((*_seen, name))}")
    data = _read(name)
    parent = data.pop("extends", None)
    if parent:
        data = deep_merge(raw(parent, (*_seen, name)), data)
    return data


def load(name: str) -> dict[str, Any]:
    """The fully resolved scenario ``name``."""
    sc = raw(name)
    sc["name"] = name
    sc.setdefault("description", "")
    sc.setdefault("account", "111122223333")
    sc.setdefault("region", "us-east-1")
    sc.setdefault("studio", True)
    sc.setdefault("env", {})
    sc.setdefault("faults", [])
    sc.setdefault("delay_ms", 0)
    sc.setdefault("expected", {})
    creds = sc.setdefault("credentials", {})
    creds.setdefault("mode", "container")
    creds.setdefault("session_name", "SageMaker")
    creds.setdefault("duration_seconds", 3600)
    if creds["mode"] not in CREDENTIAL_MODES:
        raise ScenarioError(f"{name}: credentials.mode must be one of {CREDENTIAL_MODES}")
    ct = sc.setdefault("cloudtrail", {})
    ct.setdefault("on_behalf_of", "auto")
    ct.setdefault("delivery_delay_seconds", 0)

    domain, space, app = sc["domain"], sc["space"], sc["app"]
    domain.setdefault("created", "2024-06-03T08:00:00Z")
    app.setdefault("type", "JupyterLab")
    if app["type"] not in APP_TYPES:
        raise ScenarioError(f"{name}: app.type must be one of {sorted(APP_TYPES)}")
    sc.setdefault("unified_studio", None)
    ic = sc["identity_center"]
    if ic.get("regions", "auto") == "auto":
        ic["regions"] = [sc["region"]]
    ic.setdefault("application_identity_store_arn", "auto")
    ic.setdefault("groups", {})
    ag = sc.setdefault("access_grants", {})
    ag.setdefault("instance", None)
    ag.setdefault("grants", [])
    if ag["instance"] is not None:
        ag["instance"].setdefault("identity_center", "domain")
        ag["instance"].setdefault("created", "2024-06-10T09:00:00Z")
        if ag["instance"]["identity_center"] not in ACCESS_GRANTS_IDENTITY_CENTERS:
            raise ScenarioError(
                f"{name}: access_grants.instance.identity_center must be one of "
                f"{ACCESS_GRANTS_IDENTITY_CENTERS}"
            )
    for grant in ag["grants"]:
        grant.setdefault("created", "2024-06-10T10:00:00Z")
        if grant.get("permission") not in ("READ", "WRITE", "READWRITE"):
            raise ScenarioError(f"{name}: a grant's permission must be READ, WRITE or READWRITE")
        kind, _, who = str(grant.get("grantee", "")).partition(":")
        known = {"user": ic.get("users", {}), "group": ic["groups"], "iam": {who: 1}}
        if who not in known.get(kind, {}):
            raise ScenarioError(f"{name}: unknown grantee {grant.get('grantee')!r}")
    ct.setdefault("on_behalf_of_store", "auto")
    _services(name, sc)

    # The running app decides (issue 8): what it started with is the truth for it. DescribeApp
    # reports that as EffectiveTrustedIdentityPropagationStatus; when a scenario leaves that
    # field out and says nothing else, the app started with the domain's current setting.
    if app.get("started_with_tip", "auto") == "auto":
        app["started_with_tip"] = (
            app["effective_tip"] == "ENABLED"
            if app.get("effective_tip") is not None
            else domain.get("tip") == "ENABLED"
        )
    started_with_tip = bool(app["started_with_tip"])
    # What Studio would do: the execution role session is identity-enhanced only when every
    # precondition of trusted identity propagation holds for this running app.
    tip_effective = (
        domain.get("auth_mode") == "SSO"
        and started_with_tip
        and app["type"] in TIP_APP_TYPES
        and sc["unified_studio"] is None
        and space.get("sharing") == "Private"
        and space.get("remote_access") != "ENABLED"
        and sc["region"] in TIP_REGIONS
        and sc["region"] in ic["regions"]
    )
    if creds.get("identity_enhanced", "auto") == "auto":
        creds["identity_enhanced"] = bool(tip_effective)
    if ct["on_behalf_of"] == "auto":
        ct["on_behalf_of"] = "owner" if creds["identity_enhanced"] else "none"
    server_env = sc.setdefault("server_env", {})
    if server_env.get("tip_flags", "auto") == "auto":
        # SageMaker Distribution sets these in apps started with TIP on.
        server_env["tip_flags"] = started_with_tip
    return sc


def _services(name: str, sc: dict[str, Any]) -> None:
    """Defaults of ``services`` (the other TIP-aware services' Identity Center integrations):
    nothing configured, Athena's ``primary`` workgroup only."""
    sv = sc.setdefault("services", {})
    athena = sv.setdefault("athena", {})
    athena.setdefault("workgroups", [{"name": "primary"}])
    for key in ("lake_formation", "glue"):
        sv.setdefault(key, {}).setdefault("identity_center", None)
    sv.setdefault("redshift", {}).setdefault("idc_applications", [])
    sv.setdefault("emr", {}).setdefault("security_configurations", [])
    for key in ("athena", "redshift", "emr"):
        filler = sv[key].setdefault("filler", 0)
        if isinstance(filler, bool) or not isinstance(filler, int) or filler < 0:
            raise ScenarioError(f"{name}: services.{key}.filler must be a count")
    resources = [
        *sv["athena"]["workgroups"],
        sv["lake_formation"],
        sv["glue"],
        *sv["redshift"]["idc_applications"],
        *sv["emr"]["security_configurations"],
    ]
    for res in resources:
        if res.get("identity_center") not in IDENTITY_CENTERS:
            raise ScenarioError(
                f"{name}: a service's identity_center must be one of {IDENTITY_CENTERS}"
            )
    for app in sv["redshift"]["idc_applications"]:
        if app.get("identity_center") is None:
            raise ScenarioError(f"{name}: a Redshift IdC application needs its identity_center")
    for wg in sv["athena"]["workgroups"]:
        if wg.get("state", "ENABLED") not in ("ENABLED", "DISABLED"):
            raise ScenarioError(f"{name}: a workgroup's state must be ENABLED or DISABLED")


def describe_all() -> list[dict[str, str]]:
    return [{"name": n, "description": raw(n).get("description", "")} for n in names()]

"""engine/report_types.py against docs/rest-api.yml and against reports the engine builds.

The TypedDicts are what the server's code is checked against; this test keeps them honest on both
sides: every property the OpenAPI file documents is a key (nothing renamed or dropped), every
required one is always there, the enumerations agree, and real reports of several emulated
Studios hold exactly the keys and value types the TypedDicts declare.
"""

from __future__ import annotations

import os
import types
import typing
import uuid
from collections.abc import Mapping
from datetime import UTC, datetime
from typing import Any, Literal, Union, get_args, get_origin, get_type_hints, is_typeddict

import pytest
from test_types_drift import ROOTS, object_schemas, schema_at

from jupyterlab_trusted_identity.engine import EngineConfig, IdentityEngine, Scope
from jupyterlab_trusted_identity.engine import report_types as rt

TYPEDDICTS: dict[str, Any] = {
    "Report": rt.Report,
    "Report.scope": rt.ReportScope,
    "Report.evidence": rt.ReportEvidence,
    "Report.evidence.ranking[]": rt.EvidenceRank,
    "Report.evidence.proof": rt.EvidenceProof,
    "Report.evidence.contradictions[]": rt.EvidenceContradiction,
    "Report.user": rt.ReportUser,
    "Report.role": rt.ReportRole,
    "Report.credentials": rt.ReportCredentials,
    "Report.studio": rt.ReportStudio,
    "Report.verification": rt.ReportVerification,
    "Report.checks[]": rt.ReportCheck,
    "Report.connected_services[]": rt.ConnectedService,
    "Report.connected_services[].integration": rt.ServiceIntegration,
    "Report.connected_services[].integration.resources[]": rt.IntegrationResource,
    "Report.connected_services[].grants": rt.ServiceGrants,
    "Report.connected_services[].grants.grants[]": rt.AccessGrant,
    "Report.budget": rt.ReportBudget,
}
# Fields the server sends that docs/rest-api.yml does not document yet (additive: allowed by
# API.md, but they belong in the OpenAPI file). A new one fails the test until it is listed here
# or documented; a documented one fails it until it leaves this list.
UNDOCUMENTED: dict[str, set[str]] = {}
# Values a TypedDict allows beyond the schema's enum: a Scope's environment source is "server"
# for the server scope, whose report carries no environment_source.
WIDER_ENUMS = {("Report.scope", "environment_source"): {"server"}}


def _literals(hint: Any) -> set[Any] | None:
    """The values of the Literal inside `hint` (None included when it is optional)."""
    if get_origin(hint) is Literal:
        return set(get_args(hint))
    if get_origin(hint) in (Union, types.UnionType):
        found: set[Any] = set()
        for arm in get_args(hint):
            if arm is type(None):
                found.add(None)
            elif (values := _literals(arm)) is not None:
                found |= values
            else:
                return None
        return found
    return None


def test_every_object_schema_of_the_report_has_its_typeddict():
    found = set(object_schemas("Report", schema_at("Report")))
    assert "Report" in ROOTS
    assert found == set(TYPEDDICTS), (
        f"unmapped {sorted(found - set(TYPEDDICTS))}, gone {sorted(set(TYPEDDICTS) - found)}"
    )


@pytest.mark.parametrize(("path", "typeddict"), TYPEDDICTS.items())
def test_the_typeddict_keeps_every_documented_field(path: str, typeddict: Any):
    schema = schema_at(path)
    keys = set(get_type_hints(typeddict))
    properties = set(schema.get("properties", {}))
    assert properties <= keys, f"{typeddict.__name__} drops {sorted(properties - keys)} of {path}"
    required = set(schema.get("required", []))
    loose = required - set(typeddict.__required_keys__)
    assert not loose, f"{path} requires {sorted(loose)}; {typeddict.__name__} may leave them out"
    assert keys - properties == UNDOCUMENTED.get(path, set()), (
        f"{typeddict.__name__} has fields {path} does not document: "
        f"{sorted(keys - properties)} (document them in docs/rest-api.yml)"
    )


@pytest.mark.parametrize(("path", "typeddict"), TYPEDDICTS.items())
def test_the_enumerations_agree(path: str, typeddict: Any):
    hints = get_type_hints(typeddict)
    for name, prop in schema_at(path).get("properties", {}).items():
        if "enum" not in prop:
            continue
        allowed = _literals(hints[name])
        assert allowed is not None, f"{typeddict.__name__}.{name} is not a Literal"
        documented = set(prop["enum"]) | ({None} if prop.get("nullable") else set())
        wider = WIDER_ENUMS.get((path, name), set())
        assert allowed == documented | wider, (typeddict.__name__, name, allowed, documented)


# --- real reports ------------------------------------------------------------------------------


def problems(value: Any, hint: Any, where: str = "report") -> list[str]:
    """Where `value` does not have the type `hint` (a TypedDict, Literal, union, list, dict or
    plain type); [] when it conforms."""
    if is_typeddict(hint):
        if not isinstance(value, dict):
            return [f"{where}: {type(value).__name__}, not an object"]
        hints = get_type_hints(hint)
        found = [f"{where}: lacks {k}" for k in sorted(hint.__required_keys__ - value.keys())]
        found += [f"{where}: undeclared {k}" for k in sorted(value.keys() - hints.keys())]
        for key, item in value.items():
            if key in hints:
                found += problems(item, hints[key], f"{where}.{key}")
        return found
    origin = get_origin(hint)
    if origin in (Union, types.UnionType):
        arms = [problems(value, arm, where) for arm in get_args(hint)]
        return [] if any(not arm for arm in arms) else [f"{where}: {value!r} is not {hint}"]
    if origin is Literal:
        return [] if value in get_args(hint) else [f"{where}: {value!r} is not one of {hint}"]
    if origin is list:
        if not isinstance(value, list):
            return [f"{where}: {type(value).__name__}, not a list"]
        (item,) = get_args(hint)
        return [p for i, v in enumerate(value) for p in problems(v, item, f"{where}[{i}]")]
    if origin is dict:
        if not isinstance(value, dict):
            return [f"{where}: {type(value).__name__}, not an object"]
        key_type, item = get_args(hint)
        return [
            p
            for k, v in value.items()
            for p in problems(k, key_type, f"{where} key") + problems(v, item, f"{where}.{k}")
        ]
    if hint is type(None):
        return [] if value is None else [f"{where}: {value!r} is not null"]
    if hint in (int, float):
        ok = isinstance(value, (int, float) if hint is float else int)
        return [] if ok and not isinstance(value, bool) else [f"{where}: {value!r} not {hint}"]
    if hint in (str, bool):
        return [] if isinstance(value, hint) else [f"{where}: {value!r} is not {hint.__name__}"]
    raise TypeError(f"{where}: cannot check {hint!r}")


def test_the_checker_notices_an_undeclared_key_a_missing_one_and_a_wrong_value():
    user: dict[str, Any] = {
        "user_id": "u",
        "user_name": None,
        "display_name": None,
        "email": None,
        "identity_store_arn": None,
        "identity_store_id": None,
        "shown_name": None,
        "short_name": None,
        "provenance": "profile",
        "proven_by": None,
    }
    assert problems(user, rt.ReportUser) == []
    assert problems({**user, "nickname": "x"}, rt.ReportUser) == ["report: undeclared nickname"]
    assert problems({k: v for k, v in user.items() if k != "email"}, rt.ReportUser) == [
        "report: lacks email"
    ]
    assert problems({**user, "provenance": "guess"}, rt.ReportUser)
    assert problems({**user, "user_id": 7}, rt.ReportUser)
    assert problems({"kind": "server"}, rt.ReportScope) == []  # the kernel fields may be absent


def _kernel(environ: Mapping[str, str]) -> Scope:
    return Scope(
        kind="kernel",
        environ=environ,
        kernel_id=str(uuid.uuid4()),
        kernel_name="python3",
        session_path="analysis.ipynb",
        launched_at=datetime.now(UTC),
        launch=1,
        environment_source="process",
    )


@pytest.mark.parametrize(
    "scenario_name",
    ["happy", "ct_mismatch", "tip_read_contradicts", "describe_space_denied", "outside_studio"],
)
async def test_reports_hold_exactly_what_the_typeddicts_declare(studio: dict[str, Any]):
    config = EngineConfig(metadata_path=studio["metadata_path"], aws_timeout=2.0, check_deadline=5)
    engine = IdentityEngine(config, dict(os.environ))
    try:
        server = await engine.report(engine.server_scope())
        kernel = await engine.report(_kernel(dict(os.environ)), refresh="credentials")
    finally:
        engine.close()
    assert problems(server, rt.Report) == []
    assert problems(kernel, rt.Report) == []
    assert kernel["scope"]["kind"] == "kernel" and set(kernel["scope"]) == set(
        typing.get_type_hints(rt.ReportScope)
    )

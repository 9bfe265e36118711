"""src/types.ts and docs/rest-api.yml describe the same report: every property an object schema of
the OpenAPI file lists is a field of the TypeScript interface that mirrors it, and every field of
that interface is a property of the schema. The frontend's types are written by hand; this test
is what keeps them from drifting from the contract.

The TypeScript reader is deliberately small: it reads `export interface IName { ... }` blocks of
types.ts whose members are one `name: type;` or `name?: type;` each at two spaces of indentation
(a type may continue on more deeply indented lines). Anything else at that indentation, an index
signature included, is an error rather than something silently skipped.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any

import pytest
import yaml

ROOT = Path(__file__).parents[1]
SPEC = yaml.safe_load((ROOT / "docs" / "rest-api.yml").read_text(encoding="utf-8"))
TYPES_TS = (ROOT / "src" / "types.ts").read_text(encoding="utf-8")

# Each object schema of the OpenAPI file (a path from components.schemas: `.name` is a property,
# `[]` the items of an array) → the interface of src/types.ts that mirrors it.
INTERFACES: dict[str, str] = {
    "Report": "IReport",
    "Report.scope": "IReportScope",
    "Report.evidence": "IReportEvidence",
    "Report.evidence.ranking[]": "IEvidenceRank",
    "Report.evidence.proof": "IEvidenceProof",
    "Report.evidence.contradictions[]": "IEvidenceContradiction",
    "Report.user": "IReportUser",
    "Report.role": "IReportRole",
    "Report.credentials": "IReportCredentials",
    "Report.studio": "IReportStudio",
    "Report.verification": "IReportVerification",
    "Report.checks[]": "ICheck",
    "Report.connected_services[]": "IConnectedService",
    "Report.connected_services[].integration": "IServiceIntegration",
    "Report.connected_services[].integration.resources[]": "IIntegrationResource",
    "Report.connected_services[].grants": "IServiceGrants",
    "Report.connected_services[].grants.grants[]": "IAccessGrant",
    "Report.budget": "IReportBudget",
    "AuditRecord": "IAuditRecord",
    "AccessTestResult": "IAccessTestResult",
    "AccessTestResult.grantee": "IAccessTestGrantee",
}
# The schemas the mapping starts from; every object schema inside them must be mapped.
ROOTS = ("Report", "AuditRecord", "AccessTestResult")


# --- the OpenAPI side ------------------------------------------------------------------------


def _resolve(node: Mapping[str, Any]) -> Mapping[str, Any]:
    """A local `$ref` → the schema it names."""
    while "$ref" in node:
        node = SPEC["components"]["schemas"][node["$ref"].rsplit("/", 1)[-1]]
    return node


def schema_at(path: str) -> Mapping[str, Any]:
    """The schema at `Report.evidence.ranking[]`-style path."""
    first, *rest = path.split(".")
    node = _resolve(SPEC["components"]["schemas"][first])
    for step in rest:
        name, items = step.removesuffix("[]"), step.endswith("[]")
        node = _resolve(node["properties"][name])
        if items:
            node = _resolve(node["items"])
    return node


def object_schemas(path: str, node: Mapping[str, Any]) -> Iterator[str]:
    """Paths of every object schema with properties, from `node` down."""
    node = _resolve(node)
    if node.get("type") == "array":
        yield from object_schemas(f"{path}[]", node["items"])
    elif "properties" in node:
        yield path
        for name, child in node["properties"].items():
            yield from object_schemas(f"{path}.{name}", child)


# --- the TypeScript side ---------------------------------------------------------------------

_COMMENT = re.compile(r"/\*.*?\*/|//[^\n]*", re.S)
_INTERFACE = re.compile(r"^export interface (I\w+) \{\n(.*?)^\}", re.M | re.S)
_MEMBER = re.compile(r"^ {2}(?P<name>\w+)(?P<optional>\?)?:(?: \S|$)")


def read_interfaces(source: str) -> dict[str, dict[str, bool]]:
    """Interface name → {field name: whether it is optional} of a TypeScript module."""
    interfaces: dict[str, dict[str, bool]] = {}
    for match in _INTERFACE.finditer(_COMMENT.sub("", source)):
        name, body = match.groups()
        fields: dict[str, bool] = {}
        for line in body.splitlines():
            if not line.strip() or line.startswith("   "):
                continue  # blank, or the continuation of a member's type
            member = _MEMBER.match(line)
            if member is None:
                raise ValueError(f"{name}: cannot read the member {line.strip()!r}")
            fields[member["name"]] = bool(member["optional"])
        interfaces[name] = fields
    return interfaces


def drift(schema: Mapping[str, Any], fields: Mapping[str, bool]) -> tuple[set[str], set[str]]:
    """(properties only the OpenAPI lists, fields only the TypeScript interface has)."""
    properties = set(schema.get("properties", {}))
    return properties - set(fields), set(fields) - properties


def promised_but_optional(schema: Mapping[str, Any], fields: Mapping[str, bool]) -> set[str]:
    """Fields TypeScript says are always there that the OpenAPI lets the server leave out."""
    required = set(schema.get("required", []))
    return {name for name, optional in fields.items() if not optional and name not in required}


TS = read_interfaces(TYPES_TS)


# --- the tests -------------------------------------------------------------------------------


def test_every_object_schema_of_the_report_has_its_interface():
    found = {path for root in ROOTS for path in object_schemas(root, schema_at(root))}
    assert found == set(INTERFACES), (
        "map each object schema of docs/rest-api.yml to its interface in INTERFACES: "
        f"unmapped {sorted(found - set(INTERFACES))}, gone {sorted(set(INTERFACES) - found)}"
    )
    missing = sorted(set(INTERFACES.values()) - set(TS))
    assert not missing, f"interfaces missing from src/types.ts: {missing}"


@pytest.mark.parametrize(("path", "interface"), INTERFACES.items())
def test_the_interface_has_exactly_the_properties_of_its_schema(path: str, interface: str):
    only_openapi, only_ts = drift(schema_at(path), TS[interface])
    assert not only_openapi, f"{interface} (src/types.ts) lacks {sorted(only_openapi)} of {path}"
    assert not only_ts, f"{path} (docs/rest-api.yml) lacks {sorted(only_ts)} of {interface}"


@pytest.mark.parametrize(("path", "interface"), INTERFACES.items())
def test_typescript_promises_no_field_the_schema_may_leave_out(path: str, interface: str):
    # A field typed without `?` is read without a guard by the frontend.
    loose = promised_but_optional(schema_at(path), TS[interface])
    assert not loose, (
        f"{interface} says {sorted(loose)} are always there; {path} does not require them: "
        "mark them optional in src/types.ts or required in docs/rest-api.yml"
    )


def test_the_reader_and_the_comparison_notice_drift_on_either_side():
    source = TYPES_TS.replace(
        "  provenance: Provenance;\n", "  provenance: Provenance;\n  nickname?: string | null;\n"
    )
    assert source != TYPES_TS, "IReportUser's provenance field moved: update this test"
    schema = dict(schema_at("Report.user"))
    assert drift(schema, read_interfaces(source)["IReportUser"]) == (set(), {"nickname"})
    schema["properties"] = {**schema["properties"], "pronouns": {"type": "string"}}
    assert drift(schema, TS["IReportUser"]) == ({"pronouns"}, set())
    schema["required"] = [name for name in schema["required"] if name != "user_id"]
    assert promised_but_optional(schema, TS["IReportUser"]) == {"user_id"}


def test_the_reader_reads_members_and_refuses_what_it_does_not_understand():
    read = read_interfaces(
        "/** doc */\nexport interface IThing {\n  /** a */\n  a: string | null;\n"
        "  b?: number; // note\n  c:\n    | 'x'\n    | 'y';\n}\n"
    )
    assert read == {"IThing": {"a": False, "b": True, "c": False}}
    with pytest.raises(ValueError, match="key: string"):
        read_interfaces("export interface IOpen {\n  a: string;\n  [key: string]: unknown;\n}\n")

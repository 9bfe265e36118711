"""docs/rest-api.yml describes exactly the routes the extension serves, and real reports and
audit records validate against its schemas."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import jsonschema
import pytest
import yaml

from jupyterlab_trusted_identity.handlers import NotFoundHandler, routes

SPEC = yaml.safe_load((Path(__file__).parents[1] / "docs" / "rest-api.yml").read_text())
VERBS = ("get", "post", "put", "patch", "delete")


def _served() -> dict[str, set[str]]:
    """Route → verbs the handlers implement, with path parameters written OpenAPI's way."""
    served = {}
    for pattern, handler, _ in routes(service=None):  # type: ignore[arg-type]
        if handler is NotFoundHandler:
            continue
        path = re.sub(r"\(\?P<(\w+)>[^)]*\)", r"{\1}", pattern.removeprefix("/trusted-identity"))
        served[path] = {verb for verb in VERBS if verb in vars(handler)}
    return served


def test_spec_lists_exactly_the_served_routes_and_verbs():
    described = {path: set(item) & set(VERBS) for path, item in SPEC["paths"].items()}
    assert described == _served()


def _json_schema(node: Any) -> Any:
    """OpenAPI 3.0 schema → JSON Schema: `nullable` and local `$ref`s."""
    if isinstance(node, list):
        return [_json_schema(n) for n in node]
    if not isinstance(node, dict):
        return node
    if "$ref" in node:
        name = node["$ref"].rsplit("/", 1)[-1]
        return _json_schema(SPEC["components"]["schemas"][name])
    out = {k: _json_schema(v) for k, v in node.items() if k != "nullable"}
    if node.get("nullable"):
        return {"anyOf": [out, {"type": "null"}]}
    return out


def _validate(instance: Any, schema_name: str) -> None:
    jsonschema.validate(instance, _json_schema(SPEC["components"]["schemas"][schema_name]))


async def test_server_and_kernel_reports_match_the_schema(api, start_kernel):
    status, report = await api("identity")
    assert status == 200
    _validate(report, "Report")
    kernel_id = await start_kernel(path="schema.ipynb")
    status, report = await api(f"kernels/{kernel_id}")
    assert status == 200
    _validate(report, "Report")
    status, records = await api("audit")
    assert status == 200 and records["records"]
    for record in records["records"]:
        _validate(record, "AuditRecord")


@pytest.mark.scenario("no_credentials")
async def test_a_report_without_credentials_matches_the_schema(api):
    status, report = await api("identity")
    assert status == 200 and report["verdict"] == "no_credentials"
    _validate(report, "Report")


@pytest.mark.traits(explicit_check_burst=1)
async def test_a_rate_limited_check_matches_the_schema(api):
    status, first = await api("identity/check", "POST", cloudtrail="1")
    assert status == 200 and first["budget"]["explicit_check"] == "performed", first["budget"]
    _validate(first, "Report")
    status, second = await api("identity/check", "POST")
    assert status == 200
    budget = second["budget"]
    assert budget["explicit_check"] == "rate_limited", budget
    assert isinstance(budget["retry_after_seconds"], int) and budget["retry_after_seconds"] > 0
    _validate(second, "Report")


async def test_errors_match_the_schema(api):
    status, body = await api("identity/check", "POST", cloudtrail="maybe")
    assert status == 400
    _validate(body, "Error")

    for path in ("kernels/not-a-uuid", "nope"):
        status, body = await api(path)
        assert status in (400, 404)
        _validate(body, "Error")


def test_the_schema_rejects_a_wrong_report():
    with pytest.raises(jsonschema.ValidationError):
        _validate({"schema_version": 1, "verdict": "maybe"}, "Report")

"""Every route of API.md against a real Jupyter server wired to the emulated Studio: the report's
fields, caches and explicit checks, kernels, audit paging and export, version, and the errors
(400/404/405/413) with their exact JSON shape. A rejected request changes nothing: no audit
record, no AWS call."""

from __future__ import annotations

import csv
import io
import json
import re
import uuid
from datetime import UTC, datetime, timedelta, timezone
from importlib.metadata import version as installed_version
from pathlib import Path

import pytest
from helpers_http import (
    AUDIT_FIELDS,
    ISO_Z,
    KERNEL_CHECK_IDS,
    MASKED_KEY,
    assert_error,
    assert_report,
    assert_unchanged,
    audit_rows,
    check_of,
    settled,
    wait_for_launch_audit,
)

import jupyterlab_trusted_identity

# Calls an explicit check must make again although a warm cache holds their answers.
REPO = Path(__file__).resolve().parent.parent

RECHECKED = (
    "container:GetCredentials",
    "sts:GetCallerIdentity",
    "sagemaker:DescribeDomain",
    "sagemaker:DescribeSpace",
    "sagemaker:DescribeApp",
    "sagemaker:DescribeUserProfile",
    "identitystore:GetUserId",
    "identitystore:DescribeUser",
)
# CloudTrail's proof belongs to the session: an explicit check keeps a verified one, and asks
# again only with ?cloudtrail=1 (engine/delivery.py).
LOOKUP = "cloudtrail:LookupEvents"


def recent(iso: str, seconds: float = 300) -> bool:
    at = datetime.fromisoformat(iso.replace("Z", "+00:00"))
    return abs((datetime.now(UTC) - at).total_seconds()) < seconds


# ---- GET identity ------------------------------------------------------------------------------


async def test_identity_is_a_full_server_report(http, studio):
    reply = await http("identity")
    assert reply.code == 200, reply.text
    assert reply.content_type.startswith("application/json"), reply.content_type
    assert reply.headers.get("Cache-Control") == "no-store"
    report = reply.json()
    assert_report(report, "server")
    assert recent(report["generated_at"])
    assert "kernel.environment" not in {c["id"] for c in report["checks"]}

    expected = studio["expected"]
    assert report["verdict"] == "propagated", report["summary"]
    assert report["user"]["provenance"] == "cloudtrail"
    assert report["user"]["user_id"] == expected["user_id"]
    assert report["user"]["identity_store_arn"] == expected["identity_store_arn"]
    assert report["role"]["caller_arn"] == expected["caller_arn"]
    assert report["role"]["execution_role_arn"] == expected["execution_role_arn"]
    assert report["role"]["account"] == expected["account"]
    assert report["credentials"]["source"] == "container-role"
    key_id = report["credentials"]["access_key_id"]
    assert key_id.startswith("ASIA") and len(key_id) <= 9, key_id
    assert report["credentials"]["overridden_by"] == []
    assert report["studio"]["domain_id"] == expected["domain_id"]
    assert report["studio"]["space_name"] == expected["space_name"]
    assert report["studio"]["region"] == expected["region"]
    assert report["studio"]["region_supported"] is True
    assert report["studio"]["sharing_type"] == "Private"
    assert report["verification"]["status"] == "verified"
    assert report["verification"]["user_id"] == expected["user_id"]
    assert all(c["status"] == "pass" for c in report["checks"] if c["required"]), report["checks"]


# ---- explicit checks bypass the caches; a warm report asks AWS nothing ----------------------------


async def test_post_check_and_refresh_ask_aws_again_and_are_audited(http, emulator, jp_serverapp):
    records, _ = await settled(http, emulator, jp_serverapp)

    emulator.reset_calls()
    reply = await http("identity/check", "POST")
    assert reply.code == 200, reply.text
    assert reply.headers.get("Cache-Control") == "no-store"
    checked = reply.json()
    assert_report(checked, "server")
    counts = emulator.calls()["counts"]
    missing = [op for op in RECHECKED if not counts.get(op)]
    assert not missing, f"POST identity/check did not ask again: {missing} ({counts})"
    assert checked["verification"]["status"] == "verified", checked["verification"]
    assert not counts.get(LOOKUP), f"a verified session was looked up again: {counts}"
    assert checked["budget"]["explicit_check"] == "performed", checked["budget"]

    rows = audit_rows(jp_serverapp)
    assert len(rows) == records + 1, rows
    assert rows[0]["event"] == "checked"
    assert rows[0]["kernel_id"] is None
    assert rows[0]["verdict"] == checked["verdict"]
    assert rows[0]["access_key_id"] == checked["credentials"]["access_key_id"]
    assert rows[0]["caller_arn"] == checked["role"]["caller_arn"]

    emulator.reset_calls()
    reply = await http("identity")
    assert reply.code == 200
    assert reply.json()["verdict"] == checked["verdict"]
    assert emulator.calls()["calls"] == [], "a warm report made AWS calls"
    assert len(audit_rows(jp_serverapp)) == records + 1, "a plain GET was audited"

    emulator.reset_calls()
    reply = await http("identity", refresh="1")
    assert reply.code == 200, reply.text
    assert_report(reply.json(), "server")
    counts = emulator.calls()["counts"]
    missing = [op for op in RECHECKED if not counts.get(op)]
    assert not missing, f"GET identity?refresh=1 did not ask again: {missing} ({counts})"
    rows = audit_rows(jp_serverapp)
    assert len(rows) == records + 2
    assert rows[0]["event"] == "checked" and rows[0]["kernel_id"] is None

    emulator.reset_calls()
    reply = await http("identity/check", "POST", cloudtrail="1")
    assert reply.code == 200, reply.text
    assert emulator.calls()["counts"].get(LOOKUP) == 1, emulator.calls()["counts"]
    assert reply.json()["verification"]["status"] == "verified"

    reply = await http("identity/check", "POST", cloudtrail="maybe")
    assert reply.code == 400 and reply.json()["error"]["code"] == "bad_request", reply.text


# ---- kernels -----------------------------------------------------------------------------------


async def test_kernels_list_and_kernel_reports(http, start_kernel):
    reply = await http("kernels")
    assert reply.code == 200, reply.text
    assert reply.headers.get("Cache-Control") == "no-store"
    assert reply.json() == {"kernels": []}

    in_session = await start_kernel("python3", path="work/analysis.ipynb")
    bare = await start_kernel("python3")

    reply = await http(f"kernels/{in_session}")
    assert reply.code == 200, reply.text
    assert reply.headers.get("Cache-Control") == "no-store"
    report = reply.json()
    assert_report(report, "kernel")
    scope = report["scope"]
    assert scope["kernel_id"] == in_session
    assert scope["kernel_name"] == "python3"
    assert scope["session_path"] == "work/analysis.ipynb"
    assert ISO_Z.match(scope["launched_at"]) and recent(scope["launched_at"]), scope
    assert {c["id"] for c in report["checks"]} == set(KERNEL_CHECK_IDS)
    environment = check_of(report, "kernel.environment")
    assert environment["required"] is True and environment["status"] == "pass", environment
    assert report["verdict"] == "propagated", report["summary"]

    reply = await http(f"kernels/{bare}")
    assert reply.code == 200, reply.text
    scope = reply.json()["scope"]
    assert scope["kind"] == "kernel" and scope["kernel_id"] == bare
    assert scope["session_path"] is None
    assert ISO_Z.match(scope["launched_at"]), scope

    reply = await http("kernels")
    assert reply.code == 200, reply.text
    kernels = reply.json()["kernels"]
    # Encoded report by report (handlers.write_kernels), yet byte for byte what json.dumps of
    # the whole answer writes, as every other route's body.
    assert reply.body == json.dumps({"kernels": kernels}).encode()
    assert {k["scope"]["kernel_id"] for k in kernels} == {in_session, bare}
    for kernel in kernels:
        assert_report(kernel, "kernel")
    paths = {k["scope"]["kernel_id"]: k["scope"]["session_path"] for k in kernels}
    assert paths == {in_session: "work/analysis.ipynb", bare: None}


async def test_kernel_check_asks_aws_again_and_is_audited(
    http, start_kernel, emulator, jp_serverapp
):
    kid = await start_kernel("python3", path="nb.ipynb")
    reply = await http(f"kernels/{kid}")  # joins the launch check, which audits the start
    assert reply.code == 200, reply.text
    rows = audit_rows(jp_serverapp)
    started = [r for r in rows if r["event"] == "kernel_started" and r["kernel_id"] == kid]
    assert len(started) == 1, rows
    records = len(rows)

    emulator.reset_calls()
    reply = await http(f"kernels/{kid}/check", "POST")
    assert reply.code == 200, reply.text
    assert reply.headers.get("Cache-Control") == "no-store"
    report = reply.json()
    assert_report(report, "kernel")
    assert report["scope"]["kernel_id"] == kid
    counts = emulator.calls()["counts"]
    missing = [op for op in RECHECKED if not counts.get(op)]
    assert not missing, f"POST kernels/{{id}}/check did not ask again: {missing} ({counts})"
    rows = audit_rows(jp_serverapp)
    assert len(rows) == records + 1
    record = rows[0]
    assert record["event"] == "checked"
    assert record["kernel_id"] == kid
    assert record["kernel_name"] == "python3"
    assert record["session_path"] == "nb.ipynb"
    assert record["verdict"] == report["verdict"]
    assert record["access_key_id"] == report["credentials"]["access_key_id"]

    emulator.reset_calls()
    reply = await http(f"kernels/{kid}")
    assert reply.code == 200
    assert emulator.calls()["calls"] == [], "a warm kernel report made AWS calls"
    assert len(audit_rows(jp_serverapp)) == records + 1

    reply = await http(f"kernels/{kid}/check", "POST", body=json.dumps({"reason": "manual"}))
    assert reply.code == 200, reply.text
    reply = await http(f"kernels/{kid}", refresh="1")
    assert reply.code == 200, reply.text
    rows = audit_rows(jp_serverapp)
    assert len(rows) == records + 3
    assert [r["event"] for r in rows[:2]] == ["checked", "checked"]
    assert {r["kernel_id"] for r in rows[:2]} == {kid}


NOT_UUIDS = [
    "abc",
    "..%2Fx",  # the kernel id `../x`
    str(uuid.UUID(int=7)) + "0",  # 37 characters
    str(uuid.UUID(int=7))[:-1],  # 35 characters
    str(uuid.UUID(int=7)).replace("-", ""),  # 32 hex digits without dashes
    str(uuid.UUID(int=7)).replace("0", "g"),  # not hex
    "%3Cscript%3Ealert(1)%3C%2Fscript%3E",
    "%20" + str(uuid.UUID(int=7)),
    "%00%ff%fe",
]


@pytest.mark.traits(explicit_check_burst=2, explicit_check_interval=3600)
async def test_explicit_checks_are_rate_limited_per_request_not_per_kernel(http, start_kernel):
    kernels = [await start_kernel("python3", path=f"limit-{n}.ipynb") for n in range(3)]
    reply = await http("kernels", refresh="1")  # one explicit check of three kernels
    assert reply.code == 200, reply.text
    listed = reply.json()["kernels"]
    assert {r["scope"]["kernel_id"] for r in listed} == set(kernels)
    assert {r["budget"]["explicit_check"] for r in listed} == {"performed"}, listed

    assert (await http("identity/check", "POST")).json()["budget"]["explicit_check"] == (
        "performed"
    )
    limited = (await http(f"kernels/{kernels[0]}/check", "POST")).json()
    assert limited["budget"]["explicit_check"] == "rate_limited", limited["budget"]
    assert 0 < limited["budget"]["retry_after_seconds"] <= 3600
    assert limited["verdict"] == "propagated"  # served from what is known


async def test_malformed_kernel_ids_are_400(http, emulator, jp_serverapp):
    before = await settled(http, emulator, jp_serverapp)
    for kernel_id in NOT_UUIDS:
        assert_error(await http(f"kernels/{kernel_id}"), 400, "bad_request")
        assert_error(await http(f"kernels/{kernel_id}/check", "POST"), 400, "bad_request")
        assert_error(await http(f"kernels/{kernel_id}", refresh="1"), 400, "bad_request")
    # An unencoded `..` segment is not a kernel id either: an error, never a report.
    reply = await http("kernels/../x")
    assert reply.code in (400, 404)
    assert_error(reply, reply.code)
    assert_unchanged(before, emulator, jp_serverapp, "malformed kernel ids")


async def test_unknown_kernel_is_404(http, emulator, jp_serverapp, start_kernel):
    other = await start_kernel("python3")  # a kernel runs, just not this one
    await wait_for_launch_audit(jp_serverapp, other)
    unknown = str(uuid.uuid4())
    before = await settled(http, emulator, jp_serverapp)
    error = assert_error(await http(f"kernels/{unknown}"), 404, "not_found")
    assert unknown in error["message"] or "kernel" in error["message"].lower()
    assert_error(await http(f"kernels/{unknown}/check", "POST"), 404, "not_found")
    assert_error(await http(f"kernels/{unknown}", refresh="1"), 404, "not_found")
    assert_unchanged(before, emulator, jp_serverapp, "unknown kernel ids")


async def test_check_bodies_must_be_json_objects(http, emulator, jp_serverapp, start_kernel):
    kid = await start_kernel("python3")
    assert (await http(f"kernels/{kid}")).code == 200  # the launch check is done and audited
    before = await settled(http, emulator, jp_serverapp)
    bodies = ["not json", "[1, 2]", '"text"', "42", "null", "{", b"\xff\xfe{}"]
    for body in bodies:
        assert_error(await http("identity/check", "POST", body=body), 400, "bad_request")
        assert_error(await http(f"kernels/{kid}/check", "POST", body=body), 400, "bad_request")
    assert_error(await http("identity", refresh="maybe"), 400, "bad_request")
    assert_error(await http("kernels", refresh="2"), 400, "bad_request")
    assert_unchanged(before, emulator, jp_serverapp, "non-object bodies")

    reply = await http("identity/check", "POST", body=json.dumps({"any": "object"}))
    assert reply.code == 200, reply.text
    assert len(audit_rows(jp_serverapp)) == before[0] + 1


# ---- audit -------------------------------------------------------------------------------------


async def test_audit_records_newest_first_with_paging_and_csv(http, start_kernel, jp_serverapp):
    reply = await http("audit")
    assert reply.code == 200, reply.text
    assert reply.json() == {"records": [], "forwarding": None}  # forwarding off by default

    assert (await http("identity/check", "POST")).code == 200
    kid = await start_kernel("python3", path="audit.ipynb")
    assert (await http(f"kernels/{kid}")).code == 200  # joins the launch check (audited)
    assert (await http(f"kernels/{kid}/check", "POST")).code == 200

    reply = await http("audit")
    assert reply.code == 200, reply.text
    assert reply.content_type.startswith("application/json")
    assert reply.headers.get("Cache-Control") == "no-store"
    records = reply.json()["records"]
    assert [r["event"] for r in records] == ["checked", "kernel_started", "checked"]
    for record in records:
        assert set(record) == set(AUDIT_FIELDS), record
        assert ISO_Z.match(record["at"]), record
        assert MASKED_KEY.match(record["access_key_id"]), record
        assert record["verdict"] == "propagated"
        assert record["user_name"] == "jdoe"
        assert record["credential_source"] == "container-role"
    ats = [r["at"] for r in records]
    assert ats == sorted(ats, reverse=True), ats
    assert records[0]["kernel_id"] == kid and records[0]["session_path"] == "audit.ipynb"
    assert records[1]["kernel_id"] == kid and records[1]["kernel_name"] == "python3"
    assert records[2]["kernel_id"] is None and records[2]["kernel_name"] is None

    assert (await http("audit", limit=1)).json()["records"] == records[:1]
    assert (await http("audit", limit=2)).json()["records"] == records[:2]
    assert (await http("audit", limit=10000)).json()["records"] == records

    newest = datetime.fromisoformat(records[0]["at"].replace("Z", "+00:00"))
    assert (await http("audit", before=records[0]["at"])).json()["records"] == records[1:]
    with_offset = newest.astimezone(timezone(timedelta(hours=2))).isoformat(timespec="milliseconds")
    assert with_offset.endswith("+02:00")
    assert (await http("audit", before=with_offset)).json()["records"] == records[1:]
    assert (await http("audit", before="2999-01-01T00:00:00Z")).json()["records"] == records
    assert (await http("audit", before="2000-01-01T00:00:00Z")).json()["records"] == []
    page = await http("audit", before=records[0]["at"], limit=1)
    assert page.json()["records"] == records[1:2]


async def test_audit_csv_export(http, start_kernel, jp_serverapp):
    assert (await http("identity/check", "POST")).code == 200
    kid = await start_kernel("python3", path="=cmd|' /C calc'!A0.ipynb")
    # The launch's own record, first: arriving between the two reads below it would differ.
    await wait_for_launch_audit(jp_serverapp, kid)
    assert (await http(f"kernels/{kid}/check", "POST")).code == 200
    records = (await http("audit")).json()["records"]
    assert len(records) >= 2

    reply = await http("audit", format="csv")
    assert reply.code == 200, reply.text
    assert reply.headers.get("Cache-Control") == "no-store"
    rows = list(csv.reader(io.StringIO(reply.text)))
    assert rows[0] == AUDIT_FIELDS
    assert len(rows) == 1 + len(records)
    for row, record in zip(rows[1:], records, strict=True):
        expected = ["" if record[f] is None else record[f] for f in AUDIT_FIELDS]
        # A cell a spreadsheet would run as a formula is written as text (leading apostrophe).
        expected = ["'" + v if v.startswith(("=", "+", "-", "@")) else v for v in expected]
        assert row == expected
    assert any(row[AUDIT_FIELDS.index("session_path")].startswith("'=") for row in rows[1:])
    assert "records" not in reply.text
    assert reply.content_type.startswith("text/csv"), (
        f"format=csv is served as {reply.content_type!r}, not text/csv"
    )

    limited = list(csv.reader(io.StringIO((await http("audit", format="csv", limit=1)).text)))
    assert limited == rows[:2]


BAD_AUDIT_QUERIES = [
    {"limit": "0"},
    {"limit": "10001"},
    {"limit": "-1"},
    {"limit": "x"},
    {"limit": "1.5"},
    {"limit": ""},
    {"before": "garbage"},
    {"before": "2026-13-45T00:00:00Z"},
    {"before": "yesterday"},
    {"format": "xml"},
    {"format": "json,csv"},
]


async def test_bad_audit_queries_are_400(http, emulator, jp_serverapp):
    assert (await http("identity/check", "POST")).code == 200  # one record to (not) return
    before = await settled(http, emulator, jp_serverapp)
    for params in BAD_AUDIT_QUERIES:
        reply = await http("audit", **params)
        assert_error(reply, 400, "bad_request")
        assert "records" not in reply.text and "," not in reply.json()["error"]["code"]
    assert_unchanged(before, emulator, jp_serverapp, "bad audit queries")


# ---- version -----------------------------------------------------------------------------------


async def test_version(http):
    reply = await http("version")
    assert reply.code == 200, reply.text
    assert reply.content_type.startswith("application/json")
    assert reply.headers.get("Cache-Control") == "no-store"
    data = reply.json()
    assert data["version"] == installed_version("jupyterlab_trusted_identity")
    assert data["version"] == jupyterlab_trusted_identity.__version__
    assert data["schema_version"] == 1 and type(data["schema_version"]) is int
    # The frontend speaks the same schema: src/version.ts states it once.
    version_ts = (REPO / "src" / "version.ts").read_text(encoding="utf-8")
    stated = re.search(r"export const SCHEMA_VERSION = (\d+);", version_ts)
    assert stated and int(stated.group(1)) == data["schema_version"], stated


# ---- errors ------------------------------------------------------------------------------------

SOME_KERNEL = str(uuid.UUID(int=42))
WRONG_VERBS = [
    ("DELETE", "identity"),
    ("PUT", "identity"),
    ("POST", "identity"),
    ("PATCH", "identity"),
    ("GET", "identity/check"),
    ("PUT", "identity/check"),
    ("DELETE", "identity/check"),
    ("PUT", "kernels"),
    ("POST", "kernels"),
    ("DELETE", "kernels"),
    ("DELETE", f"kernels/{SOME_KERNEL}"),
    ("POST", f"kernels/{SOME_KERNEL}"),
    ("PUT", f"kernels/{SOME_KERNEL}"),
    ("GET", f"kernels/{SOME_KERNEL}/check"),
    ("DELETE", f"kernels/{SOME_KERNEL}/check"),
    ("POST", "audit"),
    ("DELETE", "audit"),
    ("PUT", "audit"),
    ("POST", "version"),
    ("DELETE", "version"),
]


async def test_wrong_verbs_are_405(http, emulator, jp_serverapp):
    before = await settled(http, emulator, jp_serverapp)
    for method, path in WRONG_VERBS:
        reply = await http(path, method, body="{}" if method in ("POST", "PUT", "PATCH") else None)
        assert reply.code == 405, (method, path, reply.code, reply.text)
        assert_error(reply, 405)
    assert_unchanged(before, emulator, jp_serverapp, "wrong verbs")


UNKNOWN_PATHS = [
    "",
    "nope",
    "identity/",
    "identity/check/now",
    "identities",
    "kernels/",
    f"kernels/{SOME_KERNEL}/restart",
    f"kernels/{SOME_KERNEL}/check/extra",
    "audit/export",
    "version/1",
    "api/kernels",
]


async def test_unknown_paths_are_json_404(http, emulator, jp_serverapp):
    before = await settled(http, emulator, jp_serverapp)
    for path in UNKNOWN_PATHS:
        assert_error(await http(path), 404, "not_found")
        assert_error(await http(path, "POST", body="{}"), 404, "not_found")
    assert_unchanged(before, emulator, jp_serverapp, "unknown paths")


async def test_bodies_over_16_kib_are_413(http, emulator, jp_serverapp, start_kernel):
    kid = await start_kernel("python3")
    assert (await http(f"kernels/{kid}")).code == 200
    before = await settled(http, emulator, jp_serverapp)
    over = "{" + " " * (16 * 1024 - 1) + "}"
    assert len(over) == 16 * 1024 + 1
    junk = "x" * (64 * 1024)
    for path in ("identity/check", f"kernels/{kid}/check"):
        for body in (over, junk):
            assert_error(await http(path, "POST", body=body), 413, "too_large")
    assert_unchanged(before, emulator, jp_serverapp, "oversized bodies")

    exactly = "{" + " " * (16 * 1024 - 2) + "}"
    assert len(exactly) == 16 * 1024
    reply = await http("identity/check", "POST", body=exactly)
    assert reply.code == 200, reply.text

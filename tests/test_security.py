"""Security of the REST routes against a real server and the emulated Studio: every route and verb
needs authentication (and authorization), POSTs obey XSRF when Studio runs without a token, no
secret reaches a response, a log line or the audit file, and failing AWS calls come back as
sanitized checks inside 200 reports."""

from __future__ import annotations

import json
import logging
import re
import uuid
from pathlib import Path
from typing import Any

import pytest
from helpers_http import (
    DATA_MARKERS,
    TRACE_MARKERS,
    Reply,
    assert_error,
    assert_report,
    assert_unchanged,
    audit_rows,
    auth,
    check_of,
    leaks,
    raw,
    scenario_secrets,
    snapshot,
    trusted_identity_app,
    wait_for_launch_audit,
)
from jupyter_server.auth import Authorizer

from jupyterlab_trusted_identity import handlers as ti_handlers

# Every route of API.md, as the extension registers it (after the base URL), plus the catch-all.
API_ROUTES = {
    "trusted-identity/identity",
    "trusted-identity/identity/check",
    "trusted-identity/kernels",
    "trusted-identity/kernels/(?P<kernel_id>[^/]+)",
    "trusted-identity/kernels/(?P<kernel_id>[^/]+)/check",
    "trusted-identity/audit",
    "trusted-identity/access-test",
    "trusted-identity/version",
    "trusted-identity/(.*)",
}
# A body each route accepts (the token tests must reach the route, not its 400).
ACCESS_TEST_BODY = json.dumps(
    {"target": "s3://amzn-s3-demo-bucket/users/jdoe/a.csv", "permission": "READ"}
)


def body_for(verb: str, path: str) -> str | None:
    if verb not in ("POST", "PUT", "PATCH"):
        return None
    return ACCESS_TEST_BODY if path.endswith("/access-test") else "{}"


VERBS = ("GET", "POST", "PUT", "PATCH", "DELETE")
AWS_SDK_LOGGERS = ("botocore", "boto3", "urllib3", "s3transfer")


def origin(http_server_client) -> str:
    return http_server_client.get_url("")


def extension_routes(serverapp) -> list[tuple[str, type]]:
    """(regex, handler class) of every rule the running app routes to a trusted-identity handler,
    read from tornado's routers (extension handlers live in default_router's host rules)."""
    found: list[tuple[str, type]] = []

    def walk(router: Any) -> None:
        for rule in getattr(router, "rules", []):
            target = rule.target
            if isinstance(target, type) and issubclass(target, ti_handlers.TrustedIdentityHandler):
                found.append((rule.matcher.regex.pattern, target))
            elif hasattr(target, "rules"):
                walk(target)

    walk(serverapp.web_app.default_router)
    walk(serverapp.web_app.wildcard_router)
    return found


def implemented_verbs(handler: type) -> list[str]:
    """The verbs the extension's own code implements for a handler (not tornado's 405 stubs,
    nor Jupyter's CORS-preflight OPTIONS)."""
    return [
        verb
        for verb in VERBS
        if getattr(getattr(handler, verb.lower()), "__module__", "") == ti_handlers.__name__
    ]


def concrete_path(pattern: str, kernel_id: str) -> str:
    path = re.sub(r"\(\?P<kernel_id>[^)]*\)", kernel_id, pattern.removesuffix("$"))
    path = path.replace("(.*)", "no-such-route")
    assert re.fullmatch(pattern, path), (pattern, path)
    return path


async def route_requests(serverapp, http_server_client, kernel_id: str) -> list[tuple[str, str]]:
    routes = extension_routes(serverapp)
    base_url = serverapp.base_url
    registered = {p.removeprefix(base_url).removesuffix("$") for p, _ in routes}
    assert registered == API_ROUTES, registered
    requests = []
    for pattern, handler in routes:
        verbs = implemented_verbs(handler)
        assert verbs, handler
        for verb in verbs:
            requests.append((verb, concrete_path(pattern, kernel_id)))
    return requests


def assert_no_data(reply: Reply, what: Any) -> None:
    for marker in DATA_MARKERS:
        assert marker not in reply.text, (what, reply.code, reply.text[:300])


def assert_refused(reply: Reply, what: Any) -> None:
    """403, or a redirect to the login page; never data."""
    if reply.code in (301, 302, 303, 307):
        assert "login" in (reply.headers.get("Location") or ""), (what, reply.headers)
    else:
        assert reply.code == 403, (what, reply.code, reply.text[:300])
    assert_no_data(reply, what)


# ---- authentication (check_auth-style) --------------------------------------------------------


async def test_every_route_and_verb_needs_authentication(
    http, start_kernel, emulator, jp_serverapp, http_server_client
):
    kid = await start_kernel("python3", path="secret.ipynb")
    assert (await http(f"kernels/{kid}")).code == 200  # launch check done: kernel has data
    requests = await route_requests(jp_serverapp, http_server_client, kid)
    assert len(requests) >= 8, requests
    root = origin(http_server_client).rstrip("/")
    before = snapshot(emulator, jp_serverapp)
    anonymous: list[tuple[str, dict[str, str], str]] = [
        ("no header", {}, ""),
        ("wrong token", {"Authorization": "token not-the-token"}, ""),
        ("wrong bearer", {"Authorization": "Bearer not-the-token"}, ""),
        ("empty token", {"Authorization": "token "}, ""),
        ("wrong query token", {}, "?token=not-the-token"),
    ]
    for verb, path in requests:
        body = body_for(verb, path)
        for name, headers, query in anonymous:
            reply = await raw(root + path + query, verb, body=body, headers=headers)
            assert_refused(reply, (verb, path, name))
    assert_unchanged(before, emulator, jp_serverapp, "unauthenticated requests")

    # The same requests with the token get through (so the refusals above were about the token).
    token = auth(jp_serverapp)
    for verb, path in requests:
        body = body_for(verb, path)
        reply = await raw(root + path, verb, body=body, headers=token)
        assert reply.code != 403, (verb, path, reply.text)
        if path.endswith("no-such-route"):
            assert_error(reply, 404, "not_found")
        else:
            assert reply.code == 200, (verb, path, reply.text)


async def test_unauthenticated_oversized_post_is_403_not_413(
    http, emulator, jp_serverapp, http_server_client
):
    before = snapshot(emulator, jp_serverapp)
    big = "{" + " " * (32 * 1024) + "}"
    for path in ("identity/check", f"kernels/{uuid.uuid4()}/check", "no-such-route"):
        reply = await http(path, "POST", body=big, token=False)
        assert_refused(reply, ("oversized unauthenticated POST", path))
    assert_unchanged(before, emulator, jp_serverapp, "unauthenticated oversized POSTs")


class DenyTrustedIdentity(Authorizer):
    """Allows everything but the trusted_identity resource."""

    def is_authorized(self, handler, user, action, resource) -> bool:
        return resource != "trusted_identity"


class TestAuthorizer:
    @pytest.fixture
    def jp_server_config(self, jp_server_config):
        config = dict(jp_server_config)
        config["ServerApp"] = {**config["ServerApp"], "authorizer_class": DenyTrustedIdentity}
        return config

    async def test_an_authorizer_that_denies_trusted_identity_gets_403_everywhere(
        self, http, start_kernel, emulator, jp_serverapp, http_server_client
    ):
        kid = await start_kernel("python3")  # the kernel API itself stays allowed
        await wait_for_launch_audit(jp_serverapp, kid)
        requests = await route_requests(jp_serverapp, http_server_client, kid)
        root = origin(http_server_client).rstrip("/")
        token = auth(jp_serverapp)
        before = snapshot(emulator, jp_serverapp)
        for verb, path in requests:
            body = body_for(verb, path)
            reply = await raw(root + path, verb, body=body, headers=token)
            if path.endswith("no-such-route"):
                assert_error(reply, 404, "not_found")  # no resource, nothing to authorize
            else:
                assert_error(reply, 403, "forbidden")
            assert_no_data(reply, (verb, path))
        assert_unchanged(before, emulator, jp_serverapp, "unauthorized requests")


# ---- XSRF with Studio's empty token -----------------------------------------------------------


class TestStudioWithoutToken:
    """SageMaker Studio runs Jupyter with an empty token behind its own proxy: requests are
    anonymous users, and POSTs must carry the `_xsrf` cookie and the X-XSRFToken header."""

    @pytest.fixture
    def jp_server_config(self, jp_server_config):
        config = dict(jp_server_config)
        config["ServerApp"] = {**config["ServerApp"], "token": "", "disable_check_xsrf": False}
        return config

    async def xsrf_cookie(self, http) -> str:
        for page in ("", "login", "no-such-page"):
            reply = await raw(http.base_url + page)
            if "_xsrf" in reply.cookies:
                return reply.cookies["_xsrf"]
        raise AssertionError("the server set no _xsrf cookie")

    async def test_posts_need_xsrf_gets_do_not(
        self, http, emulator, jp_serverapp, http_server_client
    ):
        assert jp_serverapp.identity_provider.token == ""
        assert not jp_serverapp.identity_provider.auth_enabled

        for path in ("identity", "kernels", "audit", "version"):
            reply = await http(path, token=False)
            assert reply.code == 200, (path, reply.text)
        assert reply.json()["schema_version"] == 1

        xsrf = await self.xsrf_cookie(http)
        good = {"Cookie": f"_xsrf={xsrf}", "X-XSRFToken": xsrf}
        started = await raw(
            http.base_url + "api/kernels",
            "POST",
            body=json.dumps({"name": "python3"}),
            headers=good,
        )
        assert started.code == 201, started.text
        kid = started.json()["id"]
        assert (await http(f"kernels/{kid}", token=False)).code == 200

        other = "2|00000000|" + "0" * 32 + "|1700000000"
        bad_variants = {
            "no cookie, no header": {},
            "cookie only": {"Cookie": f"_xsrf={xsrf}"},
            "header only": {"X-XSRFToken": xsrf},
            "mismatched header": {"Cookie": f"_xsrf={xsrf}", "X-XSRFToken": other},
            "cross-origin": {**good, "Origin": "https://evil.example.com"},
        }
        before = snapshot(emulator, jp_serverapp)
        for path in ("identity/check", f"kernels/{kid}/check"):
            for name, headers in bad_variants.items():
                reply = await http(path, "POST", body="{}", headers=headers, token=False)
                assert reply.code in (403, 404), (path, name, reply.code, reply.text)
                if name != "cross-origin":
                    assert reply.code == 403, (path, name)
                assert_no_data(reply, (path, name))
        assert_unchanged(before, emulator, jp_serverapp, "POSTs without XSRF")

        for path in ("identity/check", f"kernels/{kid}/check"):
            reply = await http(path, "POST", body="{}", headers=good, token=False)
            assert reply.code == 200, (path, reply.text)
            assert_report(reply.json(), "kernel" if "kernels" in path else "server")
        rows = audit_rows(jp_serverapp)
        assert [r["event"] for r in rows[:2]] == ["checked", "checked"]
        assert rows[0]["kernel_id"] == kid and rows[1]["kernel_id"] is None


# ---- no secret anywhere -----------------------------------------------------------------------


async def exercise_every_route(http, start_kernel) -> list[Reply]:
    """Calls every route (and error route) with a default and an AWS_PROFILE kernel running."""
    replies = [
        await http("identity"),
        await http("identity", refresh="1"),
        await http("identity/check", "POST"),
        await http("access-test", "POST", body=ACCESS_TEST_BODY),
        await http("version"),
    ]
    kernels = [
        await start_kernel("python3", path="notebooks/secret.ipynb"),
        await start_kernel("python3-aws-profile"),
    ]
    for kid in kernels:
        replies.append(await http(f"kernels/{kid}"))
        replies.append(await http(f"kernels/{kid}/check", "POST"))
    replies += [
        await http("kernels"),
        await http("kernels", refresh="1"),
        await http("audit"),
        await http("audit", format="csv"),
        await http("kernels/abc"),
        await http(f"kernels/{uuid.uuid4()}"),
        await http("no-such-route"),
        await http("identity", "DELETE"),
        await http("identity/check", "POST", body="x" * (17 * 1024)),
        await http("audit", limit="0"),
    ]
    return replies


def response_text(replies: list[Reply]) -> str:
    parts = []
    for reply in replies:
        parts.append(reply.text)
        parts.extend(f"{k}: {v}" for k, v in reply.headers.get_all())
    return "\n".join(parts)


def audit_file_text(serverapp) -> str:
    path = Path(trusted_identity_app(serverapp).audit_path)
    files = [p for p in (path, Path(f"{path}-wal"), Path(f"{path}-shm")) if p.exists()]
    assert path in files
    return "\n".join(p.read_bytes().decode("latin-1") for p in files)


def log_text(caplog, *, include_aws_sdk: bool) -> str:
    lines = []
    for record in caplog.records:
        if not include_aws_sdk and record.name.split(".")[0] in AWS_SDK_LOGGERS:
            continue
        lines.append(f"{record.name} {record.getMessage()} {record.exc_text or ''}")
    return "\n".join(lines)


SECRET_SCENARIOS = [
    pytest.param(name, marks=pytest.mark.scenario(name), id=name)
    for name in ("happy", "static_keys", "expired", "profile_env")
]


@pytest.mark.parametrize("scenario", SECRET_SCENARIOS)
async def test_no_secret_in_responses_server_log_or_audit_file(
    scenario, http, studio, emulator, start_kernel, jp_serverapp, caplog, jp_logging_stream
):
    # The server log at DEBUG, as `jupyter lab --debug` gives it: Jupyter's and the
    # extension's loggers (the AWS SDK's own wire logging is the next test's subject).
    caplog.set_level(logging.DEBUG)
    for name in AWS_SDK_LOGGERS:
        caplog.set_level(logging.INFO, logger=name)
    for name in ("ServerApp", "TrustedIdentity", "jupyterlab_trusted_identity", "tornado"):
        caplog.set_level(logging.DEBUG, logger=name)
    secrets = scenario_secrets(studio)
    assert "container authorization token" in secrets

    replies = await exercise_every_route(http, start_kernel)
    assert all(r.code < 500 for r in replies), [(r.code, r.text[:200]) for r in replies]
    responses = response_text(replies)
    server_report = replies[0].json()
    key_id = server_report["credentials"]["access_key_id"]
    if scenario in ("happy", "expired"):
        real = secrets["container AccessKeyId"]
        assert key_id == f"{real[:4]}\u2026{real[-4:]}", key_id
    if scenario == "static_keys":
        real = secrets["static AWS_ACCESS_KEY_ID"]
        assert key_id == f"{real[:4]}\u2026{real[-4:]}", key_id

    audit = audit_file_text(jp_serverapp)
    assert len(audit_rows(jp_serverapp)) >= 5
    assert "checked" in audit and "kernel_started" in audit and "access_tested" in audit

    logs = log_text(caplog, include_aws_sdk=False) + "\n" + jp_logging_stream.getvalue()
    assert any(r.name == "TrustedIdentity" for r in caplog.records), "extension log not captured"

    found = {
        "responses": leaks(responses, secrets),
        "server log": leaks(logs, secrets),
        "audit file": leaks(audit, secrets),
    }
    assert found == {"responses": [], "server log": [], "audit file": []}, found


async def test_no_secret_in_any_log_line_with_every_logger_at_debug(
    http, studio, emulator, start_kernel, jp_serverapp, caplog
):
    """Every logger of the server process at DEBUG, botocore's included: API.md allows no
    session token, and no full access key id, in any log line."""
    caplog.set_level(logging.DEBUG)
    for name in list(logging.root.manager.loggerDict):
        caplog.set_level(logging.DEBUG, logger=name)
    for name in AWS_SDK_LOGGERS:
        caplog.set_level(logging.DEBUG, logger=name)
    secrets = scenario_secrets(studio)

    assert (await http("identity/check", "POST")).code == 200
    kid = await start_kernel("python3")
    assert (await http(f"kernels/{kid}/check", "POST")).code == 200

    assert any(r.name.startswith("botocore") for r in caplog.records), "botocore not captured"
    by_logger: dict[str, list[str]] = {}
    for record in caplog.records:
        text = f"{record.getMessage()} {record.exc_text or ''}"
        for leak in leaks(text, secrets):
            by_logger.setdefault(record.name, [])
            if leak not in by_logger[record.name]:
                by_logger[record.name].append(leak)
    assert by_logger == {}, f"secrets in log lines, by logger: {by_logger}"


# ---- sanitized AWS failures -------------------------------------------------------------------

FAULTS = {
    # fault: the AWS error code the check's detail must name (None: AWS answered no code)
    "5xx": "InternalFailure",
    "denied": "AccessDeniedException",
    "malformed": None,
}


@pytest.mark.parametrize("fault", sorted(FAULTS))
async def test_failing_describe_space_is_a_sanitized_unknown_check(fault, http, emulator):
    assert (await http("identity")).code == 200  # warm: the check must bypass the cache
    emulator.fault("sagemaker:DescribeSpace", fault)
    try:
        for reply in (
            await http("identity/check", "POST"),
            await http("identity"),  # the failure, served from the cache
        ):
            assert reply.code == 200, reply.text
            assert reply.content_type.startswith("application/json")
            for marker in (*TRACE_MARKERS, "<HTML", "garbled", "\\u0000"):
                assert marker not in reply.text, (marker, reply.text[:500])
            report = reply.json()
            assert_report(report, "server")
            # CloudTrail proves the session: the unread checks are settled by it (issue 12).
            assert report["verification"]["status"] == "verified", report["verification"]
            assert report["verdict"] == "propagated", report["summary"]
            for check_id in ("studio.space_private", "studio.remote_access"):
                check = check_of(report, check_id)
                assert (check["status"], check["read_status"]) == ("warn", "unknown"), check
                assert "sagemaker:DescribeSpace" in check["detail"], check
                assert "sagemaker:DescribeSpace" in check["remediation"], check
                if FAULTS[fault]:
                    assert FAULTS[fault] in check["detail"], check
            # The other Studio facts still came through.
            assert check_of(report, "studio.auth_mode")["status"] == "pass"
            assert check_of(report, "credentials.valid")["status"] == "pass"
        counts = emulator.calls()["counts"]
        assert counts.get("sagemaker:DescribeSpace"), counts
    finally:
        emulator.clear_faults()

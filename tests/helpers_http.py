"""HTTP helpers shared by the route, security, fault and hostile-input tests: raw requests to the
test server (any verb, any header, with or without the token), the API.md error shape, audit
and emulator bookkeeping, and the scenario's secrets with what a leak of them looks like. The
API.md constants live in contract.py."""

from __future__ import annotations

import asyncio
import configparser
import json
import re
import time
import urllib.parse
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from contract import (  # noqa: F401  (re-exported to the route and security tests)
    AUDIT_FIELDS,
    CHECK_STATUSES,
    KERNEL_CHECK_IDS,
    MASKED_KEY,
    PROVENANCES,
    REQUIRED,
    SERVER_CHECK_IDS,
    VERDICTS,
    VERIFICATION_STATUSES,
)
from tornado.httpclient import AsyncHTTPClient, HTTPRequest, HTTPResponse

PREFIX = "trusted-identity"

ISO_Z = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?Z$")
# What a leaked stack trace or an HTML error page looks like.
TRACE_MARKERS = ("Traceback", 'File "', "<html", "<!DOCTYPE", "<body", "Exception:")
# What a response that leaks data would contain.
DATA_MARKERS = ('"verdict"', '"records"', '"version"', '"kernels"', '"checks"', "caller_arn")
# A full access key id (never allowed out: only the masked form) and moto's session tokens.
FULL_KEY_ID = re.compile(r"(?<![A-Z0-9])(?:AKIA|ASIA)[A-Z0-9]{16}(?![A-Z0-9])")
MOTO_TOKEN_PREFIX = "FQoGZXIvYXdzE"


@dataclass
class Reply:
    code: int
    headers: Any
    body: bytes
    cookies: dict[str, str] = field(default_factory=dict)

    @property
    def text(self) -> str:
        return self.body.decode("utf-8", errors="replace")

    @property
    def content_type(self) -> str:
        return self.headers.get("Content-Type", "")

    def json(self) -> Any:
        return json.loads(self.text)


async def raw(
    url: str,
    method: str = "GET",
    *,
    body: str | bytes | None = None,
    headers: dict[str, str] | None = None,
) -> Reply:
    """One request exactly as given: no token unless in `headers`, redirects not followed."""
    if body is None and method in ("POST", "PUT", "PATCH"):
        body = b""
    request = HTTPRequest(
        url,
        method=method,
        body=body,
        headers=headers or {},
        follow_redirects=False,
        allow_nonstandard_methods=True,
        request_timeout=30,
    )
    client = AsyncHTTPClient(force_instance=True)
    try:
        response: HTTPResponse = await client.fetch(request, raise_error=False)
    finally:
        client.close()
    cookies = {}
    for line in response.headers.get_list("Set-Cookie"):
        name, _, rest = line.partition("=")
        cookies[name.strip()] = rest.split(";", 1)[0]
    return Reply(response.code, response.headers, response.body or b"", cookies)


class Http:
    """Requests to the test server's trusted-identity routes through a plain HTTP client.

    `await http("kernels/abc", "GET", token=False, limit=5)`: the path is sent verbatim (so
    encoded junk stays encoded), keyword arguments become the query string, and the token is
    sent in the Authorization header unless `token=False`.
    """

    def __init__(self, base_url: str, token: str) -> None:
        self.base_url = base_url
        self.token = token

    def url(self, path: str, params: dict[str, Any] | None = None) -> str:
        url = self.base_url + f"{PREFIX}/{path}"
        if params:
            url += "?" + urllib.parse.urlencode(params)
        return url

    async def __call__(
        self,
        path: str,
        method: str = "GET",
        *,
        body: str | bytes | None = None,
        headers: dict[str, str] | None = None,
        token: bool = True,
        **params: Any,
    ) -> Reply:
        sent = dict(headers or {})
        if token:
            sent.setdefault("Authorization", f"token {self.token}")
        return await raw(self.url(path, params), method, body=body, headers=sent)


def base(http_server_client: Any, jp_base_url: str) -> str:
    """http://127.0.0.1:<port>/jupyterlab/default/"""
    return http_server_client.get_url(jp_base_url)


def auth(serverapp: Any) -> dict[str, str]:
    return {"Authorization": f"token {serverapp.identity_provider.token}"}


def assert_error(reply: Reply, status: int, code: str | None = None) -> dict[str, Any]:
    """The exact API.md error shape: {"error": {"code", "message"}}, JSON, no trace, no-store."""
    assert reply.code == status, (reply.code, reply.text[:500])
    assert reply.content_type.startswith("application/json"), reply.content_type
    data = reply.json()
    assert list(data) == ["error"], data
    assert set(data["error"]) == {"code", "message"}, data
    assert isinstance(data["error"]["code"], str) and data["error"]["code"], data
    if code is not None:
        assert data["error"]["code"] == code, data
    message = data["error"]["message"]
    assert isinstance(message, str) and message.strip(), data
    for marker in TRACE_MARKERS:
        assert marker not in reply.text, reply.text
    assert reply.headers.get("Cache-Control") == "no-store", reply.headers.get("Cache-Control")
    return data["error"]


def audit_rows(serverapp: Any) -> list[dict[str, Any]]:
    """Every record of the running extension's audit store, read directly (not via the API)."""
    store = trusted_identity_app(serverapp).audit.store
    return store.query(limit=1_000_000)


def trusted_identity_app(serverapp: Any) -> Any:
    manager = serverapp.extension_manager
    return manager.extension_apps["jupyterlab_trusted_identity"].copy().pop()


def aws_calls(emulator: Any) -> int:
    """How many AWS calls (container credential fetches included) the emulator has seen."""
    return len(emulator.calls()["calls"])


def snapshot(emulator: Any, serverapp: Any) -> tuple[int, int]:
    """(audit records, AWS calls) now, so that later requests can be shown to have added none."""
    return len(audit_rows(serverapp)), aws_calls(emulator)


async def settled(http: Http, emulator: Any, serverapp: Any) -> tuple[int, int]:
    """Waits for the start-up warm-up (a GET joins its loads), then takes a `snapshot`."""
    reply = await http("identity")
    assert reply.code == 200, reply.text
    return snapshot(emulator, serverapp)


def assert_unchanged(before: tuple[int, int], emulator: Any, serverapp: Any, what: str) -> None:
    """No audit record and no AWS call since `before` (a `snapshot` or `settled`)."""
    records, calls = before
    rows = audit_rows(serverapp)
    assert len(rows) == records, f"{what} wrote audit records: {rows[: len(rows) - records]}"
    new_calls = emulator.calls()["calls"][calls:]
    assert aws_calls(emulator) == calls, f"{what} made AWS calls: {new_calls}"


def _str_or_none(value: Any) -> bool:
    return value is None or (isinstance(value, str) and value != "")


def assert_report(report: dict[str, Any], kind: str) -> None:
    """Every field API.md names, with its type and allowed values (no scenario specifics)."""
    assert report["schema_version"] == 1 and type(report["schema_version"]) is int
    assert isinstance(report["generated_at"], str) and ISO_Z.match(report["generated_at"])
    assert report["scope"]["kind"] == kind
    assert report["verdict"] in VERDICTS, report["verdict"]
    assert isinstance(report["summary"], str) and report["summary"].strip()

    user = report["user"]
    for key in ("user_id", "user_name", "display_name", "email", "identity_store_arn"):
        assert key in user and _str_or_none(user[key]), (key, user)
    assert user["provenance"] in PROVENANCES, user

    role = report["role"]
    for key in ("caller_arn", "account", "role_arn", "session_name", "execution_role_arn"):
        assert key in role and _str_or_none(role[key]), (key, role)

    creds = report["credentials"]
    assert _str_or_none(creds["source"]), creds
    key_id = creds["access_key_id"]
    assert key_id is None or MASKED_KEY.match(key_id), creds
    assert creds["expires_at"] is None or ISO_Z.match(creds["expires_at"]), creds
    assert isinstance(creds["overridden_by"], list), creds
    assert all(isinstance(name, str) and name for name in creds["overridden_by"]), creds

    studio = report["studio"]
    for key in (
        "domain_id",
        "space_name",
        "user_profile_name",
        "app_type",
        "region",
        "auth_mode",
        "sharing_type",
        "remote_access",
        "tip_domain",
        "tip_app",
    ):
        assert key in studio and _str_or_none(studio[key]), (key, studio)
    assert studio["region_supported"] in (True, False, None), studio

    verification = report["verification"]
    assert verification["status"] in VERIFICATION_STATUSES, verification
    for key in ("user_id", "event_name", "event_time"):
        assert key in verification and _str_or_none(verification[key]), (key, verification)

    checks = report["checks"]
    assert isinstance(checks, list)
    ids = [c["id"] for c in checks]
    assert len(ids) == len(set(ids)), ids
    assert set(ids) == set(KERNEL_CHECK_IDS if kind == "kernel" else SERVER_CHECK_IDS), ids
    for check in checks:
        for key in ("id", "status", "required", "title", "detail", "remediation", "doc_url"):
            assert key in check, (key, check)
        assert check["status"] in CHECK_STATUSES, check
        assert check["required"] is REQUIRED[check["id"]], check
        assert isinstance(check["title"], str) and check["title"].strip(), check
        assert isinstance(check["detail"], str) and check["detail"].strip(), check
        assert isinstance(check["remediation"], str), check
        assert isinstance(check["doc_url"], str) and check["doc_url"].startswith("https://"), check

    services = report["connected_services"]
    assert isinstance(services, list) and services, services
    for service in services:
        assert isinstance(service["id"], str) and service["id"], service
        assert isinstance(service["name"], str) and service["name"], service
        assert service["ready"] in (True, False, None), service
        assert isinstance(service["detail"], str), service
    assert "s3-access-grants" in {s["id"] for s in services}


def check_of(report: dict[str, Any], check_id: str) -> dict[str, Any]:
    return next(c for c in report["checks"] if c["id"] == check_id)


async def wait_for_launch_audit(serverapp: Any, kernel_id: str, timeout: float = 15.0) -> None:
    """Waits until the launch check of a kernel has written its `kernel_started` record, so
    that later requests can be shown to cause no AWS call and no record of their own."""
    deadline = time.monotonic() + timeout
    while True:
        rows = audit_rows(serverapp)
        if any(r["event"] == "kernel_started" and r["kernel_id"] == kernel_id for r in rows):
            return
        assert time.monotonic() < deadline, f"kernel {kernel_id} was never audited: {rows}"
        await asyncio.sleep(0.05)


# ---- the scenario's secrets --------------------------------------------------------------------


def container_credentials(studio: dict[str, Any]) -> dict[str, str]:
    token = studio["env"].get("AWS_CONTAINER_AUTHORIZATION_TOKEN")
    uri = studio["env"].get("AWS_CONTAINER_CREDENTIALS_FULL_URI")
    if not token or not uri:
        return {}
    request = urllib.request.Request(
        studio["url"] + "/_container/credentials", headers={"Authorization": token}
    )
    with urllib.request.urlopen(request, timeout=10) as response:
        return json.loads(response.read())


def scenario_secrets(studio: dict[str, Any]) -> dict[str, str]:
    """Every secret of the scenario, by name: what must never come out."""
    secrets: dict[str, str] = {}
    creds = container_credentials(studio)
    if creds:
        secrets["container SecretAccessKey"] = creds["SecretAccessKey"]
        secrets["container Token"] = creds["Token"]
        secrets["container AccessKeyId"] = creds["AccessKeyId"]
    env = studio["env"]
    if env.get("AWS_CONTAINER_AUTHORIZATION_TOKEN"):
        secrets["container authorization token"] = env["AWS_CONTAINER_AUTHORIZATION_TOKEN"]
    if env.get("AWS_SECRET_ACCESS_KEY"):
        secrets["static AWS_SECRET_ACCESS_KEY"] = env["AWS_SECRET_ACCESS_KEY"]
        secrets["static AWS_ACCESS_KEY_ID"] = env["AWS_ACCESS_KEY_ID"]
    profiles = configparser.ConfigParser()
    profiles.read(Path(studio["state_dir"]) / "aws" / "credentials")
    for name in profiles.sections():
        secrets[f"profile {name} secret"] = profiles[name]["aws_secret_access_key"]
        secrets[f"profile {name} key id"] = profiles[name]["aws_access_key_id"]
    for name, value in secrets.items():
        assert value and len(value) >= 16, (name, value)
    return secrets


def leaks(text: str, secrets: dict[str, str]) -> list[str]:
    found = [name for name, value in secrets.items() if value in text]
    found += [f"full key id {m}" for m in FULL_KEY_ID.findall(text)]
    if MOTO_TOKEN_PREFIX in text:
        found.append("a session token")
    return found

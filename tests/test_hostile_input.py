"""Hostile input on every route of a real `jupyter server` process: randomised (hypothesis) and
crafted ids, query values, bodies of every size and encoding, methods and headers.

Whatever comes in: no 500, no traceback (in the response or the server log), the API.md error
shape, no state change for what is rejected (no audit record, no AWS call), and no secret in
any response. Requests without the token, and cross-site requests without XSRF to a server
running with Studio's empty token, are refused.
"""

from __future__ import annotations

import http.client
import json
import sqlite3
import time
import urllib.parse
import uuid
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from helpers_http import DATA_MARKERS, leaks, scenario_secrets
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bench.harness import BASE_URL, Server

PREFIX = BASE_URL + "trusted-identity/"
MAX_BODY = 16 * 1024
EXAMPLES = settings(
    max_examples=150,
    deadline=None,
    database=None,  # nothing written into the checkout
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
ERROR_CODES = {
    400: "bad_request",
    403: "forbidden",
    404: "not_found",
    405: "method_not_allowed",
    413: "too_large",
}


@dataclass
class Answer:
    status: int
    headers: list[tuple[str, str]]
    body: bytes
    request: Any = field(repr=False, default=None)

    @property
    def text(self) -> str:
        return self.body.decode("utf-8", errors="replace")

    def header(self, name: str) -> str:
        return next((v for k, v in self.headers if k.lower() == name.lower()), "")


class Target:
    """A server process plus what the checks need: its audit file and the emulator."""

    def __init__(self, server: Server, emulator: Any, secrets: dict[str, str]):
        self.server, self.emulator, self.secrets = server, emulator, secrets

    def send(
        self,
        method: str,
        path: str,
        *,
        body: bytes | None = None,
        headers: list[tuple[str, str]] | None = None,
        token: bool = True,
    ) -> Answer:
        """One request on a fresh connection; headers may repeat; the path is sent as is."""
        conn = http.client.HTTPConnection("127.0.0.1", self.server.port, timeout=30)
        try:
            conn.putrequest(method, path, skip_accept_encoding=True)
            sent = list(headers or [])
            if token and self.server.token:
                sent.append(("Authorization", f"token {self.server.token}"))
            for name, value in sent:
                conn.putheader(name, value)
            if body is not None:
                conn.putheader("Content-Length", str(len(body)))
            conn.endheaders(body)
            response = conn.getresponse()
            return Answer(
                response.status,
                response.getheaders(),
                response.read(),
                (method, path, (body or b"")[:200], sent),
            )
        finally:
            conn.close()

    def state(self) -> tuple[int, int]:
        """(audit records, AWS calls seen by the emulator)."""
        with sqlite3.connect(f"file:{self.server.audit_path}?mode=ro", uri=True) as db:
            records = db.execute("SELECT COUNT(*) FROM audit").fetchone()[0]
        return records, self.emulator.calls()["total"]

    def log(self) -> str:
        return self.server.log_path.read_text(errors="replace")


@pytest.fixture(scope="module")
def happy(emulator) -> dict[str, Any]:
    info = emulator.use("happy")
    emulator.reset_calls()
    return info


def _serve(emulator, happy, tmp: Path, **kwargs: Any) -> Iterator[Target]:
    server = Server(emulator, tmp, traits={"aws_timeout": 2, "check_deadline": 5}, **kwargs)
    try:
        server.wait_ready()
        # Joins the start-up report, so its AWS calls are over before anything is counted.
        server.client.json("GET", "trusted-identity/identity")
        yield Target(server, emulator, scenario_secrets(happy))
    finally:
        server.stop()


@pytest.fixture(scope="module")
def target(emulator, happy, tmp_path_factory) -> Iterator[Target]:
    """A server with a token and one kernel in a session, whose launch check is done."""
    yield from _serve(emulator, happy, tmp_path_factory.mktemp("hostile"), name="token")


@pytest.fixture(scope="module")
def kernel_id(target: Target) -> str:
    body = {"path": "hostile.ipynb", "type": "notebook", "kernel": {"name": "python3"}}
    client = target.server.client
    kid = client.json("POST", "api/sessions", body, expect=201)["kernel"]["id"]
    for _ in range(150):
        records = client.json("GET", "trusted-identity/audit")["records"]
        if any(r["event"] == "kernel_started" and r["kernel_id"] == kid for r in records):
            return kid
        time.sleep(0.1)
    raise AssertionError("the kernel's launch check was never audited")


@pytest.fixture(scope="module")
def studio_target(emulator, happy, tmp_path_factory) -> Iterator[Target]:
    """A server as SageMaker Studio runs it: empty token, XSRF checks on."""
    yield from _serve(
        emulator,
        happy,
        tmp_path_factory.mktemp("hostile-studio"),
        name="studio",
        token="",
        extra_args=["--ServerApp.disable_check_xsrf=False"],
    )


# ---- the invariants ------------------------------------------------------------------------


def assert_safe(target: Target, answer: Answer, before: tuple[int, int]) -> None:
    """No 500, no trace, the error shape on our routes, nothing changed if refused, no secret."""
    where = answer.request
    assert answer.status < 500, (where, answer.status, answer.text[:300])
    assert "Traceback" not in answer.text, (where, answer.text[:500])
    found = leaks(answer.text + "\n" + repr(answer.headers), target.secrets)
    assert not found, (where, found)
    method, path = where[0], where[1]
    ours = urllib.parse.urlsplit(path).path.startswith(PREFIX)
    if answer.status >= 400:
        assert target.state() == before, (where, answer.status, "changed state")
        if not answer.body and not answer.headers:
            # Refused by tornado's HTTP/1 parser (e.g. a control character in a header): the
            # request never reached a handler.
            assert answer.status == 400, where
        elif ours and method != "HEAD" and answer.status in ERROR_CODES:
            assert answer.header("Content-Type").startswith("application/json"), where
            error = json.loads(answer.body)
            assert list(error) == ["error"] and set(error["error"]) == {"code", "message"}, where
            assert error["error"]["message"], where
            assert answer.header("Cache-Control") == "no-store", where
    for marker in DATA_MARKERS if answer.status >= 300 else ():
        assert marker not in answer.text, (where, answer.text[:300])


def assert_no_traceback_in_log(target: Target) -> None:
    log = target.log()
    assert "Traceback" not in log, log[log.find("Traceback") - 500 :][:3000]
    assert " 500 " not in log, [line for line in log.splitlines() if " 500 " in line][:5]


# ---- strategies ----------------------------------------------------------------------------

CRAFTED_IDS = [
    "..",
    "../..",
    "..%2F..%2Fetc%2Fpasswd",
    "%2e%2e%2f%2e%2e",
    "%2e%2e",
    "%252e%252e",
    "....//....//",
    "%00",
    "abc%00def",
    str(uuid.UUID(int=1)) + "%00",
    str(uuid.UUID(int=1)) + "%0A",
    str(uuid.UUID(int=1)) + "%0D%0A",
    str(uuid.UUID(int=1)).upper(),
    "{" + str(uuid.UUID(int=1)) + "}",
    "%C3%BC%C3%AF%C3%B1",
    "%F0%9F%98%80",
    "%E2%80%AE" + str(uuid.UUID(int=1)),  # right-to-left override
    "%FF%FE",
    "%C0%AF",  # overlong UTF-8 for '/'
    "x" * 5000,
    "%41" * 3000,
    "kernels",
    "check",
    "*",
    "%",
    "%%",
    "%G0",
    ";",
    "a;b=c",
    "?",
    "#",
]
CRAFTED_QUERIES = [
    "limit=%C2%B2",  # '²': a digit to str.isdigit, not to int()
    "limit=%D9%A1",  # Arabic-Indic one
    "limit=" + "9" * 5000,
    "limit=-0",
    "limit=+5",
    "limit=1e3",
    "limit=0x10",
    "limit=10001",
    "limit=1&limit=2&limit=x",
    "limit=%00",
    "before=9999-12-31T23:59:59.999999",
    "before=9999-12-31T23:59:59-01:00",
    "before=0001-01-01T00:00:00%2B01:00",
    "before=2026-02-30T00:00:00Z",
    "before=2026-W01",
    "before=" + "2" * 10000,
    "before=%FF",
    "before=1&before=2026-01-01",
    "format=CSV",
    "format=json&format=csv",
    "format=%00csv",
    "format=../../etc/passwd",
    "refresh=2",
    "refresh=%FF",
    "refresh=1&refresh=0&refresh=maybe",
    "refresh=" + "1" * 10000,
    "a" * 20000 + "=1",
    "=&&==&",
    "%",
    "limit",
    "token=wrong",
]
METHODS = ["GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS", "TRACE", "PROPFIND", "get"]
CONTENT_TYPES = [
    "application/json",
    "application/json; charset=utf-16",
    "text/plain",
    "application/x-www-form-urlencoded",
    "multipart/form-data; boundary=xyz",
    "multipart/form-data",
    "application/octet-stream",
    "image/png",
    "",
    "application/json; charset=\u00ff",
]


def _route(kernel: str) -> st.SearchStrategy[str]:
    segment = st.one_of(
        st.sampled_from(CRAFTED_IDS),
        st.text(max_size=80).map(lambda t: urllib.parse.quote(t, safe="")),
        st.text(alphabet="0123456789abcdefABCDEF-", max_size=40),
        st.uuids().map(str),
        st.just(kernel),
    )
    return st.one_of(
        st.sampled_from(["identity", "identity/check", "kernels", "audit", "version", ""]),
        segment.map(lambda s: f"kernels/{s}"),
        segment.map(lambda s: f"kernels/{s}/check"),
        st.tuples(segment, segment).map(lambda p: f"{p[0]}/{p[1]}"),
    )


_query = st.one_of(
    st.just(""),
    st.sampled_from(CRAFTED_QUERIES),
    st.lists(
        st.tuples(
            st.sampled_from(["limit", "before", "format", "refresh", "x"]),
            st.one_of(st.text(max_size=60), st.integers().map(str)),
        ),
        max_size=4,
    ).map(lambda pairs: urllib.parse.urlencode(pairs)),
)
CRAFTED_BODIES = [
    b"{}",
    b'{"a": 1}',
    b"[" * 8000,
    b'{"a":' * 3000,
    b"\xff\xfe{\x00}\x00",
    "{}".encode("utf-16"),
    b'{"\\ud800": 1}',
    b"1e99999",
    b"\x00" * 100,
    b"{" + b" " * (MAX_BODY - 2) + b"}",  # exactly the limit
    b"{" + b" " * (MAX_BODY - 1) + b"}",  # one over
    b"x" * (MAX_BODY * 4),
]
_body = st.one_of(
    st.none(),
    st.binary(max_size=300),
    st.text(max_size=300).map(lambda t: t.encode("utf-8", "surrogatepass")),
    st.sampled_from(CRAFTED_BODIES),
    st.integers(0, 40_000).map(lambda n: b" " * n),
)
_headers = st.lists(
    st.one_of(
        st.tuples(st.just("Content-Type"), st.sampled_from(CONTENT_TYPES)),
        st.tuples(
            st.sampled_from(
                ["X-XSRFToken", "Cookie", "Origin", "Referer", "Accept", "X-Forwarded-For", "X-Foo"]
            ),
            st.text(alphabet=st.characters(min_codepoint=0x20, max_codepoint=0x7E), max_size=80),
        ),
    ),
    max_size=4,
)


def _path(route: str, query: str) -> str:
    return PREFIX + route + (f"?{query}" if query else "")


# ---- crafted --------------------------------------------------------------------------------


def test_crafted_ids_queries_bodies_methods_and_headers(target: Target, kernel_id: str):
    requests: list[tuple[str, str, bytes | None, list[tuple[str, str]]]] = []
    for segment in CRAFTED_IDS:
        requests += [
            ("GET", _path(f"kernels/{segment}", ""), None, []),
            ("POST", _path(f"kernels/{segment}/check", ""), b"{}", []),
            ("GET", _path(f"kernels/{segment}", "refresh=1"), None, []),
        ]
    for query in CRAFTED_QUERIES:
        for route in ("audit", "identity", "kernels", f"kernels/{kernel_id}", "version"):
            requests.append(("GET", _path(route, query), None, []))
    for body in CRAFTED_BODIES:
        for route in ("identity/check", f"kernels/{kernel_id}/check"):
            requests.append(("POST", _path(route, ""), body, []))
    for content_type in CONTENT_TYPES:
        for body in (b"{}", b"refresh=1&a=b", b"--xyz\r\n\r\n--xyz--", b"\x89PNG"):
            headers = [("Content-Type", content_type)]
            requests.append(("POST", _path("identity/check", ""), body, headers))
    for method in METHODS:
        for route in ("identity", "identity/check", "kernels", f"kernels/{kernel_id}", "audit"):
            body = b"{}" if method in ("POST", "PUT", "PATCH") else None
            requests.append((method, _path(route, ""), body, []))
    duplicated = [
        ("Content-Type", "application/json"),
        ("Content-Type", "text/plain"),
        ("X-XSRFToken", "a"),
        ("X-XSRFToken", "b"),
        ("Cookie", "_xsrf=%%%; _xsrf=2|00|00|00"),
        ("Cookie", "\x7f=\x7f"),
        ("Accept", "*/*" * 2000),
        ("Origin", "null"),
    ]
    requests.append(("POST", _path("identity/check", ""), b"{}", duplicated))
    requests.append(("GET", _path("identity", ""), None, duplicated))

    for method, path, body, headers in requests:
        before = target.state()
        answer = target.send(method, path, body=body, headers=headers)
        assert_safe(target, answer, before)
        if "kernels/" in path and answer.status == 200 and method in ("GET", "POST"):
            # Only the running kernel's own id is a kernel report.
            assert json.loads(answer.body)["scope"]["kernel_id"] == kernel_id, path
    assert_no_traceback_in_log(target)


def test_an_id_with_a_trailing_newline_is_not_a_uuid(target: Target):
    before = target.state()
    answer = target.send("GET", _path(f"kernels/{uuid.UUID(int=1)}%0A", ""))
    assert answer.status == 400, answer.text
    assert json.loads(answer.body)["error"]["code"] == "bad_request"
    assert_safe(target, answer, before)


# ---- randomised -----------------------------------------------------------------------------


@EXAMPLES
@given(data=st.data())
def test_randomised_requests_with_the_token(target: Target, kernel_id: str, data):
    method = data.draw(st.sampled_from(METHODS), "method")
    path = _path(data.draw(_route(kernel_id), "route"), data.draw(_query, "query"))
    body = data.draw(_body, "body")
    if method in ("POST", "PUT", "PATCH") and body is None:
        body = b""
    headers = data.draw(_headers, "headers")
    before = target.state()
    answer = target.send(method, path, body=body, headers=headers)
    assert_safe(target, answer, before)


@EXAMPLES
@given(data=st.data())
def test_randomised_requests_without_the_token_are_refused(target: Target, kernel_id: str, data):
    method = data.draw(st.sampled_from(["GET", "POST", "PUT", "PATCH", "DELETE"]), "method")
    route = data.draw(
        st.sampled_from(
            [
                "identity",
                "identity/check",
                "kernels",
                f"kernels/{kernel_id}",
                f"kernels/{kernel_id}/check",
                "audit",
                "version",
            ]
        ),
        "route",
    )
    path = _path(route, data.draw(_query, "query"))
    fake = data.draw(
        st.one_of(
            st.just([]),
            st.text(
                alphabet=st.characters(min_codepoint=0x21, max_codepoint=0x7E), max_size=64
            ).map(lambda t: [("Authorization", f"token {t}")]),
            st.just([("Authorization", "token ")]),
            st.just([("Authorization", "Bearer x")]),
        ),
        "credentials",
    )
    headers = fake + data.draw(_headers, "headers")
    body = b"{}" if method in ("POST", "PUT", "PATCH") else None
    before = target.state()
    answer = target.send(method, path, body=body, headers=headers, token=False)
    # 400: tornado refuses a malformed form body before any handler code runs; 404: Jupyter's
    # answer to a foreign Origin.
    assert answer.status in (302, 400, 403, 404, 405), (answer.request, answer.status, answer.text)
    if answer.status == 302:
        assert "login" in answer.header("Location"), answer.headers
    assert target.state() == before
    for marker in DATA_MARKERS:
        assert marker not in answer.text, (answer.request, answer.text[:200])
    assert_safe(target, answer, before)


def _xsrf_cookie(target: Target) -> str:
    for page in ("", "login", "api/status"):
        answer = target.send("GET", BASE_URL + page)
        for name, value in answer.headers:
            if name.lower() == "set-cookie" and value.startswith("_xsrf="):
                return value.split(";", 1)[0].split("=", 1)[1]
    raise AssertionError("no _xsrf cookie")


@EXAMPLES
@given(data=st.data())
def test_randomised_cross_site_requests_without_xsrf_are_refused(studio_target: Target, data):
    target = studio_target
    xsrf = _xsrf_cookie(target)
    route, method, query = data.draw(
        st.sampled_from(
            [
                ("identity/check", "POST", ""),
                ("identity", "GET", "refresh=1"),
                ("kernels", "GET", "refresh=1"),
            ]
        ),
        "request",
    )
    origin = data.draw(
        st.sampled_from(["https://evil.example.com", "null", "http://127.0.0.1.evil.com", None]),
        "origin",
    )
    headers: list[tuple[str, str]] = []
    if origin:
        headers += [("Origin", origin), ("Referer", origin + "/page")]
    # What a cross-site page can send: the victim's cookie rides along, but it cannot read it
    # to fill in the header (a page that controls both cookie and header is not cross-site:
    # that is the double-submit design). With a foreign Origin, even the right pair fails.
    variants = [
        [],
        [("Cookie", f"_xsrf={xsrf}")],
        [("X-XSRFToken", xsrf)],
        [("Cookie", f"_xsrf={xsrf}"), ("X-XSRFToken", "2|00000000|" + "0" * 32 + "|1")],
        [("Cookie", f"_xsrf={xsrf}"), ("X-XSRFToken", "guess")],
    ]
    if origin:
        variants.append([("Cookie", f"_xsrf={xsrf}"), ("X-XSRFToken", xsrf)])
    headers += data.draw(st.sampled_from(variants), "xsrf")
    body = data.draw(_body, "body") if method == "POST" else None
    if method == "POST" and body is None:
        body = b""
    before = target.state()
    answer = target.send(method, _path(route, query), body=body, headers=headers)
    assert answer.status in (403, 404, 413), (answer.request, answer.status, answer.text[:200])
    assert target.state() == before, answer.request
    for marker in DATA_MARKERS:
        assert marker not in answer.text, (answer.request, answer.text[:200])
    assert_safe(target, answer, before)


def test_same_site_request_with_xsrf_is_accepted_and_logs_stay_clean(
    studio_target: Target, target: Target
):
    xsrf = _xsrf_cookie(studio_target)
    before = studio_target.state()
    answer = studio_target.send(
        "POST",
        _path("identity/check", ""),
        body=b"{}",
        headers=[("Cookie", f"_xsrf={xsrf}"), ("X-XSRFToken", xsrf)],
    )
    assert answer.status == 200, answer.text[:300]
    assert json.loads(answer.body)["verdict"] == "propagated"
    assert studio_target.state()[0] == before[0] + 1  # the check was audited
    for server in (studio_target, target):
        assert_no_traceback_in_log(server)
        found = leaks(server.log(), server.secrets)
        assert not found, found

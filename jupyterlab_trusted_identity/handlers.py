"""REST routes of API.md. One base class turns every error into the JSON error shape, without a
stack trace; every verb requires Jupyter authentication and POSTs obey Jupyter's XSRF rules."""

from __future__ import annotations

import io
import json
import re
from datetime import UTC, datetime
from http import HTTPStatus
from typing import TYPE_CHECKING, Any

from jupyter_server.auth.decorator import authorized
from jupyter_server.base.handlers import APIHandler
from tornado import web

from .audit import records_to_csv
from .engine.access_test import AccessRequestError, parse_request
from .service import RateLimited

if TYPE_CHECKING:
    from .service import IdentityService

PREFIX = "trusted-identity"
# Request bodies are empty or a small JSON object; anything larger is refused before parsing.
MAX_BODY_BYTES = 16 * 1024
MAX_AUDIT_LIMIT = 10_000
# fullmatch: `$` would also accept a trailing newline (tests/test_hostile_input.py).
_UUID = re.compile(r"[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}")
_CODES = {
    400: "bad_request",
    401: "unauthorized",
    403: "forbidden",
    404: "not_found",
    405: "method_not_allowed",
    413: "too_large",
    429: "rate_limited",
}
_MESSAGES = {
    401: "Sign in to Jupyter first.",
    403: "This request is not authenticated or not allowed; reload JupyterLab and sign in.",
    404: "There is no such trusted-identity resource.",
    405: "This method is not allowed on this route.",
    413: "The request body is too large.",
}
_TRUE = {"1", "true", "yes"}
_FALSE = {"0", "false", "no", ""}


class ApiError(web.HTTPError):
    """An error with the API's code and a message the user can act on."""

    def __init__(
        self,
        status: int,
        code: str,
        message: str,
        *,
        extra: dict[str, Any] | None = None,
        headers: dict[str, str] | None = None,
    ):
        super().__init__(status, reason=HTTPStatus(status).phrase)
        self.code = code
        self.message = message
        # More members of the error object, and headers (send_error clears those set before).
        self.extra = extra or {}
        self.headers = headers or {}


class TrustedIdentityHandler(APIHandler):
    auth_resource = "trusted_identity"

    def initialize(self, service: IdentityService) -> None:
        self.service = service

    def set_default_headers(self) -> None:
        super().set_default_headers()
        self.set_header("Cache-Control", "no-store")

    def compute_etag(self) -> str | None:
        # Tornado's default would hash every body it sends (bench: warm_report_vs_status), and
        # saves nothing when the body was built anyway; a route whose validator is cheaper than
        # its body sets its own ETag (KernelsHandler).
        return None

    async def prepare(self) -> None:  # type: ignore[override]
        await super().prepare()  # authentication first: strangers learn nothing, not even 413
        if len(self.request.body or b"") > MAX_BODY_BYTES:
            raise ApiError(413, "too_large", f"The request body exceeds {MAX_BODY_BYTES} bytes.")

    def write_error(self, status_code: int, **kwargs: Any) -> None:
        error = kwargs.get("exc_info", (None, None, None))[1]
        extra: dict[str, Any] = {}
        if isinstance(error, ApiError):
            code, message, extra = error.code, error.message, error.extra
            for name, value in error.headers.items():
                self.set_header(name, value)
        elif status_code >= 500:
            code = "internal_error"
            message = "The trusted-identity server extension failed; the server log has details."
        else:
            code = _CODES.get(status_code, "error")
            message = _MESSAGES.get(status_code, HTTPStatus(status_code).phrase + ".")
        self.clear_header("Content-Disposition")
        self.set_header("Cache-Control", "no-store")
        self.finish(
            json.dumps({"error": {"code": code, "message": message, **extra}}),
            set_content_type="application/json; charset=UTF-8",
        )

    def write_json(self, data: Any) -> None:
        self.finish(json.dumps(data), set_content_type="application/json; charset=UTF-8")

    def write_kernels(self, reports: list[Any]) -> None:
        """`{"kernels": reports}` byte for byte as write_json writes it, encoded report by report
        into one buffer: 200 kernels' answer (~4 MB) is never held twice, as text and as bytes,
        a peak the server's memory kept after the answer went."""
        body = io.BytesIO()
        body.write(b'{"kernels": [')
        for n, report in enumerate(reports):
            if n:
                body.write(b", ")
            body.write(json.dumps(report).encode())
        body.write(b"]}")
        self.finish(body.getvalue(), set_content_type="application/json; charset=UTF-8")

    def wants_refresh(self) -> bool:
        """`?refresh=1` acts like the POST check, so it passes the same XSRF rules (scripts
        authenticated by token are exempt, as for POSTs)."""
        raw = self.get_query_argument("refresh", "").strip().lower()
        if raw in _FALSE:
            return False
        if raw not in _TRUE:
            raise ApiError(400, "bad_request", f"Query value refresh={raw[:40]!r} must be 1 or 0.")
        self.check_xsrf_cookie()
        return True

    def wants_reverify(self) -> bool:
        """`?cloudtrail=1` on a check: CloudTrail is asked again even for a session it already
        proved (otherwise that proof stands for the app session: see engine/delivery.py)."""
        raw = self.get_query_argument("cloudtrail", "").strip().lower()
        if raw in _FALSE:
            return False
        if raw not in _TRUE:
            raise ApiError(
                400, "bad_request", f"Query value cloudtrail={raw[:40]!r} must be 1 or 0."
            )
        return True

    def body_object(self) -> dict[str, Any]:
        """POST bodies are optional; when present they must be a JSON object."""
        raw = self.request.body or b""
        if not raw.strip():
            return {}
        try:
            value = json.loads(raw)
        except (ValueError, UnicodeDecodeError, RecursionError):
            # RecursionError: a body of a few thousand nested brackets (found by
            # tests/test_hostile_input.py; it was a 500).
            raise ApiError(400, "bad_request", "The request body is not valid JSON.") from None
        if not isinstance(value, dict):
            raise ApiError(400, "bad_request", "The request body must be a JSON object.")
        return value

    def kernel(self, kernel_id: str) -> str:
        if not _UUID.fullmatch(kernel_id):
            raise ApiError(400, "bad_request", "A kernel id is a UUID.")
        if not self.service.has_kernel(kernel_id):
            raise ApiError(404, "not_found", f"No running kernel has the id {kernel_id}.")
        return kernel_id


class IdentityHandler(TrustedIdentityHandler):
    @web.authenticated
    @authorized
    async def get(self) -> None:
        if self.wants_refresh():
            self.write_json(await self.service.check_server())
            return
        self.write_json(await self.service.server_report())


class IdentityCheckHandler(TrustedIdentityHandler):
    @web.authenticated
    @authorized
    async def post(self) -> None:
        self.body_object()
        reverify = self.wants_reverify()
        self.write_json(await self.service.check_server(reverify=reverify))


class KernelsHandler(TrustedIdentityHandler):
    """The panel's steady-state poll: a client that sends the ETag of the list it holds in
    If-None-Match gets 304 with no body while no report could differ, and no report is built
    for it. Still no-store: the client keeps the list, no cache in between does."""

    @web.authenticated
    @authorized
    async def get(self) -> None:
        if self.wants_refresh():
            self.write_kernels(await self.service.check_kernels())
            return
        listing = await self.service.kernel_listing()
        self.set_header("ETag", listing.etag)
        if self.check_etag_header():
            self.set_status(304)
            self.finish()
            return
        self.write_kernels(await self.service.kernel_reports(listing))


class KernelHandler(TrustedIdentityHandler):
    @web.authenticated
    @authorized
    async def get(self, kernel_id: str) -> None:
        kernel_id = self.kernel(kernel_id)
        if self.wants_refresh():
            self.write_json(await self.service.check_kernel(kernel_id))
            return
        self.write_json(await self.service.kernel_report(kernel_id))


class KernelCheckHandler(TrustedIdentityHandler):
    @web.authenticated
    @authorized
    async def post(self, kernel_id: str) -> None:
        kernel_id = self.kernel(kernel_id)
        self.body_object()
        reverify = self.wants_reverify()
        self.write_json(await self.service.check_kernel(kernel_id, reverify=reverify))


class AuditHandler(TrustedIdentityHandler):
    @web.authenticated
    @authorized
    async def get(self) -> None:
        limit = self._limit()
        before = self._before()
        fmt = self.get_query_argument("format", "json").strip().lower()
        if fmt not in ("json", "csv"):
            raise ApiError(400, "bad_request", "format must be json or csv.")
        records = await self.service.audit_records(limit=limit, before=before)
        if fmt == "csv":
            self.set_header(
                "Content-Disposition", 'attachment; filename="trusted-identity-audit.csv"'
            )
            self.finish(records_to_csv(records), set_content_type="text/csv; charset=UTF-8")
            return
        self.write_json({"records": records, "forwarding": self.service.audit_forwarding()})

    def _limit(self) -> int:
        raw = self.get_query_argument("limit", "100").strip()
        # ASCII digits only, and few: str.isdigit() accepts "²", which int() refuses, and int()
        # refuses thousands of digits (both were 500s, tests/test_hostile_input.py).
        if not (raw.isascii() and raw.isdigit() and len(raw) <= 6) or not (
            1 <= int(raw) <= MAX_AUDIT_LIMIT
        ):
            raise ApiError(
                400, "bad_request", f"limit must be a whole number from 1 to {MAX_AUDIT_LIMIT}."
            )
        return int(raw)

    def _before(self) -> datetime | None:
        raw = self.get_query_argument("before", "").strip()
        if not raw:
            return None
        try:
            value = datetime.fromisoformat(raw.replace("Z", "+00:00"))
            value = value if value.tzinfo else value.replace(tzinfo=UTC)
            # A time at the ends of the calendar overflows in UTC (it was a 500).
            value.astimezone(UTC)
        except (ValueError, OverflowError):
            raise ApiError(
                400, "bad_request", "before must be an ISO 8601 time, e.g. 2026-11-28T12:00:00Z."
            ) from None
        return value


class AccessTestHandler(TrustedIdentityHandler):
    """Test access: `{"target": "s3://bucket/prefix", "permission": "READ"}` → S3 Access Grants'
    answer (engine/access_test.py). Bad input is a 400 before anything is asked; a request the
    rate limit refuses is a 429 with the seconds until the next one may ask."""

    @web.authenticated
    @authorized
    async def post(self) -> None:
        try:
            request = parse_request(self.body_object())
        except AccessRequestError as error:
            raise ApiError(400, "bad_request", str(error)) from None
        try:
            result = await self.service.test_access(request)
        except RateLimited as limited:
            seconds = limited.retry_after_seconds
            raise ApiError(
                429,
                "rate_limited",
                "AWS was asked moments ago (an explicit check or access test); test access "
                + (f"again in {seconds} s." if seconds else "again shortly."),
                extra={"retry_after_seconds": seconds},
                headers={"Retry-After": str(seconds)} if seconds else {},
            ) from None
        self.write_json(result)


class VersionHandler(TrustedIdentityHandler):
    @web.authenticated
    @authorized
    async def get(self) -> None:
        self.write_json(self.service.version())


class NotFoundHandler(TrustedIdentityHandler):
    """Anything else under the prefix: a JSON 404 rather than Jupyter's HTML page."""

    @web.authenticated
    async def get(self, _path: str) -> None:
        raise ApiError(404, "not_found", "There is no such trusted-identity route.")

    post = put = patch = delete = get


def routes(service: IdentityService) -> list[tuple[str, type, dict[str, Any]]]:
    kernel = r"(?P<kernel_id>[^/]+)"
    table = [
        ("identity", IdentityHandler),
        ("identity/check", IdentityCheckHandler),
        ("kernels", KernelsHandler),
        (f"kernels/{kernel}", KernelHandler),
        (f"kernels/{kernel}/check", KernelCheckHandler),
        ("audit", AuditHandler),
        ("access-test", AccessTestHandler),
        ("version", VersionHandler),
        ("(.*)", NotFoundHandler),
    ]
    return [(f"/{PREFIX}/{path}", handler, {"service": service}) for path, handler in table]

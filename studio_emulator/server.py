"""The front HTTP server: one loopback port for every AWS endpoint, the container
credentials endpoint and the control API. What it does not emulate goes to moto as is."""

from __future__ import annotations

import http.client
import ipaddress
import os
import socket
import sys
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

from .responses import Reply

if TYPE_CHECKING:
    from .emulator import Emulator, Outcome

_HOP_BY_HOP = {
    "connection",
    "keep-alive",
    "proxy-authenticate",
    "proxy-authorization",
    "te",
    "trailer",
    "transfer-encoding",
    "upgrade",
    "content-length",
    "expect",  # the front server already answered "100 Continue"
}
CONTAINER_PATH = "/_container/credentials"
CONTROL_PREFIX = "/_emulator"


class FrontServer(ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True
    request_queue_size = 128

    def __init__(self, address: tuple[str, int], emulator: Emulator) -> None:
        self.emulator = emulator
        super().__init__(address, FrontHandler)

    def proxy(
        self,
        moto_url: str,
        method: str,
        target: str,
        headers: Any,
        body: bytes,
        access_key_id: str | None,
        replacement_key: str | None,
    ) -> Reply:
        """Forward a request to moto byte for byte (signatures are not checked there)."""
        parts = urlsplit(moto_url)
        conn = http.client.HTTPConnection(parts.hostname, parts.port, timeout=120)
        try:
            conn.putrequest(method, target, skip_host=True, skip_accept_encoding=True)
            for name, value in headers.items():
                if name.lower() in _HOP_BY_HOP:
                    continue
                if replacement_key and access_key_id and name.lower() == "authorization":
                    value = value.replace(
                        f"Credential={access_key_id}/", f"Credential={replacement_key}/"
                    )
                conn.putheader(name, value)
            conn.putheader("Content-Length", str(len(body)))
            conn.endheaders(body)
            resp = conn.getresponse()
            data = resp.read()
            out = {k: v for k, v in resp.getheaders() if k.lower() not in _HOP_BY_HOP}
            if method == "HEAD" and resp.getheader("Content-Length"):
                out["Content-Length"] = resp.getheader("Content-Length")
            return Reply(resp.status, data, out)
        finally:
            conn.close()


class FrontHandler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    disable_nagle_algorithm = True  # else each small reply waits ~40 ms for a delayed ACK
    server_version = "studio-emulator"
    sys_version = ""
    server: FrontServer

    def log_message(self, format: str, *args: Any) -> None:
        # Quiet by default; never logs headers (they hold tokens and signatures).
        if os.environ.get("STUDIO_EMULATOR_VERBOSE"):
            sys.stderr.write(
                f"studio-emulator: {self.command} {self.path.split('?')[0]} "
                f"{args[1] if len(args) > 1 else ''}\n"
            )

    def _read_body(self) -> bytes:
        if "chunked" in (self.headers.get("Transfer-Encoding") or "").lower():
            chunks = []
            while True:
                size = int(self.rfile.readline().split(b";")[0].strip() or b"0", 16)
                if size == 0:
                    while self.rfile.readline() not in (b"\r\n", b"\n", b""):
                        pass  # trailers
                    return b"".join(chunks)
                chunks.append(self.rfile.read(size))
                self.rfile.readline()
        length = int(self.headers.get("Content-Length") or 0)
        return self.rfile.read(length) if length else b""

    def _send(self, reply: Reply) -> None:
        self.send_response(reply.status)
        headers = dict(reply.headers)
        length = headers.pop("Content-Length", None)
        for name, value in headers.items():
            if name.lower() not in ("server", "date"):
                self.send_header(name, value)
        if self.command == "HEAD":
            self.send_header("Content-Length", length or str(len(reply.body)))
            self.end_headers()
            return
        self.send_header("Content-Length", str(len(reply.body)))
        self.end_headers()
        self.wfile.write(reply.body)

    def _drop(self) -> None:
        """Close the TCP connection without answering."""
        self.close_connection = True
        try:
            self.wfile.flush()
            self.connection.shutdown(socket.SHUT_RDWR)
        except OSError:
            pass

    def _loopback_client(self) -> bool:
        try:
            return ipaddress.ip_address(self.client_address[0]).is_loopback
        except ValueError:
            return False

    def _handle(self) -> None:
        from .control import handle_control

        body = self._read_body()
        split = urlsplit(self.path)
        if split.scheme:
            # A proxy request (absolute form, e.g. the s3control endpoint, whose host botocore
            # prefixes with the account id): the Host header names the host; go on with the
            # origin form, as moto expects.
            self.path = split.path + (f"?{split.query}" if split.query else "")
        path = split.path
        emu = self.server.emulator
        if path == CONTROL_PREFIX or path.startswith(CONTROL_PREFIX + "/"):
            if not self._loopback_client():
                self._send(
                    Reply(
                        403,
                        b'{"error": "control API is loopback only"}',
                        {"Content-Type": "application/json"},
                    )
                )
                return
            self._send(handle_control(emu, self.command, self.path, body))
            return
        if path == CONTAINER_PATH and self.command == "GET":
            outcome: Outcome = emu.container_fetch(self.headers.get("Authorization"))
        else:
            outcome = emu.aws(self.command, self.path, self.headers, body)
        if outcome.close or outcome.reply is None:
            self._drop()
        else:
            self._send(outcome.reply)

    def _safe_handle(self) -> None:
        try:
            self._handle()
        except (BrokenPipeError, ConnectionResetError):
            self.close_connection = True
        except Exception:  # keep serving; a broken emulator must not hang a test
            import traceback

            sys.stderr.write(
                f"studio-emulator: internal error on {self.command} "
                f"{self.path.split('?')[0]}\n{traceback.format_exc()}"
            )
            try:
                self._send(
                    Reply(
                        500,
                        b'{"__type": "InternalFailure", "message": "emulator error"}',
                        {"Content-Type": "application/x-amz-json-1.1"},
                    )
                )
            except OSError:
                self.close_connection = True

    do_GET = do_POST = do_PUT = do_DELETE = do_HEAD = do_PATCH = _safe_handle

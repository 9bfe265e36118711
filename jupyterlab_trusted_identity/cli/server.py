"""The client of a running Jupyter server's trusted-identity routes, found through Jupyter's own
runtime files (jpserver-*.json in the runtime directory, as `jupyter server list` reads them),
with the token they hold. The token goes in the Authorization header and nowhere else: no
message names it."""

from __future__ import annotations

import json
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass, field
from typing import Any

from ..handlers import PREFIX

# The kernels route builds each report within check_deadline (10 s by default); allow more.
TIMEOUT = 60.0
# Runtime files name the server on this machine: never go through an HTTP proxy to reach it.
_OPENER = urllib.request.build_opener(urllib.request.ProxyHandler({}))


class ServerProblem(Exception):
    """A sentence a person can act on; `found` tells whether a server was found at all."""

    def __init__(self, message: str, *, found: bool, status: int | None = None):
        super().__init__(message)
        self.found = found
        self.status = status


@dataclass(frozen=True)
class Server:
    url: str  # with the base URL and a trailing slash
    token: str = field(repr=False)

    def get(self, route: str, **params: Any) -> tuple[str, bytes]:
        """(content type, body) of GET trusted-identity/<route>; ServerProblem otherwise."""
        query = urllib.parse.urlencode({k: v for k, v in params.items() if v is not None})
        url = f"{self.url}{PREFIX}/{route}" + (f"?{query}" if query else "")
        request = urllib.request.Request(url, headers={"Accept": "application/json, text/csv"})
        if self.token:
            request.add_header("Authorization", f"token {self.token}")
        try:
            with _OPENER.open(request, timeout=TIMEOUT) as response:
                return response.headers.get("Content-Type", ""), response.read()
        except urllib.error.HTTPError as error:
            raise ServerProblem(
                f"The Jupyter server at {self.url} answered {error.code}: {_message(error)}",
                found=True,
                status=error.code,
            ) from None
        except (urllib.error.URLError, OSError) as error:
            reason = getattr(error, "reason", error)
            raise ServerProblem(
                f"Cannot reach the Jupyter server at {self.url}: {reason}.", found=True
            ) from None

    def get_json(self, route: str, **params: Any) -> Any:
        _, body = self.get(route, **params)
        try:
            return json.loads(body)
        except ValueError:
            raise ServerProblem(
                f"The Jupyter server at {self.url} did not answer {route} with JSON.", found=True
            ) from None


def _message(error: urllib.error.HTTPError) -> str:
    """The API's error message (API.md: {"error": {"code", "message"}}), else the reason."""
    try:
        return str(json.loads(error.read())["error"]["message"])
    except Exception:
        return str(error.reason)


def running_servers(runtime_dir: str | None = None) -> list[Server]:
    from jupyter_server.serverapp import list_running_servers

    return [
        Server(
            url=info["url"] if info["url"].endswith("/") else info["url"] + "/",
            token=info.get("token") or "",
        )
        for info in list_running_servers(runtime_dir)
        if info.get("url")
    ]


def find_server(runtime_dir: str | None = None) -> Server:
    """The first running server that serves the trusted-identity routes."""
    servers = running_servers(runtime_dir)
    if not servers:
        raise ServerProblem(
            "No running Jupyter server was found (no server file in Jupyter's runtime "
            "directory; `jupyter server list` shows the same). Start JupyterLab, or run this in "
            "a terminal of the space's JupyterLab app.",
            found=False,
        )
    problems: list[ServerProblem] = []
    for server in servers:
        try:
            server.get_json("version")
        except ServerProblem as problem:
            problems.append(problem)
            continue
        return server
    refused = [p for p in problems if p.status != 404]
    if refused:  # a server that may well have the routes, but would not answer
        raise refused[0]
    raise ServerProblem(
        "No running Jupyter server serves the trusted-identity routes; is the server extension "
        "enabled (`jupyter server extension list`)? " + " ".join(str(p) for p in problems),
        found=False,
    )

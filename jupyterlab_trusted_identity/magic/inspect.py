"""This kernel's current credentials, judged in process by the engine.

What boto3 in this kernel uses *now* is what the magic reports, including what the notebook
changed at run time:

* `boto3.DEFAULT_SESSION`, when boto3 made one (`boto3.setup_default_session(...)`, or the first
  `boto3.client(...)`): its credentials are what `boto3.client()` signs with, whatever
  `os.environ` says since (botocore keeps a session's credentials once resolved);
* otherwise botocore's default credential chain over `os.environ` as it is now: what the
  default session boto3 makes on first use will resolve.

The space's own credentials (the carrier of the identity context) are those of the kernel's
*launch* environment (/proc/self/environ, which `os.environ` edits do not change), resolved as
the server resolves a kernel's: in a child process when the kernel's environment changed since.

Engine pieces used: IdentityEngine (one per kernel, so STS and Studio answers are cached across
runs of the magic), Scope (its `resolve_credentials`: the gathering asks it at each report, off
the event loop), credentials.resolve_in_process (botocore's chain, or a given botocore session)
/ resolve_in_child / fingerprint, and the IdentityEngine.resolve_credentials hook the gathering
reads the space's credentials through.
"""

from __future__ import annotations

import asyncio
import atexit
import logging
import os
import sys
import threading
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from ..engine import IdentityEngine, Scope
from ..engine.credentials import (
    OVERRIDING_VARIABLES,
    RELOCATING_VARIABLES,
    ResolvedCredentials,
    fingerprint,
    resolution_timeout,
    resolve_in_child,
    resolve_in_process,
)
from ..engine.report_types import Report
from .config import KernelConfig, read_config

# Where the credentials boto3 uses now come from (the card's provenance of the credentials).
FROM_DEFAULT_SESSION = "boto3.DEFAULT_SESSION"
FROM_CHAIN = "botocore's credential chain over os.environ now"
# Where the launch environment was read.
FROM_PROC = "/proc/self/environ"
FROM_LOAD = "os.environ when the extension was loaded"


def launch_environment(snapshot: Mapping[str, str] | None) -> tuple[dict[str, str], str]:
    """The environment this kernel process started with, and where it was read."""
    try:
        with open("/proc/self/environ", "rb") as f:
            raw = f.read()
    except OSError:
        return dict(snapshot if snapshot is not None else os.environ), FROM_LOAD
    environ = {}
    for item in raw.split(b"\0"):
        name, sep, value = item.partition(b"=")
        if sep and name:
            environ[name.decode(errors="replace")] = value.decode(errors="replace")
    return environ, FROM_PROC


def changed_variables(now: Mapping[str, str], launch: Mapping[str, str]) -> list[str]:
    """Names (never values) of the variables botocore's chain reads that the notebook set,
    changed or removed since the kernel started."""
    names = (*OVERRIDING_VARIABLES, "AWS_ROLE_SESSION_NAME", *RELOCATING_VARIABLES)
    return [n for n in names if now.get(n) != launch.get(n)]


def _default_session() -> Any | None:
    """boto3's default session, if boto3 is imported and made one (never imports boto3)."""
    boto3 = sys.modules.get("boto3")
    return getattr(boto3, "DEFAULT_SESSION", None) if boto3 is not None else None


class KernelEngine(IdentityEngine):
    """The engine, with this kernel's launch environment as the space's."""

    def __init__(self, config: KernelConfig, launch: Mapping[str, str]) -> None:
        super().__init__(
            config.engine,
            launch,
            logging.getLogger("jupyterlab_trusted_identity.magic"),
            user_agent="jupyterlab-trusted-identity-magic",
        )

    async def resolve_credentials(
        self, environ: Mapping[str, str], force: bool, environ_fingerprint: str
    ) -> ResolvedCredentials:
        """The space's credentials (the scope's are its own: see scope_now). The engine resolves
        them in process, from os.environ: right only while the notebook has not changed it."""
        if fingerprint(os.environ) == self.server_fingerprint:
            return await super().resolve_credentials(environ, force, environ_fingerprint)
        kept = self.cache.peek(("credentials", environ_fingerprint))
        if kept is not None and not force:
            return kept  # resolved in process before the notebook changed its environment
        # os.environ is no longer the launch environment: resolve that one in a child process.
        timeout = resolution_timeout(self.config.aws_timeout)
        return await resolve_in_child(environ, environ, timeout)

    def scope_now(self) -> tuple[Scope, str]:
        """This kernel as it is now (its id and notebook, os.environ as the notebook left it, the
        credentials boto3 uses now), and where those credentials are read."""
        session = _default_session()
        if session is None:
            resolve, source = resolve_in_process, FROM_CHAIN
        else:
            # boto3's Session wraps botocore's, which keeps the credentials it resolved.
            botocore_session = session._session
            resolve, source = (lambda: resolve_in_process(botocore_session)), FROM_DEFAULT_SESSION
        scope = Scope(
            kind="kernel",
            environ=dict(os.environ),
            kernel_id=_kernel_id(),
            session_path=os.environ.get("JPY_SESSION_NAME") or None,
            # The live process environment (the closest of the report's sources).
            environment_source="process",
            resolve_credentials=resolve,
        )
        return scope, source


def _kernel_id() -> str | None:
    """This kernel's id, from the name of its connection file (kernel-<id>.json)."""
    try:
        from ipykernel.connect import get_connection_file

        name = os.path.basename(get_connection_file())
    except Exception:  # not an ipykernel kernel (a terminal IPython)
        return None
    if name.startswith("kernel-") and name.endswith(".json"):
        return name[len("kernel-") : -len(".json")]
    return None


@dataclass(frozen=True)
class Reading:
    """One run of the magic: the engine's report and what the card adds about this kernel."""

    report: Report
    credentials_from: str  # FROM_DEFAULT_SESSION or FROM_CHAIN
    default_session_profile: str | None
    launch_from: str  # FROM_PROC or FROM_LOAD
    changed: tuple[str, ...]  # variables the notebook changed since launch (names only)
    config: KernelConfig


class Inspector:
    """Runs the engine on a private event loop in its own thread: IPython's kernel runs its own
    loop in the main thread while a cell executes, so the magic waits on a future instead."""

    def __init__(self, snapshot: Mapping[str, str] | None = None) -> None:
        self.config = read_config()
        launch, self.launch_from = launch_environment(snapshot)
        self.launch = launch
        self._loop = asyncio.new_event_loop()
        self._thread = threading.Thread(
            target=self._loop.run_forever, name="trusted-identity-magic", daemon=True
        )
        self._thread.start()
        self.engine = self._call(self._make_engine(launch))
        atexit.register(self.close)

    async def _make_engine(self, launch: Mapping[str, str]) -> KernelEngine:
        return KernelEngine(self.config, launch)  # built on its loop: it schedules timers there

    def _call(self, coroutine: Any) -> Any:
        future = asyncio.run_coroutine_threadsafe(coroutine, self._loop)
        # The engine returns within check_deadline; the margin covers building the report.
        return future.result(timeout=self.config.engine.check_deadline + 10)

    def read(self, *, refresh: bool = False) -> Reading:
        scope, credentials_from = self.engine.scope_now()
        # Each run reads the credentials again: the scope resolves its own (boto3's default
        # session may have changed with the same os.environ), and the engine never reuses the
        # report of such a scope; only --refresh asks AWS again (an explicit check).
        report = self._call(self.engine.report(scope, refresh=refresh))
        session = _default_session()
        return Reading(
            report=report,
            credentials_from=credentials_from,
            default_session_profile=getattr(session, "profile_name", None) if session else None,
            launch_from=self.launch_from,
            changed=tuple(changed_variables(os.environ, self.launch)),
            config=self.config,
        )

    def close(self) -> None:
        if self._loop.is_closed():
            return
        self._loop.call_soon_threadsafe(self.engine.close)
        self._loop.call_soon_threadsafe(self._loop.stop)
        self._thread.join(timeout=2)

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
runs of the magic), Scope, credentials.resolve_in_process / resolve_in_child / fingerprint, and
the IdentityEngine.resolve_credentials hook the gathering reads credentials through.
"""

from __future__ import annotations

import asyncio
import atexit
import itertools
import logging
import os
import sys
import threading
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from ..engine import IdentityEngine, Scope
from ..engine.credentials import (
    ERROR,
    EXPIRED,
    NO_CREDENTIALS,
    OVERRIDING_VARIABLES,
    RELOCATING_VARIABLES,
    ResolvedCredentials,
    container_uri,
    fingerprint,
    resolve_in_child,
    resolve_in_process,
)
from ..engine.masking import mask_key_ids
from ..engine.report_types import Report
from .config import KernelConfig, read_config

# Where the credentials boto3 uses now come from (the card's provenance of the credentials).
FROM_DEFAULT_SESSION = "boto3.DEFAULT_SESSION"
FROM_CHAIN = "botocore's credential chain over os.environ now"
# Where the launch environment was read.
FROM_PROC = "/proc/self/environ"
FROM_LOAD = "os.environ when the extension was loaded"

# Not an AWS variable: a distinct value per reading, so the engine's fingerprint of the scope
# (credentials.fingerprint: AWS_* variables) never equals the space's and each run of the magic
# resolves what boto3 uses now. No check reads it (they read named variables only).
READING_MARKER = "AWS_TRUSTED_IDENTITY_MAGIC_READING"
_readings = itertools.count(1)


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


def _utc(value: Any) -> datetime | None:
    if not isinstance(value, datetime):
        return None
    return (value if value.tzinfo else value.replace(tzinfo=UTC)).astimezone(UTC)


def resolve_session(session: Any) -> ResolvedCredentials:
    """The credentials a boto3 session signs with, in the engine's terms (blocking: the session
    may refresh them, e.g. an sts:AssumeRole for a profile; run it off the event loop)."""
    uri = container_uri(os.environ)
    profile = getattr(session, "profile_name", None)
    try:
        creds = session.get_credentials()
        if creds is None:
            return ResolvedCredentials(
                source=None,
                problem=NO_CREDENTIALS,
                detail=f"boto3's default session (profile {profile}) has no credentials",
                container_uri=uri,
            )
        frozen = creds.get_frozen_credentials()
    except RuntimeError:
        # botocore refreshed them and they are still expired: boto3 fails the same way.
        return ResolvedCredentials(
            source=getattr(creds, "method", None),
            access_key_id=getattr(creds, "_access_key", None),
            problem=EXPIRED,
            detail="boto3's default session holds credentials that are already expired",
            container_uri=uri,
        )
    except Exception as error:  # botocore raises many kinds; boto3 here fails the same way
        text = mask_key_ids(" ".join(str(error).split()))[:300]
        return ResolvedCredentials(
            source=None, problem=ERROR, detail=f"{type(error).__name__}: {text}", container_uri=uri
        )
    return ResolvedCredentials(
        source=creds.method,
        access_key_id=frozen.access_key,
        secret_access_key=frozen.secret_key,
        session_token=frozen.token,
        # RefreshableCredentials keeps its expiry private; static keys have none.
        expires_at=_utc(getattr(creds, "_expiry_time", None)),
        container_uri=uri,
    )


class KernelEngine(IdentityEngine):
    """The engine, with this kernel's launch environment as the space's, and the credentials of
    the scope read from what boto3 uses now."""

    def __init__(self, config: KernelConfig, launch: Mapping[str, str]) -> None:
        super().__init__(
            config.engine,
            launch,
            logging.getLogger("jupyterlab_trusted_identity.magic"),
            user_agent="jupyterlab-trusted-identity-magic",
        )
        self._scope_environ: Mapping[str, str] | None = None
        self.scope_source = FROM_CHAIN

    async def resolve_credentials(
        self, environ: Mapping[str, str], force: bool, environ_fingerprint: str
    ) -> ResolvedCredentials:
        timeout = max(2.0, self.config.aws_timeout * 2)
        if environ is self._scope_environ:
            return await self._boto3_now(timeout)
        if fingerprint(os.environ) == self.server_fingerprint:
            # Nothing the chain reads changed since launch: the engine's in-process resolution
            # (cached as the server's own) is the space's.
            return await super().resolve_credentials(environ, force, environ_fingerprint)
        kept = self.cache.peek(("credentials", environ_fingerprint))
        if kept is not None and not force:
            return kept  # resolved in process before the notebook changed its environment
        # os.environ is no longer the launch environment: resolve that one in a child process.
        return await resolve_in_child(environ, environ, timeout)

    async def _boto3_now(self, timeout: float) -> ResolvedCredentials:
        session = _default_session()
        self.scope_source = FROM_CHAIN if session is None else FROM_DEFAULT_SESSION
        loop = asyncio.get_running_loop()
        work = resolve_in_process if session is None else (lambda: resolve_session(session))
        try:
            return await asyncio.wait_for(loop.run_in_executor(None, work), timeout)
        except TimeoutError:
            return ResolvedCredentials(
                source=None,
                problem=ERROR,
                detail=f"the credential provider did not answer within {timeout:g} s",
                container_uri=container_uri(os.environ),
            )

    def scope_now(self) -> Scope:
        """This kernel as it is now: its id and notebook, os.environ as the notebook left it."""
        environ = dict(os.environ)
        environ[READING_MARKER] = str(next(_readings))
        self._scope_environ = environ
        return Scope(
            kind="kernel",
            environ=environ,
            kernel_id=_kernel_id(),
            session_path=os.environ.get("JPY_SESSION_NAME") or None,
            # The live process environment (the closest of the report's sources).
            environment_source="process",
        )


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
        scope = self.engine.scope_now()
        report = self._call(self.engine.report(scope, refresh=refresh))
        session = _default_session()
        return Reading(
            report=report,
            credentials_from=self.engine.scope_source,
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

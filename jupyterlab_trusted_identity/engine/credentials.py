"""Which credentials a scope's environment yields, through botocore's own credential chain.

The server's environment is resolved in-process (it *is* this process's environment). Any other
environment, a kernel launched with `AWS_PROFILE` say, is resolved by botocore in a child process
started with exactly that environment, so the answer is the one boto3 inside the kernel gets.
A given botocore session (the notebook magic's `boto3.DEFAULT_SESSION`) is resolved in-process
too: its credentials are what that session signs with.
The secret parts live only in memory: they are never serialized, logged or stored.
"""

from __future__ import annotations

import asyncio
import hashlib
import json
import os
import sys
from collections.abc import Callable, Mapping
from concurrent.futures import Executor
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any, Final

from .masking import mask_access_key, mask_key_ids
from .report_types import CredentialsProblem

# Variables that take precedence over the space's container credentials in botocore's chain.
OVERRIDING_VARIABLES = (
    "AWS_ACCESS_KEY_ID",
    "AWS_SECRET_ACCESS_KEY",
    "AWS_SESSION_TOKEN",
    "AWS_SECURITY_TOKEN",
    "AWS_PROFILE",
    "AWS_DEFAULT_PROFILE",
    "AWS_ROLE_ARN",
    "AWS_WEB_IDENTITY_TOKEN_FILE",
)
# The container credentials provider's endpoint and token.
CONTAINER_VARIABLES = (
    "AWS_CONTAINER_CREDENTIALS_FULL_URI",
    "AWS_CONTAINER_CREDENTIALS_RELATIVE_URI",
    "AWS_CONTAINER_AUTHORIZATION_TOKEN",
    "AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE",
)
# Variables that point the chain at other credentials when they differ from the server's.
RELOCATING_VARIABLES = (*CONTAINER_VARIABLES, "AWS_SHARED_CREDENTIALS_FILE", "AWS_CONFIG_FILE")
# What botocore's chain reads besides AWS_* variables.
_CHAIN_INPUTS = ("HOME", "BOTO_CONFIG")
# The child resolving another environment imports this package like the server does.
_INTERPRETER_VARIABLES = ("PYTHONPATH", "PYTHONHOME", "PYTHONNOUSERSITE", "PYTHONSAFEPATH")

ECS_CONTAINER_HOST = "http://169.254.170.2"

NO_CREDENTIALS: Final = "no_credentials"
EXPIRED: Final = "expired"
ERROR: Final = "error"


@dataclass(frozen=True)
class ResolvedCredentials:
    source: str | None  # botocore's provider name: container-role, env, assume-role, ...
    access_key_id: str | None = field(default=None, repr=False)
    secret_access_key: str | None = field(default=None, repr=False)
    session_token: str | None = field(default=None, repr=False)
    expires_at: datetime | None = None
    # None when usable; else NO_CREDENTIALS, EXPIRED (botocore refuses them) or ERROR.
    problem: CredentialsProblem | None = None
    detail: str = ""
    container_uri: str | None = None
    resolved_at: datetime = field(default_factory=lambda: datetime.now(UTC))

    @property
    def resolved(self) -> bool:
        """The chain produced a key (possibly expired)."""
        return self.access_key_id is not None

    @property
    def usable(self) -> bool:
        return self.problem is None and bool(self.access_key_id and self.secret_access_key)

    @property
    def masked_access_key_id(self) -> str | None:
        return mask_access_key(self.access_key_id)

    def seconds_left(self, now: datetime) -> float | None:
        """Seconds until they expire (negative once expired); None when they carry no expiry."""
        if self.expires_at is None:
            return None
        return (self.expires_at - now).total_seconds()


def fingerprint(environ: Mapping[str, str]) -> str:
    """A digest of what botocore's credential chain reads from an environment."""
    items = sorted((k, v) for k, v in environ.items() if k.startswith("AWS_") or k in _CHAIN_INPUTS)
    return hashlib.sha256(json.dumps(items).encode()).hexdigest()


def container_uri(environ: Mapping[str, str]) -> str | None:
    if environ.get("AWS_CONTAINER_CREDENTIALS_FULL_URI"):
        return environ["AWS_CONTAINER_CREDENTIALS_FULL_URI"]
    if environ.get("AWS_CONTAINER_CREDENTIALS_RELATIVE_URI"):
        return ECS_CONTAINER_HOST + environ["AWS_CONTAINER_CREDENTIALS_RELATIVE_URI"]
    return None


def candidate_variables(environ: Mapping[str, str], reference: Mapping[str, str]) -> list[str]:
    """Names (never values) of the variables of `environ` that could make botocore resolve other
    credentials than in `reference` (the server's environment). Candidates only: whether they do
    is decided by botocore's resolution (`compare_with_space`)."""
    names = [name for name in OVERRIDING_VARIABLES if environ.get(name)]
    if environ.get("AWS_ROLE_ARN") and environ.get("AWS_ROLE_SESSION_NAME"):
        names.append("AWS_ROLE_SESSION_NAME")
    names += [
        name
        for name in RELOCATING_VARIABLES
        if (name in environ or name in reference) and environ.get(name) != reference.get(name)
    ]
    return names


# The variables that lead botocore's chain to each provider: they explain an override.
_PROFILE_VARIABLES = (
    "AWS_PROFILE",
    "AWS_DEFAULT_PROFILE",
    "AWS_CONFIG_FILE",
    "AWS_SHARED_CREDENTIALS_FILE",
)
_PROVIDER_VARIABLES: dict[str, tuple[str, ...]] = {
    "env": (
        "AWS_ACCESS_KEY_ID",
        "AWS_SECRET_ACCESS_KEY",
        "AWS_SESSION_TOKEN",
        "AWS_SECURITY_TOKEN",
    ),
    # From the variables, or from a profile's web_identity_token_file.
    "assume-role-with-web-identity": (
        "AWS_ROLE_ARN",
        "AWS_WEB_IDENTITY_TOKEN_FILE",
        "AWS_ROLE_SESSION_NAME",
        *_PROFILE_VARIABLES,
    ),
    "container-role": CONTAINER_VARIABLES,
    **dict.fromkeys(
        (
            "assume-role",
            "shared-credentials-file",
            "config-file",
            "sso",
            "custom-process",
        ),
        _PROFILE_VARIABLES,
    ),
}
CONTAINER_ROLE = "container-role"


@dataclass(frozen=True)
class Comparison:
    """How a scope's credentials relate to the space's own (the carrier of the identity)."""

    # True: botocore resolves other credentials there (another provider, endpoint or key);
    # None: it cannot be told (the resolution itself failed).
    differs: bool | None
    # Variables that explain the difference, and those set but without effect on botocore.
    overriding: tuple[str, ...] = ()
    ignored: tuple[str, ...] = ()


def compare_with_space(
    scope: ResolvedCredentials,
    space: ResolvedCredentials | None,
    environ: Mapping[str, str],
    space_environ: Mapping[str, str],
) -> Comparison:
    """Whether botocore, in `environ`, resolves other credentials than the space's.

    Variable names explain; they do not decide: `AWS_SESSION_TOKEN` alone, `AWS_ROLE_ARN` without
    a token file or a profile that only sets a region leave botocore on the container
    credentials, and are reported as ignored. `space` None: the scope is the server itself, whose
    credentials should be the space's container credentials.
    """
    candidates = candidate_variables(environ, space_environ if space is not None else environ)
    if scope.problem == ERROR and not scope.resolved:
        return Comparison(None, ignored=tuple(candidates))
    if space is None:
        differs = scope.resolved and scope.source != CONTAINER_ROLE
    elif not scope.resolved:
        differs = space.resolved  # e.g. a profile that does not exist: boto3 fails there
    elif scope.source != space.source:
        differs = True
    elif scope.source == CONTAINER_ROLE:
        # Rotation changes the key of one endpoint; another endpoint is another carrier.
        differs = scope.container_uri != space.container_uri
    else:
        differs = scope.access_key_id != space.access_key_id
    if not differs:
        return Comparison(False, ignored=tuple(candidates))
    related = _PROVIDER_VARIABLES.get(scope.source or "", _PROFILE_VARIABLES)
    overriding = [name for name in candidates if name in related] or candidates
    return Comparison(
        True,
        overriding=tuple(overriding),
        ignored=tuple(name for name in candidates if name not in overriding),
    )


def _utc(value: Any) -> datetime | None:
    if not isinstance(value, datetime):
        return None
    if value.tzinfo is None:
        value = value.replace(tzinfo=UTC)
    return value.astimezone(UTC)


def _describe(error: Exception) -> str:
    text = " ".join(str(error).split())
    return f"{type(error).__name__}: {mask_key_ids(text)[:300]}"


def resolution_timeout(aws_timeout: float) -> float:
    """How long resolving credentials may take: a container endpoint's answer, or a profile's
    sts:AssumeRole after reading its source credentials (two calls of `aws_timeout` each)."""
    return max(2.0, aws_timeout * 2)


def resolve_current_environment(session: Any | None = None) -> dict[str, Any]:
    """Runs botocore's default credential chain on this process's environment, or returns the
    credentials of `session` (a botocore session, which keeps them once resolved).

    Blocking (a container endpoint, a profile's sts:AssumeRole): run it off the event loop.
    Returns a plain dict (it crosses a pipe when run in the probe child).
    """
    import botocore.session
    from botocore.exceptions import BotoCoreError, ClientError, ProfileNotFound

    uri = container_uri(os.environ)
    try:
        creds = (session or botocore.session.Session()).get_credentials()
    except ProfileNotFound as error:
        return {"problem": NO_CREDENTIALS, "detail": f"{error}", "container_uri": uri}
    except (BotoCoreError, ClientError, OSError, ValueError) as error:
        # e.g. a profile's AssumeRole denied: boto3 in that environment fails the same way.
        return {"problem": ERROR, "detail": _describe(error), "container_uri": uri}
    if creds is None:
        return {
            "problem": NO_CREDENTIALS,
            "detail": "no provider of botocore's credential chain found credentials",
            "container_uri": uri,
        }
    result: dict[str, Any] = {"source": creds.method, "container_uri": uri}
    try:
        frozen = creds.get_frozen_credentials()
    except RuntimeError:
        # botocore refreshed them and they are still expired: boto3 in a kernel fails the same.
        result.update(
            problem=EXPIRED,
            detail="the credential provider returns credentials that are already expired",
            access_key_id=getattr(creds, "_access_key", None),
        )
    except (BotoCoreError, ClientError, OSError, ValueError) as error:
        return {
            "problem": ERROR,
            "detail": _describe(error),
            "source": creds.method,
            "container_uri": uri,
        }
    else:
        result.update(
            access_key_id=frozen.access_key,
            secret_access_key=frozen.secret_key,
            session_token=frozen.token,
        )
    # RefreshableCredentials keeps its expiry private; static keys have none.
    expiry = _utc(getattr(creds, "_expiry_time", None))
    result["expires_at"] = expiry.isoformat() if expiry else None
    return result


def _from_dict(data: Mapping[str, Any]) -> ResolvedCredentials:
    expires = data.get("expires_at")
    return ResolvedCredentials(
        source=data.get("source"),
        access_key_id=data.get("access_key_id"),
        secret_access_key=data.get("secret_access_key"),
        session_token=data.get("session_token"),
        expires_at=datetime.fromisoformat(expires) if expires else None,
        problem=data.get("problem"),
        detail=str(data.get("detail") or ""),
        container_uri=data.get("container_uri"),
    )


def resolve_in_process(session: Any | None = None) -> ResolvedCredentials:
    return _from_dict(resolve_current_environment(session))


async def resolve_off_loop(
    resolve: Callable[[], ResolvedCredentials],
    timeout: float,
    environ: Mapping[str, str],
    executor: Executor | None = None,
) -> ResolvedCredentials:
    """Runs a blocking resolution (`resolve_in_process`, a scope's own) in `executor`, within
    `timeout`; `environ` names the container endpoint when it does not answer."""
    loop = asyncio.get_running_loop()
    try:
        return await asyncio.wait_for(loop.run_in_executor(executor, resolve), timeout)
    except TimeoutError:
        return ResolvedCredentials(
            source=None,
            problem=ERROR,
            detail=f"the credential provider did not answer within {timeout:g} s",
            container_uri=container_uri(environ),
        )


async def resolve_in_child(
    environ: Mapping[str, str], server_environ: Mapping[str, str], timeout: float
) -> ResolvedCredentials:
    """Resolves another environment's credentials in a child process with that environment."""
    env = {k: v for k, v in environ.items() if k not in _INTERPRETER_VARIABLES}
    env.update({k: server_environ[k] for k in _INTERPRETER_VARIABLES if k in server_environ})
    env["PYTHONUNBUFFERED"] = "1"
    try:
        child = await asyncio.create_subprocess_exec(
            sys.executable,
            "-m",
            "jupyterlab_trusted_identity.engine.credential_probe",
            env=env,
            stdin=asyncio.subprocess.DEVNULL,
            stdout=asyncio.subprocess.PIPE,
            stderr=asyncio.subprocess.DEVNULL,
        )
    except OSError as error:
        return ResolvedCredentials(source=None, problem=ERROR, detail=f"probe not started: {error}")
    try:
        out, _ = await asyncio.wait_for(child.communicate(), timeout)
    except TimeoutError:
        return ResolvedCredentials(
            source=None,
            problem=ERROR,
            detail=f"resolving the credentials took longer than {timeout:g} s",
            container_uri=container_uri(environ),
        )
    finally:
        if child.returncode is None:
            child.kill()
    try:
        data = json.loads(out.decode().strip().splitlines()[-1])
    except (ValueError, IndexError):
        # The output may hold secrets: say only that it could not be read.
        return ResolvedCredentials(
            source=None, problem=ERROR, detail=f"the probe exited with {child.returncode}"
        )
    return _from_dict(data)

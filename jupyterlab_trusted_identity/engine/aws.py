"""botocore clients and calls: timeouts, retries, off the event loop, failures typed.

Every AWS call of the engine goes through `AwsAccess.call`, which never raises: it returns an
`Outcome` whose failure names the IAM action, so a denied or hung call becomes a check status.
"""

from __future__ import annotations

import asyncio
import logging
import threading
from collections import Counter, OrderedDict
from collections.abc import Iterator
from concurrent.futures import Executor
from contextlib import contextmanager
from typing import Any

import botocore.session
from botocore.config import Config
from botocore.exceptions import (
    BotoCoreError,
    ClientError,
    ConnectionClosedError,
    ConnectTimeoutError,
    EndpointConnectionError,
    NoCredentialsError,
    ReadTimeoutError,
)
from botocore.exceptions import (
    ConnectionError as BotoConnectionError,
)
from botocore.parsers import ResponseParserError

try:  # botocore 1.40+ loads the client plugins named in BOTOCORE_EXPERIMENTAL__PLUGINS
    from botocore.plugin import PluginContext, reset_plugin_context, set_plugin_context
except ImportError:  # an older botocore loads none
    PluginContext = None  # type: ignore[assignment,misc]

from . import outcome as kinds
from . import service_models
from .credentials import ResolvedCredentials
from .masking import mask_key_ids
from .outcome import Failure, Outcome
from .redaction import protect_loggers

_DENIED = {
    "AccessDenied",
    "AccessDeniedException",
    "UnauthorizedOperation",
    "UnauthorizedException",
    "NotAuthorized",
}
_THROTTLED = {
    "Throttling",
    "ThrottlingException",
    "TooManyRequestsException",
    "RequestLimitExceeded",
    "SlowDown",
    "RequestThrottled",
    "RequestThrottledException",
}
_EXPIRED = {"ExpiredToken", "ExpiredTokenException", "RequestExpired", "TokenRefreshRequired"}
_INVALID = {
    "InvalidClientTokenId",
    "UnrecognizedClientException",
    "SignatureDoesNotMatch",
    "InvalidSignatureException",
    "IncompleteSignature",
    "InvalidAccessKeyId",
    "InvalidToken",
    "MissingAuthenticationToken",
    "AuthFailure",
}
_NOT_FOUND = {"ResourceNotFound", "ResourceNotFoundException", "NoSuchEntity", "NotFound"}

# Clients are cheap to keep and costly to build; keys rotate a few times a day at most.
_MAX_CLIENTS = 64


@contextmanager
def _without_client_plugins() -> Iterator[None]:
    """The engine's clients load no botocore client plugin. Studio names the S3 Access Grants
    plugin for the user's boto3 (services.py reads that setting); it acts on S3 clients only,
    of which the engine builds none, yet loading it for every client imported it and its cache
    library into the server for nothing."""
    if PluginContext is None:
        yield
        return
    token = set_plugin_context(PluginContext(plugins="DISABLED"))
    try:
        yield
    finally:
        reset_plugin_context(token)


def _first_line(text: str) -> str:
    line = text.strip().splitlines()[0] if text.strip() else ""
    return mask_key_ids(line)[:300]


def classify(error: BaseException, action: str) -> Failure:
    """Turns a botocore exception into a typed failure (never quoting secrets)."""
    if isinstance(error, ClientError):
        err = error.response.get("Error", {})
        code = str(err.get("Code") or "") or None
        status = error.response.get("ResponseMetadata", {}).get("HTTPStatusCode") or 0
        message = _first_line(str(err.get("Message") or ""))
        if int(status) >= 500 or message.startswith("<"):
            message = ""  # a gateway's HTML error page says nothing a user can act on
        if code in _DENIED:
            kind = kinds.DENIED
        elif code in _THROTTLED:
            kind = kinds.THROTTLED
        elif code in _EXPIRED:
            kind = kinds.EXPIRED
        elif code in _INVALID:
            kind = kinds.INVALID_CREDENTIALS
        elif code in _NOT_FOUND:
            kind = kinds.NOT_FOUND
        elif int(status) >= 500:
            kind = kinds.UNAVAILABLE
        else:
            kind = kinds.ERROR
        return Failure(kind, action, code, message)
    if isinstance(error, (ReadTimeoutError, ConnectTimeoutError)):
        return Failure(kinds.TIMEOUT, action, None, "no answer within the AWS timeout")
    # ConnectionClosedError: the endpoint closed the connection before any answer (a proxy or
    # load balancer dropping it); botocore derives it from HTTPClientError, not ConnectionError.
    if isinstance(error, (EndpointConnectionError, BotoConnectionError, ConnectionClosedError)):
        return Failure(kinds.UNREACHABLE, action, None, type(error).__name__)
    if isinstance(error, ResponseParserError):
        return Failure(kinds.MALFORMED, action, None, "unreadable response")
    if isinstance(error, NoCredentialsError):
        return Failure(kinds.NO_CREDENTIALS, action, None, "")
    if isinstance(error, BotoCoreError):
        return Failure(kinds.ERROR, action, type(error).__name__, mask_key_ids(str(error))[:300])
    return Failure(kinds.ERROR, action, type(error).__name__, "")


class AwsAccess:
    """Makes AWS calls with a scope's credentials, in a thread pool, with bounded time."""

    def __init__(
        self,
        *,
        timeout: float,
        executor: Executor,
        log: logging.Logger,
        user_agent: str = "jupyterlab-trusted-identity",
    ):
        self._executor = executor
        self._log = log
        self._config = Config(
            connect_timeout=timeout,
            read_timeout=timeout,
            # Not botocore's "adaptive" mode: its client-side limiter blocks a worker for
            # seconds per call, past the report's deadline. A throttled answer instead lengthens
            # the engine's own intervals (budget.py: THROTTLED_FACTOR).
            retries={"mode": "standard", "total_max_attempts": 2},
            user_agent_extra=user_agent,
        )
        self._lock = threading.Lock()
        self._session: botocore.session.Session | None = None
        # By service: the api version its clients ask for, and whether that is our bundled model.
        self._api_versions: dict[str, tuple[str | None, bool]] = {}
        self._known_members: dict[tuple[str, str, tuple[str, ...]], bool] = {}
        self._clients: OrderedDict[tuple[str, str, str], Any] = OrderedDict()
        # Calls made, by IAM action: the tests and benchmarks read these.
        self.calls: Counter[str] = Counter()

    def _botocore_session(self) -> botocore.session.Session:
        """The engine's own botocore session (callers hold `self._lock`): it parses with the
        bundled current service models (see service_models), whatever botocore is installed."""
        if self._session is None:
            session = botocore.session.Session()
            # Credentials are always passed explicitly; a profile named in the environment that
            # does not exist must not stop the engine from building clients.
            session.set_config_variable("profile", None)
            self._api_versions = service_models.attach(session)
            self._session = session
        return self._session

    def model_sources(self) -> dict[str, Any]:
        """Which models the engine's clients parse with: the installed botocore's version and,
        by service, the api version and whether it is the bundled model (cheap: no model is
        loaded)."""
        with self._lock:
            self._botocore_session()
            chosen = dict(self._api_versions)
        return {
            "botocore": botocore.__version__,
            "bundled_from_botocore": service_models.provenance().get("botocore"),
            "services": {
                service: {"api_version": version, "bundled": bundled}
                for service, (version, bundled) in chosen.items()
            },
        }

    def model_knows(self, service: str, operation: str, member_path: tuple[str, ...]) -> bool:
        """Whether the output of `operation` has the nested member `member_path` in the model
        the engine's clients really parse with. A member the model lacks is dropped by botocore
        however AWS answers: this tells "unknown to the model" apart from "AWS omitted it".
        Cached; loads the model (shared with the clients), never builds a client."""
        if operation not in service_models.OPERATIONS.get(service, ()):
            raise ValueError(f"the engine does not call {service}:{operation}")
        key = (service, operation, tuple(member_path))
        with self._lock:
            known = self._known_members.get(key)
            if known is None:
                session = self._botocore_session()
                version = self._api_versions[service][0]
                model = session.get_service_model(service, api_version=version)
                output = model.operation_model(operation).output_shape
                known = service_models.has_member(output, key[2])
                self._known_members[key] = known
            return known

    def _client(self, service: str, region: str, creds: ResolvedCredentials) -> Any:
        key = (service, region, creds.access_key_id or "")
        with self._lock:  # botocore sessions are not thread-safe; clients are
            client = self._clients.get(key)
            if client is None:
                session = self._botocore_session()
                with _without_client_plugins():
                    client = session.create_client(
                        service,
                        region_name=region,
                        api_version=self._api_versions.get(service, (None, False))[0],
                        aws_access_key_id=creds.access_key_id,
                        aws_secret_access_key=creds.secret_access_key,
                        aws_session_token=creds.session_token,
                        config=self._config,
                    )
                self._clients[key] = client
                protect_loggers()  # building a client imports modules with their own loggers
                while len(self._clients) > _MAX_CLIENTS:
                    self._clients.popitem(last=False)
            else:
                self._clients.move_to_end(key)
            return client

    async def call(
        self,
        creds: ResolvedCredentials,
        region: str,
        service: str,
        operation: str,
        action: str,
        *,
        expect: tuple[str, ...] = (),
        keep: tuple[str, ...] | None = None,
        **params: Any,
    ) -> Outcome[dict[str, Any]]:
        """Runs `client.<operation>(**params)`; never raises.

        `expect` names fields every real answer has: botocore turns an unreadable JSON body
        into an empty result without an error, which must not read as "setting absent".
        `keep` names the only fields returned: the rest (vended credentials) is dropped in the
        worker thread, before the answer reaches the event loop.
        """
        if not creds.usable:
            return Outcome.failed(Failure(kinds.NO_CREDENTIALS, action))

        def run() -> dict[str, Any]:
            client = self._client(service, region, creds)
            response = getattr(client, operation)(**params)
            if keep is not None:
                return {name: response[name] for name in keep if name in response}
            response.pop("ResponseMetadata", None)
            return response

        self.calls[action] += 1
        loop = asyncio.get_running_loop()
        try:
            value = await loop.run_in_executor(self._executor, run)
        except Exception as error:  # every failure becomes a typed outcome
            failure = classify(error, action)
            self._log.debug("trusted-identity: %s", failure.describe())
            return Outcome.failed(failure)
        missing = [name for name in expect if name not in value]
        if missing:
            failure = Failure(
                kinds.MALFORMED, action, None, f"the answer lacks {', '.join(missing)}"
            )
            return Outcome.failed(failure)
        return Outcome.of(value)

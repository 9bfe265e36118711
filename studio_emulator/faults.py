"""Injected failures, per operation id, set by scenario data or at run time.

An operation pattern is an exact id (``sagemaker:DescribeSpace``), a whole service
(``sagemaker:*``) or everything (``*``); the most specific one wins.
"""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass

from .responses import Reply, aws_error

# Faults that answer with an AWS error: kind -> {protocol: (code, status)}; "*" = any other.
_ERRORS: dict[str, dict[str, tuple[str, int]]] = {
    "denied": {
        "json": ("AccessDeniedException", 400),
        "rest-json": ("AccessDeniedException", 403),  # Lake Formation's model: 403
        "*": ("AccessDenied", 403),
    },
    "throttle": {
        "json": ("ThrottlingException", 400),
        "rest-xml": ("SlowDown", 503),
        "s3control": ("SlowDown", 503),
        "*": ("Throttling", 400),
    },
    "5xx": {"*": ("InternalFailure", 500)},
    "unavailable": {"*": ("ServiceUnavailable", 503)},
    "expired": {"json": ("ExpiredTokenException", 400), "*": ("ExpiredToken", 400)},
}
# Faults that break the transport instead.
TRANSPORT_FAULTS = ("hang", "malformed", "refused")
KINDS = tuple(_ERRORS) + TRANSPORT_FAULTS
DEFAULT_HANG_SECONDS = 120.0
EXPIRED_MESSAGE = "The security token included in the request is expired"


@dataclass
class Fault:
    operation: str
    kind: str
    count: int | None = None  # None = every call
    hang_seconds: float = DEFAULT_HANG_SECONDS

    def to_json(self) -> dict:
        return {
            "operation": self.operation,
            "fault": self.kind,
            "count": self.count,
            "hang_seconds": self.hang_seconds,
        }


def error_reply(kind: str, protocol: str, operation: str, caller_arn: str | None) -> Reply:
    table = _ERRORS[kind]
    code, status = table.get(protocol) or table["*"]
    if kind == "denied":
        action = operation
        message = (
            f"User: {caller_arn or 'anonymous'} is not authorized to perform: {action} "
            f"because no identity-based policy allows the {action} action"
        )
    elif kind == "expired":
        message = EXPIRED_MESSAGE
    elif kind == "throttle":
        message = "Rate exceeded"
    elif kind == "unavailable":
        message = "Service is unavailable. Please try again later."
    else:
        message = "An internal error occurred. Please try again."
    return aws_error(protocol, code, message, status)


class FaultRegistry:
    def __init__(self) -> None:
        self._faults: dict[str, Fault] = {}
        self._cond = threading.Condition()
        self._generation = 0  # bumped by clear(): hanging requests then let go

    def set(
        self, operation: str, kind: str, count: int | None = None, hang_seconds: float | None = None
    ) -> Fault:
        if kind not in KINDS:
            raise ValueError(f"unknown fault {kind!r}; one of {', '.join(KINDS)}")
        if not operation or (operation != "*" and ":" not in operation):
            raise ValueError("operation must look like 'service:Operation', 'service:*' or '*'")
        if count is not None and (not isinstance(count, int) or count < 1):
            raise ValueError("count must be a positive integer")
        fault = Fault(
            operation,
            kind,
            count,
            DEFAULT_HANG_SECONDS if hang_seconds is None else float(hang_seconds),
        )
        with self._cond:
            self._faults[operation] = fault
            self._cond.notify_all()
        return fault

    def clear(self) -> None:
        with self._cond:
            self._faults.clear()
            self._generation += 1
            self._cond.notify_all()

    def list(self) -> list[dict]:
        with self._cond:
            return [f.to_json() for f in self._faults.values()]

    def take(self, operation: str) -> Fault | None:
        """The fault that applies to this call of ``operation``, consuming one of its count."""
        service = operation.split(":", 1)[0]
        with self._cond:
            for key in (operation, f"{service}:*", "*"):
                fault = self._faults.get(key)
                if fault is None:
                    continue
                if fault.count is not None:
                    fault.count -= 1
                    if fault.count <= 0:
                        del self._faults[key]
                return fault
        return None

    def hang(self, fault: Fault) -> None:
        """Block until faults are cleared or ``fault``'s hang time passes."""
        deadline = time.monotonic() + fault.hang_seconds
        with self._cond:
            generation = self._generation
            while self._generation == generation:
                remaining = deadline - time.monotonic()
                if remaining <= 0:
                    return
                self._cond.wait(remaining)

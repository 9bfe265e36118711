"""The result of one fact-finding step: a value, or a typed failure that becomes a check status."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Generic, TypeVar

T = TypeVar("T")

# Failure kinds. Those in UNEVALUATED make a check `unknown`; the others are answers.
DENIED = "denied"
THROTTLED = "throttled"
TIMEOUT = "timeout"
DEADLINE = "deadline"
UNREACHABLE = "unreachable"
UNAVAILABLE = "unavailable"  # 5xx from the service
MALFORMED = "malformed"
NOT_FOUND = "not_found"
INVALID_CREDENTIALS = "invalid_credentials"
EXPIRED = "expired"
NO_CREDENTIALS = "no_credentials"
ERROR = "error"

UNEVALUATED = frozenset(
    {
        DENIED,
        THROTTLED,
        TIMEOUT,
        DEADLINE,
        UNREACHABLE,
        UNAVAILABLE,
        MALFORMED,
        NO_CREDENTIALS,
        ERROR,
    }
)


@dataclass(frozen=True)
class Failure:
    kind: str
    action: str | None  # the IAM action (or other step) that failed, e.g. "sagemaker:DescribeSpace"
    code: str | None = None  # the AWS error code, when AWS answered
    message: str = ""

    def describe(self) -> str:
        """One sentence for a check's detail: what failed and the AWS error code."""
        what = self.action or "the request"
        reasons = {
            DENIED: f"{what} was denied",
            THROTTLED: f"{what} was throttled",
            TIMEOUT: f"{what} timed out",
            DEADLINE: f"{what} did not finish within the check deadline",
            UNREACHABLE: f"{what} could not reach its endpoint",
            UNAVAILABLE: f"{what} failed on the service side",
            MALFORMED: f"{what} returned a response that could not be read",
            NOT_FOUND: f"{what} found no such resource",
            INVALID_CREDENTIALS: f"{what} rejected the credentials",
            EXPIRED: f"{what} rejected the credentials as expired",
            NO_CREDENTIALS: f"{what} could not be made without credentials",
        }
        text = reasons.get(self.kind, f"{what} failed")
        if self.code:
            text += f" ({self.code})"
        if self.message:
            text += f": {self.message}"
        return text.rstrip(".") + "."


@dataclass(frozen=True)
class Outcome(Generic[T]):
    value: T | None = None
    failure: Failure | None = None

    @property
    def ok(self) -> bool:
        return self.failure is None

    @classmethod
    def of(cls, value: T) -> Outcome[T]:
        return cls(value=value)

    @classmethod
    def failed(cls, failure: Failure) -> Outcome[Any]:
        return cls(failure=failure)

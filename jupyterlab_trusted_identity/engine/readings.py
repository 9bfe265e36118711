"""One field of an AWS answer, read with how it was established.

A field can be present, absent from AWS's answer (AWS omits a setting that was never set), dropped
by botocore (the service model of the installed botocore does not know it, so botocore discards it
without error), or not read at all (the call failed or was not made). Checks must tell these
apart: an absent field is not a `DISABLED` one, and a dropped one says nothing about AWS.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from .outcome import Failure, Outcome

PRESENT = "present"
ABSENT = "absent"  # AWS's answer has no such member
DROPPED = "dropped"  # botocore's model lacks the member: it would drop it
FAILED = "failed"  # the call did not answer
NOT_READ = "not_read"  # no call was made (not applicable)

# The IAM action prefix (signing name) differs from botocore's service name for sso-admin.
_SERVICES = {"sso": "sso-admin"}

# (botocore service, operation, member path) -> does the loaded model know it?
ModelKnows = Callable[[str, str, tuple[str, ...]], bool]


def knows_every_member(service: str, operation: str, path: tuple[str, ...]) -> bool:
    """A model that knows every member (no botocore model to ask)."""
    return True


def service_and_operation(action: str) -> tuple[str, str]:
    """`sso:DescribeApplication` → (`sso-admin`, `DescribeApplication`)."""
    prefix, _, operation = action.partition(":")
    return _SERVICES.get(prefix, prefix), operation


@dataclass(frozen=True)
class Reading:
    action: str  # e.g. "sagemaker:DescribeDomain"
    path: tuple[str, ...]
    state: str
    value: Any = None
    # The first member of `path` that the answer lacks (absent or dropped).
    missing: str | None = None
    failure: Failure | None = None

    @property
    def present(self) -> bool:
        return self.state == PRESENT

    @property
    def operation(self) -> str:
        return service_and_operation(self.action)[1]

    def missing_sentence(self) -> str:
        """What the answer lacked, in the words of the API: "DescribeDomain returned no X"."""
        if self.state == DROPPED:
            return (
                f"{self.operation} returned no {self.missing}: the service model of the installed "
                f"botocore does not know this field, so botocore drops it"
            )
        return f"{self.operation} returned no {self.missing}"


def read(
    outcome: Outcome[dict[str, Any]] | None,
    action: str,
    path: Sequence[str],
    knows: ModelKnows = knows_every_member,
) -> Reading:
    """The field at `path` of a call's answer."""
    path = tuple(path)
    if outcome is None:
        return Reading(action, path, NOT_READ)
    if not outcome.ok:
        return Reading(action, path, FAILED, failure=outcome.failure)
    node: Any = outcome.value or {}
    for depth, name in enumerate(path):
        if not isinstance(node, dict) or node.get(name) is None:
            service, operation = service_and_operation(action)
            state = ABSENT if knows(service, operation, path[: depth + 1]) else DROPPED
            return Reading(action, path, state, missing=_setting_name(path, depth))
        node = node[name]
    return Reading(action, path, PRESENT, value=node)


def _setting_name(path: tuple[str, ...], depth: int) -> str:
    """The name of the missing setting, as its API calls it: the setting itself, not a
    container of several (DomainSettings) nor its generic leaf (`…Settings.Status`)."""
    setting = len(path) - 2 if len(path) > 1 and path[-1] == "Status" else len(path) - 1
    if depth > setting:
        return ".".join(path[setting:])
    return path[setting]

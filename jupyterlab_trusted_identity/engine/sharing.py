"""SharedParts: the parts of a report equal to the same part of the report built before it are
that earlier part itself, one object instead of a copy.

The kernels of a space share their Studio facts, connected services and most checks (~25 KB of
a ~30 KB report in memory), and the engine builds their reports together: 200 kernels' list
held 200 copies of each while it was built, reused and sent. Reports are never mutated (the
engine hands the same report to many callers already), so an equal part can be one object.
Only the latest value of each part is kept: the memory this holds is one report's.
"""

from __future__ import annotations

from collections.abc import Hashable
from typing import Any, TypeVar

T = TypeVar("T")


class SharedParts:
    def __init__(self) -> None:
        self._latest: dict[Hashable, Any] = {}

    def share(self, part: Hashable, value: T) -> T:
        """`value`, or the equal value last given for `part` (then `value` is dropped)."""
        latest = self._latest.get(part)
        if latest is not None and type(latest) is type(value) and latest == value:
            return latest
        self._latest[part] = value
        return value

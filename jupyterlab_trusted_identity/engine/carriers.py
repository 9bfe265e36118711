"""Which session each access key belongs to, as STS named it: the carrier of the identity
context. CloudTrail is asked once per carrier (see trails.py), and a key the container endpoint
rotated is the same session, so STS is not asked again for it."""

from __future__ import annotations

from collections import OrderedDict
from typing import Any

from .credentials import CONTAINER_ROLE, ResolvedCredentials
from .outcome import Outcome

# Access key ids remembered with the carrier STS named for them.
MAX_KEYS_SEEN = 256

CallerAnswer = Outcome[dict[str, Any]]


class Carriers:
    def __init__(self) -> None:
        # Access key id -> its carrier (see remember).
        self._by_key: OrderedDict[str, str] = OrderedDict()
        # (container credentials URI, region) -> STS's answer for a key it handed out, and that
        # key: a rotated key of the same endpoint is the same session.
        self._container_answers: dict[tuple[str, str], tuple[CallerAnswer, str | None]] = {}

    def of(self, key_id: str | None) -> str | None:
        return self._by_key.get(key_id or "")

    def remember(self, key_id: str | None, caller: CallerAnswer) -> None:
        """The carrier of a key: the session's ARN (role and session name) and STS's UserId
        (the role's unique id and the session name), so a role deleted and created again under
        the same name is another carrier."""
        answer = (caller.value or {}) if caller.ok else {}
        arn = answer.get("Arn")
        if arn and key_id:
            self._by_key[key_id] = f"{arn} ({answer.get('UserId') or '?'})"
            self._by_key.move_to_end(key_id)
            while len(self._by_key) > MAX_KEYS_SEEN:
                self._by_key.popitem(last=False)

    def answered(self, creds: ResolvedCredentials, region: str, caller: CallerAnswer) -> None:
        """STS answered for container credentials: a later key of that endpoint is the same
        session."""
        if caller.ok and creds.source == CONTAINER_ROLE and creds.container_uri:
            self._container_answers[(creds.container_uri, region)] = (caller, creds.access_key_id)

    def rotated(
        self, creds: ResolvedCredentials, region: str
    ) -> tuple[CallerAnswer, str | None] | None:
        """STS's answer for an earlier key of the same container credentials endpoint, and the
        key it answered for."""
        if creds.source != CONTAINER_ROLE or not creds.container_uri:
            return None
        known = self._container_answers.get((creds.container_uri, region))
        if known is None or known[1] == creds.access_key_id:
            return None
        return known

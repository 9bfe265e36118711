"""The space's container credentials endpoint (``AWS_CONTAINER_CREDENTIALS_FULL_URI``).

Keys are real moto STS sessions of the execution role (``AssumeRole`` with session name
``SageMaker``), so ``GetCallerIdentity`` answers with the assumed role as in Studio. The
emulator remembers who each key acts for (``onBehalfOf``) for CloudTrail.
"""

from __future__ import annotations

import hmac
import threading
from datetime import timedelta
from typing import Any

from .clock import EmulatorClock
from .moto_backend import MotoBackend
from .responses import Reply, json_reply
from .seed import World
from .state import KeyRegistry, Principal, iso

EXPIRED_AGO = timedelta(minutes=5)


class ContainerCredentials:
    def __init__(
        self, backend: MotoBackend, keys: KeyRegistry, clock: EmulatorClock | None = None
    ) -> None:
        self._backend = backend
        self._keys = keys
        self._clock = clock or EmulatorClock()
        self._lock = threading.Lock()
        self._current: dict[str, Any] | None = None

    def reset(self) -> None:
        with self._lock:
            self._current = None

    @property
    def access_key_id(self) -> str | None:
        with self._lock:
            return self._current["AccessKeyId"] if self._current else None

    def current(self, world: World) -> dict[str, Any]:
        """The keys handed out now: reused until rotated or close to expiry, like Studio's."""
        with self._lock:
            cur = self._current
            if cur is None or self._due(world, cur):
                cur = self._current = self._mint(world)
            return cur

    def rotate(self, world: World) -> dict[str, Any]:
        with self._lock:
            self._current = self._mint(world)
            return self._current

    def _due(self, world: World, cur: dict[str, Any]) -> bool:
        if world.scenario["credentials"]["mode"] == "expired":
            return False
        duration = world.scenario["credentials"]["duration_seconds"]
        margin = timedelta(seconds=min(900, duration / 2))
        return self._clock.now() >= cur["_expires"] - margin

    def _mint(self, world: World) -> dict[str, Any]:
        creds_cfg = world.scenario["credentials"]
        session = creds_cfg["session_name"]
        duration = int(creds_cfg["duration_seconds"])
        sts = self._backend.client("sts", world.region)
        resp = sts.assume_role(
            RoleArn=world.execution_role_arn,
            RoleSessionName=session,
            DurationSeconds=max(900, duration),
        )
        c, who = resp["Credentials"], resp["AssumedRoleUser"]
        now = self._clock.now()
        expired = creds_cfg["mode"] == "expired"
        expires = now - EXPIRED_AGO if expired else now + timedelta(seconds=duration)
        self._keys.add(
            c["AccessKeyId"],
            Principal(
                "AssumedRole",
                who["Arn"],
                who["AssumedRoleId"],
                world.account,
                user_name=session,
                role_arn=world.execution_role_arn,
                role_id=who["AssumedRoleId"].split(":", 1)[0],
                on_behalf_of=world.on_behalf_of(),
                expired=expired,
            ),
        )
        return {
            "AccessKeyId": c["AccessKeyId"],
            "SecretAccessKey": c["SecretAccessKey"],
            "Token": c["SessionToken"],
            "_expires": expires,
            "RoleArn": world.execution_role_arn,
            "AccountId": world.account,
        }

    def handle(
        self, world: World, authorization: str | None, token: str
    ) -> tuple[Reply, str | None]:
        """Answer a fetch; returns the reply and the key id handed out (for the call log)."""
        if not authorization or not hmac.compare_digest(authorization.encode(), token.encode()):
            return json_reply(
                {"code": "AccessDenied", "message": "Authorization header is missing or invalid"},
                403,
            ), None
        if world.scenario["credentials"]["mode"] == "none":
            return json_reply(
                {"code": "NotFound", "message": "No credentials are available in this space"}, 404
            ), None
        cur = self.current(world)
        body = {k: v for k, v in cur.items() if not k.startswith("_")}
        body["Expiration"] = iso(cur["_expires"])
        return json_reply(body), cur["AccessKeyId"]

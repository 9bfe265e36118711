"""The emulator: moto + the front server's state, and what happens to one AWS request."""

from __future__ import annotations

import json
import os
import re
import secrets
import shutil
import tempfile
import threading
import time
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

from . import accessgrants, identitycenter, integrations, sagemaker, scenarios
from .clock import EmulatorClock
from .cloudtrail import EventStore, LookupError_
from .container import ContainerCredentials
from .faults import FaultRegistry, error_reply
from .info import scenario_info
from .moto_backend import MotoBackend
from .responses import Reply, aws_error, aws_json
from .routing import AwsRequest, identify
from .seed import World, seed
from .state import CallLog, KeyRegistry, Principal, mask

_ERROR_CODE = re.compile(rb"<Code>([^<]+)</Code>")
_MALFORMED_BODY = b'\x00<<garbled>> {"truncated": tr'


@dataclass
class Outcome:
    """What the front server sends back: a reply, or closing the connection without one."""

    reply: Reply | None
    close: bool = False


class Emulator:
    def __init__(
        self,
        state_dir: str | Path | None = None,
        host: str = "127.0.0.1",
        port: int = 0,
        info_out: str | Path | None = None,
    ) -> None:
        from .server import FrontServer  # the HTTP layer knows the emulator, not the reverse

        self._own_state_dir = state_dir is None
        self.state_dir = Path(state_dir or tempfile.mkdtemp(prefix="studio-emulator-")).resolve()
        self.state_dir.mkdir(parents=True, exist_ok=True)
        self.info_out = Path(info_out) if info_out else None
        self.backend = MotoBackend()
        self.keys = KeyRegistry()
        self.clock = EmulatorClock()
        self.calls = CallLog(self.clock)
        self.events = EventStore(self.clock)
        self.faults = FaultRegistry()
        self.container = ContainerCredentials(self.backend, self.keys, self.clock)
        self.delay_ms = 0
        # Stable for the life of the process, so a server started with one scenario's env
        # keeps working when tests switch scenarios.
        self.token = secrets.token_urlsafe(32)
        self.world: World | None = None
        self.info: dict[str, Any] = {}
        self._switch = threading.Lock()
        self._issued: dict[str, set[str]] = {}  # role -> every key id handed out for it
        self._alias: dict[str, str] = {}  # key from an earlier scenario -> its current twin
        self.httpd = FrontServer((host, port), self)
        self._thread: threading.Thread | None = None

    # -- life cycle -------------------------------------------------------------------
    @property
    def url(self) -> str:
        host, port = self.httpd.server_address[:2]
        if host in ("0.0.0.0", "::", ""):
            host = "127.0.0.1"
        return f"http://{host}:{port}"

    def start(self, scenario: str = "happy") -> dict[str, Any]:
        self.backend.start()
        self._thread = threading.Thread(
            target=self.httpd.serve_forever, args=(0.1,), name="studio-emulator", daemon=True
        )
        self._thread.start()
        return self.use(scenario)

    def stop(self) -> None:
        self.faults.clear()  # lets hanging requests go
        self.httpd.shutdown()
        self.httpd.server_close()
        self.backend.stop()
        if self._own_state_dir:
            shutil.rmtree(self.state_dir, ignore_errors=True)

    # -- scenarios --------------------------------------------------------------------
    def use(self, name: str) -> dict[str, Any]:
        """Reset moto and all state, then seed scenario ``name``; returns its info."""
        sc = scenarios.load(name)
        with self._switch:
            self.faults.clear()
            self.clock.reset()
            self.backend.reset(sc["account"])
            self.keys.clear()
            self.calls.clear()
            self.events.clear()
            self.container.reset()
            world = seed(self.backend, sc, self.state_dir, self.keys)
            self.container.current(world)
            self._remember_keys(world)
            for f in sc["faults"]:
                self.faults.set(f["operation"], f["fault"], f.get("count"), f.get("hang_seconds"))
            self.delay_ms = int(sc["delay_ms"])
            delivery = sc["cloudtrail"]
            self.events.set_delivery(
                float(delivery["delivery_delay_seconds"]),
                delivery.get("delivery_delay_max_seconds"),
                delivery.get("seed", 0),
            )
            self.world = world
            self.info = scenario_info(world, self.url, self.token)
            self._write_info()
            return self.info

    def _remember_keys(self, world: World) -> None:
        """Keep keys of earlier scenarios working: they now stand for their new twins."""
        current = {"container": self.container.access_key_id}
        current.update({user: key[0] for user, key in world.static_keys.items()})
        for role, key in current.items():
            if not key:
                continue
            for old in self._issued.get(role, set()) - {key}:
                self._alias[old] = key
            self._issued.setdefault(role, set()).add(key)
        for old, new in self._alias.items():
            principal = self.keys.get(new)
            if principal:
                self.keys.add(old, principal)

    def _write_info(self) -> None:
        if not self.info_out:
            return
        tmp = self.info_out.with_name(self.info_out.name + ".tmp")
        tmp.write_text(json.dumps(self.info, indent=2) + "\n", encoding="utf-8")
        os.chmod(tmp, 0o600)  # holds the container token and static test keys
        os.replace(tmp, self.info_out)

    def rotate(self) -> dict[str, Any]:
        assert self.world is not None
        cur = self.container.rotate(self.world)
        self._issued.setdefault("container", set()).add(cur["AccessKeyId"])
        return {"access_key_id": mask(cur["AccessKeyId"])}

    # -- requests ---------------------------------------------------------------------
    def container_fetch(self, authorization: str | None) -> Outcome:
        world = self.world
        assert world is not None
        op = "container:GetCredentials"
        fault = self.faults.take(op)
        if fault and fault.kind in ("hang", "refused"):
            if fault.kind == "hang":
                self.faults.hang(fault)
            self.calls.add("container", op, None, None, fault.kind)
            return Outcome(None, close=True)
        if fault and fault.kind == "malformed":
            reply = Reply(200, _MALFORMED_BODY, {"Content-Type": "application/json"})
            self.calls.add("container", op, None, 200, fault.kind)
            return Outcome(reply)
        if fault:
            reply = error_reply(fault.kind, "json", op, None)
            self.calls.add("container", op, None, reply.status, fault.kind)
            return Outcome(reply)
        # A fetch must not mint keys for the old world while `use()` switches to a new one.
        with self._switch:
            reply, key = self.container.handle(self.world or world, authorization, self.token)
        if key:
            self._issued.setdefault("container", set()).add(key)
        self.calls.add("container", op, key, reply.status)
        return Outcome(reply)

    def aws(self, method: str, target: str, headers: Any, body: bytes) -> Outcome:
        world = self.world
        assert world is not None
        req = identify(method, target, headers, body)
        principal = self.keys.get(req.access_key_id)
        if self.delay_ms:
            time.sleep(self.delay_ms / 1000)

        fault = self.faults.take(req.operation)
        if fault and fault.kind in ("hang", "refused"):
            if fault.kind == "hang":
                self.faults.hang(fault)
            self.calls.add(req.service, req.operation, req.access_key_id, None, fault.kind)
            return Outcome(None, close=True)

        if fault and fault.kind != "malformed":
            reply = error_reply(
                fault.kind, req.protocol, req.operation, principal.arn if principal else None
            )
        elif principal is not None and principal.expired:
            reply = error_reply("expired", req.protocol, req.operation, None)
        else:
            reply = self._answer(world, req, method, target, headers, body)
            if fault:  # malformed: the call happened, the answer is garbage
                reply = Reply(
                    200,
                    _MALFORMED_BODY,
                    {
                        "Content-Type": reply.headers.get(
                            "Content-Type", "application/x-amz-json-1.1"
                        )
                    },
                )

        self.calls.add(
            req.service,
            req.operation,
            req.access_key_id,
            reply.status,
            fault.kind if fault else None,
        )
        if not (principal is not None and principal.expired):  # failed authentication: no event
            code = _error_code(reply) if reply.status >= 400 else None
            self.events.record(
                req,
                principal,
                world.account,
                world.region,
                headers.get("User-Agent"),
                code,
                "Emulated failure" if code else None,
            )
        return Outcome(reply)

    def _answer(
        self, world: World, req: AwsRequest, method: str, target: str, headers: Any, body: bytes
    ) -> Reply:
        if req.operation == "cloudtrail:LookupEvents":
            try:
                return aws_json(self.events.lookup(req.params, req.region or world.region))
            except LookupError_ as e:
                return aws_error("json", e.code, e.message, 400)
        reply = (
            sagemaker.handle(world, req)
            or identitycenter.handle(world, req)
            or accessgrants.handle(world, req, self.keys.get(req.access_key_id), self.clock.now())
            or integrations.handle(world, req)
        )
        if reply is not None:
            return reply
        new_key = self._alias.get(req.access_key_id or "")
        reply = self.httpd.proxy(
            self.backend.url, method, target, headers, body, req.access_key_id, new_key
        )
        if req.operation == "sts:AssumeRole" and reply.status == 200:
            self._register_assumed(world, reply.body)
            reply = self._on_simulated_time(reply)
        return reply

    def _on_simulated_time(self, reply: Reply) -> Reply:
        """moto dates an assumed session's expiry by the real clock: move it onto the
        emulator's (simulated) one, as the container credentials are."""
        offset = self.clock.offset_seconds
        match = re.search(rb"<Expiration>([^<]+)</Expiration>", reply.body)
        if not offset or match is None:
            return reply
        try:
            real = datetime.fromisoformat(match.group(1).decode().replace("Z", "+00:00"))
        except ValueError:
            return reply
        moved = (real + timedelta(seconds=offset)).strftime("%Y-%m-%dT%H:%M:%SZ").encode()
        body = reply.body[: match.start(1)] + moved + reply.body[match.end(1) :]
        headers = {k: v for k, v in reply.headers.items() if k.lower() != "content-length"}
        return Reply(reply.status, body, headers)

    def _register_assumed(self, world: World, body: bytes) -> None:
        """Sessions assumed through the emulator (e.g. a profile's role) are plain sessions."""
        text = body.decode("utf-8", "replace")

        def field(name: str) -> str | None:
            m = re.search(rf"<{name}>([^<]+)</{name}>", text)
            return m.group(1) if m else None

        akid, arn, role_id = field("AccessKeyId"), field("Arn"), field("AssumedRoleId")
        if not (akid and arn and role_id):
            return
        _, _, rest = arn.partition(":assumed-role/")
        role_name, _, session = rest.partition("/")
        account = arn.split(":")[4]
        self.keys.add(
            akid,
            Principal(
                "AssumedRole",
                arn,
                role_id,
                account,
                user_name=session,
                role_arn=f"arn:aws:iam::{account}:role/{role_name}",
                role_id=role_id.split(":", 1)[0],
            ),
        )


def _error_code(reply: Reply) -> str | None:
    try:
        data = json.loads(reply.body)
        if isinstance(data, dict) and data.get("__type"):
            return str(data["__type"]).rsplit("#", 1)[-1]
    except ValueError:
        pass
    m = _ERROR_CODE.search(reply.body)
    return m.group(1).decode() if m else f"HTTP{reply.status}"

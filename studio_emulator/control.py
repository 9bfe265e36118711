"""The control API under ``/_emulator/``: JSON in and out, no auth, loopback only."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

from .responses import Reply, json_reply
from .scenarios import ScenarioError, describe_all

if TYPE_CHECKING:
    from .emulator import Emulator


class BadRequest(ValueError):
    pass


def _json_body(body: bytes) -> dict[str, Any]:
    if not body.strip():
        return {}
    try:
        data = json.loads(body)
    except ValueError:
        raise BadRequest("body is not JSON") from None
    if not isinstance(data, dict):
        raise BadRequest("body must be a JSON object")
    return data


def _error(status: int, message: str) -> Reply:
    return json_reply({"error": message}, status)


def _scenario(emu: Emulator, method: str, data: dict[str, Any]) -> Reply:
    if method == "GET":
        return json_reply(emu.info)
    name = data.get("name")
    if not isinstance(name, str):
        raise BadRequest("'name' is required")
    return json_reply(emu.use(name))


def _faults(emu: Emulator, method: str, data: dict[str, Any]) -> Reply:
    if method == "GET":
        return json_reply({"faults": emu.faults.list()})
    if method == "DELETE":
        emu.faults.clear()
        return json_reply({"faults": []})
    count = data.get("count")
    try:
        fault = emu.faults.set(
            str(data.get("operation", "")),
            str(data.get("fault", "")),
            None if count is None else int(count),
            data.get("hang_seconds"),
        )
    except (TypeError, ValueError) as e:
        raise BadRequest(str(e)) from None
    return json_reply(fault.to_json())


def _delay(emu: Emulator, method: str, data: dict[str, Any]) -> Reply:
    if method == "POST":
        try:
            ms = int(data.get("ms", 0))
        except (TypeError, ValueError):
            raise BadRequest("'ms' must be an integer") from None
        if ms < 0:
            raise BadRequest("'ms' must not be negative")
        emu.delay_ms = ms
    return json_reply({"ms": emu.delay_ms})


def _calls(emu: Emulator, method: str, data: dict[str, Any]) -> Reply:
    if method == "DELETE":
        emu.calls.clear()
    return json_reply(emu.calls.snapshot())


def _events(emu: Emulator, method: str, data: dict[str, Any]) -> Reply:
    if method == "DELETE":
        emu.events.clear()
    return json_reply(
        {"events": emu.events.raw(), "delivery_delay_seconds": emu.events.delivery_delay_seconds}
    )


def _cloudtrail(emu: Emulator, method: str, data: dict[str, Any]) -> Reply:
    """Delivery delay of CloudTrail events: fixed, or drawn per event between
    delivery_delay_seconds and delivery_delay_max_seconds (seeded by `seed`)."""
    if method == "POST" and "delivery_delay_seconds" in data:
        try:
            low = float(data["delivery_delay_seconds"])
            high = data.get("delivery_delay_max_seconds")
            high = None if high is None else float(high)
            seed = data.get("seed")
            emu.events.set_delivery(low, high, None if seed is None else int(seed))
        except (TypeError, ValueError):
            raise BadRequest(
                "'delivery_delay_seconds' (and 'delivery_delay_max_seconds') must be numbers "
                "with 0 <= min <= max"
            ) from None
    return json_reply(
        {
            "delivery_delay_seconds": emu.events.delivery_delay_seconds,
            "delivery_delay_max_seconds": emu.events.delivery_delay_max_seconds,
        }
    )


def _clock(emu: Emulator, method: str, data: dict[str, Any]) -> Reply:
    """The emulator's simulated time: POST {"advance_seconds": n} moves it forward."""
    if method == "POST":
        try:
            emu.clock.advance(float(data.get("advance_seconds", 0)))
        except (TypeError, ValueError):
            raise BadRequest("'advance_seconds' must be a number >= 0") from None
    return json_reply(
        {"now": emu.clock.now().isoformat(), "offset_seconds": emu.clock.offset_seconds}
    )


def _health(emu: Emulator, method: str, data: dict[str, Any]) -> Reply:
    return json_reply({"status": "ok", "scenario": emu.info.get("name"), "url": emu.url})


def _rotate(emu: Emulator, method: str, data: dict[str, Any]) -> Reply:
    return json_reply(emu.rotate())


def _scenarios(emu: Emulator, method: str, data: dict[str, Any]) -> Reply:
    return json_reply({"scenarios": describe_all()})


# path -> (allowed methods, handler)
ROUTES = {
    "/_emulator/health": ({"GET"}, _health),
    "/_emulator/scenario": ({"GET", "POST"}, _scenario),
    "/_emulator/scenarios": ({"GET"}, _scenarios),
    "/_emulator/faults": ({"GET", "POST", "DELETE"}, _faults),
    "/_emulator/delay": ({"GET", "POST"}, _delay),
    "/_emulator/rotate": ({"POST"}, _rotate),
    "/_emulator/calls": ({"GET", "DELETE"}, _calls),
    "/_emulator/events": ({"GET", "DELETE"}, _events),
    "/_emulator/cloudtrail": ({"GET", "POST"}, _cloudtrail),
    "/_emulator/clock": ({"GET", "POST"}, _clock),
}


def handle_control(emu: Emulator, method: str, target: str, body: bytes) -> Reply:
    path = urlsplit(target).path.rstrip("/")
    route = ROUTES.get(path)
    if route is None:
        return _error(404, f"no such control route: {path}")
    methods, handler = route
    if method not in methods:
        reply = _error(405, f"{method} not allowed on {path}")
        reply.headers["Allow"] = ", ".join(sorted(methods))
        return reply
    try:
        return handler(emu, method, _json_body(body))
    except (BadRequest, ScenarioError) as e:
        return _error(400, str(e))

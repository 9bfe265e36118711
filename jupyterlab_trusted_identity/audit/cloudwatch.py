"""What CloudWatch Logs takes: the log group and stream names, an audit record as one event, and
batches within the limits of PutLogEvents.

Limits (CloudWatch Logs API reference, PutLogEvents): at most 10,000 events and 1,048,576 bytes
per call, counting each event's UTF-8 message plus 26 bytes; events in time order, spanning at
most 24 hours; one event at most 256 KB (its 26 bytes included); events older than 14 days or
more than 2 hours in the future are rejected.
"""

from __future__ import annotations

import json
import re
import string
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from .outbox import OutboxRow

MAX_BATCH_EVENTS = 10_000
MAX_BATCH_BYTES = 1_048_576
EVENT_OVERHEAD = 26
MAX_EVENT_BYTES = 262_144  # overhead included
MAX_SPAN_MS = 24 * 3600 * 1000
_DAY_MS = 24 * 3600 * 1000
# A margin inside CloudWatch's own bounds, so a few minutes of clock skew between the space and
# AWS never turn into a rejected batch.
MAX_AGE_MS = 14 * _DAY_MS - 15 * 60 * 1000
MAX_AHEAD_MS = 2 * 3600 * 1000 - 15 * 60 * 1000

# A value cut to this many characters when a record would not fit one event; 16 fields of
# 1,024 characters stay far below 256 KB even when every character escapes to 6 bytes.
_SHRUNK_VALUE_CHARS = 1024

LOG_GROUP_PATTERN = re.compile(r"[\.\-_/#A-Za-z0-9]{1,512}")
_STREAM_FORBIDDEN = re.compile(r"[:*]")
MAX_STREAM_CHARS = 512

#: The placeholders of the stream name pattern, from the Studio app's metadata (or the host).
STREAM_FIELDS = ("domain_id", "space_name", "user_profile_name", "app_type", "app_name", "host")
# A placeholder with no value (outside Studio, a Studio Classic app has no space).
NO_VALUE = "none"


def check_log_group(name: str) -> str:
    """``name`` if CloudWatch Logs takes it as a log group name ("" = forwarding off)."""
    if name and not LOG_GROUP_PATTERN.fullmatch(name):
        raise ValueError(
            f"{name!r} is not a CloudWatch Logs log group name (1 to 512 of a-z, A-Z, 0-9, "
            "'_', '-', '/', '.', '#')"
        )
    return name


def check_stream_pattern(pattern: str) -> str:
    """``pattern`` if it names only STREAM_FIELDS placeholders and yields a non-empty name."""
    try:
        names = [name for _, name, _, _ in string.Formatter().parse(pattern) if name is not None]
    except ValueError as error:
        raise ValueError(f"{pattern!r} is not a stream name pattern: {error}") from None
    unknown = sorted({n for n in names if n not in STREAM_FIELDS})
    if unknown:
        raise ValueError(
            f"unknown placeholder(s) {', '.join(unknown)} in {pattern!r}; "
            f"use {', '.join('{' + f + '}' for f in STREAM_FIELDS)}"
        )
    if not stream_name(pattern, {}):
        raise ValueError("the stream name pattern yields an empty name")
    return pattern


def stream_name(pattern: str, values: Mapping[str, str | None]) -> str:
    """The log stream name for this app: ``pattern`` filled in, with the two characters
    CloudWatch Logs refuses (``:``, ``*``) replaced by ``_``, at most 512 characters."""
    filled = pattern.format_map({f: values.get(f) or NO_VALUE for f in STREAM_FIELDS})
    return _STREAM_FORBIDDEN.sub("_", filled)[:MAX_STREAM_CHARS]


def timestamp_ms(at: str) -> int:
    """A stored ``at`` (records.format_time: UTC, milliseconds) as epoch milliseconds."""
    return int(datetime.fromisoformat(at).timestamp() * 1000 + 0.5)


def event_message(row: OutboxRow, source: Mapping[str, str | None]) -> str:
    """The record as one event: its stable id, where it comes from (domain, space), then its
    fields as stored (secret-free by construction: records.stored_record). Compact JSON, UTF-8
    as it is (CloudWatch counts bytes, not characters)."""
    body: dict[str, Any] = {"record_id": row.record_id, **source, **row.record}
    message = _dumps(body)
    if len(message.encode()) + EVENT_OVERHEAD > MAX_EVENT_BYTES:
        shrunk = {
            key: value[:_SHRUNK_VALUE_CHARS] if isinstance(value, str) else value
            for key, value in body.items()
        }
        message = _dumps({**shrunk, "truncated": True})
    return message


def _dumps(body: Mapping[str, Any]) -> str:
    return json.dumps(body, ensure_ascii=False, separators=(",", ":"))


@dataclass
class Batch:
    """Events for one PutLogEvents call, in time order, within its limits."""

    events: list[dict[str, Any]] = field(default_factory=list)
    ids: list[int] = field(default_factory=list)  # the store's ids, index for index
    size: int = 0  # bytes as CloudWatch Logs counts them
    last_key: tuple[str, int] | None = None

    def add(self, row: OutboxRow, timestamp: int, message: str) -> bool:
        """Adds the event if the batch can hold it; False (nothing added) when it is full."""
        cost = len(message.encode()) + EVENT_OVERHEAD
        if self.events and (
            len(self.events) >= MAX_BATCH_EVENTS
            or self.size + cost > MAX_BATCH_BYTES
            or timestamp - self.events[0]["timestamp"] >= MAX_SPAN_MS
        ):
            return False
        self.events.append({"timestamp": timestamp, "message": message})
        self.ids.append(row.id)
        self.size += cost
        self.last_key = row.key
        return True

    def __len__(self) -> int:
        return len(self.events)

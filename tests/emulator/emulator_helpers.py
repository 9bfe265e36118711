"""Shared bits of the emulator tests (a module, not conftest, so tests can import it)."""

from __future__ import annotations

import json
import urllib.error
import urllib.request
from typing import Any

import botocore.config

# Fail fast, never retry: each fault must surface as exactly one botocore error.
FAST = botocore.config.Config(connect_timeout=1, read_timeout=2, retries={"total_max_attempts": 1})


def fetch_container(info: dict[str, Any], token: str | None) -> tuple[int, dict[str, Any]]:
    """GET the container credentials endpoint the way botocore does."""
    req = urllib.request.Request(
        info["url"] + "/_container/credentials", headers={"Accept": "application/json"}
    )
    if token is not None:
        req.add_header("Authorization", token)
    try:
        with urllib.request.urlopen(req, timeout=5) as resp:
            return resp.status, json.loads(resp.read())
    except urllib.error.HTTPError as e:
        return e.code, json.loads(e.read())

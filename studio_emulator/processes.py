"""Helpers for the real local processes that tests and benchmarks start (jupyter server,
kernels): a free port, and the children of a process."""

from __future__ import annotations

import os
import socket

# Galata's JupyterLabs (make galata) listen here: never take them.
RESERVED_PORTS = frozenset({8888, 8889})


def free_port() -> int:
    """A TCP port on 127.0.0.1 free right now (another process may still take it first)."""
    while True:
        with socket.socket() as s:
            s.bind(("127.0.0.1", 0))
            port = s.getsockname()[1]
        if port not in RESERVED_PORTS:
            return port


def child_pids(pid: int) -> list[int]:
    """Direct children of `pid`, from /proc (Linux)."""
    found = []
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat", encoding="utf-8") as f:
                stat = f.read()
        except OSError:
            continue
        # The command name in parentheses may hold spaces: the parent pid follows the last ")".
        if int(stat.rsplit(")", 1)[1].split()[1]) == pid:
            found.append(int(entry))
    return found

"""Which notebook or console each kernel serves (a kernel report's scope.session_path), read from
jupyter_server's session manager."""

from __future__ import annotations

import logging
import sqlite3
from typing import Any

from jupyter_server.services.sessions.sessionmanager import SessionManager

# list_sessions builds a full model per session (the kernel's model included): at 200 kernels
# that is most of a kernel list's cost, and the panel's poll needs only each row's path. The
# session table is jupyter_server's own SQLite, read on the event loop as jupyter_server does.
_ROWS = "SELECT kernel_id, path FROM session"


class SessionPaths:
    def __init__(self, session_manager: Any, log: logging.Logger) -> None:
        self._sessions = session_manager
        self._log = log
        # The table is read directly only where list_sessions is jupyter_server's own, so that
        # a session manager that keeps its sessions elsewhere is still asked through its API.
        self._reads_table = type(session_manager).list_sessions is SessionManager.list_sessions

    async def by_kernel(self) -> dict[str, str | None]:
        """kernel id -> session path, for every session (those of kernels that ended included:
        callers look up running kernels)."""
        if self._reads_table:
            try:
                return self._from_table()
            except (sqlite3.Error, AttributeError):
                self._log.debug("trusted-identity: cannot read the session table", exc_info=True)
        try:
            sessions = await self._sessions.list_sessions()
        except Exception:  # a session store hiccup must not fail the report
            self._log.debug("trusted-identity: cannot list sessions", exc_info=True)
            return {}
        return {
            s["kernel"]["id"]: s.get("path")
            for s in sessions
            if isinstance(s.get("kernel"), dict) and s["kernel"].get("id")
        }

    def _from_table(self) -> dict[str, str | None]:
        self._sessions.cursor  # noqa: B018 (creates the table on first use, as list_sessions does)
        rows = self._sessions.connection.execute(_ROWS).fetchall()
        # In row order, like list_sessions: of two sessions of one kernel, the later one wins.
        return {kernel_id: path for kernel_id, path in rows if kernel_id}

    async def of(self, kernel_id: str) -> str | None:
        return (await self.by_kernel()).get(kernel_id)

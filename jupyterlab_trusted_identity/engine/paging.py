"""Reading a paged AWS listing within a bound: one loop for every listing the engine pages."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

from .outcome import Outcome


async def each_page(
    ask: Callable[[dict[str, str]], Awaitable[Outcome[dict[str, Any]]]],
    take: Callable[[dict[str, Any]], None],
    token: str,
    *,
    max_pages: int | None = None,
    enough: Callable[[], bool] = lambda: False,
) -> Outcome[bool]:
    """Asks page after page (`ask(paging)`, `paging` holding the `token` member of the answer
    before) and hands each answer to `take`, until the last page, `max_pages` pages or
    `enough()`. Its outcome: whether pages were left unread, or the first failure: every page
    must answer, since a partial listing would read as "none" for the rest."""
    next_token: str | None = None
    asked = 0
    while (max_pages is None or asked < max_pages) and not enough():
        page = await ask({token: next_token} if next_token else {})
        asked += 1
        if page.failure is not None:
            return Outcome.failed(page.failure)
        value = page.value or {}
        take(value)
        next_token = value.get(token) or None
        if next_token is None:
            return Outcome.of(False)
    return Outcome.of(True)

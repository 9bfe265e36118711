"""engine/paging.py: the one loop every paged listing of the engine reads with."""

from __future__ import annotations

from typing import Any

from jupyterlab_trusted_identity.engine.outcome import Failure, Outcome
from jupyterlab_trusted_identity.engine.paging import each_page


def _listing(pages: int, fail_at: int | None = None):
    """`ask` over `pages` pages of one item each (the last without a token)."""
    asked: list[dict[str, str]] = []

    async def ask(paging: dict[str, str]) -> Outcome[dict[str, Any]]:
        asked.append(paging)
        n = len(asked)
        if n == fail_at:
            return Outcome.failed(Failure("denied", "x:List", "AccessDenied"))
        return Outcome.of({"Items": [n], **({"Marker": f"m{n}"} if n < pages else {})})

    return ask, asked


async def test_reads_to_the_last_page_passing_the_token_back():
    ask, asked = _listing(3)
    items: list[int] = []
    more = await each_page(ask, lambda v: items.extend(v["Items"]), "Marker")
    assert more.ok and more.value is False
    assert items == [1, 2, 3]
    assert asked == [{}, {"Marker": "m1"}, {"Marker": "m2"}]


async def test_stops_at_max_pages_or_when_enough_and_says_more_were_left():
    ask, asked = _listing(10)
    items: list[int] = []
    more = await each_page(ask, lambda v: items.extend(v["Items"]), "Marker", max_pages=2)
    assert (more.value, items, len(asked)) == (True, [1, 2], 2)
    ask, asked = _listing(10)
    items = []
    more = await each_page(
        ask, lambda v: items.extend(v["Items"]), "Marker", enough=lambda: len(items) >= 3
    )
    assert (more.value, items, len(asked)) == (True, [1, 2, 3], 3)


async def test_a_failed_page_is_the_listings_failure():
    ask, asked = _listing(5, fail_at=2)
    items: list[int] = []
    more = await each_page(ask, lambda v: items.extend(v["Items"]), "Marker")
    assert not more.ok and more.failure.code == "AccessDenied"
    assert len(asked) == 2  # nothing asked after the failure

"""SharedParts (engine/sharing.py): a report part equal to the previous report's same part is
that part itself, so the kernels' reports of a space hold their common parts once; a part that
differs is the report's own."""

from __future__ import annotations

import json
import os
import uuid
from datetime import UTC, datetime
from typing import Any

import pytest

from jupyterlab_trusted_identity.engine import EngineConfig, IdentityEngine, Scope
from jupyterlab_trusted_identity.engine.sharing import SharedParts


def test_an_equal_part_is_the_earlier_object_and_a_different_one_is_kept():
    shared = SharedParts()
    first = {"a": [1, 2], "b": "x"}
    assert shared.share("p", first) is first
    equal = {"a": [1, 2], "b": "x"}
    assert shared.share("p", equal) is first
    other = {"a": [1, 3], "b": "x"}
    assert shared.share("p", other) is other
    assert shared.share("p", {"a": [1, 3], "b": "x"}) is other  # the latest is kept
    assert shared.share("q", {"a": [1, 3], "b": "x"}) is not other  # parts are apart
    # Equal values of another type are not shared (a list is not a tuple).
    assert shared.share("r", [1]) == [1]
    assert type(shared.share("r", (1,))) is tuple


def _kernel() -> Scope:
    return Scope(
        kind="kernel",
        environ=dict(os.environ),
        kernel_id=str(uuid.uuid4()),
        kernel_name="python3",
        session_path=None,
        launched_at=datetime.now(UTC),
        launch=1,
        environment_source="process",
    )


@pytest.mark.parametrize("scenario_name", ["happy"])
async def test_kernel_reports_share_their_equal_parts_and_keep_their_own(studio: dict[str, Any]):
    config = EngineConfig(metadata_path=studio["metadata_path"], aws_timeout=2.0, check_deadline=5)
    engine = IdentityEngine(config, dict(os.environ))
    try:
        server = await engine.report(engine.server_scope())
        one = await engine.report(_kernel(), refresh="credentials")
        two = await engine.report(_kernel(), refresh="credentials")
    finally:
        engine.close()
    assert one["scope"]["kernel_id"] != two["scope"]["kernel_id"]
    for part in ("studio", "connected_services", "role", "checks"):
        assert one[part] is two[part], part
    # The server report has no kernel.environment check: its list is its own.
    ids = {c["id"] for c in one["checks"]}
    assert "kernel.environment" in ids
    assert "kernel.environment" not in {c["id"] for c in server["checks"]}
    assert server["checks"] is not one["checks"]
    # Shared or not, each report reads as the engine built it.
    assert json.loads(json.dumps(two)) == two

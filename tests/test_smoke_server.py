"""The extension loads into a real server wired to the emulated Studio and answers."""

from __future__ import annotations

import pytest


async def test_happy_server_report_is_propagated(api, studio):
    status, report = await api("identity")
    assert status == 200, report
    assert report["verdict"] == "propagated", report["summary"]
    assert report["user"]["user_name"] == "jdoe"
    assert report["user"]["provenance"] == "cloudtrail"
    assert report["user"]["user_id"] == studio["expected"]["user_id"]


@pytest.mark.scenario("shared_space")
async def test_shared_space_fails_its_check(api):
    status, report = await api("identity")
    assert status == 200
    assert report["verdict"] == "not_propagated"
    check = next(c for c in report["checks"] if c["id"] == "studio.space_private")
    assert check["status"] == "fail" and check["remediation"]

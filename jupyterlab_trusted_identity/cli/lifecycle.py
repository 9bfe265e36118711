"""`check --lifecycle`: a lifecycle configuration runs with the space's execution role alone,
without the user's identity context (TIP-FACTS.md), so a session that does not carry the
identity is what it must show there. What can still be wrong is a setting of the space or the
credentials: a required check that fails.

Nothing marks a lifecycle configuration's run reliably (Studio documents no variable for it), so
the script says so with --lifecycle rather than the command guessing."""

from __future__ import annotations

from ..engine.report_types import Report
from .exit_codes import ExitCode, for_verdict

NOTE = (
    "Lifecycle configuration: Studio runs lifecycle configurations with the space's execution "
    "role alone, without your IAM Identity Center identity, so this session is not expected to "
    "carry it and this is not a broken space. Failed required checks below are settings of the "
    "space that apply to its notebooks and terminals too; run `jupyter trusted-identity check` "
    "in a terminal of the running space to check propagation itself."
)


def failed_required(report: Report) -> list[str]:
    return [c["id"] for c in report.get("checks", []) if c["required"] and c["status"] == "fail"]


def exit_code(report: Report) -> ExitCode:
    """LIFECYCLE_EXPECTED when what the report finds wrong, if anything, is only that the session
    carries no identity; else the verdict's own code (a failing setting, no or invalid
    credentials, an unknown, outside Studio)."""
    if report.get("verdict") in ("propagated", "not_propagated") and not failed_required(report):
        return ExitCode.LIFECYCLE_EXPECTED
    return for_verdict(report.get("verdict"))

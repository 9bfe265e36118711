"""What the commands print: a report for a person (the verdict sentence, the identity, the checks
to act on with their remediation), for a script (the route's JSON), or the verdict alone.

Every sentence shown comes from the report, which the engine words (one home for each
sentence); this module adds only labels and layout. Reports hold no secret (API.md), and
nothing else is printed."""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from typing import Any, TextIO

from ..engine.report_types import Report

# Checks a person has to look at, most serious first; `pass` and `skip` need nothing.
_ATTENTION = {"fail": 0, "unknown": 1, "warn": 2}
_GREEN, _YELLOW, _RED, _BOLD, _DIM, _RESET = (
    "\033[32m",
    "\033[33m",
    "\033[31m",
    "\033[1m",
    "\033[2m",
    "\033[0m",
)
_VERDICT_COLOURS = {"propagated": _GREEN, "unknown": _YELLOW, "outside_studio": _YELLOW}
_STATUS_COLOURS = {"fail": _RED, "unknown": _YELLOW, "warn": _YELLOW}


def wants_colour(stream: TextIO, environ: Mapping[str, str]) -> bool:
    """Colours only on a terminal, never with NO_COLOR set (no-color.org) or on a dumb one."""
    if environ.get("NO_COLOR") or environ.get("TERM") == "dumb":
        return False
    isatty = getattr(stream, "isatty", None)
    return bool(isatty and isatty())


class Style:
    def __init__(self, colour: bool):
        self.colour = colour

    def __call__(self, text: str, *codes: str) -> str:
        if not self.colour or not codes:
            return text
        return "".join(codes) + text + _RESET

    def verdict(self, verdict: str) -> str:
        return self(verdict, _BOLD, _VERDICT_COLOURS.get(verdict, _RED))


def as_json(body: Any) -> str:
    """As the REST route serialises it (handlers.TrustedIdentityHandler.write_json)."""
    return json.dumps(body)


def _join(*parts: Any, sep: str = ", ") -> str:
    return sep.join(str(p) for p in parts if p not in (None, "", [], {}))


def _identity_lines(report: Report) -> list[tuple[str, str]]:
    user = report.get("user") or {}
    role = report.get("role") or {}
    credentials = report.get("credentials") or {}
    studio = report.get("studio") or {}
    scope = report.get("scope") or {}
    name = user.get("display_name") or user.get("user_name")
    known = name or user.get("email") or user.get("user_id")
    lines = [
        (
            "user",
            _join(
                name,
                user.get("user_name") if user.get("user_name") != name else None,
                user.get("email"),
                user.get("user_id") and f"id {user['user_id']}",
                user.get("provenance") and f"from {user['provenance']}",
            )
            if known
            else "",
        ),
        ("caller", _join(role.get("caller_arn"))),
        (
            "credentials",
            _join(
                credentials.get("source"),
                credentials.get("access_key_id") and f"key {credentials['access_key_id']}",
                credentials.get("expires_at") and f"expires {credentials['expires_at']}",
                credentials.get("overridden_by")
                and "overridden by " + " ".join(credentials["overridden_by"]),
            ),
        ),
        (
            "space",
            _join(
                studio.get("space_name") or studio.get("user_profile_name"),
                studio.get("domain_id") and f"domain {studio['domain_id']}",
                studio.get("region"),
                studio.get("app_type"),
            ),
        ),
    ]
    if scope.get("kind") == "kernel":
        lines.insert(0, ("kernel", _join(scope.get("kernel_name"), scope.get("session_path"))))
    return [(label, value) for label, value in lines if value]


def attention(report: Report) -> list[dict[str, Any]]:
    """The checks to act on: the verdict's cause first, then failed, unknown, warned."""
    cause = report.get("cause")
    checks = [c for c in report.get("checks", []) if c.get("status") in _ATTENTION]
    return sorted(checks, key=lambda c: (c.get("id") != cause, _ATTENTION[c["status"]]))


def human(report: Report, style: Style, *, note: str | None = None) -> str:
    out: list[str] = []
    if note:
        out += [style(note, _BOLD), ""]
    verdict = str(report.get("verdict"))
    out.append(f"{style.verdict(verdict)}: {report.get('summary') or ''}".rstrip())
    identity = _identity_lines(report)
    if identity:
        out.append("")
        width = max(len(label) for label, _ in identity)
        out += [f"  {style(label.ljust(width), _DIM)}  {value}" for label, value in identity]
    checks = attention(report)
    if checks:
        out += ["", "Checks to act on:"]
        for check in checks:
            status = check["status"]
            required = " (required)" if check.get("required") else ""
            out.append(
                f"  {style(f'[{status}]', _STATUS_COLOURS[status])} {check['title']}{required}"
            )
            for text in (check.get("detail"), check.get("remediation")):
                if text:
                    out.append(f"      {text}")
            if check.get("doc_url"):
                out.append(f"      {style(check['doc_url'], _DIM)}")
    return "\n".join(out)


def kernels_human(reports: Iterable[Report], style: Style) -> str:
    reports = list(reports)
    if not reports:
        return "No kernel is running."
    blocks = []
    for report in reports:
        scope = report.get("scope") or {}
        head = _join(scope.get("kernel_name"), scope.get("session_path"), scope.get("kernel_id"))
        blocks.append(
            f"{head}\n  {style.verdict(str(report.get('verdict')))}: {report.get('summary') or ''}"
        )
    return "\n\n".join(blocks)

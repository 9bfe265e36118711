"""The magic's card: the identity this kernel's boto3 uses now, as plain text and as HTML.

Every sentence of a verdict, a check or a remediation is the engine's (the report's `summary`
and its cause check); the card adds only labels and where each fact was read. Only the report's
fields are shown: its access key id is masked there and it holds no secret.
"""

from __future__ import annotations

from dataclasses import dataclass
from html import escape
from typing import Any

from .inspect import FROM_DEFAULT_SESSION, Reading

TITLE = "Trusted identity of this kernel"
# Where the report's user was established (report.user.provenance).
_USER_PROVENANCE = {
    "cloudtrail": "CloudTrail (onBehalfOf of this session's calls)",
    "profile": "the space owner's user profile (not yet seen in CloudTrail)",
    "none": "not established",
}
_MARK = {"propagated": "\u2714", "not_propagated": "\u2718"}


@dataclass(frozen=True)
class Row:
    label: str
    value: str
    source: str | None


@dataclass(frozen=True)
class Card:
    verdict: str
    summary: str
    rows: tuple[Row, ...]
    # The one thing to do when the identity is not propagated: the cause check's remediation.
    todo: str | None
    doc_url: str | None
    settings: str

    @property
    def headline(self) -> str:
        return f"{_MARK.get(self.verdict, '?')} {self.verdict.replace('_', ' ')}"


def _cause(report: dict[str, Any]) -> dict[str, Any] | None:
    return next((c for c in report.get("checks", []) if c["id"] == report.get("cause")), None)


def card_of(reading: Reading) -> Card:
    report: dict[str, Any] = dict(reading.report)
    user, role, creds = report["user"], report["role"], report["credentials"]
    studio, verification = report["studio"], report["verification"]
    rows: list[Row] = []

    who = user.get("shown_name")
    if who and user.get("email") and user["email"] != who:
        who = f"{who} <{user['email']}>"
    provenance = _USER_PROVENANCE.get(user.get("provenance") or "none", user.get("provenance"))
    rows.append(Row("User", who or "none", provenance))
    rows.append(
        Row("Verification", verification.get("status") or "none", "cloudtrail:LookupEvents")
    )
    rows.append(
        Row("Session", role.get("caller_arn") or "unknown", role["sources"].get("caller_arn"))
    )

    key = [creds.get("source") or "none"]
    if creds.get("access_key_id"):
        key.append(f"key {creds['access_key_id']}")
    if creds.get("expires_at"):
        key.append(f"expires {creds['expires_at']}")
    used = reading.credentials_from
    # boto3 names "default" when no profile was chosen: only a chosen one explains anything.
    if used == FROM_DEFAULT_SESSION and reading.default_session_profile not in (None, "default"):
        used += f" (profile {reading.default_session_profile})"
    rows.append(Row("Credentials", ", ".join(key), used))
    if reading.changed:
        rows.append(
            Row(
                "Changed here",
                ", ".join(reading.changed),
                f"os.environ now vs. {reading.launch_from}",
            )
        )
    if studio.get("detected"):
        sources = studio.get("sources", {})
        place = ", ".join(
            str(v)
            for v in (
                studio.get("space_name") and f"space {studio['space_name']}",
                studio.get("domain_id") and f"domain {studio['domain_id']}",
                studio.get("region"),
            )
            if v
        )
        rows.append(Row("Studio", place, sources.get("space_name") or sources.get("domain_id")))

    cause = _cause(report)
    todo = doc = None
    if report["verdict"] != "propagated" and cause is not None:
        todo = cause.get("remediation") or None
        doc = cause.get("doc_url") or None
    return Card(
        verdict=report["verdict"],
        summary=report["summary"],
        rows=tuple(rows),
        todo=todo,
        doc_url=doc,
        settings=reading.config.source,
    )


def as_text(card: Card) -> str:
    width = max(len(r.label) for r in card.rows)
    lines = [f"{TITLE}: {card.headline}", card.summary]
    for row in card.rows:
        source = f"  [{row.source}]" if row.source else ""
        lines.append(f"  {row.label:<{width}}  {row.value}{source}")
    if card.todo:
        lines.append(f"To do: {card.todo}")
        if card.doc_url:
            lines.append(f"  {card.doc_url}")
    lines.append(f"Settings: {card.settings}")
    return "\n".join(lines)


# JupyterLab's theme variables, so the card follows light and dark themes.
_STYLE = {
    "card": "border:1px solid var(--jp-border-color2,#ccc);border-radius:4px;padding:6px 10px;"
    "font-size:var(--jp-ui-font-size1,13px);max-width:56em",
    "head": "font-weight:600;margin-bottom:2px",
    "propagated": "color:var(--jp-success-color1,#388e3c)",
    "other": "color:var(--jp-error-color1,#d32f2f)",
    "label": "text-align:left;padding:1px 12px 1px 0;font-weight:normal;white-space:nowrap;"
    "color:var(--jp-ui-font-color2,#666)",
    "value": "text-align:left;padding:1px 12px 1px 0;font-family:var(--jp-code-font-family,"
    "monospace);overflow-wrap:anywhere",
    "source": "text-align:left;color:var(--jp-ui-font-color2,#666);font-size:smaller",
    "todo": "margin-top:4px",
    "settings": "margin-top:4px;color:var(--jp-ui-font-color2,#666);font-size:smaller",
}


def as_html(card: Card) -> str:
    verdict_style = _STYLE["propagated" if card.verdict == "propagated" else "other"]
    rows = "".join(
        f'<tr><th scope="row" style="{_STYLE["label"]}">{escape(r.label)}</th>'
        f'<td style="{_STYLE["value"]}">{escape(r.value)}</td>'
        f'<td style="{_STYLE["source"]}">{escape(r.source or "")}</td></tr>'
        for r in card.rows
    )
    todo = ""
    if card.todo:
        link = (
            f' <a href="{escape(card.doc_url)}" target="_blank" rel="noopener">Documentation</a>'
            if card.doc_url
            else ""
        )
        todo = (
            f'<div style="{_STYLE["todo"]}"><strong>To do:</strong> {escape(card.todo)}{link}</div>'
        )
    return (
        f'<div class="jp-TrustedIdentity-card" data-verdict="{escape(card.verdict)}" '
        f'style="{_STYLE["card"]}">'
        f'<div style="{_STYLE["head"]}">{escape(TITLE)}: '
        f'<span style="{verdict_style}">{escape(card.headline)}</span></div>'
        f"<div>{escape(card.summary)}</div>"
        f'<table style="border-collapse:collapse;margin-top:4px;font-size:inherit"><tbody>{rows}</tbody></table>'
        f"{todo}"
        f'<div style="{_STYLE["settings"]}">Settings: {escape(card.settings)}</div>'
        "</div>"
    )

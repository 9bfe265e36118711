"""Masking of access key ids: the only credential material that may leave the engine."""

from __future__ import annotations

import re

# Key ids of AWS principals: AKIA (long-term), ASIA (temporary) and friends.
_KEY_ID = re.compile(r"\b(?:AKIA|ASIA|AIDA|AROA|AIPA|ANPA|ANVA|AGPA|ASCA|APKA)[A-Z0-9]{12,}\b")


_ELLIPSIS = "\u2026"
# Already masked: at most 4 characters either side of the ellipsis.
_MASKED = re.compile(r"[^\s\u2026]{0,4}\u2026[^\s\u2026]{0,4}")


def mask_access_key(key: object) -> str | None:
    """`ASIAEXAMPLEWXYZ` → `ASIA…WXYZ`. A masked value stays as it is; a short value keeps at most
    2 trailing characters and never all of them, so even a mislabelled secret is never whole."""
    if key is None:
        return None
    text = str(key).strip()
    if not text:
        return None
    if _MASKED.fullmatch(text):
        return text
    if len(text) > 12:
        return f"{text[:4]}{_ELLIPSIS}{text[-4:]}"
    keep = min(2, len(text) // 3)
    return _ELLIPSIS + (text[-keep:] if keep else "")


def mask_key_ids(text: str) -> str:
    """Masks every access key id found in a free-text message (AWS error messages quote them)."""
    return _KEY_ID.sub(lambda m: mask_access_key(m.group(0)) or "", text)

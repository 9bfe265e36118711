"""Keeps secrets out of botocore's and urllib3's debug logs.

With their loggers at DEBUG, botocore logs request headers (the session token), canonical
requests and response bodies (key ids). Whoever turns that on for debugging must not find the
space's credentials in the server log, so every record of those loggers is redacted.
"""

from __future__ import annotations

import logging
import re

from .masking import mask_key_ids

_VALUE = r"['\"]?\s*[:=]\s*b?['\"]?"
_PATTERNS = (
    # Headers and canonical requests: X-Amz-Security-Token: <token>, Authorization: <...>
    (re.compile(rf"(?i)(x-amz-security-token{_VALUE})[^'\",\s}}&\\]+"), r"\1<redacted>"),
    (re.compile(rf"(?i)(authorization{_VALUE})[^'\"}}\n\\]+"), r"\1<redacted>"),
    # JSON / form / profile fields holding secrets.
    (
        re.compile(
            rf"(?i)((?:secret_?access_?key|secret_?key|session_?token|security_?token|"
            rf"\btoken){_VALUE})[^'\",\s}}&\\]+"
        ),
        r"\1<redacted>",
    ),
    # XML answers (STS AssumeRole).
    (
        re.compile(r"(?i)(<(SecretAccessKey|SessionToken)>)[^<]*(</\2>)"),
        r"\1<redacted>\3",
    ),
)
_LOGGER_PREFIXES = ("botocore", "boto3", "urllib3")


def redact(text: str) -> str:
    for pattern, replacement in _PATTERNS:
        text = pattern.sub(replacement, text)
    return mask_key_ids(text)


class RedactSecrets(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        try:
            message = record.getMessage()
        except Exception:  # a broken record is the logging module's business, not ours
            return True
        cleaned = redact(message)
        if cleaned != message:
            record.msg, record.args = cleaned, ()
        return True


_FILTER = RedactSecrets()


def protect_loggers() -> None:
    """Adds the filter to every botocore/boto3/urllib3 logger that exists now (a logger's filter
    does not cover its children, so each gets it). Idempotent; call it again after imports."""
    names = [n for n in list(logging.root.manager.loggerDict) if n.startswith(_LOGGER_PREFIXES)]
    for name in [*_LOGGER_PREFIXES, *names]:
        logger = logging.getLogger(name)
        if _FILTER not in logger.filters:
            logger.addFilter(_FILTER)

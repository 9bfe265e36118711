"""The audit trail as CSV (GET trusted-identity/audit?format=csv), safe to open in a spreadsheet."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Mapping
from typing import Any

from .records import AUDIT_FIELDS

# Spreadsheets run a cell starting with one of these as a formula (CSV/formula injection);
# kernel names and session paths are user-controlled, so an export opened in Excel could
# otherwise run e.g. =HYPERLINK(...). A leading apostrophe makes the cell plain text.
_FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


def _csv_cell(value: Any) -> str:
    if value is None:
        return ""
    text = str(value)
    return "'" + text if text.startswith(_FORMULA_PREFIXES) else text


def records_to_csv(records: Iterable[Mapping[str, Any]]) -> str:
    """CSV (RFC 4180: CRLF, quotes where needed) with a header row of :data:`AUDIT_FIELDS`."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n", quoting=csv.QUOTE_MINIMAL)
    writer.writerow(AUDIT_FIELDS)
    for record in records:
        writer.writerow([_csv_cell(record.get(field)) for field in AUDIT_FIELDS])
    return buffer.getvalue()

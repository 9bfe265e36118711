"""How a report names the user: decided once, here, for every client (the panel, the status
bar, the summary sentence, and later a command line), so no client chooses again.

Each order says which established field comes first; a field the report does not hold is never
invented.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

# The panel and the banner: the name a person reads.
SHOWN = ("display_name", "user_name", "email")
# The status bar: the shortest name that still identifies the user.
SHORT = ("user_name", "display_name", "email")
# The summary sentence, which also goes to logs and the audit trail: the email is the name that
# is unambiguous outside the identity store; the user id when nothing else is known.
SUMMARY = ("email", "user_name", "display_name", "user_id")


def first_of(user: Mapping[str, Any], order: Sequence[str]) -> str | None:
    return next((str(user[field]) for field in order if user.get(field)), None)

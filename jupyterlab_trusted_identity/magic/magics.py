"""`%trusted_identity`: shows the card of the identity this kernel's boto3 uses now."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from IPython.core.magic import Magics, line_magic, magics_class
from IPython.core.magic_arguments import argument, magic_arguments, parse_argstring


@magics_class
class TrustedIdentityMagics(Magics):
    def __init__(self, shell: Any, snapshot: Mapping[str, str]) -> None:
        super().__init__(shell)
        # os.environ at load time: the launch environment where /proc/self/environ is not read.
        self._snapshot = dict(snapshot)
        self._inspector: Any = None

    @magic_arguments()
    @argument(
        "--refresh",
        action="store_true",
        help="Ask AWS again instead of using the answers kept since the last run (an explicit "
        "check, rate limited as the panel's).",
    )
    @line_magic
    def trusted_identity(self, line: str = "") -> None:
        """Shows whether the AWS identity this kernel's boto3 uses now carries your IAM Identity
        Center identity (trusted identity propagation), with what to do when it does not."""
        args = parse_argstring(self.trusted_identity, line)
        # The engine (and botocore) load here, on first use: loading the extension stays light.
        from .card import as_html, as_text, card_of
        from .inspect import Inspector

        if self._inspector is None:
            self._inspector = Inspector(self._snapshot)
        try:
            reading = self._inspector.read(refresh=args.refresh)
        except TimeoutError:
            # The engine answers within check_deadline; this is its loop not answering at all.
            print("trusted_identity: no report in time; run %trusted_identity again.")
            return
        card = card_of(reading)
        from IPython.display import display

        # JupyterLab renders text/html; a terminal IPython prints text/plain.
        display({"text/plain": as_text(card), "text/html": as_html(card)}, raw=True)

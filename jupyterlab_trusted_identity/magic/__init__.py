"""The notebook magic: `%load_ext jupyterlab_trusted_identity`, then `%trusted_identity`.

Loading it imports neither botocore nor the engine; they load when the magic first runs.
Modules: magics (the IPython magic), inspect (this kernel's current credentials, judged by the
engine in process), card (the card as plain text and HTML), config (the TrustedIdentity traits).
"""

from __future__ import annotations

import os
from typing import Any


def load_ipython_extension(ipython: Any) -> None:
    from .magics import TrustedIdentityMagics

    ipython.register_magics(TrustedIdentityMagics(ipython, os.environ))

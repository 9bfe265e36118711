"""`jupyter trusted-identity` (also `python -m jupyterlab_trusted_identity`): the checks from a
terminal or a script, for Code Editor spaces and lifecycle configurations too.

apps.py holds the commands, exit_codes.py what they exit with, render.py what they print,
server.py the client of a running server, lifecycle.py what a lifecycle configuration means."""

from .apps import main

__all__ = ["main"]

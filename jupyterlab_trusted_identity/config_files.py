"""The Jupyter config files whose `TrustedIdentity` traits the server extension takes, so the
command line and the notebook magic read the same ones. Imports nothing (a kernel loading the
magic must not pay for jupyter_server)."""

from __future__ import annotations

# Lowest priority first: the extension's own config file (ExtensionApp), then `jupyter_config`,
# then the server's, which overrides them (ExtensionApp._link_jupyter_server_extension applies
# the ServerApp's config after its own).
CONFIG_FILES = (
    "jupyter_jupyterlab_trusted_identity_config",
    "jupyter_config",
    "jupyter_server_config",
)

"""Jupyter Server configuration of the integration tests (Galata).

Never use this configuration in production: it turns off authentication and
exposes JupyterLab's JavaScript objects on the browser's `window`.

Playwright starts JupyterLab with it through the Studio emulator (see
playwright.config.js), which exports STUDIO_EMULATOR_METADATA: the path of the
emulated `/opt/ml/metadata/resource-metadata.json`.

JUPYTERLAB_XSRF=1 turns Jupyter's XSRF check back on (Galata turns it off):
SageMaker Studio runs JupyterLab with an empty token, so every POST must carry
the `_xsrf` cookie's value in `X-XSRFToken`.
"""

import json
import os
from tempfile import mkdtemp

from jupyterlab.galata import configure_jupyter_server

configure_jupyter_server(c)

# SageMaker Studio serves JupyterLab below this base URL; so do the tests.
c.ServerApp.base_url = os.environ.get("JUPYTERLAB_BASE_URL", "/jupyterlab/default/")
c.ServerApp.ip = "127.0.0.1"
c.ServerApp.port = int(os.environ.get("JUPYTERLAB_PORT", "8888"))
# CI runs as root.
c.ServerApp.allow_root = True
# Like Studio: an empty token, and XSRF checked on request.
c.ServerApp.disable_check_xsrf = os.environ.get("JUPYTERLAB_XSRF", "") != "1"

# Settings changed by the tests and the audit trail stay out of the user's.
c.LabApp.user_settings_dir = mkdtemp(prefix="galata-settings-")
c.TrustedIdentity.audit_path = os.path.join(mkdtemp(prefix="galata-audit-"), "audit.sqlite3")

# One server serves every test, and the tests switch the emulated Studio under it and check
# again many times a minute: no rate limit on explicit checks (tests/test_budget.py and
# tests/test_routes.py test it).
c.TrustedIdentity.explicit_check_interval = 0

c.TrustedIdentity.metadata_path = os.environ.get(
    "STUDIO_EMULATOR_METADATA", "/opt/ml/metadata/resource-metadata.json"
)

# The notebook magic in a kernel reads the TrustedIdentity traits from the Jupyter config files
# (this file is the server's alone): kernels inherit JUPYTER_CONFIG_PATH, so a config folder
# first on it points the magic at the same emulated space (tests/magic.spec.ts).
_kernel_config = mkdtemp(prefix="galata-config-")
with open(os.path.join(_kernel_config, "jupyter_server_config.json"), "w", encoding="utf-8") as f:
    json.dump({"TrustedIdentity": {"metadata_path": c.TrustedIdentity.metadata_path}}, f)
os.environ["JUPYTER_CONFIG_PATH"] = os.pathsep.join(
    p for p in (_kernel_config, os.environ.get("JUPYTER_CONFIG_PATH")) if p
)

# Uncomment to set the server log level to debug.
# c.ServerApp.log_level = "DEBUG"

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

# Uncomment to set the server log level to debug.
# c.ServerApp.log_level = "DEBUG"

"""moto in server mode, in this process, on its own loopback port; plus clients to seed it.

The front server forwards what it does not emulate to this moto. Seeding talks to moto
directly, so seeding calls are neither logged nor recorded in CloudTrail.
"""

from __future__ import annotations

import os
import threading
import urllib.request
from typing import Any

# Any key works with moto (it does not check signatures); this one never leaves the process.
SEED_ACCESS_KEY = "AKIAEMULATORSEED0000"
SEED_SECRET_KEY = "emulator-seed-not-a-secret"


# Variables that would make this process's own botocore look for a profile or endpoint.
_CLIENT_ENV = (
    "AWS_PROFILE",
    "AWS_DEFAULT_PROFILE",
    "AWS_CONFIG_FILE",
    "AWS_SHARED_CREDENTIALS_FILE",
    "AWS_ACCESS_KEY_ID",
    "AWS_SECRET_ACCESS_KEY",
    "AWS_SESSION_TOKEN",
    "AWS_ENDPOINT_URL",
    "AWS_IGNORE_CONFIGURED_ENDPOINT_URLS",
    "AWS_USE_FIPS_ENDPOINT",
    "AWS_USE_DUALSTACK_ENDPOINT",
    "AWS_CA_BUNDLE",
    "AWS_MAX_ATTEMPTS",
    "AWS_RETRY_MODE",
)


def isolate_environment() -> None:
    """Keep the caller's AWS settings (a missing profile, real endpoints) away from seeding.

    Only for the emulator's own process: ``run`` keeps a copy for its child first.
    """
    for name in list(os.environ):
        if name in _CLIENT_ENV or name.startswith("AWS_ENDPOINT_URL_"):
            del os.environ[name]
    os.environ["AWS_CONFIG_FILE"] = os.devnull
    os.environ["AWS_SHARED_CREDENTIALS_FILE"] = os.devnull
    os.environ["AWS_EC2_METADATA_DISABLED"] = "true"


class MotoBackend:
    def __init__(self, account: str = "111122223333") -> None:
        # moto reads the account from the environment on every request, so a scenario can
        # switch it; it must be set before the first request.
        os.environ["MOTO_ACCOUNT_ID"] = account
        from moto.server import ThreadedMotoServer  # heavy import, only when started

        self._server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
        self._clients: dict[tuple[str, str], Any] = {}
        self._lock = threading.Lock()
        self._session = None
        self.url = ""

    def start(self) -> None:
        import logging

        logging.getLogger("werkzeug").setLevel(logging.ERROR)  # one line per request otherwise
        self._server.start()
        host, port = self._server.get_host_and_port()
        self.url = f"http://{host}:{port}"

    def stop(self) -> None:
        self._server.stop()

    def reset(self, account: str) -> None:
        os.environ["MOTO_ACCOUNT_ID"] = account
        req = urllib.request.Request(self.url + "/moto-api/reset", method="POST", data=b"")
        with urllib.request.urlopen(req, timeout=30) as resp:
            resp.read()

    def client(self, service: str, region: str) -> Any:
        """A botocore client straight to moto (not through the front server)."""
        with self._lock:
            key = (service, region)
            if key not in self._clients:
                import botocore.config
                import botocore.session

                if self._session is None:
                    self._session = botocore.session.Session()
                self._clients[key] = self._session.create_client(
                    service,
                    region_name=region,
                    endpoint_url=self.url,
                    aws_access_key_id=SEED_ACCESS_KEY,
                    aws_secret_access_key=SEED_SECRET_KEY,
                    config=botocore.config.Config(retries={"total_max_attempts": 1}),
                )
            return self._clients[key]

"""Fixtures for the emulator's own tests: a real emulator process per module, real botocore."""

from __future__ import annotations

import os
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

HERE = Path(__file__).resolve().parent
REPO_ROOT = HERE.parents[1]
# The emulator is a top-level package of the repo; emulator_helpers sits next to this file
# (importable whatever pytest's import mode).
for path in (REPO_ROOT, HERE):
    if str(path) not in sys.path:
        sys.path.insert(0, str(path))

pytest.importorskip("moto", reason="the emulator needs moto[server] (the project's test extra)")
pytest.importorskip("botocore")

import botocore.session  # noqa: E402
from emulator_helpers import FAST  # noqa: E402

from studio_emulator.client import EmulatorProcess, monkeypatch_env  # noqa: E402


@pytest.fixture(scope="module")
def emulator(tmp_path_factory: pytest.TempPathFactory) -> Iterator[EmulatorProcess]:
    emu = EmulatorProcess.start(tmp_path_factory.mktemp("emulator"), scenario="happy")
    try:
        yield emu
    finally:
        emu.stop()


@pytest.fixture
def happy(emulator: EmulatorProcess) -> dict[str, Any]:
    """Each test starts from a freshly seeded ``happy`` scenario."""
    return emulator.use("happy")


@pytest.fixture
def session_for(monkeypatch: pytest.MonkeyPatch):
    """A botocore session that sees exactly a scenario's environment (plus ``extra``)."""

    def make(info: dict[str, Any], **extra: str | None) -> Any:
        monkeypatch_env(monkeypatch, {**info["env"], **extra})
        return botocore.session.Session()

    return make


@pytest.fixture(scope="module")
def admin(emulator: EmulatorProcess):
    """Clients with throwaway static keys, independent of the scenario's credential mode.

    Cached per module: creating a botocore client costs more than a scenario switch."""
    clients: dict[tuple[str, str], Any] = {}
    session = None

    def make(service: str, info: dict[str, Any] | None = None) -> Any:
        nonlocal session
        info = info or emulator.info
        key = (service, info["region"])
        if key not in clients:
            with pytest.MonkeyPatch.context() as m:  # whatever AWS settings the runner has
                for name in ("AWS_PROFILE", "AWS_DEFAULT_PROFILE"):
                    m.delenv(name, raising=False)
                m.setenv("AWS_CONFIG_FILE", os.devnull)
                m.setenv("AWS_SHARED_CREDENTIALS_FILE", os.devnull)
                session = session or botocore.session.Session()
                clients[key] = session.create_client(
                    service,
                    region_name=info["region"],
                    endpoint_url=emulator.url,
                    aws_access_key_id="AKIAFACTCHECKER00001",
                    aws_secret_access_key="not-a-secret",
                    config=FAST,
                )
        return clients[key]

    return make

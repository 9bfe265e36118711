"""Fixtures of the server extension's tests: a real Jupyter server (pytest-jupyter) with the
extension, wired to a real Studio emulator process through botocore's standard variables.

Mark a test `@pytest.mark.scenario("shared_space")` to run it in another emulated Studio, and
`@pytest.mark.traits(check_deadline=3)` to set `TrustedIdentity` traits.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import pytest
from helpers_http import Http, base

from studio_emulator.client import EmulatorProcess, monkeypatch_env

pytest_plugins = ["pytest_jupyter.jupyter_server"]

STUDIO_BASE_URL = "/jupyterlab/default/"


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line("markers", "scenario(name): the emulated Studio scenario of a test")
    config.addinivalue_line("markers", "traits(**values): TrustedIdentity traits of a test")


@pytest.fixture(scope="session")
def emulator(tmp_path_factory: pytest.TempPathFactory) -> Iterator[EmulatorProcess]:
    emu = EmulatorProcess.start(tmp_path_factory.mktemp("studio"), scenario="happy")
    try:
        yield emu
    finally:
        emu.stop()


@pytest.fixture
def scenario_name(request: pytest.FixtureRequest) -> str:
    marker = request.node.get_closest_marker("scenario")
    return marker.args[0] if marker else "happy"


@pytest.fixture
def studio(
    emulator: EmulatorProcess, scenario_name: str, monkeypatch: pytest.MonkeyPatch
) -> dict[str, Any]:
    """Seeds the scenario and gives this process its environment (the server reads it)."""
    info = emulator.use(scenario_name)
    monkeypatch_env(monkeypatch, info["env"])
    emulator.reset_calls()
    return info


@pytest.fixture
def traits(request: pytest.FixtureRequest, tmp_path) -> dict[str, Any]:
    values: dict[str, Any] = {
        "audit_path": str(tmp_path / "audit" / "audit.sqlite3"),
        "aws_timeout": 2.0,
        "check_deadline": 5.0,
    }
    marker = request.node.get_closest_marker("traits")
    if marker:
        values.update(marker.kwargs)
    return values


@pytest.fixture
def jp_base_url() -> str:
    return STUDIO_BASE_URL  # as SageMaker Studio serves JupyterLab


@pytest.fixture
def jp_server_config(studio: dict[str, Any], traits: dict[str, Any]) -> dict[str, Any]:
    return {
        "ServerApp": {"jpserver_extensions": {"jupyterlab_trusted_identity": True}},
        "TrustedIdentity": {"metadata_path": studio["metadata_path"], **traits},
    }


@pytest.fixture
def api(jp_fetch):
    """`await api("identity")` → (status, JSON body) of a trusted-identity route; errors too."""
    from tornado.httpclient import HTTPClientError

    async def call(path: str, method: str = "GET", body: Any = None, **params: Any):
        kwargs: dict[str, Any] = {"method": method, "params": params}
        if method != "GET":
            kwargs["body"] = body if isinstance(body, (str, bytes)) else json.dumps(body or {})
        try:
            response = await jp_fetch("trusted-identity", *path.split("/"), **kwargs)
        except HTTPClientError as error:
            response = error.response
            assert response is not None, error
        text = response.body.decode()
        is_json = response.headers.get("Content-Type", "").startswith("application/json")
        return response.code, (json.loads(text) if is_json else text)

    return call


@pytest.fixture
def http(jp_serverapp, http_server_client, jp_base_url) -> Http:
    """`await http("kernels/abc", "POST", token=False)` → the raw `Reply` of a trusted-identity
    route, through a plain HTTP client (see helpers_http.Http)."""
    return Http(base(http_server_client, jp_base_url), jp_serverapp.identity_provider.token)


@pytest.fixture
def start_kernel(jp_fetch):
    """Starts a kernel through Jupyter's REST API (as JupyterLab does); returns its id."""

    async def start(name: str = "python3", path: str | None = None) -> str:
        if path is None:
            response = await jp_fetch(
                "api", "kernels", method="POST", body=json.dumps({"name": name})
            )
            return json.loads(response.body)["id"]
        body = {"path": path, "name": path, "type": "notebook", "kernel": {"name": name}}
        response = await jp_fetch("api", "sessions", method="POST", body=json.dumps(body))
        return json.loads(response.body)["kernel"]["id"]

    return start

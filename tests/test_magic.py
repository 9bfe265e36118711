"""The notebook magic (`%load_ext jupyterlab_trusted_identity`, `%trusted_identity`) in real
IPython kernels started with a Studio emulator scenario's environment, as Jupyter starts them:
the card follows what the notebook changed at run time (os.environ, AWS_PROFILE,
boto3.setup_default_session), judged by botocore's resolution, and never shows a secret.

The TrustedIdentity traits reach the kernel through a jupyter_server_config.json in its
JUPYTER_CONFIG_DIR, as they reach the server.
"""

from __future__ import annotations

import json
import subprocess
import sys
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from studio_emulator.client import apply_env, kernelspec_env

jupyter_client = pytest.importorskip("jupyter_client")

LOAD = "%load_ext jupyterlab_trusted_identity"
MAGIC = "%trusted_identity"
# Modules the extension must not import until the magic runs.
HEAVY = (
    "botocore",
    "boto3",
    "jupyterlab_trusted_identity.engine",
    "jupyterlab_trusted_identity.magic.inspect",
)
HEAVY_PROBE = f"import sys; print(sorted(m for m in sys.modules if m.startswith({HEAVY!r})))"


def _kernel_env(studio: dict[str, Any], config_dir: Path) -> dict[str, str]:
    config_dir.mkdir(parents=True, exist_ok=True)
    traits = {"metadata_path": studio["metadata_path"], "aws_timeout": 2.0, "check_deadline": 8.0}
    (config_dir / "jupyter_server_config.json").write_text(
        json.dumps({"TrustedIdentity": traits}), encoding="utf-8"
    )
    env = apply_env(studio["env"])
    env["JUPYTER_CONFIG_DIR"] = str(config_dir)
    return env


class Kernel:
    """A real IPython kernel (ipykernel) and the outputs of the cells it runs."""

    def __init__(self, env: dict[str, str]) -> None:
        self.manager = jupyter_client.KernelManager(kernel_name="python3")
        self.manager.start_kernel(env=env)
        self.client = self.manager.client()
        self.client.start_channels()
        self.client.wait_for_ready(timeout=60)
        self.outputs: list[dict[str, Any]] = []

    def run(self, code: str) -> list[dict[str, Any]]:
        """Runs a cell; returns its outputs (display data, streams, errors) as iopub sent them."""
        outputs: list[dict[str, Any]] = []

        def hook(msg: dict[str, Any]) -> None:
            if msg["msg_type"] in ("display_data", "execute_result", "stream", "error"):
                outputs.append({"type": msg["msg_type"], **msg["content"]})

        reply = self.client.execute_interactive(code, output_hook=hook, timeout=60)
        errors = [o for o in outputs if o["type"] == "error"]
        assert reply["content"]["status"] == "ok", errors or reply["content"]
        self.outputs += outputs
        return outputs

    def card(self, code: str = MAGIC) -> tuple[str, str]:
        """(text/plain, text/html) of the card a cell displays."""
        shown = [o for o in self.run(code) if o["type"] == "display_data"]
        assert len(shown) == 1, shown
        data = shown[0]["data"]
        return data["text/plain"], data["text/html"]

    def stdout(self, code: str) -> str:
        return "".join(o["text"] for o in self.run(code) if o["type"] == "stream")

    def close(self) -> None:
        self.client.stop_channels()
        self.manager.shutdown_kernel(now=True)


@pytest.fixture
def kernel(studio: dict[str, Any], tmp_path: Path) -> Iterator[Kernel]:
    k = Kernel(_kernel_env(studio, tmp_path / "config"))
    try:
        k.run(LOAD)
        yield k
    finally:
        k.close()


def _secrets(studio: dict[str, Any]) -> list[str]:
    """Every secret the scenario hands out: the static keys' secrets, the container token and the
    container credentials' secret key and session token."""
    env = studio["env"]
    secrets = [kernelspec_env(studio, "python3-static-keys")["AWS_SECRET_ACCESS_KEY"]]
    credentials_file = Path(env["AWS_SHARED_CREDENTIALS_FILE"]).read_text(encoding="utf-8")
    secrets += [
        line.split("=", 1)[1].strip()
        for line in credentials_file.splitlines()
        if line.startswith("aws_secret_access_key")
    ]
    token = env["AWS_CONTAINER_AUTHORIZATION_TOKEN"]
    request = urllib.request.Request(
        env["AWS_CONTAINER_CREDENTIALS_FULL_URI"], headers={"Authorization": token}
    )
    with urllib.request.urlopen(request, timeout=10) as response:
        container = json.loads(response.read())
    secrets += [token, container["SecretAccessKey"], container["Token"]]
    assert all(len(s) >= 16 for s in secrets)
    return secrets


def _static_keys(studio: dict[str, Any]) -> tuple[str, str]:
    keys = kernelspec_env(studio, "python3-static-keys")
    return keys["AWS_ACCESS_KEY_ID"], keys["AWS_SECRET_ACCESS_KEY"]


def _remediation(text: str) -> str:
    lines = text.splitlines()
    todo = [line for line in lines if line.startswith("To do: ")]
    assert len(todo) == 1, text
    return todo[0].removeprefix("To do: ")


# ---- the cards ---------------------------------------------------------------------------------


def test_happy_kernel_shows_jane_doe_propagated(kernel: Kernel, studio: dict[str, Any]):
    text, html = kernel.card()
    first, summary = text.splitlines()[:2]
    assert first == "Trusted identity of this kernel: \u2714 propagated"
    # The engine's verdict sentence, as the panel shows it.
    assert summary == "Identity of jdoe@example.com is propagated to connected AWS services."
    assert "User          Jane Doe <jdoe@example.com>  [CloudTrail (onBehalfOf" in text
    assert "arn:aws:sts::111122223333:assumed-role/SageMakerExec/SageMaker" in text
    assert "[sts:GetCallerIdentity]" in text
    assert "container-role, key ASIA\u2026" in text
    assert "[botocore's credential chain over os.environ now]" in text
    assert "Changed here" not in text and "To do:" not in text
    assert "space jdoe-space" in text
    assert "Settings: TrustedIdentity traits of " in text and "jupyter_server_config.json" in text
    assert 'data-verdict="propagated"' in html and "Jane Doe &lt;jdoe@example.com&gt;" in html


def test_static_keys_set_in_os_environ_at_run_time(kernel: Kernel, studio: dict[str, Any]):
    akid, secret = _static_keys(studio)
    kernel.run(
        f"import os; os.environ['AWS_ACCESS_KEY_ID'] = {akid!r}; "
        f"os.environ['AWS_SECRET_ACCESS_KEY'] = {secret!r}"
    )
    text, html = kernel.card()
    assert text.splitlines()[0] == "Trusted identity of this kernel: \u2718 not propagated"
    assert text.splitlines()[1].startswith(
        "The identity is not propagated: This session uses static keys from environment variables"
    )
    assert f"env, key {akid[:4]}\u2026{akid[-4:]}" in text and akid not in text
    assert "arn:aws:iam::111122223333:user/notebook-bot" in text
    assert (
        "Changed here  AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY  [os.environ now vs. "
        "/proc/self/environ]" in text
    )
    # The one thing to do is the engine's remediation of the verdict's cause.
    assert _remediation(text).startswith("Remove the overriding credentials")
    assert 'data-verdict="not_propagated"' in html and "To do:" in html


def test_aws_profile_set_at_run_time(kernel: Kernel):
    kernel.run("import os; os.environ['AWS_PROFILE'] = 'analytics'")
    text, _ = kernel.card()
    assert "not propagated" in text.splitlines()[0]
    assert "a role assumed through a profile" in text.splitlines()[1]
    assert "assume-role, key ASIA\u2026" in text
    assert "assumed-role/AnalyticsRole/analytics" in text
    assert "Changed here  AWS_PROFILE  [" in text
    assert _remediation(text)


def test_setup_default_session_with_other_keys(kernel: Kernel, studio: dict[str, Any]):
    akid, secret = _static_keys(studio)
    kernel.run(
        "import boto3; boto3.setup_default_session("
        f"aws_access_key_id={akid!r}, aws_secret_access_key={secret!r}, region_name='us-east-1')"
    )
    text, _ = kernel.card()
    assert "not propagated" in text.splitlines()[0]
    assert f"explicit, key {akid[:4]}\u2026{akid[-4:]}  [boto3.DEFAULT_SESSION]" in text
    assert "user/notebook-bot" in text
    # Nothing changed in os.environ: the session alone overrides.
    assert "Changed here" not in text
    assert _remediation(text)


def test_verdict_follows_botocore_not_variable_names(kernel: Kernel, studio: dict[str, Any]):
    """The default session resolved the container credentials before the keys were set: boto3
    keeps signing with those, so the identity is still propagated, and the card says which
    variables changed. A token without a key is ignored by botocore too."""
    akid, secret = _static_keys(studio)
    kernel.run(
        "import boto3, os; boto3.client('sts', region_name='us-east-1'); "
        f"os.environ['AWS_ACCESS_KEY_ID'] = {akid!r}; "
        f"os.environ['AWS_SECRET_ACCESS_KEY'] = {secret!r}"
    )
    text, _ = kernel.card()
    assert "\u2714 propagated" in text.splitlines()[0], text
    assert "container-role, key ASIA\u2026" in text and "[boto3.DEFAULT_SESSION]" in text
    assert "Changed here  AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY" in text

    kernel.run("import boto3; boto3.DEFAULT_SESSION = None")  # a new one would take the keys
    text, _ = kernel.card()
    assert "not propagated" in text.splitlines()[0]


def test_no_secret_in_any_output(kernel: Kernel, studio: dict[str, Any]):
    akid, secret = _static_keys(studio)
    kernel.card()
    kernel.run(f"import os; os.environ['AWS_ACCESS_KEY_ID'] = {akid!r}")
    kernel.card()
    kernel.run(f"os.environ['AWS_SECRET_ACCESS_KEY'] = {secret!r}; os.environ['AWS_PROFILE'] = 'x'")
    kernel.card()
    kernel.run(
        "del os.environ['AWS_PROFILE']; import boto3; boto3.setup_default_session(profile_name="
        "'analytics')"
    )
    kernel.card("%trusted_identity --refresh")
    shown = json.dumps(kernel.outputs)  # the outputs only: the code cells sent is not echoed
    assert shown.count("Trusted identity of this kernel") == 8  # four cards, text and html
    for value in _secrets(studio):
        assert value not in shown
    assert akid not in shown


def test_magic_loads_light_and_imports_the_engine_only_when_run(kernel: Kernel):
    # The kernel fixture loaded the extension already.
    assert kernel.stdout(HEAVY_PROBE).strip() == "[]"
    kernel.card()
    loaded = kernel.stdout(HEAVY_PROBE)
    assert "'botocore'" in loaded and "'jupyterlab_trusted_identity.engine'" in loaded


def test_importing_the_package_stays_light():
    probe = f"import jupyterlab_trusted_identity, jupyterlab_trusted_identity.magic; {HEAVY_PROBE}"
    out = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, timeout=60, check=True
    )
    assert out.stdout.strip() == "[]"


def test_terminal_ipython_prints_plain_text(studio: dict[str, Any], tmp_path: Path):
    """Outside JupyterLab (a terminal IPython) the card is its plain text: no HTML."""
    env = _kernel_env(studio, tmp_path / "config")
    out = subprocess.run(
        [
            sys.executable,
            "-m",
            "IPython",
            "--quick",
            "--no-banner",
            "--colors=NoColor",
            "-c",
            f"{LOAD}\n{MAGIC}",
        ],
        capture_output=True,
        text=True,
        timeout=120,
        env=env,
        check=True,
    )
    assert "Trusted identity of this kernel: \u2714 propagated" in out.stdout, out.stderr
    assert "Jane Doe" in out.stdout
    assert "<div" not in out.stdout and "<table" not in out.stdout


# ---- settings ----------------------------------------------------------------------------------


def test_traits_come_from_the_jupyter_config_files(tmp_path: Path):
    """The server's files, its own file below the server's, a value the server would refuse not
    taken (and said), server-only traits left out."""
    from jupyterlab_trusted_identity.magic.config import read_config

    low, high = tmp_path / "system", tmp_path / "user"
    low.mkdir(), high.mkdir()
    (low / "jupyter_jupyterlab_trusted_identity_config.json").write_text(
        json.dumps({"TrustedIdentity": {"check_deadline": 4, "region": "eu-west-1"}})
    )
    (high / "jupyter_server_config.json").write_text(
        json.dumps(
            {
                "TrustedIdentity": {
                    "check_deadline": 3.5,
                    "aws_timeout": 0,
                    "verify_with_cloudtrail": False,
                    "state_path": "/tmp/server-state.json",
                    "audit_path": "",
                },
                "ServerApp": {"ip": "127.0.0.1"},
            }
        )
    )
    config = read_config([str(high), str(low)])  # highest priority first, as Jupyter's path
    assert config.engine.check_deadline == 3.5 and config.engine.region == "eu-west-1"
    assert config.engine.verify_with_cloudtrail is False
    assert config.engine.aws_timeout == 5.0 and config.engine.state_path is None
    assert "not taken: aws_timeout (out of range)" in config.source
    assert str(high / "jupyter_server_config.json") in config.source

    empty = read_config([str(tmp_path / "none")])
    assert empty.files == () and empty.source.startswith("defaults")

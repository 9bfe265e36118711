"""Drive an emulator process from tests (stdlib only: no moto or botocore needed here)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Mapping
from pathlib import Path
from typing import Any

REPO_ROOT = Path(__file__).resolve().parent.parent
START_TIMEOUT = 30.0
# The interpreter of the emulator child; default: this one. The compatibility matrix runs the
# tests with an image-like Python that has no moto, and points this at the dev venv's Python.
PYTHON_VARIABLE = "STUDIO_EMULATOR_PYTHON"


def apply_env(
    env: Mapping[str, str | None], base: Mapping[str, str] | None = None
) -> dict[str, str]:
    """A full process environment: ``base`` (default: os.environ) with the scenario's
    ``env`` applied, where ``None`` removes the variable."""
    out = dict(os.environ if base is None else base)
    for name, value in env.items():
        if value is None:
            out.pop(name, None)
        else:
            out[name] = value
    return out


def kernelspec_env(info: Mapping[str, Any], name: str) -> dict[str, str]:
    """The variables a kernelspec the scenario seeded sets (``env`` of its kernel.json)."""
    folder = Path(info["env"]["JUPYTER_PATH"].split(os.pathsep)[0]) / "kernels" / name
    return json.loads((folder / "kernel.json").read_text(encoding="utf-8"))["env"]


def monkeypatch_env(monkeypatch: Any, env: Mapping[str, str | None]) -> None:
    """Applies a scenario's ``env`` to this process through pytest's ``monkeypatch`` (undone
    after the test), where ``None`` removes the variable."""
    for name, value in env.items():
        if value is None:
            monkeypatch.delenv(name, raising=False)
        else:
            monkeypatch.setenv(name, value)


class EmulatorError(RuntimeError):
    pass


class EmulatorProcess:
    """``python -m studio_emulator serve`` in a child process, and its control API."""

    def __init__(self, proc: subprocess.Popen[bytes], info_path: Path, log_path: Path) -> None:
        self._proc = proc
        self._info_path = info_path
        self.log_path = log_path
        self._info: dict[str, Any] = {}

    @classmethod
    def start(
        cls, state_dir: str | os.PathLike[str], scenario: str = "happy", port: int = 0
    ) -> EmulatorProcess:
        state = Path(state_dir).resolve()
        state.mkdir(parents=True, exist_ok=True)
        info_path = state / "emulator-info.json"
        if info_path.exists():
            info_path.unlink()
        log_path = state / "emulator.log"
        log = log_path.open("ab")
        try:
            proc = subprocess.Popen(
                [
                    os.environ.get(PYTHON_VARIABLE) or sys.executable,
                    "-m",
                    "studio_emulator",
                    "serve",
                    "--scenario",
                    scenario,
                    "--port",
                    str(port),
                    "--state-dir",
                    str(state),
                    "--info-out",
                    str(info_path),
                ],
                cwd=REPO_ROOT,
                stdout=log,
                stderr=subprocess.STDOUT,
                stdin=subprocess.DEVNULL,
            )
        finally:
            log.close()
        emu = cls(proc, info_path, log_path)
        deadline = time.monotonic() + START_TIMEOUT
        while time.monotonic() < deadline:
            if info_path.exists():
                emu._info = json.loads(info_path.read_text(encoding="utf-8"))
                return emu
            if proc.poll() is not None:
                raise EmulatorError(f"emulator exited with {proc.returncode}:\n{emu._log_tail()}")
            time.sleep(0.05)
        emu.stop()
        raise EmulatorError(f"emulator not ready after {START_TIMEOUT:.0f} s:\n{emu._log_tail()}")

    def _log_tail(self) -> str:
        try:
            return self.log_path.read_text(encoding="utf-8", errors="replace")[-4000:]
        except OSError:
            return ""

    # -- properties -------------------------------------------------------------------
    @property
    def url(self) -> str:
        return self._info["url"]

    @property
    def info(self) -> dict[str, Any]:
        """Info of the scenario in use (kept current by ``use``)."""
        return self._info

    @property
    def env(self) -> dict[str, str | None]:
        return self._info["env"]

    @property
    def pid(self) -> int:
        return self._proc.pid

    # -- control API ------------------------------------------------------------------
    def _call(self, method: str, path: str, payload: Any = None) -> Any:
        data = None if payload is None else json.dumps(payload).encode()
        req = urllib.request.Request(
            self.url + path, data=data, method=method, headers={"Content-Type": "application/json"}
        )
        try:
            with urllib.request.urlopen(req, timeout=60) as resp:
                return json.loads(resp.read() or b"null")
        except urllib.error.HTTPError as e:
            raise EmulatorError(
                f"{method} {path}: {e.code} {e.read().decode(errors='replace')}"
            ) from None

    def use(self, name: str) -> dict[str, Any]:
        self._info = self._call("POST", "/_emulator/scenario", {"name": name})
        return self._info

    def fault(
        self,
        operation: str,
        fault: str,
        count: int | None = None,
        hang_seconds: float | None = None,
    ) -> dict[str, Any]:
        payload: dict[str, Any] = {"operation": operation, "fault": fault}
        if count is not None:
            payload["count"] = count
        if hang_seconds is not None:
            payload["hang_seconds"] = hang_seconds
        return self._call("POST", "/_emulator/faults", payload)

    def faults(self) -> list[dict[str, Any]]:
        return self._call("GET", "/_emulator/faults")["faults"]

    def clear_faults(self) -> None:
        self._call("DELETE", "/_emulator/faults")

    def delay(self, ms: int) -> None:
        self._call("POST", "/_emulator/delay", {"ms": ms})

    def rotate(self) -> dict[str, Any]:
        return self._call("POST", "/_emulator/rotate", {})

    def calls(self) -> dict[str, Any]:
        return self._call("GET", "/_emulator/calls")

    def reset_calls(self) -> None:
        self._call("DELETE", "/_emulator/calls")

    def events(self) -> list[dict[str, Any]]:
        return self._call("GET", "/_emulator/events")["events"]

    def cloudtrail_delay(
        self, seconds: float, max_seconds: float | None = None, seed: int | None = None
    ) -> None:
        """A fixed delivery delay, or one drawn per event between seconds and max_seconds."""
        payload: dict[str, Any] = {"delivery_delay_seconds": seconds}
        if max_seconds is not None:
            payload["delivery_delay_max_seconds"] = max_seconds
        if seed is not None:
            payload["seed"] = seed
        self._call("POST", "/_emulator/cloudtrail", payload)

    def advance_clock(self, seconds: float) -> dict[str, Any]:
        """Moves the emulator's simulated time forward (credential expiry, CloudTrail delivery,
        call times)."""
        return self._call("POST", "/_emulator/clock", {"advance_seconds": seconds})

    def health(self) -> dict[str, Any]:
        return self._call("GET", "/_emulator/health")

    def stop(self, timeout: float = 10.0) -> int | None:
        if self._proc.poll() is None:
            self._proc.terminate()
            try:
                self._proc.wait(timeout)
            except subprocess.TimeoutExpired:
                self._proc.kill()
                self._proc.wait(5)
        return self._proc.returncode

    def __enter__(self) -> EmulatorProcess:
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()

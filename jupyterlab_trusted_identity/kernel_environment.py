"""A kernel's launch environment: what botocore inside that kernel starts from."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any


def _pid(kernel_manager: Any) -> int | None:
    provisioner = getattr(kernel_manager, "provisioner", None)
    pid = getattr(provisioner, "pid", None)
    if pid is None:
        pid = getattr(getattr(provisioner, "process", None), "pid", None)
    return pid if isinstance(pid, int) and pid > 0 else None


def _read_proc_environ(pid: int) -> dict[str, str]:
    with open(f"/proc/{pid}/environ", "rb") as f:
        raw = f.read()
    environ = {}
    for item in raw.split(b"\0"):
        name, sep, value = item.partition(b"=")
        if sep and name:
            environ[name.decode(errors="replace")] = value.decode(errors="replace")
    return environ


def launch_environment(
    kernel_manager: Any, server_environ: Mapping[str, str]
) -> tuple[dict[str, str], str, int | None]:
    """(environment, where it came from, pid).

    A local kernel's /proc/<pid>/environ is exact (kernelspec env, provisioner additions,
    launcher scripts). Otherwise — a remote kernel, or /proc unreadable — the kernelspec's `env`
    over the server's environment is what the kernel was asked to start with.
    """
    pid = _pid(kernel_manager)
    if pid is not None:
        try:
            return _read_proc_environ(pid), "process", pid
        except OSError:
            pass
    environ = dict(server_environ)
    try:
        spec_env = getattr(kernel_manager.kernel_spec, "env", None) or {}
    except Exception:  # the spec may be gone (uninstalled) while the kernel runs
        spec_env = {}
    environ.update({str(k): str(v) for k, v in spec_env.items()})
    return environ, "kernelspec", pid

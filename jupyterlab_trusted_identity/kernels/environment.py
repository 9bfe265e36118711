"""A kernel's launch environment: what botocore inside that kernel starts from, read once per
kernel process."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any


def kernel_pid(kernel_manager: Any) -> int | None:
    """The pid of a local kernel's process; None for a remote kernel (or before it runs)."""
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
    pid = kernel_pid(kernel_manager)
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


class LaunchEnvironments:
    """Each kernel's launch environment and its source, read when its process is new (a start,
    a restart, an automatic restart after a crash) and otherwise reused: not read per report."""

    def __init__(self, server_environ: Mapping[str, str]) -> None:
        self._server_environ = server_environ
        # kernel id -> (pid, environment, source)
        self._read: dict[str, tuple[int | None, dict[str, str], str]] = {}
        #: Counts reads: a read may change a kernel's report (see KernelTracker.listing).
        self.reads = 0

    def of(self, kernel_id: str, kernel_manager: Any) -> tuple[dict[str, str], str]:
        read = self._read.get(kernel_id)
        if read is not None and read[0] == kernel_pid(kernel_manager):
            return read[1], read[2]
        environ, source, pid = launch_environment(kernel_manager, self._server_environ)
        self._read[kernel_id] = (pid, environ, source)
        self.reads += 1
        return environ, source

    def forget(self, kernel_id: str) -> None:
        self._read.pop(kernel_id, None)

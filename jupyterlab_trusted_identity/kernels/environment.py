"""A kernel's launch environment: what botocore inside that kernel starts from, read once per
kernel process."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
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


class EnvironmentDelta(Mapping[str, str]):
    """A kernel's environment held as what differs from the server's (which never changes):
    kernels inherit nearly all of it, and 200 kernels' full copies cost ~20 KB each."""

    __slots__ = ("_base", "_changed", "_removed")

    def __init__(self, base: Mapping[str, str], environ: Mapping[str, str]) -> None:
        self._base = base
        self._changed = {k: v for k, v in environ.items() if base.get(k) != v}
        self._removed = frozenset(k for k in base if k not in environ)

    def __getitem__(self, name: str) -> str:
        if name in self._changed:
            return self._changed[name]
        if name in self._removed:
            raise KeyError(name)
        return self._base[name]

    def __iter__(self) -> Iterator[str]:
        yield from self._changed
        for name in self._base:
            if name not in self._changed and name not in self._removed:
                yield name

    def __len__(self) -> int:
        return len(self._changed) + sum(
            1 for name in self._base if name not in self._changed and name not in self._removed
        )


class LaunchEnvironments:
    """Each kernel's launch environment and its source, read when its process is new (a start,
    a restart, an automatic restart after a crash) and otherwise reused: not read per report."""

    def __init__(self, server_environ: Mapping[str, str]) -> None:
        self._server_environ = server_environ
        # kernel id -> (pid, environment, source)
        self._read: dict[str, tuple[int | None, Mapping[str, str], str]] = {}
        #: Counts reads: a read may change a kernel's report (see KernelTracker.listing).
        self.reads = 0

    def of(self, kernel_id: str, kernel_manager: Any) -> tuple[Mapping[str, str], str]:
        read = self._read.get(kernel_id)
        if read is not None and read[0] == kernel_pid(kernel_manager):
            return read[1], read[2]
        environ, source, pid = launch_environment(kernel_manager, self._server_environ)
        kept = EnvironmentDelta(self._server_environ, environ)
        self._read[kernel_id] = (pid, kept, source)
        self.reads += 1
        return kept, source

    def forget(self, kernel_id: str) -> None:
        self._read.pop(kernel_id, None)

"""Real processes for the benchmarks: the Studio emulator, `jupyter server` with or without the
extension, keep-alive HTTP clients, kernels started through the REST API, and percentiles."""

from __future__ import annotations

import http.client
import json
import os
import secrets
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any, Self

from studio_emulator.client import EmulatorProcess, apply_env
from studio_emulator.processes import child_pids as children
from studio_emulator.processes import free_port

REPO = Path(__file__).resolve().parent.parent
BASE_URL = "/jupyterlab/default/"
EXTENSION = "jupyterlab_trusted_identity"


def figure(
    ratio: float | None, goal: float | None, raw: dict[str, Any], notes: str, ok: bool = True
) -> dict[str, Any]:
    """The result of one figure; `ok` False fails it whatever the ratio."""
    return {
        "ratio": None if ratio is None else round(ratio, 3),
        "goal": goal,
        "pass": None if ratio is None or goal is None else (ratio <= goal and ok),
        "raw": raw,
        "notes": notes,
    }


def production_labextension(target: Path) -> Path:
    """Builds our labextension for production (minified, as the wheel ships it) from the compiled
    `lib/` of this checkout into `target`, leaving the development build that `make install`
    links alone; returns the labextension folder. It runs the wheel's own command
    (`jlpm build:labextension`, whose core-package file sets the shared packages' version
    ranges), so it measures what the wheel ships."""
    package = json.loads((REPO / "package.json").read_text())
    package["jupyterlab"]["outputDir"] = "labextension"
    target.mkdir(parents=True, exist_ok=True)
    (target / "package.json").write_text(json.dumps(package, indent=2))
    for name in ("lib", "style", "schema", "compat", "node_modules"):
        (target / name).symlink_to(REPO / name, target_is_directory=True)
    builder = str(Path(sys.executable).with_name("jupyter-builder"))
    command = package["scripts"]["build:labextension"].split()
    if command[:2] != ["jupyter-builder", "build"]:
        raise RuntimeError(f"build:labextension is not a jupyter-builder build: {command}")
    subprocess.run(
        [builder, *command[1:]],
        cwd=target,
        check=True,
        capture_output=True,
        timeout=600,
    )
    built = target / "labextension"
    if not (built / "package.json").is_file():
        raise RuntimeError(f"no production build in {built}")
    return built


def percentile(values: Sequence[float], q: float) -> float:
    """Nearest-rank percentile (q in 0..100) of a non-empty sample."""
    ordered = sorted(values)
    rank = max(1, min(len(ordered), round(q / 100 * len(ordered) + 0.5)))
    return ordered[rank - 1]


def summary(values_ms: Sequence[float]) -> dict[str, float]:
    return {
        "n": len(values_ms),
        "p50_ms": round(percentile(values_ms, 50), 3),
        "p90_ms": round(percentile(values_ms, 90), 3),
        "p99_ms": round(percentile(values_ms, 99), 3),
        "mean_ms": round(statistics.fmean(values_ms), 3),
        "max_ms": round(max(values_ms), 3),
    }


def rss_bytes(pid: int) -> int:
    with open(f"/proc/{pid}/status", encoding="ascii") as f:
        for line in f:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) * 1024
    raise RuntimeError(f"no VmRSS for {pid}")


class Client:
    """One keep-alive HTTP/1.1 connection to a Jupyter server, authenticated by token."""

    def __init__(self, port: int, token: str, timeout: float = 60.0):
        self.port, self.token, self.timeout = port, token, timeout
        self.conn = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)

    def request(self, method: str, path: str, body: Any = None) -> tuple[int, bytes]:
        status, _, data, _ = self.exchange(method, path, body)
        return status, data

    def exchange(
        self, method: str, path: str, body: Any = None, headers: dict[str, str] | None = None
    ) -> tuple[int, dict[str, str], bytes, int]:
        """(status, response headers by lower-case name, body, bytes on the wire: status line,
        headers and body)."""
        data = None if body is None else json.dumps(body).encode()
        sent = {"Connection": "keep-alive", **(headers or {})}
        if self.token:
            sent["Authorization"] = f"token {self.token}"
        if data is not None:
            sent["Content-Type"] = "application/json"
        for attempt in (1, 2):
            try:
                self.conn.request(method, BASE_URL + path, body=data, headers=sent)
                response = self.conn.getresponse()
                payload = response.read()
                received = {k.lower(): v for k, v in response.getheaders()}
                head = len(f"HTTP/1.1 {response.status} {response.reason}\r\n") + sum(
                    len(f"{k}: {v}\r\n") for k, v in response.getheaders()
                )
                return response.status, received, payload, head + 2 + len(payload)
            except (http.client.HTTPException, ConnectionError):
                # A server closes idle keep-alive connections; reconnect once.
                self.conn.close()
                self.conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=self.timeout)
                if attempt == 2:
                    raise
        raise AssertionError("unreachable")

    def json(self, method: str, path: str, body: Any = None, expect: int = 200) -> Any:
        status, data = self.request(method, path, body)
        if status != expect:
            raise RuntimeError(f"{method} {path}: {status} {data[:300]!r}")
        return json.loads(data) if data else None

    def timed(self, method: str, path: str) -> tuple[float, int, int]:
        """(milliseconds, status, body size) of one request."""
        started = time.perf_counter()
        status, data = self.request(method, path)
        return (time.perf_counter() - started) * 1000, status, len(data)

    def close(self) -> None:
        self.conn.close()


class Jupyter:
    """A `jupyter server` or `jupyter lab` process wired to an emulator, logging to its
    server.log; subclasses build the command line and say how to GET a route."""

    name: str
    extension: bool
    workdir: Path
    log_path: Path
    proc: subprocess.Popen[bytes]
    ready_timeout = 90.0

    @staticmethod
    def extension_args(
        emulator: EmulatorProcess,
        extension: bool,
        audit_path: Path,
        traits: dict[str, Any] | None,
    ) -> list[str]:
        """Our server extension wired to the emulator, or turned off."""
        if not extension:
            return [f"--ServerApp.jpserver_extensions={{'{EXTENSION}': False}}"]
        return [
            f"--TrustedIdentity.metadata_path={emulator.info['metadata_path']}",
            f"--TrustedIdentity.audit_path={audit_path}",
            *(f"--TrustedIdentity.{key}={value}" for key, value in (traits or {}).items()),
        ]

    def spawn(self, args: Sequence[str], env: dict[str, str], cwd: Path) -> None:
        self.log_path = self.workdir / "server.log"
        with open(self.log_path, "ab") as log:
            self.proc = subprocess.Popen(
                list(args),
                env=env,
                cwd=cwd,
                stdout=log,
                stderr=subprocess.STDOUT,
                stdin=subprocess.DEVNULL,
                start_new_session=True,  # its kernels are in its process group
            )

    def log_tail(self) -> str:
        return self.log_path.read_text(errors="replace")[-3000:]

    def status_of(self, path: str) -> int:
        """The HTTP status of GET `path` (below the base URL)."""
        raise NotImplementedError

    def wait_ready(self, timeout: float | None = None) -> Self:
        """Waits for api/status, then checks that our server extension is (not) loaded."""
        deadline = time.monotonic() + (timeout or self.ready_timeout)
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(f"{self.name} exited {self.proc.returncode}:\n{self.log_tail()}")
            try:
                if self.status_of("api/status") == 200:
                    break
            except OSError:
                pass
            time.sleep(0.2)
        else:
            raise RuntimeError(f"{self.name} not ready:\n{self.log_tail()}")
        status = self.status_of("trusted-identity/version")
        if (status == 200) != self.extension:
            raise RuntimeError(
                f"{self.name}: server extension {'not ' if self.extension else ''}loaded "
                f"(version route: {status})"
            )
        return self


class Server(Jupyter):
    """`jupyter server` as a real process, configured like SageMaker Studio serves JupyterLab."""

    def __init__(
        self,
        emulator: EmulatorProcess,
        workdir: Path,
        *,
        extension: bool = True,
        name: str = "server",
        traits: dict[str, Any] | None = None,
        token: str | None = None,
        extra_args: Sequence[str] = (),
        audit_path: Path | None = None,
    ):
        self.name = name
        self.workdir = workdir / name
        self.audit_path = audit_path or self.workdir / "audit.sqlite3"
        for sub in ("home", "config", "data", "runtime", "root"):
            (self.workdir / sub).mkdir(parents=True, exist_ok=True)
        self.port = free_port()
        self.token = secrets.token_hex(16) if token is None else token
        self.extension = extension
        self.replaced = 0  # kernels that never came up and were replaced (start_kernels)
        env = apply_env(emulator.env)
        env.update(
            HOME=str(self.workdir / "home"),
            JUPYTER_CONFIG_DIR=str(self.workdir / "config"),
            JUPYTER_DATA_DIR=str(self.workdir / "data"),
            JUPYTER_RUNTIME_DIR=str(self.workdir / "runtime"),
            PYTHONUNBUFFERED="1",
        )
        args = [
            str(Path(sys.executable).with_name("jupyter")),
            "server",
            "--allow-root",
            "--no-browser",
            "--ServerApp.ip=127.0.0.1",
            f"--port={self.port}",
            "--ServerApp.port_retries=0",
            f"--ServerApp.base_url={BASE_URL}",
            f"--ServerApp.root_dir={self.workdir / 'root'}",
            f"--IdentityProvider.token={self.token}",
            # Kernels cull nothing and reply fast to the kernel manager's start handshake.
            "--MappingKernelManager.cull_idle_timeout=0",
        ]
        args += self.extension_args(emulator, extension, self.audit_path, traits)
        args += list(extra_args)
        self.spawn(args, env, self.workdir)
        self.client = Client(self.port, self.token)

    def status_of(self, path: str) -> int:
        return self.client.request("GET", path)[0]

    @property
    def rss(self) -> int:
        return rss_bytes(self.proc.pid)

    def new_client(self) -> Client:
        return Client(self.port, self.token)

    def start_kernels(self, count: int, batch: int = 10, log=print) -> list[str]:
        """Starts `count` python3 kernels through POST api/sessions (as JupyterLab does), `batch`
        at a time, each batch waited for until its kernels are idle."""
        from concurrent.futures import ThreadPoolExecutor

        ids: list[str] = []

        def one(n: int) -> str:
            client = self.new_client()
            try:
                body = {
                    "path": f"bench/nb-{n:03d}.ipynb",
                    "name": f"nb-{n:03d}.ipynb",
                    "type": "notebook",
                    "kernel": {"name": "python3"},
                }
                return client.json("POST", "api/sessions", body, expect=201)["kernel"]["id"]
            finally:
                client.close()

        numbers = iter(range(10 * count))
        with ThreadPoolExecutor(batch) as pool:
            while len(ids) < count:
                started = time.monotonic()
                fresh = list(
                    pool.map(one, [next(numbers) for _ in range(min(batch, count - len(ids)))])
                )
                lost = self.wait_idle(fresh)
                # On 2 busy cores a kernel now and then never comes up (e.g. a port taken between
                # Jupyter picking it and the kernel binding it): it is replaced, and counted.
                for kernel_id in lost:
                    self.client.request("DELETE", f"api/kernels/{kernel_id}")
                    self.replaced += 1
                    if self.replaced > max(5, count // 20):
                        raise RuntimeError(f"{self.replaced} kernels never answered kernel_info")
                ids += [k for k in fresh if k not in lost]
                log(f"    kernels: {len(ids)}/{count} ({time.monotonic() - started:.1f} s/batch)")
        return ids

    def wait_idle(self, ids: Sequence[str], timeout: float = 60.0) -> list[str]:
        """Waits until each kernel answers kernel_info (a kernel nobody talks to stays
        "starting" in api/kernels): the handshake JupyterLab makes when it opens a notebook.
        Returns the kernels that never answered."""
        from queue import Empty

        from jupyter_client import BlockingKernelClient

        def ready(kernel_id: str) -> bool:
            path = self.workdir / "runtime" / f"kernel-{kernel_id}.json"
            deadline = time.monotonic() + timeout
            while not path.exists():
                if time.monotonic() > deadline:
                    return False
                time.sleep(0.1)
            client = BlockingKernelClient(connection_file=str(path))
            client.load_connection_file()
            client.start_channels(hb=False)
            try:
                # Asked again every few seconds, as jupyter_client's wait_for_ready does: a
                # request sent while the kernel still binds its sockets can be lost.
                msg_ids: set[str] = set()
                while time.monotonic() < deadline:
                    msg_ids.add(client.kernel_info())
                    try:
                        while True:
                            reply = client.get_shell_msg(timeout=5.0)
                            if reply["parent_header"].get("msg_id") in msg_ids:
                                return True
                    except Empty:
                        continue
                return False
            finally:
                client.stop_channels()

        # One at a time: the kernels start in parallel meanwhile.
        return [kernel_id for kernel_id in ids if not ready(kernel_id)]

    def kernel_pids(self) -> list[int]:
        return children(self.proc.pid)

    def stop(self) -> None:
        """Shuts every kernel down through the API, then stops the server (kills stragglers)."""
        if self.proc.poll() is None:
            try:
                for kernel in self.client.json("GET", "api/kernels"):
                    self.client.request("DELETE", f"api/kernels/{kernel['id']}")
            except Exception:
                pass
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(30)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait(10)
        for pid in children(self.proc.pid):
            try:
                os.kill(pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
        self.client.close()


@contextmanager
def emulator(scenario: str = "happy") -> Iterator[tuple[EmulatorProcess, Path]]:
    workdir = Path(tempfile.mkdtemp(prefix="ti-bench-"))
    emu = EmulatorProcess.start(workdir / "studio", scenario=scenario)
    try:
        yield emu, workdir
    finally:
        emu.stop()
        shutil.rmtree(workdir, ignore_errors=True)


@contextmanager
def server(emu: EmulatorProcess, workdir: Path, **kwargs: Any) -> Iterator[Server]:
    srv = Server(emu, workdir, **kwargs)
    try:
        yield srv.wait_ready()
    finally:
        srv.stop()

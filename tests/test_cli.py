"""`jupyter trusted-identity` (`python -m jupyterlab_trusted_identity`), run as a subprocess the
way a terminal or a script runs it, against the Studio emulator's scenarios; `kernels` and
`audit` against a real `jupyter server` process started here.

Why a server process and not pytest-jupyter's jp_serverapp: the commands find the server
through Jupyter's runtime files (jpserver-<pid>.json), which only a started ServerApp writes,
and jp_serverapp is never started that way; a real process also proves the token handling.

Every child gets its own Jupyter config, data and runtime directories, so nothing of this
machine's Jupyter setup leaks in, and the scenario's environment (studio_emulator.client.apply_env).
"""

from __future__ import annotations

import json
import os
import pty
import re
import select
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from helpers_http import leaks, scenario_secrets
from test_openapi import _validate as validate  # docs/rest-api.yml's schemas

from jupyterlab_trusted_identity.cli.exit_codes import MEANINGS, ExitCode
from jupyterlab_trusted_identity.cli.lifecycle import NOTE as LIFECYCLE_NOTE
from jupyterlab_trusted_identity.cli.render import attention
from studio_emulator.client import EmulatorProcess, apply_env

REPO = Path(__file__).resolve().parent.parent
ANSI = re.compile(r"\x1b\[[0-9;]*m")
# Quick: the emulator answers at once; a hung call must not stall the suite.
FAST = ["--TrustedIdentity.aws_timeout=2", "--TrustedIdentity.check_deadline=5"]


@dataclass
class Run:
    code: int
    out: str
    err: str


@pytest.fixture
def jupyter_dirs(tmp_path: Path) -> dict[str, str]:
    dirs = {name: tmp_path / name for name in ("config", "data", "runtime")}
    for d in dirs.values():
        d.mkdir()
    return {
        "JUPYTER_CONFIG_DIR": str(dirs["config"]),
        "JUPYTER_DATA_DIR": str(dirs["data"]),
        "JUPYTER_RUNTIME_DIR": str(dirs["runtime"]),
    }


def child_env(info: dict[str, Any], jupyter_dirs: dict[str, str], **extra: str) -> dict[str, str]:
    env = apply_env(info["env"])
    for name in ("JUPYTER_CONFIG_PATH", "NO_COLOR", "JUPYTER_PLATFORM_DIRS"):
        env.pop(name, None)
    env.update(jupyter_dirs)
    env.update(extra)
    return env


def cli(env: dict[str, str], *args: str, timeout: float = 60) -> Run:
    proc = subprocess.run(
        [sys.executable, "-m", "jupyterlab_trusted_identity", *args],
        env=env,
        cwd=REPO,
        capture_output=True,
        timeout=timeout,
        stdin=subprocess.DEVNULL,
    )
    # Decoded without newline translation: the CSV's CRLF must arrive as the route sends it.
    return Run(proc.returncode, proc.stdout.decode(), proc.stderr.decode())


@pytest.fixture
def scenario(emulator: EmulatorProcess, jupyter_dirs: dict[str, str]):
    """`scenario("shared_space")` → (scenario info, child environment)."""

    def use(name: str) -> tuple[dict[str, Any], dict[str, str]]:
        info = emulator.use(name)
        return info, child_env(info, jupyter_dirs)

    return use


def check(info: dict[str, Any], env: dict[str, str], *args: str) -> Run:
    return cli(
        env, "check", f"--TrustedIdentity.metadata_path={info['metadata_path']}", *FAST, *args
    )


def assert_no_secret(info: dict[str, Any], *runs: Run) -> None:
    text = "\n".join(r.out + r.err for r in runs)
    assert leaks(text, scenario_secrets(info)) == []


# ---- check: the verdicts and their exit codes ---------------------------------------------------


@pytest.mark.parametrize(
    ("name", "verdict", "code"),
    [
        ("happy", "propagated", ExitCode.PROPAGATED),
        ("shared_space", "not_propagated", ExitCode.NOT_PROPAGATED),
        ("static_keys", "not_propagated", ExitCode.NOT_PROPAGATED),
        ("no_credentials", "no_credentials", ExitCode.NO_CREDENTIALS),
        ("expired", "invalid_credentials", ExitCode.INVALID_CREDENTIALS),
        ("outside_studio", "outside_studio", ExitCode.OUTSIDE_STUDIO),
        ("sts_throttled", "unknown", ExitCode.UNKNOWN),
    ],
)
def test_check_human_output_and_exit_code(scenario, name, verdict, code):
    info, env = scenario(name)
    human = check(info, env)
    as_json = check(info, env, "--json")
    report = json.loads(as_json.out)

    assert report["verdict"] == verdict, report["summary"]
    assert (human.code, as_json.code) == (code, code), human.err + as_json.err
    assert human.out.startswith(f"{verdict}: {report['summary']}\n")
    assert not ANSI.search(human.out), "colours on a pipe"
    # Every check to act on, with the engine's own words; none that passes.
    for c in attention(report):
        assert c["title"] in human.out
        if c["remediation"]:
            assert c["remediation"] in human.out
    for c in report["checks"]:
        if c["status"] == "pass":
            assert c["title"] not in human.out, c["id"]
    if report["role"].get("caller_arn"):
        assert report["role"]["caller_arn"] in human.out
    assert_no_secret(info, human, as_json)


def test_check_names_the_failed_setting_and_its_remediation(scenario):
    info, env = scenario("shared_space")
    report = json.loads(check(info, env, "--json").out)
    space = next(c for c in report["checks"] if c["id"] == "studio.space_private")
    assert space["status"] == "fail"
    out = check(info, env).out
    block = out[out.index("Checks to act on:") :]
    # The verdict's cause comes first.
    assert block.splitlines()[1] == f"  [fail] {space['title']} (required)"
    assert space["remediation"] in block and space["doc_url"] in block


def test_static_keys_show_the_masked_key_and_the_overriding_variables(scenario):
    info, env = scenario("static_keys")
    run = check(info, env)
    key = env["AWS_ACCESS_KEY_ID"]
    assert run.code == ExitCode.NOT_PROPAGATED
    assert f"key {key[:4]}…{key[-4:]}" in run.out
    assert "overridden by AWS_ACCESS_KEY_ID AWS_SECRET_ACCESS_KEY" in run.out
    assert key not in run.out
    assert_no_secret(info, run)


def test_quiet_prints_the_verdict_alone(scenario):
    info, env = scenario("happy")
    run = check(info, env, "--quiet")
    assert (run.code, run.out, run.err) == (0, "propagated\n", "")
    info, env = scenario("shared_space")
    run = check(info, env, "--quiet")
    assert (run.code, run.out) == (ExitCode.NOT_PROPAGATED, "not_propagated\n")


def test_python_m_and_the_jupyter_subcommand_are_the_same_command(scenario):
    jupyter = Path(sys.executable).with_name("jupyter")
    if not Path(sys.executable).with_name("jupyter-trusted-identity").exists():
        pytest.fail("jupyter-trusted-identity is not installed: pip install -e . (make install)")
    info, env = scenario("happy")
    env["PATH"] = str(jupyter.parent) + os.pathsep + env.get("PATH", "")
    proc = subprocess.run(
        [str(jupyter), "trusted-identity", "check", "--quiet",
         f"--TrustedIdentity.metadata_path={info['metadata_path']}", *FAST],
        env=env, capture_output=True, text=True, timeout=60,
    )  # fmt: skip
    assert (proc.returncode, proc.stdout) == (0, "propagated\n"), proc.stderr


# ---- check --json is the route's report ----------------------------------------------------------


def shape(value: Any) -> Any:
    """The keys of every object, recursively (lists by their first item): what a client reads."""
    if isinstance(value, dict):
        return {k: shape(v) for k, v in value.items()}
    if isinstance(value, list):
        return [shape(value[0])] if value and isinstance(value[0], dict) else []
    return None


# ---- configuration: the server's config files, then the command line ------------------------------


def test_traits_come_from_jupyter_server_config_json(scenario, jupyter_dirs):
    info, env = scenario("happy")
    config = Path(jupyter_dirs["JUPYTER_CONFIG_DIR"]) / "jupyter_server_config.json"
    config.write_text(
        json.dumps({"TrustedIdentity": {"metadata_path": info["metadata_path"]}}), "utf-8"
    )
    run = cli(env, "check", "--json", *FAST)
    report = json.loads(run.out)
    assert (run.code, report["studio"]["space_name"]) == (0, "jdoe-space")

    # The command line wins over the file, as for the server.
    missing = str(Path(info["state_dir"]) / "nowhere.json")
    run = cli(env, "check", "--quiet", f"--TrustedIdentity.metadata_path={missing}", *FAST)
    assert (run.code, run.out) == (ExitCode.OUTSIDE_STUDIO, "outside_studio\n")


def test_traits_come_from_jupyter_server_config_py_and_a_bad_value_exits_1(scenario, jupyter_dirs):
    info, env = scenario("happy")
    config = Path(jupyter_dirs["JUPYTER_CONFIG_DIR"]) / "jupyter_server_config.py"
    config.write_text(
        f"c.TrustedIdentity.metadata_path = {info['metadata_path']!r}\n"
        "c.TrustedIdentity.check_deadline = 5.0\n",
        "utf-8",
    )
    run = cli(env, "check", "--quiet")
    assert (run.code, run.out) == (0, "propagated\n"), run.err

    config.write_text("c.TrustedIdentity.check_deadline = -1.0\n", "utf-8")
    run = cli(env, "check", "--quiet")
    assert run.code == ExitCode.FAILED
    assert run.out == "" and "check_deadline must be positive" in run.err
    assert "Traceback" not in run.err


def test_traits_on_jupyter_config_path_as_make_demo_sets_them(scenario, tmp_path):
    info, env = scenario("happy")
    demo_config = tmp_path / "demo-config"
    demo_config.mkdir()
    (demo_config / "jupyter_server_config.json").write_text(
        json.dumps({"TrustedIdentity": {"metadata_path": info["metadata_path"]}}), "utf-8"
    )
    env["JUPYTER_CONFIG_PATH"] = str(demo_config)
    run = cli(env, "check", "--quiet", *FAST)
    assert (run.code, run.out) == (0, "propagated\n"), run.err


def test_usage_errors_exit_2(scenario):
    _, env = scenario("happy")
    assert cli(env, "check", "--no-such-flag").code == ExitCode.USAGE
    run = cli(env, "nonsense")
    assert run.code == ExitCode.USAGE and "unknown subcommand 'nonsense'" in run.err
    assert cli(env).code == ExitCode.USAGE


# ---- lifecycle configurations --------------------------------------------------------------------


def test_lifecycle_mode_says_the_execution_role_alone_is_expected(scenario):
    # ct_absent is what a lifecycle configuration's session is: the execution role's container
    # credentials, every setting right, and CloudTrail events without an onBehalfOf user.
    info, env = scenario("ct_absent")
    plain = check(info, env, "--quiet")
    assert (plain.code, plain.out) == (ExitCode.NOT_PROPAGATED, "not_propagated\n")

    run = check(info, env, "--lifecycle")
    assert run.code == ExitCode.LIFECYCLE_EXPECTED, run.out + run.err
    assert run.out.startswith(LIFECYCLE_NOTE + "\n\nnot_propagated: ")
    assert check(info, env, "--lifecycle", "--json").code == ExitCode.LIFECYCLE_EXPECTED


def test_lifecycle_mode_still_reports_a_broken_setting(scenario):
    info, env = scenario("shared_space")
    run = check(info, env, "--lifecycle")
    assert run.code == ExitCode.NOT_PROPAGATED
    assert LIFECYCLE_NOTE in run.out and "[fail] The space is private (required)" in run.out
    info, env = scenario("no_credentials")
    assert check(info, env, "--lifecycle", "--quiet").code == ExitCode.NO_CREDENTIALS


# ---- colours -----------------------------------------------------------------------------------


def on_a_terminal(env: dict[str, str], *args: str) -> str:
    """stdout of the command run on a pseudo-terminal."""
    leader, follower = pty.openpty()
    proc = subprocess.Popen(
        [sys.executable, "-m", "jupyterlab_trusted_identity", *args],
        env=env, cwd=REPO, stdout=follower, stderr=subprocess.DEVNULL, stdin=subprocess.DEVNULL,
    )  # fmt: skip
    os.close(follower)
    chunks = []
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        ready, _, _ = select.select([leader], [], [], 0.5)
        if ready:
            try:
                data = os.read(leader, 65536)
            except OSError:  # EIO: the child closed the terminal
                break
            if not data:
                break
            chunks.append(data)
        elif proc.poll() is not None:
            break
    proc.wait(timeout=10)
    os.close(leader)
    return b"".join(chunks).decode()


def test_colours_on_a_terminal_only_and_never_with_no_color(scenario):
    info, env = scenario("shared_space")
    args = ("check", f"--TrustedIdentity.metadata_path={info['metadata_path']}", *FAST)
    coloured = on_a_terminal(env, *args)
    assert "\x1b[31m[fail]\x1b[0m" in coloured
    assert ANSI.search(on_a_terminal({**env, "NO_COLOR": "1"}, *args)) is None
    assert ANSI.search(on_a_terminal({**env, "TERM": "dumb"}, *args)) is None


# ---- exit codes are documented ---------------------------------------------------------------------


def test_exit_codes_are_in_help_and_in_the_readme(scenario):
    _, env = scenario("happy")
    for args in (("--help",), ("check", "--help")):
        run = cli(env, *args)
        assert run.code == 0
        for code in ExitCode:
            assert f"{int(code):>2}  {MEANINGS[code]}" in run.out, (args, code)
    readme = (REPO / "README.md").read_text("utf-8")
    section = readme[readme.index("## Command line") :]
    section = section[: section.index("\n## ", 1)]
    rows = dict(re.findall(r"^\| (\d+) \| (.+?) \|$", section, re.M))
    assert {int(c): meaning for c, meaning in rows.items()} == {
        int(c): MEANINGS[c] for c in ExitCode
    }


# ---- kernels and audit against a running server ---------------------------------------------------


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@dataclass
class JupyterServer:
    url: str
    token: str
    env: dict[str, str]
    proc: subprocess.Popen[bytes]

    def get(self, path: str) -> tuple[str, bytes]:
        request = urllib.request.Request(
            self.url + path, headers={"Authorization": f"token {self.token}"}
        )
        opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))
        with opener.open(request, timeout=60) as response:
            return response.headers.get("Content-Type", ""), response.read()

    def post(self, path: str, body: Any) -> Any:
        request = urllib.request.Request(
            self.url + path,
            data=json.dumps(body).encode(),
            method="POST",
            headers={"Authorization": f"token {self.token}", "Content-Type": "application/json"},
        )
        opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))
        with opener.open(request, timeout=60) as response:
            return json.loads(response.read())


@pytest.fixture(scope="class")
def server(emulator: EmulatorProcess, tmp_path_factory) -> Iterator[JupyterServer]:
    """`jupyter server` in the happy scenario, configured (extension and traits) through the
    config file the commands read too, with a token; a kernel runs in it."""
    root = tmp_path_factory.mktemp("server")
    dirs = {name: root / name for name in ("config", "data", "runtime", "notebooks")}
    for d in dirs.values():
        d.mkdir()
    jupyter_dirs = {
        "JUPYTER_CONFIG_DIR": str(dirs["config"]),
        "JUPYTER_DATA_DIR": str(dirs["data"]),
        "JUPYTER_RUNTIME_DIR": str(dirs["runtime"]),
    }
    info = emulator.use("happy")
    env = child_env(info, jupyter_dirs)
    token = "cli-test-token-0123456789abcdef"
    (dirs["config"] / "jupyter_server_config.json").write_text(
        json.dumps(
            {
                "ServerApp": {"jpserver_extensions": {"jupyterlab_trusted_identity": True}},
                "IdentityProvider": {"token": token},
                "TrustedIdentity": {
                    "metadata_path": info["metadata_path"],
                    "aws_timeout": 2.0,
                    "check_deadline": 5.0,
                    "start_jitter": 0.0,
                },
            }
        ),
        "utf-8",
    )
    log = (root / "server.log").open("wb")
    proc = subprocess.Popen(
        [sys.executable, "-m", "jupyter_server", "--no-browser", "--allow-root", f"--port={free_port()}",
         "--ServerApp.base_url=/jupyterlab/default/", f"--ServerApp.root_dir={dirs['notebooks']}"],
        env=env, stdout=log, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL,
    )  # fmt: skip
    try:
        deadline = time.monotonic() + 60
        while not list(dirs["runtime"].glob("jpserver-*.json")):
            assert proc.poll() is None, (root / "server.log").read_text()
            assert time.monotonic() < deadline, "no runtime file after 60 s"
            time.sleep(0.2)
        runtime = json.loads(next(dirs["runtime"].glob("jpserver-*.json")).read_text())
        jupyter = JupyterServer(runtime["url"], token, env, proc)
        kernel = jupyter.post("api/kernels", {"name": "python3"})
        jupyter.kernel_id = kernel["id"]  # type: ignore[attr-defined]
        jupyter.info = info  # type: ignore[attr-defined]
        yield jupyter
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            proc.kill()
        log.close()


def wait_for_record(server: JupyterServer, event: str) -> list[dict[str, Any]]:
    deadline = time.monotonic() + 30
    while True:
        records = json.loads(server.get("trusted-identity/audit")[1])["records"]
        if any(r["event"] == event for r in records) or time.monotonic() > deadline:
            return records
        time.sleep(0.3)


class TestRunningServer:
    def test_kernels_are_the_routes_reports(self, server: JupyterServer):
        wait_for_record(server, "kernel_started")
        run = cli(server.env, "kernels", "--json")
        assert run.code == 0, run.err
        body = json.loads(run.out)
        route = json.loads(server.get("trusted-identity/kernels")[1])
        for report in body["kernels"]:
            validate(report, "Report")
        assert [k["scope"]["kernel_id"] for k in body["kernels"]] == [server.kernel_id]
        assert shape(body) == shape(route)
        assert [k["verdict"] for k in body["kernels"]] == [k["verdict"] for k in route["kernels"]]

        human = cli(server.env, "kernels")
        assert human.code == 0
        assert server.kernel_id in human.out and "propagated: " in human.out
        assert server.token not in run.out + run.err + human.out + human.err
        assert_no_secret(server.info, run, human)

    def test_check_json_has_the_shape_of_the_identity_route(self, server: JupyterServer):
        # The same config file as the server: no trait on the command line.
        run = cli(server.env, "check", "--json")
        assert run.code == 0, run.err
        route = json.loads(server.get("trusted-identity/identity")[1])
        mine = json.loads(run.out)
        validate(mine, "Report")
        validate(route, "Report")
        assert set(mine) == set(route)
        for part in ("user", "role", "credentials", "studio", "verification", "budget"):
            assert set(mine[part]) == set(route[part]), part
        assert (mine["verdict"], mine["summary"], mine["scope"]) == (
            route["verdict"],
            route["summary"],
            route["scope"],
        )
        assert [c["id"] for c in mine["checks"]] == [c["id"] for c in route["checks"]]
        assert [set(c) for c in mine["checks"]] == [set(c) for c in route["checks"]]

    def test_audit_as_json_and_csv(self, server: JupyterServer):
        wait_for_record(server, "kernel_started")
        run = cli(server.env, "audit")
        assert run.code == 0, run.err
        records = json.loads(run.out)["records"]
        assert any(
            r["event"] == "kernel_started" and r["kernel_id"] == server.kernel_id for r in records
        )
        assert json.loads(run.out) == json.loads(server.get("trusted-identity/audit")[1])

        csv = cli(server.env, "audit", "--format", "csv", "--limit", "1")
        assert csv.code == 0, csv.err
        lines = csv.out.splitlines()
        assert lines[0].startswith("at,event,kernel_id,kernel_name,session_path,verdict,")
        assert len(lines) == 2
        assert csv.out == server.get("trusted-identity/audit?format=csv&limit=1")[1].decode()
        assert server.token not in run.out + csv.out + run.err + csv.err

    def test_a_refused_token_is_a_server_error_without_the_token(
        self, server: JupyterServer, tmp_path: Path
    ):
        runtime = Path(server.env["JUPYTER_RUNTIME_DIR"])
        info = json.loads(next(runtime.glob("jpserver-*.json")).read_text())
        wrong = tmp_path / "runtime"
        wrong.mkdir()
        (wrong / f"jpserver-{info['pid']}.json").write_text(
            json.dumps({**info, "token": "wrong-token-0123456789"}), "utf-8"
        )
        run = cli({**server.env, "JUPYTER_RUNTIME_DIR": str(wrong)}, "kernels")
        assert run.code == ExitCode.SERVER_ERROR, run.err
        assert "403" in run.err and "wrong-token" not in run.err + run.out


def test_no_running_server(scenario):
    _, env = scenario("happy")
    for args in (("kernels",), ("audit", "--format", "csv")):
        run = cli(env, *args)
        assert run.code == ExitCode.NO_SERVER
        assert run.out == "" and "No running Jupyter server was found" in run.err

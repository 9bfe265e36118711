"""The compatibility matrix (issue 8, part 4): the production wheel, installed without Node into
fresh Python 3.12 virtual environments made like SageMaker Distribution (SMD) images.

    python compat/matrix.py --wheel dist/jupyterlab_trusted_identity-X-py3-none-any.whl [ENV ...]

Run it with the dev venv's Python from the repo root (`make compat` does): that Python runs the
Studio emulator (moto lives only there), the image-like environments run everything else.
ENV names a pin list in compat/envs/ (default: all). For each environment, in order:

  image          a fresh venv under .compat/<env>/, the image's packages installed at its versions
  install        the wheel installed with no Node.js on PATH (the wheel must carry its frontend)
  unchanged      `pip freeze --all` before and after: nothing but our package added, nothing changed
  labextension   `jupyter labextension list` shows the extension enabled and OK
  server-ext     `jupyter server extension list` shows it enabled and OK
  browser_check  `python -m jupyterlab.browser_check` in the emulated Studio (see browser_check/)
  test-tools     pytest & co. (the `test` extra less what the image or the emulator provides),
                 constrained to the frozen environment so no image package moves
  scenarios      tests/test_scenarios.py and tests/test_service_models.py on this environment's
                 Python against the installed wheel (installed_wheel.py refuses the source tree)
  smoke          ui-tests/compat/: the panel in Chromium on this environment's JupyterLab

A failed step fails the run (exit 1) but not the steps that do not need it. The table goes to
stdout and to .compat/results.md (.compat/results.json for scripts); logs to .compat/<env>/logs/.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import time
import tomllib
import xml.etree.ElementTree as ET
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))  # run as a script: studio_emulator's port picker

from studio_emulator.client import PYTHON_VARIABLE  # noqa: E402
from studio_emulator.processes import free_port  # noqa: E402

COMPAT = REPO / "compat"
ENVS = COMPAT / "envs"
WORK = REPO / ".compat"
UI_TESTS = REPO / "ui-tests"
DIST_NAME = "jupyterlab_trusted_identity"
LABEXT_NAME = "jupyterlab-trusted-identity"
SCENARIO = "happy"
# The suites of the scenarios step; a file not there yet is named in the step's detail.
SUITES = ("tests/test_scenarios.py", "tests/test_service_models.py")
# Entries of the `test` extra that are not test tools: the emulator's moto runs in the dev venv;
# boto3, ipykernel and the S3 Access Grants plugin are the image's to have or not.
NOT_TEST_TOOLS = {"moto", "boto3", "ipykernel", "aws-s3-access-grants-boto3-plugin"}
# Versions shown in the table, in this order.
SHOWN = ("jupyterlab", "jupyter-server", "botocore", "boto3", "tornado", "traitlets")
PYTHON = os.environ.get("COMPAT_PYTHON") or (
    "/root/.pyenv/versions/3.12.1/bin/python3.12"
    if os.path.exists("/root/.pyenv/versions/3.12.1/bin/python3.12")
    else (shutil.which("python3.12") or "python3.12")
)
# Seconds a step may take before it is stopped and failed.
TIMEOUTS = {"image": 900, "scenarios": 1200, "smoke": 600}
DEFAULT_TIMEOUT = 300
ANSI = re.compile(r"\x1b\[[0-9;]*m")
# Environments in the table's order: oldest image first.
ORDER = ("smd3-floor", "smd3", "smd4", "newest")
# The steps in order (Environment.step_<name>), each with the steps it needs.
STEPS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("image", ()),
    ("install", ("image",)),
    ("unchanged", ("install",)),
    ("labextension", ("install",)),
    ("server-ext", ("install",)),
    ("browser_check", ("install",)),
    ("test-tools", ("install",)),
    ("scenarios", ("test-tools",)),
    ("smoke", ("install",)),
)


@dataclass
class Step:
    name: str
    status: str = "skip"  # pass | fail | skip
    seconds: float = 0.0
    detail: str = ""
    failures: list[str] = field(default_factory=list)


@dataclass
class Result:
    env: str
    image: str
    versions: dict[str, str] = field(default_factory=dict)
    steps: list[Step] = field(default_factory=list)
    seconds: float = 0.0

    def ok(self, name: str) -> bool:
        return any(s.name == name and s.status == "pass" for s in self.steps)


class StepFailed(Exception):
    """Ends a step as failed with a one-line reason (and, for test runs, the failed tests)."""

    def __init__(self, detail: str, failures: Sequence[str] = ()):
        super().__init__(detail)
        self.detail = detail
        self.failures = list(failures)


def canonical(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def freeze(python: Path) -> dict[str, str]:
    """`pip freeze --all` as {canonical name: version or direct reference}."""
    out = subprocess.run(
        [str(python), "-m", "pip", "freeze", "--all"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    found = {}
    for line in out.splitlines():
        if "==" in line:
            name, version = line.split("==", 1)
        elif " @ " in line:
            name, version = line.split(" @ ", 1)
        else:
            continue
        found[canonical(name.strip())] = version.strip()
    return found


def freeze_diff(before: dict[str, str], after: dict[str, str]) -> list[str]:
    """What pip changed, other than adding our own package."""
    changes = []
    for name in sorted(before.keys() | after.keys()):
        old, new = before.get(name), after.get(name)
        if old == new or (old is None and name == canonical(DIST_NAME)):
            continue
        if old is None:
            changes.append(f"added {name} {new}")
        elif new is None:
            changes.append(f"removed {name} {old}")
        else:
            changes.append(f"changed {name} {old} -> {new}")
    return changes


def test_tools_of_extra() -> list[str]:
    """The `test` extra of pyproject.toml, less what is not a test tool (NOT_TEST_TOOLS)."""
    extra = tomllib.loads((REPO / "pyproject.toml").read_text())["project"]["optional-dependencies"]
    tools = []
    for requirement in extra["test"]:
        name = canonical(re.split(r"[\[<>=!~; ]", requirement, maxsplit=1)[0])
        if name not in NOT_TEST_TOOLS:
            tools.append(requirement)
    return tools


def junit_counts(path: Path) -> tuple[dict[str, int], list[str]]:
    """Counts of a pytest JUnit XML report and the ids of the tests that failed or errored."""
    counts = {"passed": 0, "failed": 0, "errors": 0, "skipped": 0}
    failed = []
    for case in ET.parse(path).getroot().iter("testcase"):
        outcome = next((c.tag for c in case if c.tag in ("failure", "error", "skipped")), None)
        test_id = f"{case.get('classname', '')}::{case.get('name', '')}"
        if outcome == "failure":
            counts["failed"] += 1
            failed.append(test_id)
        elif outcome == "error":
            counts["errors"] += 1
            failed.append(test_id + " (error)")
        elif outcome == "skipped":
            counts["skipped"] += 1
        else:
            counts["passed"] += 1
    return counts, failed


class Environment:
    """One image-like virtual environment and the steps run in it."""

    def __init__(self, name: str, wheel: Path, emulator_python: str):
        self.name = name
        self.pins = ENVS / f"{name}.txt"
        self.wheel = wheel
        self.emulator_python = emulator_python
        self.root = WORK / name
        self.venv = self.root / "venv"
        self.bin = self.venv / "bin"
        self.python = self.bin / "python"
        self.logs = self.root / "logs"
        self.before: dict[str, str] = {}
        self.after: dict[str, str] = {}
        self.result = Result(name, release(self.pins))

    # -- processes ----------------------------------------------------------------------------
    def environ(self, *, node: bool = True, **extra: str) -> dict[str, str]:
        """This environment's bin first on PATH, its own Jupyter dirs; without Node, PATH is
        that bin alone. The dev venv never leaks in (make puts its bin first on PATH)."""
        env = {k: v for k, v in os.environ.items() if k not in ("VIRTUAL_ENV", "PYTHONPATH")}
        env.pop("JUPYTER_PATH", None)
        dev_bin = str(REPO / ".venv" / "bin")
        system = [p for p in env.get("PATH", "").split(os.pathsep) if p and p != dev_bin]
        env["PATH"] = os.pathsep.join([str(self.bin), *(system if node else [])])
        env["VIRTUAL_ENV"] = str(self.venv)
        jupyter = self.root / "jupyter"
        for var, sub in (
            ("JUPYTER_CONFIG_DIR", "config"),
            ("JUPYTER_DATA_DIR", "data"),
            ("JUPYTER_RUNTIME_DIR", "runtime"),
            ("IPYTHONDIR", "ipython"),
        ):
            env[var] = str(jupyter / sub)
        env.update(extra)
        return env

    def run(
        self,
        step: str,
        argv: Sequence[str],
        *,
        cwd: Path = REPO,
        env: dict[str, str] | None = None,
        log_name: str | None = None,
    ) -> str:
        """Runs argv with its output in logs/<step>.log; returns that output (ANSI stripped).
        A non-zero exit or the step's timeout raises StepFailed."""
        self.logs.mkdir(parents=True, exist_ok=True)
        log_path = self.logs / f"{log_name or step}.log"
        timeout = TIMEOUTS.get(step, DEFAULT_TIMEOUT)
        with log_path.open("ab") as log:
            log.write(f"$ {' '.join(map(str, argv))}\n".encode())
            log.flush()
            proc = subprocess.Popen(
                [str(a) for a in argv],
                cwd=cwd,
                env=env if env is not None else self.environ(),
                stdout=log,
                stderr=subprocess.STDOUT,
                stdin=subprocess.DEVNULL,
                start_new_session=True,  # its own process group: a timeout stops all of it
            )
            try:
                rc = proc.wait(timeout)
            except subprocess.TimeoutExpired:
                os.killpg(proc.pid, signal.SIGTERM)
                try:
                    proc.wait(15)
                except subprocess.TimeoutExpired:
                    os.killpg(proc.pid, signal.SIGKILL)
                    proc.wait()
                raise StepFailed(f"timed out after {timeout} s (log: {rel(log_path)})") from None
        output = ANSI.sub("", log_path.read_text(errors="replace"))
        if rc != 0:
            raise StepFailed(f"exit {rc}: {last_line(output)} (log: {rel(log_path)})")
        return output

    # -- steps --------------------------------------------------------------------------------
    def step_image(self) -> str:
        if self.root.exists():
            shutil.rmtree(self.root)
        self.logs.mkdir(parents=True)
        self.run("image", [PYTHON, "-m", "venv", self.venv])
        lines = [ln.strip() for ln in self.pins.read_text().splitlines()]
        pins = [ln for ln in lines if ln and not ln.startswith("#")]
        pip = [p for p in pins if canonical(re.split(r"[<>=!~ ]", p)[0]) == "pip"]
        install = [self.python, "-m", "pip", "install"]
        self.run("image", [*install, "--upgrade", *pip])  # the image's pip resolves the rest
        self.run("image", [*install, *[p for p in pins if p not in pip]])
        self.before = freeze(self.python)
        (self.logs / "freeze-before.txt").write_text(
            "".join(f"{k}=={v}\n" for k, v in sorted(self.before.items()))
        )
        python_version = subprocess.run(
            [str(self.python), "-c", "import platform; print(platform.python_version())"],
            capture_output=True,
            text=True,
            check=True,
        ).stdout.strip()
        self.result.versions = {"python": python_version} | {
            name: self.before.get(name, "-") for name in SHOWN
        }
        return f"{len(self.before)} packages"

    def step_install(self) -> str:
        env = self.environ(node=False)
        node = shutil.which("node", path=env["PATH"])
        if node:
            raise StepFailed(f"node is on the install PATH: {node}")
        self.run("install", [self.python, "-m", "pip", "install", self.wheel], env=env)
        self.after = freeze(self.python)
        (self.logs / "freeze-after.txt").write_text(
            "".join(f"{k}=={v}\n" for k, v in sorted(self.after.items()))
        )
        if canonical(DIST_NAME) not in self.after:
            raise StepFailed(f"{DIST_NAME} is not installed after pip install")
        return "no Node.js on PATH"

    def step_unchanged(self) -> str:
        changes = freeze_diff(self.before, self.after)
        if changes:
            raise StepFailed(f"pip changed the image: {'; '.join(changes)}", changes)
        return f"{len(self.before)} packages as they were"

    def step_labextension(self) -> str:
        out = self.run("labextension", [self.bin / "jupyter", "labextension", "list"])
        line = next((ln.strip() for ln in out.splitlines() if LABEXT_NAME + " v" in ln), None)
        if line is None:
            raise StepFailed(f"{LABEXT_NAME} is not listed")
        if not re.search(r"\benabled\s+OK\b", line) or "incompatible" in out:
            raise StepFailed(f"not enabled and OK: {line}")
        return line.split(" (")[0]

    def step_server_ext(self) -> str:
        out = self.run("server-ext", [self.bin / "jupyter", "server", "extension", "list"])
        if not re.search(rf"^\s*{DIST_NAME}\s+enabled\s*$", out, re.M):
            raise StepFailed(f"{DIST_NAME} is not enabled")
        ok = re.search(rf"^\s*{DIST_NAME}\s+(\S+)\s+OK\s*$", out, re.M)
        if ok is None:
            raise StepFailed(f"{DIST_NAME} does not validate (see logs/server-ext.log)")
        return f"{DIST_NAME} {ok.group(1)} enabled, OK"

    def step_browser_check(self) -> str:
        """JupyterLab's own check, unchanged: browser_check npm-installs `playwright` into
        <app dir>/browser_test unless node_modules is there, runs `npx playwright install`, then
        its browser-test.js. compat/browser_check/ stands in for that package (the UI tests'
        Playwright on /usr/bin/chromium), so nothing is downloaded. It runs in the emulated
        Studio, and also fails on an error the server logged (browser_check counts only its
        own logger's)."""
        target = self.venv / "share" / "jupyter" / "lab" / "browser_test"
        modules = target / "node_modules"
        (modules / ".bin").mkdir(parents=True, exist_ok=True)
        link(modules / "playwright", COMPAT / "browser_check")
        link(modules / ".bin" / "playwright", Path("..") / "playwright" / "cli.js")
        (target / "package.json").write_text(
            json.dumps(
                {"name": "browser_test", "private": True, "dependencies": {"playwright": "*"}}
            )
        )
        port = free_port()
        out = self.run(
            "browser_check",
            [
                *self.emulator(self.root / "browser-check-state"),
                self.python,
                "-m",
                "jupyterlab.browser_check",
                "--allow-root",
                f"--ServerApp.port={port}",
                "--ServerApp.port_retries=0",
                "--TrustedIdentity.metadata_path={metadata_path}",
            ],
        )
        errors = [ln for ln in out.splitlines() if ln.startswith("[E ")]
        if errors:
            raise StepFailed(f"the server logged {len(errors)} error(s): {errors[0]}")
        if "Browser test complete" not in out:
            raise StepFailed("browser-test.js did not complete")
        return "Browser test complete, no error logged"

    def step_test_tools(self) -> str:
        constraints = self.root / "constraints.txt"
        constraints.write_text(
            "".join(
                f"{name}=={version}\n"
                for name, version in sorted(self.after.items())
                if name != canonical(DIST_NAME) and " " not in version and "/" not in version
            )
        )
        tools = test_tools_of_extra()
        self.run("test-tools", [self.python, "-m", "pip", "install", "-c", constraints, *tools])
        moved = [
            c for c in freeze_diff(self.after, freeze(self.python)) if not c.startswith("added")
        ]
        if moved:
            raise StepFailed(f"test tools moved image packages: {'; '.join(moved)}", moved)
        return ", ".join(re.split(r"[\[<>=]", t, maxsplit=1)[0] for t in tools)

    def step_scenarios(self) -> str:
        present = [s for s in SUITES if (REPO / s).exists()]
        missing = [Path(s).name for s in SUITES if s not in present]
        if not present:
            raise StepFailed(f"no suite found: {', '.join(SUITES)}")
        # studio_emulator (for tests/conftest.py) without the rest of the source tree.
        pythonpath = self.root / "pythonpath"
        pythonpath.mkdir(exist_ok=True)
        link(pythonpath / "studio_emulator", REPO / "studio_emulator")
        report = self.logs / "scenarios.xml"
        env = self.environ(
            PYTHONPATH=os.pathsep.join([str(pythonpath), str(COMPAT)]),
            **{PYTHON_VARIABLE: self.emulator_python},
        )
        argv = [
            self.python,
            "-P",  # not the working directory (the source tree) on sys.path
            "-m",
            "pytest",
            "-o",
            "pythonpath=",  # nor pyproject.toml's "."
            "-p",
            "no:cacheprovider",
            "-p",
            "installed_wheel",
            f"--junitxml={report}",
            *present,
        ]
        try:
            self.run("scenarios", argv, env=env)
            error = None
        except StepFailed as failed:
            error = failed
        if not report.exists():
            raise error or StepFailed("pytest wrote no report")
        counts, failed_ids = junit_counts(report)
        summary = ", ".join(f"{n} {k}" for k, n in counts.items() if n or k == "passed")
        if missing:
            summary += f" ({', '.join(missing)} not there yet)"
        if error is not None or failed_ids:
            raise StepFailed(summary, failed_ids)
        return summary

    def step_smoke(self) -> str:
        port = free_port()
        output = self.root / "smoke-output"
        env = self.environ(
            COMPAT_JUPYTER=str(self.bin / "jupyter"),
            COMPAT_EMULATOR_PYTHON=self.emulator_python,
            COMPAT_STATE_DIR=str(self.root / "smoke-state"),
            COMPAT_OUTPUT_DIR=str(output),
            JUPYTERLAB_PORT=str(port),
            CI="1",  # never reuse a JupyterLab someone else started on that port
        )
        jlpm = REPO / ".venv" / "bin" / "jlpm"
        try:
            out = self.run(
                "smoke",
                [jlpm, "playwright", "test", "-c", "compat/playwright.config.js"],
                cwd=UI_TESTS,
                env=env,
            )
        except StepFailed:
            out = ANSI.sub("", (self.logs / "smoke.log").read_text(errors="replace"))
            # Playwright's list reporter: "  1) file:line:col › test › step" per failure.
            titles = re.findall(r"^\s+\d+\) \S+ › (.+?)\s*$", out, re.M)
            if not titles:
                raise
            summary = f"{len(titles)} failed: {titles[0].split(' › ')[-1]}"
            raise StepFailed(f"{summary} (log: {rel(self.logs / 'smoke.log')})", titles) from None
        passed = re.search(r"(\d+) passed", out)
        return f"{passed.group(1)} passed" if passed else "passed"

    # -- the sequence ---------------------------------------------------------------------------
    def emulator(self, state_dir: Path) -> list[str]:
        """The prefix that runs a command in the emulated Studio (`happy`)."""
        return [
            self.emulator_python,
            "-m",
            "studio_emulator",
            "run",
            "--scenario",
            SCENARIO,
            "--state-dir",
            str(state_dir),
            "--",
        ]

    def run_all(self) -> Result:
        started = time.monotonic()
        for name, needs in STEPS:
            action: Callable[[], str] = getattr(self, "step_" + name.replace("-", "_"))
            step = Step(name)
            self.result.steps.append(step)
            missing = [n for n in needs if not self.result.ok(n)]
            if missing:
                step.detail = f"needs {', '.join(missing)}"
            else:
                began = time.monotonic()
                try:
                    step.detail = action()
                    step.status = "pass"
                except StepFailed as failed:
                    step.status, step.detail, step.failures = "fail", failed.detail, failed.failures
                except Exception as error:  # a bug or a broken environment: report, go on
                    step.status, step.detail = "fail", f"{type(error).__name__}: {error}"
                step.seconds = time.monotonic() - began
            print(
                f"[{self.name}] {name}: {step.status.upper()} ({step.seconds:.0f} s) {step.detail}",
                flush=True,
            )
        self.result.seconds = time.monotonic() - started
        return self.result


def release(pins: Path) -> str:
    """The image a pin list stands for, in short: its first line up to the first comma, after
    the environment's name ("# smd3: SageMaker Distribution 3.4.10 (CPU image), ..." → SMD 3.4.10)."""
    first = pins.read_text().splitlines()[0].lstrip("#").split(":", 1)[-1]
    label = first.split(",", 1)[0].strip()
    return label.replace("SageMaker Distribution", "SMD").replace(" (CPU image)", "")


def link(path: Path, target: Path) -> None:
    if path.is_symlink() or path.exists():
        path.unlink()
    path.symlink_to(target)


def rel(path: Path) -> str:
    try:
        return str(path.relative_to(REPO))
    except ValueError:
        return str(path)


def last_line(text: str) -> str:
    lines = [ln.strip() for ln in text.splitlines() if ln.strip()]
    return lines[-1][:300] if lines else ""


def duration(seconds: float) -> str:
    return (
        f"{seconds:.0f} s" if seconds < 120 else f"{seconds // 60:.0f} min {seconds % 60:02.0f} s"
    )


def table(results: list[Result], wheel: Path) -> str:
    """Markdown: one column per environment, the versions then the steps."""
    head = "| | " + " | ".join(r.env for r in results) + " |"
    rows = [head, "|" + " --- |" * (len(results) + 1)]
    rows.append("| made like | " + " | ".join(r.image for r in results) + " |")
    for name in ("python", *SHOWN):
        rows.append(f"| {name} | " + " | ".join(r.versions.get(name, "-") for r in results) + " |")
    for i, (name, _needs) in enumerate(STEPS):
        cells = []
        for r in results:
            s = r.steps[i] if i < len(r.steps) else Step(name)
            cell = {"pass": "pass", "fail": "**FAIL**", "skip": "skip"}[s.status]
            if s.status != "skip":
                cell += f" ({s.seconds:.0f} s)"
            if name in ("scenarios", "smoke") and s.detail and s.status != "skip":
                cell += f": {s.detail.split(' (log')[0]}"
            cells.append(cell)
        rows.append(f"| {name} | " + " | ".join(cells) + " |")
    rows.append("| wall time | " + " | ".join(duration(r.seconds) for r in results) + " |")
    digest = hashlib.sha256(wheel.read_bytes()).hexdigest()[:12]
    lines = [f"Wheel: {wheel.name} (sha256 {digest}…), Python from {PYTHON}.", "", *rows, ""]
    # What failed, once per step, then every failed test with where it failed: a test that fails
    # in every environment says nothing about compatibility (the same code fails everywhere).
    where: dict[tuple[str, str], list[str]] = {}
    for r in results:
        for s in r.steps:
            if s.status == "fail":
                lines.append(f"- {r.env} / {s.name}: {s.detail}")
                for failure in s.failures:
                    where.setdefault((s.name, failure), []).append(r.env)
    if where:
        lines += ["", "Failed tests (step: test — environments):"]
        for (step, failure), envs in sorted(where.items()):
            scope = "every environment" if len(envs) == len(results) > 1 else ", ".join(envs)
            lines.append(f"- {step}: {failure} — {scope}")
    return "\n".join(lines) + "\n"


def main(argv: list[str] | None = None) -> int:
    available = sorted(p.stem for p in ENVS.glob("*.txt"))
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--wheel", required=True, type=Path, help="the wheel to install")
    parser.add_argument("envs", nargs="*", metavar="ENV", help=f"of {', '.join(available)}")
    args = parser.parse_args(argv)
    wheel = args.wheel.resolve()
    if not wheel.is_file() or wheel.suffix != ".whl":
        parser.error(f"not a wheel: {args.wheel}")
    unknown = sorted(set(args.envs) - set(available))
    if unknown:
        parser.error(f"unknown environment(s) {', '.join(unknown)}; known: {', '.join(available)}")
    names = args.envs or sorted(
        available, key=lambda n: ORDER.index(n) if n in ORDER else len(ORDER)
    )
    WORK.mkdir(exist_ok=True)
    results = []
    for name in names:
        print(f"==> {name}", flush=True)
        results.append(Environment(name, wheel, sys.executable).run_all())
    text = table(results, wheel)
    print("\n" + text)
    (WORK / "results.md").write_text(text)
    (WORK / "results.json").write_text(
        json.dumps({"wheel": str(wheel), "results": [asdict(r) for r in results]}, indent=2)
    )
    print(f"written: {rel(WORK / 'results.md')}, {rel(WORK / 'results.json')}")
    failed = [f"{r.env}/{s.name}" for r in results for s in r.steps if s.status != "pass"]
    if failed:
        print(f"compat: FAILED {' '.join(failed)}")
        return 1
    print(f"compat: every step passed in {', '.join(names)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())

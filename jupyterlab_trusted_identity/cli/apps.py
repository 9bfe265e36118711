"""`jupyter trusted-identity check | kernels | audit`: traitlets applications, so the checks read
the `TrustedIdentity` traits from the same Jupyter config files as the server and from the
command line (`--TrustedIdentity.metadata_path=...`)."""

from __future__ import annotations

import asyncio
import dataclasses
import logging
import os
import sys
from typing import Any

from jupyter_core.application import JupyterApp
from traitlets import Bool, Enum, Int, TraitError, Unicode

from .. import __version__
from ..config_files import CONFIG_FILES
from . import exit_codes, lifecycle, render
from .exit_codes import ExitCode
from .server import Server, ServerProblem, find_server

_EXIT_CODES_HELP = "Exit codes:\n" + exit_codes.table()


class _Command(JupyterApp):
    version = __version__
    log_level = 30  # warnings and errors only: the output is the command's answer

    def emit_description(self):
        yield from super().emit_description()
        yield _EXIT_CODES_HELP
        yield ""

    def out(self, text: str) -> None:
        sys.stdout.write(text if text.endswith("\n") else text + "\n")
        sys.stdout.flush()

    def fail(self, message: str, code: ExitCode) -> None:
        sys.stderr.write(f"jupyter trusted-identity: {message}\n")
        self.exit(int(code))

    def style(self) -> render.Style:
        return render.Style(render.wants_colour(sys.stdout, os.environ))


class CheckApp(_Command):
    name = "jupyter-trusted-identity-check"
    description = (
        "Checks whether this shell's AWS session carries your IAM Identity Center identity "
        "(trusted identity propagation), in this process, without a Jupyter server: the same "
        "checks and words as the panel's server report, for the environment of the calling "
        "shell. The TrustedIdentity traits come from the Jupyter config files the server reads "
        "(jupyter_server_config.py/.json in `jupyter --paths`) and from the command line, e.g. "
        "--TrustedIdentity.metadata_path=/path/resource-metadata.json."
    )
    examples = """
    jupyter trusted-identity check
    jupyter trusted-identity check --quiet && echo propagated
    jupyter trusted-identity check --json | jq .checks
    jupyter trusted-identity check --lifecycle     # in a lifecycle configuration script
    """

    output = Enum(
        ["human", "json", "quiet"],
        "human",
        config=True,
        help="human: the verdict, identity and checks to act on; json: the report as the REST "
        "route gives it; quiet: the verdict alone.",
    )
    lifecycle = Bool(
        False,
        config=True,
        help="Running in a Studio lifecycle configuration, which has the execution role alone: "
        "a session without your identity is expected there (exit code 8), only failing settings "
        "are reported as such.",
    )
    flags = {
        **JupyterApp.flags,
        "json": ({"CheckApp": {"output": "json"}}, "Print the report as the REST route does."),
        "quiet": ({"CheckApp": {"output": "quiet"}}, "Print the verdict alone."),
        "lifecycle": (
            {"CheckApp": {"lifecycle": True}},
            "Say that the session has the execution role alone, as expected in a lifecycle "
            "configuration.",
        ),
    }

    @property
    def classes(self):  # type: ignore[override]
        from ..app import TrustedIdentity

        return [*super().classes, CheckApp, TrustedIdentity]

    def load_config_file(self, suppress_errors: bool = True) -> None:  # type: ignore[override]
        for name in CONFIG_FILES:
            try:
                super(JupyterApp, self).load_config_file(name, path=self.config_file_paths)
            except Exception as error:
                if not suppress_errors or self.raise_config_file_errors:
                    raise
                self.log.warning("Error loading config file %s: %s", name, error)

    def engine_config(self):
        """The engine's settings as the server extension builds them from the traits, but for
        the CloudTrail delivery memory: it schedules later lookups, and a one-shot check has no
        later, so it looks CloudTrail up at once (and leaves the server's state file alone)."""
        from ..app import TrustedIdentity

        config = TrustedIdentity(config=self.config, log=self.log).engine_config()
        return dataclasses.replace(config, state_path=None)

    async def _report(self, config) -> Any:
        from ..engine import IdentityEngine

        engine = IdentityEngine(
            config,
            dict(os.environ),
            self.log,
            user_agent=f"jupyterlab-trusted-identity/{__version__} cli",
        )
        try:
            return await engine.report(engine.server_scope())
        finally:
            engine.close()

    def start(self) -> None:
        try:
            config = self.engine_config()
        except TraitError as error:
            self.fail(f"bad configuration: {error}", ExitCode.FAILED)
        report = asyncio.run(self._report(config))
        code = (
            lifecycle.exit_code(report)
            if self.lifecycle
            else exit_codes.for_verdict(report.get("verdict"))
        )
        if self.output == "json":
            self.out(render.as_json(report))
        elif self.output == "quiet":
            self.out(str(report.get("verdict")))
        else:
            note = lifecycle.NOTE if self.lifecycle else None
            self.out(render.human(report, self.style(), note=note))
        self.exit(int(code))


class _ServerCommand(_Command):
    runtime_dir_override = Unicode(
        None,
        allow_none=True,
        config=True,
        help="Where to look for running servers. Default: Jupyter's runtime directory "
        "(`jupyter --runtime-dir`, JUPYTER_RUNTIME_DIR).",
    )

    def server(self) -> Server:
        try:
            return find_server(self.runtime_dir_override)
        except ServerProblem as problem:
            self.fail(str(problem), ExitCode.SERVER_ERROR if problem.found else ExitCode.NO_SERVER)
            raise  # not reached: fail() exits

    def call(self, fn) -> Any:
        try:
            return fn()
        except ServerProblem as problem:
            self.fail(str(problem), ExitCode.SERVER_ERROR if problem.found else ExitCode.NO_SERVER)


class KernelsApp(_ServerCommand):
    name = "jupyter-trusted-identity-kernels"
    description = (
        "The reports of every kernel of the running JupyterLab server (GET "
        "trusted-identity/kernels), found through Jupyter's runtime files and token. Exit code: "
        "0 when every kernel's verdict is propagated (or none runs), else the code of the first "
        "kernel's verdict that is not."
    )
    output = Enum(["human", "json"], "human", config=True, help="human, or json as the route.")
    refresh = Bool(False, config=True, help="Check every kernel again (?refresh=1).")
    flags = {
        **JupyterApp.flags,
        "json": ({"KernelsApp": {"output": "json"}}, "Print the route's JSON."),
        "refresh": ({"KernelsApp": {"refresh": True}}, "Check every kernel again first."),
    }

    def start(self) -> None:
        server = self.server()
        body = self.call(lambda: server.get_json("kernels", refresh="1" if self.refresh else None))
        reports = body.get("kernels", [])
        if self.output == "json":
            self.out(render.as_json(body))
        else:
            self.out(render.kernels_human(reports, self.style()))
        codes = [exit_codes.for_verdict(r.get("verdict")) for r in reports]
        self.exit(int(next((c for c in codes if c != ExitCode.PROPAGATED), ExitCode.PROPAGATED)))


class AuditApp(_ServerCommand):
    name = "jupyter-trusted-identity-audit"
    description = (
        "The audit trail of the running JupyterLab server, newest first (GET "
        "trusted-identity/audit), as the route gives it: JSON {records: [...]} or CSV."
    )
    format = Enum(["json", "csv"], "json", config=True, help="json or csv.")
    limit = Int(100, config=True, help="Records at most (1 to 10,000).")
    before = Unicode("", config=True, help="Only records before this ISO 8601 time.")
    aliases = {
        **JupyterApp.aliases,
        "format": "AuditApp.format",
        "limit": "AuditApp.limit",
        "before": "AuditApp.before",
    }

    def start(self) -> None:
        server = self.server()
        _, body = self.call(
            lambda: server.get(
                "audit", format=self.format, limit=self.limit, before=self.before or None
            )
        )
        # The route's bytes as they are (the CSV's CRLF line ends included).
        sys.stdout.flush()
        sys.stdout.buffer.write(body)
        sys.stdout.buffer.flush()
        self.exit(int(ExitCode.PROPAGATED))


class TrustedIdentityCommand(_Command):
    name = "jupyter-trusted-identity"
    description = (
        "Trusted identity propagation in SageMaker Studio, from a terminal: `check` runs the "
        "checks for this shell's environment in process; `kernels` and `audit` ask the running "
        "JupyterLab server."
    )
    subcommands = {
        "check": (CheckApp, CheckApp.description.split(":")[0] + "."),
        "kernels": (KernelsApp, "The running JupyterLab server's kernel reports."),
        "audit": (AuditApp, "The running JupyterLab server's audit trail (JSON or CSV)."),
    }

    def start(self) -> None:
        if self.subapp is None:
            self.print_help()
            named = f"unknown subcommand {self.extra_args[0]!r}; " if self.extra_args else ""
            self.fail(f"{named}name one of: check, kernels, audit.", ExitCode.USAGE)
        super().start()


def main(argv: list[str] | None = None) -> None:
    logging.captureWarnings(True)
    TrustedIdentityCommand.launch_instance(argv)

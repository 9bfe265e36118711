"""``python -m studio_emulator serve|run|list``."""

from __future__ import annotations

import argparse
import os
import signal
import subprocess
import sys
import threading
from pathlib import Path
from typing import Any

from .client import apply_env
from .scenarios import ScenarioError, describe_all

PLACEHOLDERS = ("metadata_path", "emulator_url", "state_dir")


def _parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(
        prog="python -m studio_emulator",
        description="Emulated SageMaker Studio space for tests and demos.",
    )
    sub = p.add_subparsers(dest="cmd", required=True)

    def common(sp: argparse.ArgumentParser) -> None:
        sp.add_argument("--scenario", default="happy", help="scenario name (see 'list')")
        sp.add_argument("--host", default="127.0.0.1")
        sp.add_argument("--port", type=int, default=0, help="0 picks a free port")
        sp.add_argument(
            "--state-dir", help="where scenario files go (default: a temp dir, removed on exit)"
        )
        sp.add_argument(
            "--info-out",
            help="write the scenario info JSON here, atomically, again on every scenario "
            "switch (default: STATE_DIR/emulator-info.json when --state-dir is given)",
        )

    common(sub.add_parser("serve", help="run the emulator until SIGINT/SIGTERM"))
    run = sub.add_parser("run", help="run COMMAND with the scenario environment, then stop")
    common(run)
    run.add_argument(
        "command",
        nargs=argparse.REMAINDER,
        help="-- COMMAND ARGS...; {metadata_path}, {emulator_url}, {state_dir} "
        "are replaced in ARGS",
    )
    sub.add_parser("list", help="scenario names and descriptions")
    return p


def _start(args: argparse.Namespace) -> Any:
    from .emulator import Emulator
    from .moto_backend import isolate_environment

    isolate_environment()
    if args.state_dir and not args.info_out:  # lets other tools find a running emulator
        args.info_out = str(Path(args.state_dir) / "emulator-info.json")
    emu = Emulator(state_dir=args.state_dir, host=args.host, port=args.port, info_out=args.info_out)
    try:
        emu.start(args.scenario)
    except BaseException:
        emu.stop()
        raise
    return emu


def serve(args: argparse.Namespace) -> int:
    stop = threading.Event()
    for sig in (signal.SIGINT, signal.SIGTERM):
        signal.signal(sig, lambda *_: stop.set())
    emu = _start(args)
    print(f"studio-emulator ready {emu.url}", flush=True)
    try:
        while not stop.wait(0.2):
            pass
    finally:
        emu.stop()
    return 0


def substitute(arg: str, info: dict[str, Any]) -> str:
    values = {
        "metadata_path": info["metadata_path"],
        "emulator_url": info["url"],
        "state_dir": info["state_dir"],
    }
    for name in PLACEHOLDERS:
        arg = arg.replace("{" + name + "}", values[name])
    return arg


def run(args: argparse.Namespace) -> int:
    command = list(args.command)
    if command and command[0] == "--":
        command = command[1:]
    if not command:
        print("run: missing COMMAND after --", file=sys.stderr)
        return 2
    base_env = dict(os.environ)  # before the emulator isolates its own environment
    child: subprocess.Popen[bytes] | None = None
    signals_seen = 0

    def forward(signum: int, _frame: Any) -> None:
        nonlocal signals_seen
        signals_seen += 1
        if child is None:
            raise KeyboardInterrupt  # still starting: give up, clean up what started
        if child.poll() is None:
            # A terminal's Ctrl-C reaches the child too; a third signal means "now".
            child.send_signal(signal.SIGKILL if signals_seen >= 3 else signum)

    for sig in (signal.SIGINT, signal.SIGTERM):
        signal.signal(sig, forward)
    emu = _start(args)
    try:
        info = emu.info
        print(f"studio-emulator: scenario {info['name']} at {emu.url}", file=sys.stderr, flush=True)
        argv = [substitute(a, info) for a in command]
        env = apply_env(info["env"], base_env)
        try:
            child = subprocess.Popen(argv, env=env)
        except OSError as e:
            print(f"run: cannot start {argv[0]}: {e.strerror}", file=sys.stderr)
            return 127
        rc = child.wait()
        return rc if rc >= 0 else 128 - rc
    finally:
        emu.stop()


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    if args.cmd == "list":
        described = describe_all()
        width = max(len(s["name"]) for s in described)
        for s in described:
            print(f"{s['name']:<{width}}  {s['description']}")
        return 0
    try:
        return serve(args) if args.cmd == "serve" else run(args)
    except ScenarioError as e:
        print(f"studio-emulator: {e}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        return 130

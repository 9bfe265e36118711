"""pytest plugin of the compatibility matrix (`-p installed_wheel`, compat/ on PYTHONPATH): the
tests must exercise the wheel installed in the environment under test, never the source tree
that sits next to them; the report header names the versions the tests ran with."""

from __future__ import annotations

import site
import sys
from importlib.metadata import version
from pathlib import Path

import pytest

SHOWN = ("jupyterlab_trusted_identity", "jupyter_server", "botocore", "tornado", "traitlets")


def pytest_configure(config: pytest.Config) -> None:
    import jupyterlab_trusted_identity

    where = Path(jupyterlab_trusted_identity.__file__).resolve()
    installed = [Path(p).resolve() for p in site.getsitepackages()]
    if not any(where.is_relative_to(p) for p in installed):
        raise pytest.UsageError(
            f"jupyterlab_trusted_identity comes from {where}, not from the site-packages of "
            f"{sys.prefix}: the source tree shadows the installed wheel"
        )


def pytest_report_header(config: pytest.Config) -> str:
    return "installed: " + ", ".join(f"{name} {version(name)}" for name in SHOWN)

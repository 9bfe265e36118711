"""What a report is about: the server's own environment or one kernel's launch environment."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import TYPE_CHECKING

from .report_types import EnvironmentSource, ScopeKind

if TYPE_CHECKING:
    from .credentials import ResolvedCredentials


@dataclass(frozen=True)
class Scope:
    kind: ScopeKind
    # The environment the credentials are resolved from. Never serialized: it holds secrets.
    environ: Mapping[str, str] = field(repr=False, compare=False)
    kernel_id: str | None = None
    kernel_name: str | None = None
    session_path: str | None = None
    launched_at: datetime | None = None
    # How many starts and restarts of this kernel the server has seen (1: first start).
    launch: int | None = None
    # Where `environ` came from: "server", "process" (/proc/<pid>/environ) or "kernelspec".
    environment_source: EnvironmentSource = "server"
    # Resolves the scope's credentials itself (blocking; the gathering runs it off the event loop
    # at each report) when its environment does not decide them: the notebook magic's kernel,
    # where boto3.DEFAULT_SESSION keeps the credentials it resolved whatever os.environ says
    # since. None: botocore's chain over `environ` (cached per environment).
    resolve_credentials: Callable[[], ResolvedCredentials] | None = field(
        default=None, compare=False, repr=False
    )

    @property
    def is_kernel(self) -> bool:
        return self.kind == "kernel"

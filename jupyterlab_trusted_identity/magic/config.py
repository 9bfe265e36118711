"""The engine's settings in a kernel: the `TrustedIdentity` traits of the Jupyter config files the
server reads, else the engine's defaults.

Reading them is cheap in a kernel (traitlets and jupyter_core are already imported there), so the
magic judges with the same settings as the panel: the metadata path, the region, the deadlines.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from typing import Any

from ..config_files import CONFIG_FILES
from ..engine.config import EngineConfig

# Traits that mean nothing in a kernel: the server's state file (a kernel keeps no state across
# restarts and must not write the server's) and the server's start-up jitter.
_SERVER_ONLY = ("state_path", "start_jitter")


@dataclass(frozen=True)
class KernelConfig:
    engine: EngineConfig
    # The files the traits were read from (empty: the engine's defaults), and traits set there
    # that were not taken, with why.
    files: tuple[str, ...] = ()
    ignored: tuple[str, ...] = ()

    @property
    def source(self) -> str:
        """Where the settings come from, for the card."""
        if not self.files:
            source = "defaults (no TrustedIdentity traits in the Jupyter config files)"
        else:
            source = "TrustedIdentity traits of " + ", ".join(self.files)
        return source + (f"; not taken: {', '.join(self.ignored)}" if self.ignored else "")


def _coerce(name: str, value: Any, default: Any) -> Any:
    """The trait's value in the engine's type, or ValueError (the server would refuse it too)."""
    if name in ("region", "identity_store_id"):
        if value is None or isinstance(value, str):
            return value or None
    elif isinstance(default, bool):
        if isinstance(value, bool):
            return value
    elif isinstance(default, int | float):
        if isinstance(value, int | float) and not isinstance(value, bool):
            if value < 0 or (value == 0 and name in ("aws_timeout", "check_deadline")):
                raise ValueError("out of range")
            return type(default)(value)
    elif isinstance(default, tuple):
        if isinstance(value, list | tuple) and all(isinstance(v, str) for v in value):
            return tuple(value)
    elif isinstance(default, str) and isinstance(value, str):
        return value
    raise ValueError(f"not a {type(default).__name__}")


def read_config(paths: list[str] | None = None) -> KernelConfig:
    """The TrustedIdentity traits of the Jupyter config files on `paths` (default: Jupyter's
    config path, highest priority first), as an EngineConfig."""
    from jupyter_core.paths import jupyter_config_path
    from traitlets.config.application import Application

    loader = Application()
    for name in CONFIG_FILES:
        loader.load_config_file(name, path=paths if paths is not None else jupyter_config_path())
    traits = dict(loader.config.get("TrustedIdentity", {}))
    defaults = EngineConfig()
    fields = {f.name for f in dataclasses.fields(EngineConfig)} - set(_SERVER_ONLY)
    values: dict[str, Any] = {}
    ignored: list[str] = []
    for name, value in sorted(traits.items()):
        if name not in fields:
            continue  # audit and server-only traits
        try:
            values[name] = _coerce(name, value, getattr(defaults, name))
        except ValueError as error:
            ignored.append(f"{name} ({error})")
    files = tuple(loader.loaded_config_files) if traits else ()
    return KernelConfig(dataclasses.replace(defaults, **values), files, tuple(ignored))

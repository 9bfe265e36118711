"""An emulated SageMaker Studio private space for tests, demos and benchmarks.

Not shipped with the extension: runtime code never imports it. See README.md.
"""

__all__ = ["EmulatorProcess", "apply_env"]


def __getattr__(name: str):  # keep ``import studio_emulator`` light (no moto import)
    if name in __all__:
        from . import client

        return getattr(client, name)
    raise AttributeError(name)

"""The identity engine: establishes, for one scope (the server or a kernel), which AWS identity
its credentials carry and whether SageMaker Studio propagates the user's Identity Center identity.

It knows nothing of HTTP or Jupyter: the server extension hands it a scope (an environment) and
serializes what it returns.
"""

from .config import EngineConfig
from .engine import IdentityEngine
from .scope import Scope

__all__ = ["EngineConfig", "IdentityEngine", "Scope"]

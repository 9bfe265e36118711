"""The kernels of this server: the launch hook that checks and audits every start and restart
(hook), each kernel's launches (launches), launch environment (environment) and session path
(sessions), and the tracker that builds their scopes and serves their reports (tracker)."""

from .environment import launch_environment
from .hook import KERNEL_ACTIONS_SCHEMA, LaunchHook
from .tracker import KernelListing, KernelTracker

__all__ = [
    "KERNEL_ACTIONS_SCHEMA",
    "KernelListing",
    "KernelTracker",
    "LaunchHook",
    "launch_environment",
]

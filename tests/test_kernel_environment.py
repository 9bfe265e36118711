"""A kernel's launch environment is held as its difference from the server's: the same
mapping, a fraction of the memory."""

from __future__ import annotations

import sys

from jupyterlab_trusted_identity.kernels.environment import EnvironmentDelta


def test_delta_reads_as_the_kernels_environment():
    server = {"HOME": "/home/sagemaker-user", "PATH": "/usr/bin", "AWS_REGION": "us-east-1"}
    kernel = {
        "HOME": "/home/sagemaker-user",  # inherited
        "PATH": "/opt/conda/bin:/usr/bin",  # changed
        "AWS_PROFILE": "analyst",  # added
        # AWS_REGION removed
    }
    delta = EnvironmentDelta(server, kernel)
    assert dict(delta) == kernel
    assert len(delta) == len(kernel)
    assert sorted(delta) == sorted(kernel)
    assert "AWS_REGION" not in delta and delta.get("AWS_REGION") is None
    assert delta["AWS_PROFILE"] == "analyst" and delta["HOME"] == "/home/sagemaker-user"


def test_delta_keeps_only_what_differs():
    server = {f"VAR_{n}": "x" * 200 for n in range(60)}
    kernel = {**server, "JPY_PARENT_PID": "1234"}
    delta = EnvironmentDelta(server, kernel)
    assert delta._changed == {"JPY_PARENT_PID": "1234"}
    assert sys.getsizeof(delta._changed) < sys.getsizeof(dict(kernel)) / 5

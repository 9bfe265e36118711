"""The Studio lifecycle configuration script (deploy/lifecycle-config/install-trusted-identity.sh),
run for real: bash, pip and boto3 against a scratch stand-in for a space.

The JupyterLab environment is a fresh virtual environment whose site-packages point (a .pth
file) at this test venv's packages, so it holds what an image holds (botocore, boto3, packaging,
jupyter_server) while pip installs into the scratch environment only. The wheels are built here
from a dummy distribution, and S3 is moto's server on 127.0.0.1 reached through
AWS_ENDPOINT_URL_S3: nothing touches the network or AWS.
"""

from __future__ import annotations

import base64
import hashlib
import os
import subprocess
import sysconfig
import venv
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import botocore
import botocore.session
import pytest

SCRIPT = Path(__file__).parent.parent / "deploy/lifecycle-config/install-trusted-identity.sh"
DIST = "dummy_ti"
WHEEL_010 = f"{DIST}-0.1.0-py3-none-any.whl"
# Fake credentials for moto; the test asserts they appear in no output.
FAKE_KEY_ID = "AKIAFAKEKEYID0000000"
FAKE_SECRET = "fake-secret-key-never-logged-0123456789"


def build_wheel(
    directory: Path, version: str, requires: tuple[str, ...] = (), salt: str = ""
) -> Path:
    """A minimal valid wheel of `dummy_ti` (what pip needs: metadata, WHEEL, RECORD)."""
    info = f"{DIST}-{version}.dist-info"
    files = {
        f"{DIST}/__init__.py": f'__version__ = "{version}"  # {salt}\n'.encode(),
        f"{info}/METADATA": (
            f"Metadata-Version: 2.1\nName: {DIST}\nVersion: {version}\n"
            + "".join(f"Requires-Dist: {r}\n" for r in requires)
        ).encode(),
        f"{info}/WHEEL": b"Wheel-Version: 1.0\nGenerator: test\nRoot-Is-Purelib: true\nTag: py3-none-any\n",
    }
    record = []
    for name, data in files.items():
        digest = base64.urlsafe_b64encode(hashlib.sha256(data).digest()).rstrip(b"=").decode()
        record.append(f"{name},sha256={digest},{len(data)}")
    files[f"{info}/RECORD"] = ("\n".join([*record, f"{info}/RECORD,,"]) + "\n").encode()
    directory.mkdir(parents=True, exist_ok=True)
    path = directory / f"{DIST}-{version}-py3-none-any.whl"
    with zipfile.ZipFile(path, "w") as zf:
        for name, data in files.items():
            zf.writestr(name, data)
    return path


@dataclass
class Space:
    """A scratch space: its home, its JupyterLab environment's python, and a clean environment."""

    home: Path
    python: Path
    env: dict[str, str]

    @property
    def wheels(self) -> Path:
        return self.home / ".trusted-identity"

    @property
    def log(self) -> Path:
        return self.wheels / "install.log"

    def run(self, **extra: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            ["bash", str(SCRIPT)],
            env={**self.env, **extra},
            capture_output=True,
            text=True,
            timeout=120,
            check=False,
        )

    def freeze(self) -> dict[str, str]:
        """`pip freeze` of the environment, as name → line."""
        out = subprocess.run(
            [str(self.python), "-m", "pip", "freeze", "--disable-pip-version-check"],
            env=self.env,
            capture_output=True,
            text=True,
            timeout=60,
            check=True,
        ).stdout
        return {line.split("==")[0].split(" @ ")[0].lower(): line for line in out.splitlines()}

    def installed_version(self) -> str | None:
        line = self.freeze().get(DIST)
        if line is None:
            return None
        probe = subprocess.run(
            [str(self.python), "-c", f"import {DIST}; print({DIST}.__version__)"],
            env=self.env,
            capture_output=True,
            text=True,
            timeout=30,
            check=True,
        )
        return probe.stdout.strip()


@pytest.fixture
def space(tmp_path: Path) -> Space:
    env_dir = tmp_path / "jupyterlab-env"
    venv.EnvBuilder(with_pip=False).create(env_dir)
    python = env_dir / "bin" / "python"
    site = subprocess.run(
        [str(python), "-c", "import sysconfig; print(sysconfig.get_path('purelib'))"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout.strip()
    # The image's packages (and pip itself) come from this test venv, read-only to pip here.
    Path(site, "image_packages.pth").write_text(sysconfig.get_path("purelib") + "\n")
    home = tmp_path / "home"
    home.mkdir()
    tmp = tmp_path / "tmp"
    tmp.mkdir()
    env = {
        "PATH": os.environ["PATH"],
        "HOME": str(home),
        "TMPDIR": str(tmp),
        "LANG": "C.UTF-8",
        "PYTHONNOUSERSITE": "1",
        "TI_PYTHON": str(python),
        "TI_DIST": DIST,
        # No real AWS: no credentials, config or metadata service from this machine.
        "AWS_CONFIG_FILE": os.devnull,
        "AWS_SHARED_CREDENTIALS_FILE": os.devnull,
        "AWS_EC2_METADATA_DISABLED": "true",
    }
    return Space(home=home, python=python, env=env)


def result_line(proc: subprocess.CompletedProcess[str]) -> str:
    return proc.stdout.strip().splitlines()[-1].split("trusted-identity-install: ", 1)[1]


def test_installs_the_wheel_from_the_home_and_changes_nothing_else(space: Space) -> None:
    before = space.freeze()
    assert "botocore" in before and DIST not in before  # the stand-in holds the image's packages
    build_wheel(space.wheels, "0.1.0", requires=("botocore>=1.0", "packaging"))

    proc = space.run()

    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert result_line(proc) == f"result=installed version=0.1.0 wheel={WHEEL_010}"
    assert space.installed_version() == "0.1.0"
    after = space.freeze()
    assert set(after) - set(before) == {DIST}
    assert {name: line for name, line in after.items() if name != DIST} == before
    assert "execution role only" in proc.stdout  # it says what it cannot judge
    assert result_line(proc) in space.log.read_text()  # logged to the file as well


def test_a_second_run_is_a_no_op(space: Space) -> None:
    build_wheel(space.wheels, "0.1.0")
    assert space.run().returncode == 0
    record = next(space.python.parent.parent.rglob(f"{DIST}-0.1.0.dist-info/RECORD"))
    stamp = record.stat().st_mtime_ns

    proc = space.run()

    assert proc.returncode == 0
    assert result_line(proc) == f"result=unchanged version=0.1.0 wheel={WHEEL_010}"
    assert "Processing" not in proc.stdout  # pip did not run
    assert record.stat().st_mtime_ns == stamp


def test_a_rebuilt_wheel_of_the_same_version_is_installed_again(space: Space) -> None:
    build_wheel(space.wheels, "0.1.0", salt="first build")
    assert space.run().returncode == 0
    build_wheel(space.wheels, "0.1.0", salt="second build")  # same name, other bytes

    proc = space.run()

    assert result_line(proc).startswith("result=installed version=0.1.0 ")


def test_the_newest_version_replaces_an_older_one(space: Space) -> None:
    build_wheel(space.wheels, "0.1.0")
    assert space.run().returncode == 0
    # 0.10.0 is newer than 0.9.0 by version, older by string.
    for version in ("0.9.0", "0.10.0", "0.10.0rc1"):
        build_wheel(space.wheels, version)
    (space.wheels / f"{DIST}-notaversion-py3-none-any.whl").write_bytes(b"")
    (space.wheels / "other_package-9.9.9-py3-none-any.whl").write_bytes(b"")

    proc = space.run()

    assert proc.returncode == 0, proc.stdout
    assert result_line(proc).startswith("result=installed version=0.10.0 ")
    assert space.installed_version() == "0.10.0"
    assert space.freeze()[DIST].startswith(f"{DIST} @ file://")
    infos = list(space.python.parent.parent.rglob(f"{DIST}-*.dist-info"))
    assert [p.name for p in infos] == [f"{DIST}-0.10.0.dist-info"]  # the old one is gone


def test_a_missing_wheel_is_logged_and_the_app_still_starts(space: Space) -> None:
    before = space.freeze()

    proc = space.run()

    assert proc.returncode == 0
    assert result_line(proc).startswith("result=failed reason=no-wheel ")
    assert "result=failed reason=no-wheel" in space.log.read_text()
    assert space.freeze() == before
    # Image builds and the compatibility matrix ask for a failing status instead.
    assert space.run(TI_STRICT="1").returncode == 1


def test_unmet_requirements_are_reported_never_resolved(space: Space) -> None:
    before = space.freeze()
    build_wheel(space.wheels, "0.1.0", requires=("botocore>=999", "no-such-package-ti>=1"))

    proc = space.run()

    assert proc.returncode == 0
    assert f"requirement not met: botocore>=999 (found {botocore.__version__})" in proc.stdout
    assert "requirement not met: no-such-package-ti>=1 (not installed)" in proc.stdout
    assert result_line(proc).endswith(" unmet=yes")
    after = space.freeze()
    assert after.pop(DIST)
    assert after == before  # botocore untouched, nothing fetched
    (space.wheels / WHEEL_010).unlink()
    build_wheel(space.wheels, "0.1.1", requires=("botocore>=999",))
    assert space.run(TI_STRICT="1").returncode == 1


@pytest.mark.parametrize(
    ("variables", "reason"),
    [
        ({"SAGEMAKER_RECOVERY_MODE": "true"}, "recovery-mode"),
        ({"SAGEMAKER_APP_TYPE": "CodeEditor"}, "app-type-CodeEditor"),
    ],
)
def test_it_stays_out_of_other_apps(space: Space, variables: dict[str, str], reason: str) -> None:
    build_wheel(space.wheels, "0.1.0")

    proc = space.run(**variables)

    assert proc.returncode == 0
    assert result_line(proc) == f"result=skipped reason={reason}"
    assert space.installed_version() is None


def test_the_script_fits_a_lifecycle_configuration() -> None:
    """CreateStudioLifecycleConfig takes the script base64-encoded, within the model's limit."""
    model = botocore.session.get_session().get_service_model("sagemaker")
    limit = model.shape_for("StudioLifecycleConfigContent").metadata["max"]
    content = SCRIPT.read_bytes()
    assert len(base64.b64encode(content)) <= limit
    assert content.startswith(b"#!/bin/bash\n")
    assert b"\r" not in content


@pytest.fixture(scope="module")
def s3_endpoint() -> Iterator[str]:
    from moto.server import ThreadedMotoServer

    server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    server.start()
    host, port = server.get_host_and_port()
    try:
        yield f"http://{host}:{port}"
    finally:
        server.stop()


@pytest.fixture
def s3_space(space: Space, s3_endpoint: str, tmp_path: Path) -> Iterator[tuple[Space, str]]:
    """The space with credentials and an endpoint for moto's S3, and a bucket of wheels."""
    space.env.update(
        AWS_ENDPOINT_URL_S3=s3_endpoint,
        AWS_ACCESS_KEY_ID=FAKE_KEY_ID,
        AWS_SECRET_ACCESS_KEY=FAKE_SECRET,
        AWS_DEFAULT_REGION="us-east-1",
    )
    bucket = f"wheels-{tmp_path.name.lower().replace('_', '-')[-40:]}"
    s3 = botocore.session.get_session().create_client(
        "s3",
        region_name="us-east-1",
        endpoint_url=s3_endpoint,
        aws_access_key_id=FAKE_KEY_ID,
        aws_secret_access_key=FAKE_SECRET,
    )
    s3.create_bucket(Bucket=bucket)
    for version in ("0.1.0", "0.2.0"):
        wheel = build_wheel(tmp_path / "upload", version)
        s3.put_object(Bucket=bucket, Key=f"releases/{wheel.name}", Body=wheel.read_bytes())
    s3.put_object(Bucket=bucket, Key="releases/README.txt", Body=b"not a wheel")
    s3.put_object(Bucket=bucket, Key="elsewhere/dummy_ti-9.0.0-py3-none-any.whl", Body=b"")
    yield space, bucket


def assert_no_secret(space: Space, proc: subprocess.CompletedProcess[str]) -> None:
    for text in (proc.stdout, proc.stderr, space.log.read_text()):
        assert FAKE_SECRET not in text
        assert FAKE_KEY_ID not in text


def test_installs_the_newest_wheel_under_an_s3_prefix(s3_space: tuple[Space, str]) -> None:
    space, bucket = s3_space
    build_wheel(space.wheels, "5.0.0")  # ignored: S3 is the source when it is set
    before = space.freeze()

    proc = space.run(TI_WHEEL_S3_URI=f"s3://{bucket}/releases/")

    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert result_line(proc).startswith("result=installed version=0.2.0 ")
    assert space.installed_version() == "0.2.0"
    after = space.freeze()
    assert after.pop(DIST) and after == before
    assert_no_secret(space, proc)
    assert not list(Path(space.env["TMPDIR"]).iterdir())  # the download is cleaned up
    # The same wheel again: nothing to do.
    again = space.run(TI_WHEEL_S3_URI=f"s3://{bucket}/releases/")
    assert result_line(again).startswith("result=unchanged version=0.2.0 ")


def test_installs_one_s3_object(s3_space: tuple[Space, str]) -> None:
    space, bucket = s3_space

    proc = space.run(TI_WHEEL_S3_URI=f"s3://{bucket}/releases/{WHEEL_010}")

    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert result_line(proc).startswith("result=installed version=0.1.0 ")
    assert space.installed_version() == "0.1.0"


@pytest.mark.parametrize(
    "uri",
    ["s3://{bucket}-missing/releases/", "s3://{bucket}/empty/", "https://example.com/x.whl"],
)
def test_an_s3_failure_is_logged_and_the_app_still_starts(
    s3_space: tuple[Space, str], uri: str
) -> None:
    space, bucket = s3_space
    before = space.freeze()

    proc = space.run(TI_WHEEL_S3_URI=uri.format(bucket=bucket))

    assert proc.returncode == 0
    assert result_line(proc).startswith("result=failed reason=")
    assert space.freeze() == before
    assert "Traceback" not in proc.stdout
    assert_no_secret(space, proc)

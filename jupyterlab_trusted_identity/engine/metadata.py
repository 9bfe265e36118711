"""The Studio app's resource metadata file: the only local proof of running in Studio."""

from __future__ import annotations

import json
import os
from collections.abc import Mapping
from dataclasses import dataclass, field

from .arns import account_of, app_of, region_of

# SageMaker's AppType values (botocore's sagemaker model), to name an app type read from an ARN
# whatever its case.
APP_TYPES = (
    "JupyterServer",
    "KernelGateway",
    "DetailedProfiler",
    "TensorBoard",
    "CodeEditor",
    "JupyterLab",
    "RStudioServerPro",
    "RSessionGateway",
    "Canvas",
)
_APP_TYPES = {name.lower(): name for name in APP_TYPES}


class MetadataError(Exception):
    """The file exists but cannot be used; the message says why."""


@dataclass(frozen=True)
class StudioMetadata:
    domain_id: str
    space_name: str | None = None
    user_profile_name: str | None = None
    resource_arn: str | None = None
    resource_name: str | None = None
    app_type: str | None = None
    execution_role_arn: str | None = None
    # SageMaker Unified Studio writes its DataZone domain and project under AdditionalMetadata.
    datazone: dict[str, str] = field(default_factory=dict)

    @property
    def unified_studio(self) -> bool:
        return bool(self.datazone.get("DataZoneDomainId") or self.datazone.get("DataZoneProjectId"))

    @property
    def region(self) -> str | None:
        return region_of(self.resource_arn)

    @property
    def account(self) -> str | None:
        return account_of(self.resource_arn)


def _text(data: dict, key: str) -> str | None:
    value = data.get(key)
    return value.strip() or None if isinstance(value, str) else None


class MetadataReader:
    """Reads the file again only when it changes (Studio writes it once at app start)."""

    def __init__(self, path: str):
        self.path = path
        self._stamp: tuple[int, int] | None = None
        self._value: StudioMetadata | None = None

    def stamp(self) -> tuple[int, int] | str | None:
        """What `read` depends on, from one stat: moves when the file is written, appears or
        goes."""
        try:
            stat = os.stat(self.path)
        except FileNotFoundError:
            return None
        except OSError as error:
            return error.strerror or "unreadable"
        return (stat.st_mtime_ns, stat.st_size)

    def read(self, environ: Mapping[str, str] | None = None) -> StudioMetadata | None:
        """None when the file is absent (outside Studio); MetadataError when unusable."""
        try:
            stat = os.stat(self.path)
        except FileNotFoundError:
            self._stamp = self._value = None
            return None
        except OSError as error:
            raise MetadataError(f"cannot read {self.path}: {error.strerror}") from None
        stamp = (stat.st_mtime_ns, stat.st_size)
        if stamp != self._stamp:
            self._value = self._parse(environ or {})
            self._stamp = stamp
        return self._value

    def _parse(self, environ: Mapping[str, str]) -> StudioMetadata:
        try:
            with open(self.path, encoding="utf-8") as f:
                data = json.load(f)
        except (OSError, ValueError) as error:
            raise MetadataError(f"{self.path} is not readable JSON ({error})") from None
        if not isinstance(data, dict) or not _text(data, "DomainId"):
            raise MetadataError(f"{self.path} has no DomainId")
        extra = data.get("AdditionalMetadata")
        datazone = (
            {
                k: v
                for k, v in extra.items()
                if k.startswith("DataZone") and isinstance(v, str) and v
            }
            if isinstance(extra, dict)
            else {}
        )
        arn = _text(data, "ResourceArn")
        return StudioMetadata(
            domain_id=_text(data, "DomainId") or "",
            space_name=_text(data, "SpaceName") or environ.get("SAGEMAKER_SPACE_NAME") or None,
            user_profile_name=_text(data, "UserProfileName"),
            resource_arn=arn,
            resource_name=_text(data, "ResourceName"),
            app_type=_text(data, "AppType") or _app_type_of(arn),
            execution_role_arn=_text(data, "ExecutionRoleArn"),
            datazone=datazone,
        )


def _app_type_of(arn: str | None) -> str | None:
    app = app_of(arn)
    return _APP_TYPES.get(app[2].lower()) if app else None

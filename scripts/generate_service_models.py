"""Writes the trimmed service models the engine ships (`make models`).

From the installed botocore (the dev extra pins it), for each service in
`engine.service_models.OPERATIONS`: its newest service-2 model, trimmed to those operations and
every shape reachable from their input, output and errors, metadata kept, documentation dropped,
as deterministic JSON in jupyterlab_trusted_identity/engine/models/<service>/<api>/service-2.json,
plus models/endpoints.json: botocore's endpoint data (every partition, its regions and defaults)
with the services trimmed to the endpoint prefixes of those services (botocore's client creator
loads the whole file, ~1.2 MB of JSON and ~7 MiB of memory, for the few entries a client of ours
reads), and models/provenance.json (botocore version, command, sizes). A test regenerates into a
temporary folder and fails when the committed files differ.

    python scripts/generate_service_models.py [--out DIR]
"""

from __future__ import annotations

import argparse
import json
import shutil
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import botocore
from botocore.loaders import Loader

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from jupyterlab_trusted_identity.engine.service_models import (  # noqa: E402
    ENDPOINTS,
    MODELS_DIR,
    OPERATIONS,
    PROVENANCE,
    SERVICE_MODEL,
)

COMMAND = "make models (python scripts/generate_service_models.py)"
# What the oldest botocore the extension supports (1.37) can serialize and parse: it reads
# `metadata.protocol` only (the `protocols` list came later), so that must stay one of these.
FLOOR_PROTOCOLS = {"query", "json", "rest-json", "rest-xml", "ec2"}
# Documentation keys, dropped wherever the model has them (never a member named so: members are
# cleaned through their references, not by key search).
DOC_KEYS = ("documentation", "documentationUrl")


def _undocumented(node: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in node.items() if k not in DOC_KEYS}


def _references(shape: dict[str, Any]) -> Iterator[str]:
    kind = shape["type"]
    if kind == "structure":
        for member in shape.get("members", {}).values():
            yield member["shape"]
    elif kind == "list":
        yield shape["member"]["shape"]
    elif kind == "map":
        yield shape["key"]["shape"]
        yield shape["value"]["shape"]


def _clean_shape(shape: dict[str, Any]) -> dict[str, Any]:
    clean = _undocumented(shape)
    if "members" in clean:
        clean["members"] = {name: _undocumented(ref) for name, ref in clean["members"].items()}
    for key in ("member", "key", "value"):
        if key in clean:
            clean[key] = _undocumented(clean[key])
    return clean


def trim(model: dict[str, Any], operations: tuple[str, ...]) -> dict[str, Any]:
    """`model` reduced to `operations` and the shapes they reach, without documentation."""
    missing = [name for name in operations if name not in model["operations"]]
    if missing:
        raise SystemExit(f"{model['metadata']['serviceId']}: no operation {', '.join(missing)}")
    protocol = model["metadata"].get("protocol")
    if protocol not in FLOOR_PROTOCOLS:
        raise SystemExit(f"{model['metadata']['serviceId']}: protocol {protocol!r} is too new")
    kept_operations: dict[str, Any] = {}
    roots: list[str] = []
    for name in operations:
        operation = _undocumented(model["operations"][name])
        for key in ("input", "output"):
            if key in operation:
                operation[key] = _undocumented(operation[key])
                roots.append(operation[key]["shape"])
        if "errors" in operation:
            operation["errors"] = [_undocumented(error) for error in operation["errors"]]
            roots += [error["shape"] for error in operation["errors"]]
        kept_operations[name] = operation
    shapes: dict[str, Any] = {}
    pending = list(roots)
    while pending:
        name = pending.pop()
        if name not in shapes:
            shapes[name] = _clean_shape(model["shapes"][name])
            pending += _references(model["shapes"][name])
    trimmed = _undocumented(model)
    if "clientContextParams" in trimmed:
        # s3control's client parameters: botocore reads each one's `documentation` key when it
        # builds a client (a KeyError without it), so the key stays, emptied.
        trimmed["clientContextParams"] = {
            name: {**param, "documentation": ""}
            for name, param in trimmed["clientContextParams"].items()
        }
    trimmed["operations"] = kept_operations
    trimmed["shapes"] = shapes
    return trimmed


def trim_endpoints(endpoints: dict[str, Any], prefixes: set[str]) -> dict[str, Any]:
    """botocore's endpoint data with only the services whose endpoint prefix is in `prefixes`;
    every partition, region and default stays, so partition and region resolution are botocore's
    own."""
    partitions = []
    for partition in endpoints["partitions"]:
        kept = dict(partition)
        kept["services"] = {
            prefix: entry for prefix, entry in partition["services"].items() if prefix in prefixes
        }
        partitions.append(kept)
    return {**endpoints, "partitions": partitions}


def dumps(data: Any) -> str:
    return json.dumps(data, sort_keys=True, indent=1) + "\n"


def generate(out: Path) -> dict[str, Any]:
    """Writes every trimmed model and the provenance file under `out`; returns the provenance."""
    # botocore's own data only: not ~/.aws/models, AWS_DATA_PATH or the models written before.
    loader = Loader(
        extra_search_paths=[Loader.BUILTIN_DATA_PATH], include_default_search_paths=False
    )
    for stale in [
        p for p in out.glob("*") if p.is_dir() and any(p.glob(f"*/{SERVICE_MODEL}.json"))
    ]:
        shutil.rmtree(stale)
    services: dict[str, Any] = {}
    prefixes: set[str] = set()
    for service, operations in OPERATIONS.items():
        api_version = loader.determine_latest_version(service, SERVICE_MODEL)
        full = loader.load_service_model(service, SERVICE_MODEL, api_version)
        trimmed = trim(full, operations)
        prefixes.add(full["metadata"]["endpointPrefix"])
        text = dumps(trimmed)
        target = out / service / api_version / f"{SERVICE_MODEL}.json"
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(text, encoding="utf-8")
        services[service] = {
            "api_version": api_version,
            "operations": list(operations),
            "shapes": len(trimmed["shapes"]),
            "bytes": len(text.encode()),
            "full_model_shapes": len(full["shapes"]),
            "full_model_operations": len(full["operations"]),
            "full_model_json_bytes": len(json.dumps(full, separators=(",", ":")).encode()),
        }
    endpoints = loader.load_data(ENDPOINTS)
    endpoints_text = dumps(trim_endpoints(endpoints, prefixes))
    out.mkdir(parents=True, exist_ok=True)
    (out / f"{ENDPOINTS}.json").write_text(endpoints_text, encoding="utf-8")
    record = {
        "botocore": botocore.__version__,
        "command": COMMAND,
        "services": services,
        "endpoints": {
            "prefixes": sorted(prefixes),
            "bytes": len(endpoints_text.encode()),
            "full_json_bytes": len(json.dumps(endpoints, separators=(",", ":")).encode()),
        },
    }
    (out / PROVENANCE.name).write_text(dumps(record), encoding="utf-8")
    return record


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--out", type=Path, default=MODELS_DIR, help=f"default: {MODELS_DIR}")
    args = parser.parse_args()
    record = generate(args.out)
    for service, info in record["services"].items():
        print(
            f"{service}/{info['api_version']}: {len(info['operations'])} operations, "
            f"{info['shapes']} of {info['full_model_shapes']} shapes, {info['bytes']} bytes "
            f"(full model {info['full_model_json_bytes']} bytes compact)"
        )
    info = record["endpoints"]
    print(
        f"endpoints: {len(info['prefixes'])} services in every partition, {info['bytes']} bytes "
        f"(full {info['full_json_bytes']} bytes compact)"
    )
    print(f"botocore {record['botocore']} → {args.out}")


if __name__ == "__main__":
    main()

"""The bundled service models (engine/service_models.py, engine/models/): they match what the
generator writes from the pinned botocore, list exactly the operations the engine calls, load
on the engine's own botocore session only, and keep the current response members whatever
botocore is installed.

Run this file under an old botocore too (SMD 3.x ships 1.37): there the plain session's model
lacks the members, and the tests below assert that botocore drops them without our models.
"""

from __future__ import annotations

import ast
import json
import logging
import os
import subprocess
import sys
import tomllib
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import botocore
import botocore.session
import pytest
from botocore import xform_name
from botocore.loaders import Loader
from botocore.parsers import create_parser
from botocore.validate import validate_parameters

from jupyterlab_trusted_identity.engine import service_models
from jupyterlab_trusted_identity.engine.aws import AwsAccess
from jupyterlab_trusted_identity.engine.credentials import ResolvedCredentials, resolve_in_process
from jupyterlab_trusted_identity.engine.service_models import (
    MODELS_DIR,
    OPERATIONS,
    choose_api_version,
    has_member,
)

REPO = Path(__file__).resolve().parent.parent
PACKAGE = REPO / "jupyterlab_trusted_identity"
GENERATOR = REPO / "scripts" / "generate_service_models.py"
REGION = "us-east-1"
KEYS = ResolvedCredentials(
    source="test", access_key_id="AKIAIOSFODNN7EXAMPLE", secret_access_key="not-a-secret"
)


def _version(text: str) -> tuple[int, ...]:
    return tuple(int(part) for part in text.split(".")[:3])


def _botocore_at_most(version: tuple[int, ...]) -> bool:
    return _version(botocore.__version__) <= version


@pytest.fixture
def aws():
    with ThreadPoolExecutor(2) as executor:
        yield AwsAccess(timeout=5, executor=executor, log=logging.getLogger("test"))


# ---- the operations the engine calls ------------------------------------------------------------


def _engine_calls() -> tuple[set[tuple[str, str]], list[str]]:
    """(service, snake_case operation) of every `aws.call(creds, region, "<service>", "<op>", …)`
    in the package, and the call sites whose service or operation is not a literal."""
    calls: set[tuple[str, str]] = set()
    unreadable: list[str] = []
    for path in sorted(PACKAGE.rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if not (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)):
                continue
            receiver = node.func.value
            receiver_name = getattr(receiver, "id", None) or getattr(receiver, "attr", None)
            if node.func.attr != "call" or receiver_name != "aws":
                continue
            literal = [
                a.value if isinstance(a, ast.Constant) and isinstance(a.value, str) else None
                for a in node.args[2:4]
            ]
            if len(literal) == 2 and None not in literal:
                calls.add((literal[0], literal[1]))
            else:
                unreadable.append(f"{path.relative_to(REPO)}:{node.lineno}")
    return calls, unreadable


def test_operations_lists_exactly_what_the_engine_calls():
    called, unreadable = _engine_calls()
    assert not unreadable, f"aws.call with a non-literal service or operation: {unreadable}"
    assert called, "no aws.call found: the scan is broken"
    listed = {(service, xform_name(op)) for service, ops in OPERATIONS.items() for op in ops}
    assert not called - listed, (
        f"the engine calls operations service_models.OPERATIONS does not list (add them, then "
        f"run make models): {sorted(called - listed)}"
    )
    assert not listed - called, (
        f"service_models.OPERATIONS lists operations the engine never calls: "
        f"{sorted(listed - called)}"
    )


# ---- the committed models are what the generator writes ----------------------------------------


def _tree(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in root.rglob("*") if p.is_file()}


def test_models_come_from_the_botocore_the_dev_extra_pins():
    pyproject = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))
    pins = [d for d in pyproject["project"]["optional-dependencies"]["dev"] if "botocore==" in d]
    assert len(pins) == 1, pins
    pinned = pins[0].split("==", 1)[1].strip()
    assert service_models.provenance()["botocore"] == pinned, (
        "engine/models/ were generated from another botocore than the dev extra pins: "
        "run make models"
    )


@pytest.mark.skipif(
    botocore.__version__ != service_models.provenance().get("botocore"),
    reason="regeneration needs the botocore the models come from (the dev extra's pin)",
)
def test_committed_models_are_what_the_generator_writes(tmp_path):
    subprocess.run(
        [sys.executable, str(GENERATOR), "--out", str(tmp_path)],
        check=True,
        capture_output=True,
        timeout=300,
    )
    committed, generated = _tree(MODELS_DIR), _tree(tmp_path)
    assert sorted(committed) == sorted(generated), "run make models"
    differing = [name for name in committed if committed[name] != generated[name]]
    assert not differing, f"{differing} differ from what the generator writes: run make models"


def _documentation(node: Any) -> list[Any]:
    """Every value under a `documentation` key, at any depth."""
    if isinstance(node, dict):
        found = [v for k, v in node.items() if k == "documentation"]
        return found + [d for v in node.values() for d in _documentation(v)]
    if isinstance(node, list):
        return [d for v in node for d in _documentation(v)]
    return []


def test_trimmed_models_hold_the_listed_operations_and_no_documentation():
    for service, operations in OPERATIONS.items():
        version = service_models.bundled_api_versions()[service]
        text = (MODELS_DIR / service / version / "service-2.json").read_text(encoding="utf-8")
        model = json.loads(text)
        assert sorted(model["operations"]) == sorted(operations), service
        # No documentation text (a client parameter keeps the key botocore reads, emptied).
        assert not [d for d in _documentation(model) if d], service
        # What botocore 1.37 (the floor) serializes and parses by `metadata.protocol` alone;
        # the compat matrix runs this file under it.
        assert model["metadata"]["protocol"] in {"query", "json", "rest-json", "rest-xml"}, service


# ---- the engine's session parses the current shapes ---------------------------------------------

# (service, operation, response body, member path the engine reads, the value it must see)
CURRENT_FIELDS = [
    (
        "sagemaker",
        "DescribeDomain",
        {
            "DomainId": "d-abc123",
            "DomainSettings": {"TrustedIdentityPropagationSettings": {"Status": "ENABLED"}},
        },
        ("DomainSettings", "TrustedIdentityPropagationSettings", "Status"),
        "ENABLED",
    ),
    (
        "sagemaker",
        "DescribeSpace",
        {"SpaceName": "s", "SpaceSettings": {"AppType": "JupyterLab", "RemoteAccess": "ENABLED"}},
        ("SpaceSettings", "RemoteAccess"),
        "ENABLED",
    ),
    (
        "sagemaker",
        "DescribeApp",
        {"AppName": "default", "EffectiveTrustedIdentityPropagationStatus": "ENABLED"},
        ("EffectiveTrustedIdentityPropagationStatus",),
        "ENABLED",
    ),
    (
        "sso-admin",
        "DescribeApplication",
        {
            "ApplicationArn": "arn:aws:sso::123456789012:application/ssoins-1/apl-1",
            "IdentityStoreArn": "arn:aws:identitystore::123456789012:identitystore/d-1234567890",
        },
        ("IdentityStoreArn",),
        "arn:aws:identitystore::123456789012:identitystore/d-1234567890",
    ),
    (
        "sso-admin",
        "DescribeInstance",
        {"InstanceArn": "arn:aws:sso:::instance/ssoins-1", "PrimaryRegion": "eu-west-1"},
        ("PrimaryRegion",),
        "eu-west-1",
    ),
    (
        "sso-admin",
        "DescribeInstance",
        {
            "InstanceArn": "arn:aws:sso:::instance/ssoins-1",
            "Regions": [{"RegionName": "eu-west-1", "IsPrimaryRegion": True, "Status": "ACTIVE"}],
        },
        ("Regions", "RegionName"),
        "eu-west-1",
    ),
    (
        "sso-admin",
        "ListInstances",
        {"Instances": [{"InstanceArn": "arn:aws:sso:::instance/ssoins-1", "PrimaryRegion": "x"}]},
        ("Instances", "PrimaryRegion"),
        "x",
    ),
]
# The newest botocore known to lack these members (SMD 3.x ships 1.37.x, SMD 4.x 1.42-1.43):
# read in botocore's wheels by the issue (1.37.x; IdentityStoreArn came in 1.43.6) and checked
# here (1.37.1, 1.42.70). Up to these, plain botocore drops the members.
LACKING_THROUGH = {
    ("sagemaker", "DescribeDomain"): (1, 37, 3),
    ("sagemaker", "DescribeSpace"): (1, 37, 3),
    ("sagemaker", "DescribeApp"): (1, 37, 3),
    ("sso-admin", "DescribeApplication"): (1, 43, 5),
    ("sso-admin", "DescribeInstance"): (1, 42, 70),
    ("sso-admin", "ListInstances"): (1, 42, 70),
}


def _parse(model: Any, operation: str, body: dict[str, Any]) -> dict[str, Any]:
    """`body` as AWS would send it, through botocore's own parser for `model`'s protocol."""
    response = {
        "status_code": 200,
        "headers": {"x-amzn-requestid": "0", "content-type": "application/x-amz-json-1.1"},
        "body": json.dumps(body).encode(),
    }
    return create_parser(model.protocol).parse(
        response, model.operation_model(operation).output_shape
    )


def _read(value: Any, path: tuple[str, ...]) -> Any:
    for name in path:
        if isinstance(value, list):
            value = value[0] if value else None
        value = value.get(name) if isinstance(value, dict) else None
    return value


@pytest.mark.parametrize(
    ("service", "operation", "body", "path", "expected"),
    CURRENT_FIELDS,
    ids=[f"{c[1]}.{'.'.join(c[3])}" for c in CURRENT_FIELDS],
)
def test_engine_session_keeps_current_members_a_plain_session_may_drop(
    aws, service, operation, body, path, expected
):
    engine_model = aws._client(service, REGION, KEYS).meta.service_model
    assert _read(_parse(engine_model, operation, body), path) == expected
    assert aws.model_knows(service, operation, path)

    plain_model = botocore.session.Session().get_service_model(service)
    plain_knows = has_member(plain_model.operation_model(operation).output_shape, path)
    plain_value = _read(_parse(plain_model, operation, body), path)
    # Without our models botocore keeps exactly what its own model knows...
    assert plain_value == (expected if plain_knows else None)
    # ...and the botocore of the images the issue names does not know these members.
    if _botocore_at_most(LACKING_THROUGH[(service, operation)]):
        assert not plain_knows, f"botocore {botocore.__version__} knows {path}"
        assert plain_value is None


def test_model_knows_tells_unknown_members_and_builds_no_client(aws):
    path = ("DomainSettings", "TrustedIdentityPropagationSettings", "Status")
    assert aws.model_knows("sagemaker", "DescribeDomain", path)
    assert not aws.model_knows("sagemaker", "DescribeDomain", ("DomainSettings", "NoSuchMember"))
    assert aws.model_knows("cloudtrail", "LookupEvents", ("Events", "CloudTrailEvent"))
    assert not aws.model_knows("sts", "GetCallerIdentity", ("Arn", "Deeper"))
    with pytest.raises(ValueError):
        aws.model_knows("sagemaker", "ListDomains", ("Domains",))
    assert aws._clients == {}
    # Cached: asking again does not reload the model.
    assert aws._known_members[("sagemaker", "DescribeDomain", path)] is True


def test_model_sources_name_the_botocore_and_the_bundled_models(aws):
    sources = aws.model_sources()
    assert sources["botocore"] == botocore.__version__
    assert sources["bundled_from_botocore"] == service_models.provenance()["botocore"]
    assert set(sources["services"]) == set(OPERATIONS)
    for service, source in sources["services"].items():
        assert source == {
            "api_version": service_models.bundled_api_versions()[service],
            "bundled": True,
        }, service


# ---- only the engine's session changes ------------------------------------------------------------


def _loaded_from(session: botocore.session.Session, service: str) -> str:
    version = service_models.bundled_api_versions()[service]
    loader = session.get_component("data_loader")
    return loader.load_data_with_path(f"{service}/{version}/service-2")[1]


def test_other_sessions_keep_botocores_own_models(aws, monkeypatch):
    boto3 = pytest.importorskip("boto3")
    monkeypatch.setattr(boto3, "DEFAULT_SESSION", None)
    boto3.setup_default_session(region_name=REGION)  # the user's session, made before ours
    data_path = os.environ.get("AWS_DATA_PATH")
    aws._client("sagemaker", REGION, KEYS)
    engine_session = aws._session
    assert engine_session is not None
    assert engine_session.get_component("data_loader").search_paths[0] == str(MODELS_DIR)
    assert _loaded_from(engine_session, "sagemaker").startswith(str(MODELS_DIR))

    others = {
        "boto3 default session": boto3.DEFAULT_SESSION._session,
        "boto3 session made after": boto3.session.Session()._session,
        "botocore session made after": botocore.session.Session(),
        "botocore.session.get_session()": botocore.session.get_session(),
    }
    for name, session in others.items():
        assert str(MODELS_DIR) not in session.get_component("data_loader").search_paths, name
        path = _loaded_from(session, "sagemaker")
        assert Loader().is_builtin_path(path) and not path.startswith(str(MODELS_DIR)), name
    assert boto3.client("sagemaker").meta.service_model.operation_names != (
        engine_session.get_service_model("sagemaker").operation_names
    )
    assert os.environ.get("AWS_DATA_PATH") == data_path


# ---- the trimmed endpoint data ------------------------------------------------------------------


def _endpoint_prefixes() -> set[str]:
    loader = Loader(extra_search_paths=[str(MODELS_DIR)], include_default_search_paths=False)
    return {
        loader.load_service_model(service, "service-2", version)["metadata"]["endpointPrefix"]
        for service, version in service_models.bundled_api_versions().items()
    }


def test_engine_session_loads_the_trimmed_endpoints_and_other_sessions_botocores(aws):
    aws._client("sts", REGION, KEYS)
    engine_loader = aws._session.get_component("data_loader")
    assert engine_loader.load_data_with_path("endpoints")[1].startswith(str(MODELS_DIR))
    plain = botocore.session.Session().get_component("data_loader")
    assert Loader().is_builtin_path(plain.load_data_with_path("endpoints")[1])


def _resolvers() -> tuple[Any, Any, dict[str, Any]]:
    from botocore.regions import EndpointResolver

    ours = json.loads((MODELS_DIR / "endpoints.json").read_text(encoding="utf-8"))
    full = Loader().load_data("endpoints")
    return EndpointResolver(ours), EndpointResolver(full), full


def _compared(ours_resolver: Any, full_resolver: Any, full: dict[str, Any]) -> int:
    compared = 0
    for partition in full["partitions"]:
        name = partition["partition"]
        for prefix in _endpoint_prefixes():
            for region in partition["regions"]:
                assert ours_resolver.construct_endpoint(prefix, region, partition_name=name) == (
                    full_resolver.construct_endpoint(prefix, region, partition_name=name)
                ), (prefix, region)
                compared += 1
            assert ours_resolver.get_available_endpoints(prefix, name) == (
                full_resolver.get_available_endpoints(prefix, name)
            )
    return compared


@pytest.mark.skipif(
    botocore.__version__ != service_models.provenance().get("botocore"),
    reason="compares with the botocore the trimmed data was generated from",
)
def test_trimmed_endpoints_resolve_every_partition_and_region_as_botocores_own():
    """From the botocore it was generated from, the trimmed data holds exactly our services,
    and botocore's resolver gives the same partitions, and the same endpoint for our services
    in every region of every partition, as from the full data."""
    ours_resolver, full_resolver, full = _resolvers()
    ours = json.loads((MODELS_DIR / "endpoints.json").read_text(encoding="utf-8"))
    assert _endpoint_prefixes() == {
        prefix for partition in ours["partitions"] for prefix in partition["services"]
    }
    assert ours_resolver.get_available_partitions() == full_resolver.get_available_partitions()
    assert _compared(ours_resolver, full_resolver, full) > 100


def test_trimmed_endpoints_resolve_under_the_installed_botocore():
    """Under any botocore (an image's older one too), its resolver reads the trimmed data: every
    partition the installed data knows is there, and for every region of it our services resolve
    to a host name wherever the installed data resolves one."""
    ours_resolver, full_resolver, full = _resolvers()
    assert set(full_resolver.get_available_partitions()) <= set(
        ours_resolver.get_available_partitions()
    )
    resolved = 0
    for partition in full["partitions"]:
        for prefix in _endpoint_prefixes():
            for region in partition["regions"]:
                theirs = full_resolver.construct_endpoint(prefix, region, partition["partition"])
                if theirs:
                    found = ours_resolver.construct_endpoint(prefix, region, partition["partition"])
                    assert found and found["hostname"], (prefix, region)
                    resolved += 1
    assert resolved > 100


# ---- choosing the api version ------------------------------------------------------------------


def test_bundled_model_is_used_only_where_botocore_has_its_endpoint_ruleset():
    # The usual case, whatever botocore: the bundled version has a ruleset.
    assert choose_api_version("2017-07-24", ["2017-07-24"]) == ("2017-07-24", True)
    # A botocore that also ships a newer api version still parses with ours.
    assert choose_api_version("2017-07-24", ["2017-07-24", "2030-01-01"]) == ("2017-07-24", True)
    # Our model newer than the botocore (no ruleset for it), or a botocore that dropped ours:
    # its own newest model is the only one that can build a client.
    assert choose_api_version("2030-01-01", ["2017-07-24"]) == ("2017-07-24", False)
    assert choose_api_version("2017-07-24", ["2030-01-01"]) == ("2030-01-01", False)
    assert choose_api_version(None, ["2017-07-24"]) == ("2017-07-24", False)
    assert choose_api_version("2017-07-24", []) == (None, False)


def test_a_botocore_without_a_ruleset_for_our_version_gets_its_own_model(tmp_path):
    """A data path that stands in for a botocore whose only sagemaker api version is newer than
    ours: clients are built from its model, and model_knows answers for that model."""
    builtin = Loader.BUILTIN_DATA_PATH
    version = service_models.bundled_api_versions()["sagemaker"]
    newer = tmp_path / "sagemaker" / "2030-01-01"
    newer.mkdir(parents=True)
    loader = Loader()
    for kind in ("service-2", "endpoint-rule-set-1"):
        data = loader.load_data(f"sagemaker/{version}/{kind}")
        if kind == "service-2":
            data = json.loads(json.dumps(data))
            data["metadata"]["apiVersion"] = "2030-01-01"
            members = data["shapes"]["DescribeAppResponse"]["members"]
            members.pop("EffectiveTrustedIdentityPropagationStatus", None)
            members["OnlyInTheNewerModel"] = members["AppName"]
        (newer / f"{kind}.json").write_text(json.dumps(data))
    # botocore's own data files (endpoints, partitions, retry rules), none of its services.
    for data_file in Path(builtin).iterdir():
        if data_file.is_file():
            (tmp_path / data_file.name).write_bytes(data_file.read_bytes())
    session = botocore.session.Session()
    session.register_component(
        "data_loader",
        Loader(extra_search_paths=[str(tmp_path)], include_default_search_paths=False),
    )
    chosen = service_models.attach(session)
    assert chosen["sagemaker"] == ("2030-01-01", False)
    client = session.create_client(
        "sagemaker",
        region_name=REGION,
        api_version=chosen["sagemaker"][0],
        aws_access_key_id=KEYS.access_key_id,
        aws_secret_access_key=KEYS.secret_access_key,
    )
    model = client.meta.service_model
    assert model.api_version == "2030-01-01"
    output = model.operation_model("DescribeApp").output_shape
    assert has_member(output, ("OnlyInTheNewerModel",))
    assert not has_member(output, ("EffectiveTrustedIdentityPropagationStatus",))


# ---- every listed operation serializes ----------------------------------------------------------


def _example(shape: Any, depth: int = 0) -> Any:
    """A value of `shape` with every required member set (botocore validates its types and
    lengths; patterns are the service's business)."""
    kind = shape.type_name
    if kind == "structure" and shape.metadata.get("union"):
        name = next(iter(shape.members))  # exactly one member of a union
        return {name: _example(shape.members[name], depth + 1)}
    if kind == "structure":
        return {
            name: _example(shape.members[name], depth + 1)
            for name in shape.required_members
            if depth < 8
        }
    if kind == "list":
        return [_example(shape.member, depth + 1)]
    if kind == "map":
        return {"k": _example(shape.value, depth + 1)}
    if kind in ("integer", "long"):
        return max(1, shape.metadata.get("min", 1))
    if kind == "boolean":
        return True
    if kind == "timestamp":
        return 1_700_000_000
    if kind == "string" and shape.enum:
        return shape.enum[0]
    return "x" * max(1, shape.metadata.get("min", 1))


@pytest.mark.parametrize(
    ("service", "operation"), [(s, op) for s, ops in OPERATIONS.items() for op in ops]
)
def test_every_listed_operation_serializes_a_request(aws, service, operation):
    client = aws._client(service, REGION, KEYS)
    model = client.meta.service_model
    assert sorted(model.operation_names) == sorted(OPERATIONS[service])
    operation_model = model.operation_model(operation)
    params = _example(operation_model.input_shape)
    validate_parameters(params, operation_model.input_shape)
    # The client's own serializer: the one its API calls use.
    request = client._serializer.serialize_to_request(params, operation_model)
    if model.protocol == "json":
        assert request["headers"]["X-Amz-Target"].endswith(f".{operation}")
        assert set(json.loads(request["body"])) == set(params)
    elif model.protocol.startswith("rest-"):
        # The operation is its method and path (s3control's AccountId goes to a header and,
        # through the endpoint ruleset, to the host).
        assert request["method"] == operation_model.http["method"]
        assert request["url_path"] == operation_model.http["requestUri"].split("?")[0]
    else:
        assert request["body"]["Action"] == operation
    assert getattr(client, xform_name(operation))


# ---- through the wire: the emulator's answers, parsed by the engine and by plain botocore ----------


async def test_engine_calls_keep_what_plain_botocore_drops(studio, aws):
    expected = studio["expected"]
    creds = resolve_in_process()
    region = studio["region"]
    domain = await aws.call(
        creds, region, "sagemaker", "describe_domain", "t", DomainId=expected["domain_id"]
    )
    application = await aws.call(
        creds,
        region,
        "sso-admin",
        "describe_application",
        "t",
        ApplicationArn=expected["sso_application_arn"],
    )
    instance = await aws.call(
        creds,
        region,
        "sso-admin",
        "describe_instance",
        "t",
        InstanceArn=application.value["InstanceArn"],
    )
    tip_path = ("DomainSettings", "TrustedIdentityPropagationSettings", "Status")
    assert _read(domain.value, tip_path) == expected["tip_domain"] == "ENABLED"
    assert application.value["IdentityStoreArn"] == expected["identity_store_arn"]
    assert instance.value["PrimaryRegion"] == region

    plain = botocore.session.Session().create_client(
        "sagemaker",
        region_name=region,
        aws_access_key_id=creds.access_key_id,
        aws_secret_access_key=creds.secret_access_key,
        aws_session_token=creds.session_token,
    )
    answer = plain.describe_domain(DomainId=expected["domain_id"])
    knows = has_member(
        plain.meta.service_model.operation_model("DescribeDomain").output_shape, tip_path
    )
    assert _read(answer, tip_path) == ("ENABLED" if knows else None)
    if _botocore_at_most(LACKING_THROUGH[("sagemaker", "DescribeDomain")]):
        assert _read(answer, tip_path) is None


async def test_the_engines_s3control_client_calls_through_the_endpoint_ruleset(studio, aws):
    """s3control (rest-xml, the account id in the host and a header, built from our trimmed
    model and endpoint data): a real call, under whatever botocore is installed."""
    expected = studio["expected"]
    creds = resolve_in_process()
    region, account = studio["region"], expected["account"]
    instance = await aws.call(
        creds,
        region,
        "s3control",
        "get_access_grants_instance",
        "s3:GetAccessGrantsInstance",
        AccountId=account,
    )
    assert instance.ok, instance.failure
    assert instance.value["AccessGrantsInstanceArn"] == expected["access_grants_instance_arn"]
    assert (
        instance.value["IdentityCenterInstanceArn"]
        == (expected["access_grants_identity_center_arn"])
    )
    grants = await aws.call(
        creds,
        region,
        "s3control",
        "list_caller_access_grants",
        "s3:ListCallerAccessGrants",
        AccountId=account,
        MaxResults=10,
    )
    assert grants.ok, grants.failure
    assert [g["GrantScope"] for g in grants.value.get("CallerAccessGrantsList") or []] == [
        g["GrantScope"] for g in expected["access_grants_caller_grants"]
    ]


async def test_get_data_access_answers_through_the_engines_client_without_credentials(studio, aws):
    """GetDataAccess (rest-xml, querystring parameters, the account in host and header) as the
    engine asks it, under whatever botocore is installed: the matched grant and grantee are
    parsed, and `keep` drops the vended credentials before the answer leaves the worker."""
    expected = studio["expected"]
    creds = resolve_in_process()
    answer = await aws.call(
        creds,
        studio["region"],
        "s3control",
        "get_data_access",
        "s3:GetDataAccess",
        keep=("MatchedGrantTarget", "Grantee"),
        AccountId=expected["account"],
        Target="s3://amzn-s3-demo-bucket/users/jdoe/a.csv",
        Permission="READ",
        DurationSeconds=900,
        Privilege="Default",
    )
    assert answer.ok, answer.failure
    assert answer.value == {
        "MatchedGrantTarget": "s3://amzn-s3-demo-bucket/users/jdoe/*",
        "Grantee": {"GranteeType": "DIRECTORY_USER", "GranteeIdentifier": expected["user_id"]},
    }


# ---- the engine's clients load no botocore client plugin ------------------------------------------


def test_engine_clients_load_no_client_plugin(aws, monkeypatch):
    """BOTOCORE_EXPERIMENTAL__PLUGINS names plugins for the user's boto3 (Studio's S3 Access
    Grants plugin); botocore loads them into every client a session builds. The engine's own
    clients load none (aws._without_client_plugins): a plain session beside it still does."""
    import types

    loaded: list[str] = []
    plugin = types.ModuleType("ti_probe_client_plugin")
    plugin.initialize_client_plugin = lambda client: loaded.append(
        client.meta.service_model.service_name
    )  # type: ignore[attr-defined]
    monkeypatch.setitem(sys.modules, plugin.__name__, plugin)
    monkeypatch.setenv("BOTOCORE_EXPERIMENTAL__PLUGINS", f"probe={plugin.__name__}")
    try:
        import botocore.plugin
    except ImportError:
        pytest.skip("this botocore loads no client plugins")

    aws._client("sts", REGION, KEYS)
    assert loaded == []
    botocore.session.Session().create_client(
        "sts",
        region_name=REGION,
        aws_access_key_id="AKIAIOSFODNN7EXAMPLE",
        aws_secret_access_key="x",
    )
    assert loaded == ["sts"]


# ---- the engine's loader reads JSON compactly ------------------------------------------------------


def _ordered_items(data: Any) -> Any:
    """The data with every object as its list of (key, value) pairs: equal means equal in order."""
    if isinstance(data, dict):
        return [(key, _ordered_items(value)) for key, value in data.items()]
    if isinstance(data, list):
        return [_ordered_items(item) for item in data]
    return data


def test_the_engines_loader_reads_the_same_data_compactly(aws):
    """CompactJSONFileLoader: what the engine's clients are built from is botocore's own reading
    of the same files, in the same order, held as plain dicts with one object per repeated
    string (botocore's makes OrderedDicts and a copy of every string)."""
    loader = aws._botocore_session().get_component("data_loader")
    assert isinstance(loader.file_loader, service_models.CompactJSONFileLoader)
    plain = Loader(extra_search_paths=[str(MODELS_DIR)])
    names = [service_models.ENDPOINTS]
    for service in ("sagemaker", "s3control"):
        version = aws._api_versions[service][0]
        names += [f"{service}/{version}/{service_models.SERVICE_MODEL}"]
        names += [f"{service}/{version}/{service_models.ENDPOINT_RULESET}"]
    for name in names:
        ours, theirs = loader.load_data(name), plain.load_data(name)
        assert _ordered_items(ours) == _ordered_items(theirs), name
        assert type(ours) is dict and type(theirs) is not dict, name
    model = loader.load_data(names[1])
    operations = model["operations"]
    # The shape name an operation's input names is one object however often the file says it.
    first = operations["DescribeDomain"]["input"]["shape"]
    assert first == "DescribeDomainRequest"
    assert (
        model["shapes"]["DescribeDomainRequest"]["members"]["DomainId"]["shape"]
        is (model["shapes"]["DescribeDomainResponse"]["members"]["DomainId"]["shape"])
    )

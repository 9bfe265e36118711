#!/bin/bash
# Installs the jupyterlab-trusted-identity wheel into the environment that runs JupyterLab,
# as a SageMaker Studio lifecycle configuration (app type JupyterLab) at every app start:
# the app's container starts from its image, so a pip install is lost at the next restart.
#
# It runs with the space's execution role alone, without your IAM Identity Center identity:
# what it can or cannot reach says nothing about trusted identity propagation (the panel does).
#
# Settings: edit the defaults below, or set the variables in the environment.
#   TI_WHEEL_S3_URI  s3://bucket/prefix/ (newest wheel there) or s3://bucket/key.whl; empty:
#                    take the newest wheel from TI_WHEEL_DIR. Needs s3:GetObject (and
#                    s3:ListBucket for a prefix) for the execution role.
#   TI_WHEEL_DIR     where wheels are looked for (default ~/.trusted-identity)
#   TI_PYTHON        python of the JupyterLab environment (default /opt/conda/bin/python)
#   TI_LOG_FILE      log file besides stdout (default ~/.trusted-identity/install.log; empty: none)
#   TI_STRICT        1: exit 1 when nothing is installed or a requirement is not met (image
#                    builds, tests); otherwise a failure is logged and the exit status is 0,
#                    so the app always starts
#   TI_DIST          distribution name (default jupyterlab_trusted_identity; tests use another)
#
# What it does: picks the newest wheel by version; does nothing when that exact wheel (same
# sha256) is installed; otherwise `pip install --no-deps --no-index --force-reinstall` of it,
# so pip never resolves, downloads or upgrades anything else (boto3 pins botocore: the image's
# packages must stay as they are); then reports requirements of the wheel that the environment
# does not meet. The last line is `result=<installed|unchanged|skipped|failed> ...`.
set -u

: "${TI_WHEEL_S3_URI:=}"
: "${TI_WHEEL_DIR:=${HOME:-/home/sagemaker-user}/.trusted-identity}"
: "${TI_PYTHON:=/opt/conda/bin/python}"
: "${TI_LOG_FILE=${HOME:-/home/sagemaker-user}/.trusted-identity/install.log}"
: "${TI_STRICT:=0}"
: "${TI_DIST:=jupyterlab_trusted_identity}"

PIP_TIMEOUT=180 # seconds; Studio stops a lifecycle configuration after 5 minutes
S3_TIMEOUT=60

if [ -n "$TI_LOG_FILE" ]; then
    mkdir -p "$(dirname "$TI_LOG_FILE")" 2>/dev/null
    # Keep the log small: it lives in the home, which outlives every app.
    if [ -f "$TI_LOG_FILE" ] && [ "$(wc -c <"$TI_LOG_FILE")" -gt 200000 ]; then
        tail -n 400 "$TI_LOG_FILE" >"$TI_LOG_FILE.tmp" && mv "$TI_LOG_FILE.tmp" "$TI_LOG_FILE"
    fi
    touch "$TI_LOG_FILE" 2>/dev/null || TI_LOG_FILE=""
fi

log() {
    local line
    line="$(date -u +%Y-%m-%dT%H:%M:%SZ) trusted-identity-install: $*"
    echo "$line"
    if [ -n "$TI_LOG_FILE" ]; then echo "$line" >>"$TI_LOG_FILE"; fi
}

# Runs a command with a time limit, its output logged line by line.
run_logged() {
    local limit=$1
    shift
    local limiter=()
    if command -v timeout >/dev/null 2>&1; then limiter=(timeout "$limit"); fi
    local status
    { ${limiter[@]+"${limiter[@]}"} "$@" 2>&1; echo "exit-status $?"; } | while IFS= read -r line; do
        case "$line" in
        "exit-status "*) echo "${line#exit-status }" >"$WORK/status" ;;
        *) log "  $line" ;;
        esac
    done
    status=$(cat "$WORK/status" 2>/dev/null || echo 1)
    return "$status"
}

finish() {
    # $1: result, $2: exit status when TI_STRICT=1, rest: details
    local result=$1 strict_status=$2
    shift 2
    log "result=$result $*"
    if [ "$TI_STRICT" = "1" ]; then exit "$strict_status"; fi
    exit 0
}

# One Python helper, run by the JupyterLab environment's own interpreter (packaging is there:
# jupyter_server requires it; pip's vendored copy otherwise).
HELPER=$(
    cat <<'PY'
import hashlib, json, os, re, sys
from importlib import metadata
try:
    from packaging.requirements import Requirement
    from packaging.version import InvalidVersion, Version
except ImportError:
    from pip._vendor.packaging.requirements import Requirement
    from pip._vendor.packaging.version import InvalidVersion, Version

def wheel_version(name, dist):
    m = re.fullmatch(re.escape(dist) + r"-([^-]+)-.+\.whl", name)
    if not m:
        return None
    try:
        return Version(m.group(1))
    except InvalidVersion:
        return None

def newest(names, dist):
    found = [(v, n) for n in names if (v := wheel_version(os.path.basename(n), dist))]
    return max(found)[1] if found else ""

def sha256(path):
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()

def installed(dist):
    try:
        d = metadata.distribution(dist)
    except metadata.PackageNotFoundError:
        return None, None
    try:
        info = json.loads(d.read_text("direct_url.json") or "{}").get("archive_info", {})
    except ValueError:
        info = {}
    return d.version, info.get("hashes", {}).get("sha256")

def unmet(dist):
    for text in metadata.distribution(dist).requires or []:
        req = Requirement(text)
        if req.marker and not req.marker.evaluate({"extra": ""}):
            continue
        try:
            have = metadata.version(req.name)
        except metadata.PackageNotFoundError:
            print(f"{req} (not installed)")
            continue
        if not req.specifier.contains(have, prereleases=True):
            print(f"{req} (found {have})")

def s3_fetch(uri, dest, dist):
    try:
        _s3_fetch(uri, dest, dist)
    except Exception as e:  # one line in the log, not a traceback
        sys.exit(f"{type(e).__name__}: {e}")

def _s3_fetch(uri, dest, dist):
    import boto3
    from botocore.config import Config
    bucket, _, key = uri[len("s3://"):].partition("/")
    s3 = boto3.client("s3", config=Config(connect_timeout=10, read_timeout=30, retries={"max_attempts": 3}))
    if not key.endswith(".whl"):
        pages = s3.get_paginator("list_objects_v2").paginate(Bucket=bucket, Prefix=key)
        key = newest([o["Key"] for p in pages for o in p.get("Contents", [])], dist)
        if not key:
            sys.exit(f"no {dist}-*.whl under {uri}")
    path = os.path.join(dest, os.path.basename(key))
    s3.download_file(bucket, key, path)
    print(path)

cmd, args = sys.argv[1], sys.argv[2:]
if cmd == "newest":
    print(newest(os.listdir(args[0]) if os.path.isdir(args[0]) else [], args[1]))
elif cmd == "state":
    version, digest = installed(args[0])
    print(version or "-", digest or "-", sha256(args[1]))
elif cmd == "unmet":
    unmet(args[0])
elif cmd == "s3":
    s3_fetch(*args)
PY
)

log "start (user $(id -un 2>/dev/null || id -u); python $TI_PYTHON)"
log "note: lifecycle configurations run with the execution role only, without your identity:" \
    "this script cannot tell whether trusted identity propagation works; the panel can"

if [ -n "${SAGEMAKER_RECOVERY_MODE:-}" ]; then
    finish skipped 0 "reason=recovery-mode"
fi
if [ -n "${SAGEMAKER_APP_TYPE:-}" ] && [ "${SAGEMAKER_APP_TYPE}" != "JupyterLab" ]; then
    finish skipped 0 "reason=app-type-${SAGEMAKER_APP_TYPE}"
fi
if ! TI_PYTHON=$(command -v "$TI_PYTHON"); then
    finish failed 1 "reason=no-python"
fi

WORK=$(mktemp -d "${TMPDIR:-/tmp}/trusted-identity.XXXXXX") || finish failed 1 "reason=no-tempdir"
trap 'rm -rf "$WORK"' EXIT

if [ -n "$TI_WHEEL_S3_URI" ]; then
    case "$TI_WHEEL_S3_URI" in
    s3://?*) ;;
    *) finish failed 1 "reason=bad-s3-uri uri=$TI_WHEEL_S3_URI" ;;
    esac
    log "downloading the newest $TI_DIST wheel from $TI_WHEEL_S3_URI"
    if ! run_logged "$S3_TIMEOUT" "$TI_PYTHON" -c "$HELPER" s3 "$TI_WHEEL_S3_URI" "$WORK" "$TI_DIST"; then
        finish failed 1 "reason=s3-download-failed uri=$TI_WHEEL_S3_URI"
    fi
    WHEEL_DIR=$WORK
else
    WHEEL_DIR=$TI_WHEEL_DIR
fi

NAME=$("$TI_PYTHON" -c "$HELPER" newest "$WHEEL_DIR" "$TI_DIST")
if [ -z "$NAME" ]; then
    finish failed 1 "reason=no-wheel dir=$WHEEL_DIR (put ${TI_DIST}-<version>-py3-none-any.whl there)"
fi
WHEEL="$WHEEL_DIR/$NAME"
VERSION=$(echo "$NAME" | cut -d- -f2)

read -r HAVE HAVE_SHA WHEEL_SHA < <("$TI_PYTHON" -c "$HELPER" state "$TI_DIST" "$WHEEL")
if [ "${HAVE_SHA:-}" = "${WHEEL_SHA:-x}" ]; then
    finish unchanged 0 "version=$HAVE wheel=$NAME"
fi
log "installing $NAME (sha256 ${WHEEL_SHA:0:12}; installed now: ${HAVE:--})"

# --isolated: no pip.conf or PIP_* variable from the home changes what happens; --no-user: a
# read-only environment fails instead of installing into ~/.local, which outlives the app.
if ! run_logged "$PIP_TIMEOUT" "$TI_PYTHON" -m pip --isolated install --no-deps --no-index \
    --no-user --force-reinstall --no-input --disable-pip-version-check --no-cache-dir "$WHEEL"; then
    finish failed 1 "reason=pip-failed wheel=$NAME"
fi

UNMET=$("$TI_PYTHON" -c "$HELPER" unmet "$TI_DIST" 2>&1)
if [ -n "$UNMET" ]; then
    while IFS= read -r line; do log "WARNING: requirement not met: $line"; done <<<"$UNMET"
    log "WARNING: the server extension may fail to load; this script never upgrades packages"
    finish installed 1 "version=$VERSION wheel=$NAME unmet=yes"
fi
finish installed 0 "version=$VERSION wheel=$NAME"

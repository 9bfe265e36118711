"""The figures of issue 4 that need no browser. Each returns {ratio, goal, pass, raw, notes}; the
baseline of every ratio is measured in the same run, interleaved with the subject."""

from __future__ import annotations

import gzip
import json
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import zipfile
from collections import Counter
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path
from typing import Any

from .harness import (
    REPO,
    Client,
    emulator,
    figure,
    production_labextension,
    rss_bytes,
    server,
    summary,
)

# ---- 1. warm report vs /api/status -----------------------------------------------------------


def warm_report_vs_status(rounds: int = 3000, log=print) -> dict[str, Any]:
    with emulator() as (emu, workdir), server(emu, workdir) as srv:
        client = srv.client
        report = client.json("GET", "trusted-identity/identity")
        assert report["verdict"] == "propagated", report["summary"]
        identity_bytes = client.timed("GET", "trusted-identity/identity")[2]
        # Warm-up (caches, tornado, the connection), then interleaved pairs in alternating
        # order, so drift and ordering hit both alike.
        _timed_pairs(client, "trusted-identity/identity", "api/status", 300)
        emu.reset_calls()
        subject, baseline = _timed_pairs(client, "trusted-identity/identity", "api/status", rounds)
        aws_calls = emu.calls()["total"]
    s, b = summary(subject), summary(baseline)
    ratio = s["p50_ms"] / b["p50_ms"]
    log(f"    identity p50 {s['p50_ms']} ms, status p50 {b['p50_ms']} ms: {ratio:.2f}")
    return figure(
        ratio,
        1.5,
        {
            "identity": s,
            "status": b,
            "p99_ratio": round(s["p99_ms"] / b["p99_ms"], 3),
            "identity_bytes": identity_bytes,
            "aws_calls_while_measuring": aws_calls,
        },
        f"GET trusted-identity/identity (cached report) vs GET api/status, one keep-alive "
        f"connection from another process, {rounds} interleaved pairs after 300 warm-up pairs. "
        "ratio = p50 ratio. Before the fixes: p50 1.285 vs 0.739 ms (1.74). Fixes: a report is "
        "reused for 2 s (engine.REPORT_REUSE: pollers of one scope share one gathering; forced "
        "checks replace it), Check.to_json no longer deep-copies through dataclasses.asdict, the "
        "server fingerprint is not recomputed, and no ETag (a SHA-1 of every no-store report) is "
        "computed. (A first fix that ran the gathering synchronously from the cache reached 1.44; "
        "it was replaced by the simpler reuse.)",
    )


# ---- 2. cold report with every AWS call delayed by 100 ms --------------------------------------


def _one_delayed_call(emu_env: dict[str, Any]) -> float:
    """Milliseconds of one sts:GetCallerIdentity through botocore against the delayed emulator:
    the slowest single call a report makes, measured the same way the extension calls."""
    code = (
        "import time, botocore.session\n"
        "s = botocore.session.Session()\n"
        "c = s.create_client('sts', region_name='us-east-1')\n"
        "c.get_caller_identity()\n"
        "out = []\n"
        "for _ in range(7):\n"
        "    t = time.perf_counter(); c.get_caller_identity(); out.append(time.perf_counter() - t)\n"
        "print(sorted(out)[3] * 1000)\n"
    )
    from studio_emulator.client import apply_env

    result = subprocess.run(
        [sys.executable, "-c", code],
        env=apply_env(emu_env),
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )
    return float(result.stdout.strip().splitlines()[-1])


def cold_report_vs_slowest_call(runs: int = 15, delay_ms: int = 100, log=print) -> dict[str, Any]:
    # Every check a whole one: no explicit-check rate limit, and CloudTrail asked again
    # (?cloudtrail=1) though it already verified the session (issue 13 keeps that proof).
    traits = {"explicit_check_interval": 0}
    with emulator() as (emu, workdir), server(emu, workdir, traits=traits) as srv:
        client = srv.client
        client.json("GET", "trusted-identity/identity")  # the start-up warm-up is done
        emu.delay(delay_ms)
        client.json("POST", "trusted-identity/identity/check")  # warm tornado and botocore
        single = _one_delayed_call(emu.env)
        cold, durations, counts, verdicts, complete = [], [], [], Counter(), Counter()
        for _ in range(runs):
            time.sleep(0.6)  # LookupEvents is limited to 2 per second; start each run unlimited
            emu.reset_calls()
            started = time.perf_counter()
            status, body = client.request("POST", "trusted-identity/identity/check?cloudtrail=1")
            cold.append((time.perf_counter() - started) * 1000)
            assert status == 200, body[:300]
            report = json.loads(body)
            durations.append(report["duration_ms"])
            verdicts[report["verdict"]] += 1
            complete[report["complete"]] += 1
            counts.append(emu.calls()["counts"])
        emu.delay(0)
    c = summary(cold)
    ratio = c["p50_ms"] / single
    per_check = {op: sorted({n.get(op, 0) for n in counts}) for op in sorted(counts[-1])}
    log(f"    cold p50 {c['p50_ms']} ms vs one delayed call {single:.1f} ms: {ratio:.2f}")
    return figure(
        ratio,
        1.5,
        {
            "cold_check": c,
            "report_duration_ms_p50": sorted(durations)[len(durations) // 2],
            "single_delayed_call_ms": round(single, 2),
            "delay_ms": delay_ms,
            "ratio_vs_nominal_delay": round(c["p50_ms"] / delay_ms, 3),
            "verdicts": dict(verdicts),
            "complete": {str(k): v for k, v in complete.items()},
            "aws_calls_per_check": per_check,
            "before_fix_p50_ms": 462,
        },
        f"POST trusted-identity/identity/check (bypasses every cache: {len(per_check)} AWS "
        f"operations, each asked again on every check) with the emulator delaying every AWS "
        f"operation by {delay_ms} ms; baseline: one sts:GetCallerIdentity through botocore "
        "against the same delayed emulator (median of 7). Before the fix: ~4 sequential round "
        "trips, p50 462 ms. The fix overlaps LookupEvents with GetCallerIdentity for keys STS "
        "already answered for, looks the owner up in the identity store CloudTrail names while "
        "sso:DescribeApplication runs (used only if the stores agree), and runs DescribeUser of "
        "CloudTrail's user alongside GetUserId: 2 round trips. That is the floor: the expected "
        "user is looked up (identitystore:GetUserId) by the SingleSignOnUserValue that "
        "DescribeUserProfile returns, so the check has two dependent calls and ≤ 1.5 is not "
        "reachable without skipping it (or reporting a user not established by this check). "
        "Since issue 8 the emulated metadata of a space app names no user profile, as Studio's "
        "does not: the owner's profile comes from DescribeSpace, one more dependent call "
        "(credentials, DescribeSpace, DescribeUserProfile, GetUserId: ~325 ms), the same before "
        "and after issue 13's call budget (measured in one process: 326 ms on 829da76, 325 ms "
        "after). The explicit check here uses ?cloudtrail=1 and no rate limit, so it still asks "
        "every operation.",
    )


# ---- 5. bundle size --------------------------------------------------------------------------


def _gzip_size(path: Path) -> int:
    return len(gzip.compress(path.read_bytes(), compresslevel=9))


def _static_sizes(static: Path) -> dict[str, Any]:
    files = sorted(p for p in static.rglob("*") if p.is_file() and not p.name.endswith(".map"))
    per_file = {p.relative_to(static).as_posix(): _gzip_size(p) for p in files}
    remote = [size for name, size in per_file.items() if name.startswith("remoteEntry.")]
    return {
        "per_file_gzip_bytes": per_file,
        "files": len(per_file),
        "gzip_bytes": sum(per_file.values()),
        "raw_bytes": sum(p.stat().st_size for p in files),
        "remote_entry_gzip_bytes": sum(remote),
    }


def _wheel_static(package: str, tmp: Path) -> tuple[str, dict[str, Any]]:
    """The labextension static/ sizes of a package's wheel. jupyterlab-git ships its frontend in
    a companion wheel it requires (jupyterlab-git-core): followed when the wheel has none."""
    target = tmp / package
    target.mkdir()
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "download",
            "--no-deps",
            "--only-binary=:all:",
            "-q",
            "-d",
            str(target),
            package,
        ],
        check=True,
        timeout=300,
        stderr=subprocess.DEVNULL,
    )
    wheel = next(target.glob("*.whl"))
    with zipfile.ZipFile(wheel) as zf:
        names = [
            n for n in zf.namelist() if "/share/jupyter/labextensions/" in n and "/static/" in n
        ]
        metadata = next(n for n in zf.namelist() if n.endswith(".dist-info/METADATA"))
        requires = [
            line.split(":", 1)[1].strip()
            for line in zf.read(metadata).decode().splitlines()
            if line.startswith("Requires-Dist:") and "extra ==" not in line
        ]
        zf.extractall(target / "x", names)
    if not names:
        companion = next(r for r in requires if r.lower().startswith(package.lower() + "-"))
        name = companion.split("[")[0].split(">")[0].split("=")[0].split("<")[0].strip()
        inner, sizes = _wheel_static(name, tmp)
        return f"{wheel.name} → {inner}", sizes
    statics = {p.parent for p in (target / "x").rglob("*") if p.parent.name == "static"}
    static = min(statics, key=lambda p: len(p.parts))
    return wheel.name, _static_sizes(static)


def bundle_vs_resource_usage(log=print) -> dict[str, Any]:
    tmp = Path(tempfile.mkdtemp(prefix="ti-bundle-"))
    try:
        ours = _static_sizes(production_labextension(tmp / "ours") / "static")
        others = {}
        for package in ("jupyter-resource-usage", "jupyterlab-git"):
            wheel, sizes = _wheel_static(package, tmp)
            others[package] = {"wheel": wheel, **sizes}
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    base = others["jupyter-resource-usage"]["gzip_bytes"]
    ratio = ours["gzip_bytes"] / base
    log(f"    ours {ours['gzip_bytes']} B gz vs jupyter-resource-usage {base} B gz: {ratio:.2f}")
    return figure(
        ratio,
        0.5,
        {
            "ours": ours,
            **others,
            "ratio_vs_jupyterlab_git": round(
                ours["gzip_bytes"] / others["jupyterlab-git"]["gzip_bytes"], 3
            ),
        },
        "Sum of per-file gzip -9 sizes of every file under the labextension's static/ (source "
        "maps excluded), ours from a production build (jlpm build:labextension, the wheel's own "
        "command) of this checkout's compiled lib/ in a temporary folder, the others from their current PyPI "
        "wheels (jupyterlab-git's frontend is in jupyterlab-git-core, which it requires). Since "
        "issue 9 not all of ours loads at start-up (startup_js_vs_resource_usage): the panel and "
        "what is rarely needed share one lazy chunk. Fixes: tsconfig target ES2018 -> ES2020 "
        "(-0.8 KB); issue 9: no style-loader/css-loader runtime (the sheets are .raw.css text, "
        "minified at build time and added once by src/styleSheet.ts), no style module, one lazy "
        "chunk instead of six, which kept the total at its size before the split; then the "
        "notifications, the copy and download actions and the check icons left start-up for "
        "that chunk (start-up -0.7 KB, total +0.3 KB: what crosses chunks is exported and each "
        "chunk compresses alone). The panel grew since the split (the services section: S3 "
        "Access Grants, Test access, the Identity Center integrations). Not reachable "
        "without dropping features: the code is what issue 3 asks for (panel, sessions, checks, "
        "tracker, status bar, commands, kernel probe, every string through ITranslator), while "
        "jupyter-resource-usage's frontend is a status-bar meter and a small panel; the "
        "module-federation remoteEntry alone is ~4.8 KB.",
    )


# ---- 7. 200 kernels, and the load test -------------------------------------------------------


def _timed_pairs(client: Client, subject: str, baseline: str, rounds: int) -> tuple[list, list]:
    s, b = [], []
    for n in range(rounds):
        pair = (subject, baseline) if n % 2 == 0 else (baseline, subject)
        for path in pair:
            ms, status, _ = client.timed("GET", path)
            assert status == 200, (path, status)
            (s if path == subject else b).append(ms)
    return s, b


def _steady_poll(client: Client, rounds: int) -> dict[str, Any]:
    """The panel's steady-state poll of GET trusted-identity/kernels (If-None-Match: the ETag
    of the previous answer, as src/api.ts sends it) interleaved with GET api/kernels: p50 and
    bytes on the wire of each."""
    status, headers, _, _ = client.exchange("GET", "trusted-identity/kernels")
    assert status == 200, status
    etag = headers.get("etag")
    polls, kernels, poll_bytes, kernel_bytes, statuses = [], [], [], [], Counter()
    for n in range(rounds):
        for which in ("poll", "api") if n % 2 == 0 else ("api", "poll"):
            started = time.perf_counter()
            if which == "poll":
                sent = {"If-None-Match": etag} if etag else {}
                status, headers, _, wire = client.exchange(
                    "GET", "trusted-identity/kernels", headers=sent
                )
                polls.append((time.perf_counter() - started) * 1000)
                poll_bytes.append(wire)
                statuses[status] += 1
                etag = headers.get("etag", etag)
            else:
                status, _, _, wire = client.exchange("GET", "api/kernels")
                assert status == 200, status
                kernels.append((time.perf_counter() - started) * 1000)
                kernel_bytes.append(wire)
    return {
        "poll": summary(polls),
        "api_kernels": summary(kernels),
        "poll_bytes": statistics.median(poll_bytes),
        "api_kernels_bytes": statistics.median(kernel_bytes),
        "poll_statuses": {str(k): v for k, v in statuses.items()},
        "etag": bool(etag),
    }


def _poller(args: tuple[int, str, int, float, float, int]) -> dict[str, Any]:
    """One load process: `threads` clients, each polling kernels then identity every `period`
    seconds until `until` (wall clock)."""
    port, token, threads, period, until, seed = args
    results: dict[str, list[float]] = {"kernels": [], "identity": []}
    errors: Counter[str] = Counter()
    lock = threading.Lock()

    def run(n: int) -> None:
        client = Client(port, token, timeout=60)
        # Spread the clients' phases over one period, as independent panels would be.
        time.sleep(period * ((seed * threads + n) % 50) / 50)
        while time.time() < until:
            started = time.time()
            for name in ("kernels", "identity"):
                try:
                    ms, status, _ = client.timed("GET", f"trusted-identity/{name}")
                except Exception as error:  # counted, never raised: the figure reports them
                    with lock:
                        errors[f"{name}: {type(error).__name__}"] += 1
                    client = Client(port, token, timeout=60)
                    continue
                with lock:
                    if status == 200:
                        results[name].append(ms)
                    else:
                        errors[f"{name}: HTTP {status}"] += 1
            time.sleep(max(0.0, period - (time.time() - started)))
        client.close()

    workers = [threading.Thread(target=run, args=(n,)) for n in range(threads)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()
    return {"results": results, "errors": dict(errors)}


def _load(srv, emu, clients: int, seconds: float, period: float, log=print) -> dict[str, Any]:
    emu.reset_calls()
    processes = 5
    until = time.time() + seconds
    started = time.time()
    rss_samples = []
    with ProcessPoolExecutor(processes) as pool:
        futures = [
            pool.submit(_poller, (srv.port, srv.token, clients // processes, period, until, n))
            for n in range(processes)
        ]
        while not all(f.done() for f in futures):
            rss_samples.append(srv.rss)
            time.sleep(2)
        parts = [f.result() for f in futures]
    elapsed = time.time() - started
    calls = emu.calls()
    latencies: dict[str, list[float]] = {"kernels": [], "identity": []}
    errors: Counter[str] = Counter()
    for part in parts:
        for name, values in part["results"].items():
            latencies[name] += values
        errors.update(part["errors"])
    requests = sum(len(v) for v in latencies.values()) + sum(errors.values())
    counts = calls["counts"]
    result = {
        "clients": clients,
        "seconds": round(elapsed, 1),
        "poll_period_s": period,
        "requests": requests,
        "errors": sum(errors.values()),
        "error_kinds": dict(errors),
        "kernels": summary(latencies["kernels"]) if latencies["kernels"] else None,
        "identity": summary(latencies["identity"]) if latencies["identity"] else None,
        "aws_calls": calls["total"],
        "aws_calls_by_operation": counts,
        "sts_get_caller_identity": counts.get("sts:GetCallerIdentity", 0),
        "server_rss_max_bytes": max(rss_samples) if rss_samples else None,
    }
    log(
        f"    load: {requests} requests, {result['errors']} errors, kernels p99 "
        f"{(result['kernels'] or {}).get('p99_ms')} ms, identity p99 "
        f"{(result['identity'] or {}).get('p99_ms')} ms, AWS calls {calls['total']}"
    )
    return result


def kernels_200(
    count: int = 200,
    rounds: int = 40,
    load_clients: int = 50,
    load_seconds: float = 120.0,
    load_period: float = 10.0,
    log=print,
) -> dict[str, dict[str, Any]]:
    """Figure 7, the load test, the server's RSS and the steady-state kernels poll (all on the
    same 200 kernels)."""
    with emulator() as (emu, workdir):
        with server(emu, workdir, name="with") as srv:
            srv.client.json("GET", "trusted-identity/identity")
            rss_idle_with = _settled_rss(srv)
            started = time.monotonic()
            srv.start_kernels(count, log=log)
            start_with = time.monotonic() - started
            # Every launch check is done and audited before measuring.
            deadline = time.monotonic() + 120
            while time.monotonic() < deadline:
                records = srv.client.json("GET", f"trusted-identity/audit?limit={count + 10}")
                if sum(r["event"] == "kernel_started" for r in records["records"]) >= count:
                    break
                time.sleep(1)
            body = srv.client.json("GET", "trusted-identity/kernels")
            assert len(body["kernels"]) == count, len(body["kernels"])
            verdicts = Counter(k["verdict"] for k in body["kernels"])
            environ_sources = Counter(k["scope"]["environment_source"] for k in body["kernels"])
            _timed_pairs(srv.client, "trusted-identity/kernels", "api/kernels", 5)  # warm-up
            subject, baseline = _timed_pairs(
                srv.client, "trusted-identity/kernels", "api/kernels", rounds
            )
            kernel_bytes = len(srv.client.request("GET", "trusted-identity/kernels")[1])
            _steady_poll(srv.client, 5)  # warm-up
            poll = _steady_poll(srv.client, rounds)
            rss_with = _settled_rss(srv)
            pids = srv.kernel_pids()
            kernel_rss = sum(_rss_or_zero(pid) for pid in pids)
            load = _load(srv, emu, load_clients, load_seconds, load_period, log=log)
            rss_with_after_load = srv.rss
        with server(emu, workdir, name="without", extension=False) as bare:
            bare.client.json("GET", "api/status")
            rss_idle_without = _settled_rss(bare)
            bare.start_kernels(count, log=log)
            _timed_pairs(bare.client, "api/kernels", "api/status", 5)
            bare_kernels, _ = _timed_pairs(bare.client, "api/kernels", "api/status", rounds)
            rss_without = _settled_rss(bare)
    s, b = summary(subject), summary(baseline)
    rss_ratio = rss_with / rss_without
    log(
        f"    kernels p50 {s['p50_ms']} ms (api/kernels {b['p50_ms']} ms); RSS with "
        f"{rss_with / 2**20:.0f} MiB, without {rss_without / 2**20:.0f} MiB: {rss_ratio:.3f}"
    )
    fig7 = figure(
        rss_ratio,
        None,
        {
            "kernels": count,
            "trusted_identity_kernels": s,
            "api_kernels_same_server": b,
            "api_kernels_without_extension": summary(bare_kernels),
            "kernels_p50_ratio_vs_api_kernels": round(s["p50_ms"] / b["p50_ms"], 3),
            "response_bytes": kernel_bytes,
            "server_rss_with_bytes": rss_with,
            "server_rss_without_bytes": rss_without,
            "server_rss_with_after_load_bytes": rss_with_after_load,
            "kernel_processes_rss_bytes": kernel_rss,
            "kernel_processes": len(pids),
            "seconds_to_start_kernels_with_extension": round(start_with, 1),
            "kernels_replaced_never_answered": {"with": srv.replaced, "without": bare.replaced},
            "verdicts": dict(verdicts),
            "environment_sources": dict(environ_sources),
        },
        f"{count} real ipykernel processes started by Jupyter's kernel manager through POST "
        "api/sessions (10 at a time, each batch waited for until every kernel answers "
        "kernel_info). ratio = server RSS with "
        "/ without the extension (same kernels, measured after every launch check); the p50 "
        "of GET trusted-identity/kernels is given with GET api/kernels of the same server as "
        "its baseline. The issue states no goal for this figure. The extra is what idle already "
        "holds (botocore's own modules, ~6.6 MiB imported, its clients and the AWS worker "
        "threads; server_rss_with_vs_without), not per-kernel state (under 1 KB a kernel); "
        f"GET kernels answers {kernel_bytes / 1e6:.1f} MB of JSON for {count} reports.",
    )
    load_goal_ok = load["errors"] == 0 and load["sts_get_caller_identity"] <= 2
    load_fig = {
        "ratio": None,
        "goal": "0 errors; AWS calls bounded (no more than one GetCallerIdentity per credential "
        "rotation or cache period)",
        "pass": load_goal_ok,
        "raw": load,
        "notes": f"{load_clients} concurrent clients (5 processes × {load_clients // 5} threads), "
        f"each polling GET trusted-identity/kernels then GET trusted-identity/identity every "
        f"{load_period:g} s (the panel's refresh interval) for {load_seconds:g} s, while "
        f"{count} kernels run. p99 of each route reported; AWS calls counted at the emulator.",
    }
    idle_ratio = rss_idle_with / rss_idle_without
    rss_fig = figure(
        max(idle_ratio, rss_ratio),
        1.10,
        {
            "idle_ratio": round(idle_ratio, 3),
            "kernels_ratio": round(rss_ratio, 3),
            "idle_with_bytes": rss_idle_with,
            "idle_without_bytes": rss_idle_without,
            "kernels_with_bytes": rss_with,
            "kernels_without_bytes": rss_without,
            "kernels": count,
        },
        f"jupyter server RSS with the extension over without (server extension disabled, same "
        f"binary and configuration), each the median of 5 samples after 3 s of quiet: idle (after "
        f"the first identity report, so the engine's AWS clients exist) {rss_idle_with / 2**20:.1f} "
        f"vs {rss_idle_without / 2**20:.1f} MiB ({idle_ratio:.3f}); with {count} kernels "
        f"(after every launch check) {rss_with / 2**20:.1f} vs {rss_without / 2**20:.1f} MiB "
        f"({rss_ratio:.3f}). ratio = the larger. What the extension holds (tracemalloc and "
        "pymalloc statistics in a server started like this one): at idle botocore's modules "
        "(~6 MB), its 11 clients (~1.7 MB, most of it each client's copy of botocore's event "
        "hooks) and the models, endpoint rulesets and endpoints they keep (~0.7 MB, read by "
        "service_models.CompactJSONFileLoader: ~2.3 MB as botocore reads them), our own modules "
        "(~1.7 MB) and the AWS worker threads' malloc arenas; per kernel under 1 KB (its launch, "
        "its environment as a delta). With kernels, what counted was the high-water mark of GET "
        "kernels, which the server's memory keeps: 200 gatherings in flight at once (~6.5 MB, "
        "now 16 at a time), 200 reports with their own copies of equal parts (~5.5 MB, now "
        "shared: engine/sharing.py) and the answer held as text and as bytes (now one buffer).",
    )
    p50_ratio = poll["poll"]["p50_ms"] / poll["api_kernels"]["p50_ms"]
    bytes_ratio = poll["poll_bytes"] / poll["api_kernels_bytes"]
    poll_fig = figure(
        max(p50_ratio, bytes_ratio),
        3,
        {**poll, "p50_ratio": round(p50_ratio, 3), "bytes_ratio": round(bytes_ratio, 3)},
        f"the panel's steady-state poll of GET trusted-identity/kernels at {count} kernels (with "
        f"If-None-Match: the previous answer's ETag, as the frontend sends it; answers "
        f"{poll['poll_statuses']}) vs GET api/kernels of the same server, {rounds} interleaved "
        f"pairs on one keep-alive connection: p50 {poll['poll']['p50_ms']} vs "
        f"{poll['api_kernels']['p50_ms']} ms ({p50_ratio:.3f}), bytes on the wire "
        f"{poll['poll_bytes']:.0f} vs {poll['api_kernels_bytes']:.0f} ({bytes_ratio:.3f}). "
        f"ratio = the larger. A full answer (a kernel changed) is {kernel_bytes} bytes, "
        f"p50 {s['p50_ms']} ms.",
    )
    return {
        "kernels_200": fig7,
        "load_50_clients_200_kernels": load_fig,
        "server_rss_with_vs_without": rss_fig,
        "kernels_poll_vs_api_kernels": poll_fig,
    }


def _settled_rss(srv: Any, settle: float = 3.0, samples: int = 5) -> int:
    """The server's RSS once what a request started has settled: the median of a few samples."""
    time.sleep(settle)
    values = []
    for _ in range(samples):
        values.append(srv.rss)
        time.sleep(0.4)
    return int(statistics.median(values))


def _rss_or_zero(pid: int) -> int:
    try:
        return rss_bytes(pid)
    except (OSError, RuntimeError):
        return 0


# ---- 8. the engine's AWS clients: bundled trimmed models vs botocore's full models ---------------

# One fresh process per measurement: imports the engine, then builds the engine's five clients
# (AwsAccess._client, as a report does) and prints the RSS growth and the time it took. "full"
# gives the engine's session botocore's own models (what it used before the bundled ones);
# "first_client" builds one client of a small service no report uses (sso, the portal API) on
# the engine's session instead: what any first client costs (botocore's endpoint and partition
# data, modules imported on first use), whatever models it parses with.
_CLIENTS_PROBE = """
import gc, json, logging, sys, time
from concurrent.futures import ThreadPoolExecutor
from jupyterlab_trusted_identity.engine import service_models
from jupyterlab_trusted_identity.engine.aws import AwsAccess
from jupyterlab_trusted_identity.engine.credentials import ResolvedCredentials

def rss():
    with open("/proc/self/status") as f:
        return next(int(l.split()[1]) * 1024 for l in f if l.startswith("VmRSS:"))

if sys.argv[1] == "full":
    service_models.attach = lambda session: {s: (None, False) for s in service_models.OPERATIONS}
aws = AwsAccess(timeout=5, executor=ThreadPoolExecutor(1), log=logging.getLogger("probe"))
creds = ResolvedCredentials(
    source="probe", access_key_id="AKIAIOSFODNN7EXAMPLE", secret_access_key="not-a-secret"
)
gc.collect()
before = rss()
started = time.perf_counter()
if sys.argv[1] == "first_client":
    with aws._lock:
        aws._botocore_session().create_client(
            "sso", region_name="us-east-1", aws_access_key_id="A", aws_secret_access_key="B"
        )
else:
    for service in service_models.OPERATIONS:
        aws._client(service, "us-east-1", creds)
elapsed = time.perf_counter() - started
gc.collect()
sources = aws.model_sources()["services"]
print(json.dumps({"rss_growth_bytes": rss() - before, "ms": elapsed * 1000,
                  "bundled": all(s["bundled"] for s in sources.values()) and sys.argv[1] != "full"}))
"""


def _clients_probe(mode: str) -> dict[str, Any]:
    result = subprocess.run(
        [sys.executable, "-c", _CLIENTS_PROBE, mode],
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )
    return json.loads(result.stdout.strip().splitlines()[-1])


def _model_files(root: Path, services: dict[str, Any]) -> dict[str, int]:
    """Bytes on disk of each service's service-2 file under a botocore data folder."""
    sizes = {}
    for service, info in services.items():
        folder = root / service / info["api_version"]
        sizes[service] = sum(p.stat().st_size for p in folder.glob("service-2.json*"))
    return sizes


def service_models_memory(runs: int = 9, log=print) -> dict[str, Any]:
    import botocore

    from jupyterlab_trusted_identity.engine import service_models

    modes = ("trimmed", "full", "first_client")
    samples: dict[str, list[dict[str, Any]]] = {mode: [] for mode in modes}
    for n in range(runs):  # interleaved, order rotating: drift hits every mode alike
        for mode in modes[n % 3 :] + modes[: n % 3]:
            samples[mode].append(_clients_probe(mode))
    assert all(s["bundled"] for s in samples["trimmed"]), "the probe did not use bundled models"
    assert not any(s["bundled"] for s in samples["full"]), "the baseline used bundled models"

    def median(mode: str, key: str) -> float:
        return statistics.median(s[key] for s in samples[mode])

    trimmed, full = median("trimmed", "rss_growth_bytes"), median("full", "rss_growth_bytes")
    first = median("first_client", "rss_growth_bytes")
    ratio = trimmed / full
    services = service_models.provenance()["services"]
    builtin = Path(botocore.__file__).resolve().parent / "data"
    mib = 2**20
    log(
        f"    RSS growth of the engine's 5 clients: {trimmed / mib:.1f} MiB with the bundled "
        f"models, {full / mib:.1f} MiB with botocore's: {ratio:.3f}; a first client alone "
        f"{first / mib:.1f} MiB"
    )
    return figure(
        ratio,
        None,
        {
            "runs": runs,
            "botocore": botocore.__version__,
            "rss_growth_bytes": {"trimmed": trimmed, "full": full, "first_client": first},
            "rss_beyond_first_client_bytes": {"trimmed": trimmed - first, "full": full - first},
            "ratio_beyond_first_client": round((trimmed - first) / (full - first), 3),
            "create_clients_ms": {
                "trimmed": round(median("trimmed", "ms"), 1),
                "full": round(median("full", "ms"), 1),
                "first_client": round(median("first_client", "ms"), 1),
            },
            "samples": samples,
            "model_json_bytes": {
                "trimmed": {s: i["bytes"] for s, i in services.items()},
                "full_compact": {s: i["full_model_json_bytes"] for s, i in services.items()},
            },
            "model_file_bytes_on_disk": {
                "trimmed": _model_files(service_models.MODELS_DIR, services),
                "full_botocore": _model_files(builtin, services),
            },
        },
        f"RSS growth of one process while AwsAccess builds the engine's five clients (sts, "
        f"sagemaker, sso-admin, identitystore, cloudtrail), after the engine is imported; each "
        f"measurement in a fresh process, {runs} of each, interleaved; medians. Subject: the "
        "engine's session with the bundled models (engine/models/, trimmed to the operations it "
        "calls, from botocore 1.44.8). Baseline: the same code with botocore's full models (as "
        "before the bundled models). Both include what any first client costs (endpoint and "
        "partition data, botocore modules imported on first use): measured alone as one "
        "client of a small unrelated service (sso) on the same session, and subtracted in "
        "ratio_beyond_first_client, the part the models decide. The issue states no goal.",
    )

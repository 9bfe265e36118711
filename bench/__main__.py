"""`python -m bench [--only NAME ...] [--quick]`: runs the benchmarks of issue 4 against real
processes (the Studio emulator and `jupyter server`) and writes bench/results.json and
bench/results.md. Figures not run keep their previous results. Figures 3, 4 and 6 drive
JupyterLab in Chromium (bench/browser.py, bench/ui/).
"""

from __future__ import annotations

import argparse
import json
import platform
import sys
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from . import browser, figures, fleet

HERE = Path(__file__).resolve().parent
ORDER = [
    "warm_report_vs_status",
    "cold_report_vs_slowest_call",
    "aws_calls_20_vs_1_notebooks",
    "kernel_idle_to_ui_ms",
    "bundle_vs_resource_usage",
    "lab_load_with_vs_without",
    "kernels_200",
    "load_50_clients_200_kernels",
    "service_models_memory",
    "startup_js_vs_resource_usage",
    "server_rss_with_vs_without",
    "kernels_poll_vs_api_kernels",
    "aws_calls_per_space_hour",
    "fleet_projection",
]
# The figures one run of figures.kernels_200 measures (on the same 200 kernels).
KERNELS_200 = (
    "kernels_200",
    "load_50_clients_200_kernels",
    "server_rss_with_vs_without",
    "kernels_poll_vs_api_kernels",
)
# Issue 4 numbers its figures 1-7; the others are named.
LABELS = {
    "startup_js_vs_resource_usage": "structure",
    "server_rss_with_vs_without": "structure",
    "kernels_poll_vs_api_kernels": "structure",
    "load_50_clients_200_kernels": "load",
    "service_models_memory": "models",
    "aws_calls_per_space_hour": "fleet",
    "fleet_projection": "fleet",
}


def run(only: set[str], quick: bool) -> dict[str, Any]:
    path = HERE / "results.json"
    results: dict[str, Any] = json.loads(path.read_text()) if path.exists() else {}
    results.pop("_meta", None)

    def wanted(name: str) -> bool:
        return not only or name in only

    def step(name: str, fn, *args, **kwargs):
        print(f"==> {name}", flush=True)
        started = time.monotonic()
        try:
            value = fn(*args, **kwargs)
        except Exception as error:  # one failing figure must not lose the others
            import traceback

            traceback.print_exc()
            print(f"    FAILED: {error!r}", flush=True)
            value = {"ratio": None, "goal": None, "pass": False, "raw": {}, "notes": repr(error)}
        print(f"    ({time.monotonic() - started:.0f} s)", flush=True)
        return value

    if wanted("warm_report_vs_status"):
        results["warm_report_vs_status"] = step(
            "warm_report_vs_status", figures.warm_report_vs_status, 1000 if quick else 3000
        )
    if wanted("cold_report_vs_slowest_call"):
        results["cold_report_vs_slowest_call"] = step(
            "cold_report_vs_slowest_call", figures.cold_report_vs_slowest_call, 7 if quick else 15
        )
    if wanted("aws_calls_20_vs_1_notebooks"):
        results["aws_calls_20_vs_1_notebooks"] = step(
            "aws_calls_20_vs_1_notebooks",
            browser.aws_calls_20_vs_1_notebooks,
            **({"window_seconds": 60, "notebooks": 5, "cache_ttl": 25} if quick else {}),
        )
    if wanted("kernel_idle_to_ui_ms"):
        results["kernel_idle_to_ui_ms"] = step(
            "kernel_idle_to_ui_ms",
            browser.kernel_idle_to_ui_ms,
            **({"samples": 5} if quick else {}),
        )
    if wanted("lab_load_with_vs_without"):
        # Not below 20 loads: fewer are noise on these machines.
        results["lab_load_with_vs_without"] = step(
            "lab_load_with_vs_without",
            browser.lab_load_with_vs_without,
            **({"loads": 20} if quick else {}),
        )
    if wanted("bundle_vs_resource_usage"):
        results["bundle_vs_resource_usage"] = step(
            "bundle_vs_resource_usage", figures.bundle_vs_resource_usage
        )
    if any(wanted(name) for name in KERNELS_200):
        kwargs = {"count": 40, "rounds": 10, "load_seconds": 20} if quick else {}
        found = step("kernels_200 + load + rss + poll", figures.kernels_200, **kwargs)
        for name in KERNELS_200:
            # A failed step is one figure-shaped dict: every figure of the run gets it.
            results[name] = found if "ratio" in found else found[name]
    if wanted("startup_js_vs_resource_usage"):
        results["startup_js_vs_resource_usage"] = step(
            "startup_js_vs_resource_usage", browser.startup_js_vs_resource_usage
        )
    if wanted("service_models_memory"):
        results["service_models_memory"] = step(
            "service_models_memory", figures.service_models_memory, 5 if quick else 9
        )
    if wanted("aws_calls_per_space_hour") or wanted("fleet_projection"):
        pair = step("aws_calls_per_space_hour + fleet_projection", fleet.aws_calls_per_space_hour)
        if isinstance(pair, tuple):
            results["aws_calls_per_space_hour"], results["fleet_projection"] = pair
        else:
            results["aws_calls_per_space_hour"] = results["fleet_projection"] = pair
    ordered = {name: results[name] for name in ORDER if name in results}
    ordered["_meta"] = {
        "generated_at": datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
        "python": sys.version.split()[0],
        "machine": f"{platform.machine()}, {_cores()} cores",
        "quick": quick,
    }
    path.write_text(json.dumps(ordered, indent=2) + "\n")
    (HERE / "results.md").write_text(markdown(ordered))
    return ordered


def _cores() -> int:
    import os

    return len(os.sched_getaffinity(0))


def _fmt(value: Any) -> str:
    if value is None:
        return "—"
    if isinstance(value, bool):
        return "yes" if value else "**no**"
    return str(value)


def markdown(results: dict[str, Any]) -> str:
    meta = results.get("_meta", {})
    lines = [
        "# Benchmarks (issue 4)",
        "",
        f"`make bench` on {meta.get('machine')}, Python {meta.get('python')}, "
        f"{meta.get('generated_at')}{' (quick run)' if meta.get('quick') else ''}. Every ratio "
        "is against a baseline measured in the same run; raw numbers are in "
        "[`results.json`](results.json).",
        "",
        "| # | figure | ratio | goal | pass | raw |",
        "| --- | --- | --- | --- | --- | --- |",
    ]
    for n, name in enumerate(ORDER, 1):
        fig = results.get(name)
        if fig is None:
            continue
        label = LABELS.get(name, str(n))
        lines.append(
            f"| {label} | `{name}` | {_fmt(fig['ratio'])} | {_fmt(fig['goal'])} | "
            f"{_fmt(fig['pass'])} | {_raw_line(name, fig['raw'])} |"
        )
    lines += _fleet_table(results.get("fleet_projection"), results.get("aws_calls_per_space_hour"))
    lines += ["", "## Notes", ""]
    for name in ORDER:
        if name in results:
            lines.append(f"- `{name}`: {results[name]['notes']}")
    return "\n".join(lines) + "\n"


def _fleet_table(projection: dict[str, Any] | None, calls: dict[str, Any] | None) -> list[str]:
    """Issue 13's per-API table: one space's day, and the fleet against the quotas."""
    apis = ((projection or {}).get("raw") or {}).get("apis")
    if not apis:
        return []
    before = ((calls or {}).get("raw") or {}).get("before_per_space_hour_829da76") or {}
    lines = [
        "",
        "## AWS calls of the fleet (issue 13)",
        "",
        "| API | calls per space-hour (before: 829da76) | 1,000 spaces: avg/s (share of quota) "
        "| 10,000 spaces: avg/s (share) | 10,000 spaces: peak second (share) | quota/s |",
        "| --- | --- | --- | --- | --- | --- |",
    ]
    for api, row in apis.items():
        lines.append(
            f"| `{api}` | {row['per_space_hour']} ({before.get(api, '—')}) | "
            f"{row['average_per_second_1000']} "
            f"({row['average_share_1000']:.1%}) | {row['average_per_second_10000']} "
            f"({row['average_share_10000']:.1%}) | {row['peak_second_10000']} "
            f"({row['peak_share_10000']:.0%}) | {row['quota_per_second']:g} ({row['quota_source']}) |"
        )
    return lines


def _raw_line(name: str, raw: dict[str, Any]) -> str:
    if not raw:
        return ""
    try:
        if name == "warm_report_vs_status":
            i, s = raw["identity"], raw["status"]
            return (
                f"identity p50 {i['p50_ms']} / p99 {i['p99_ms']} ms; status p50 {s['p50_ms']} / "
                f"p99 {s['p99_ms']} ms; p99 ratio {raw['p99_ratio']}"
            )
        if name == "cold_report_vs_slowest_call":
            c = raw["cold_check"]
            return (
                f"cold check p50 {c['p50_ms']} / p99 {c['p99_ms']} ms; one delayed call "
                f"{raw['single_delayed_call_ms']} ms; vs {raw['delay_ms']} ms: "
                f"{raw['ratio_vs_nominal_delay']}; before the fix p50 {raw['before_fix_p50_ms']} ms"
            )
        if name == "bundle_vs_resource_usage":
            o, r, g = raw["ours"], raw["jupyter-resource-usage"], raw["jupyterlab-git"]
            return (
                f"ours {o['gzip_bytes']} B gz; jupyter-resource-usage {r['gzip_bytes']} B gz; "
                f"jupyterlab-git {g['gzip_bytes']} B gz (ours/git {raw['ratio_vs_jupyterlab_git']})"
            )
        if name == "kernels_200":
            k, a = raw["trusted_identity_kernels"], raw["api_kernels_same_server"]
            mib = 2**20
            return (
                f"{raw['kernels']} kernels: GET kernels p50 {k['p50_ms']} ms (api/kernels "
                f"{a['p50_ms']} ms); server RSS {raw['server_rss_with_bytes'] / mib:.0f} MiB with, "
                f"{raw['server_rss_without_bytes'] / mib:.0f} MiB without"
            )
        if name == "startup_js_vs_resource_usage":
            return (
                f"start-up {raw['startup_gzip_bytes']} B gz in {len(raw['startup_files'])} files; "
                f"panel chunk(s) {raw['panel_gzip_bytes']} B gz on first show; "
                f"jupyter-resource-usage {raw['jupyter_resource_usage_gzip_bytes']} B gz"
            )
        if name == "server_rss_with_vs_without":
            mib = 2**20
            return (
                f"idle {raw['idle_with_bytes'] / mib:.1f} vs {raw['idle_without_bytes'] / mib:.1f} "
                f"MiB ({raw['idle_ratio']}); {raw['kernels']} kernels "
                f"{raw['kernels_with_bytes'] / mib:.1f} vs {raw['kernels_without_bytes'] / mib:.1f} "
                f"MiB ({raw['kernels_ratio']})"
            )
        if name == "kernels_poll_vs_api_kernels":
            return (
                f"poll p50 {raw['poll']['p50_ms']} ms, {raw['poll_bytes']:.0f} B "
                f"({raw['poll_statuses']}); api/kernels p50 {raw['api_kernels']['p50_ms']} ms, "
                f"{raw['api_kernels_bytes']:.0f} B"
            )
        if name == "load_50_clients_200_kernels":
            k, i = raw["kernels"] or {}, raw["identity"] or {}
            return (
                f"{raw['requests']} requests in {raw['seconds']} s, {raw['errors']} errors; "
                f"kernels p50 {k.get('p50_ms')} / p99 {k.get('p99_ms')} ms; identity p50 "
                f"{i.get('p50_ms')} / p99 {i.get('p99_ms')} ms; AWS calls {raw['aws_calls']} "
                f"(GetCallerIdentity {raw['sts_get_caller_identity']})"
            )
        if name == "service_models_memory":
            rss, ms = raw["rss_growth_bytes"], raw["create_clients_ms"]
            mib = 2**20
            return (
                f"5 clients: RSS +{rss['trimmed'] / mib:.1f} MiB bundled models, "
                f"+{rss['full'] / mib:.1f} MiB botocore {raw['botocore']}'s (a first client "
                f"alone +{rss['first_client'] / mib:.1f} MiB; beyond it "
                f"{raw['ratio_beyond_first_client']}); built in {ms['trimmed']} vs "
                f"{ms['full']} ms"
            )
        if name == "aws_calls_20_vs_1_notebooks":
            one, many = raw["phases"]["window_1"], raw["phases"]["window_n"]
            return f"AWS calls in 2 min: 1 notebook {one['aws_calls']}, many {many['aws_calls']}"
        if name == "kernel_idle_to_ui_ms":
            return (
                f"idle → verdict shown median {raw['idle_to_verdict_ms']['median']} ms; "
                f"ratio to the page's own GET kernels/{{id}} {raw['ratio_to_get_kernel_report']}"
            )
        if name == "lab_load_with_vs_without":
            return (
                f"restored median {raw['restored_ms_with']['median']} ms with, "
                f"{raw['restored_ms_without']['median']} ms without; 95% CI {raw['ratio_ci95']}"
            )
        if name == "aws_calls_per_space_hour":
            per = raw["per_space_hour"]
            busiest = max((v, k) for k, v in per.items() if k != "cloudtrail:LookupEvents")
            return (
                f"{sum(raw['per_day'].values())} AWS calls in a day; busiest {busiest[1]} "
                f"{busiest[0]}/space-hour; LookupEvents {per.get('cloudtrail:LookupEvents', 0)}"
                f"/space-hour ({raw['lookup_events_share_of_quota_at_10000']:.0%} of its quota at "
                f"10,000 spaces); same counts at a 60 s refresh: "
                f"{'yes' if raw['independent_of_refresh'] else 'no'}"
            )
        if name == "fleet_projection":
            lookup = raw["apis"].get("cloudtrail:LookupEvents", {})
            return (
                f"LookupEvents at 10,000 spaces: {lookup.get('average_per_second_10000')}/s "
                f"average, {lookup.get('peak_second_10000')} in the peak second (table below)"
            )
    except (KeyError, TypeError, ValueError):
        pass
    return json.dumps(raw)[:200]


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__)
    parser.add_argument("--only", action="append", default=[], choices=ORDER)
    parser.add_argument("--quick", action="store_true", help="fewer rounds, 40 kernels")
    args = parser.parse_args()
    started = time.monotonic()
    results = run(set(args.only), args.quick)
    failed = [n for n, f in results.items() if n != "_meta" and f.get("pass") is False]
    print(f"bench: {time.monotonic() - started:.0f} s; results in bench/results.md")
    if failed:
        print(f"bench: goals missed: {', '.join(failed)}")


if __name__ == "__main__":
    main()

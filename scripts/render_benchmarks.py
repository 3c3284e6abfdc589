#!/usr/bin/env python3
"""Renders BENCHMARKS.md from criterion's results in target/criterion (one run)."""
import json
import pathlib
import platform
import subprocess

ROOT = pathlib.Path(__file__).resolve().parent.parent
CRITERION = ROOT / "target" / "criterion"


def median_ns(group, case):
    path = CRITERION / group / case / "new" / "estimates.json"
    if not path.exists():
        return None
    return json.loads(path.read_text())["median"]["point_estimate"]


def fmt(ns):
    if ns is None:
        return "–"
    if ns >= 1e6:
        return f"{ns / 1e6:.2f} ms"
    if ns >= 1e3:
        return f"{ns / 1e3:.2f} µs"
    return f"{ns:.1f} ns"


def ratio(a, b):
    if a is None or b is None or b == 0:
        return None
    return a / b


def cpu_name():
    try:
        for line in open("/proc/cpuinfo"):
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown CPU"


def git_commit():
    try:
        return subprocess.check_output(["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, text=True).strip()
    except (OSError, subprocess.CalledProcessError):
        return "unknown"


groups = sorted(p.name for p in CRITERION.iterdir() if p.is_dir() and p.name != "report") if CRITERION.exists() else []
m = lambda g, c: median_ns(g, c)

out = []
out.append("# Benchmarks\n")
out.append(f"All figures come from one run of `scripts/bench.sh` on one machine ({cpu_name()}, "
           f"{subprocess.check_output(['nproc'], text=True).strip()} cores, commit {git_commit()}), "
           "medians from criterion. Absolute times vary between machines and with load on this "
           "shared one; the ratios, measured side by side in one run, are the figures to steer by. "
           "Refresh with `scripts/bench.sh` (about 5 minutes).\n")

# Ratios that matter.
spawn = {c: m("runtime_spawn", c) for c in ["bare_engine", "open", "factory", "factory_calllog"]}
per_call = lambda c: (m("js_calls_native_x1000", c) or 0) / 1000 or None
loop_only = per_call("js_loop_only")
glob, mod = per_call("global_function"), per_call("module_export")
targets = [
    ("factory.new_runtime() / bare engine", ratio(spawn["factory"], spawn["bare_engine"]), "≤ 1.10"),
    ("open() / factory.new_runtime()", ratio(spawn["open"], spawn["factory"]), "≥ 1.00"),
    ("factory with call log / factory", ratio(spawn["factory_calllog"], spawn["factory"]), "≤ 1.20"),
    ("module-export call / plain rquickjs function call (loop included)", ratio(mod, glob), "≤ 1.30"),
    ("module-export call / plain rquickjs function call (JS loop subtracted)",
     ratio(mod - loop_only, glob - loop_only) if None not in (mod, glob, loop_only) else None, "≤ 1.30"),
    ("logged module-export call / unlogged (JS → native)",
     ratio(per_call("module_export_logged"), mod), "(report)"),
    ("logged Runtime::call / unlogged (native → JS)",
     ratio(m("native_calls_js", "call_with_logger"), m("native_calls_js", "call_without_logger")), "(report)"),
    ("fresh runtime + run(program) / fresh runtime + eval(source), 4,096 lines",
     ratio(m("js_loading", "fresh_runtime_program_4096"), m("js_loading", "fresh_runtime_source_4096")), "≤ 0.50"),
    ("cold require of a two-file tree (2 × 40 functions), cache warm / no cache",
     ratio(m("require", "cold_new_runtime_lib_cache_warm"), m("require", "cold_new_runtime_lib_no_cache")), "≤ 0.50"),
    ("cold require of a tiny two-file tree (2 one-liners), cache warm / no cache",
     ratio(m("require", "cold_new_runtime_tiny_cache_warm"), m("require", "cold_new_runtime_tiny_no_cache")), "(report)"),
]
hi = lambda c: m("heap_image", c)
targets += [
    ("heap images: factory.new_runtime() / bare engine (drop not timed)",
     ratio(hi("image_new_runtime"), hi("bare_engine")), "≤ 0.10"),
    ("heap images: new_runtime() + drop (slot restored) / bare engine create + drop",
     ratio(hi("image"), hi("bare_engine")), "(report)"),
    ("heap images: spawn + tiny script + drop / Go toolkit spawn + execute (33.2 µs)",
     ratio(hi("image_tiny"), 33.2e3), "≤ 1.00"),
    ("heap images: spawn + allocation-heavy script + drop / Go toolkit spawn and discard (545 µs)",
     ratio(hi("image_alloc_heavy"), 545e3), "≤ 0.30"),
    ("heap images: spawn with a preloaded 300 KiB bundle / spawn + eval of the bundle's source",
     ratio(hi("image_preloaded_bundle"), hi("bundle_from_source")), "≤ 0.05"),
]
ev = lambda c: m("esm_vs_commonjs", c)
if (CRITERION / "esm_vs_commonjs").exists():
    for tree, label in [("lib", "two-file tree (2 × 40 functions)"), ("tiny", "tiny two-file tree")]:
        for cache, when in [("cache_warm", "cache warm"), ("no_cache", "no cache")]:
            targets.append((f"fresh runtime importing a {label} as ES modules / requiring it as CommonJS, {when}",
                            ratio(ev(f"esm_{tree}_{cache}"), ev(f"commonjs_{tree}_{cache}")), "≤ 1.20"))
out.append("## Ratios\n")
out.append("| ratio | measured | target |")
out.append("|---|---:|---|")
for name, value, target in targets:
    shown = '–' if value is None else (f'{value:.3f}×' if value < 0.1 else f'{value:.2f}×')
    out.append(f"| {name} | {shown} | {target} |")
def spawn_rate(threads, name="factory"):
    path = CRITERION / f"spawn_threads_{threads}.json"
    if not path.exists():
        return None
    rows = {row["name"]: row for row in json.loads(path.read_text())}
    return rows.get(name, {}).get("runtimes_per_second")


scaling = ratio(spawn_rate(2), spawn_rate(1))
warm = m("require", "warm_reused_runtime")
out.append(f"| warm `require()` of a cached module | {fmt(warm)} | ≤ 2 µs |")
out.append(f"| factory spawn throughput, 2 threads / 1 thread (`jsbox bench --threads`) | "
           f"{'–' if scaling is None else f'{scaling:.2f}×'} | ≥ 1.80 |")
out.append("")

reference = {
    ("runtime_spawn", "bare_engine"): "0.96 µs (goja VM, lazy globals)",
    ("runtime_spawn", "factory"): "21.8 µs",
    ("spawn_execute", "source"): "33.2 µs",
    ("require", "cold_new_runtime_tiny_no_cache"): "108.7 µs (incl. spawn)",
    ("require", "warm_reused_runtime"): "2.2 µs",
    ("cpu_bound", "fib25"): "85.8 ms",
    ("gc_sensitivity", "spawn_and_discard_alloc_heavy"): "545 µs (its own script)",
    ("heap_image", "image"): "21.8 µs (wired runtime)",
    ("heap_image", "image_tiny"): "33.2 µs (spawn + execute)",
    ("heap_image", "image_alloc_heavy"): "545 µs (its own script)",
}
out.append("## All cases (medians)\n")
out.append("The right column is the Go toolkit jsbox re-implements (built on the goja engine), "
           "measured on this kind of machine (a 2-core AMD EPYC VM, one core, medians), where a case "
           "corresponds.\n")
for group in groups:
    cases = sorted(p.name for p in (CRITERION / group).iterdir() if p.is_dir() and p.name != "report")
    out.append(f"### {group}\n")
    out.append("| case | median | Go toolkit |")
    out.append("|---|---:|---|")
    for case in cases:
        out.append(f"| {case} | {fmt(m(group, case))} | {reference.get((group, case), '')} |")
    out.append("")

side = CRITERION / "node_side_by_side.txt"
if side.exists():
    import re
    rows = []
    for line in side.read_text().splitlines():
        found = re.match(r"^(\S+)/(\S+): ([\d.]+) (µs|ms)", line)
        if not found:
            continue
        group, case, node_us = found.group(1), found.group(2), float(found.group(3))
        if found.group(4) == "ms":
            node_us *= 1000
        if not (CRITERION / group / case).exists():
            continue
        ours = m(group, case)
        rows.append((f"{group}/{case}", fmt(ours), f"{node_us:.1f} µs", ratio(ours, node_us * 1e3)))
    if rows:
        out.append("### Node APIs beside Node 20\n")
        out.append("The same work timed in Node 20 by `scripts/node_*_bench.js` in the same run.\n")
        out.append("| case | jsbox | Node 20 | jsbox / Node |")
        out.append("|---|---:|---:|---:|")
        for row in rows:
            out.append("| " + " | ".join(row) + " |")
        out.append("")

memory = CRITERION / "memory.json"
if memory.exists():
    data = json.loads(memory.read_text())
    out.append("### memory per runtime\n")
    out.append(f"Resident memory grows by **{data['resident_bytes_per_runtime'] / 1024:.0f} KiB** per live runtime "
               f"over {data['runtimes']} runtimes held at once (engine heap: "
               f"{data['engine_heap_bytes_per_runtime'] / 1024:.0f} KiB); the Go toolkit reports 11.4 KiB of "
               "allocations for its lazily built VM.\n")

notes = ROOT / "scripts" / "benchmark_notes.md"
if notes.exists():
    out.append(notes.read_text())
print("\n".join(out))

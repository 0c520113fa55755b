"""Benchmark dualnum against plain-float baselines; prints a table of time ratios.

    python benchmarks/run.py [--quick] [--only W1,W3] [--markdown] [--json PATH]

--json PATH also writes the results, with the machine and the versions, to
PATH (the documentation's performance page draws its table and chart from it).

Exits with status 1 if any workload gives a wrong result or raises.
"""

import argparse
import datetime
import json
import os
import platform
import subprocess
import sys
import time
import traceback
from importlib import metadata

import numpy as np

import dualnum as dn
import timing
import workloads

DEFAULT = timing.Settings(rounds=51, min_rounds=5, target=0.05, budget=15.0)
QUICK = timing.Settings(rounds=5, min_rounds=3, target=0.02, budget=5.0)

COLUMNS = (
    "workload", "size", "baseline", "baseline/call", "dualnum/call", "ratio",
    "round ratios IQR", "min–max", "rounds", "peers: fastdual / num-dual / JAX jit",
)


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="few short rounds, for CI smoke runs")
    parser.add_argument("--only", metavar="W1,W3", help="comma-separated workloads to run")
    parser.add_argument("--markdown", action="store_true", help="print a markdown table")
    parser.add_argument("--json", metavar="PATH", help="also write the results to PATH as JSON")
    args = parser.parse_args()
    available = sorted({entry.workload for entry in workloads.ENTRIES})
    if args.only:
        args.only = {name.strip().upper() for name in args.only.split(",") if name.strip()}
        unknown = args.only - set(available)
        if unknown:
            parser.error(f"not in this version: {', '.join(sorted(unknown))} "
                         f"(available: {', '.join(available)})")
    else:
        args.only = set(available)
    return args


def dualnum_version():
    version = getattr(dn, "__version__", None)
    if version is None:
        try:
            version = metadata.version("cydualnum")
        except metadata.PackageNotFoundError:
            version = "unknown"
    # The core's file shows whether the compiled extension is the one in use.
    core = getattr(getattr(dn, "_core", None), "__file__", None) or "no compiled core found"
    return f"{version} ({os.path.dirname(dn.__file__ or '?')}, core {os.path.basename(core)})"


def cpu_description():
    count = os.cpu_count()
    usable = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else count
    model = platform.processor()
    try:
        with open("/proc/cpuinfo") as cpuinfo:
            model = next(line.split(":", 1)[1].strip() for line in cpuinfo
                         if line.startswith("model name"))
    except (OSError, StopIteration):
        pass
    return f"{count} CPUs ({usable} usable){', ' + model if model else ''}"


def format_time(seconds):
    for unit, scale in (("s", 1), ("ms", 1e-3), ("µs", 1e-6)):
        if seconds >= scale:
            return f"{seconds / scale:.3g} {unit}"
    return f"{seconds / 1e-9:.3g} ns"


def row(entry, comparison):
    q1, q3 = comparison.round_ratio_quartiles
    ratios = comparison.round_ratios
    return (
        entry.workload, entry.size, entry.baseline,
        format_time(comparison.baseline_median), format_time(comparison.candidate_median),
        f"{comparison.ratio:.3g}", f"{q1:.3g}–{q3:.3g}", f"{min(ratios):.3g}–{max(ratios):.3g}",
        str(comparison.rounds), entry.peers,
    )


def json_record(entry, comparison):
    """One row of --json: the same figures as the table, as numbers (seconds per call)."""
    record = {"workload": entry.workload, "size": entry.size, "baseline": entry.baseline,
              "peers": entry.peers}
    if comparison is None:
        return {**record, "failed": True}
    q1, q3 = comparison.round_ratio_quartiles
    return {**record, "failed": False,
            "baseline_seconds": comparison.baseline_median,
            "dualnum_seconds": comparison.candidate_median,
            "ratio": comparison.ratio, "ratio_iqr": [q1, q3],
            "ratio_min_max": [min(comparison.round_ratios), max(comparison.round_ratios)],
            "rounds": comparison.rounds}


def source_commit():
    """The git commit of the checkout this script is in, if it is one (for --json)."""
    try:
        return subprocess.run(["git", "rev-parse", "HEAD"], cwd=os.path.dirname(os.path.abspath(__file__)),
                              capture_output=True, text=True, check=True).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        return None


def write_json(path, records, settings):
    document = {
        "date": datetime.datetime.now(datetime.timezone.utc).isoformat(timespec="seconds"),
        "commit": source_commit(),
        "python": platform.python_version(), "numpy": np.__version__, "dualnum": dualnum_version(),
        "machine": cpu_description(), "rounds": settings.rounds, "rows": records,
    }
    with open(path, "w", encoding="utf-8") as file:
        json.dump(document, file, indent=1, ensure_ascii=False)
        file.write("\n")


def failed_row(entry):
    return (entry.workload, entry.size, entry.baseline, "", "", "FAILED", "", "", "", entry.peers)


def render(rows, markdown):
    if markdown:
        lines = ["| " + " | ".join(COLUMNS) + " |", "|" + "|".join("---" for _ in COLUMNS) + "|"]
        lines += ["| " + " | ".join(r) + " |" for r in rows]
        return "\n".join(lines)
    widths = [max(len(r[i]) for r in (COLUMNS, *rows)) for i in range(len(COLUMNS))]
    def line(cells):
        return "  ".join(cell.ljust(width) for cell, width in zip(cells, widths)).rstrip()
    return "\n".join([line(COLUMNS), line(["-" * w for w in widths]), *map(line, rows)])


def main():
    args = parse_args()
    settings = QUICK if args.quick else DEFAULT
    started = time.perf_counter()

    print(f"Python {platform.python_version()}, numpy {np.__version__}, dualnum {dualnum_version()}")
    print(f"Machine: {cpu_description()}")
    print(f"Method: after a warm-up, {settings.rounds} interleaved rounds (baseline batch, dualnum "
          f"batch) of ~{settings.target * 1e3:.0f} ms each, fewer past a {settings.budget:.0f} s "
          f"budget per row; ratio = median(dualnum) / median(baseline); gc off while timing.")
    print(flush=True)  # the header before the progress lines on stderr

    rows, records, failures = [], [], []
    for entry in (e for e in workloads.ENTRIES if e.workload in args.only):
        label = f"{entry.workload} {entry.size}"
        print(f"running {label} ...", end=" ", file=sys.stderr, flush=True)
        entry_started = time.perf_counter()
        try:
            case = entry.build()
            case.check()  # time only correct results
            comparison = timing.compare(case.baseline, case.dualnum, settings)
        except Exception as error:  # report every failing row, then exit non-zero
            print("FAILED", file=sys.stderr)
            traceback.print_exc()
            failures.append(f"{label}: {type(error).__name__}: {error}")
            rows.append(failed_row(entry))
            records.append(json_record(entry, None))
            continue
        print(f"{time.perf_counter() - entry_started:.1f} s", file=sys.stderr)
        rows.append(row(entry, comparison))
        records.append(json_record(entry, comparison))

    print(render(rows, args.markdown))
    print()
    print(f"Total time: {time.perf_counter() - started:.1f} s")
    if args.json:  # written after the timing, so it cannot disturb it
        write_json(args.json, records, settings)
    if failures:
        print("FAILED (wrong result or error; tracebacks on stderr):")
        print("\n".join(f"  {failure}" for failure in failures))
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())

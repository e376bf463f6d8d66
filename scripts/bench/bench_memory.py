"""Memory benchmark: peak RSS of the ns-3 process and of the Python process.

Each case runs in a fresh Python subprocess (so cases do not pollute each other's peak): it
builds the cell, runs the lockstep loop with the cell's periodic traffic at 1 ms steps, reads
the ns-3 child's peak RSS (``VmHWM`` in ``/proc/<pid>/status``) before closing it, and reports
its own peak RSS (``getrusage`` ``ru_maxrss``). Cases: the cell of the default experiment
(``twin/configs/default.yaml``) and the generic star cell with 100 control stations (100-byte VO
packets every 10 ms each way) and 2 best-effort stations (1500 bytes every 2 ms), 102 stations.
Only flows with a period carry traffic here (flows driven by robot models in ``fabtwin run``
stay silent).

Target (issue 2): ns-3 + Python peak RSS under 1 GiB together at 100 stations; the ratio
reported is total / 1 GiB (target <= 1).

Run: ``.venv/bin/python scripts/bench/bench_memory.py [--quick] [--duration-s 0.5]``
"""

from __future__ import annotations

import argparse
import json
import resource
import subprocess
import sys
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from _common import (
    GIB,
    MIB,
    NS_PER_S,
    BenchResult,
    Ratio,
    case_cell,
    describe_cell,
    finish,
    make_parser,
    peak_rss_bytes,
    print_table,
)

from twin.config import BridgeConfig
from twin.cosim import CoSimulation
from twin.traffic import PeriodicTraffic

NAME = "bench_memory"
TARGET = 1.0
STEP_NS = 1_000_000
SEED = 1


def measure_child(n_stations: int | None, duration_ns: int) -> dict[str, Any]:
    """Runs one case in this (fresh) process and returns its peak RSS figures.

    Args:
        n_stations: Control stations of the large cell; ``None`` for the default cell.
        duration_ns: Simulated time of the lockstep run.
    """
    cell = case_cell(n_stations)
    bridge = BridgeConfig(timeout_s=3600.0)
    t0 = time.perf_counter()
    with CoSimulation(cell, seed=SEED, bridge=bridge) as sim:
        build_s = time.perf_counter() - t0
        pid = sim.ns3.pid
        assert pid is not None
        traffic = PeriodicTraffic(cell)
        delivered = 0
        t1 = time.perf_counter()
        for until in range(STEP_NS, duration_ns + 1, STEP_NS):
            flow, size, send = traffic.window(until)
            if len(flow):
                sim.send_many(flow, size, send)
            delivered += len(sim.step_ns(until).report.deliveries)
        run_s = time.perf_counter() - t1
        ns3_peak = peak_rss_bytes(pid)
    python_peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024  # KiB on Linux
    return {
        "stations": len(cell.nodes) - 1,
        "flows": len(cell.flows),
        "build_s": build_s,
        "run_s": run_s,
        "packets_sent": int(len(PeriodicTraffic(cell).window(duration_ns)[0])),
        "delivered": delivered,
        "ns3_peak_rss_bytes": ns3_peak,
        "python_peak_rss_bytes": python_peak,
        "total_peak_rss_bytes": ns3_peak + python_peak,
    }


def run_case(n_stations: int | None, duration_s: float) -> dict[str, Any]:
    """Runs :func:`measure_child` in a fresh Python process; returns its figures."""
    argv = [sys.executable, str(Path(__file__).resolve()), "--child", f"--duration-s={duration_s}"]
    if n_stations is not None:
        argv.append(f"--stations={n_stations}")
    proc = subprocess.run(argv, capture_output=True, text=True, timeout=7200, check=False)
    if proc.returncode != 0:
        raise RuntimeError(f"case {n_stations} failed ({proc.returncode}):\n{proc.stderr[-3000:]}")
    figures: dict[str, Any] = json.loads(proc.stdout.strip().splitlines()[-1])
    return figures


def parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    parser = make_parser(NAME, __doc__.split("\n")[0])
    parser.add_argument(
        "--duration-s", type=float, help="simulated time per case; default 0.5 (quick 0.02)"
    )
    parser.add_argument(
        "--large", type=int, help="control stations of the large case; default 100 (quick 20)"
    )
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--stations", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    args.duration_s = args.duration_s or (0.02 if args.quick else 0.5)
    args.large = args.large or (20 if args.quick else 100)
    return args


def main(argv: Sequence[str] | None = None) -> int:
    args = parse_args(argv)
    duration_ns = round(args.duration_s * NS_PER_S)
    if args.child:
        print(json.dumps(measure_child(args.stations, duration_ns)))
        return 0
    cases: dict[str, int | None] = {"default": None, f"{args.large}sta": args.large}
    figures = {}
    for name, n in cases.items():
        print(f"case {name}: running in a fresh process ...", flush=True)
        figures[name] = run_case(n, args.duration_s)
    large = figures[f"{args.large}sta"]
    result = BenchResult(
        NAME,
        {
            "default_cell": {
                "config": "twin/configs/default.yaml",
                **describe_cell(case_cell(None)),
            },
            "large_cell": {
                "template": "star",
                "n_best_effort": 2,
                **describe_cell(case_cell(args.large)),
            },
            "duration_s": args.duration_s,
            "step_s": STEP_NS / NS_PER_S,
            "seed": SEED,
            "quick": args.quick,
        },
        ratios=[
            Ratio(
                f"total_peak_rss_over_1gib_{args.large}sta",
                large["total_peak_rss_bytes"] / GIB,
                TARGET,
                False,
                f"(ns-3 + Python peak RSS) / 1 GiB, star cell with {args.large} control "
                "stations + 2 best-effort",
            )
        ],
        results=figures,
        repetitions=figures,
    )
    print_table(
        ["case", "stations", "build s", "ns-3 MiB", "Python MiB", "total MiB"],
        [
            (
                name,
                f["stations"],
                f["build_s"],
                f["ns3_peak_rss_bytes"] / MIB,
                f["python_peak_rss_bytes"] / MIB,
                f["total_peak_rss_bytes"] / MIB,
            )
            for name, f in figures.items()
        ],
    )
    finish(result, args.out)
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""Reset benchmark: in-process reset of ns-3 next to a relaunch (issue 2, part 6).

``Ns3Process.reset`` while ns-3 is alive rebuilds the topology inside the running process
(``Simulator::Destroy``, a new cell, association warm-up); the fallback is a relaunch
(``close()`` then ``start()``: a new process that loads ns-3's libraries and builds the cell).
Before every timed reset or relaunch a short episode runs (the cell's periodic traffic at 1 ms
steps), so there is simulator state to tear down. Resets and relaunches alternate; the ratio is
the median of per-repetition ratios reset / relaunch. The ns-3 process's resident memory after
each in-process reset is recorded too (it must not grow from episode to episode).

Cases: the cell of the default experiment (``twin/configs/default.yaml``) and the generic star
cell with 50 control stations and 2 best-effort stations. Target (ours; the issue asks to
measure it): reset / relaunch <= 1.

Run: ``.venv/bin/python scripts/bench/bench_reset.py [--quick]``
"""

from __future__ import annotations

import argparse
import sys
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import numpy as np
from _common import (
    MIB,
    BenchResult,
    Ratio,
    alternate,
    case_cell,
    describe_cell,
    finish,
    make_parser,
    median,
    paired_ratios,
    print_table,
)

from twin.bridge import protocol as P
from twin.bridge.ns3_process import Ns3Process
from twin.config import CellConfig
from twin.traffic import PeriodicTraffic

NAME = "bench_reset"
TARGET = 1.0
STEP_NS = 1_000_000
SEED = 1


def rss_bytes(pid: int) -> int:
    """Current resident set size (``VmRSS``) of a running process, in bytes."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) * 1024
    raise RuntimeError(f"/proc/{pid}/status has no VmRSS line")


class Episodes:
    """Short episodes, in-process resets and relaunches on one ``Ns3Process``.

    Args:
        cell: The cell, rebuilt by every reset and relaunch.
        episode_steps: 1 ms steps of periodic traffic before each timed operation.
        timeout_s: Limit on every request, building included.
    """

    def __init__(self, cell: CellConfig, episode_steps: int, timeout_s: float) -> None:
        self.cell = cell
        self.description = cell.to_ns3_json(SEED)
        self.episode_steps = episode_steps
        self.ns3 = Ns3Process(timeout_s=timeout_s)
        self.first_start_s = self._timed(lambda: self.ns3.start(self.description))
        self.build_wall_ms: dict[str, list[float]] = {"reset": [], "relaunch": []}
        self.rss_after_reset: list[int] = []

    def _timed(self, op: Callable[[], dict[str, Any]]) -> float:
        t0 = time.perf_counter()
        op()
        return time.perf_counter() - t0

    def episode(self) -> None:
        """Runs ``episode_steps`` lockstep steps with the cell's periodic traffic (not timed)."""
        traffic = PeriodicTraffic(self.cell)
        seq = 0
        for k in range(1, self.episode_steps + 1):
            flow, size, send = traffic.window(k * STEP_NS)
            tx = np.zeros(len(flow), P.TX_REQUEST_DTYPE)
            tx["flow"], tx["size_bytes"], tx["send_time_ns"] = flow, size, send
            tx["seq"] = np.arange(seq, seq + len(flow), dtype=np.uint32)
            seq += len(flow)
            self.ns3.advance(k * STEP_NS, None, tx)

    def reset(self) -> float:
        """One episode, then a timed in-process reset; returns its wall time (s)."""
        self.episode()
        assert self.ns3.alive
        launches = self.ns3.launches
        wall = self._timed(lambda: self.ns3.reset(self.description))
        if self.ns3.launches != launches:
            raise RuntimeError("Ns3Process.reset relaunched ns-3 instead of resetting in-process")
        self.build_wall_ms["reset"].append(float(self.ns3.info.get("build_wall_ms", 0.0)))
        assert self.ns3.pid is not None
        self.rss_after_reset.append(rss_bytes(self.ns3.pid))
        return wall

    def relaunch(self) -> float:
        """One episode, then a timed ``close()`` + ``start()``; returns its wall time (s)."""
        self.episode()

        def op() -> dict[str, Any]:
            self.ns3.close()
            return self.ns3.start(self.description)

        wall = self._timed(op)
        self.build_wall_ms["relaunch"].append(float(self.ns3.info.get("build_wall_ms", 0.0)))
        return wall

    def close(self) -> None:
        """Stops ns-3."""
        self.ns3.close()


def measure_case(
    name: str, n_stations: int | None, reps: int, episode_steps: int
) -> dict[str, Any]:
    """Alternates resets and relaunches of one cell; returns times and memory."""
    cell = case_cell(n_stations)
    print(f"case {name}: {len(cell.nodes) - 1} stations ...", flush=True)
    runner = Episodes(cell, episode_steps, timeout_s=3600.0)
    try:
        walls = alternate(reps, {"reset": runner.reset, "relaunch": runner.relaunch})
    finally:
        runner.close()
    overhead = {
        kind: [w - b / 1e3 for w, b in zip(walls[kind], runner.build_wall_ms[kind], strict=True)]
        for kind in walls
    }
    return {
        "stations": len(cell.nodes) - 1,
        "first_start_s": runner.first_start_s,
        "wall_s": walls,
        "build_wall_ms": runner.build_wall_ms,
        "outside_build_s": overhead,
        "ratio": paired_ratios(walls["reset"], walls["relaunch"]),
        "ratio_outside_build": paired_ratios(overhead["reset"], overhead["relaunch"]),
        "ns3_rss_after_reset_mib": [r / MIB for r in runner.rss_after_reset],
    }


def case_ratios(name: str, figures: dict[str, Any]) -> list[Ratio]:
    """The headline ratio of a case and the one without the (identical) cell building."""
    n = figures["stations"]
    return [
        Ratio(
            f"reset_over_relaunch_{name}",
            median(figures["ratio"]),
            TARGET,
            False,
            f"in-process reset time / relaunch time, {n} stations",
        ),
        Ratio(
            f"reset_over_relaunch_outside_build_{name}",
            median(figures["ratio_outside_build"]),
            TARGET,
            False,
            f"the same less the cell build ns-3 reports (build_wall_ms), {n} stations",
        ),
    ]


def parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    parser = make_parser(NAME, __doc__.split("\n")[0])
    parser.add_argument("--reps", type=int, help="resets and relaunches each; default 5 (quick 2)")
    parser.add_argument(
        "--large", type=int, help="control stations of the large case; default 50 (quick 5)"
    )
    parser.add_argument(
        "--episode-steps", type=int, help="1 ms steps before each reset; default 100 (quick 10)"
    )
    args = parser.parse_args(argv)
    args.reps = args.reps or (2 if args.quick else 5)
    args.large = args.large or (5 if args.quick else 50)
    args.episode_steps = args.episode_steps or (10 if args.quick else 100)
    return args


def main(argv: Sequence[str] | None = None) -> int:
    args = parse_args(argv)
    cases: dict[str, int | None] = {"default": None, f"{args.large}sta": args.large}
    figures = {
        name: measure_case(name, n, args.reps, args.episode_steps) for name, n in cases.items()
    }
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
            "reps": args.reps,
            "episode_steps": args.episode_steps,
            "seed": SEED,
            "quick": args.quick,
        },
        ratios=[r for name, f in figures.items() for r in case_ratios(name, f)],
        results={
            name: {
                "stations": f["stations"],
                "reset_s": median(f["wall_s"]["reset"]),
                "relaunch_s": median(f["wall_s"]["relaunch"]),
                "reset_outside_build_s": median(f["outside_build_s"]["reset"]),
                "relaunch_outside_build_s": median(f["outside_build_s"]["relaunch"]),
                "build_wall_ms": median(
                    f["build_wall_ms"]["reset"] + f["build_wall_ms"]["relaunch"]
                ),
                "ns3_rss_after_reset_mib": f["ns3_rss_after_reset_mib"],
            }
            for name, f in figures.items()
        },
        repetitions=figures,
    )
    print_table(
        ["case", "stations", "reset s", "relaunch s", "build ms", "relaunch - build s"],
        [
            (
                name,
                r["stations"],
                r["reset_s"],
                r["relaunch_s"],
                r["build_wall_ms"],
                r["relaunch_outside_build_s"],
            )
            for name, r in result.results.items()
        ],
    )
    finish(result, args.out)
    return 0


if __name__ == "__main__":
    sys.exit(main())

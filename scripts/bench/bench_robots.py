"""Wall time per control step of the robots models: vectorized fleets vs per-object loops.

For arms (controller sampling + servo tick + integration), AGVs (pure pursuit + kinematics) and
LQR plants (control + step), at 1, 10, 100 and 1000 devices, time one control step of the
vectorized fleet and of a Python loop over one-device objects doing the same work, and report
the ratio. Writes JSON with machine info.

    python scripts/bench/bench_robots.py [--out bench-results/robots.json] [--quick]
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Protocol

import numpy as np
import scipy

from robots.agv import AgvConfig, AgvFleet, FloorPlan
from robots.arm_controller import ArmMotionController, Waypoint
from robots.arm_fleet import ArmFleet, ServoConfig
from robots.plants import INVERTED_PENDULUM, PlantBatch

DT_S = 0.004


def time_per_step(step: Callable[[], None], budget_s: float) -> float:
    """Best-of-three mean wall time of ``step`` (each batch runs about budget_s / 3)."""
    t0 = time.perf_counter()
    step()
    one = max(time.perf_counter() - t0, 1e-7)
    reps = max(1, int(budget_s / 3 / one))
    best = np.inf
    for _ in range(3):
        t0 = time.perf_counter()
        for _ in range(reps):
            step()
        best = min(best, (time.perf_counter() - t0) / reps)
    return float(best)


class ArmBench:
    """n arms with a plan each: sample the plan, tick the servos, integrate."""

    def __init__(self, n: int, seed: int) -> None:
        rng = np.random.default_rng(seed)
        q0 = rng.uniform(-1, 1, (n, 6))
        goals = rng.uniform(-1, 1, (n, 6))
        self.ctl = ArmMotionController(q0, np.ones(6), np.full(6, 2.0), DT_S)
        for i in range(n):
            self.ctl.plan(i, 0.0, q0[i], [Waypoint(tuple(goals[i]), 0.5)])
        self.fleet = ArmFleet(q0, ServoConfig(survival_time_s=1e9, max_age_s=1e9))
        self.k = 0
        self.n = n

    def step(self) -> None:
        """One control step."""
        self.k += 1
        t = self.k * DT_S
        q, qd = self.ctl.reference_times(np.array([t, t + DT_S]))
        a_ff = (qd[1] - qd[0]) / DT_S
        sp = np.concatenate([q[0], qd[0], a_ff, np.full((self.n, 1), t)], axis=1)
        idx = np.arange(self.n)
        self.fleet.receive(idx, np.full(self.n, self.k), sp, np.full(self.n, t), np.full(self.n, t))
        self.fleet.tick(t)
        self.fleet.integrate(DT_S)


class AgvBench:
    """n AGVs following shortest paths on a grid floor plan."""

    def __init__(self, n: int, seed: int) -> None:
        rng = np.random.default_rng(seed)
        fp = FloorPlan.grid(5, 4, 5.0)
        starts = rng.integers(0, 20, n)
        goals = (starts + rng.integers(1, 20, n)) % 20
        pose0 = np.zeros((n, 3))
        pose0[:, :2] = fp.xy[starts]
        self.fleet = AgvFleet(pose0, AgvConfig(), max_path_points=21)
        for i in range(n):
            self.fleet.set_path(i, fp.path(int(starts[i]), int(goals[i])))
        self.limit = np.full(n, 1.5)
        self.stopped = np.zeros(n, dtype=bool)

    def step(self) -> None:
        """One control step."""
        self.fleet.step(0.02, self.limit, self.stopped)


class PlantBench:
    """n inverted pendulums under LQR with process noise."""

    def __init__(self, n: int, seed: int) -> None:
        self.rng = np.random.default_rng(seed)
        self.batch = PlantBatch.from_plant(INVERTED_PENDULUM, n)
        self.n = n

    def step(self) -> None:
        """One control step."""
        u = self.batch.control(self.batch.x)
        self.batch.step(u, 1e-4 * self.rng.standard_normal((self.n, 4)))


class Bench(Protocol):
    """What a benchmarked model offers."""

    def step(self) -> None:
        """One control step."""


KINDS: dict[str, Callable[[int, int], Bench]] = {
    "arms": ArmBench,
    "agvs": AgvBench,
    "plants": PlantBench,
}


def machine_info() -> dict[str, object]:
    """Platform, CPU count and library versions."""
    return {
        "platform": platform.platform(),
        "processor": platform.processor() or platform.machine(),
        "cpu_count": os.cpu_count(),
        "python": sys.version.split()[0],
        "numpy": np.__version__,
        "scipy": scipy.__version__,
    }


def run(sizes: list[int], budget_s: float) -> list[dict[str, float | int | str]]:
    """Measure every kind at every size."""
    rows: list[dict[str, float | int | str]] = []
    for kind, cls in KINDS.items():
        for n in sizes:
            vec = cls(n, 0)
            objs = [cls(1, i) for i in range(n)]

            def loop(objs: list[Bench] = objs) -> None:
                for o in objs:
                    o.step()

            t_vec = time_per_step(vec.step, budget_s)
            t_loop = time_per_step(loop, budget_s)
            rows.append(
                {
                    "kind": kind,
                    "devices": n,
                    "vectorized_s_per_step": t_vec,
                    "per_object_loop_s_per_step": t_loop,
                    "speedup": t_loop / t_vec,
                }
            )
            print(
                f"{kind:7s} n={n:5d}  vectorized {t_vec * 1e6:10.1f} us/step  "
                f"loop {t_loop * 1e6:12.1f} us/step  speedup {t_loop / t_vec:8.1f}x",
                flush=True,
            )
    return rows


def main(argv: list[str] | None = None) -> int:
    """Entry point."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--out", type=Path, default=Path("bench-results/robots.json"))
    parser.add_argument(
        "--quick", action="store_true", help="smoke test: 1 and 10 devices, tiny budget"
    )
    args = parser.parse_args(argv)
    sizes = [1, 10] if args.quick else [1, 10, 100, 1000]
    budget = 0.03 if args.quick else 0.6
    t0 = time.perf_counter()
    rows = run(sizes, budget)
    result = {
        "benchmark": "robots control step, vectorized vs per-object loop",
        "control_period_s": DT_S,
        "quick": args.quick,
        "machine": machine_info(),
        "results": rows,
        "wall_s": time.perf_counter() - t0,
    }
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")
    print(f"wrote {args.out} ({result['wall_s']:.1f} s)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

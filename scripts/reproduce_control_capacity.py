#!/usr/bin/env python3
r"""Reproduce Eisen et al.'s control-aware 802.11ax scheduling capacity (issue 8, part 1).

How many inverted pendulums and ball boards one 20 MHz 802.11ax uplink keeps stable at tau_max
0.5, 1 and 1.5 ms, for the fixed-PDR 0.99 baseline and the control-aware scheduler, over ns-3's
UL OFDMA with the twin's MU schedule (logic: ``agents.control_capacity``, report:
``agents.capacity_report``). Writes a run directory with report.md, the PNGs, episodes.csv,
capacity.csv, config.yaml, versions.json and summary.json.

Modes:
    --quick   minutes: 9, 18 and 36 plants, 1 seed, 1 s per run, noise margin 6 (the CI smoke test
              uses it, with --plants to keep it short).
    --full    the paper's run lengths: 1000 s per run, 100 seeds, plant counts up to 72, noise
              margins 4, 6 and 10 (a sensitivity sweep); days on 2 cores (docs/results.md).
    Any field can be overridden: --set duration_s=10 --set "seeds=[1,2]".

Example:
    .venv/bin/python scripts/reproduce_control_capacity.py --quick --out results/capacity
"""

from __future__ import annotations

import sys
import time
from typing import Any

from agents.capacity_report import conclusion_holds, write_report
from agents.control_capacity import CapacityConfig, capacities, episodes, run_study
from agents.study_cli import finish_study, start_study
from twin.results import write_versions

QUICK: dict[str, Any] = {"n_plants": [9, 18, 36], "seeds": [1], "duration_s": 1.0}
FULL: dict[str, Any] = {
    "n_plants": [9, 12, 18, 24, 27, 36, 45, 54, 63, 72],
    "seeds": list(range(1, 101)),
    "duration_s": 1000.0,
    "noise_margin": [4.0, 6.0, 10.0],
}


def main(argv: list[str] | None = None) -> int:
    run = start_study(
        __doc__,
        argv,
        CapacityConfig,
        {"quick": QUICK, "full": FULL},
        "results/control-capacity",
        "capacity",
        lambda c: c.seeds[0],
    )
    cfg: CapacityConfig = run.config
    mode_name, run_dir, plain, command = run.mode, run.run_dir, run.plain, run.command
    n_runs = len(list(episodes(cfg)))
    cycles = n_runs * round(cfg.duration_s / cfg.period_s)
    print(
        f"{mode_name} mode: {n_runs} runs, {cycles} control cycles (about 25-60 ms of CPU each "
        f"on the 2-core reference machine); writing {run_dir}",
        flush=True,
    )
    ns3_info: dict[str, Any] = {}
    t0 = time.perf_counter()
    failed: list[dict[str, Any]] = []
    rows = run_study(cfg, progress=print, on_cell=ns3_info.update, failures=failed)
    wall_s = time.perf_counter() - t0
    write_versions(run_dir, ns3_info)
    caps = capacities(rows)
    summary: dict[str, Any] = {
        "status": "ok",
        "mode": mode_name,
        "seed": cfg.seeds[0],
        "wall_s": wall_s,
        "episodes": len(rows),
        "command": command,
        "capacity": caps,
        "conclusion": conclusion_holds(caps),
        "failed_cells": failed,
    }
    report = write_report(run_dir, plain, rows, caps, summary)
    return finish_study(run_dir, report, summary)


if __name__ == "__main__":
    sys.exit(main())

#!/usr/bin/env python3
r"""Reproduce NIST's wireless-TSN workcell finding (issue 8, part 2).

The machine-tending workcell (a PLC, an edge arm controller at the AP, two arms, four machining
stations) over four networks: fully wired; Wi-Fi; Wi-Fi shared with best-effort stations; the
same with 802.1AS + 802.1Qbv configured to the arms' time budget (WTSN). Several seeds each
(logic: ``agents.wtsn_workcell``, report: ``agents.wtsn_report``). Writes a run directory with
report.md, the PNGs, runs.csv, pooled.csv, each configuration's experiment YAML, config.yaml,
versions.json and summary.json.

Modes:
    --quick   a few minutes: the fast workcell (``nist_workcell_fast``: NIST layout, 4 ms control
              period, fast arms, 0.2 s machining), one part per run, seeds 1 and 2, 100 Mbit/s of
              best effort from two stations (the CI smoke test uses one seed).
    --full    3 parts per run, seeds 1-5, and the best-effort sweep 1, 10, 30, 100 Mbit/s
              (Intel's demo range) for Wi-Fi+BE and WTSN (docs/results.md says how long).
    Any field can be overridden: --set "seeds=[1,2,3]" --set be_mbps=30 --set n_parts=2.

Example:
    .venv/bin/python scripts/reproduce_wtsn_workcell.py --quick --out results/wtsn-workcell
"""

from __future__ import annotations

import sys
import time
from typing import Any

from agents.study_cli import finish_study, start_study
from agents.wtsn_report import write_report
from agents.wtsn_workcell import WtsnStudyConfig, episodes, run_study
from twin.results import write_versions

QUICK: dict[str, Any] = {"seeds": [1, 2], "n_parts": 1, "max_s": 20.0}
FULL: dict[str, Any] = {
    "seeds": [1, 2, 3, 4, 5],
    "n_parts": 3,
    "max_s": 60.0,
    "sweep_be_mbps": [1.0, 10.0, 30.0, 100.0],
}


def main(argv: list[str] | None = None) -> int:
    run = start_study(
        __doc__,
        argv,
        WtsnStudyConfig,
        {"quick": QUICK, "full": FULL},
        "results/wtsn-workcell",
        "wtsn",
        lambda c: c.seeds[0],
    )
    study: WtsnStudyConfig = run.config
    mode_name, run_dir, plain, command = run.mode, run.run_dir, run.plain, run.command
    n_runs = len(list(episodes(study)))
    print(f"{mode_name} mode: {n_runs} runs; writing {run_dir}", flush=True)
    t0 = time.perf_counter()
    result = run_study(study, progress=lambda s: print(s, flush=True))
    wall_s = time.perf_counter() - t0
    infos = [o.info for o in result.outcomes]
    info = next((i for i in infos if i.get("tsn")), infos[0] if infos else {})
    write_versions(run_dir, info)
    summary: dict[str, Any] = {
        "status": "ok",
        "mode": mode_name,
        "seed": study.seeds[0],
        "seeds": list(study.seeds),
        "wall_s": wall_s,
        "runs": n_runs,
        "failed_runs": [list(f) for f in result.failures],
        "command": command,
        "control_period_ms": study.control_period_ns() / 1e6,
        "tsn_schedule": {k: v for k, v in (info.get("tsn") or {}).items() if k != "gcls"},
    }
    report, table, verdict = write_report(run_dir, plain, result, summary)
    summary["pooled"] = table
    summary["verdict"] = verdict
    return finish_study(run_dir, report, summary)


if __name__ == "__main__":
    sys.exit(main())

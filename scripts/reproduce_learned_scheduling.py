#!/usr/bin/env python3
r"""Reproduce Eisen et al.'s learned control-aware scheduling against round robin (issue 8, part 3).

20 switched scalar plants, 5 sensors per cycle (the paper's 5 channels), tau_max 0.5 ms, over
ns-3's 802.11ax UL OFDMA (``fabtwin/ControlScheduling-v1``): trains PPO with a shared per-device
scoring network, then evaluates it, round robin and the greedy ``largest_estimate`` rule on
held-out seeds (logic: ``agents.learned_scheduling``). Writes a run directory with report.md,
the PNGs (training curve, cost per step, latency CDF), steps.csv, episodes.csv,
comparison.csv, the training run (training/), config.yaml, versions.json and summary.json.

Modes:
    --quick   minutes: 6 plants, 3 per cycle (about the load at which the plants can just be kept
              near their ideal cost, where scheduling matters most), 3000 PPO steps with one
              worker, 3 held-out seeds of 100 cycles (the CI smoke test).
    --full    the documented run: 20 plants, 5 per cycle, 8000 PPO steps with two workers,
              5 held-out seeds of 200 cycles (15 min on the quiet 2-core machine, about an
              hour under load; docs/results.md).
    Any field can be overridden: --set train_timesteps=20000 --set "eval_seeds=[1,2]";
    --set policy=runs/x/best_model.zip evaluates a saved model instead of training.

Example:
    .venv/bin/python scripts/reproduce_learned_scheduling.py --quick --out results/learned
"""

from __future__ import annotations

import sys
import time
from pathlib import Path
from typing import Any

from agents.evaluation import write_outputs
from agents.learned_scheduling import (
    ENV_ID,
    LearnedSchedulingConfig,
    evaluate_study,
    finding_holds,
    learned_label,
    outcome_rows,
    train_policy,
)
from agents.learned_scheduling_report import write_report
from agents.study_cli import finish_study, start_study

QUICK: dict[str, Any] = {
    "n_plants": 6,
    "channels": 3,
    "horizon_steps": 100,
    "train_timesteps": 3000,
    "n_envs": 1,
    "eval_seeds": [100001, 100002, 100003],
    "hyperparameters": ["algo.n_steps=100", "algo.batch_size=50", "eval.freq=100000"],
}
FULL: dict[str, Any] = {}


def main(argv: list[str] | None = None) -> int:
    run = start_study(
        __doc__,
        argv,
        LearnedSchedulingConfig,
        {"quick": QUICK, "full": FULL},
        "results/learned-scheduling",
        "learned",
        lambda c: c.train_seed,
    )
    cfg: LearnedSchedulingConfig = run.config
    mode_name, run_dir, plain, command = run.mode, run.run_dir, run.plain, run.command
    print(f"{mode_name} mode: {cfg.n_plants} plants, {cfg.channels} per cycle; writing {run_dir}")
    t0 = time.perf_counter()
    if cfg.policy:
        policy = Path(cfg.policy)
        print(f"evaluating {policy} (no training)", flush=True)
    else:
        print(f"training PPO for {cfg.train_timesteps} steps -> {run_dir / 'training'}", flush=True)
        policy = train_policy(cfg, run_dir / "training")
    train_s = time.perf_counter() - t0
    n_eval = (len(cfg.baselines) + 1) * len(cfg.eval_seeds)
    print(f"evaluating {n_eval} episodes of {cfg.horizon_steps} cycles", flush=True)
    episodes = evaluate_study(cfg, policy)
    eval_s = time.perf_counter() - t0 - train_s
    write_outputs(episodes, run_dir, ENV_ID, reference="round_robin")
    rows = outcome_rows(episodes)
    learned = learned_label(episodes, cfg.baselines)
    summary: dict[str, Any] = {
        "status": "ok",
        "mode": mode_name,
        "seed": cfg.train_seed,
        "train_s": train_s,
        "eval_s": eval_s,
        "command": command,
        "policy": str(policy),
        "learned_label": learned,
        "outcome": rows,
        "finding_holds": finding_holds(rows, learned),
    }
    report = write_report(run_dir, plain, rows, learned, summary)
    return finish_study(run_dir, report, summary)


if __name__ == "__main__":
    sys.exit(main())

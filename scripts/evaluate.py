#!/usr/bin/env python3
r"""Evaluate baselines and saved policies on held-out seeds (logic in ``agents.evaluation``).

Writes steps.csv, episodes.csv, comparison.csv/.md (95 % confidence intervals, paired differences
to the reference policy) and reward.png, cost.png, latency_cdf.png into --out.

Example:
    .venv/bin/python scripts/evaluate.py --env fabtwin/ControlScheduling-v0 \\
        --env-kwargs '{n_plants: 20, tau_max_s: 0.001}' --seeds 5 --seed0 100001 \\
        --policy round_robin --policy control_aware --policy runs/ppo1/best_model.zip \\
        --reference round_robin --out results/eval-ppo1
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import yaml

from agents.evaluation import evaluate, write_outputs


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--env", default="fabtwin/ControlScheduling-v0")
    parser.add_argument("--env-kwargs", default="{}", help="YAML mapping of gymnasium.make options")
    parser.add_argument(
        "--policy",
        action="append",
        required=True,
        help="a baseline name or a saved model .zip (repeatable)",
    )
    parser.add_argument("--seeds", type=int, default=5, help="number of held-out seeds")
    parser.add_argument("--seed0", type=int, default=100001, help="first held-out seed")
    parser.add_argument("--reference", default=None, help="policy the others are compared to")
    parser.add_argument("--out", type=Path, default=Path("results/eval"))
    args = parser.parse_args(argv)
    kwargs = yaml.safe_load(args.env_kwargs) or {}
    seeds = list(range(args.seed0, args.seed0 + args.seeds))
    episodes = evaluate(args.env, kwargs, args.policy, seeds)
    reference = args.reference
    rows = write_outputs(episodes, args.out, args.env, reference)
    for r in rows:
        if r["figure"] in ("return", "mean_control/mean_cost", "mean_rewards/idle"):
            extra = (
                f"  diff {r['diff_vs_ref']:.4g} +- {r['diff_ci95']:.3g}"
                if "diff_vs_ref" in r
                else ""
            )
            print(f"{r['policy']:<28} {r['figure']:<26} {r['mean']:.4g} +- {r['ci95']:.3g}{extra}")
    print(f"wrote {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())

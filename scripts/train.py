#!/usr/bin/env python3
r"""Train an SB3 agent on a fabtwin env (logic in ``agents.training``; see docs/training.md).

Examples:
    .venv/bin/python scripts/train.py --config agents/configs/ppo.yaml --run-dir runs/ppo1
    .venv/bin/python scripts/train.py --config agents/configs/sac.yaml --set total_timesteps=5000
    .venv/bin/python scripts/train.py --config agents/configs/ppo.yaml --run-dir runs/ppo1 \\
        --resume runs/ppo1/checkpoints/ppo_10000_steps.zip
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from agents.training import load_train_config, train
from twin.config import ConfigError


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--config", type=Path, default=Path("agents/configs/ppo.yaml"))
    parser.add_argument(
        "--set",
        dest="overrides",
        action="append",
        default=[],
        metavar="KEY=VALUE",
        help="override a config key (YAML value), e.g. algo.learning_rate=1e-4",
    )
    parser.add_argument(
        "--run-dir", type=Path, default=None, help="default: runs/<algo>-seed<seed>"
    )
    parser.add_argument(
        "--resume", type=Path, default=None, help="checkpoint .zip to continue from"
    )
    args = parser.parse_args(argv)
    try:
        cfg, data = load_train_config(args.config, args.overrides)
    except ConfigError as e:
        print(f"error: {e}", file=sys.stderr)
        return 2
    run_dir = args.run_dir or Path("runs") / f"{cfg.algo['name']}-seed{cfg.seed}"
    final = train(cfg, data, run_dir, resume=args.resume)
    print(f"saved {final}")
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""The ``fabtwin`` command."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from twin import __version__
from twin.bridge.errors import BridgeError
from twin.config import ConfigError
from twin.configio import DEFAULT_CONFIG, load_experiment

EPILOG = """\
examples:
  fabtwin run                              the machine-tending workcell over Wi-Fi 6 (default.yaml)
  fabtwin run --set workcell.n_parts=3 --set workcell.n_best_effort=4
  fabtwin run --config twin/configs/star.yaml --set cell.template.n_stations=20
  fabtwin run --config my-cell.yaml --set run.seed=3 --set cell.wifi.mcs=5

every run writes a results directory (config, seed, versions, per-packet table, summary, plots);
see README.md and docs/ for the configuration reference.
"""


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="fabtwin",
        description="Co-simulate factory cells: ns-3 (Wi-Fi 6) in lockstep with a Python twin.",
        epilog=EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--version", action="version", version=f"fabtwin {__version__}")
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    run = sub.add_parser(
        "run",
        help="run a co-simulation and write a results directory",
        description="Run a co-simulation of a factory cell and print per-flow latency and loss.",
        epilog=EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    run.add_argument(
        "--config",
        type=Path,
        default=None,
        metavar="FILE",
        help=f"experiment YAML file (default: {DEFAULT_CONFIG.name}, packaged with fabtwin)",
    )
    run.add_argument(
        "--set",
        dest="overrides",
        action="append",
        default=[],
        metavar="KEY=VALUE",
        help="override one config value, e.g. run.seed=2 or cell.wifi.mcs=5 (repeatable)",
    )
    run.add_argument("--out", default=None, metavar="DIR", help="parent directory of results")
    run.add_argument("--quiet", action="store_true", help="no progress bar")
    return parser


def main(argv: list[str] | None = None) -> int:
    """Entry point of the ``fabtwin`` command; returns the exit status."""
    args = _parser().parse_args(argv)
    if args.command == "run":
        return _run(args, argv)
    return 2  # pragma: no cover - argparse enforces the sub-command


def _run(args: argparse.Namespace, argv: list[str] | None) -> int:
    from twin.experiment import run_experiment
    from twin.flow_summary import format_table

    overrides = list(args.overrides)
    if args.out:
        overrides.append(f"run.out_dir={args.out}")
    try:
        cfg, _ = load_experiment(args.config, overrides)
    except ConfigError as e:
        print(f"fabtwin: invalid configuration: {e}", file=sys.stderr)
        return 2
    try:
        result = run_experiment(
            cfg,
            progress=not args.quiet,
            argv=["fabtwin", *(argv if argv is not None else sys.argv[1:])],
        )
    except BridgeError as e:
        print(f"fabtwin: co-simulation failed: {e}", file=sys.stderr)
        return 1
    s = result.summary
    if "machine" in s:
        from twin.workcell_job import machine_table

        print("machines (workcell)")
        print(machine_table(s["machine"]))
        print("\nnetwork (per flow)")
    print(format_table(result.flows))
    total_sent = sum(r["sent"] for r in result.flows)
    total_lost = sum(r["lost"] for r in result.flows)
    print(
        f"\n{len(result.flows)} flows, {total_sent} packets, {total_lost} lost "
        f"({100 * total_lost / max(total_sent, 1):.2f} %); {s['simulated_s']:g} s simulated in "
        f"{s['wall_s']:.1f} s wall ({s['simulated_s'] / s['wall_s']:.2f} x real time); "
        f"seed {s['seed']}"
    )
    if result.run_dir is not None:
        print(f"results: {result.run_dir}")
    return 0


if __name__ == "__main__":
    sys.exit(main())

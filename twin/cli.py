"""The ``fabtwin`` command."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

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
  fabtwin sweep twin/configs/sweep-star.yaml                  grid x seeds, 2 local processes
  fabtwin sweep twin/configs/sweep-star.yaml --ray-address auto   the same on a Ray cluster
  fabtwin results results/sweep-star --filter cell.wifi.mcs=7 --export runs.parquet
  fabtwin plot cdf results/sweep-star/*seed=1*

every run writes a results directory (config, seed, versions, per-packet table, summary, plots);
see README.md and docs/experiments.md.
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
    _add_sweep(sub)
    _add_results(sub)
    _add_plot(sub)
    return parser


def _add_sweep(sub: Any) -> None:
    sweep = sub.add_parser(
        "sweep",
        help="run a grid or random search over config keys x seeds (local processes or Ray)",
        description="Run every configuration x seed of a sweep file; finished runs are skipped, "
        "failed runs are recorded and do not stop the others; prints and saves one table.",
        epilog=EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    sweep.add_argument("sweep_file", type=Path, metavar="SWEEP.yaml")
    sweep.add_argument("--workers", type=int, default=None, help="parallel local processes")
    sweep.add_argument(
        "--ray-address",
        default=None,
        metavar="ADDR",
        help="run as Ray tasks: 'local' (start Ray here), 'auto' (running cluster) or ray://...",
    )
    sweep.add_argument("--out", type=Path, default=None, metavar="DIR", help="replaces out:")
    sweep.add_argument("--quiet", action="store_true", help="no progress bar")


def _add_results(sub: Any) -> None:
    results = sub.add_parser(
        "results",
        help="list and filter runs, export one tidy table (Parquet or CSV)",
        description="List the runs below DIR (recursively), filter them, export a tidy table.",
    )
    results.add_argument("dir", nargs="?", type=Path, default=Path("results"), metavar="DIR")
    results.add_argument(
        "--filter",
        dest="filters",
        action="append",
        default=[],
        metavar="KEY=VALUE",
        help="keep runs where KEY (a column or a dotted config key) equals VALUE (repeatable)",
    )
    results.add_argument("--export", type=Path, default=None, metavar="FILE.parquet|FILE.csv")
    results.add_argument("--by-flow", action="store_true", help="one row per run and flow")


def _add_plot(sub: Any) -> None:
    from twin.run_plots import KINDS

    plot = sub.add_parser(
        "plot",
        help="plot runs: " + ", ".join(KINDS),
        description="cdf: latency CDFs per flow and run; timeline: one cycle (gates, PPDUs, "
        "deliveries); gantt: arm and station activity; agv: AGV paths on the floor plan; "
        "training: reward curves of stable-baselines3 training runs.",
    )
    plot.add_argument("kind", choices=KINDS, metavar="KIND", help=", ".join(KINDS))
    plot.add_argument("run_dirs", nargs="+", type=Path, metavar="RUN_DIR")
    plot.add_argument("--out", type=Path, default=None, metavar="PNG", help="default: in RUN_DIR")
    plot.add_argument("--at-s", type=float, default=None, help="timeline: a time in the cycle")
    plot.add_argument("--cycle-s", type=float, default=None, help="timeline: cycle length")


def main(argv: list[str] | None = None) -> int:
    """Entry point of the ``fabtwin`` command; returns the exit status."""
    args = _parser().parse_args(argv)
    commands = {"run": _run, "sweep": _sweep, "results": _results, "plot": _plot}
    try:
        return commands[args.command](args, argv)
    except ConfigError as e:
        print(f"fabtwin {args.command}: {e}", file=sys.stderr)
        return 2


def _sweep(args: argparse.Namespace, _argv: list[str] | None) -> int:
    from twin.sweep import format_table, run_sweep
    from twin.sweep_spec import load_sweep

    spec = load_sweep(args.sweep_file, out=args.out)
    if args.workers is not None and args.workers < 1:
        raise ConfigError(f"--workers: must be >= 1 (got {args.workers})")
    n_seeds = len({r.seed for r in spec.runs})
    where = (
        f"Ray ({args.ray_address})"
        if args.ray_address
        else f"{args.workers or spec.workers} local processes"
    )
    print(
        f"sweep: {len(spec.runs)} runs ({len(spec.runs) // n_seeds} configurations x {n_seeds} "
        f"seeds) on {where} -> {spec.out}"
    )
    outcome = run_sweep(
        spec, workers=args.workers, ray_address=args.ray_address, progress=not args.quiet
    )
    print(format_table(outcome.table, spec.keys))
    n_ok = int((outcome.runs["status"] == "ok").sum())
    print(
        f"\n{n_ok}/{len(spec.runs)} runs finished ({len(outcome.ran)} now, "
        f"{len(outcome.skipped)} earlier), {len(outcome.failed)} failed now; tables: "
        f"{spec.out / 'sweep_table.csv'}, {spec.out / 'sweep_runs.csv'}"
    )
    for run_id in outcome.failed:
        print(f"failed: {run_id}: see {spec.out / run_id / 'error.json'}")
    if outcome.interrupted:
        print("interrupted: run the same command again to finish the missing runs")
        return 130
    return 1 if outcome.failed else 0


def _results(args: argparse.Namespace, _argv: list[str] | None) -> int:
    from twin.results_index import export_table, format_runs, runs_table

    table = runs_table(args.dir, args.filters, by_flow=args.by_flow)
    if args.by_flow:
        more = f"\n... {len(table) - 60} more rows" if len(table) > 60 else ""
        print(table.head(60).to_string(index=False) + more)
    else:
        print(format_runs(table))
    if args.export is not None:
        path = export_table(table, args.export)
        print(f"{len(table)} rows -> {path}")
    return 0


def _plot(args: argparse.Namespace, _argv: list[str] | None) -> int:
    from twin.run_plots import plot

    options = {}
    if args.kind == "timeline":
        options = {"at_s": args.at_s, "cycle_s": args.cycle_s}
    path = plot(args.kind, args.run_dirs, args.out, **options)
    print(f"{args.kind}: {path}")
    return 0


def _run(args: argparse.Namespace, argv: list[str] | None) -> int:
    from twin.experiment import run_experiment
    from twin.flow_summary import format_table

    overrides = list(args.overrides)
    if args.out:
        overrides.append(f"run.out_dir={args.out}")
    try:
        cfg, merged = load_experiment(args.config, overrides)
    except ConfigError as e:
        print(f"fabtwin: invalid configuration: {e}", file=sys.stderr)
        return 2
    try:
        result = run_experiment(
            cfg,
            progress=not args.quiet,
            argv=["fabtwin", *(argv if argv is not None else sys.argv[1:])],
            source_config=merged,
        )
    except BridgeError as e:
        print(f"fabtwin: co-simulation failed: {e}", file=sys.stderr)
        return 1
    s = result.summary
    if cfg.workcell is not None:
        from twin.workcell_job import machine_table

        print("machines (workcell)")
        print(machine_table(s["machine"]))
        print("\nnetwork (per flow)")
    elif cfg.agvs is not None:
        m = s["machine"]
        print(
            f"agvs: {m['agv/missions_done']:.0f} missions, {m['agv/distance_m']:.1f} m driven, "
            f"path deviation rms {m['agv/rms_path_deviation_m']:.3f} m / max "
            f"{m['agv/max_path_deviation_m']:.3f} m, {m['agv/safety_stops']:.0f} safety stops"
        )
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

"""The main job: run a configured cell for its duration and write a results directory."""

from __future__ import annotations

import math
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
from tqdm import tqdm

from twin.config import ExperimentConfig
from twin.configio import to_plain
from twin.cosim import NS_PER_S, CoSimulation
from twin.flow_summary import flow_summary
from twin.packet_ledger import DROP_REASON_NAMES, PacketLedger
from twin.plots import plot_latency_cdf
from twin.results import make_run_dir, write_columns_csv, write_run_files
from twin.traffic import PeriodicTraffic


@dataclass(frozen=True)
class RunResult:
    """Outcome of :func:`run_experiment`.

    Attributes:
        run_dir: Where the results were written (None when not written).
        flows: Per-flow rows of :func:`~twin.flow_summary.flow_summary`.
        summary: Everything in ``summary.json``.
        ledger: Every packet's fate.
    """

    run_dir: Path | None
    flows: list[dict[str, Any]]
    summary: dict[str, Any]
    ledger: PacketLedger


def run_experiment(
    cfg: ExperimentConfig,
    *,
    write: bool = True,
    progress: bool = True,
    argv: list[str] | None = None,
) -> RunResult:
    """Runs the cell's periodic traffic through ns-3 in lockstep and summarises every flow.

    Args:
        cfg: The validated configuration.
        write: Write a results directory under ``cfg.run.out_dir``.
        progress: Show a progress bar with an ETA on stderr.
        argv: The command line to record (default: ``sys.argv``).
    """
    run_dir = make_run_dir(cfg.run.out_dir, cfg.run.seed) if write else None
    step_ns = round(cfg.run.step_s * NS_PER_S)
    end_ns = round(cfg.run.duration_s * NS_PER_S)
    drain_ns = round(cfg.run.drain_s * NS_PER_S)
    n_steps = math.ceil(end_ns / step_ns)
    traffic = PeriodicTraffic(cfg.cell)
    n_nodes = len(cfg.cell.nodes)
    stats_steps: list[np.ndarray] = []
    stats_time: list[int] = []
    wall0 = time.perf_counter()
    with CoSimulation(cfg.cell, seed=cfg.run.seed, bridge=cfg.bridge, run_dir=run_dir) as sim:
        info = dict(sim.info)
        bar = tqdm(total=n_steps, unit="step", disable=not progress, desc="co-simulating")
        for k in range(1, n_steps + 1):
            t_ns = min(k * step_ns, end_ns)
            flow, size, send = traffic.window(t_ns)
            if len(flow):
                sim.send_many(flow, size, send)
            res = sim.step_ns(t_ns)
            stats_steps.append(res.report.link_stats.copy())
            stats_time.append(t_ns)
            bar.update(1)
        bar.close()
        if drain_ns:
            res = sim.step_ns(end_ns + drain_ns)
            stats_steps.append(res.report.link_stats.copy())
            stats_time.append(end_ns + drain_ns)
        ledger = sim.ledger
    wall_s = time.perf_counter() - wall0
    flows = flow_summary(cfg.cell, ledger)
    summary = {
        "seed": cfg.run.seed,
        "simulated_s": cfg.run.duration_s,
        "step_s": cfg.run.step_s,
        "steps": n_steps,
        "wall_s": wall_s,
        "packets": len(ledger),
        "drop_reasons": _drop_reason_counts(ledger),
        "ns3": info,
        "flows": flows,
    }
    if run_dir is not None:
        write_run_files(
            run_dir, resolved_config=to_plain(cfg), summary=summary, ns3_info=info, argv=argv
        )
        table = ledger.table()
        names = np.array([f.name for f in cfg.cell.flows], dtype=object)
        table["flow_name"] = names[table["flow"]] if len(table["flow"]) else table["flow"]
        write_columns_csv(run_dir / "packets.csv", table)
        stats = np.concatenate(stats_steps)
        columns: dict[str, np.ndarray] = {
            "time_ns": np.repeat(np.array(stats_time, np.int64), n_nodes)
        }
        for name in stats.dtype.names or ():
            if not name.startswith("pad"):
                columns[name] = stats[name]
        write_columns_csv(run_dir / "link_stats.csv", columns)
        plot_latency_cdf(cfg.cell, ledger, run_dir / "latency_cdf.png")
    return RunResult(run_dir=run_dir, flows=flows, summary=summary, ledger=ledger)


def _drop_reason_counts(ledger: PacketLedger) -> dict[str, int]:
    reasons = ledger.table()["drop_reason"][ledger.fate() == 2]
    return {
        DROP_REASON_NAMES[int(r)]: int(c)
        for r, c in zip(*np.unique(reasons, return_counts=True), strict=True)
    }

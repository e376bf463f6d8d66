"""The main job: run a configured cell for its duration and write a results directory."""

from __future__ import annotations

import math
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
from tqdm import tqdm

from twin.activity_log import ActivityLog
from twin.agv_job import TrajectoryLog, make_fleet
from twin.bridge import protocol
from twin.config import ExperimentConfig
from twin.configio import to_plain
from twin.cosim import NS_PER_S, CoSimulation, StepResult
from twin.cycle_timeline import gate_windows_from_tsn
from twin.flow_summary import flow_summary
from twin.model_link import ModelLink
from twin.node_summary import node_drop_summary
from twin.packet_ledger import DROP_REASON_NAMES, PacketLedger
from twin.plots import plot_latency_cdf
from twin.results import (
    make_run_dir,
    run_totals,
    write_columns_csv,
    write_error,
    write_run_files,
    write_summary,
    write_versions,
)
from twin.talker_schedule import TalkerSchedule
from twin.traffic import PeriodicTraffic
from twin.workcell_job import load_workcell, make_workcell


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
    run_dir: Path | None = None,
    extra: dict[str, Any] | None = None,
    source_config: dict[str, Any] | None = None,
) -> RunResult:
    """Runs the cell's periodic traffic through ns-3 in lockstep and summarises every flow.

    The results directory gets ``summary.json`` last, so a directory holding one is a finished
    run; a run that fails writes ``error.json`` (the error and its traceback) instead and
    re-raises.

    Args:
        cfg: The validated configuration.
        write: Write a results directory (under ``cfg.run.out_dir`` unless ``run_dir``).
        progress: Show a progress bar with an ETA on stderr.
        argv: The command line to record (default: ``sys.argv``).
        run_dir: Write into this directory (created if missing) instead of a fresh one.
        extra: More facts for ``summary.json`` (a sweep records its run id and values here).
        source_config: The experiment as given (file plus overrides, before templates expand);
            saved as ``experiment.yaml``.
    """
    if write:
        if run_dir is None:
            run_dir = make_run_dir(cfg.run.out_dir, cfg.run.seed)
        else:
            run_dir.mkdir(parents=True, exist_ok=True)
        write_run_files(
            run_dir, resolved_config=to_plain(cfg), argv=argv, source_config=source_config
        )
    else:
        run_dir = None
    try:
        return _run(cfg, run_dir, progress, argv, extra or {})
    except BaseException as e:
        if run_dir is not None:
            write_error(run_dir, e)
        raise


def _run(
    cfg: ExperimentConfig,
    run_dir: Path | None,
    progress: bool,
    argv: list[str] | None,
    extra: dict[str, Any],
) -> RunResult:
    n_nodes = len(cfg.cell.nodes)
    stats = _StatsLog()
    activity = ActivityLog()
    trajectories = TrajectoryLog(cfg.agvs.trajectory_period_s if cfg.agvs else 0.1)
    machine: dict[str, float] | None = None
    wall0 = time.perf_counter()
    with CoSimulation(cfg.cell, seed=cfg.run.seed, bridge=cfg.bridge, run_dir=run_dir) as sim:
        info = dict(sim.info)
        if cfg.workcell is not None:
            step_s, machine = _run_workcell(cfg, sim, stats, activity, progress)
        elif cfg.agvs is not None:
            step_s, machine = _run_agvs(cfg, sim, stats, trajectories, progress)
        else:
            step_s = cfg.run.step_s
            _run_traffic(cfg, sim, stats, progress)
        active_ns = sim.now_ns
        drain_ns = round(cfg.run.drain_s * NS_PER_S)
        if drain_ns:
            stats.add(sim.step_ns(active_ns + drain_ns))
        ledger = sim.ledger
        notices = ns3_notices(sim.ns3.stderr_path)
    wall_s = time.perf_counter() - wall0
    flows = flow_summary(cfg.cell, ledger)
    summary: dict[str, Any] = {
        **extra,
        "status": "ok",
        "seed": cfg.run.seed,
        "simulated_s": active_ns / NS_PER_S,
        "step_s": step_s,
        "steps": len(stats.time_ns) - (1 if drain_ns else 0),
        "wall_s": wall_s,
        "packets": len(ledger),
        "drop_reasons": _drop_reason_counts(ledger),
        "ns3": info,
        "totals": run_totals(cfg.cell, ledger),
        "flows": flows,
        "nodes": node_drop_summary(cfg.cell, ledger),
        "ns3_notices": notices,
    }
    if machine is not None:
        summary["machine"] = machine
    if run_dir is not None:
        write_versions(run_dir, info)
        table = ledger.table()
        names = np.array([f.name for f in cfg.cell.flows], dtype=object)
        table["flow_name"] = names[table["flow"]] if len(table["flow"]) else table["flow"]
        write_columns_csv(run_dir / "packets.csv", table)
        stats_all = np.concatenate(stats.records)
        columns: dict[str, np.ndarray] = {
            "time_ns": np.repeat(np.array(stats.time_ns, np.int64), n_nodes)
        }
        for name in stats_all.dtype.names or ():
            if not name.startswith("pad"):
                columns[name] = stats_all[name]
        write_columns_csv(run_dir / "link_stats.csv", columns)
        if stats.transmissions:
            np.save(run_dir / "transmissions.npy", np.concatenate(stats.transmissions))
        if (info.get("tsn") or {}).get("gcls"):
            index = {n.name: i for i, n in enumerate(cfg.cell.nodes)}
            np.save(run_dir / "gate_windows.npy", gate_windows_from_tsn(info["tsn"], index))
        if cfg.workcell is not None:
            activity.write_csv(run_dir / "activity.csv")
        if cfg.agvs is not None:
            trajectories.write(run_dir, make_fleet(cfg.agvs, cfg.run.seed).floor)
        plot_latency_cdf(cfg.cell, ledger, run_dir / "latency_cdf.png")
        write_summary(run_dir, summary)
    return RunResult(run_dir=run_dir, flows=flows, summary=summary, ledger=ledger)


def ns3_notices(stderr_path: Path, limit: int = 100) -> list[str]:
    """The timed notices fabtwin-ns3 wrote to its stderr log (at most ``limit``, oldest first)."""
    try:
        text = stderr_path.read_text(errors="replace")
    except OSError:
        return []
    lines = [ln for ln in text.splitlines() if ln.startswith(protocol.NOTICE_PREFIX)]
    return lines[:limit]


class _StatsLog:
    """Per-step link statistics (link_stats.csv) and the PPDUs ns-3 reported (transmissions.npy)."""

    def __init__(self) -> None:
        self.records: list[np.ndarray] = []
        self.time_ns: list[int] = []
        self.transmissions: list[np.ndarray] = []

    def add(self, result: StepResult) -> None:
        self.records.append(result.report.link_stats.copy())
        self.time_ns.append(result.report.now_ns)
        if len(result.report.transmissions):
            self.transmissions.append(result.report.transmissions.copy())


def _run_traffic(
    cfg: ExperimentConfig, sim: CoSimulation, stats: _StatsLog, progress: bool
) -> None:
    """The cell's periodic traffic, one lockstep step per ``run.step_s``."""
    step_ns = round(cfg.run.step_s * NS_PER_S)
    end_ns = round(cfg.run.duration_s * NS_PER_S)
    traffic = PeriodicTraffic(cfg.cell)
    n_steps = math.ceil(end_ns / step_ns)
    with tqdm(total=n_steps, unit="step", disable=not progress, desc="co-simulating") as bar:
        for k in range(1, n_steps + 1):
            t_ns = min(k * step_ns, end_ns)
            flow, size, send = traffic.window(t_ns)
            if len(flow):
                sim.send_many(flow, size, send)
            stats.add(sim.step_ns(t_ns))
            bar.update(1)


def _run_model(
    cfg: ExperimentConfig,
    link: ModelLink,
    stats: _StatsLog,
    progress: bool,
    *,
    desc: str,
    done: Callable[[], bool],
    after: Callable[[float, float], None],
    postfix: Callable[[], str],
) -> None:
    """Control periods until ``done()`` or ``run.duration_s``, with a simulated-seconds bar.

    ``after(t0_s, t1_s)`` runs after every period (logs of what the model did in it).
    """
    sim = link.sim
    end_ns = round(cfg.run.duration_s * NS_PER_S)
    with tqdm(
        total=round(cfg.run.duration_s, 3),
        unit="sim s",
        disable=not progress,
        desc=desc,
        bar_format="{l_bar}{bar}| {n:.1f}/{total} sim s [{elapsed}<{remaining}]{postfix}",
    ) as bar:
        last = 0.0
        while not done() and sim.now_ns + link.period_ns <= end_ns:
            t0_s = sim.now_s
            link.period()
            assert link.last_step is not None
            stats.add(link.last_step)
            after(t0_s, sim.now_s)
            if sim.now_s - last >= 0.5:
                bar.update(sim.now_s - last)
                last = sim.now_s
                bar.set_postfix_str(postfix())


def _run_workcell(
    cfg: ExperimentConfig,
    sim: CoSimulation,
    stats: _StatsLog,
    activity: ActivityLog,
    progress: bool,
) -> tuple[float, dict[str, float]]:
    """The workcell until its parts are done or ``run.duration_s``; one step per control period.

    Returns:
        The control period and the machine metrics.
    """
    assert cfg.workcell is not None
    wc_cfg = load_workcell(cfg.workcell)
    model = make_workcell(cfg.workcell, wc_cfg)
    period_s = wc_cfg.arm_link.period_s
    link = ModelLink(model, sim, period_s, talkers=TalkerSchedule.from_info(cfg.cell, sim.info))
    _run_model(
        cfg,
        link,
        stats,
        progress,
        desc="workcell",
        done=lambda: model.finished,
        after=lambda t0_s, t1_s: activity.sample(model, t0_s, t1_s),
        postfix=lambda: f"parts={model.parts_done}/{model.n_parts}",
    )
    machine = dict(model.summary())
    machine["network/messages_sent"] = float(link.counters.sent)
    machine["network/messages_delivered"] = float(link.counters.delivered)
    machine["network/messages_dropped"] = float(link.counters.dropped)
    return period_s, machine


def _run_agvs(
    cfg: ExperimentConfig,
    sim: CoSimulation,
    stats: _StatsLog,
    trajectories: TrajectoryLog,
    progress: bool,
) -> tuple[float, dict[str, float]]:
    """The AGV fleet for ``run.duration_s``, one step per control period; AGV nodes move.

    Returns:
        The control period and the fleet metrics.
    """
    assert cfg.agvs is not None
    fleet = make_fleet(cfg.agvs, cfg.run.seed)
    link = ModelLink(fleet, sim, cfg.agvs.period_s, mobile=fleet.names)
    trajectories.sample(0.0, fleet)
    _run_model(
        cfg,
        link,
        stats,
        progress,
        desc="agvs",
        done=lambda: False,
        after=lambda _t0_s, t1_s: trajectories.sample(t1_s, fleet),
        postfix=lambda: f"missions={int(fleet.missions_done.sum())}",
    )
    return cfg.agvs.period_s, fleet.summary()


def _drop_reason_counts(ledger: PacketLedger) -> dict[str, int]:
    reasons = ledger.table()["drop_reason"][ledger.fate() == 2]
    return {
        DROP_REASON_NAMES[int(r)]: int(c)
        for r, c in zip(*np.unique(reasons, return_counts=True), strict=True)
    }

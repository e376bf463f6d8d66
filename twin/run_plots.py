"""``fabtwin plot KIND RUN_DIR...``: figures drawn from results directories (PNG by default).

Kinds and the files they read:

==========  ====================================================================================
``cdf``     ``packets.csv`` of each run: one-way latency CDF per flow (or flow group) and run
``timeline`` ``packets.csv``, ``transmissions.npy`` and ``gate_windows.npy`` (when present) of one
            run: one cycle, see :mod:`twin.cycle_timeline`
``gantt``   ``activity.csv`` of a workcell run: what each arm and station did over time
``agv``     ``trajectories.csv`` and ``floor_plan.json`` of a run with AGVs: paths on the floor
``training`` ``progress.csv`` (stable-baselines3 CSV logger) and/or ``evaluations.npz``
            (``EvalCallback``) of training runs: reward against time steps
==========  ====================================================================================
"""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402
import yaml  # noqa: E402

from twin.bridge import protocol as P  # noqa: E402
from twin.config import ConfigError  # noqa: E402
from twin.cycle_timeline import plot_cycle_timeline  # noqa: E402
from twin.packet_ledger import DELIVERED  # noqa: E402
from twin.results import SUMMARY  # noqa: E402
from twin.results_index import find_runs  # noqa: E402

KINDS = ("cdf", "timeline", "gantt", "agv", "training")


def run_label(run_dir: Path) -> str:
    """A short name for a run: its swept values and seed, else its directory name."""
    meta = run_dir / "sweep_run.json"
    if meta.is_file():
        m = json.loads(meta.read_text())
        values = [f"{k.rsplit('.', 1)[-1]}={v}" for k, v in m.get("params", {}).items()]
        return " ".join([*values, f"seed={m.get('seed')}"])
    return run_dir.name


def _need(run_dir: Path, name: str, made_by: str) -> Path:
    path = run_dir / name
    if not path.is_file():
        raise ConfigError(f"{run_dir}: no {name} ({made_by})")
    return path


def _config(run_dir: Path) -> dict[str, Any]:
    data = yaml.safe_load(_need(run_dir, "config.yaml", "not a results directory").read_text())
    return data if isinstance(data, dict) else {}


def _flow_groups(cfg: dict[str, Any], per_flow: bool) -> dict[str, list[int]]:
    flows = cfg["cell"]["flows"]
    if per_flow:
        return {f["name"]: [i] for i, f in enumerate(flows)}
    ap = next(n["name"] for n in cfg["cell"]["nodes"] if n["role"] == "ap")
    groups: dict[str, list[int]] = {}
    for i, f in enumerate(flows):
        direction = "uplink" if f["dst"] == ap else "downlink" if f["src"] == ap else "relay"
        groups.setdefault(f"{f['access_category']} {direction}", []).append(i)
    return groups


def plot_cdfs(run_dirs: Sequence[Path], out: Path, max_lines: int = 12) -> Path:
    """Latency CDF per flow and run; lost packets keep a curve below 1.

    Flows are grouped by access category and direction when there would be more than
    ``max_lines`` curves.
    """
    n_flows = sum(len(_config(d)["cell"]["flows"]) for d in run_dirs)
    per_flow = n_flows <= max_lines
    fig, ax = plt.subplots(figsize=(8, 5))
    styles = ["-", "--", ":", "-."]
    colours: dict[str, Any] = {}
    palette = plt.get_cmap("tab10")
    for k, run_dir in enumerate(run_dirs):
        cfg = _config(run_dir)
        packets = pd.read_csv(_need(run_dir, "packets.csv", "written by fabtwin run"))
        lat_ms = packets["latency_ns"].to_numpy() / 1e6
        ok = packets["fate"].to_numpy() == DELIVERED
        flow = packets["flow"].to_numpy()
        label_run = run_label(run_dir) if len(run_dirs) > 1 else ""
        groups = _flow_groups(cfg, per_flow)
        # Colour per flow and line style per run; with more runs than styles, the other way round.
        by_run = len(run_dirs) > len(styles) and len(groups) <= len(styles)
        for g, (name, members) in enumerate(groups.items()):
            mine = np.isin(flow, members)
            sent = int(mine.sum())
            lat = np.sort(lat_ms[mine & ok])
            if not sent or not len(lat):
                continue
            label = f"{label_run}: {name}" if label_run else name
            key = str(run_dir) if by_run else name
            colour = colours.setdefault(key, palette(len(colours) % 10))
            ax.step(
                lat,
                np.arange(1, len(lat) + 1) / sent,
                where="post",
                ls=styles[(g if by_run else k) % len(styles)],
                color=colour,
                label=label,
            )
    ax.set_xscale("log")
    ax.set_xlabel("one-way latency (ms)")
    ax.set_ylabel("fraction of packets sent")
    ax.set_ylim(0, 1.01)
    ax.grid(True, which="both", alpha=0.3)
    ax.legend(fontsize=6, ncol=2, loc="lower right")
    ax.set_title("Latency CDF per flow and run (lost packets keep a curve below 1)")
    fig.tight_layout()
    fig.savefig(out, dpi=120)
    plt.close(fig)
    return out


def deliveries_from_packets(packets: pd.DataFrame) -> np.ndarray:
    """The delivered packets of ``packets.csv`` as ``DELIVERY_DTYPE`` records (no latency split)."""
    ok = packets[packets["fate"] == DELIVERED]
    rec = np.zeros(len(ok), P.DELIVERY_DTYPE)
    rec["rx_time_ns"] = ok["rx_ns"].to_numpy()
    rec["send_time_ns"] = ok["send_ns"].to_numpy()
    rec["flow"] = ok["flow"].to_numpy()
    rec["seq"] = ok["seq"].to_numpy()
    rec["sinr_db"] = ok["sinr_db"].to_numpy()
    rec["mcs"] = ok["mcs"].to_numpy()
    for f in ("queue_ns", "access_ns", "air_ns"):
        rec[f] = -1
    return rec


def plot_run_timeline(
    run_dir: Path, out: Path, *, at_s: float | None = None, cycle_s: float | None = None
) -> Path:
    """One cycle of a run (:func:`twin.cycle_timeline.plot_cycle_timeline`).

    Args:
        run_dir: The run.
        out: The PNG.
        at_s: A time in the cycle to draw (default: the median receive time).
        cycle_s: Cycle length (default: the shortest flow period, else the run's step, which is
            the control period of a workcell or AGV run).
    """
    cfg = _config(run_dir)
    nodes = [n["name"] for n in cfg["cell"]["nodes"]]
    flows = cfg["cell"]["flows"]
    packets = pd.read_csv(_need(run_dir, "packets.csv", "written by fabtwin run"))
    deliveries = deliveries_from_packets(packets)
    tx_path, gate_path = run_dir / "transmissions.npy", run_dir / "gate_windows.npy"
    transmissions = np.load(tx_path) if tx_path.is_file() else np.zeros(0, P.TRANSMISSION_DTYPE)
    gates = np.load(gate_path) if gate_path.is_file() else np.zeros(0, P.GATE_WINDOW_DTYPE)
    summary_path = run_dir / "summary.json"
    summary = json.loads(summary_path.read_text()) if summary_path.is_file() else {}
    # With 802.1Qbv the cycle is the gate lists' (READY's tsn section), starting at base_time_ns.
    tsn = (summary.get("ns3") or {}).get("tsn") or {}
    base_ns = int(tsn.get("base_time_ns", 0)) if len(gates) else 0
    if cycle_s is None:
        periods = [f["period_s"] for f in flows if f.get("period_s")]
        if len(gates) and tsn.get("cycle_ns"):
            cycle_s = int(tsn["cycle_ns"]) / 1e9
        else:
            cycle_s = min(periods) if periods else summary.get("step_s") or 1e-3
    cycle_ns = round(cycle_s * 1e9)
    if at_s is None:
        at_ns = int(np.median(deliveries["rx_time_ns"])) if len(deliveries) else 0
    else:
        at_ns = round(at_s * 1e9)
    index = {n: i for i, n in enumerate(nodes)}
    return plot_cycle_timeline(
        transmissions,
        deliveries,
        gates,
        cycle_start_ns=base_ns + (at_ns - base_ns) // cycle_ns * cycle_ns,
        cycle_ns=cycle_ns,
        node_names=nodes,
        path=out,
        flow_nodes=[index[f["dst"]] for f in flows],
        flow_names=[f["name"] for f in flows],
    )


_STATE_COLOURS = {
    "moving": "tab:green",
    "busy": "tab:blue",
    "wait_machine": "tab:olive",
    "wait_part": "lightgray",
    "wait_network": "tab:red",
    "stopped": "black",
    "idle": "whitesmoke",
}


def plot_gantt(run_dir: Path, out: Path) -> Path:
    """What each arm and station did over the run, one row each (from ``activity.csv``)."""
    act = pd.read_csv(_need(run_dir, "activity.csv", "written by workcell runs"))
    devices = list(dict.fromkeys(act.sort_values(["kind", "device"])["device"]))
    fig, ax = plt.subplots(figsize=(10, 1.0 + 0.45 * max(len(devices), 1)))
    for row, device in enumerate(devices):
        mine = act[act["device"] == device]
        for state, group in mine.groupby("state"):
            spans = list(zip(group["start_s"], group["end_s"] - group["start_s"], strict=True))
            ax.broken_barh(
                spans, (row - 0.35, 0.7), facecolors=_STATE_COLOURS.get(str(state), "tab:purple")
            )
    ax.set_yticks(range(len(devices)), devices)
    ax.set_ylim(len(devices) - 0.5, -0.5)
    ax.set_xlabel("time (s)")
    present = set(act["state"])
    handles = [
        plt.Rectangle((0, 0), 1, 1, color=c, label=s.replace("_", " "))
        for s, c in _STATE_COLOURS.items()
        if s in present
    ]
    ax.legend(handles=handles, fontsize=7, loc="upper left", bbox_to_anchor=(1.01, 1.0))
    ax.grid(True, axis="x", alpha=0.3)
    ax.set_title(f"Robot and station activity: {run_label(run_dir)}")
    fig.tight_layout()
    fig.savefig(out, dpi=120)
    plt.close(fig)
    return out


def plot_agv(run_dir: Path, out: Path) -> Path:
    """AGV paths on the floor plan (aisles and waypoints), start and end marked."""
    traj = pd.read_csv(_need(run_dir, "trajectories.csv", "written by runs with AGVs"))
    fig, ax = plt.subplots(figsize=(7, 6))
    plan = run_dir / "floor_plan.json"
    if plan.is_file():
        fp = json.loads(plan.read_text())
        xy = fp["nodes"]
        for a, b in fp["edges"]:
            ax.plot([xy[a][0], xy[b][0]], [xy[a][1], xy[b][1]], color="0.8", lw=6, zorder=0)
        pts = np.array(list(xy.values()), dtype=float)
        ax.scatter(pts[:, 0], pts[:, 1], s=12, color="0.5", zorder=1)
    for device, group in traj.groupby("device"):
        g = group.sort_values("time_s")
        (line,) = ax.plot(g["x_m"], g["y_m"], lw=1.2, label=str(device), zorder=2)
        ax.plot(g["x_m"].iloc[0], g["y_m"].iloc[0], "o", color=line.get_color(), zorder=3)
        ax.plot(g["x_m"].iloc[-1], g["y_m"].iloc[-1], "s", color=line.get_color(), zorder=3)
    ax.set_aspect("equal")
    ax.set_xlabel("x (m)")
    ax.set_ylabel("y (m)")
    ax.legend(fontsize=7)
    t_end = float(traj["time_s"].max()) if len(traj) else 0.0
    ax.set_title(f"AGV trajectories over {t_end:.1f} s (o start, s end)")
    fig.tight_layout()
    fig.savefig(out, dpi=120)
    plt.close(fig)
    return out


def plot_training(run_dirs: Sequence[Path], out: Path) -> Path:
    """Training curves: rollout and evaluation reward against time steps.

    ``progress.csv`` gives ``rollout/ep_rew_mean``; ``evaluations.npz`` the evaluation reward
    (mean and standard deviation over the evaluation episodes).
    """
    fig, ax = plt.subplots(figsize=(8, 4.5))
    found = False
    for run_dir in run_dirs:
        name = run_label(run_dir)
        prog = run_dir / "progress.csv"
        if prog.is_file():
            df = pd.read_csv(prog)
            if {"time/total_timesteps", "rollout/ep_rew_mean"} <= set(df.columns):
                d = df[["time/total_timesteps", "rollout/ep_rew_mean"]].dropna()
                ax.plot(d.iloc[:, 0], d.iloc[:, 1], label=f"{name}: rollout ep_rew_mean")
                found = True
        ev = run_dir / "evaluations.npz"
        if ev.is_file():
            with np.load(ev) as z:
                steps = np.asarray(z["timesteps"])
                res = np.asarray(z["results"], dtype=float).reshape(len(steps), -1)
            mean, std = res.mean(axis=1), res.std(axis=1)
            (line,) = ax.plot(steps, mean, marker="o", ms=3, label=f"{name}: evaluation")
            ax.fill_between(steps, mean - std, mean + std, color=line.get_color(), alpha=0.2)
            found = True
    if not found:
        plt.close(fig)
        raise ConfigError(
            f"{', '.join(map(str, run_dirs))}: no progress.csv with time/total_timesteps and "
            "rollout/ep_rew_mean, and no evaluations.npz (stable-baselines3 training output)"
        )
    ax.set_xlabel("time steps")
    ax.set_ylabel("episode reward")
    ax.grid(True, alpha=0.3)
    ax.legend(fontsize=7)
    ax.set_title("Training curves")
    fig.tight_layout()
    fig.savefig(out, dpi=120)
    plt.close(fig)
    return out


def _single(fn: Callable[[Path, Path], Path]) -> Callable[[Sequence[Path], Path], Path]:
    def wrapped(run_dirs: Sequence[Path], out: Path) -> Path:
        if len(run_dirs) != 1:
            raise ConfigError(f"this plot takes one run directory (got {len(run_dirs)})")
        return fn(run_dirs[0], out)

    return wrapped


def _expand(dirs: Sequence[Path]) -> list[Path]:
    """Run directories as given; a directory of runs (a sweep's) stands for its finished runs."""
    out: list[Path] = []
    for d in dirs:
        if (d / "config.yaml").is_file():
            out.append(d)
            continue
        runs = [r for r in find_runs(d) if (r / SUMMARY).is_file()]
        if not runs:
            raise ConfigError(f"{d}: neither a run directory nor a directory of finished runs")
        out.extend(runs)
    return out


def plot(kind: str, run_dirs: Sequence[Path], out: Path | None = None, **options: Any) -> Path:
    """Draws plot ``kind`` from ``run_dirs``; default file ``<first run dir>/<kind>.png``.

    A directory that holds runs rather than being one (a sweep's ``out``) stands for its finished
    runs.
    """
    if kind not in KINDS:
        raise ConfigError(f"plot kind {kind!r}: allowed: {', '.join(KINDS)}")
    if not run_dirs:
        raise ConfigError("give at least one run directory")
    for d in run_dirs:
        if not d.is_dir():
            raise ConfigError(f"{d}: not a directory")
    if kind != "training":
        run_dirs = _expand(run_dirs)
    target = out or run_dirs[0] / f"{kind}.png"
    if kind == "cdf":
        return plot_cdfs(run_dirs, target)
    if kind == "timeline":
        if len(run_dirs) != 1:
            raise ConfigError(f"timeline takes one run directory (got {len(run_dirs)})")
        return plot_run_timeline(run_dirs[0], target, **options)
    if kind == "training":
        return plot_training(run_dirs, target)
    return _single(plot_gantt if kind == "gantt" else plot_agv)(run_dirs, target)

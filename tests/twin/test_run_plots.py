"""`fabtwin plot`: every kind makes a PNG; the timeline and training curves from synthetic data."""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

import matplotlib.image as mpimg
import numpy as np
import pytest

from twin.bridge import protocol as P
from twin.cli import main
from twin.configio import DEFAULT_CONFIG
from twin.cycle_timeline import plot_cycle_timeline

STAR = DEFAULT_CONFIG.with_name("star.yaml")
AGV = DEFAULT_CONFIG.with_name("agv.yaml")


def _pixels(png: Path, rgb: tuple[int, int, int], tol: int = 6) -> int:
    """How many pixels of ``png`` have colour ``rgb`` (the legend has a few of each)."""
    img = (mpimg.imread(png)[..., :3] * 255).round().astype(int)
    return int((np.abs(img - np.array(rgb)).max(axis=-1) <= tol).sum())


TAB_BLUE, TAB_ORANGE, TAB_GREEN = (31, 119, 180), (255, 127, 14), (44, 160, 44)


def _synthetic_cycle() -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    cycle0 = 2_000_000  # the cycle starts at 2 ms; it lasts 1 ms
    tx = np.zeros(3, P.TRANSMISSION_DTYPE)
    tx["start_ns"] = [cycle0 + 100_000, cycle0 + 250_000, cycle0 + 600_000]
    tx["duration_ns"] = [120_000, 40_000, 150_000]
    tx["node"] = [1, 0, 2]
    tx["flow"] = [0, P.NO_FLOW, 1]
    tx["kind"] = [P.TxKind.DATA, P.TxKind.CONTROL, P.TxKind.DATA]
    tx["ok"] = [1, 1, 0]
    dl = np.zeros(2, P.DELIVERY_DTYPE)
    dl["send_time_ns"] = [cycle0 + 50_000, cycle0 + 550_000]
    dl["rx_time_ns"] = [cycle0 + 230_000, cycle0 + 760_000]
    dl["flow"] = [0, 1]
    gates = np.zeros(3, P.GATE_WINDOW_DTYPE)
    gates["node"] = [1, 1, 2]
    gates["offset_ns"] = [0, 500_000, 500_000]
    gates["duration_ns"] = [400_000, 500_000, 500_000]
    gates["gate_mask"] = [0b1000_0000, 0b0000_0001, 0b1000_0001]
    return tx, dl, gates


def test_cycle_timeline_from_synthetic_arrays(tmp_path: Path) -> None:
    tx, dl, gates = _synthetic_cycle()
    names = ["ap", "sta1", "sta2"]
    png = plot_cycle_timeline(
        tx,
        dl,
        gates,
        cycle_start_ns=2_000_000,
        cycle_ns=1_000_000,
        node_names=names,
        path=tmp_path / "cycle.png",
        flow_nodes=[0, 0],
        flow_names=["sta1.up", "sta2.up"],
    )
    assert png.stat().st_size > 10_000
    # Without flow_nodes the deliveries get a row of their own; with nothing in the cycle the
    # figure is still drawn (gate windows, empty rows, the legend).
    png2 = plot_cycle_timeline(
        tx,
        dl,
        gates,
        cycle_start_ns=0,
        cycle_ns=1_000_000,
        node_names=names,
        path=tmp_path / "empty.png",
    )
    assert png2.stat().st_size > 5_000
    # Data PPDUs are blue, the Block Ack orange, deliveries green: the cycle that has them holds
    # far more of those pixels than the empty one (whose legend has a few).
    assert _pixels(png, TAB_BLUE) > _pixels(png2, TAB_BLUE) + 1000
    assert _pixels(png, TAB_ORANGE) > _pixels(png2, TAB_ORANGE) + 100
    assert _pixels(png, TAB_GREEN) > _pixels(png2, TAB_GREEN) + 50


def test_cycle_timeline_rejects_wrong_records(tmp_path: Path) -> None:
    tx, dl, gates = _synthetic_cycle()
    with pytest.raises(TypeError, match="deliveries: must use protocol.DELIVERY_DTYPE"):
        plot_cycle_timeline(
            tx, tx, gates, cycle_start_ns=0, cycle_ns=1, node_names=["a"], path=tmp_path / "x.png"
        )
    with pytest.raises(ValueError, match="cycle_ns: must be > 0"):
        plot_cycle_timeline(
            tx, dl, gates, cycle_start_ns=0, cycle_ns=0, node_names=["a"], path=tmp_path / "x.png"
        )


def write_sb3_training_dir(path: Path) -> Path:
    """A training run dir as stable-baselines3 writes it: CSV logger + EvalCallback."""
    path.mkdir(parents=True)
    steps = np.arange(1, 11) * 2048
    with (path / "progress.csv").open("w") as fh:
        fh.write(
            "rollout/ep_len_mean,rollout/ep_rew_mean,time/fps,time/total_timesteps,train/loss\n"
        )
        for k, s in enumerate(steps):
            fh.write(f"200,{-50 + 5 * k},900,{s},{1.0 / (k + 1)}\n")
    results = np.stack([np.linspace(-60, -10, 10) + d for d in (-3, 0, 3, 1, -1)], axis=1)
    np.savez(
        path / "evaluations.npz", timesteps=steps, results=results, ep_lengths=np.full((10, 5), 200)
    )
    return path


@dataclass
class _Done:
    returncode: int
    stdout: str
    stderr: str


def _cli(capsys: pytest.CaptureFixture[str], *args: str) -> _Done:
    """Runs the ``fabtwin`` command in this process (the imports are paid once per test run)."""
    capsys.readouterr()
    code = main(list(args))
    out = capsys.readouterr()
    return _Done(code, out.out, out.err)


def test_training_curves_from_sb3_files(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    run = write_sb3_training_dir(tmp_path / "ppo-seed1")
    proc = _cli(capsys, "plot", "training", str(run), "--out", str(tmp_path / "train.png"))
    assert proc.returncode == 0, proc.stderr
    assert (tmp_path / "train.png").stat().st_size > 10_000
    empty = tmp_path / "empty"
    empty.mkdir()
    bad = _cli(capsys, "plot", "training", str(empty))
    assert bad.returncode == 2 and "no progress.csv" in bad.stderr


def _run(capsys: pytest.CaptureFixture[str], out: Path, config: Path, *sets: str) -> Path:
    args = ["run", "--quiet", "--config", str(config), "--out", str(out)]
    for s in sets:
        args += ["--set", s]
    done = _cli(capsys, *args)
    assert done.returncode == 0, done.stderr
    (run_dir,) = list(out.iterdir())
    return run_dir


@pytest.mark.ns3
def test_every_plot_command_makes_a_png_from_a_small_run(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    small = ("run.duration_s=0.1", "cell.template.n_stations=2")
    star = _run(capsys, tmp_path / "star", STAR, *small)
    star2 = _run(capsys, tmp_path / "star2", STAR, *small, "run.seed=2")
    workcell = _run(
        capsys, tmp_path / "wc", DEFAULT_CONFIG, "run.duration_s=1.0", "workcell.n_best_effort=0"
    )
    agv = _run(capsys, tmp_path / "agv", AGV, "run.duration_s=3.0", "agvs.n_agvs=2")
    cases = {
        "cdf": [star, star2],
        "timeline": [star],
        "gantt": [workcell],
        "agv": [agv],
    }
    for kind, dirs in cases.items():
        out = tmp_path / f"{kind}.png"
        proc = _cli(capsys, "plot", kind, *map(str, dirs), "--out", str(out))
        assert proc.returncode == 0, (kind, proc.stderr)
        assert out.stat().st_size > 10_000, kind
    # Default output: next to the run.
    assert _cli(capsys, "plot", "timeline", str(star), "--cycle-s", "0.002").returncode == 0
    assert (star / "timeline.png").stat().st_size > 10_000
    # The timeline of the star run shows deliveries (green markers), beyond the legend's.
    assert _pixels(tmp_path / "timeline.png", TAB_GREEN) > 100
    # The Gantt chart reads the workcell's activity log: in the first second arm1 moves the first
    # part while arm2 waits for it.
    activity = (workcell / "activity.csv").read_text().splitlines()
    assert activity[0] == "device,kind,state,start_s,end_s"
    assert any(line.startswith("arm1,arm,moving,") for line in activity)
    assert any(line.startswith("arm2,arm,wait_part,0.000000,1.000000") for line in activity)
    assert "station4,station,idle,0.000000,1.000000" in activity
    # AGV trajectories: 2 AGVs sampled every 0.1 s over 3 s, and they moved.
    traj = np.genfromtxt(
        agv / "trajectories.csv", delimiter=",", names=True, dtype=None, encoding=None
    )
    assert len(traj) == 2 * 31
    a1 = traj[traj["device"] == "agv1"]
    assert np.hypot(np.diff(a1["x_m"]), np.diff(a1["y_m"])).sum() > 1.0
    assert json.loads((agv / "summary.json").read_text())["machine"]["agv/safety_stops"] == 0
    # A plot kind that finds no input names the file it needs.
    bad = _cli(capsys, "plot", "gantt", str(star))
    assert bad.returncode == 2 and "no activity.csv" in bad.stderr


_QBV_CELL = """
cell:
  nodes:
    - {name: ap, role: ap, position_m: [0, 0, 3]}
    - {name: robot, role: sta, position_m: [5, 0, 1]}
    - {name: be1, role: sta, position_m: [5, 1, 1]}
  flows:
    - {name: ctl, src: robot, dst: ap, size_bytes: 100, period_s: 0.001, access_category: VO}
    - {name: be1.up, src: be1, dst: ap, size_bytes: 1500, period_s: 0.002, access_category: BE}
  tsn:
    sync: {enabled: true}
    qbv: {enabled: true}
    streams: [{flow: ctl}]
  report: {transmissions: true}
run: {duration_s: 0.03}
"""


@pytest.mark.ns3
def test_a_qbv_run_saves_its_gate_windows_and_the_timeline_aligns_them(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    config = tmp_path / "qbv.yaml"
    config.write_text(_QBV_CELL)
    run_dir = _run(capsys, tmp_path / "runs", config)
    gates = np.load(run_dir / "gate_windows.npy")
    tsn = json.loads((run_dir / "summary.json").read_text())["ns3"]["tsn"]
    # One record per open entry of READY's gate lists, each node's entries filling one cycle.
    for node, name in enumerate(["ap", "robot", "be1"]):
        entries = tsn["gcls"][name]
        assert sum(d for _, d in entries) == tsn["cycle_ns"]
        mine = gates[gates["node"] == node]
        assert len(mine) == sum(1 for mask, _ in entries if mask)
        assert mine["duration_ns"].sum() == sum(d for mask, d in entries if mask)
    # The robot's scheduled-class window (TC 7) opens where the configurator put the stream.
    (window,) = [w for w in tsn["streams"]["ctl"]["windows"] if w["node"] == 1]
    robot_tc7 = gates[(gates["node"] == 1) & (gates["gate_mask"] & 0x80 != 0)]
    assert window["open_ns"] in robot_tc7["offset_ns"].tolist()
    out = tmp_path / "timeline.png"
    assert _cli(capsys, "plot", "timeline", str(run_dir), "--out", str(out)).returncode == 0
    assert out.stat().st_size > 10_000

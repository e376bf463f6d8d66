"""The `agvs` experiment section: its cell, its checks, and the trajectory log."""

from __future__ import annotations

from pathlib import Path

import pytest

from twin.agv_job import TrajectoryLog, make_fleet
from twin.config import AgvJobConfig, ConfigError
from twin.configio import DEFAULT_CONFIG, load_experiment

AGV = DEFAULT_CONFIG.with_name("agv.yaml")


def test_agv_cell_has_the_manager_at_the_ap_and_three_flows_per_agv() -> None:
    cfg, _ = load_experiment(AGV, ["agvs.n_agvs=2", "cell.wifi.mcs=5"])
    assert cfg.agvs == AgvJobConfig(n_agvs=2)
    assert [n.name for n in cfg.cell.nodes] == ["fleet", "agv1", "agv2"]
    assert cfg.cell.nodes[0].role == "ap" and cfg.cell.wifi.mcs == 5
    assert [f.name for f in cfg.cell.flows] == [
        "agv1.path",
        "agv1.cmd",
        "agv1.state",
        "agv2.path",
        "agv2.cmd",
        "agv2.state",
    ]
    # The AGVs start on waypoints drawn from the run's seed (the same in the cell and the run).
    fleet = make_fleet(cfg.agvs, cfg.run.seed)
    pos = fleet.device_positions_m()
    assert tuple(cfg.cell.nodes[1].position_m) == pos["agv1"]


@pytest.mark.parametrize(
    ("override", "message"),
    [
        ("agvs.n_agvs=0", "agvs.n_agvs: must be in 1..100"),
        ("agvs.period_s=0.003", "agvs.period_s: must divide the 20 ms command period"),
        ("agvs.speed_limit_m_s=2.0", "agvs.speed_limit_m_s: must be in (0, 1.5]"),
        ("agvs.trajectory_period_s=0.001", "agvs.trajectory_period_s: must be >= period_s"),
        ("cell.nodes=[]", "cell.nodes: not allowed with an agvs section"),
        ("workcell.n_parts=1", "agvs: give either a workcell or an agvs section"),
    ],
)
def test_bad_agv_values_name_the_field(override: str, message: str) -> None:
    with pytest.raises(ConfigError, match=message.replace("(", r"\(").replace("[", r"\[")):
        load_experiment(AGV, [override])


def test_trajectory_log_samples_every_period_and_writes_the_floor_plan(tmp_path: Path) -> None:
    fleet = make_fleet(AgvJobConfig(n_agvs=2, grid_nx=3, grid_ny=2), seed=3)
    log = TrajectoryLog(period_s=0.1)
    for k in range(26):  # 0 .. 0.25 s in 10 ms ticks: samples at 0, 0.1, 0.2
        log.sample(k * 0.01, fleet)
    assert [r[0] for r in log.rows] == pytest.approx([0.0, 0.0, 0.1, 0.1, 0.2, 0.2])
    log.write(tmp_path, fleet.floor)
    lines = (tmp_path / "trajectories.csv").read_text().splitlines()
    assert lines[0] == "time_s,device,x_m,y_m,heading_rad" and len(lines) == 7
    plan = (tmp_path / "floor_plan.json").read_text()
    assert '"n2_1"' in plan and plan.count('"n') >= 6

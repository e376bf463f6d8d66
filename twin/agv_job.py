"""AGVs on a floor plan, driven by a fleet manager over the simulated network (``agvs`` section).

The fleet (``robots.agv_network.NetworkedAgvs``: path, speed-command and state flows per AGV) runs
at its control period; the manager sits at the AP, every AGV is a Wi-Fi station whose ns-3 node
follows it (``ModelLink`` moves the mobile nodes after every tick). The run records the AGVs'
positions (``trajectories.csv``) and the floor plan (``floor_plan.json``) for ``fabtwin plot agv``.
"""

from __future__ import annotations

import json
from dataclasses import replace
from pathlib import Path

import numpy as np

from robots.agv import AgvConfig, FloorPlan
from robots.agv_network import NetworkedAgvs
from twin.config import AgvJobConfig, CellConfig, ChannelConfig, InterfererConfig, WifiConfig
from twin.model_link import cell_for_model

MANAGER = "fleet"


def make_fleet(job: AgvJobConfig, seed: int) -> NetworkedAgvs:
    """A fresh fleet; start nodes and missions are drawn from ``seed``."""
    floor = FloorPlan.grid(job.grid_nx, job.grid_ny, job.spacing_m)
    return NetworkedAgvs(
        floor,
        job.n_agvs,
        AgvConfig(),
        np.random.default_rng(seed),
        speed_limit_m_s=job.speed_limit_m_s,
        manager=MANAGER,
    )


def agv_cell(
    job: AgvJobConfig,
    seed: int,
    wifi: WifiConfig,
    channel: ChannelConfig,
    interferers: tuple[InterfererConfig, ...] = (),
) -> CellConfig:
    """The cell carrying the fleet's flows: the manager is the AP, every AGV a station."""
    cell = cell_for_model(
        make_fleet(job, seed),
        ap_device=MANAGER,
        wifi=wifi,
        channel=channel,
        access_category=job.access_category,
    )
    return replace(cell, interferers=interferers) if interferers else cell


class TrajectoryLog:
    """AGV positions every ``period_s`` of simulated time, for ``trajectories.csv``."""

    def __init__(self, period_s: float) -> None:
        self.period_s = period_s
        self._next_s = 0.0
        self.rows: list[tuple[float, str, float, float, float]] = []

    def sample(self, t_s: float, fleet: NetworkedAgvs) -> None:
        """Records every AGV's pose at ``t_s`` if a sampling instant has come."""
        if t_s + 1e-9 < self._next_s:
            return
        self._next_s = t_s + self.period_s
        pose = fleet.fleet.pose
        for i, name in enumerate(fleet.names):
            self.rows.append((t_s, name, float(pose[i, 0]), float(pose[i, 1]), float(pose[i, 2])))

    def write(self, run_dir: Path, floor: FloorPlan) -> None:
        """Writes ``trajectories.csv`` (time_s, device, x_m, y_m, heading_rad) and the plan."""
        with (run_dir / "trajectories.csv").open("w") as fh:
            fh.write("time_s,device,x_m,y_m,heading_rad\n")
            for t, name, x, y, th in self.rows:
                fh.write(f"{t:.4f},{name},{x:.4f},{y:.4f},{th:.4f}\n")
        plan = {
            "nodes": {n: [float(v) for v in floor.xy[i]] for i, n in enumerate(floor.names)},
            "edges": [list(e) for e in floor.edges],
        }
        (run_dir / "floor_plan.json").write_text(json.dumps(plan, indent=1) + "\n")

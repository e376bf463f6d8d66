"""AGVs driven by a fleet manager over the real co-simulated Wi-Fi move their ns-3 nodes."""

from __future__ import annotations

import numpy as np
import pytest

from robots.agv import AgvConfig, FloorPlan
from robots.agv_network import NetworkedAgvs
from twin.cosim import CoSimulation
from twin.model_link import ModelLink, cell_for_model

pytestmark = pytest.mark.ns3


def test_agvs_follow_paths_over_wifi_and_their_positions_reach_ns3() -> None:
    fleet = NetworkedAgvs(FloorPlan.grid(4, 3, 8.0), 3, AgvConfig(), np.random.default_rng(0))
    cell = cell_for_model(fleet, ap_device="fleet")
    agv1 = cell.node_index("agv1")
    with CoSimulation(cell, seed=1) as sim:
        link = ModelLink(fleet, sim, period_s=0.02, mobile=fleet.names)
        distance, rx_dbm = [], []
        for _ in range(40):  # 40 x 0.5 s
            link.run(sim.now_s + 0.5)
            stats = link.last_step.report.link_stats if link.last_step else None
            assert stats is not None
            ap = np.array(cell.nodes[0].position_m)
            distance.append(float(np.linalg.norm(fleet.fleet.positions_m()[0] - ap)))
            rx_dbm.append(float(stats["rx_power_dbm"][agv1]))  # what agv1 receives from the AP
    summary = fleet.summary()
    assert summary["agv/missions_done"] >= 3
    assert summary["agv/safety_stops"] == 0
    assert summary["agv/max_path_deviation_m"] < 1.0
    # The AGV moved, and what it hears from the AP follows its distance (log-distance, n = 3).
    d = np.array(distance)
    p = np.array(rx_dbm)
    ok = ~np.isnan(p) & (d > 1.0)
    assert d.max() - d.min() > 5.0
    slope = np.polyfit(10 * np.log10(d[ok]), p[ok], 1)[0]
    assert slope == pytest.approx(-3.0, abs=0.3)

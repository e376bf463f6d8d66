"""AGV kinematics, pure pursuit, fleet manager over the network, vectorized vs per AGV."""

from __future__ import annotations

import numpy as np
import pytest

from robots.agv import AgvConfig, AgvFleet, FloorPlan
from robots.agv_network import NetworkedAgvs
from robots.ideal_network import IdealNetwork, LossBurst, run_lockstep


def test_floor_plan_shortest_path() -> None:
    fp = FloorPlan.grid(4, 3, 5.0)
    p = fp.path(fp.index["n0_0"], fp.index["n3_2"])
    assert len(p) == 6  # 3 + 2 aisle segments
    assert np.sum(np.linalg.norm(np.diff(p, axis=0), axis=1)) == pytest.approx(25.0)
    with pytest.raises(ValueError, match="unknown node"):
        FloorPlan({"a": (0, 0), "b": (1, 0)}, [("a", "c")])


def test_straight_line_by_hand() -> None:
    cfg = AgvConfig(max_speed_m_s=1.0, max_accel_m_s2=0.5)
    f = AgvFleet(np.array([[0.0, 0.0, 0.0]]), cfg)
    f.set_path(0, np.array([[10.0, 0.0]]))
    t, dt = 0.0, 0.01
    while f.active[0] and t < 60:
        f.step(dt, np.array([1.0]), np.array([False]))
        assert f.v[0] <= 1.0 + 1e-12
        t += dt
    # Accelerate 2 s (1 m), cruise 8 s, brake 2 s (1 m) = 12 s to the end; the path counts as
    # done goal_tol_m before it, which the braking AGV covers in sqrt(2 tol / a) s.
    assert t == pytest.approx(12.0 - np.sqrt(2 * cfg.goal_tol_m / 0.5), abs=0.03)
    assert f.pose[0, 0] == pytest.approx(10.0, abs=cfg.goal_tol_m)
    assert abs(f.pose[0, 1]) < 1e-9


def test_vectorized_matches_per_agv() -> None:
    fp = FloorPlan.grid(4, 3, 2.0)
    rng = np.random.default_rng(1)
    n = 6
    starts = rng.integers(0, 12, n)
    goals = (starts + rng.integers(1, 12, n)) % 12
    pose0 = np.zeros((n, 3))
    pose0[:, :2] = fp.xy[starts]
    cfg = AgvConfig()
    fleet = AgvFleet(pose0, cfg, max_path_points=13)
    singles = [AgvFleet(pose0[i : i + 1], cfg, max_path_points=13) for i in range(n)]
    for i in range(n):
        path = fp.path(int(starts[i]), int(goals[i]))
        fleet.set_path(i, path)
        singles[i].set_path(0, path)
    limit = np.full(n, 1.2)
    for _ in range(700):
        fleet.step(0.02, limit, np.zeros(n, dtype=bool))
        for s in singles:
            s.step(0.02, limit[:1], np.zeros(1, dtype=bool))
    np.testing.assert_allclose(fleet.pose, np.vstack([s.pose for s in singles]), atol=1e-12)
    assert not fleet.active.any()  # everybody arrived
    np.testing.assert_allclose(fleet.pose[:, :2], fp.xy[goals], atol=cfg.goal_tol_m)


def _run(net: IdealNetwork, n: int = 4, t_end: float = 25.0) -> dict[str, float]:
    m = NetworkedAgvs(FloorPlan.grid(4, 3, 5.0), n, AgvConfig(), np.random.default_rng(0))
    run_lockstep(m, net, 0.02, t_end)
    assert m.positions_m().shape == (n, 3)
    return m.summary()


def test_networked_fleet_ideal_and_degraded() -> None:
    ideal = _run(IdealNetwork())
    assert ideal["agv/missions_done"] >= 4
    assert ideal["agv/safety_stops"] == 0
    assert ideal["agv/max_path_deviation_m"] < 1.0
    delayed = _run(IdealNetwork(delay_s=0.06))
    assert delayed["agv/mean_idle_s"] > ideal["agv/mean_idle_s"]
    # A burst longer than the 0.1 s survival time stops every AGV once.
    burst = _run(IdealNetwork(bursts=[LossBurst(10.0, 10.3)]))
    assert burst["agv/safety_stops"] == 4
    short = _run(IdealNetwork(bursts=[LossBurst(10.0, 10.05)]))
    assert short["agv/safety_stops"] == 0


def test_flows_declared() -> None:
    m = NetworkedAgvs(FloorPlan.grid(2, 2, 5.0), 2, AgvConfig(), np.random.default_rng(0))
    flows = {f.name: f for f in m.flows()}
    assert set(m.device_positions_m()) == set(m.devices())
    msgs = m.step(0.0, 0.02)
    assert msgs
    for msg in msgs:
        assert flows[msg.flow].src == msg.src and flows[msg.flow].dst == msg.dst
        assert flows[msg.flow].size_bytes == msg.size_bytes

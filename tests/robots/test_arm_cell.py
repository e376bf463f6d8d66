"""Networked arms: on-time tracking, hold on loss, safety stop and resume, vectorized vs per arm."""

from __future__ import annotations

import numpy as np

from robots.arm_cell import ArmLinkConfig, NetworkedArms
from robots.arm_fleet import ArmFleet, ServoConfig
from robots.ideal_network import IdealNetwork, LossBurst, run_lockstep


def _poses(n: int, seed: int = 1) -> np.ndarray:
    return np.random.default_rng(seed).uniform(-1, 1, (n, 3, 6))


def test_ideal_tracking_and_delay_degrades() -> None:
    errs = []
    for d in (0.0, 0.006, 0.012):
        m = NetworkedArms(_poses(3))
        run_lockstep(m, IdealNetwork(delay_s=d), 0.004, 3.0)
        s = m.summary()
        assert s["arm/safety_stops"] == 0
        errs.append(s["arm/rms_tracking_error_rad"])
    assert errs[0] < 1e-4
    assert errs[0] < errs[1] < errs[2]


def test_burst_longer_than_survival_stops_then_resumes() -> None:
    m = NetworkedArms(_poses(2))
    run_lockstep(m, IdealNetwork(bursts=[LossBurst(1.0, 1.05, ("arm1.setpoint",))]), 0.004, 8.0)
    wd = m.link.fleet.watchdog
    assert wd.stop_count.tolist() == [1, 0]
    assert not wd.stopped.any()  # resumed
    assert m.link.ctl.replans == 1
    # Stopped from 16 ms after the last setpoint until 3 fresh ticks after the burst.
    assert 0.04 < wd.stopped_time_s[0] < 0.08
    assert m.summary()["arm/moves_done"] >= 6
    assert set(m.device_positions_m()) == set(m.devices()) == {"edge", "arm1", "arm2"}


def test_vectorized_matches_per_arm() -> None:
    rng = np.random.default_rng(2)
    n = 5
    q0 = rng.uniform(-1, 1, (n, 6))
    servo = ServoConfig()
    fleet = ArmFleet(q0, servo)
    singles = [ArmFleet(q0[i : i + 1], servo) for i in range(n)]
    for k in range(1, 300):
        t = k * 0.004
        if k % 3:  # every third tick the setpoint is lost
            sp = np.concatenate([q0 + 0.1 * np.sin(t), np.zeros((n, 12)), np.full((n, 1), t)], 1)
            idx = np.arange(n)
            fleet.receive(idx, np.full(n, k), sp, np.full(n, t), np.full(n, t))
            for i, s in enumerate(singles):
                s.receive(np.array([0]), np.array([k]), sp[i : i + 1], np.array([t]), np.array([t]))
        fleet.tick(t)
        fleet.integrate(0.004)
        for s in singles:
            s.tick(t)
            s.integrate(0.004)
    np.testing.assert_allclose(fleet.q, np.vstack([s.q for s in singles]), atol=1e-12)


def test_config_validation() -> None:
    import pytest

    with pytest.raises(ValueError, match="period_s"):
        ArmLinkConfig(period_s=0.0)
    with pytest.raises(ValueError, match="survival_time_s"):
        ServoConfig(survival_time_s=-1.0)

"""ControlScheduling-v1 over real ns-3: one trigger-based PPDU per cycle and the state estimate.

Sensors sit at one distance from the AP so that the MPDUs of one TB PPDU arrive together.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pytest

from agents.baselines import make_baseline
from twin.config import ConfigError
from twin.envs import make
from twin.envs.control_scheduling_v1 import DEVICE_FEATURES_V1

pytestmark = pytest.mark.ns3

ESTIMATE = DEVICE_FEATURES_V1.index("estimate")


def test_selected_sensors_arrive_together_within_half_a_millisecond() -> None:
    m = 8
    env: Any = make(
        "fabtwin/ControlScheduling-v1",
        n_plants=m,
        max_devices=5,
        tau_max_s=0.0005,
        distance_m=(5.0, 5.0),
        horizon_steps=6,
    )
    try:
        env.reset(seed=3)
        for pick in ([0, 2, 4], [1, 3, 5, 6, 7], [7]):
            action = -np.ones(m, np.float32)
            action[pick] = 1.0
            _, _, _, _, info = env.step(action)
            lat = np.asarray(info["net/latency_ms"])
            # Exactly the selected sensors, on time, in one TB PPDU (one receive time).
            assert info["net/selected"] == info["net/on_time"] == len(pick)
            assert info["net/late"] == info["net/lost"] == 0
            assert len(lat) == len(pick) and np.ptp(lat) == 0.0
            assert 0.05 < lat[0] < 0.5
        # A cycle with nobody selected sends nothing.
        _, _, _, _, info = env.step(-np.ones(m, np.float32))
        assert info["net/selected"] == 0 and info["net/latency_ms"] == []
    finally:
        env.close()


def test_estimate_feature_follows_the_controllers_open_loop_prediction() -> None:
    m = 4
    env: Any = make(
        "fabtwin/ControlScheduling-v1", plant="switched_scalar", n_plants=m, noise_var=1.0
    )
    try:
        obs, _ = env.reset(seed=9)
        u = env.unwrapped
        a_open = u.plants.batch.a[:, 0, 0]
        clip_log = np.log1p(u.config.cost_clip)
        feats = obs.reshape(m, len(DEVICE_FEATURES_V1))
        est0 = u.estimate()
        np.testing.assert_allclose(feats[:, ESTIMATE], np.log1p(est0) / clip_log, rtol=1e-5)
        # Nobody served: the controller applies no input and predicts x_hat <- a_open x_hat,
        # so the estimated cost x_hat^2 / c grows by a_open^2 per cycle.
        env.step(-np.ones(m, np.float32))
        np.testing.assert_allclose(u.estimate(), est0 * a_open**2, rtol=1e-9)
        # The view hands the same estimate to hand-written schedulers; largest_estimate
        # serves the worst-looking plants.
        view = u.scheduler_view()
        np.testing.assert_array_equal(view.estimate, u.estimate())
        scores = make_baseline("largest_estimate").act(view)
        top = set(np.argsort(-view.estimate)[: view.max_selected].tolist())
        assert set(np.flatnonzero(scores > 0).tolist()) == top
    finally:
        env.close()


def test_v1_rejects_single_user_access_naming_the_field() -> None:
    with pytest.raises(ConfigError, match=r"env\.mu_schedule: must be true in v1"):
        make("fabtwin/ControlScheduling-v1", mu_schedule=False)

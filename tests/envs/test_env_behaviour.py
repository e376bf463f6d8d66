"""What the actions do, over real ns-3: selection reaches the air, and the robots feel it."""

from __future__ import annotations

import numpy as np
import pytest

from twin.envs import make

pytestmark = pytest.mark.ns3


def test_workcell_withholding_an_arm_longer_than_its_survival_time_stops_it() -> None:
    env = make("fabtwin/Workcell-v0", horizon_s=0.5)
    names = env.unwrapped.names
    everyone = np.ones(len(names), np.float32)
    no_arm1 = np.where(np.array(names) == "arm1", -1.0, 1.0).astype(np.float32)
    out = {}
    try:
        for label, action in (("all", everyone), ("no_arm1", no_arm1)):
            env.reset(seed=1)
            withheld, stops = 0, 0.0
            while True:
                _, _, terminated, truncated, info = env.step(action)
                withheld += info["net/withheld"]
                stops += info["rewards/safety_stops"]
                if terminated or truncated:
                    break
            out[label] = (withheld, stops, info["cell/safety_stops"], info["cell/idle_s"])
    finally:
        env.close()
    assert out["all"][:3] == (0, 0.0, 0.0)
    # 0.5 s without setpoints (survival time 40 ms): one stop, and the arm stays stopped.
    assert out["no_arm1"][0] > 0 and out["no_arm1"][1:3] == (1.0, 1.0)
    assert out["no_arm1"][3] > out["all"][3] + 0.3  # about 0.45 s more idle (0.97 vs 0.52 s)


def test_control_only_selected_sensors_send_and_one_fits_within_tau_max() -> None:
    env = make(
        "fabtwin/ControlScheduling-v0",
        n_plants=4,
        horizon_steps=6,
        render_mode="ansi",
        mu_schedule=False,  # single-user EDCA (OFDMA: tests/envs/test_control_ofdma_schedule.py)
    )
    try:
        env.reset(seed=3)
        only2 = np.array([-1, -1, 1, -1], np.float32)
        for _ in range(3):
            _, _, _, _, info = env.step(only2)
            # A lone 100-byte VO uplink takes ~0.2 ms of the 1 ms budget (EDCA, MCS 7, 20 MHz).
            assert info["net/selected"] == info["net/on_time"] == 1
            assert 0.05 < info["net/latency_ms"][0] < 1.0
            assert info["rewards/deadline_miss"] == 0.0
        view = env.unwrapped.scheduler_view()
        assert view.age.tolist() == [4, 4, 1, 4] and bool(view.selected[2])
        text = env.render()
        assert "sensor3      age   1" in text and "deadline_miss 0" in text
        # Nobody served: no misses counted, every age grows, the cost term rises.
        _, _, _, _, info = env.step(-np.ones(4, np.float32))
        assert info["net/selected"] == 0 and info["rewards/deadline_miss"] == 0.0
        assert env.unwrapped.scheduler_view().age.tolist() == [5, 5, 2, 5]
    finally:
        env.close()

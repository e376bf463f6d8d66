"""ControlScheduling-v0's action reaches ns-3 as the uplink OFDMA schedule (real ns-3, bridge).

Sensors sit at one distance from the AP (``distance_m=(5, 5)``) so that every MPDU of one
trigger-based PPDU arrives at the same nanosecond (as in tests/ns3/test_ofdma.py): one receive
time and one airtime per cycle means one TB PPDU, and its MPDUs name the stations it served.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pytest

from twin.cosim import NS_PER_S
from twin.envs import make

pytestmark = pytest.mark.ns3


def _cycle_deliveries(env: Any) -> np.ndarray:
    """The sensor deliveries of the last step's samples (sent at the cycle start)."""
    u = env.unwrapped
    step = u.link.last_step
    d = step.report.deliveries
    cycle_ns = round((u.sim.now_s - u.config.period_s) * NS_PER_S)
    mine = (u.flow_device[d["flow"]] >= 0) & (d["send_time_ns"] == cycle_ns)
    return d[mine]


def test_selected_sensors_are_exactly_the_stations_of_one_tb_ppdu_on_fitting_rus() -> None:
    m = 12
    env: Any = make(
        "fabtwin/ControlScheduling-v0", n_plants=m, distance_m=(5.0, 5.0), horizon_steps=4
    )
    try:
        env.reset(seed=5)
        u = env.unwrapped
        picks = ([0, 3, 7], [1, 2, 4, 5, 6, 8, 9, 10, 11], [11])
        air = {}
        for pick in picks:
            action = -np.ones(m, np.float32)
            action[pick] = np.linspace(1.0, 0.5, len(pick))
            _, _, _, _, info = env.step(action)
            d = _cycle_deliveries(env)
            served = sorted(u.flow_device[d["flow"]].tolist())
            # Exactly the selected sensors, each once, all on time (within tau_max = 1 ms) ...
            assert served == sorted(pick)
            assert info["net/selected"] == info["net/on_time"] == len(pick)
            # ... in one TB PPDU: one receive time, one airtime, no retry, waiting only for the
            # trigger (EDCA is off under MU EDCA).
            assert len(set(d["rx_time_ns"].tolist())) == 1
            assert len(set(d["air_ns"].tolist())) == 1
            assert (d["retries"] == 0).all() and (d["queue_ns"] == 0).all()
            air[len(pick)] = int(d["air_ns"][0])
        # The RU size follows the count (selection.ru_tones): 3 stations on 52-tone RUs, 9 on
        # 26-tone RUs (half the data subcarriers: a longer TB PPDU), 1 on the 242-tone RU.
        assert air[9] > air[3] > air[1]
    finally:
        env.close()


def test_edca_mode_serves_the_selected_sensors_in_separate_su_ppdus() -> None:
    m = 4
    env: Any = make(
        "fabtwin/ControlScheduling-v0",
        n_plants=m,
        distance_m=(5.0, 5.0),
        horizon_steps=2,
        mu_schedule=False,
    )
    try:
        env.reset(seed=5)
        env.step(np.array([1, 1, -1, 1], np.float32))
        d = _cycle_deliveries(env)
        assert sorted(env.unwrapped.flow_device[d["flow"]].tolist()) == [0, 1, 3]
        # Single-user EDCA: one PPDU per sensor, one after another.
        assert len(set(d["rx_time_ns"].tolist())) == 3
    finally:
        env.close()

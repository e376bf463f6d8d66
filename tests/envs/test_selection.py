"""Action decoding and the RU plan (no ns-3)."""

from __future__ import annotations

import numpy as np
import pytest

from twin.envs.selection import max_stations, ru_tones, scores_for, select_top_k


def test_top_k_takes_the_highest_positive_scores_ties_to_lower_index() -> None:
    s = np.array([0.5, -0.2, 0.9, 0.5, 0.0, 0.7])
    assert np.flatnonzero(select_top_k(s, 3)).tolist() == [0, 2, 5]
    assert np.flatnonzero(select_top_k(s, 10)).tolist() == [0, 2, 3, 5]  # only positives
    assert not select_top_k(s, 0).any()
    assert not select_top_k(np.full(4, np.nan), 2).any()


def test_ru_plan_follows_the_802_11ax_tone_plan() -> None:
    # 802.11ax-2021 27.3.2.2: 9 x 26, 4 x 52, 2 x 106, 1 x 242 tones in 20 MHz.
    assert max_stations(20) == 9 and max_stations(40) == 18 and max_stations(80) == 37
    assert [ru_tones(n, 20) for n in (1, 2, 3, 4, 5, 9)] == [242, 106, 52, 52, 26, 26]
    assert ru_tones(1, 80) == 996 and ru_tones(17, 80) == 26
    with pytest.raises(ValueError, match="n_stations: must be in 1..9"):
        ru_tones(10, 20)


def test_scores_for_round_trips_a_ranking() -> None:
    scores = scores_for(np.array([4, 1, 3, 0, 2]), 3, 5)
    assert scores.dtype == np.float32 and scores.min() >= -1 and scores.max() <= 1
    assert np.flatnonzero(select_top_k(scores, 3)).tolist() == [1, 3, 4]
    assert np.argsort(-scores)[:3].tolist() == [4, 1, 3]


def test_mu_schedule_puts_the_selected_stations_on_fitting_rus() -> None:
    from twin.envs.control_scheduling import ControlSchedulingEnv

    class FakeSim:
        ul: dict[int, int] | None = None

        def schedule_mu(self, dl: object = None, ul: dict[int, int] | None = None) -> None:
            assert dl is None  # uplink only
            self.ul = ul

    env = ControlSchedulingEnv(n_plants=6)
    assert env.config.mu_schedule  # the default
    fake = FakeSim()
    env._sim = fake  # type: ignore[assignment]
    env.node_of_device = np.arange(1, 7, dtype=np.uint32)  # node 0 is the AP
    env._apply_action(np.array([0.9, -1, 0.5, 0.7, -1, -1], np.float32))
    # 3 stations: the largest RU of which 3 fit in 20 MHz is 52 tones (4 of them).
    assert fake.ul == {1: 52, 3: 52, 4: 52}
    env._apply_action(np.ones(6, np.float32))
    assert fake.ul == dict.fromkeys(range(1, 7), 26)  # 6 stations: 26-tone RUs (9 fit)
    env._sim = None


def test_mu_schedule_sets_the_sensor_ofdma_and_refuses_a_downlink_only_one() -> None:
    from twin.config import ConfigError, OfdmaConfig, WifiConfig
    from twin.envs.control_scheduling import SENSOR_OFDMA, ControlSchedulingConfig

    assert ControlSchedulingConfig().cell_wifi.ofdma == SENSOR_OFDMA
    assert ControlSchedulingConfig(mu_schedule=False).cell_wifi.ofdma is None
    own = OfdmaConfig(ul=True, ul_access_interval_us=500)
    assert ControlSchedulingConfig(wifi=WifiConfig(ofdma=own)).cell_wifi.ofdma == own
    bad = ControlSchedulingConfig(wifi=WifiConfig(ofdma=OfdmaConfig(ul=False)))
    with pytest.raises(ConfigError, match=r"env\.wifi\.ofdma\.ul: must be true with mu_schedule"):
        bad.check("env")

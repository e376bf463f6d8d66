"""802.1AS time sync over the simulated Wi-Fi links, seen through the real bridge (docs/tsn.md)."""

from __future__ import annotations

import dataclasses
import json
from pathlib import Path

import numpy as np
import pytest

from tests.conftest import small_cell
from twin.bridge.errors import Ns3Error
from twin.bridge.ns3_process import Ns3Process
from twin.config import CellConfig, ConfigError, SyncConfig, TsnConfig
from twin.configio import build
from twin.cosim import CoSimulation
from twin.traffic import PeriodicTraffic

pytestmark = pytest.mark.ns3

STEP_S = 0.01
DURATION_S = 2.0


def _offsets(
    sync: SyncConfig,
    seed: int = 1,
    traffic_period_s: float | None = None,
    duration_s: float = DURATION_S,
) -> tuple[np.ndarray, dict]:
    """Per-step clock offsets (steps x nodes, ns) of a 3-station cell over ``duration_s``.

    With ``traffic_period_s`` every station also sends and receives a VO packet per period.
    """
    cell = dataclasses.replace(small_cell(3, period_s=traffic_period_s), tsn=TsnConfig(sync))
    traffic = PeriodicTraffic(cell) if traffic_period_s else None
    step_ns = round(STEP_S * 1e9)
    with CoSimulation(cell, seed=seed) as sim:
        info = sim.reset()
        rows = []
        for k in range(1, round(duration_s / STEP_S) + 1):
            if traffic is not None:
                sim.send_many(*traffic.window(k * step_ns))
            rows.append(sim.step_ns(k * step_ns).report.link_stats["clock_offset_ns"].copy())
    return np.array(rows), info


def _sync_bound_ns(log_sync_interval: int) -> float:
    """The derived one-hop bound of docs/tsn.md for PHY timestamps in a static cell.

    J: the timestamp points (PPDU start at TX, payload start at RX) are a fixed preamble plus a
    constant propagation delay apart, so the delay varies by ns rounding only (1 ns). g = 8 ns;
    d = 50 us (preamble); Pdelay P = 1 s with a window of up to W = 8 exchanges; wander bounded by
    0.003 ppm per 10 ms (r = 0.3 ppm/s per clock).
    """
    jitter, g, d, p, w, r = 1.0, 8.0, 50e3, 1.0, 8, 0.3e-6
    t_ext = 2.0**log_sync_interval + 2 * (d + jitter) * 1e-9
    rate_err = (2 * g + jitter) * 1e-9 / p  # the shortest window (2 exchanges) is the worst
    return (
        (jitter + 2 * g + rate_err * t_ext * 1e9 + 2 * r * (w * p + p) * t_ext * 1e9)
        + r * t_ext**2 * 1e9
        + 2
    )


def test_free_running_clocks_drift_apart_at_most_at_ppm_max() -> None:
    ppm_max = 100.0
    off, info = _offsets(SyncConfig(enabled=False, ppm_max=ppm_max))
    assert np.all(off[:, 0] == 0)  # the AP is the grandmaster
    sim_s = info["warmup_ns"] / 1e9 + STEP_S * np.arange(1, len(off) + 1)
    for node in (1, 2, 3):
        a = np.abs(off[:, node])
        # Two free-running clocks differ by at most 2 ppm_max (+ the bounded wander).
        assert np.all(a <= 2 * ppm_max * 1e-6 * sim_s * 1e9 * 1.01 + 100)
        assert a[-1] > 1.5 * a[len(a) // 2]  # grows ...
        slope, icpt = np.polyfit(sim_s, off[:, node], 1)
        resid = off[:, node] - (slope * sim_s + icpt)
        assert np.abs(resid).max() < 0.01 * a[-1]  # ... linearly
        assert 0.1e3 < abs(slope) < 2 * ppm_max * 1e3  # ns per s = ppm * 1e3
    apart = np.abs(off[:, 1] - off[:, 2])
    assert apart[-1] > 10_000 and apart[-1] > 1.5 * apart[len(apart) // 2]


@pytest.mark.parametrize("traffic_period_s", [None, 0.001])
def test_sync_every_125ms_over_wifi_stays_within_the_derived_bound(
    traffic_period_s: float | None,
) -> None:
    sync = SyncConfig(enabled=True, log_sync_interval=-3, timestamps="phy")
    off, info = _offsets(sync, traffic_period_s=traffic_period_s)
    assert info["sync_warmup_ns"] > 0  # twin time 0 comes after every station's first Sync
    bound = _sync_bound_ns(-3)
    assert 500 < bound < 1000
    worst = np.abs(off[:, 1:]).max()
    assert worst <= bound, f"max |offset| {worst} ns > derived bound {bound:.0f} ns"
    assert np.all(off[:, 0] == 0)


def test_a_station_grandmaster_syncs_the_others_through_the_ap_relay() -> None:
    off, _ = _offsets(SyncConfig(enabled=True, grandmaster="sta1"))
    assert np.all(off[:, 1] == 0)
    worst = np.abs(off[:, [0, 2, 3]]).max()
    assert worst <= 2 * _sync_bound_ns(-3)  # two hops (station - AP - station): errors add


def test_a_longer_sync_interval_gives_a_larger_offset() -> None:
    # At a few ns the wander of one run is noise, so the means are pooled over three seeds and
    # 4 s (two 2 s Sync intervals).
    fast, slow = [], []
    for seed in (1, 2, 3):
        f, _ = _offsets(SyncConfig(enabled=True, log_sync_interval=-3), seed, duration_s=4.0)
        s, _ = _offsets(SyncConfig(enabled=True, log_sync_interval=1), seed, duration_s=4.0)
        fast.append(np.abs(f[:, 1:]))
        slow.append(np.abs(s[:, 1:]))
    assert np.mean(slow) > 2 * np.mean(fast)
    assert np.max(slow) > 2 * np.max(fast)


def test_offsets_after_a_reset_equal_a_fresh_process() -> None:
    cell = dataclasses.replace(small_cell(2, period_s=None), tsn=TsnConfig(SyncConfig(True)))

    def episode(sim: CoSimulation) -> np.ndarray:
        sim.reset(seed=5)
        return np.array([sim.step(k * 0.05).report.link_stats["clock_offset_ns"] for k in (1, 2)])

    with CoSimulation(cell, seed=5) as sim:
        first, after_reset = episode(sim), episode(sim)
    with CoSimulation(cell, seed=5) as sim:
        fresh = episode(sim)
    np.testing.assert_array_equal(first, after_reset)
    np.testing.assert_array_equal(first, fresh)
    assert np.any(first[:, 1:] != 0)


def test_without_a_tsn_section_the_offset_is_nan() -> None:
    with CoSimulation(small_cell(1, period_s=None), seed=1) as sim:
        sim.reset()
        assert np.isnan(sim.step(0.01).report.link_stats["clock_offset_ns"]).all()


def test_ns3_rejects_a_bad_tsn_section_naming_the_field(tmp_path: Path) -> None:
    doc = json.loads(small_cell(1).to_ns3_json(1))
    doc["tsn"] = {"sync": {"enabled": True, "log_sync_interval": 9}}
    with (
        Ns3Process(run_dir=tmp_path) as proc,
        pytest.raises(Ns3Error, match=r"tsn\.sync\.log_sync_interval"),
    ):
        proc.start(json.dumps(doc))


@pytest.mark.parametrize(
    ("sync", "field"),
    [
        ({"ppm_max": -1}, "cell.tsn.sync.ppm_max"),
        ({"log_sync_interval": 5}, "cell.tsn.sync.log_sync_interval"),
        ({"timestamps": "hardware"}, "cell.tsn.sync.timestamps"),
        ({"granularity_ns": 0}, "cell.tsn.sync.granularity_ns"),
        ({"grandmaster": "nobody"}, "cell.tsn.sync.grandmaster"),
    ],
)
def test_python_rejects_bad_sync_values_naming_the_field(sync: dict, field: str) -> None:
    data = {
        "nodes": [{"name": "ap", "role": "ap"}, {"name": "s", "role": "sta"}],
        "tsn": {"sync": sync},
    }
    with pytest.raises(ConfigError, match=field.replace(".", r"\.")):
        build(CellConfig, data, "cell")

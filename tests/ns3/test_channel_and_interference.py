"""The InF channel and non-Wi-Fi interferers, wired from the cell description into real ns-3."""

from __future__ import annotations

from dataclasses import replace

import numpy as np
import pytest

from tests.conftest import small_cell
from twin.config import ChannelConfig, ConfigError, InterfererConfig
from twin.cosim import CoSimulation
from twin.traffic import PeriodicTraffic

pytestmark = pytest.mark.ns3
MS = 1_000_000


def test_inf_los_path_loss_reaches_the_receiver() -> None:
    # Nearly no clutter: P_LOS = exp(-d / k), k = -d_clutter / ln(1 - r) = 2 km (TR 38.901
    # Table 7.4.2-1), so the 10 m link is LOS; shadowing off.
    channel = ChannelConfig(
        model="inf", sub_scenario="InF-DH", clutter_density=0.001, shadowing=False
    )
    cell = replace(small_cell(1, radius_m=10.0), channel=channel)
    with CoSimulation(cell, seed=1) as sim:
        sim.send("sta1.up")
        res = sim.step(0.002)
    rx_dbm = float(res.report.link_stats["rx_power_dbm"][0])  # at the AP
    d3 = np.hypot(10.0, 2.0)  # station (10, 0, 1), AP (0, 0, 3)
    fc_ghz = 5.18  # channel 36, the 5 GHz default for 20 MHz
    # InF-LOS, TR 38.901 Table 7.4.1-1: PL = 31.84 + 21.5 log10(d3D) + 19 log10(fc).
    pl = 31.84 + 21.5 * np.log10(d3) + 19 * np.log10(fc_ghz)
    assert rx_dbm == pytest.approx(20.0 - pl, abs=0.05)


def _p99_and_loss(duty: float | None) -> tuple[float, float]:
    cell = small_cell(3, period_s=0.002, radius_m=5.0)
    if duty is not None:
        jam = InterfererConfig(
            kind="duty_cycled",
            position_m=(2.0, 2.0, 1.0),
            power_dbm=20.0,
            period_s=0.02,
            duty_cycle=duty,
        )
        cell = replace(cell, interferers=(jam,))
    with CoSimulation(cell, seed=2) as sim:
        tr = PeriodicTraffic(cell)
        for k in range(1, 401):
            sim.send_many(*tr.window(k * MS))
            sim.step_ns(k * MS)
        sim.step_ns(500 * MS)
        lat = sim.ledger.latency_ns()
    ok = lat >= 0
    return float(np.percentile(lat[ok], 99) / 1e6), float(1 - ok.mean())


def test_duty_cycled_interferer_raises_latency_with_duty() -> None:
    p99 = [_p99_and_loss(d)[0] for d in (None, 0.25, 0.75)]
    # While it is on, the channel is busy (energy above CCA-ED): packets wait for it to go off,
    # up to duty x 20 ms.
    assert p99[0] < 2.0 < p99[1] < p99[2], p99
    assert p99[2] > 0.5 * 0.75 * 20, p99


def test_interferer_and_channel_values_are_checked() -> None:
    with pytest.raises(ConfigError, match=r"cell.interferers\[0\].duty_cycle: must be in 0..1"):
        replace(small_cell(1), interferers=(InterfererConfig("duty_cycled", duty_cycle=1.5),))
    with pytest.raises(ConfigError, match="cell.channel.sub_scenario: 'InF-XX' is not allowed"):
        replace(small_cell(1), channel=ChannelConfig(model="inf", sub_scenario="InF-XX"))

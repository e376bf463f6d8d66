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


#: Duty-cycle test: 20 ms oven cycle, on from 0.5 ms after twin time 0 (off the flows' send
#: instants, which are whole milliseconds), 4-packet MAC queues.
DUTY_PERIOD_MS = 20.0
DUTY_START_MS = 0.5
DUTY_QUEUE_PACKETS = 4


def _p99_and_loss(duty: float | None) -> tuple[float, float]:
    cell = small_cell(3, period_s=0.002, radius_m=5.0)
    cell = replace(cell, wifi=replace(cell.wifi, max_queue_packets=DUTY_QUEUE_PACKETS))
    if duty is not None:
        jam = InterfererConfig(
            kind="duty_cycled",
            position_m=(2.0, 2.0, 1.0),
            power_dbm=20.0,
            period_s=DUTY_PERIOD_MS / 1e3,
            duty_cycle=duty,
            start_s=DUTY_START_MS / 1e3,
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


def _loss_bounds(duty: float, drain_ms: float = 3.0) -> tuple[float, float]:
    """Share of packets that find a full 4-packet queue, per 20 ms cycle, bounded by hand.

    On for [0.5, 0.5 + T) ms of each cycle, T = duty x 20 ms. The AP gets 3 downlink packets at
    every odd millisecond, each station 1 uplink packet at every even one (60 packets per cycle).
    Nothing is sent while the oven is on (it is far above CCA-ED everywhere), so a queue keeps its
    first 4 arrivals and drops the rest (DropTail). Lower bound: the queues are empty the moment
    the oven goes off. Upper bound: they stay full until ``drain_ms`` after it (4 contenders with
    full VO queues, CWmin 3, collide and back off before the queues empty: 3 ms is generous).
    """

    def dropped(until_ms: float) -> int:
        ap = 3 * sum(1 for t in range(1, 20, 2) if 0.5 <= t < until_ms)
        sta = sum(1 for t in range(0, 20, 2) if 0.5 <= t < until_ms)
        return max(0, ap - DUTY_QUEUE_PACKETS) + 3 * max(0, sta - DUTY_QUEUE_PACKETS)

    off = 0.5 + duty * DUTY_PERIOD_MS
    return dropped(off) / 60, dropped(off + drain_ms) / 60


@pytest.mark.slow
def test_duty_cycled_interferer_raises_p99_latency_and_loss_with_duty() -> None:
    duties = (0.25, 0.5, 0.75)
    res = [_p99_and_loss(d) for d in (None, *duties)]
    p99 = [r[0] for r in res]
    loss = [r[1] for r in res]
    # The oven (20 dBm, 3.5-3.8 m from every node: about -43 dBm received, far above the -62 dBm
    # CCA-ED threshold of IEEE 802.11ax-2021 27.3.20.6.4) silences the whole cell while it is on:
    # packets wait for it to go off (p99 close to the on time), and a small control queue turns the
    # wait into loss. Both rise strictly with duty.
    assert p99 == sorted(p99) and len(set(p99)) == 4, res
    assert loss == sorted(loss) and len(set(loss)) == 4, res
    # No oven: sub-millisecond latency; the odd overflow when 3 downlink packets arrive together
    # while an uplink collision is being retried.
    assert p99[0] < 1.0 and loss[0] < 0.01, res
    for duty, (p, lo) in zip(duties, res[1:], strict=True):
        on_ms = duty * DUTY_PERIOD_MS
        # The first packets queued wait from 1 ms (first arrival after the oven goes on at 0.5 ms)
        # to the end of the on time, plus the drain after it (< 3.5 ms).
        assert on_ms - 0.5 < p < on_ms + 3.5, (duty, res)
        # By hand: [5/60, 8/60], [14/60, 23/60], [29/60, 38/60] (_loss_bounds).
        low, high = _loss_bounds(duty)
        assert low <= lo <= high, (duty, res, (low, high))


def test_interferer_and_channel_values_are_checked() -> None:
    with pytest.raises(ConfigError, match=r"cell.interferers\[0\].duty_cycle: must be in 0..1"):
        replace(small_cell(1), interferers=(InterfererConfig("duty_cycled", duty_cycle=1.5),))
    with pytest.raises(ConfigError, match="cell.channel.sub_scenario: 'InF-XX' is not allowed"):
        replace(small_cell(1), channel=ChannelConfig(model="inf", sub_scenario="InF-XX"))

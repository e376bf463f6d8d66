"""The lockstep loop over the real fabtwin-ns3 and the real ZeroMQ bridge."""

from __future__ import annotations

import numpy as np
import pytest

from tests.conftest import small_cell
from twin.config import CellConfig, FlowConfig, NodeConfig
from twin.cosim import CoSimulation
from twin.packet_ledger import DELIVERED
from twin.traffic import PeriodicTraffic

pytestmark = pytest.mark.ns3

MS = 1_000_000


def _run(cell: CellConfig, seed: int, steps: int = 40, sim: CoSimulation | None = None) -> dict:
    own = sim is None
    sim = sim or CoSimulation(cell, seed=seed)
    sim.reset(seed=seed, cell=cell)
    traffic = PeriodicTraffic(cell)
    for k in range(1, steps + 1):
        f, s, t = traffic.window(k * MS)
        sim.send_many(f, s, t)
        sim.step_ns(k * MS)
    sim.step_ns((steps + 20) * MS)  # drain
    table = sim.ledger.table()
    if own:
        sim.close()
    return table


def test_uplink_downlink_and_relay_are_delivered_at_exact_times() -> None:
    nodes = (
        NodeConfig("ap", "ap", (0, 0, 3)),
        NodeConfig("plc", "sta", (4, 0, 1)),
        NodeConfig("arm", "sta", (0, 6, 1)),
    )
    flows = (
        FlowConfig("plc->ap", "plc", "ap", period_s=None),
        FlowConfig("ap->arm", "ap", "arm", period_s=None),
        FlowConfig("plc->arm", "plc", "arm", period_s=None),
    )
    cell = CellConfig(nodes=nodes, flows=flows)
    with CoSimulation(cell, seed=3) as sim:
        s0 = sim.send("plc->ap", at_s=0.000250)
        s1 = sim.send("ap->arm", at_s=0.000600)
        res = sim.step(0.001)
        s2 = sim.send("plc->arm", at_s=0.0013, size_bytes=1000)
        res2 = sim.step(0.005)
        d = np.concatenate([res.report.deliveries, res2.report.deliveries])
        by_seq = {int(r["seq"]): r for r in d}
        assert set(by_seq) == {s0, s1, s2}
        # Send times are the twin's, to the nanosecond; receive times come later.
        assert by_seq[s0]["send_time_ns"] == 250_000 and by_seq[s1]["send_time_ns"] == 600_000
        lat_us = {
            s: (int(r["rx_time_ns"]) - int(r["send_time_ns"])) / 1e3 for s, r in by_seq.items()
        }
        # An idle 20 MHz HE SU frame of 100 bytes at MCS 7 takes > 40 us of preamble alone plus
        # AIFS (VO: 2 slots + SIFS = 34 us); an idle channel serves it well under 1 ms.
        for s in (s0, s1):
            assert 60 < lat_us[s] < 1000, lat_us
        # Relayed through the AP: two hops, each at least one frame time.
        assert by_seq[s2]["hops"] == 2 and lat_us[s2] > 2 * 60
        assert by_seq[s0]["hops"] == 1
        assert sim.now_s == pytest.approx(0.005)
        assert 0 < by_seq[s0]["sinr_db"] < 80 and by_seq[s0]["mcs"] == 7


def test_positions_move_nodes_in_ns3() -> None:
    cell = small_cell(1, period_s=0.002)
    with CoSimulation(cell, seed=1) as sim:
        traffic = PeriodicTraffic(cell)
        rx_power, uplink_delivered = [], []
        for k, distance in enumerate((2.0, 20.0, 60.0), start=1):
            sim.move([1], np.array([[distance, 0.0, 1.0]]))
            f, s, t = traffic.window(k * 20 * MS)
            sim.send_many(f, s, t)
            res = sim.step_ns(k * 20 * MS)
            rx_power.append(float(res.report.link_stats["rx_power_dbm"][0]))  # at the AP
            uplink_delivered.append(int((res.report.deliveries["flow"] == 0).sum()))
        # Log-distance with exponent 3 between the 3-D distances (AP at 3 m, station at 1 m).
        expected_db = 30 * np.log10(np.hypot(20, 2) / np.hypot(2, 2))
        assert rx_power[0] - rx_power[1] == pytest.approx(expected_db, abs=0.2)
        # At 60 m: 46.7 + 30 log10(60) = 100 dB of loss, -80 dBm, about 14 dB above the noise
        # floor: too little for HE-MCS 7, so nothing is decoded and the uplink stops.
        assert np.isnan(rx_power[2]) and uplink_delivered[2] == 0
        assert uplink_delivered[0] == uplink_delivered[1] == 10


def test_same_seed_identical_different_seed_differs() -> None:
    cell = small_cell(4, period_s=0.001)  # busy enough that backoff draws matter
    a = _run(cell, seed=11)
    b = _run(cell, seed=11)
    c = _run(cell, seed=12)
    for col in ("rx_ns", "fate", "drop_reason", "sinr_db"):
        np.testing.assert_array_equal(a[col], b[col])
    assert not np.array_equal(a["rx_ns"], c["rx_ns"])
    assert (a["fate"] == DELIVERED).mean() > 0.9


def test_in_process_reset_reproduces_a_fresh_process() -> None:
    cell = small_cell(4, period_s=0.001)
    fresh = _run(cell, seed=21)
    sim = CoSimulation(cell, seed=5)
    try:
        _run(cell, seed=5, sim=sim)  # a different episode first
        pid = sim.ns3.pid
        again = _run(cell, seed=21, sim=sim)
        assert sim.ns3.launches == 1 and sim.ns3.pid == pid, "reset relaunched ns-3"
    finally:
        sim.close()
    np.testing.assert_array_equal(fresh["rx_ns"], again["rx_ns"])


def test_tcp_transport_on_loopback() -> None:
    from twin.config import BridgeConfig

    cell = small_cell(1)
    with CoSimulation(cell, seed=1, bridge=BridgeConfig(transport="tcp")) as sim:
        sim.send("sta1.up")
        res = sim.step(0.002)
        assert len(res.report.deliveries) == 1


@pytest.mark.parametrize(
    ("band", "width", "gi", "manager", "mcs"),
    [
        ("2.4GHz", 20, 800, "ideal", 11),
        ("2.4GHz", 20, 3200, "constant", 7),
        ("5GHz", 80, 1600, "ideal", 11),
        ("5GHz", 160, 800, "ideal", 11),
        ("6GHz", 20, 3200, "ideal", 11),
        ("6GHz", 160, 800, "ideal", 11),
    ],
)
def test_bands_widths_and_guard_intervals_carry_packets(
    band: str, width: int, gi: int, manager: str, mcs: int
) -> None:
    from dataclasses import replace

    from twin.config import WifiConfig

    wifi = WifiConfig(
        band=band, channel_width_mhz=width, guard_interval_ns=gi, rate_manager=manager
    )
    cell = replace(small_cell(1), wifi=wifi)
    with CoSimulation(cell, seed=1) as sim:
        sim.send("sta1.up")
        sim.send("sta1.down")
        res = sim.step(0.05)
    d = res.report.deliveries
    assert sorted(d["flow"].tolist()) == [0, 1]
    # 5 m apart: the ideal manager picks the top HE-MCS; the constant one its configured MCS 7.
    assert set(d["mcs"].tolist()) == {mcs}

"""The wired segment (Ethernet TSN bridge behind the AP) over the real ns-3 and bridge.

Hand-derived numbers (docs/tsn.md, "Wired segment"): a payload of P bytes reaches the far end of
a link (8 preamble + 14 header + P + 4 FCS) x 8 / rate + the propagation delay after its
transmission starts; the bridge adds its processing delay; the port is busy
(8 + 14 + P + 4 + 12 gap) x 8 / rate.
"""

from __future__ import annotations

import math

import numpy as np
import pytest

from robots.workcell import ideal_completion_time_s
from tests.ns3.test_workcell_cosim import tiny_workcell_config
from twin.bridge.errors import Ns3Error
from twin.bridge.protocol import Radio
from twin.config import (
    CellConfig,
    ChannelConfig,
    FlowConfig,
    NodeConfig,
    WifiConfig,
    WorkcellJobConfig,
)
from twin.cosim import CoSimulation
from twin.model_link import ModelLink
from twin.wired_config import WiredConfig, WiredQbvConfig, WiredStreamConfig
from twin.workcell_job import make_workcell, workcell_cell

pytestmark = pytest.mark.ns3

SIZE = 100  # payload bytes


def wire_ns(payload: int, rate_bps: float, delay_ns: int) -> float:
    """Start of transmission to the last bit at the far end of one link."""
    return (8 + 14 + payload + 4) * 8 * 1e9 / rate_bps + delay_ns


def cell(
    wired: WiredConfig | None = None, *, extra_flows: tuple[FlowConfig, ...] = ()
) -> CellConfig:
    """An AP (the edge controller), a wired PLC and a wired drive, a Wi-Fi arm 5 m away."""
    nodes = (
        NodeConfig("edge", "ap", (0.0, 0.0, 3.0)),
        NodeConfig("plc", "sta", (2.0, 0.0, 1.0), radio="wired"),
        NodeConfig("drive", "sta", (3.0, 0.0, 1.0), radio="wired"),
        NodeConfig("arm", "sta", (5.0, 0.0, 1.0)),
    )
    flows = (
        FlowConfig("plc->drive", "plc", "drive", size_bytes=SIZE, period_s=1e-3),
        FlowConfig("plc->edge", "plc", "edge", size_bytes=SIZE, period_s=1e-3),
        FlowConfig("plc->arm", "plc", "arm", size_bytes=SIZE, period_s=1e-3),
        FlowConfig("arm->plc", "arm", "plc", size_bytes=SIZE, period_s=1e-3),
        FlowConfig("edge->arm", "edge", "arm", size_bytes=SIZE, period_s=1e-3),
        *extra_flows,
    )
    return CellConfig(nodes=nodes, flows=flows, wired=wired)


def deliveries(
    c: CellConfig, sends: list[tuple[str, int]], until_ns: int = 5_000_000
) -> np.ndarray:
    """Sends each (flow, twin time ns) packet once; returns every delivery by flow order."""
    with CoSimulation(c, seed=1) as sim:
        for flow, at in sends:
            sim.send(flow, at_s=at / 1e9)
        rep = sim.step_ns(until_ns).report
        assert len(rep.drops) == 0, rep.drops
        return rep.deliveries.copy()


def by_flow(c: CellConfig, d: np.ndarray, name: str) -> np.ndarray:
    rows = d[d["flow"] == c.flow_index(name)]
    assert len(rows) == 1, (name, d)
    return rows[0]


@pytest.mark.parametrize(
    ("rate_bps", "delay_ns", "proc_ns"), [(1e9, 50, 1000), (1e8, 500, 2000), (1e10, 5, 0)]
)
def test_wired_latency_equals_serialization_plus_propagation_plus_processing(
    rate_bps: float, delay_ns: int, proc_ns: int
) -> None:
    c = cell(WiredConfig(rate_bps=rate_bps, delay_ns=delay_ns, processing_delay_ns=proc_ns))
    d = deliveries(c, [("plc->drive", 100_000), ("plc->edge", 200_000)])
    # Two links (node -> bridge -> node or the AP's port) and one bridge.
    expected = 2 * wire_ns(SIZE, rate_bps, delay_ns) + proc_ns
    for name in ("plc->drive", "plc->edge"):
        r = by_flow(c, d, name)
        assert abs(int(r["rx_time_ns"] - r["send_time_ns"]) - expected) <= 1, (name, expected)
        assert r["radio"] == Radio.WIRED and r["hops"] == 2
        assert math.isnan(r["sinr_db"]) and r["mcs"] == 0
        assert r["queue_ns"] == r["access_ns"] == r["air_ns"] == -1
    # 1 Gb/s, 50 ns, 1 us: 2 x ((8 + 14 + 100 + 4) x 8 + 50) + 1000 = 3116 ns.
    if rate_bps == 1e9:
        assert expected == 3116


def test_back_to_back_frames_are_spaced_by_the_port_occupancy() -> None:
    c = cell(WiredConfig())
    d = deliveries(c, [("plc->drive", 100_000), ("plc->drive", 100_000)])
    rx = np.sort(d[d["flow"] == c.flow_index("plc->drive")]["rx_time_ns"])
    # The second frame waits for the first's preamble + frame + 12-byte gap: 138 x 8 ns.
    assert len(rx) == 2 and rx[1] - rx[0] == (8 + 14 + SIZE + 4 + 12) * 8


def test_hybrid_path_is_the_wired_part_plus_the_wifi_hop() -> None:
    c = cell(WiredConfig())
    d = deliveries(c, [("plc->arm", 100_000), ("arm->plc", 1_000_000), ("edge->arm", 2_000_000)])
    wired = 2 * wire_ns(SIZE, 1e9, 50) + 1000  # 3116 ns to (or from) the AP's port
    for name in ("plc->arm", "arm->plc"):
        r = by_flow(c, d, name)
        latency = int(r["rx_time_ns"] - r["send_time_ns"])
        wifi = int(r["queue_ns"] + r["access_ns"] + r["air_ns"])  # the Wi-Fi hop's split
        assert r["radio"] == Radio.WIFI and r["hops"] == 3
        assert wifi > 40_000  # AIFS + a PPDU at HE-MCS 7 at least
        # latency - wired part - Wi-Fi hop = the 5 m of air (17 ns) and rounding.
        assert 0 <= latency - wired - wifi <= 100, (name, latency, wifi)
        assert latency >= wired
    assert math.isnan(by_flow(c, d, "arm->plc")["sinr_db"])  # the last hop is a wire
    assert by_flow(c, d, "plc->arm")["sinr_db"] > 10
    # The same Wi-Fi hop from the AP itself is that much shorter: the AP's own frame.
    own = by_flow(c, d, "edge->arm")
    assert own["hops"] == 1 and own["radio"] == Radio.WIFI


def qbv_cell() -> CellConfig:
    """plc->drive is a 1 ms stream scheduled on the bridge; plc->edge stays best effort."""
    qbv = WiredQbvConfig(enabled=True, streams=(WiredStreamConfig("plc->drive"),))
    return cell(WiredConfig(qbv=qbv))


def test_qbv_bridge_port_holds_a_frame_until_its_window_opens() -> None:
    c = qbv_cell()
    with CoSimulation(c, seed=1) as sim:
        info = sim.info["wired"]["qbv"]
        stream = info["streams"]["plc->drive"]
        # Hand: d = (8 + 14 + 100 + 4 + 12) x 8 = 1104 ns per hop, e = 0, guard 0: hop 0 opens at
        # 0, hop 1 at 0 + 1104 + p with p = 1000 processing + 50 cable = 2154 ns; the bound is
        # 2154 + 1104 - 0 = 3258 ns.
        assert info["cycle_ns"] == 1_000_000
        assert [w["open_ns"] for w in stream["windows"]] == [0, 2154]
        assert [w["length_ns"] for w in stream["windows"]] == [1104, 1104]
        assert stream["windows"][1]["link"] == "bridge>drive"
        assert stream["talker_offset_ns"] == 0 and stream["latency_bound_ns"] == 3258
        sim.send("plc->drive", at_s=0.0)  # on time: at the talker offset
        sim.send("plc->drive", at_s=300e-6)  # out of phase: waits for the next window
        sim.send("plc->edge", at_s=400e-6)  # best effort, another port: not held
        d = sim.step_ns(5_000_000).report.deliveries
    stream_rx = np.sort(d[d["flow"] == c.flow_index("plc->drive")]["rx_time_ns"])
    # Released when the window opens (the frame is queued at 1058 + 1000 = 2058 ns), then
    # one link: 2154 + 1058 = 3212 ns, within the bound.
    assert stream_rx[0] == 2154 + 1058
    # Queued at 302 058 ns, held until the window of the next cycle: 1 002 154 + 1058.
    assert stream_rx[1] == 1_000_000 + 2154 + 1058
    be = by_flow(c, d, "plc->edge")
    assert be["rx_time_ns"] - be["send_time_ns"] == 3116


def test_a_hybrid_stream_is_scheduled_on_its_wired_hops_only() -> None:
    qbv = WiredQbvConfig(enabled=True, streams=(WiredStreamConfig("plc->arm"),))
    c = cell(WiredConfig(qbv=qbv))
    with CoSimulation(c, seed=1) as sim:
        windows = sim.info["wired"]["qbv"]["streams"]["plc->arm"]["windows"]
        # The second hop is the bridge's port to the AP, at the same hand-derived 2154 ns.
        assert [(w["link"], w["open_ns"]) for w in windows] == [
            ("plc>bridge", 0),
            ("bridge>edge", 2154),
        ]
        sim.send("edge->arm", at_s=100e-6)  # sets up the AP's Block Ack agreement with arm
        sim.send("plc->arm", at_s=1e-3)  # at the talker offset
        sim.send("plc->arm", at_s=2.3e-3)  # 300 us out of phase
        d = sim.step_ns(5_000_000).report.deliveries
    rows = np.sort(d[d["flow"] == c.flow_index("plc->arm")], order="send_time_ns")
    wifi = rows["queue_ns"] + rows["access_ns"] + rows["air_ns"]
    wait = np.array([0, 700_000])  # to the window of the next cycle
    # latency = wait + 2154 + 1058 on the wire, then the Wi-Fi hop (+ 18 ns of air).
    extra = rows["rx_time_ns"] - rows["send_time_ns"] - wait - (2154 + 1058) - wifi
    assert np.all((extra >= 0) & (extra <= 100)), extra


def test_qbv_configurator_rejects_an_over_subscribed_port() -> None:
    big = tuple(
        FlowConfig(f"big{k}", "plc", "drive", size_bytes=2000, period_s=1e-4) for k in range(7)
    )
    qbv = WiredQbvConfig(enabled=True, streams=tuple(WiredStreamConfig(f.name) for f in big))
    with pytest.raises(
        Ns3Error,
        match=r"wired\.qbv\.streams: stream big\d over-subscribes link "
        r"plc>bridge by",
    ):
        with CoSimulation(cell(WiredConfig(qbv=qbv), extra_flows=big), seed=1):
            pass


def workcell_run(
    network: str, n_best_effort: int
) -> tuple[dict[str, float], dict[str, np.ndarray]]:
    """One part through the tiny test workcell; its summary and the packet ledger."""
    wc_cfg = tiny_workcell_config()
    job = WorkcellJobConfig(
        n_parts=1,
        network=network,
        n_best_effort=n_best_effort,
        best_effort_access_category="VO",  # competes with the robots on equal terms
        best_effort_size_bytes=2000,
        best_effort_period_s=0.001,
    )
    c = workcell_cell(job, WifiConfig(), ChannelConfig())
    model = make_workcell(job, wc_cfg)
    with CoSimulation(c, seed=3) as sim:
        link = ModelLink(model, sim, wc_cfg.arm_link.period_s)
        link.run(30.0, done=lambda: model.finished)
        assert model.finished
        return dict(model.summary()), sim.ledger.table()


def test_fully_wired_workcell_has_no_network_wait_beyond_the_control_period() -> None:
    job = WorkcellJobConfig(network="wired", n_best_effort=2)
    c = workcell_cell(job, WifiConfig(), ChannelConfig())
    assert all(n.is_wired for n in c.nodes if n.role != "ap")  # be1, be2 included
    wired, table = workcell_run("wired", 2)
    assert np.all(table["latency_ns"] >= 0)  # nothing lost on the wire
    # Two 1 Gb/s links and the bridge per packet: microseconds, even with 2 x 16 Mbit/s of VO
    # load on the AP's port.
    assert np.max(table["latency_ns"]) < 50_000
    # Every hop is far below one control period, so the network costs exactly the one period
    # per hop that the closed form counts (robots.messages timing contract): no extra wait.
    expected = ideal_completion_time_s(tiny_workcell_config(), 1)
    assert wired["cell/completion_time_s"] == pytest.approx(expected, abs=1e-6)
    assert wired["cell/safety_stops"] == 0


@pytest.mark.slow
def test_the_same_load_over_wifi_costs_network_wait_the_wired_baseline_does_not_have() -> None:
    wired, _ = workcell_run("wired", 2)
    wifi, _ = workcell_run("wifi", 2)
    wait = [x["arm1/wait_network_s"] + x["arm2/wait_network_s"] for x in (wired, wifi)]
    assert wait[1] > wait[0], wait
    assert wifi["cell/completion_time_s"] > wired["cell/completion_time_s"]

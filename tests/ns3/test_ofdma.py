"""DL and UL OFDMA with the twin's external schedule, over the real bridge and ns-3.

Stations sit on a circle around the AP so that every PPDU reaches every receiver with the same
propagation delay: the MPDUs of one MU PPDU then arrive at one nanosecond.
"""

from __future__ import annotations

import math

import numpy as np
import pytest

from twin.bridge.errors import Ns3Error
from twin.config import CellConfig, FlowConfig, NodeConfig, OfdmaConfig, WifiConfig
from twin.cosim import CoSimulation, StepResult

pytestmark = pytest.mark.ns3
MS = 1_000_000
# EDCA disabled for 255 x 8.192 ms after a TB PPDU (IEEE 802.11ax-2021 9.4.2.251): uplink
# frames wait for the AP's triggers for the whole test.
MU_EDCA_MS = 255 * 8.192


def ofdma_cell(n: int, ofdma: OfdmaConfig | None = None, radius_m: float = 5.0) -> CellConfig:
    """An AP and n stations on a circle, one uplink and one downlink VO flow per station."""
    nodes = [NodeConfig("ap", "ap", (0.0, 0.0, 1.0))]
    for i in range(n):
        a = 2 * math.pi * i / n
        nodes.append(
            NodeConfig(f"sta{i + 1}", "sta", (radius_m * math.cos(a), radius_m * math.sin(a), 1.0))
        )
    flows = []
    for i in range(1, n + 1):
        flows.append(FlowConfig(f"sta{i}.up", f"sta{i}", "ap", size_bytes=100, period_s=None))
        flows.append(FlowConfig(f"sta{i}.down", "ap", f"sta{i}", size_bytes=100, period_s=None))
    wifi = WifiConfig(mcs=7, ofdma=ofdma if ofdma is not None else OfdmaConfig())
    return CellConfig(nodes=tuple(nodes), flows=tuple(flows), wifi=wifi)


def burst(sim: CoSimulation, n: int, direction: str, at_ms: float, until_ms: float) -> StepResult:
    """One 100-byte packet per station at the same instant; the step's deliveries."""
    for i in range(1, n + 1):
        sim.send(f"sta{i}.{direction}", at_s=at_ms / 1e3)
    return sim.step(until_ms / 1e3)


def test_nine_stations_share_one_trigger_based_ul_ppdu_on_26_tone_rus() -> None:
    cell = ofdma_cell(9, OfdmaConfig(ul=True, mu_edca_timer_ms=MU_EDCA_MS))
    with CoSimulation(cell, seed=1) as sim:
        sim.schedule_mu(ul={f"sta{i}": 26 for i in range(1, 10)})
        sim.step(0.002)
        res = burst(sim, 9, "up", 2.0, 6.0)
        # Without a schedule, ns-3's round robin (BSRP, then Basic Trigger Frames for at most
        # max_stations = 4 stations on 52-tone RUs) serves them over several TB PPDUs.
        sim.clear_mu_schedule()
        sim.step(0.007)
        rr = burst(sim, 9, "up", 7.0, 40.0).report.deliveries
    d = res.report.deliveries
    assert len(d) == 9
    # All nine MPDUs end in the same TB PPDU: one receive time, one airtime, no retry.
    assert len(set(d["rx_time_ns"].tolist())) == 1
    assert len(set(d["air_ns"].tolist())) == 1
    assert (d["retries"] == 0).all()
    # The stations waited for the trigger (access), not behind other frames (queue).
    assert (d["queue_ns"] == 0).all() and (d["access_ns"] > 0).all()
    assert len(rr) == 9
    _, per_ppdu = np.unique(rr["rx_time_ns"], return_counts=True)
    assert per_ppdu.max() <= 4 and per_ppdu.max() >= 2, per_ppdu


def test_nine_stations_share_one_dl_mu_ppdu_on_26_tone_rus() -> None:
    cell = ofdma_cell(9, OfdmaConfig(ul=False))
    with CoSimulation(cell, seed=1) as sim:
        sim.schedule_mu(dl={f"sta{i}": 26 for i in range(1, 10)})
        sim.step(0.001)
        res = burst(sim, 9, "down", 1.0, 4.0)
    d = res.report.deliveries
    assert len(d) == 9
    assert len(set(d["rx_time_ns"].tolist())) == 1
    assert len(set(d["air_ns"].tolist())) == 1


def _dl_airtime(schedule: dict[str, int] | None, n: int = 4) -> np.ndarray:
    with CoSimulation(ofdma_cell(n, OfdmaConfig(ul=False, max_stations=4)), seed=1) as sim:
        if schedule is not None:
            sim.schedule_mu(dl=schedule)
        sim.step(0.001)
        res = burst(sim, n, "down", 1.0, 4.0)
    d = res.report.deliveries
    assert len(d) == n
    assert len(set(d["rx_time_ns"].tolist())) == 1, "not one DL MU PPDU"
    return d["air_ns"]


def test_round_robin_runs_without_a_schedule_and_ru_sizes_are_honoured() -> None:
    # No schedule: ns-3's round robin puts the four stations in one DL MU PPDU (four 52-tone
    # RUs fill 20 MHz but the centre 26-tone RU).
    rr = _dl_airtime(None)
    # The twin asks for the same stations on 52-tone RUs: the same PPDU.
    on52 = _dl_airtime({f"sta{i}": 52 for i in range(1, 5)})
    assert (on52 == rr).all()
    # ... and on 26-tone RUs: half the data subcarriers (24 instead of 48, IEEE 802.11ax-2021
    # Table 27-8), so the data field of the 100-byte MPDU (A-MPDU delimiter 4 + QoS header 26
    # + LLC/SNAP 8 + 100 + FCS 4 = 142 bytes) needs ceil((16 + 8 x 142 + 6) / 120) = 10 HE-MCS 7
    # symbols instead of ceil(1158 / 240) = 5: five more 13.6 us symbols (12.8 us + 0.8 us GI).
    on26 = _dl_airtime({f"sta{i}": 26 for i in range(1, 5)})
    data_diff_ns = 5 * 13_600
    # HE-SIG-B differs too (the RU Allocation of 9 x 26 carries more user fields): a few 4 us
    # symbols at most.
    assert data_diff_ns - 16_000 <= int(on26[0] - on52[0]) <= data_diff_ns + 16_000


def test_bad_mu_schedules_are_refused_by_name() -> None:
    with CoSimulation(ofdma_cell(2, OfdmaConfig(ul=False)), seed=1) as sim:
        sim.schedule_mu(dl={"sta1": 484})
        with pytest.raises(
            Ns3Error, match=r"ru_tones 484: allowed for a 20 MHz channel: 26, 52, 106, 242"
        ):
            sim.step(0.001)
        sim.schedule_mu(ul={"sta1": 26})
        with pytest.raises(Ns3Error, match=r"direction 1 \(UL\).*ofdma.ul: false"):
            sim.step(0.001)
        sim.schedule_mu(dl={"ap": 26})
        with pytest.raises(Ns3Error, match="node: must be an associated station"):
            sim.step(0.001)
        sim.schedule_mu(dl={"sta1": 26, "sta2": 52})
        with pytest.raises(Ns3Error, match="all stations of one direction take RUs of one size"):
            sim.step(0.001)
        sim.clear_mu_schedule()
        assert sim.step(0.001).now_s == pytest.approx(0.001)


def test_more_rus_than_fit_are_refused() -> None:
    with CoSimulation(ofdma_cell(10, OfdmaConfig(ul=False)), seed=1) as sim:
        sim.schedule_mu(dl={f"sta{i}": 26 for i in range(1, 11)})
        with pytest.raises(
            Ns3Error, match="10 RUs of 26 tones do not fit a 20 MHz channel: at most 9"
        ):
            sim.step(0.001)


def test_schedule_mu_builds_the_protocol_records() -> None:
    sim = CoSimulation(ofdma_cell(3))  # not started: only the twin side
    sim.schedule_mu(dl={"sta1": 106, 3: 106}, ul={"sta2": 52})
    rec = sim._pending_mu
    assert rec is not None
    assert rec["node"].tolist() == [1, 3, 2]
    assert rec["ru_tones"].tolist() == [106, 106, 52]
    assert rec["direction"].tolist() == [0, 0, 1]
    sim.clear_mu_schedule()
    assert sim._pending_mu is not None and sim._pending_mu["node"].tolist() == [0xFFFFFFFF]
    with pytest.raises(ValueError, match="ru_tones 27"):
        sim.schedule_mu(dl={"sta1": 27})
    with pytest.raises(ValueError, match="node 'nobody' is not in the cell"):
        sim.schedule_mu(ul={"nobody": 26})
    with pytest.raises(ValueError, match="clear_mu_schedule clears"):
        sim.schedule_mu()

"""Overlapping BSSs (co-channel, adjacent-channel) and the per-node busy fraction, over real ns-3.

The OBSS is a foreign AP with stations placed in the hall (twin/obss_config.py); its packets are
never reported to the twin, so everything here is seen from the cell: its nodes' busy fraction
(LinkStatsRecord.busy_fraction: TX + RX + primary-channel CCA busy, PhyBusyTracker) and its control
flows' latency and SINR.
"""

from __future__ import annotations

from dataclasses import replace

import numpy as np
import pytest

from tests.conftest import small_cell
from twin.config import CellConfig, ConfigError
from twin.cosim import CoSimulation
from twin.obss_config import ObssConfig
from twin.traffic import PeriodicTraffic

pytestmark = pytest.mark.ns3
MS = 1_000_000


def _busy(cell: CellConfig, steps: int, step_ms: float, traffic: bool = False) -> np.ndarray:
    """busy_fraction of every node (columns) in every step (rows)."""
    rows = []
    step_ns = round(step_ms * MS)
    with CoSimulation(cell, seed=3) as sim:
        tr = PeriodicTraffic(cell)
        for k in range(1, steps + 1):
            if traffic:
                sim.send_many(*tr.window(k * step_ns))
            res = sim.step_ns(k * step_ns)
            rows.append(np.asarray(res.report.link_stats["busy_fraction"], dtype=float))
    return np.array(rows)


def test_idle_cell_is_busy_only_for_beacons() -> None:
    # No traffic: the only frames are the AP's beacons, one per 102.4 ms (ns-3's default beacon
    # interval, 100 TU). A beacon is a non-HT PPDU at 6 Mb/s (the lowest basic rate at 5 GHz): a
    # 100..400-byte beacon lasts 20 + 4 ceil((22 + 8 L) / 24) us = 160..560 us (IEEE 802.11-2020
    # 17.3.5.4), i.e. 0.16..0.55 % of 102.4 ms. The AP counts it as TX, the station as RX.
    cell = small_cell(1, period_s=None)
    busy = _busy(cell, steps=10, step_ms=102.4)
    mean = busy.mean(axis=0)
    assert np.all(busy >= 0) and np.all(busy <= 1), busy
    assert np.all((mean > 0.0016) & (mean < 0.0055)), mean


def _control_cell(obss: tuple[ObssConfig, ...] = ()) -> CellConfig:
    cell = small_cell(2, period_s=0.002, radius_m=5.0)
    return replace(cell, obss=obss)


def _run_control(cell: CellConfig, steps: int = 300) -> dict[str, float]:
    """p99 and mean latency (ms), loss, mean busy fraction and SINR (dB) at the AP."""
    busy, sinr = [], []
    with CoSimulation(cell, seed=4) as sim:
        tr = PeriodicTraffic(cell)
        for k in range(1, steps + 1):
            sim.send_many(*tr.window(k * MS))
            res = sim.step_ns(k * MS)
            busy.append(float(res.report.link_stats["busy_fraction"][0]))
            s = float(res.report.link_stats["sinr_db"][0])
            if np.isfinite(s):
                sinr.append(s)
        sim.step_ns((steps + 200) * MS)
        lat = sim.ledger.latency_ns()
    ok = lat >= 0
    return {
        "p99_ms": float(np.percentile(lat[ok], 99) / 1e6),
        "mean_ms": float(lat[ok].mean() / 1e6),
        "loss": float(1 - ok.mean()),
        "busy": float(np.mean(busy)),
        "sinr_db": float(np.mean(sinr)),
    }


def _obss(channel_number: int = 0, **kw: object) -> ObssConfig:
    # 8 m from the cell's AP (0, 0, 3): about -50 dBm at the cell's nodes with the default
    # log-distance model (46.68 + 30 log10 d dB), so co-channel preambles are always detected
    # (CCA-PD at -82 dBm) and the cell defers to every OBSS PPDU.
    base = ObssConfig(ap_position_m=(8.0, 0.0, 3.0), stations=2, station_radius_m=2.0)
    return replace(base, channel_number=channel_number, **kw)  # type: ignore[arg-type]


def test_saturated_obss_fills_the_idle_cells_busy_fraction() -> None:
    # The cell sends nothing; a saturated co-channel OBSS (AP + 2 stations, both directions, BE)
    # sends A-MPDUs as long as aPPDUMaxTime = 5.484 ms (IEEE 802.11ax-2021 Table 27-54; 96 queued
    # 1500-byte packets would take 13.8 ms at HE-MCS 7). Between two: SIFS 16 us (idle), a block
    # ack (non-HT 24 Mb/s, 32 us, busy), then AIFS[BE] = 16 + 3 x 9 = 43 us and a backoff of at
    # most CWmin[BE] = 15 slots of 9 us (idle). Busy share >= (5484 + 32) / (5484 + 32 + 16 + 43
    # + 135) = 0.966 for every cycle; beacons add a little.
    cell = replace(small_cell(1, period_s=None), obss=(_obss(),))
    busy = _busy(cell, steps=10, step_ms=20.0)
    mean = busy.mean(axis=0)
    assert np.all((mean > 0.966) & (mean <= 1.0)), busy


@pytest.mark.slow
def test_saturated_obss_delays_control_traffic_and_raises_busy_fraction() -> None:
    quiet = _run_control(_control_cell())
    co = _run_control(_control_cell((_obss(),)))
    # Quiet: 4 VO packets of 100 bytes per 2 ms, each about 0.1 ms of PPDU + ack at the AP.
    assert quiet["busy"] < 0.35 and quiet["p99_ms"] < 1.0, quiet
    # With the OBSS the cell waits out 5.484 ms OBSS PPDUs, often more than one: its VO frames
    # (AIFSN 2, CWmin 3) usually win the contention after a PPDU, but a collision with an OBSS
    # frame costs a whole OBSS PPDU. No packet is lost (500 ms MSDU lifetime).
    assert co["busy"] > 0.8, co
    assert co["p99_ms"] > 5.484 and co["mean_ms"] > 2.0, co
    assert co["loss"] == 0.0, co


@pytest.mark.slow
def test_adjacent_channel_obss_degrades_less_than_cochannel_more_than_none() -> None:
    # Cell on channel 36 (5180 MHz); OBSS on 40 (5200 MHz, adjacent) or 36 (co-channel), same
    # power and place. The adjacent OBSS reaches the cell only through its transmit mask
    # (IEEE 802.11ax-2021 27.3.19.1: -20 dBr at 11 MHz from its centre, -28 dBr at 20 MHz, -40 dBr
    # at 30 MHz), i.e. 5170-5190 MHz lies 10-30 MHz below 5200 MHz.
    none = _run_control(_control_cell())
    adjacent = _run_control(_control_cell((_obss(channel_number=40),)))
    co = _run_control(_control_cell((_obss(channel_number=36),)))
    # The cell cannot decode the adjacent OBSS, but its leakage adds interference everywhere, and
    # at sta1 (5, 0, 1), 1 m from the OBSS station at (6, 0, 1), it exceeds CCA-ED (-62 dBm):
    # in-band -26.7 dBm there, of which the mask puts about -25 dB (-52 dBm) inside channel 36
    # (integral of its -20/-28/-40 dBr slopes over 10-30 MHz off centre). Measured (seed 4):
    # mean latency 0.25 / 3.7 / 4.4 ms, busy fraction at the AP 0.27 / 0.42 / 0.88.
    assert none["mean_ms"] < adjacent["mean_ms"] < co["mean_ms"], (none, adjacent, co)
    assert none["busy"] + 0.05 < adjacent["busy"] < co["busy"] - 0.2, (none, adjacent, co)
    assert adjacent["mean_ms"] > 5 * none["mean_ms"], (none, adjacent)


def _obss_busy(load: str, **kw: object) -> float:
    obss = replace(_obss(), load=load, direction="up", stations=1, **kw)  # type: ignore[arg-type]
    cell = replace(small_cell(1, period_s=None), obss=(obss,))
    busy = _busy(cell, steps=20, step_ms=20.0)
    return float(busy[:, 0].mean())


@pytest.mark.slow
def test_obss_periodic_and_poisson_loads_scale_the_busy_time() -> None:
    # One OBSS station sends 1500-byte packets to its AP. Each costs the same airtime at the
    # cell's AP, so the busy fraction is proportional to the packet rate, and a Poisson stream
    # busies the medium as much as a periodic one of the same mean rate.
    # By hand, per packet: HE SU PPDU, 44 us of preamble (L-STF 8, L-LTF 8, L-SIG 4, RL-SIG 4,
    # HE-SIG-A 8, HE-STF 4, one HE-LTF 8; IEEE 802.11ax-2021 Table 27-12) + 11 data symbols of
    # 13.6 us (16 + 8 x 1542 + 6 bits at 1170 bits per symbol, HE-MCS 7, 242 tones) = 194 us,
    # + packet extension, + a 28..32 us ack at 24 Mb/s: about 220..250 us of busy air.
    periodic_200 = _obss_busy("periodic", period_s=0.005)
    periodic_400 = _obss_busy("periodic", period_s=0.0025)
    poisson_400 = _obss_busy("poisson", rate_pps=400.0)
    beacons = 0.0028  # one 288 us beacon per 102.4 ms (test_idle_cell_is_busy_only_for_beacons)
    per_packet_us = (periodic_400 - beacons) / 400 * 1e6
    assert 200 < per_packet_us < 260, per_packet_us
    assert (periodic_400 - beacons) / (periodic_200 - beacons) == pytest.approx(2.0, rel=0.1)
    assert poisson_400 == pytest.approx(periodic_400, rel=0.15)


def test_obss_values_are_checked() -> None:
    with pytest.raises(ConfigError, match=r"cell.obss\[0\].load: allowed: saturated"):
        _control_cell((ObssConfig(load="bursty"),))
    with pytest.raises(ConfigError, match=r"cell.obss\[0\].stations: must be in 1..64"):
        _control_cell((ObssConfig(stations=0),))


def test_obss_channel_that_does_not_exist_is_named() -> None:
    cell = _control_cell((_obss(channel_number=37),))
    with pytest.raises(Exception, match=r"obss\[0\].channel_number: 37 is not a 20 MHz channel"):
        with CoSimulation(cell, seed=1) as sim:
            sim.step(0.001)

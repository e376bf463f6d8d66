"""NR in the cell, over the real fabtwin-ns3 and the real ZeroMQ bridge (docs/nr.md, "In the cell").

The latency tests send one 32-byte packet at twin time 0 (an NR frame boundary: the cell aligns
twin time 0 to 20 ms) and assert the one-way latency and its split against the hand derivations
A, B and C of docs/nr.md.
"""

from __future__ import annotations

import dataclasses
import json
import re

import numpy as np
import pytest

from twin.bridge.errors import Ns3Error
from twin.bridge.ns3_process import Ns3Process
from twin.bridge.protocol import MU_SCHEDULE_DTYPE, DropReason, MuDirection, Radio
from twin.config import InterfererConfig, NrCgConfig, NrConfig, WifiConfig
from twin.cosim import CoSimulation
from twin.nr_cells import nr_uplink_cell

pytestmark = pytest.mark.ns3

#: 1 ms in Tc (TS 38.211 §4.1: Tc = 1 / (480 kHz * 4096)).
TC_PER_MS = 1_966_080


def _tc_ns(tc: int) -> float:
    return tc * 1e6 / TC_PER_MS


def _one_packet(nr: NrConfig, flow: str, until_s: float = 0.02) -> np.void:
    cell = nr_uplink_cell(nr, downlink=True)
    with CoSimulation(cell, seed=1) as sim:
        seq = sim.send(flow, at_s=0.0)
        res = sim.step(until_s)
        d = res.report.deliveries
        assert len(d) == 1 and int(d[0]["seq"]) == seq, d
        assert len(res.report.drops) == 0
        return d[0]


def _assert_split(d: np.void, latency_ns: float, queue: float, access: float, air: float) -> None:
    assert int(d["radio"]) == Radio.NR and int(d["retries"]) == 0 and int(d["hops"]) == 1
    assert int(d["rx_time_ns"]) - int(d["send_time_ns"]) == pytest.approx(latency_ns, abs=1)
    assert int(d["queue_ns"]) == pytest.approx(queue, abs=1)
    assert int(d["access_ns"]) == pytest.approx(access, abs=1)
    assert int(d["air_ns"]) == pytest.approx(air, abs=1)
    assert d["sinr_db"] > 10


def test_mu0_fdd_slot_based_dynamic_grant_uplink_equals_derivation_a() -> None:
    d = _one_packet(NrConfig(numerology=0, duplex="FDD", num_rbs=52), "ue1.up")
    # SR symbol 13 of slot 0, grant PDCCH in slot 2 (ends 2 ms + 141312 Tc), PUSCH slot 3,
    # + 4 symbols of gNB decoding: 4 ms + 4 * 140288 Tc = 4.285417 ms.
    grant = 2e6 + _tc_ns(141_312)
    _assert_split(d, 4e6 + _tc_ns(4 * 140_288), 3e6 - grant, grant, 1e6)
    assert round(4e6 + _tc_ns(4 * 140_288)) == 4_285_417


def test_mu1_tdd_slot_based_equals_derivation_b() -> None:
    nr = NrConfig(numerology=1, duplex="DDDSU")
    up = _one_packet(nr, "ue1.up")
    # SR in S slot 3, grant PDCCH slot 5 (2.5 ms + 71168 Tc), PUSCH in U slot 9 (4.5-5 ms),
    # + 4 * 70144 Tc of decoding = 5.142708 ms.
    grant = 2.5e6 + _tc_ns(71_168)
    _assert_split(up, 5e6 + _tc_ns(4 * 70_144), 4.5e6 - grant, grant, 0.5e6)
    down = _one_packet(nr, "ue1.down")
    # PDSCH on symbols 1-13 of D slot 1, + T_proc,1 = 10 * 70144 Tc = 1.356771 ms.
    first = 0.5e6 + _tc_ns(71_168)
    _assert_split(down, 1e6 + _tc_ns(10 * 70_144), first, 0, 1e6 - first)
    assert round(1e6 + _tc_ns(10 * 70_144)) == 1_356_771


def test_mu3_two_symbol_minislots_configured_grant_is_under_half_a_millisecond() -> None:
    nr = NrConfig(
        numerology=3,
        duplex="FDD",
        allocation_symbols=2,
        num_rbs=66,
        carrier_frequency_hz=28e9,
        mcs_table="qam64_lowse",
        ul_access="configured_grant",
        cg=NrCgConfig(period_symbols=2, rbs_per_ue=20, mcs=20),
    )
    d = _one_packet(nr, "ue1.up")
    # Ready after T_proc,2 = 37 symbols -> CG occasion at symbol 38 (667392 Tc), 2 symbols of
    # PUSCH (35072 Tc), + 4 * 17536 Tc of decoding = 772608 Tc = 392.969 us.
    _assert_split(d, _tc_ns(772_608), _tc_ns(667_392), 0, _tc_ns(35_072))
    assert _tc_ns(772_608) < 500_000


def test_core_delay_adds_once() -> None:
    d = _one_packet(NrConfig(numerology=0, duplex="FDD", num_rbs=52, core_delay_s=1e-3), "ue1.up")
    assert int(d["rx_time_ns"]) - int(d["send_time_ns"]) == pytest.approx(5_285_417, abs=1)


def test_largest_twin_packet_crosses_nr() -> None:
    # 2296 bytes (the cell's packet limit) exceed the 64-byte SR grant: the first PUSCH carries a
    # BSR, the second grant the packet. mu 1 FDD: SR slot 0 symbol 13, grant slot 2, PUSCH slot 3,
    # decoded 2 ms + 4 symbols; then PDCCH slot 5, PUSCH slot 6, decoded 3.5 ms + 142.708 us.
    cell = nr_uplink_cell(NrConfig(numerology=1, duplex="FDD"), size_bytes=2296)
    with CoSimulation(cell, seed=1) as sim:
        seq = sim.send("ue1.up", at_s=0.0)
        d = sim.step(0.02).report.deliveries
    assert [int(s) for s in d["seq"]] == [seq]
    assert int(d[0]["rx_time_ns"]) == pytest.approx(3.5e6 + _tc_ns(4 * 70_144), abs=1)


def test_twin_schedule_selects_which_ue_gets_the_uplink_grant_first() -> None:
    # One PDCCH grant per occasion (control_rbs 4): two UEs whose SRs arrive together are granted
    # one slot apart. By default the lower RNTI (ue1) goes first; an UL MuScheduleRecord naming
    # ue2 turns the order round.
    nr = NrConfig(numerology=1, duplex="FDD", control_rbs=4)
    cell = nr_uplink_cell(nr, 2)
    latency: dict[str, dict[str, int]] = {}
    with CoSimulation(cell, seed=1) as sim:
        for case in ("default", "ue2 first"):
            sim.reset()
            if case == "ue2 first":
                rec = np.zeros(1, MU_SCHEDULE_DTYPE)
                rec["node"] = cell.node_index("ue2")
                rec["direction"] = MuDirection.UL
                sim.set_mu_schedule(rec)
            s1 = sim.send("ue1.up", at_s=0.0)
            s2 = sim.send("ue2.up", at_s=0.0)
            d = sim.step(0.02).report.deliveries
            lat = {int(r["seq"]): int(r["rx_time_ns"] - r["send_time_ns"]) for r in d}
            latency[case] = {"ue1": lat[s1], "ue2": lat[s2]}
    assert latency["default"]["ue2"] - latency["default"]["ue1"] == 500_000  # one mu-1 slot
    assert latency["ue2 first"]["ue1"] - latency["ue2 first"]["ue2"] == 500_000
    assert latency["default"]["ue1"] == latency["ue2 first"]["ue2"]


def test_radio_both_delivers_every_packet_exactly_once_when_one_radio_fails() -> None:
    """802.1CB-style duplication: Wi-Fi jammed 20-60 ms, NR jammed 120-160 ms."""
    # on for 40 ms from start_s (then off for the rest of the 1 s period)
    wifi_jammer = InterfererConfig(
        "duty_cycled", (0.5, 0.0, 3.0), 30.0, period_s=1.0, duty_cycle=0.04, start_s=0.02
    )
    nr_jammer = dataclasses.replace(wifi_jammer, center_frequency_hz=3.7e9, start_s=0.12)
    nr = NrConfig(numerology=1, duplex="DDDSU", harq_max_transmissions=1)
    base = nr_uplink_cell(
        nr, 1, radio="both", dual_radio=True, interferers=(wifi_jammer, nr_jammer)
    )
    single = tuple(
        dataclasses.replace(base.flows[0], name=f"{r}-only", radio=r) for r in ("wifi", "nr")
    )
    cell = dataclasses.replace(
        base, flows=base.flows + single, wifi=WifiConfig(msdu_lifetime_ms=3.0)
    )
    n = 200
    names = ("ue1.up", "wifi-only", "nr-only")
    deliveries, drops = [], []
    with CoSimulation(cell, seed=2) as sim:
        seqs: dict[str, list[int]] = {name: [] for name in names}
        for k in range(n + 100):
            if k < n:
                for name in names:
                    seqs[name].append(sim.send(name, at_s=k * 1e-3))
            rep = sim.step((k + 1) * 1e-3).report
            deliveries.append(rep.deliveries)
            drops.append(rep.drops)
    d = np.concatenate(deliveries)
    x = np.concatenate(drops)
    send_ms = np.arange(n)
    wifi_window = (send_ms >= 22) & (send_ms < 58)
    nr_window = (send_ms >= 122) & (send_ms < 158)
    calm = ~((send_ms >= 15) & (send_ms < 70)) & ~((send_ms >= 115) & (send_ms < 170))

    def fate(name: str) -> tuple[np.ndarray, np.ndarray]:
        """Per packet of flow name: radio of its delivery (-1: none) and latency (ns, -1)."""
        radio, latency = np.full(n, -1), np.full(n, -1)
        for k, seq in enumerate(seqs[name]):
            mine = d[d["seq"] == seq]
            if len(mine):
                radio[k] = mine["radio"][0]
                latency[k] = mine["rx_time_ns"][0] - mine["send_time_ns"][0]
        return radio, latency

    # Every duplicated packet is delivered exactly once, none is reported lost.
    dup = np.array(seqs["ue1.up"])
    counts = np.array([(d["seq"] == s).sum() for s in dup])
    assert (counts == 1).all(), np.flatnonzero(counts != 1)
    dup_drops = x[np.isin(x["seq"], dup)]
    assert (dup_drops["reason"] == DropReason.DUPLICATE_ELIMINATED).all()
    radio, _ = fate("ue1.up")
    # Wi-Fi jammed: the single-radio Wi-Fi flow loses its packets (MSDU lifetime 3 ms), the
    # duplicated flow's come over NR.
    _, wifi_latency = fate("wifi-only")
    assert ((wifi_latency == -1) | (wifi_latency > 5_000_000))[wifi_window].all()
    assert (radio[wifi_window] == Radio.NR).all()
    # NR jammed: the NR-only flow loses its packets (HARQ, 1 transmission) or, while its
    # scheduling requests fail, delays them past the jamming; the duplicated flow's come over
    # Wi-Fi.
    _, nr_latency = fate("nr-only")
    assert ((nr_latency == -1) | (nr_latency > 5_000_000))[nr_window].all()
    assert (radio[nr_window] == Radio.WIFI).all()
    # Calm: both copies arrive, Wi-Fi first (well under 1 ms), the NR copy is eliminated.
    assert (radio[calm] == Radio.WIFI).all()
    eliminated = set(dup_drops["seq"].tolist())
    assert all(int(s) in eliminated for s in dup[calm])
    assert not any(int(s) in eliminated for s in dup[wifi_window])


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"nr": {"numerology": 5}}, "nr.numerology"),
        ({"nr": {"duplex": "DDXU"}}, "nr.duplex"),
        (
            {
                "nr": {
                    "allocation_symbols": 2,
                    "ul_access": "configured_grant",
                    "cg": {"rbs_per_ue": 1},
                }
            },
            "nr.cg",
        ),
        ({"flows": [{"name": "f", "src": 1, "dst": 0, "radio": "wifi"}]}, "flows[0].radio"),
        ({"flows": [{"name": "f", "src": 1, "dst": 0, "radio": "5g"}]}, "flows[0].radio"),
    ],
)
def test_ns3_refuses_bad_nr_descriptions_naming_the_field(
    change: dict[str, object], field: str
) -> None:
    """The C++ parser checks again what would crash ns-3 (the twin checks first)."""
    doc: dict[str, object] = {
        "seed": 1,
        "nodes": [
            {"name": "ap", "role": "ap", "radio": "both", "position_m": [0, 0, 3]},
            {"name": "ue", "role": "ue", "position_m": [5, 0, 1]},
        ],
        "flows": [{"name": "f", "src": 1, "dst": 0, "radio": "nr"}],
    }
    doc.update(change)
    proc = Ns3Process()
    try:
        with pytest.raises(Ns3Error, match=re.escape(f"cell description: {field}")):
            proc.start(json.dumps(doc))
    finally:
        proc.close()

"""TransmissionRecords (REPORT frame 4) over the real bridge: every PPDU on the air."""

from __future__ import annotations

import dataclasses
import math
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from tests.conftest import small_cell
from twin.bridge.protocol import NO_FLOW, TxKind
from twin.config import ReportConfig
from twin.cosim import CoSimulation

pytestmark = pytest.mark.ns3

SCRIPTS = Path(__file__).resolve().parents[2] / "scripts"


def he_su_duration_ns(payload_bytes: int) -> int:
    """HE SU PPDU at HE-MCS 7, 20 MHz, 0.8 us GI, one stream, as a single-MPDU A-MPDU.

    PSDU = payload + LLC/SNAP 8 + QoS Data header 26 + FCS 4 + A-MPDU delimiter 4 bytes.
    Data symbols: ceil((16 service + 8 PSDU + 6 tail) / N_DBPS), N_DBPS = 234 data tones x
    6 bits x 5/6 = 1170 (IEEE 802.11ax-2021 Table 27-64), 13.6 us each (12.8 + 0.8 GI).
    Preamble: L-STF 8 + L-LTF 8 + L-SIG 4 + RL-SIG 4 + HE-SIG-A 8 + HE-STF 4 + one HE-LTF 8
    (2x LTF 6.4 + 1.6 GI) = 44 us (27.3.11).
    """
    bits = 16 + 8 * (payload_bytes + 42) + 6
    return 44_000 + 13_600 * math.ceil(bits / 1170)


def test_every_data_ppdu_and_its_ack_are_reported_with_their_airtime() -> None:
    cell = dataclasses.replace(
        small_cell(1, period_s=None), report=ReportConfig(transmissions=True)
    )
    with CoSimulation(cell, seed=1) as sim:
        for k in range(10):
            sim.send("sta1.up", at_s=0.002 + 0.005 * k, size_bytes=1000)
        tx = sim.step(0.06).report.transmissions.copy()
    data = tx[tx["kind"] == TxKind.DATA]
    assert len(data) == 10
    assert np.all(data["node"] == 1) and np.all(data["flow"] == 0) and np.all(data["ok"] == 1)
    assert he_su_duration_ns(1000) == 152_800
    assert np.all(data["duration_ns"] == 152_800)
    # Each sent within a few hundred us of its send time (idle channel: AIFS + backoff); the
    # first waits for the Block Ack agreement (ADDBA request and response, management frames).
    delay = data["start_ns"] - (2_000_000 + 5_000_000 * np.arange(10))
    assert np.all(delay >= 0) and np.all(delay[1:] < 400_000) and delay[0] < 1_000_000
    first = tx[tx["start_ns"] < data["start_ns"][0]]
    assert np.sum(first["kind"] == TxKind.MANAGEMENT) >= 2
    # The AP answers each with an Ack: 14 bytes at 24 Mbit/s = 20 us preamble + 2 symbols of
    # 4 us (16 + 112 + 6 bits over 96 bits per symbol), SIFS (16 us) after the PPDU end.
    for d in data:
        end = d["start_ns"] + d["duration_ns"]
        ack = tx[(tx["node"] == 0) & (np.abs(tx["start_ns"] - (end + 16_000)) < 100)]
        assert len(ack) == 1 and ack["kind"][0] == TxKind.CONTROL
        assert ack["duration_ns"][0] == 28_000 and ack["flow"][0] == NO_FLOW
    assert np.all(np.diff(tx["start_ns"]) >= 0)


def test_transmissions_are_empty_unless_the_cell_asks_for_them() -> None:
    with CoSimulation(small_cell(1, period_s=None), seed=1) as sim:
        sim.send("sta1.up", at_s=0.001)
        assert len(sim.step(0.01).report.transmissions) == 0


def test_the_cycle_timeline_script_produces_gates_and_frames(tmp_path: Path) -> None:
    out = tmp_path / "cycle.npz"
    subprocess.run(
        [
            sys.executable,
            str(SCRIPTS / "tsn_cycle_timeline.py"),
            "--data",
            str(out),
            "--cycles",
            "5",
            "--cycle",
            "3",
        ],
        check=True,
        timeout=120,
    )
    d = np.load(out)
    assert {int(w["node"]) for w in d["gate_windows"]} == {0, 1, 2}
    robot = d["gate_windows"][d["gate_windows"]["node"] == 1]
    assert 0x80 in robot["gate_mask"]
    tx = d["transmissions"]
    assert np.sum((tx["kind"] == TxKind.DATA) & (tx["flow"] == 0)) >= 4  # the control stream
    assert np.sum((tx["kind"] == TxKind.DATA) & (tx["flow"] == 1)) >= 4  # best effort
    png = tmp_path / "cycle.png"
    subprocess.run(
        [
            sys.executable,
            str(SCRIPTS / "tsn_cycle_timeline.py"),
            "--out",
            str(png),
            "--cycles",
            "5",
            "--cycle",
            "3",
        ],
        check=True,
        timeout=120,
    )
    assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"

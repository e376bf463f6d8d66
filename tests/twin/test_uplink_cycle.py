"""A control cycle's uplink as scheduled trigger-based PPDU slots, over the real bridge and ns-3."""

from __future__ import annotations

import numpy as np
import pytest

from agents.control_capacity import CapacityConfig, sensor_cell
from twin.cosim import CoSimulation
from twin.uplink_cycle import UplinkCycle, UplinkPlan

pytestmark = pytest.mark.ns3


def test_two_slots_carry_twelve_updates_within_a_millisecond() -> None:
    cell = sensor_cell(CapacityConfig(), 12, seed=3)
    stations = [f"sensor{i + 1}" for i in range(12)]
    with CoSimulation(cell, seed=3) as sim:
        sim.schedule_mu(dl={stations[0]: 242})  # quiet until the first cycle
        sim.step(0.01)
        plan = UplinkPlan(tau_max_ns=1_000_000, slot_ns=500_000, slots=2)
        cycle = UplinkCycle(sim, stations, [cell.flow_index(f"{n}.state") for n in stations], plan)
        order = np.arange(12)[::-1]
        lats = [cycle.run(order, sim.now_ns + 10_000_000) for _ in range(5)]
        # Devices outside the plan are neither sent nor counted.
        partial = cycle.run(np.array([0, 1]), sim.now_ns + 10_000_000)
        silence_ns = cycle.longest_silence_ns()
        carried = UplinkCycle(sim, stations, [0] * 12, plan, last_rx_ns=cycle.last_rx_ns)
        assert np.array_equal(carried.last_rx_ns, cycle.last_rx_ns)
    for lat in lats:
        first, second = lat[order[:9]], lat[order[9:]]
        # Slot 1: one HE TB PPDU of nine 26-tone RUs; its MPDUs end together up to the round
        # trip of the Trigger Frame and the PPDU (each station answers SIFS after receiving
        # it): 2 x 49 m / c = 327 ns. Access (2-110 us), Trigger Frame 88 us, SIFS 16 us and
        # the TB PPDU 206.4 us put it 310-420 us after the cycle start.
        assert first.max() - first.min() < 330
        assert 310_000 <= first.min() and first.max() <= 450_000
        # Slot 2 starts 500 us in: three stations on 52-tone RUs (a shorter TB PPDU).
        assert second.max() - second.min() < 330
        assert 500_000 + 250_000 <= second.min() and second.max() <= 950_000
    assert (partial[2:] == -1).all() and (partial[:2] > 0).all()
    # The service clock: sensors 3-12 were last served in the fifth cycle (50-60 ms, updates
    # 310-950 us in), so at 70 ms they have been silent for 19.05-19.69 ms, the longest time
    # any sensor went without an update (between cycles: 10 ms +- the slot jitter).
    assert 19_050_000 <= silence_ns <= 19_690_000, silence_ns

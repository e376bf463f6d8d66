"""MU EDCA starts only after every station's warm-up exchange has ended (real ns-3).

Regression: a 27-sensor capacity cell (seed 2) aborted 46 us after twin time 0 with ns-3's
``!EdcaDisabled`` assertion: a station was still in the exchange of a resent Block Ack warm-up
frame when MU EDCA disabled its EDCA, and the exchange failed (docs/wifi.md).
"""

from __future__ import annotations

import pytest

from agents.control_capacity import CapacityConfig, sensor_cell
from twin.config import BridgeConfig
from twin.cosim import CoSimulation

pytestmark = [pytest.mark.ns3, pytest.mark.slow]


def test_the_27_sensor_cell_that_aborted_runs_its_first_cycles() -> None:
    cfg = CapacityConfig(plants=("inverted_pendulum",), n_plants=(27,), seeds=(2,))
    cell = sensor_cell(cfg, 27, 2)
    with CoSimulation(cell, seed=2, bridge=BridgeConfig(timeout_s=600)) as sim:
        warmup_ns = int(sim.info["warmup_ns"])
        sim.schedule_mu(dl={"sensor1": 242})
        step = sim.step_ns(10_000_000)
        assert sim.now_ns == 10_000_000
    # The drain ran past the point where the old warm-up ended (408 ms): one 1 ms poll or more.
    assert warmup_ns > 408_000_000, warmup_ns
    assert step.report.drops.size == 0

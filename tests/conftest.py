"""Shared fixtures: the built ns-3 executables and small cells."""

from __future__ import annotations

from pathlib import Path

import pytest

from twin.bridge.binary import find_ns3_binary
from twin.config import CellConfig, FlowConfig, NodeConfig


@pytest.fixture(scope="session")
def ns3_binary() -> Path:
    """The fabtwin-ns3 executable (the tests build nothing themselves)."""
    return find_ns3_binary()


@pytest.fixture(scope="session")
def ns3_tests_binary(ns3_binary: Path) -> Path:
    """The fabtwin-ns3-tests runner, built and installed next to fabtwin-ns3."""
    path = ns3_binary.with_name("fabtwin-ns3-tests")
    assert path.is_file(), f"{path} missing: rebuild with ./setup.sh"
    return path


def small_cell(
    n_stations: int = 3, period_s: float | None = 0.002, radius_m: float = 5.0
) -> CellConfig:
    """An AP and ``n_stations`` stations, each with an uplink and a downlink VO flow."""
    nodes = [NodeConfig("ap", "ap", (0.0, 0.0, 3.0))]
    flows = []
    for k in range(n_stations):
        name = f"sta{k + 1}"
        nodes.append(NodeConfig(name, "sta", (radius_m, float(k), 1.0)))
        flows.append(FlowConfig(f"{name}.up", name, "ap", period_s=period_s))
        flows.append(
            FlowConfig(f"{name}.down", "ap", name, period_s=period_s, start_s=(period_s or 0) / 2)
        )
    return CellConfig(nodes=tuple(nodes), flows=tuple(flows))


@pytest.fixture
def cell3() -> CellConfig:
    """A three-station cell with 2 ms periodic VO traffic both ways."""
    return small_cell(3)

"""The wired segment's configuration: checks naming the field, the handshake section, the
workcell's networks (docs/tsn.md, "Wired segment")."""

from __future__ import annotations

import json

import pytest

from twin.config import (
    CellConfig,
    ChannelConfig,
    ConfigError,
    FlowConfig,
    NodeConfig,
    SyncConfig,
    TsnConfig,
    WifiConfig,
    WorkcellJobConfig,
)
from twin.configio import experiment_from_dict
from twin.wired_config import WiredConfig, WiredQbvConfig, WiredStreamConfig
from twin.workcell_job import workcell_cell

NODES = (
    NodeConfig("ap", "ap"),
    NodeConfig("plc", "sta", radio="wired"),
    NodeConfig("arm", "sta"),
)
FLOWS = (
    FlowConfig("plc->arm", "plc", "arm", period_s=1e-3),
    FlowConfig("arm->plc", "arm", "plc", period_s=1e-3),
)


def test_a_wired_node_gets_the_default_wired_section() -> None:
    doc = json.loads(CellConfig(nodes=NODES, flows=FLOWS).to_ns3_json(1))
    assert doc["nodes"][1]["radio"] == "wired"
    assert doc["wired"]["rate_bps"] == 1e9 and doc["wired"]["delay_ns"] == 50
    assert doc["wired"]["qbv"] == {
        "enabled": False,
        "sync_error_bound_ns": -1,
        "guard_band_ns": 0,
        "streams": [],
    }
    assert "wired" not in json.loads(CellConfig(nodes=(NODES[0], NODES[2])).to_ns3_json(1))


def test_wired_nodes_take_part_in_time_sync() -> None:
    # gPTP runs over the Ethernet links too (docs/tsn.md, "Hybrid wired/wireless TSN").
    doc = json.loads(
        CellConfig(nodes=NODES, flows=FLOWS, tsn=TsnConfig(SyncConfig(enabled=True))).to_ns3_json(1)
    )
    assert doc["tsn"]["sync"]["enabled"] is True
    assert doc["wired"]["qbv"]["sync_error_bound_ns"] == -1  # derived in ns-3


def test_stream_periods_come_from_the_flow() -> None:
    qbv = WiredQbvConfig(enabled=True, streams=(WiredStreamConfig("plc->arm"),))
    doc = json.loads(
        CellConfig(nodes=NODES, flows=FLOWS, wired=WiredConfig(qbv=qbv)).to_ns3_json(1)
    )
    assert doc["wired"]["qbv"]["streams"] == [
        {"flow": "plc->arm", "period_ns": 1_000_000, "max_latency_ns": 1_000_000}
    ]


@pytest.mark.parametrize(
    ("make", "message"),
    [
        (
            lambda: CellConfig(nodes=(NodeConfig("a", "ap", radio="wired"), NodeConfig("b"))),
            r"cell\.nodes\[0\]\.radio \(role ap\): 'wired' is not allowed; allowed: wifi, both",
        ),
        (
            lambda: CellConfig(nodes=NODES, wired=WiredConfig(rate_bps=1e3)),
            r"cell\.wired\.rate_bps: must be in 1e6\.\.1e11",
        ),
        (
            lambda: CellConfig(nodes=NODES, wired=WiredConfig(delay_ns=-1)),
            r"cell\.wired\.delay_ns: must be in 0\.\.1e6 ns",
        ),
        (
            lambda: CellConfig(nodes=NODES, wired=WiredConfig(qbv=WiredQbvConfig(enabled=True))),
            r"cell\.wired\.qbv\.enabled: enabled needs streams",
        ),
        (
            lambda: CellConfig(
                nodes=NODES,
                flows=FLOWS,
                wired=WiredConfig(
                    qbv=WiredQbvConfig(enabled=True, streams=(WiredStreamConfig("arm->plc"),))
                ),
            ),
            r"cell\.wired\.qbv\.streams\[0\]\.flow: the talker must be wired",
        ),
        (
            lambda: WorkcellJobConfig(network="wireless").check("workcell"),
            r"workcell\.network: 'wireless' is not allowed; allowed: wifi, hybrid, wired",
        ),
        (
            lambda: workcell_cell(
                WorkcellJobConfig(network="hybrid", wired_devices=("edge",)),
                WifiConfig(),
                ChannelConfig(),
            ),
            r"workcell\.wired_devices\[0\]: 'edge' is not a device off the AP",
        ),
    ],
)
def test_bad_values_name_the_field(make: object, message: str) -> None:
    with pytest.raises(ConfigError, match=message):
        make()  # type: ignore[operator]


def test_workcell_networks() -> None:
    def wired(network: str) -> list[str]:
        job = WorkcellJobConfig(network=network, n_best_effort=1)
        return [
            n.name for n in workcell_cell(job, WifiConfig(), ChannelConfig()).nodes if n.is_wired
        ]

    assert wired("wifi") == []
    assert wired("hybrid") == ["plc"]
    all_wired = wired("wired")
    assert (
        "plc" in all_wired
        and "arm1" in all_wired
        and "be1" in all_wired
        and "edge" not in all_wired
    )
    exp = experiment_from_dict(
        {"workcell": {"network": "wired"}, "cell": {"wired": {"rate_bps": 1e8}}}
    )
    assert exp.cell.wired is not None and exp.cell.wired.rate_bps == 1e8

"""Talker instants of 802.1Qbv streams (twin/talker_schedule.py): hand-computed send times."""

from __future__ import annotations

import numpy as np

from twin.config import CellConfig, FlowConfig, NodeConfig
from twin.talker_schedule import TalkerSchedule


def _cell() -> CellConfig:
    nodes = (NodeConfig("ap", "ap", (0.0, 0.0, 3.0)), NodeConfig("arm", "sta", (5.0, 0.0, 1.0)))
    flows = (
        FlowConfig("set", "ap", "arm", size_bytes=96, period_s=None),
        FlowConfig("state", "arm", "ap", size_bytes=72, period_s=None),
        FlowConfig("io", "arm", "ap", size_bytes=32, period_s=None),
    )
    return CellConfig(nodes=nodes, flows=flows)


INFO = {
    "tsn": {
        "cycle_ns": 4_000_000,
        "base_time_ns": 1_300_000,
        "streams": {
            "set": {"talker_offset_ns": 241_600, "period_ns": 4_000_000},
            "state": {"talker_offset_ns": 3_000_000, "period_ns": 4_000_000},
        },
    }
}


def test_stream_messages_wait_for_the_next_talker_instant_and_others_go_at_once() -> None:
    sched = TalkerSchedule.from_info(_cell(), INFO)
    assert sched is not None
    flow = np.array([0, 0, 0, 1, 1, 2], np.uint32)
    created = np.array([0, 4_000_000, 1_541_600, 0, 300_000, 123], np.int64)
    # set: instants 1.3 ms + 0.2416 ms + k 4 ms = 1.5416, 5.5416, ... ms (and -2.4584 ms).
    # state: 1.3 + 3.0 = 4.3 ms + k 4 ms: 0.3, 4.3, ... ms.
    expected = [1_541_600, 5_541_600, 1_541_600, 300_000, 300_000, 123]
    assert sched.send_times(flow, created).tolist() == expected


def test_no_schedule_without_streams() -> None:
    assert TalkerSchedule.from_info(_cell(), {}) is None
    assert TalkerSchedule.from_info(_cell(), {"tsn": {"cycle_ns": 1_000_000}}) is None

"""Per-node drop counts by reason, aggregated from drop records."""

from __future__ import annotations

import numpy as np

from tests.conftest import small_cell
from twin.bridge.protocol import DROP_DTYPE, DropReason
from twin.node_summary import node_drop_summary
from twin.packet_ledger import PacketLedger


def test_drops_are_charged_to_the_flows_source_by_reason() -> None:
    cell = small_cell(2)  # flows: sta1.up, sta1.down, sta2.up, sta2.down
    ledger = PacketLedger()
    seq = ledger.add(np.array([0, 1, 1, 2, 3, 3]), np.full(6, 100), np.arange(6) * 1000)
    drops = np.zeros(3, DROP_DTYPE)
    drops["seq"] = seq[[1, 2, 3]]
    drops["reason"] = [
        DropReason.QUEUE_OVERFLOW,
        DropReason.RETRY_LIMIT,
        DropReason.RETRY_LIMIT,
    ]
    drops["time_ns"] = 5000
    ledger.drop(drops)
    rows = {r["node"]: r for r in node_drop_summary(cell, ledger)}
    assert rows["ap"]["sent"] == 4 and rows["ap"]["dropped"] == 2
    assert rows["ap"]["drops_queue_overflow"] == 1 and rows["ap"]["drops_retry_limit"] == 1
    assert rows["sta1"] == {
        "node": "sta1",
        "sent": 1,
        "dropped": 0,
        **{f"drops_{r.name.lower()}": 0 for r in DropReason},
    }
    assert rows["sta2"]["dropped"] == 1 and rows["sta2"]["drops_retry_limit"] == 1

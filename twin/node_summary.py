"""Per-node drop statistics of a run, aggregated from the packet ledger's drop records.

A DropRecord names the flow, not the node. A packet is queued at its flow's source node, so that
is the node a drop is charged to; the one exception is a station-to-station flow relayed by the
AP, whose second-hop drops happen at the AP but are charged to the source too (the ledger cannot
tell the hops apart).
"""

from __future__ import annotations

from typing import Any

import numpy as np

from twin.bridge.protocol import DropReason
from twin.config import CellConfig
from twin.packet_ledger import DROPPED, PacketLedger


def node_drop_summary(cell: CellConfig, ledger: PacketLedger) -> list[dict[str, Any]]:
    """Drop counts per node.

    Returns:
        One row per node: ``node``, ``sent`` (packets of the flows it sources), ``dropped`` and one
        ``drops_<reason>`` count per :class:`~twin.bridge.protocol.DropReason` (lower-case name).
    """
    table = ledger.table()
    dropped = table["fate"] == DROPPED
    src_of_flow = np.array([cell.node_index(f.src) for f in cell.flows], dtype=np.int64)
    src = src_of_flow[table["flow"].astype(np.int64)] if len(table["flow"]) else np.array([])
    rows = []
    for i, n in enumerate(cell.nodes):
        mine = src == i
        row: dict[str, Any] = {
            "node": n.name,
            "sent": int(mine.sum()),
            "dropped": int((mine & dropped).sum()),
        }
        for reason in DropReason:
            hit = mine & dropped & (table["drop_reason"] == int(reason))
            row[f"drops_{reason.name.lower()}"] = int(hit.sum())
        rows.append(row)
    return rows

"""One 802.1Qbv cycle of a small TSN cell as a timeline PNG (issue 4 part 5; docs/tsn.md).

Runs an AP, a control station (100 B VO every 1 ms, a scheduled stream) and a saturating
best-effort station for a few cycles over the real bridge with ``report: {transmissions: true}``,
then draws one cycle: the gate windows of every node (from READY's ``tsn.gcls``) and the PPDUs
actually sent (TransmissionRecords), with the deliveries. The drawing is
``twin.cycle_timeline.plot_cycle_timeline``; ``--data`` writes the arrays to an ``.npz`` instead.

Usage:
    python scripts/tsn_cycle_timeline.py --out cycle.png [--cycles 50] [--cycle 40] [--seed 1]
    python scripts/tsn_cycle_timeline.py --data cycle.npz
"""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

import numpy as np

from twin.config import (
    CellConfig,
    FlowConfig,
    NodeConfig,
    QbvConfig,
    ReportConfig,
    StreamConfig,
    SyncConfig,
    TsnConfig,
)
from twin.cosim import CoSimulation
from twin.cycle_timeline import gate_windows_from_tsn, plot_cycle_timeline

CYCLE_NS = 1_000_000


def timeline_cell() -> CellConfig:
    """AP, robot (scheduled 1 ms control uplink) and one best-effort station (1500 B uplink)."""
    return CellConfig(
        nodes=(
            NodeConfig("ap", "ap", (0.0, 0.0, 3.0)),
            NodeConfig("robot", "sta", (5.0, 0.0, 1.0)),
            NodeConfig("be1", "sta", (5.0, 1.0, 1.0)),
        ),
        flows=(
            FlowConfig("ctl", "robot", "ap", size_bytes=100, period_s=1e-3, deadline_s=1e-3),
            FlowConfig("be1.up", "be1", "ap", size_bytes=1500, period_s=None, access_category="BE"),
        ),
        tsn=TsnConfig(SyncConfig(enabled=True), qbv=QbvConfig(), streams=(StreamConfig("ctl"),)),
        report=ReportConfig(transmissions=True),
    )


def run(cycles: int, seed: int) -> dict[str, Any]:
    """Runs the cell for ``cycles`` cycles; returns the arrays and the schedule facts."""
    cell = timeline_cell()
    with CoSimulation(cell, seed=seed) as sim:
        tsn = sim.info["tsn"]
        base = int(tsn["base_time_ns"])
        offset = base + int(tsn["streams"]["ctl"]["talker_offset_ns"])
        txs, deliveries = [], []
        for k in range(cycles):
            lo, hi = k * CYCLE_NS, (k + 1) * CYCLE_NS
            sim.send("ctl", at_s=(lo + offset) / 1e9) if lo + offset < hi else None
            be = np.arange(lo, hi, 250_000, dtype=np.int64)
            sim.send_many(np.full(len(be), 1, np.uint32), np.full(len(be), 1500, np.uint32), be)
            rep = sim.step_ns(hi).report
            txs.append(rep.transmissions.copy())
            deliveries.append(rep.deliveries.copy())
    return {
        "transmissions": np.concatenate(txs),
        "deliveries": np.concatenate(deliveries),
        "gate_windows": gate_windows_from_tsn(tsn, {n.name: i for i, n in enumerate(cell.nodes)}),
        "base_ns": base,
        "node_names": [n.name for n in cell.nodes],
        "flow_nodes": [cell.node_index(f.dst) for f in cell.flows],
        "flow_names": [f.name for f in cell.flows],
    }


def main(argv: list[str] | None = None) -> Path:
    """Command-line entry point; returns the file written."""
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--out", type=Path, default=Path("cycle_timeline.png"))
    ap.add_argument("--data", type=Path, default=None, help="write the arrays to this .npz")
    ap.add_argument("--cycles", type=int, default=50)
    ap.add_argument("--cycle", type=int, default=40, help="which cycle to draw")
    ap.add_argument("--seed", type=int, default=1)
    args = ap.parse_args(argv)
    data = run(args.cycles, args.seed)
    cycle_start = data["base_ns"] + args.cycle * CYCLE_NS
    if args.data is not None:
        np.savez(
            args.data,
            transmissions=data["transmissions"],
            deliveries=data["deliveries"],
            gate_windows=data["gate_windows"],
            cycle_start_ns=cycle_start,
            node_names=np.array(data["node_names"]),
        )
        return args.data
    path: Path = plot_cycle_timeline(
        data["transmissions"],
        data["deliveries"],
        data["gate_windows"],
        cycle_start_ns=cycle_start,
        cycle_ns=CYCLE_NS,
        node_names=data["node_names"],
        path=args.out,
        flow_nodes=data["flow_nodes"],
        flow_names=data["flow_names"],
    )
    print(path)
    return path


if __name__ == "__main__":
    main()

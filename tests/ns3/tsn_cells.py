"""Cells and traffic loops shared by the 802.1Qbv tests and scripts (docs/tsn.md)."""

from __future__ import annotations

from dataclasses import dataclass

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

CYCLE_NS = 1_000_000  # Intel's 1 ms Qbv cycle (published-results.md section 2)
BE_BYTES = 1500


def best_effort_stations(n: int) -> tuple[list[NodeConfig], list[FlowConfig]]:
    """``n`` stations ``be1``.. 5 m from the AP, each with a 1500 B BE uplink that the caller
    saturates (``period_s=None``: sent only when the caller says)."""
    nodes, flows = [], []
    for k in range(n):
        name = f"be{k + 1}"
        nodes.append(NodeConfig(name, "sta", (5.0, float(k + 1), 1.0)))
        flows.append(
            FlowConfig(
                f"{name}.up", name, "ap", size_bytes=BE_BYTES, period_s=None, access_category="BE"
            )
        )
    return nodes, flows


def control_cell(
    n_best_effort: int = 2,
    *,
    tsn: bool = True,
    transmissions: bool = False,
    attempts: int = 1,
) -> CellConfig:
    """An AP, a control station (``ctl``: 100 B VO uplink every 1 ms, deadline 1 ms) and
    ``n_best_effort`` stations whose 1500 B BE uplinks the caller saturates.

    With ``tsn`` the ``ctl`` flow is a scheduled stream (802.1AS + 802.1Qbv, configurator GCLs);
    without it the same cell runs plain EDCA (clocks and gPTP still run, so the air carries the
    same sync frames).
    """
    nodes = [NodeConfig("ap", "ap", (0.0, 0.0, 3.0)), NodeConfig("robot", "sta", (5.0, 0.0, 1.0))]
    flows = [FlowConfig("ctl", "robot", "ap", size_bytes=100, period_s=1e-3, deadline_s=1e-3)]
    be_nodes, be_flows = best_effort_stations(n_best_effort)
    nodes += be_nodes
    flows += be_flows
    sync = SyncConfig(enabled=True)
    tsn_cfg = (
        TsnConfig(sync, qbv=QbvConfig(), streams=(StreamConfig("ctl", attempts=attempts),))
        if tsn
        else TsnConfig(sync)
    )
    return CellConfig(
        nodes=tuple(nodes),
        flows=tuple(flows),
        tsn=tsn_cfg,
        report=ReportConfig(transmissions=transmissions),
    )


@dataclass
class ControlRun:
    """Per-cycle outcome of the control stream."""

    send_ns: np.ndarray  #: send time of each cycle's packet
    latency_ns: np.ndarray  #: its latency (-1: not delivered)
    info: dict  #: READY facts
    transmissions: np.ndarray  #: every TransmissionRecord (if the cell asked for them)
    deliveries: np.ndarray  #: every DeliveryRecord


def run_control(
    cell: CellConfig,
    cycles: int,
    *,
    seed: int = 1,
    be_interval_ns: int = 250_000,
    step_ns: int = 10_000_000,
    gates: dict[int, tuple[str, list[tuple[int, int, int]]]] | None = None,
) -> ControlRun:
    """Runs ``cycles`` 1 ms cycles: one control packet per cycle at the stream's talker offset
    (0 without TSN), BE stations each offering a 1500 B frame every ``be_interval_ns``.

    ``gates`` maps a step index to ``(node, windows)`` given to :meth:`CoSimulation.set_gates`
    before that step.
    """
    ctl = cell.flow_index("ctl")
    be = [i for i, f in enumerate(cell.flows) if f.access_category == "BE"]
    with CoSimulation(cell, seed=seed) as sim:
        info = sim.info
        tsn_info = info.get("tsn", {})
        offset = int(tsn_info.get("base_time_ns", 0)) + int(
            tsn_info.get("streams", {}).get("ctl", {}).get("talker_offset_ns", 0)
        )
        send = np.arange(cycles, dtype=np.int64) * CYCLE_NS + offset
        deliveries, txs = [], []
        end_ns = cycles * CYCLE_NS + 2 * CYCLE_NS
        for k, t in enumerate(range(step_ns, end_ns + step_ns, step_ns)):
            lo = t - step_ns
            mine = send[(send >= lo) & (send < t)]
            if len(mine):
                sim.send_many(
                    np.full(len(mine), ctl, np.uint32), np.full(len(mine), 100, np.uint32), mine
                )
            be_t = np.arange(lo, t, be_interval_ns, dtype=np.int64)
            for j, f in enumerate(be):
                at = be_t + (j * be_interval_ns) // max(1, len(be))
                at = at[at < t]
                sim.send_many(
                    np.full(len(at), f, np.uint32), np.full(len(at), BE_BYTES, np.uint32), at
                )
            if gates and k in gates:
                sim.set_gates(*gates[k])
            rep = sim.step_ns(t).report
            deliveries.append(rep.deliveries.copy())
            txs.append(rep.transmissions.copy())
    d = np.concatenate(deliveries)
    c = d[d["flow"] == ctl]
    latency = np.full(cycles, -1, np.int64)
    cycle = (c["send_time_ns"] - offset) // CYCLE_NS  # sequence numbers are global, not per flow
    latency[cycle] = c["rx_time_ns"] - c["send_time_ns"]
    return ControlRun(send, latency, info, np.concatenate(txs), d)


def miss_rate(run: ControlRun, deadline_ns: int = CYCLE_NS) -> float:
    """Share of cycles whose control packet was lost or later than the deadline."""
    missed = (run.latency_ns < 0) | (run.latency_ns > deadline_ns)
    return float(np.mean(missed))


def tsn_of(cell: CellConfig) -> TsnConfig:
    """The cell's TSN section (which the cells of this module always have)."""
    assert cell.tsn is not None
    return cell.tsn

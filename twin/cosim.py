"""The lockstep co-simulation loop as a plain Python API.

:class:`CoSimulation` keeps one clock for the twin and ns-3: between two calls of :meth:`step`
the twin queues the packets it sends (at exact send times) and the positions of moving nodes; the
step sends them to ns-3 in one ADVANCE, which runs to the step's end and reports what arrived,
what was dropped and per-node link statistics. Later layers (robots, gymnasium envs) build on it.

Example:
    >>> with CoSimulation(cell, seed=1) as sim:          # doctest: +SKIP
    ...     sim.send("sta1.up", at_s=0.0)
    ...     result = sim.step(0.001)
    ...     result.latency_s                               # arrivals of this step
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from twin.bridge import protocol as P
from twin.bridge.messages import Report
from twin.bridge.ns3_process import Ns3Process
from twin.config import BridgeConfig, CellConfig
from twin.packet_ledger import PacketLedger

NS_PER_S = 1_000_000_000
#: HE RU sizes in tones (IEEE 802.11ax-2021 27.3.2.2); which fit depends on the channel width.
HE_RU_TONES = (26, 52, 106, 242, 484, 996)


@dataclass(frozen=True)
class StepResult:
    """What one lockstep step brought.

    Attributes:
        now_s: Time at the end of the step.
        report: The raw ns-3 report (structured arrays, see :mod:`twin.bridge.protocol`).
    """

    now_s: float
    report: Report

    @property
    def delivered_flow(self) -> np.ndarray:
        """Flow index of each packet delivered in this step."""
        return self.report.deliveries["flow"]

    @property
    def delivered_seq(self) -> np.ndarray:
        """Sequence number of each packet delivered in this step."""
        return self.report.deliveries["seq"]

    @property
    def rx_time_s(self) -> np.ndarray:
        """Receive time of each packet delivered in this step."""
        return self.report.deliveries["rx_time_ns"] / NS_PER_S

    @property
    def latency_s(self) -> np.ndarray:
        """One-way latency of each packet delivered in this step."""
        d = self.report.deliveries
        return (d["rx_time_ns"] - d["send_time_ns"]) / NS_PER_S


class CoSimulation:
    """The twin's clock and ns-3's, advanced together.

    Args:
        cell: The cell; ns-3 builds its topology from it.
        seed: Root seed of the episode (ns-3 ``RngRun``).
        bridge: Transport and timeouts.
        run_dir: Working directory of ns-3 (its stderr log goes there).
        ns3_args: Extra ns-3 command-line arguments (attributes).
    """

    def __init__(
        self,
        cell: CellConfig,
        *,
        seed: int = 1,
        bridge: BridgeConfig | None = None,
        run_dir: Path | None = None,
        ns3_args: list[str] | None = None,
    ) -> None:
        bridge = bridge or BridgeConfig()
        self.cell = cell
        self.seed = seed
        self._ns3 = Ns3Process(
            run_dir=run_dir,
            transport=bridge.transport,  # type: ignore[arg-type]
            timeout_s=bridge.timeout_s,
            ns3_args=ns3_args or [],
        )
        self.ledger = PacketLedger()
        self._now_ns = 0
        self._started = False
        self._pending_tx: list[np.ndarray] = []
        self._pending_pos: np.ndarray | None = None
        self._pending_mu: np.ndarray | None = None
        self._pending_gates: np.ndarray | None = None
        self.info: dict[str, Any] = {}

    # ----------------------------------------------------------------------------- lifecycle
    def reset(self, *, seed: int | None = None, cell: CellConfig | None = None) -> dict[str, Any]:
        """Starts a new episode at time zero (rebuilding ns-3's topology in-process).

        Args:
            seed: New root seed; default keeps the current one.
            cell: New cell; default keeps the current one.

        Returns:
            The READY facts from ns-3.
        """
        if seed is not None:
            self.seed = seed
        if cell is not None:
            self.cell = cell
        description = self.cell.to_ns3_json(self.seed)
        if self._started:
            self.info = self._ns3.reset(description)
        else:
            self.info = self._ns3.start(description)
            self._started = True
        self.ledger = PacketLedger()
        self._now_ns = 0
        self._pending_tx = []
        self._pending_pos = None
        self._pending_mu = None
        self._pending_gates = None
        return self.info

    def close(self) -> None:
        """Stops ns-3. Idempotent."""
        self._ns3.close()
        self._started = False

    def __enter__(self) -> CoSimulation:
        if not self._started:
            self.reset()
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    @property
    def ns3(self) -> Ns3Process:
        """The ns-3 process (pid, launches, fault injection)."""
        return self._ns3

    @property
    def now_s(self) -> float:
        """Current time of both sides."""
        return self._now_ns / NS_PER_S

    @property
    def now_ns(self) -> int:
        """Current time of both sides, in integer nanoseconds."""
        return self._now_ns

    # ----------------------------------------------------------------------------- inputs
    def send(
        self, flow: str | int, *, at_s: float | None = None, size_bytes: int | None = None
    ) -> int:
        """Queues one packet of ``flow`` for the next step.

        Args:
            flow: Flow name or index.
            at_s: Send time, within the next step (default: now).
            size_bytes: Default: the flow's configured size.

        Returns:
            The packet's sequence number.
        """
        idx = self.cell.flow_index(flow) if isinstance(flow, str) else int(flow)
        size = self.cell.flows[idx].size_bytes if size_bytes is None else size_bytes
        at_ns = self._now_ns if at_s is None else round(at_s * NS_PER_S)
        seq = self.send_many(
            np.array([idx], np.uint32), np.array([size], np.uint32), np.array([at_ns], np.int64)
        )
        return int(seq[0])

    def send_many(
        self, flow: np.ndarray, size_bytes: np.ndarray, send_ns: np.ndarray
    ) -> np.ndarray:
        """Queues many packets at once (vectorized :meth:`send`); returns their sequence numbers.

        Raises:
            ValueError: For an unknown flow, a size outside 1..2296 or a send time in the past.
        """
        n_flows = len(self.cell.flows)
        if len(flow) and (flow.max() >= n_flows):
            raise ValueError(f"flow: index {int(flow.max())} out of range 0..{n_flows - 1}")
        if len(size_bytes) and (size_bytes.min() < 1 or size_bytes.max() > 2296):
            raise ValueError("size_bytes: must be in 1..2296")
        if len(send_ns) and send_ns.min() < self._now_ns:
            raise ValueError(
                f"send time {send_ns.min()} ns is before the current time {self._now_ns} ns"
            )
        seq = self.ledger.add(flow, size_bytes, send_ns)
        rec = np.zeros(len(flow), P.TX_REQUEST_DTYPE)
        rec["send_time_ns"] = send_ns
        rec["flow"] = flow
        rec["seq"] = seq
        rec["size_bytes"] = size_bytes
        self._pending_tx.append(rec)
        return seq

    def move(self, nodes: np.ndarray | list[int], xyz_m: np.ndarray) -> None:
        """Sets node positions (metres) for the next step onwards."""
        nodes = np.asarray(nodes, dtype=np.uint32)
        xyz = np.asarray(xyz_m, dtype=np.float64).reshape(len(nodes), 3)
        if len(nodes) and nodes.max() >= len(self.cell.nodes):
            raise ValueError(f"nodes: index {int(nodes.max())} out of range")
        rec = np.zeros(len(nodes), P.POSITION_DTYPE)
        rec["node"] = nodes
        rec["x_m"], rec["y_m"], rec["z_m"] = xyz[:, 0], xyz[:, 1], xyz[:, 2]
        self._pending_pos = rec

    def set_mu_schedule(self, records: np.ndarray) -> None:
        """Sends an external OFDMA schedule with the next step (``MU_SCHEDULE_DTYPE`` records).

        The records replace the schedule in force; a record with node ``protocol.MU_CLEAR``
        clears it and ns-3's own round-robin multi-user scheduler runs again.
        """
        if records.dtype != P.MU_SCHEDULE_DTYPE:
            raise TypeError("records must use protocol.MU_SCHEDULE_DTYPE")
        self._pending_mu = records

    def schedule_mu(
        self,
        dl: Mapping[str, int] | Mapping[int, int] | None = None,
        ul: Mapping[str, int] | Mapping[int, int] | None = None,
    ) -> None:
        """Sends an external OFDMA schedule with the next step, replacing the one in force.

        Every DL MU PPDU then holds exactly the ``dl`` stations with a frame queued, and every
        Basic Trigger Frame solicits exactly the ``ul`` stations, each on an RU of the given
        size (docs/wifi.md, "OFDMA with an external scheduler"). ns-3 checks the request
        (associated stations, RU sizes allowed for the channel width and fitting in it) and
        refuses a bad one with :class:`~twin.bridge.errors.Ns3Error` at the step.

        Args:
            dl: Station (name or node index) -> RU size in tones (26, 52, 106, 242, 484, 996)
                for the downlink, in RU order.
            ul: The same for the uplink (trigger-based PPDUs).

        Raises:
            ValueError: For an unknown node or an RU size that is not an HE RU size.
        """
        rows: list[tuple[int, int, int]] = []
        for direction, spec in ((P.MuDirection.DL, dl), (P.MuDirection.UL, ul)):
            for node, tones in (spec or {}).items():
                names = [n.name for n in self.cell.nodes]
                idx = names.index(node) if node in names else node
                if not isinstance(idx, int) or not 0 <= idx < len(names):
                    raise ValueError(f"schedule_mu: node {node!r} is not in the cell")
                if tones not in HE_RU_TONES:
                    raise ValueError(
                        f"schedule_mu: ru_tones {tones!r} for {node!r}; allowed: "
                        + ", ".join(map(str, HE_RU_TONES))
                    )
                rows.append((idx, tones, int(direction)))
        if not rows:
            raise ValueError("schedule_mu: give dl and/or ul stations (clear_mu_schedule clears)")
        rec = np.zeros(len(rows), P.MU_SCHEDULE_DTYPE)
        rec["node"] = [r[0] for r in rows]
        rec["ru_tones"] = [r[1] for r in rows]
        rec["direction"] = [r[2] for r in rows]
        self.set_mu_schedule(rec)

    def clear_mu_schedule(self) -> None:
        """Clears the external OFDMA schedule with the next step: ns-3's round robin decides."""
        rec = np.zeros(1, P.MU_SCHEDULE_DTYPE)
        rec["node"] = P.MU_CLEAR
        self.set_mu_schedule(rec)

    def set_gate_windows(self, records: np.ndarray) -> None:
        """Sends new 802.1Qbv windows with the next step (``GATE_WINDOW_DTYPE`` records)."""
        if records.dtype != P.GATE_WINDOW_DTYPE:
            raise TypeError("records must use protocol.GATE_WINDOW_DTYPE")
        self._pending_gates = records

    def set_gates(self, node: str | int, windows: list[tuple[int, ...]]) -> None:
        """Replaces one node's 802.1Qbv gate control list from its next cycle on.

        Args:
            node: Node name or index.
            windows: ``(offset_ns, duration_ns[, gate_mask])`` within the cycle (mask default
                0xFF: every gate open); the gaps close every gate. Several calls before one step
                send the lists of several nodes; a second call for a node replaces the first.

        ns-3 rejects windows that leave the cycle or overlap, naming the record and field.
        """
        idx = self.cell.node_index(node) if isinstance(node, str) else int(node)
        if not 0 <= idx < len(self.cell.nodes):
            raise ValueError(f"node: index {idx} out of range 0..{len(self.cell.nodes) - 1}")
        rec = np.zeros(len(windows), P.GATE_WINDOW_DTYPE)
        for k, w in enumerate(windows):
            rec[k]["offset_ns"], rec[k]["duration_ns"] = w[0], w[1]
            rec[k]["gate_mask"] = w[2] if len(w) > 2 else 0xFF
        rec["node"] = idx
        old = self._pending_gates
        if old is not None:
            rec = np.concatenate([old[old["node"] != idx], rec])
        self._pending_gates = rec

    # ----------------------------------------------------------------------------- the loop
    def step(self, until_s: float) -> StepResult:
        """Advances both sides to ``until_s``; returns what happened in between."""
        return self.step_ns(round(until_s * NS_PER_S))

    def step_ns(self, until_ns: int) -> StepResult:
        """:meth:`step` in integer nanoseconds (the exact form)."""
        if not self._started:
            raise RuntimeError("call reset() before step()")
        if until_ns < self._now_ns:
            raise ValueError(f"until: {until_ns} ns is before the current time {self._now_ns} ns")
        if len(self._pending_tx) == 1:
            tx = self._pending_tx[0]
        elif self._pending_tx:
            tx = np.concatenate(self._pending_tx)
        else:
            tx = None
        if tx is not None and len(tx) and tx["send_time_ns"].max() > until_ns:
            raise ValueError("a queued packet's send time lies beyond the end of this step")
        report = self._ns3.advance(
            until_ns, self._pending_pos, tx, self._pending_mu, self._pending_gates
        )
        self._pending_tx = []
        self._pending_pos = None
        self._pending_mu = None
        self._pending_gates = None
        self._now_ns = report.now_ns
        if len(report.deliveries):
            self.ledger.deliver(report.deliveries)
        if len(report.drops):
            self.ledger.drop(report.drops)
        return StepResult(now_s=report.now_ns / NS_PER_S, report=report)

"""Periodic traffic of the flows that declare ``period_s`` (the cell's own background load)."""

from __future__ import annotations

import numpy as np

from twin.config import CellConfig


class PeriodicTraffic:
    """Emits, for a time window, every periodic packet of the cell, in integer nanoseconds.

    Packet k of a flow is sent at ``start_ns + k * period_ns``; the same times as the standalone
    traffic mode of ``fabtwin-ns3`` (``--standalone``), so the two can be compared.
    """

    def __init__(self, cell: CellConfig) -> None:
        periodic = [i for i, f in enumerate(cell.flows) if f.period_s]
        self.flow = np.array(periodic, dtype=np.uint32)
        self.period_ns = np.array(
            [round((cell.flows[i].period_s or 0) * 1e9) for i in periodic], dtype=np.int64
        )
        self.start_ns = np.array([round(cell.flows[i].start_s * 1e9) for i in periodic], np.int64)
        self.size_bytes = np.array([cell.flows[i].size_bytes for i in periodic], dtype=np.uint32)
        self.next_ns = self.start_ns.copy()

    def reset(self) -> None:
        """Back to time zero."""
        self.next_ns = self.start_ns.copy()

    def window(self, end_ns: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """Packets with send time before ``end_ns`` not emitted yet, in time order.

        Returns:
            ``(flow, size_bytes, send_ns)`` arrays.
        """
        due = self.next_ns < end_ns
        if not due.any():
            empty = np.zeros(0, np.int64)
            return empty.astype(np.uint32), empty.astype(np.uint32), empty
        idx = np.flatnonzero(due)
        # Packets per due flow: ceil((end - next) / period).
        counts = (end_ns - self.next_ns[idx] + self.period_ns[idx] - 1) // self.period_ns[idx]
        rep = np.repeat(idx, counts)
        k = np.arange(len(rep)) - np.repeat(np.cumsum(counts) - counts, counts)
        send = self.next_ns[rep] + k * self.period_ns[rep]
        self.next_ns[idx] += counts * self.period_ns[idx]
        order = np.argsort(send, kind="stable")
        return self.flow[rep][order], self.size_bytes[rep][order], send[order]

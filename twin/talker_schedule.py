"""When the talkers of 802.1Qbv streams send: at their window, on the configurator's schedule.

With ``cell.tsn.streams`` ns-3's configurator gives every stream a talker offset within the cycle
(READY's ``tsn``: ``base_time_ns``, per stream ``period_ns`` and ``talker_offset_ns``; docs/tsn.md,
"802.1Qbv in the cell"). A talker that sends at ``base_time_ns + k period_ns +
talker_offset_ns`` finds its gate opening (latency bound ``L + e``); one that sends at an arbitrary
phase waits in the shaper for the next window (up to a cycle more). A model's messages are created
at its control ticks; :class:`TalkerSchedule` moves each stream message to the next talker instant
at or after its creation, as an application aligned to the network schedule does (802.1Qcc's
TimeAwareOffset, IEEE 802.1Qcc-2018 46.2.3.5). Flows that are not streams are sent when created.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from twin.config import CellConfig


class TalkerSchedule:
    """Talker instants of the cell's scheduled streams, by flow index.

    Args:
        cell: The cell (flow names to indices).
        tsn_info: READY's ``tsn`` section (``CoSimulation.info["tsn"]``).
    """

    def __init__(self, cell: CellConfig, tsn_info: dict[str, Any]) -> None:
        n = len(cell.flows)
        base = int(tsn_info.get("base_time_ns", 0))
        self.period_ns = np.zeros(n, np.int64)  # 0: not a stream (send when created)
        self.first_ns = np.zeros(n, np.int64)  # a talker instant of each stream
        for name, stream in (tsn_info.get("streams") or {}).items():
            i = cell.flow_index(name)
            self.period_ns[i] = int(stream["period_ns"])
            self.first_ns[i] = base + int(stream["talker_offset_ns"])

    @classmethod
    def from_info(cls, cell: CellConfig, info: dict[str, Any]) -> TalkerSchedule | None:
        """The schedule of READY ``info``, or None when the cell has no scheduled stream."""
        tsn = info.get("tsn") or {}
        return cls(cell, tsn) if tsn.get("streams") else None

    def send_times(self, flow: np.ndarray, created_ns: np.ndarray) -> np.ndarray:
        """The send time of each message: its stream's next talker instant at or after creation.

        Args:
            flow: Flow index of each message.
            created_ns: Creation time of each message (twin time, ns).

        Returns:
            Send times (ns); unchanged for flows that are not streams.
        """
        period = self.period_ns[flow]
        first = self.first_ns[flow]
        stream = period > 0
        out = np.asarray(created_ns, np.int64).copy()
        p = period[stream]
        # ceil((created - first) / p) periods after ``first`` (may be negative: before base).
        k = -((first[stream] - out[stream]) // p)
        out[stream] = first[stream] + k * p
        return out

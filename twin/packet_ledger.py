"""The fate of every packet the twin sent: send time, size, receive time or drop reason.

Sequence numbers are global and dense (0, 1, 2, ... across all flows), so a report's records update
the ledger by direct array indexing, with no per-packet dictionary.
"""

from __future__ import annotations

import numpy as np

from twin.bridge.protocol import DropReason

NOT_YET = -1
#: ``fate`` values: still in flight, delivered, dropped by ns-3 (reason in ``drop_reason``).
IN_FLIGHT, DELIVERED, DROPPED = 0, 1, 2


class PacketLedger:
    """Growable columns indexed by sequence number."""

    #: Column name -> (dtype, fill value of a slot with no packet yet).
    _COLUMNS: dict[str, tuple[type, float]] = {
        "flow": (np.uint32, 0),
        "size_bytes": (np.uint32, 0),
        "send_ns": (np.int64, 0),
        "rx_ns": (np.int64, NOT_YET),
        "drop_ns": (np.int64, NOT_YET),
        "drop_reason": (np.uint8, 0),
        "sinr_db": (np.float32, np.nan),
        "mcs": (np.uint8, 0),
    }

    def __init__(self, capacity: int = 4096) -> None:
        self._n = 0
        self._cap = capacity
        for name, (dtype, fill) in self._COLUMNS.items():
            setattr(self, name, np.full(capacity, fill, dtype))

    # Typed views of the columns made in __init__.
    flow: np.ndarray
    size_bytes: np.ndarray
    send_ns: np.ndarray
    rx_ns: np.ndarray
    drop_ns: np.ndarray
    drop_reason: np.ndarray
    sinr_db: np.ndarray
    mcs: np.ndarray

    def __len__(self) -> int:
        return self._n

    def _grow(self, need: int) -> None:
        cap = self._cap
        while cap < need:
            cap *= 2
        if cap == self._cap:
            return
        for name, (dtype, fill) in self._COLUMNS.items():
            new: np.ndarray = np.full(cap, fill, dtype)
            new[: self._n] = getattr(self, name)[: self._n]
            setattr(self, name, new)
        self._cap = cap

    def add(self, flow: np.ndarray, size_bytes: np.ndarray, send_ns: np.ndarray) -> np.ndarray:
        """Registers new packets and returns their sequence numbers."""
        k = len(flow)
        self._grow(self._n + k)
        seq = np.arange(self._n, self._n + k, dtype=np.uint32)
        self.flow[self._n : self._n + k] = flow
        self.size_bytes[self._n : self._n + k] = size_bytes
        self.send_ns[self._n : self._n + k] = send_ns
        self._n += k
        return seq

    def deliver(self, deliveries: np.ndarray) -> None:
        """Applies ``DELIVERY_DTYPE`` records (first delivery wins)."""
        seq = deliveries["seq"].astype(np.int64)
        fresh = self.rx_ns[seq] == NOT_YET
        seq = seq[fresh]
        self.rx_ns[seq] = deliveries["rx_time_ns"][fresh]
        self.sinr_db[seq] = deliveries["sinr_db"][fresh]
        self.mcs[seq] = deliveries["mcs"][fresh]

    def drop(self, drops: np.ndarray) -> None:
        """Applies ``DROP_DTYPE`` records."""
        seq = drops["seq"].astype(np.int64)
        self.drop_ns[seq] = drops["time_ns"]
        self.drop_reason[seq] = drops["reason"]

    def fate(self) -> np.ndarray:
        """Per packet: DELIVERED, DROPPED or IN_FLIGHT (a delivery beats a later MAC drop)."""
        n = self._n
        out = np.full(n, IN_FLIGHT, np.uint8)
        out[self.drop_ns[:n] != NOT_YET] = DROPPED
        out[self.rx_ns[:n] != NOT_YET] = DELIVERED
        return out

    def latency_ns(self) -> np.ndarray:
        """Per packet: receive minus send time, -1 where not delivered."""
        n = self._n
        rx = self.rx_ns[:n]
        return np.where(rx != NOT_YET, rx - self.send_ns[:n], NOT_YET)

    def table(self) -> dict[str, np.ndarray]:
        """The per-packet table as columns (seq, flow, size, times, fate, reason, sinr, mcs)."""
        n = self._n
        return {
            "seq": np.arange(n, dtype=np.uint32),
            "flow": self.flow[:n],
            "size_bytes": self.size_bytes[:n],
            "send_ns": self.send_ns[:n],
            "rx_ns": self.rx_ns[:n],
            "latency_ns": self.latency_ns(),
            "fate": self.fate(),
            "drop_reason": self.drop_reason[:n],
            "sinr_db": self.sinr_db[:n],
            "mcs": self.mcs[:n],
        }


DROP_REASON_NAMES = {int(r): r.name.lower() for r in DropReason}

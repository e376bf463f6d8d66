"""Encoding and decoding of bridge messages (layout declared in :mod:`twin.bridge.protocol`)."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from twin.bridge import protocol as P
from twin.bridge.errors import ProtocolError, ProtocolMismatch


def header(msg_type: P.MsgType, time_ns: int = 0, counts: tuple[int, ...] = ()) -> bytes:
    """Packs frame 0 of a message."""
    h = np.zeros(1, dtype=P.HEADER_DTYPE)
    h["magic"] = P.MAGIC
    h["version"] = P.PROTOCOL_VERSION
    h["type"] = int(msg_type)
    h["time_ns"] = time_ns
    for i, c in enumerate(counts):
        h[f"count{i}"] = c
    return h.tobytes()


def parse_header(frame: bytes | memoryview) -> np.void:
    """Unpacks and checks frame 0 of a reply.

    Raises:
        ProtocolError: If the frame is not a header of our protocol.
        ProtocolMismatch: If the version is not ours (``protocol.PROTOCOL_VERSION``).
    """
    if len(frame) != P.HEADER_DTYPE.itemsize:
        raise ProtocolError(
            f"reply frame 0 has {len(frame)} bytes; a header has {P.HEADER_DTYPE.itemsize}"
        )
    h = np.frombuffer(frame, dtype=P.HEADER_DTYPE)[0]
    if int(h["magic"]) != P.MAGIC:
        raise ProtocolError("reply has a bad magic number: not a fabtwin bridge message")
    if int(h["version"]) != P.PROTOCOL_VERSION:
        raise ProtocolMismatch(
            f"protocol version mismatch: the twin speaks version {P.PROTOCOL_VERSION}, "
            f"fabtwin-ns3 replied with version {int(h['version'])}; rebuild with ./setup.sh"
        )
    return h


def records(frame: bytes | memoryview, dtype: np.dtype, count: int, name: str) -> np.ndarray:
    """Views a frame as ``count`` records of ``dtype`` (copy-free), checking its size."""
    if len(frame) != count * dtype.itemsize:
        raise ProtocolError(
            f"{name} frame has {len(frame)} bytes; the header announces {count} records of "
            f"{dtype.itemsize} bytes"
        )
    return np.frombuffer(frame, dtype=dtype, count=count)


@dataclass(frozen=True)
class Report:
    """What ns-3 reports after one ADVANCE.

    Attributes:
        now_ns: Twin time at the end of the step.
        deliveries: ``DELIVERY_DTYPE`` records, in receive-time order.
        drops: ``DROP_DTYPE`` records.
        link_stats: ``LINK_STATS_DTYPE`` records, one per node in node order.
        transmissions: ``TRANSMISSION_DTYPE`` records (empty unless the cell asks for them).
    """

    now_ns: int
    deliveries: np.ndarray
    drops: np.ndarray
    link_stats: np.ndarray
    transmissions: np.ndarray


def parse_report(frames: list[bytes | memoryview], h: np.void) -> Report:
    """Decodes frames 1..4 of a REPORT whose header is ``h``."""
    if len(frames) != 5:
        raise ProtocolError(f"REPORT has {len(frames) - 1} frames after the header, expected 4")
    return Report(
        now_ns=int(h["time_ns"]),
        deliveries=records(frames[1], P.DELIVERY_DTYPE, int(h["count0"]), "DeliveryRecord"),
        drops=records(frames[2], P.DROP_DTYPE, int(h["count1"]), "DropRecord"),
        link_stats=records(frames[3], P.LINK_STATS_DTYPE, int(h["count2"]), "LinkStatsRecord"),
        transmissions=records(
            frames[4], P.TRANSMISSION_DTYPE, int(h["count3"]), "TransmissionRecord"
        ),
    )

"""The twin <-> ns-3 bridge protocol, declared once.

This module is the single declaration of the wire protocol. The Python side uses the numpy dtypes
built here; the C++ side uses ``ns3-scenarios/model/twin-protocol.h``, which is generated from this
file by ``python -m twin.bridge.codegen`` (a test fails when the committed header is stale), and the
compiled executable reports its struct layout at run time (``fabtwin-ns3 --protocol-layout``) so a
test checks the binary against this declaration too. The version is checked at the handshake.

A message is one ZeroMQ multipart message: frame 0 is a :data:`HEADER` record; the remaining frames
depend on the message type (see :data:`MESSAGE_FRAMES`). Bulk per-step data travels as packed arrays
of fixed-layout little-endian records, never as per-packet dictionaries.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import IntEnum

import numpy as np

#: Bumped on every incompatible change; listed as breaking in CHANGELOG.md.
PROTOCOL_VERSION = 3
#: "FTWN" little-endian; lets each side reject a frame that is not ours at all.
MAGIC = 0x4E575446
#: How fabtwin-ns3 starts a stderr line about something it did to keep a run sound (a timed
#: notice, e.g. a Block Ack agreement released by AddBaPendingGuard, docs/wifi.md); the twin
#: lists these lines in summary.json as ``ns3_notices``. Not part of the wire format.
NOTICE_PREFIX = "fabtwin-ns3: t="


class MsgType(IntEnum):
    """Message types. Requests come from the twin, replies from ns-3 (strict request/reply)."""

    HELLO = 1  #: twin -> ns-3: JSON cell description; builds the topology.
    READY = 2  #: ns-3 -> twin: JSON facts about the built cell (reply to HELLO and RESET).
    ADVANCE = 3  #: twin -> ns-3: run until ``time_ns`` with positions and transmissions.
    REPORT = 4  #: ns-3 -> twin: what happened since the previous ADVANCE.
    RESET = 5  #: twin -> ns-3: JSON cell description; rebuilds the topology in-process.
    CLOSE = 6  #: twin -> ns-3: finish and exit.
    BYE = 7  #: ns-3 -> twin: reply to CLOSE.
    ERROR = 8  #: ns-3 -> twin: UTF-8 text; the request was not carried out.


class DropReason(IntEnum):
    """Why a packet was dropped (mirrors ns-3's ``WifiMacDropReason`` plus our own cases)."""

    UNKNOWN = 0
    QUEUE_OVERFLOW = 1  #: MAC queue full (WIFI_MAC_DROP_FAILED_ENQUEUE).
    LIFETIME_EXPIRED = (
        2  #: MSDU lifetime exceeded in the MAC queue (WIFI_MAC_DROP_EXPIRED_LIFETIME).
    )
    RETRY_LIMIT = 3  #: retransmission limit reached (WIFI_MAC_DROP_REACHED_RETRY_LIMIT).
    QOS_OLD_PACKET = 4  #: discarded by the block-ack window (WIFI_MAC_DROP_QOS_OLD_PACKET).
    NOT_ASSOCIATED = 5  #: the sender or the receiver is not associated with the AP.
    #: Not a loss: a later copy of a packet of a ``radio: both`` flow whose first copy was already
    #: delivered (802.1CB-style duplicate elimination at the receiver, docs/nr.md).
    DUPLICATE_ELIMINATED = 6


class Radio(IntEnum):
    """The radio that carried a delivered packet (DeliveryRecord.radio)."""

    WIFI = 0  #: 802.11ax, the cell's BSS.
    NR = 1  #: 5G NR.
    WIRED = 2  #: Ethernet (TSN bridge segment).


class TxKind(IntEnum):
    """What a TransmissionRecord's PPDU carried."""

    DATA = 0  #: twin packets (possibly aggregated).
    CONTROL = 1  #: ACK, Block Ack, RTS/CTS, trigger frames.
    MANAGEMENT = 2  #: beacons, association.
    TIME_SYNC = 3  #: 802.1AS messages.
    OTHER_DATA = 4  #: data frames carrying no twin packet.


class MuDirection(IntEnum):
    """Which multi-user PPDU a MuScheduleRecord fills."""

    DL = 0  #: the AP's next DL MU PPDU.
    UL = 1  #: the next trigger-based UL PPDU (solicited by a Basic Trigger Frame).


@dataclass(frozen=True)
class Record:
    """A fixed-layout record: a name and ordered ``(field, type)`` pairs.

    Types are numpy scalar codes; every field is naturally aligned by construction (the declaration
    orders fields by size and pads explicitly) so the C++ struct needs no packing pragma.
    """

    name: str
    fields: tuple[tuple[str, str], ...]
    doc: str

    def __post_init__(self) -> None:
        dt = self.dtype
        align = max(dt.fields[f][0].itemsize for f, _ in self.fields)  # type: ignore[index]
        offset = 0
        for f, _ in self.fields:
            sub, off = dt.fields[f][:2]  # type: ignore[index]
            if off % sub.itemsize:
                raise ValueError(f"{self.name}.{f} at offset {off} is not naturally aligned")
            offset = off + sub.itemsize
        if offset % align:
            raise ValueError(f"{self.name} needs explicit tail padding to a multiple of {align}")

    @property
    def dtype(self) -> np.dtype:
        """The numpy structured dtype (little-endian, no implicit padding)."""
        return np.dtype([(f, "<" + t) for f, t in self.fields])


HEADER = Record(
    "MessageHeader",
    (
        ("magic", "u4"),
        ("version", "u2"),
        ("type", "u2"),
        ("time_ns", "i8"),
        ("count0", "u4"),
        ("count1", "u4"),
        ("count2", "u4"),
        ("count3", "u4"),
    ),
    "Frame 0 of every message. time_ns: ADVANCE's target time or REPORT's current time. "
    "countN: number of records in frame N+1.",
)

POSITION = Record(
    "PositionRecord",
    (("x_m", "f8"), ("y_m", "f8"), ("z_m", "f8"), ("node", "u4"), ("pad", "u4")),
    "ADVANCE frame 1: a node's position from now on (metres).",
)

TX_REQUEST = Record(
    "TxRequestRecord",
    (("send_time_ns", "i8"), ("flow", "u4"), ("seq", "u4"), ("size_bytes", "u4"), ("pad", "u4")),
    "ADVANCE frame 2: inject packet (flow, seq) of size_bytes at send_time_ns (>= now).",
)

DELIVERY = Record(
    "DeliveryRecord",
    (
        ("rx_time_ns", "i8"),
        ("send_time_ns", "i8"),
        ("queue_ns", "i8"),
        ("access_ns", "i8"),
        ("air_ns", "i8"),
        ("flow", "u4"),
        ("seq", "u4"),
        ("sinr_db", "f4"),
        ("mcs", "u1"),
        ("hops", "u1"),
        ("retries", "u1"),
        ("radio", "u1"),
    ),
    "REPORT frame 1: packet (flow, seq) reached the flow's destination at rx_time_ns. sinr_db and "
    "mcs are those of the last hop's reception; hops is 1 or 2 (relayed by the AP). Latency split, "
    "summed over hops (docs/protocol.md): queue_ns waiting in queues before the first attempt "
    "could "
    "contend, access_ns contending for the medium or waiting for a grant, air_ns on the air over "
    "all attempts; -1 where the radio does not measure it. retries: failed attempts before "
    "success (HARQ retransmissions on NR). radio: a Radio value.",
)

DROP = Record(
    "DropRecord",
    (
        ("time_ns", "i8"),
        ("flow", "u4"),
        ("seq", "u4"),
        ("reason", "u1"),
        ("pad", "u1"),
        ("pad2", "u2"),
        ("pad3", "u4"),
    ),
    "REPORT frame 2: packet (flow, seq) was dropped at time_ns for DropReason reason.",
)

LINK_STATS = Record(
    "LinkStatsRecord",
    (
        ("clock_offset_ns", "f8"),
        ("node", "u4"),
        ("queue_packets", "u4"),
        ("tx_mpdus", "u4"),
        ("tx_failures", "u4"),
        ("rx_mpdus", "u4"),
        ("sinr_db", "f4"),
        ("rx_power_dbm", "f4"),
        ("busy_fraction", "f4"),
        ("mcs", "u1"),
        ("associated", "u1"),
        ("pad", "u2"),
        ("pad2", "u4"),
    ),
    "REPORT frame 3: per node, during the last ADVANCE: MPDUs sent and failed (retries), MPDUs "
    "received, mean SINR and power of data receptions (NaN if none), last data MCS, MAC queue "
    "length "
    "now, and whether a station is associated. clock_offset_ns: the node's 802.1AS synchronized "
    "time minus the grandmaster's at the end of the step (ground truth, ns; 0 on the grandmaster, "
    "free-running clocks if tsn.sync is disabled, NaN if the cell has no tsn section). "
    "busy_fraction: share of the step the node's PHY sensed the medium busy (CCA), NaN if not "
    "measured.",
)

MU_SCHEDULE = Record(
    "MuScheduleRecord",
    (("node", "u4"), ("ru_tones", "u2"), ("direction", "u1"), ("pad", "u1")),
    "ADVANCE frame 3: station node goes into the next DL MU PPDU (direction 0) or trigger-based "
    "UL PPDU (direction 1) on an RU of ru_tones tones (26, 52, 106, 242, 484, 996). The records of "
    "one ADVANCE replace the previous schedule; an ADVANCE with none keeps it; a record with node "
    "0xFFFFFFFF clears it (ns-3's round-robin multi-user scheduler runs again).",
)
GATE_WINDOW = Record(
    "GateWindowRecord",
    (
        ("offset_ns", "i8"),
        ("duration_ns", "i8"),
        ("node", "u4"),
        ("gate_mask", "u1"),
        ("pad", "u1"),
        ("pad2", "u2"),
    ),
    "ADVANCE frame 4: node's 802.1Qbv gate control list from its next cycle on: gates gate_mask "
    "(bit i = traffic class i) open during [offset_ns, offset_ns + duration_ns) of the cycle. The "
    "records of one node in one ADVANCE replace its whole list (the gaps close every gate).",
)
TRANSMISSION = Record(
    "TransmissionRecord",
    (
        ("start_ns", "i8"),
        ("duration_ns", "i8"),
        ("node", "u4"),
        ("flow", "u4"),
        ("kind", "u1"),
        ("ok", "u1"),
        ("pad", "u2"),
        ("pad2", "u4"),
    ),
    "REPORT frame 4 (only with report.transmissions in the cell): a PPDU node put on the air "
    "during the step. flow: the first twin packet it carries (0xFFFFFFFF: none). kind: a TxKind "
    "value. ok: 1 if its intended receiver decoded it (broadcasts: 1).",
)

RECORDS: tuple[Record, ...] = (
    HEADER,
    POSITION,
    TX_REQUEST,
    DELIVERY,
    DROP,
    LINK_STATS,
    MU_SCHEDULE,
    GATE_WINDOW,
    TRANSMISSION,
)

#: Records carried in frames 1..N of each message type (JSON and text payloads are UTF-8 frames).
MESSAGE_FRAMES: dict[MsgType, tuple[str, ...]] = {
    MsgType.HELLO: ("json",),
    MsgType.READY: ("json",),
    MsgType.ADVANCE: (POSITION.name, TX_REQUEST.name, MU_SCHEDULE.name, GATE_WINDOW.name),
    MsgType.REPORT: (DELIVERY.name, DROP.name, LINK_STATS.name, TRANSMISSION.name),
    MsgType.RESET: ("json",),
    MsgType.CLOSE: (),
    MsgType.BYE: (),
    MsgType.ERROR: ("text",),
}

HEADER_DTYPE = HEADER.dtype
POSITION_DTYPE = POSITION.dtype
TX_REQUEST_DTYPE = TX_REQUEST.dtype
DELIVERY_DTYPE = DELIVERY.dtype
DROP_DTYPE = DROP.dtype
LINK_STATS_DTYPE = LINK_STATS.dtype
MU_SCHEDULE_DTYPE = MU_SCHEDULE.dtype
GATE_WINDOW_DTYPE = GATE_WINDOW.dtype
TRANSMISSION_DTYPE = TRANSMISSION.dtype

#: MuScheduleRecord.node value that clears the external schedule.
MU_CLEAR = 0xFFFFFFFF
#: TransmissionRecord.flow value of a PPDU that carries no twin packet.
NO_FLOW = 0xFFFFFFFF


def layout() -> dict[str, dict[str, object]]:
    """Sizes and field offsets of every record, as ``fabtwin-ns3 --protocol-layout`` prints them."""
    out: dict[str, dict[str, object]] = {}
    for rec in RECORDS:
        dt = rec.dtype
        out[rec.name] = {
            "size": dt.itemsize,
            "offsets": {f: int(dt.fields[f][1]) for f, _ in rec.fields},  # type: ignore[index]
        }
    return out

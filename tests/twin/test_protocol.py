"""The protocol is declared once: the C++ header and the compiled binary must agree with it."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import numpy as np
import pytest

from twin.bridge import codegen, messages
from twin.bridge import protocol as P
from twin.bridge.errors import ProtocolError, ProtocolMismatch


def test_generated_header_is_up_to_date() -> None:
    assert codegen.main(["--check"]) == 0, "run: python -m twin.bridge.codegen"


@pytest.mark.ns3
def test_compiled_layout_matches_declaration(ns3_binary: Path) -> None:
    out = subprocess.run(
        [str(ns3_binary), "--protocol-layout"], capture_output=True, text=True, check=True
    ).stdout
    assert json.loads(out) == P.layout()


def test_records_are_naturally_aligned_and_padded() -> None:
    for rec in P.RECORDS:
        dt = rec.dtype
        widest = max(dt.fields[f][0].itemsize for f, _ in rec.fields)
        assert dt.itemsize % widest == 0, rec.name
    with pytest.raises(ValueError, match="tail padding"):
        P.Record("Bad", (("a", "i8"), ("b", "u4")), "missing tail padding")
    with pytest.raises(ValueError, match="not naturally aligned"):
        P.Record("Bad", (("a", "u4"), ("b", "i8"), ("c", "u4"), ("d", "u4")), "misaligned")


def test_header_round_trip_and_checks() -> None:
    raw = messages.header(P.MsgType.ADVANCE, 123_456, (2, 5))
    h = messages.parse_header(raw)
    assert (int(h["type"]), int(h["time_ns"]), int(h["count0"]), int(h["count1"])) == (
        int(P.MsgType.ADVANCE),
        123_456,
        2,
        5,
    )
    with pytest.raises(ProtocolError, match="bytes"):
        messages.parse_header(raw[:-1])
    bad = np.frombuffer(raw, P.HEADER_DTYPE).copy()
    bad["magic"] = 0
    with pytest.raises(ProtocolError, match="magic"):
        messages.parse_header(bad.tobytes())
    bad = np.frombuffer(raw, P.HEADER_DTYPE).copy()
    bad["version"] = P.PROTOCOL_VERSION + 1
    with pytest.raises(ProtocolMismatch, match="version"):
        messages.parse_header(bad.tobytes())


def test_record_frame_size_is_checked() -> None:
    frame = np.zeros(3, P.DELIVERY_DTYPE).tobytes()
    assert len(messages.records(frame, P.DELIVERY_DTYPE, 3, "DeliveryRecord")) == 3
    with pytest.raises(ProtocolError, match="announces 4 records"):
        messages.records(frame, P.DELIVERY_DTYPE, 4, "DeliveryRecord")

"""Checks of the 802.1Qbv parts of the cell configuration (no ns-3)."""

from __future__ import annotations

import dataclasses
import json

import pytest

from tests.conftest import small_cell
from twin.config import (
    ConfigError,
    GateWindowConfig,
    QbvConfig,
    ReportConfig,
    StreamConfig,
    SyncConfig,
    TsnConfig,
)


def _with(tsn: TsnConfig) -> object:
    return dataclasses.replace(small_cell(1), tsn=tsn)


def test_streams_and_windows_reach_the_handshake() -> None:
    tsn = TsnConfig(
        SyncConfig(enabled=True),
        qbv=QbvConfig(windows=(GateWindowConfig("ap", 0, 1000, 0x7F),)),
        streams=(StreamConfig("sta1.up", attempts=2),),
    )
    cell = dataclasses.replace(small_cell(1, period_s=0.002), tsn=tsn, report=ReportConfig(True))
    doc = json.loads(cell.to_ns3_json(1))
    assert doc["tsn"]["streams"] == [
        {"flow": "sta1.up", "period_ns": 2_000_000, "max_latency_ns": 2_000_000, "attempts": 2}
    ]
    assert doc["tsn"]["qbv"]["windows"][0]["node"] == "ap"
    assert doc["report"] == {"transmissions": True}


@pytest.mark.parametrize(
    ("tsn", "message"),
    [
        (TsnConfig(SyncConfig(enabled=False), qbv=QbvConfig()), r"qbv\.enabled: needs sync"),
        (TsnConfig(SyncConfig(True), qbv=QbvConfig()), r"qbv\.cycle_ns: must be > 0"),
        (TsnConfig(SyncConfig(True), streams=(StreamConfig("sta1.up"),)), r"streams: need qbv"),
        (
            TsnConfig(SyncConfig(True), qbv=QbvConfig(), streams=(StreamConfig("nope"),)),
            r"streams\[0\]\.flow: no flow named 'nope'",
        ),
        (
            TsnConfig(
                SyncConfig(True), qbv=QbvConfig(), streams=(StreamConfig("sta1.up", attempts=9),)
            ),
            r"streams\[0\]\.attempts: must be in 1\.\.8",
        ),
        (
            TsnConfig(
                SyncConfig(True),
                qbv=QbvConfig(cycle_ns=1000, windows=(GateWindowConfig("ap", 500, 600),)),
            ),
            r"windows\[0\]\.duration_ns: offset_ns \+ duration_ns must be <= cycle_ns 1000",
        ),
        (
            TsnConfig(
                SyncConfig(True),
                qbv=QbvConfig(cycle_ns=1000, windows=(GateWindowConfig("x", 0, 10),)),
            ),
            r"windows\[0\]\.node: no node named 'x'",
        ),
    ],
)
def test_bad_tsn_values_are_rejected_naming_the_field(tsn: TsnConfig, message: str) -> None:
    with pytest.raises(ConfigError, match=message):
        _with(tsn)

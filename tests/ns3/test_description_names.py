"""ns-3's parser refuses sections that name an unknown node or flow, naming the field."""

from __future__ import annotations

import json
import re

import pytest

from twin.bridge.errors import Ns3Error
from twin.bridge.ns3_process import Ns3Process

pytestmark = pytest.mark.ns3

_SYNC = {"enabled": True}


@pytest.mark.parametrize(
    ("section", "field", "name"),
    [
        ({"tsn": {"sync": {"enabled": True, "grandmaster": "gm"}}}, "tsn.sync.grandmaster", "gm"),
        (
            {"tsn": {"sync": _SYNC, "qbv": {"cycle_ns": 1000000}, "streams": [{"flow": "nope"}]}},
            "tsn.streams[0].flow",
            "nope",
        ),
        (
            {
                "tsn": {
                    "sync": _SYNC,
                    "qbv": {
                        "cycle_ns": 1000000,
                        "windows": [
                            {"node": "x", "offset_ns": 0, "duration_ns": 1000, "gate_mask": 1}
                        ],
                    },
                }
            },
            "tsn.qbv.windows[0].node",
            "x",
        ),
        ({"wired": {"qbv": {"streams": [{"flow": "f2"}]}}}, "wired.qbv.streams[0].flow", "f2"),
    ],
)
def test_an_unknown_name_is_refused_naming_the_field(
    section: dict[str, object], field: str, name: str
) -> None:
    doc: dict[str, object] = {
        "seed": 1,
        "nodes": [
            {"name": "ap", "role": "ap", "position_m": [0, 0, 3]},
            {"name": "sta", "role": "sta", "position_m": [5, 0, 1]},
        ],
        "flows": [{"name": "f", "src": 1, "dst": 0}],
        **section,
    }
    proc = Ns3Process()
    try:
        message = f"cell description: {field}: '{name}' is not a"
        with pytest.raises(Ns3Error, match=re.escape(message)):
            proc.start(json.dumps(doc))
    finally:
        proc.close()

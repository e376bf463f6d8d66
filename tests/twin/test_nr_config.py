"""NR in the cell configuration: roles, radios, the nr section and the handshake JSON."""

from __future__ import annotations

import json
from typing import Any

import pytest

from twin.config import ConfigError, NrCgConfig, NrConfig
from twin.configio import experiment_from_dict
from twin.nr_cells import nr_uplink_cell


def _cell(**nr: Any) -> dict[str, Any]:
    return {
        "cell": {
            "nodes": [
                {"name": "ap", "role": "ap", "radio": "both", "position_m": [0, 0, 3]},
                {"name": "arm", "role": "ue", "position_m": [5, 0, 1]},
                {"name": "agv", "role": "sta", "radio": "both", "position_m": [8, 0, 1]},
            ],
            "flows": [
                {"name": "arm.up", "src": "arm", "dst": "ap", "radio": "nr"},
                {"name": "agv.up", "src": "agv", "dst": "ap", "radio": "both"},
            ],
            "nr": nr,
        }
    }


def test_a_valid_nr_cell_reaches_the_handshake() -> None:
    exp = experiment_from_dict(_cell(numerology=3, duplex="FDD", allocation_symbols=2))
    doc = json.loads(exp.cell.to_ns3_json(seed=1))
    assert [n["radio"] for n in doc["nodes"]] == ["both", "nr", "both"]
    assert [f["radio"] for f in doc["flows"]] == ["nr", "both"]
    assert doc["nr"]["numerology"] == 3 and doc["nr"]["allocation_symbols"] == 2
    assert doc["nr"]["cg"]["rbs_per_ue"] == 20 and doc["nr"]["special_slot_symbols"] == [10, 2, 2]


def test_a_wifi_only_cell_sends_no_nr_section() -> None:
    cell = nr_uplink_cell(NrConfig(), 1, radio="wifi", dual_radio=True)
    assert "nr" in json.loads(cell.to_ns3_json(seed=1))  # the ap has radio both
    wifi_only = json.loads(
        experiment_from_dict(
            {
                "cell": {
                    "nodes": [{"name": "ap", "role": "ap"}, {"name": "s", "role": "sta"}],
                    "flows": [{"name": "f", "src": "s", "dst": "ap"}],
                }
            }
        ).cell.to_ns3_json(seed=1)
    )
    assert "nr" not in wifi_only


@pytest.mark.parametrize(
    ("nr", "field", "allowed"),
    [
        ({"numerology": 4}, "cell.nr.numerology", "0..3"),
        ({"duplex": "DDXU"}, "cell.nr.duplex", "FDD or a TDD pattern"),
        ({"duplex": "DDDD"}, "cell.nr.duplex", "S or U slot"),
        ({"special_slot_symbols": [10, 2, 3]}, "cell.nr.special_slot_symbols", "summing to 14"),
        ({"allocation_symbols": 3}, "cell.nr.allocation_symbols", "2, 4, 7, 14"),
        ({"mcs_table": "qam1024"}, "cell.nr.mcs_table", "qam64_lowse"),
        ({"target_bler": 0.9}, "cell.nr.target_bler", "1e-09..0.5"),
        ({"ue_capability": 2, "numerology": 3}, "cell.nr.ue_capability", "not defined"),
        ({"ul_access": "grant_free"}, "cell.nr.ul_access", "configured_grant"),
        ({"sr": {"offset_symbols": 14}}, "cell.nr.sr.offset_symbols", "0..13"),
        ({"cg": {"mcs": 29}}, "cell.nr.cg.mcs", "0..28"),
        ({"num_rbs": 300}, "cell.nr.num_rbs", "11..275"),
        ({"harq_max_transmissions": 0}, "cell.nr.harq_max_transmissions", "1..16"),
        (
            {"ul_access": "configured_grant", "cg": {"rbs_per_ue": 30}},
            "cell.nr.cg.rbs_per_ue",
            "2 UEs x rbs_per_ue must fit the 47 RBs",
        ),
    ],
)
def test_invalid_nr_values_name_field_and_allowed(
    nr: dict[str, Any], field: str, allowed: str
) -> None:
    with pytest.raises(ConfigError) as err:
        experiment_from_dict(_cell(**nr))
    assert field in str(err.value) and allowed in str(err.value), str(err.value)


@pytest.mark.parametrize(
    ("mutate", "field", "allowed"),
    [
        (lambda c: c["flows"][0].update(radio="lte"), "cell.flows[0].radio", "wifi, nr, both"),
        (lambda c: c["flows"][0].update(radio="wifi"), "cell.flows[0].radio", "Wi-Fi radio"),
        (lambda c: c["nodes"][1].update(radio="wifi"), "cell.nodes[1].radio (role ue)", "nr"),
        (lambda c: c["nodes"][2].update(radio="nr"), "cell.nodes[2].radio (role sta)", "both"),
        (lambda c: c["nodes"][0].update(radio="wifi"), "cell.nodes", "exactly one gNB"),
        (
            lambda c: c["flows"].append({"name": "x", "src": "arm", "dst": "agv", "radio": "nr"}),
            "cell.flows[2].radio",
            "the gNB at one of them",
        ),
        (lambda c: c.update(tsn={}), "cell.tsn", "no Wi-Fi radio"),
    ],
)
def test_inconsistent_radios_name_field(mutate: Any, field: str, allowed: str) -> None:
    data = _cell()
    mutate(data["cell"])
    with pytest.raises(ConfigError) as err:
        experiment_from_dict(data)
    assert field in str(err.value) and allowed in str(err.value), str(err.value)


def test_configured_grant_fits_per_ue_resources() -> None:
    nr = NrConfig(ul_access="configured_grant", cg=NrCgConfig(rbs_per_ue=10))
    assert len(nr_uplink_cell(nr, 4).nodes) == 5
    with pytest.raises(ConfigError, match="cell.nr.cg.rbs_per_ue"):
        nr_uplink_cell(nr, 5)

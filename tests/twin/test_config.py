"""Invalid configurations are rejected before ns-3 starts, naming the field and allowed values."""

from __future__ import annotations

import subprocess
import sys
from typing import Any

import pytest

from twin.config import CellConfig, ConfigError, FlowConfig, NodeConfig
from twin.configio import (
    DEFAULT_CONFIG,
    apply_overrides,
    experiment_from_dict,
    load_experiment,
    to_plain,
)

STAR = DEFAULT_CONFIG.with_name("star.yaml")


def _cell(**changes: Any) -> dict[str, Any]:
    cell: dict[str, Any] = {
        "nodes": [
            {"name": "ap", "role": "ap", "position_m": [0, 0, 3]},
            {"name": "arm1", "role": "sta", "position_m": [5, 0, 1]},
        ],
        "flows": [{"name": "arm1.up", "src": "arm1", "dst": "ap", "period_s": 0.01}],
    }
    cell.update(changes)
    return {"cell": cell}


@pytest.mark.parametrize(
    ("mutate", "field", "allowed"),
    [
        (lambda d: d["cell"]["flows"][0].update(period_s=-0.01), "cell.flows[0].period_s", "> 0"),
        (lambda d: d["cell"]["nodes"][1].update(radio="lte"), "cell.nodes[1].radio", "wifi"),
        (lambda d: d["cell"]["nodes"][1].update(name="ap"), "cell.nodes[1].name", "duplicate"),
        (lambda d: d["cell"]["flows"][0].update(dst="robot9"), "cell.flows[0].dst", "arm1"),
        (
            lambda d: d["cell"]["flows"][0].update(access_category="XX"),
            "cell.flows[0].access_category",
            "VO, VI, BE, BK",
        ),
        (
            lambda d: d["cell"]["flows"][0].update(size_bytes=5000),
            "cell.flows[0].size_bytes",
            "1..2296",
        ),
        (
            lambda d: d["cell"]["nodes"][1].update(role="relay"),
            "cell.nodes[1].role",
            "ap, sta, gnb, ue",
        ),
        (lambda d: d["cell"].update(wifi={"mcs": 12}), "cell.wifi.mcs", "0..11"),
        (
            lambda d: d["cell"].update(wifi={"channel_width_mhz": 30}),
            "cell.wifi.channel_width_mhz",
            "20, 40, 80, 160",
        ),
        (
            lambda d: d["cell"].update(wifi={"chanel_width_mhz": 20}),
            "cell.wifi.chanel_width_mhz",
            "unknown key",
        ),
        (lambda d: d.update(run={"step_s": 0}), "run.step_s", "1e-05..1"),
        (lambda d: d.update(run={"seed": 0}), "run.seed", "1.."),
        (lambda d: d.update(bridge={"transport": "udp"}), "bridge.transport", "ipc, tcp"),
        (
            lambda d: d["cell"]["nodes"][1].update(position_m=[1, 2]),
            "cell.nodes[1].position_m",
            "3 items",
        ),
        (
            lambda d: d["cell"]["flows"][0].update(size_bytes="big"),
            "cell.flows[0].size_bytes",
            "integer",
        ),
        (
            lambda d: d["cell"].update(wifi={"ofdma": {"mu_edca_timer_ms": 10}}),
            "cell.wifi.ofdma.mu_edca_timer_ms",
            "k x 8.192 ms with k in 1..255",
        ),
        (
            lambda d: d["cell"].update(wifi={"ofdma": {"max_stations": 75}}),
            "cell.wifi.ofdma.max_stations",
            "1..74",
        ),
        (
            lambda d: d["cell"].update(wifi={"ofdma": {"ul_access_interval_us": -1}}),
            "cell.wifi.ofdma.ul_access_interval_us",
            "0..1000000",
        ),
    ],
)
def test_invalid_values_name_field_and_allowed(mutate: Any, field: str, allowed: str) -> None:
    data = _cell()
    mutate(data)
    with pytest.raises(ConfigError) as err:
        experiment_from_dict(data)
    assert field in str(err.value) and allowed in str(err.value), str(err.value)


def test_exactly_one_ap() -> None:
    with pytest.raises(ConfigError, match="exactly one node must have role 'ap'"):
        CellConfig(nodes=(NodeConfig("a", "sta"), NodeConfig("b", "sta")))


def test_template_and_overrides() -> None:
    cfg, merged = load_experiment(STAR, ["cell.template.n_stations=4", "run.seed=9"])
    assert cfg.run.seed == 9
    assert [n.name for n in cfg.cell.nodes] == ["ap", "sta1", "sta2", "sta3", "sta4", "be1", "be2"]
    assert len(cfg.cell.flows) == 4 * 2 + 2
    assert merged["cell"]["template"]["n_stations"] == 4
    down = cfg.cell.flows[1]
    assert down.name == "sta1.down" and down.start_s == pytest.approx(down.period_s / 2)
    plain = to_plain(cfg)
    assert plain["cell"]["nodes"][0]["name"] == "ap"
    with pytest.raises(
        ConfigError, match="cell.template.n_stations: must be an integer in 1..1000"
    ):
        load_experiment(STAR, ["cell.template.n_stations=-1"])


def test_override_errors_name_the_key() -> None:
    with pytest.raises(ConfigError, match="expected key.path=value"):
        apply_overrides({}, ["run.seed"])
    with pytest.raises(ConfigError, match="index '7' is out of range"):
        apply_overrides({"cell": {"nodes": [{}]}}, ["cell.nodes.7.name=x"])


def test_to_ns3_json_uses_indices() -> None:
    cell = CellConfig(
        nodes=(NodeConfig("ap", "ap"), NodeConfig("s", "sta")),
        flows=(FlowConfig("f", "s", "ap", period_s=0.002, start_s=0.001),),
    )
    import json

    doc = json.loads(cell.to_ns3_json(seed=5))
    assert doc["seed"] == 5
    assert doc["flows"][0] == {
        "name": "f",
        "src": 1,
        "dst": 0,
        "access_category": "VO",
        "size_bytes": 100,
        "period_ns": 2_000_000,
        "start_ns": 1_000_000,
    }


def test_cli_rejects_bad_config_without_starting_ns3(tmp_path: Any) -> None:
    proc = subprocess.run(
        [
            sys.executable,
            "-m",
            "twin.cli",
            "run",
            "--set",
            "cell.wifi.mcs=99",
            "--out",
            str(tmp_path),
        ],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert proc.returncode == 2
    assert "cell.wifi.mcs: must be in 0..11" in proc.stderr
    assert not any(tmp_path.iterdir()), "no results directory for a rejected config"


def test_cli_help_reads_well() -> None:
    out = subprocess.run(
        [sys.executable, "-m", "twin.cli", "run", "--help"], capture_output=True, text=True
    ).stdout
    for word in ("--config", "--set", "KEY=VALUE", "examples:", "results directory"):
        assert word in out


def test_workcell_section_builds_the_cell_and_accepts_tsn() -> None:
    cfg, _ = load_experiment(None, ["cell.tsn={sync: {enabled: true}}", "workcell.n_parts=2"])
    assert cfg.workcell is not None and cfg.workcell.n_parts == 2
    assert cfg.cell.nodes[0].name == "edge" and cfg.cell.tsn is not None
    with pytest.raises(ConfigError, match="cell.nodes: not allowed with a workcell section"):
        load_experiment(None, ["cell.nodes=[]"])
    with pytest.raises(ConfigError, match="workcell.n_parts: must be in 1..10000"):
        load_experiment(None, ["workcell.n_parts=0"])
    with pytest.raises(ConfigError, match="workcell.config: 'nope' is neither a packaged workcell"):
        load_experiment(None, ["workcell.config=nope"])


def test_band_limits_channel_width() -> None:
    from twin.config import WifiConfig

    WifiConfig(band="2.4GHz", channel_width_mhz=20).check("cell.wifi")
    with pytest.raises(
        ConfigError, match=r"cell.wifi.channel_width_mhz \(2.4GHz\): 40 .*allowed: 20"
    ):
        WifiConfig(band="2.4GHz", channel_width_mhz=40).check("cell.wifi")


def test_ofdma_section_reaches_the_ns3_description() -> None:
    import json

    data = _cell(wifi={"ofdma": {"ul": False, "mu_edca_timer_ms": 2 * 8.192}})
    cfg = experiment_from_dict(data)
    ofdma = cfg.cell.wifi.ofdma
    assert ofdma is not None and ofdma.ul is False and ofdma.max_stations == 4
    doc = json.loads(cfg.cell.to_ns3_json(seed=1))
    assert doc["wifi"]["ofdma"] == {
        "ul": False,
        "max_stations": 4,
        "ul_access_interval_us": 1000,
        "mu_edca_timer_ms": 16.384,
        "ul_psdu_size_bytes": 500,
    }
    assert json.loads(experiment_from_dict(_cell()).cell.to_ns3_json(1))["wifi"]["ofdma"] is None

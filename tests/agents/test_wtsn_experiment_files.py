"""The WTSN study's experiment mappings load as `fabtwin run` experiments (no ns-3 run)."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from agents.wtsn_workcell import CONFIGS, WtsnStudyConfig, experiment_data
from twin.configio import load_experiment


@pytest.mark.parametrize("config", CONFIGS)
def test_each_configuration_reruns_with_another_seed(config: str, tmp_path: Path) -> None:
    path = tmp_path / f"experiment_{config}.yaml"
    path.write_text(yaml.safe_dump(experiment_data(WtsnStudyConfig(), config, 1, 100.0)))
    cfg, _ = load_experiment(path, ["run.seed=3"])
    assert cfg.run.seed == 3
    assert cfg.workcell is not None and cfg.workcell.n_parts == WtsnStudyConfig().n_parts
    assert (cfg.cell.tsn is not None and cfg.cell.tsn.qbv.enabled) == (config == "wifi_be_tsn")

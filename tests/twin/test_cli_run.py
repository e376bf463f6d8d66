"""The main job: `fabtwin run` end to end over real ns-3, writing a self-describing results dir."""

from __future__ import annotations

import csv
import json
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from twin.bridge import protocol as P
from twin.configio import DEFAULT_CONFIG

pytestmark = pytest.mark.ns3
STAR = DEFAULT_CONFIG.with_name("star.yaml")


def test_fabtwin_run_writes_results_and_prints_summary(tmp_path: Path) -> None:
    proc = subprocess.run(
        [
            sys.executable,
            "-m",
            "twin.cli",
            "run",
            "--quiet",
            "--config",
            str(STAR),
            "--out",
            str(tmp_path),
            "--set",
            "run.duration_s=0.2",
            "--set",
            "cell.template.n_stations=3",
            "--set",
            "run.seed=4",
        ],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert proc.returncode == 0, proc.stderr
    assert "p99 ms" in proc.stdout and "seed 4" in proc.stdout
    (run_dir,) = list(tmp_path.iterdir())
    for name in (
        "config.yaml",
        "command.txt",
        "versions.json",
        "packets.csv",
        "link_stats.csv",
        "summary.json",
        "latency_cdf.png",
        "ns3.stderr.log",
    ):
        assert (run_dir / name).is_file(), name
    cfg = yaml.safe_load((run_dir / "config.yaml").read_text())
    assert cfg["run"]["seed"] == 4 and len(cfg["cell"]["nodes"]) == 1 + 3 + 2
    versions = json.loads((run_dir / "versions.json").read_text())
    assert (
        versions["packages"]["ns3"] == "3.44.post0"
        and versions["bridge_protocol"] == P.PROTOCOL_VERSION
    )
    summary = json.loads((run_dir / "summary.json").read_text())
    flows = {f["flow"]: f for f in summary["flows"]}
    # 0.2 s of a 10 ms control period = 20 packets per control flow; 2 ms best effort = 100.
    assert flows["sta1.up"]["sent"] == 20 and flows["sta1.down"]["sent"] == 20
    assert flows["be1.up"]["sent"] == 100
    for f in summary["flows"]:
        assert f["sent"] == f["delivered"] + f["lost"]
    with (run_dir / "packets.csv").open() as fh:
        rows = list(csv.DictReader(fh))
    assert len(rows) == sum(f["sent"] for f in summary["flows"]) == summary["packets"]
    assert (run_dir / "latency_cdf.png").stat().st_size > 10_000
    assert (run_dir / "command.txt").read_text().startswith("fabtwin run")

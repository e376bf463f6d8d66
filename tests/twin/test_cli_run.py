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


def _star_run(out: Path, *sets: str) -> list[str]:
    """``fabtwin run`` arguments: the star cell, results under ``out``, the given overrides."""
    return [
        "run",
        "--quiet",
        "--config",
        str(STAR),
        "--out",
        str(out),
        *(x for s in sets for x in ("--set", s)),
    ]


def test_fabtwin_run_writes_results_and_prints_summary(tmp_path: Path) -> None:
    proc = subprocess.run(
        [
            sys.executable,
            "-m",
            "twin.cli",
            *_star_run(tmp_path, "run.duration_s=0.2", "cell.template.n_stations=3", "run.seed=4"),
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
        "experiment.yaml",
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
    # The experiment as given (template unexpanded) and the completed summary's totals.
    given = yaml.safe_load((run_dir / "experiment.yaml").read_text())
    assert given["cell"]["template"]["n_stations"] == 3
    assert summary["status"] == "ok" and summary["totals"]["sent"] == summary["packets"]
    assert not (run_dir / "error.json").exists()


def test_a_failed_run_leaves_error_json_and_no_summary(tmp_path: Path) -> None:
    from twin.cli import main
    from twin.results import is_finished

    # 1 ms is too short for ns-3 to build the cell: the bridge times out.
    code = main(_star_run(tmp_path, "bridge.timeout_s=0.001", "run.duration_s=0.1"))
    assert code == 1
    (run_dir,) = list(tmp_path.iterdir())
    error = json.loads((run_dir / "error.json").read_text())
    assert error["status"] == "failed" and error["error"].startswith("BridgeTimeout: ns-3 did")
    assert "Traceback" in error["traceback"]
    assert not (run_dir / "summary.json").exists() and not is_finished(run_dir)
    assert (run_dir / "config.yaml").is_file() and (run_dir / "command.txt").is_file()

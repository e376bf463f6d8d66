"""Smoke test of scripts/reproduce_wtsn_workcell.py in quick mode (real ns-3, one seed)."""

from __future__ import annotations

import csv
import json
import subprocess
import sys
from pathlib import Path

import pytest

from robots.workcell import ideal_completion_time_s, load_workcell_config
from twin.config import WorkcellJobConfig
from twin.configio import load_experiment

pytestmark = [pytest.mark.ns3, pytest.mark.slow]

ROOT = Path(__file__).resolve().parents[2]


def test_quick_mode_writes_the_report_and_agrees_with_the_published_finding(
    tmp_path: Path,
) -> None:
    proc = subprocess.run(
        [
            sys.executable,
            str(ROOT / "scripts" / "reproduce_wtsn_workcell.py"),
            "--quick",
            "--set",
            "seeds=[1]",
            "--set",
            "configs=[wired, wifi_be, wifi_be_tsn]",
            "--out",
            str(tmp_path),
        ],
        capture_output=True,
        text=True,
        timeout=900,
        check=False,
    )
    assert proc.returncode == 0, proc.stdout[-2000:] + proc.stderr[-3000:]
    (run,) = tmp_path.iterdir()
    for name in ("config.yaml", "command.txt", "versions.json", "runs.csv", "summary.json"):
        assert (run / name).is_file(), name
    # The saved experiment reruns a configuration with `fabtwin run --config ... --set run.seed=N`.
    cfg, _ = load_experiment(run / "experiment_wifi_be_tsn.yaml", ["run.seed=7"])
    assert cfg.run.seed == 7 and cfg.cell.tsn is not None
    report = (run / "report.md").read_text()
    assert "| published claim | published | ours | holds here |" in report
    assert "could not be obtained here" in report
    for png in ("latency_cdf.png", "machine.png"):
        assert (run / png).read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
        assert f"![{png}]({png})" in report
    with (run / "pooled.csv").open() as fh:
        t = {
            r["config"]: {k: float(v) for k, v in r.items() if k != "config"}
            for r in csv.DictReader(fh)
        }
    wired, be, tsn = t["wired"], t["wifi_be"], t["wifi_be_tsn"]
    every = (wired, be, tsn)
    assert all(x["parts_done"] == 1 for x in every), every

    # Wired: two 1 Gb/s links and the bridge per packet (a few us), nothing lost, so every hop
    # costs the one control period the closed form counts: completion = the ideal 4.424 s.
    ideal = ideal_completion_time_s(
        load_workcell_config(WorkcellJobConfig(config="nist_workcell_fast").config_path()), 1
    )
    assert wired["robot_max_ms"] < 0.05 and wired["robot_loss"] == 0
    assert wired["completion_time_s"] == pytest.approx(ideal, abs=1e-6)

    # Wi-Fi + 100 Mbit/s of best effort (plain EDCA): robot p99 in the milliseconds (measured
    # 17.9 ms), late setpoints/states, more idle time and a later completion than wired.
    assert be["robot_p99_ms"] > 4.0 and be["robot_late"] > 0
    assert be["idle_s"] > wired["idle_s"]
    assert be["completion_time_s"] > wired["completion_time_s"]

    # WTSN: every robot message within its window's latency bound (two attempts: 503.2 us)
    # and none late; idle time and completion closer to wired than without TSN.
    summary = json.loads((run / "summary.json").read_text())
    bound_ms = max(s["latency_bound_ns"] for s in summary["tsn_schedule"]["streams"].values()) / 1e6
    assert tsn["robot_max_ms"] <= bound_ms and tsn["robot_loss"] == 0 and tsn["robot_late"] == 0
    assert tsn["robot_p99_ms"] < be["robot_p99_ms"] / 10
    assert abs(tsn["idle_s"] - wired["idle_s"]) < abs(be["idle_s"] - wired["idle_s"])
    assert wired["completion_time_s"] <= tsn["completion_time_s"] < be["completion_time_s"]
    assert summary["verdict"]["finding_holds"] is True
    assert "the finding holds" in report

"""Smoke test of scripts/reproduce_control_capacity.py in quick mode (real ns-3)."""

from __future__ import annotations

import csv
import json
import subprocess
import sys
from pathlib import Path

import pytest

pytestmark = [pytest.mark.ns3, pytest.mark.slow]

ROOT = Path(__file__).resolve().parents[2]


def test_quick_mode_writes_the_report_and_agrees_with_the_paper_in_direction(
    tmp_path: Path,
) -> None:
    proc = subprocess.run(
        [
            sys.executable,
            str(ROOT / "scripts" / "reproduce_control_capacity.py"),
            "--quick",
            "--set",
            "plants=[inverted_pendulum]",
            "--set",
            "duration_s=0.5",
            "--out",
            str(tmp_path),
        ],
        capture_output=True,
        text=True,
        timeout=1200,
        check=False,
    )
    assert proc.returncode == 0, proc.stdout[-2000:] + proc.stderr[-3000:]
    (run,) = tmp_path.iterdir()
    for name in ("config.yaml", "command.txt", "versions.json", "episodes.csv", "summary.json"):
        assert (run / name).is_file(), name
    report = (run / "report.md").read_text()
    assert "| plant | noise margin | tau_max | fixed PDR (paper) | fixed PDR (ours)" in report
    for tau, published in (("0.5", "| 9 |"), ("1", "| 19 |"), ("1.5", "| 36 |")):
        assert f"| inverted_pendulum | 6 | {tau} ms {published}" in report
    png = run / "stable_fraction_inverted_pendulum_margin6.png"
    assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert f"![{png.name}]({png.name})" in report
    with (run / "capacity.csv").open() as fh:
        caps = {(r["tau_max_ms"], r["scheduler"]): r for r in csv.DictReader(fh)}
    ours = {
        tau: (
            int(caps[(tau, "fixed_pdr")]["supported"]),
            int(caps[(tau, "control_aware")]["supported"]),
        )
        for tau in ("0.5", "1.0", "1.5")
    }
    # Quick mode tries 9, 18 and 36 pendulums. One, two and three slots of nine 26-tone RUs fit
    # at 0.5, 1 and 1.5 ms (9, 18 and 27 updates per cycle): the fixed-PDR plan keeps that many
    # and loses the rest (at 36 plants none of the tried counts above 18 holds); control-aware
    # shares the cycle's updates among all plants and keeps twice as many at every tau_max
    # (at 0.5 ms 36 is too many: 9 updates for 36 pendulums).
    assert ours == {"0.5": (9, 18), "1.0": (18, 36), "1.5": (18, 36)}, ours
    summary = json.loads((run / "summary.json").read_text())
    assert summary["status"] == "ok" and summary["mode"] == "quick"
    assert summary["failed_cells"] == []
    assert summary["conclusion"]["control_aware_at_least_fixed_everywhere"] is True
    assert summary["conclusion"]["strictly_more_at_tau_max_ms"] == [0.5, 1.0, 1.5]
    # What the network carried arrived in time, but for an occasional whole slot (9 updates of
    # 450-900 per run: 0.98-0.99; not traced, docs/results.md).
    with (run / "episodes.csv").open() as fh:
        rates = [float(r["on_time_rate"]) for r in csv.DictReader(fh)]
    assert min(rates) >= 0.97, rates

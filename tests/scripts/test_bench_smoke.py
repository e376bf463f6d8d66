"""Smoke tests of scripts/bench/: each benchmark runs with --quick and writes sane JSON.

They check that the scripts work and that every ratio is a finite positive number, not that a
target is met (timings on a shared machine are not something a test can assert).
"""

from __future__ import annotations

import json
import math
import subprocess
import sys
from pathlib import Path

import pytest

pytestmark = pytest.mark.ns3

BENCH = Path(__file__).resolve().parents[2] / "scripts" / "bench"

#: Script -> ratio keys its --quick run must report.
EXPECTED = {
    "bench_bridge": ["fabtwin_over_raw_16sta_1us", "fabtwin_over_raw_16sta_0ns"],
    "bench_envs": ["two_workers_over_one_control_20pend", "two_workers_over_one_workcell"],
    "bench_loop_overhead": ["lockstep_over_standalone", "lockstep_over_standalone_cpu"],
    "bench_memory": ["total_peak_rss_over_1gib_20sta"],
    "bench_nr": [
        "sim_s_per_wall_s_mu1_10ue",
        "sim_s_per_wall_s_mu3_100ue",
        "max_ues_1ms_99999_mu1",
        "max_ues_1ms_99999_mu3",
    ],
    "bench_reset": [
        "reset_over_relaunch_default",
        "reset_over_relaunch_5sta",
        "reset_over_relaunch_outside_build_default",
    ],
    "bench_wifi_scaling": [
        "conventional_over_fabtwin_2sta",
        "conventional_over_fabtwin_cpu_4sta",
        "conventional_over_fabtwin_cpu_per_delivered_4sta",
        "conventional_over_fabtwin_cpu_light_4sta",
        "fabtwin_cost_growth_2_to_4sta",
        "fabtwin_cost_growth_light_2_to_4sta",
    ],
}


def run_bench(name: str, *args: str) -> subprocess.CompletedProcess[str]:
    """Runs ``scripts/bench/<name>.py`` with ``args``; asserts it exits cleanly."""
    proc = subprocess.run(
        [sys.executable, str(BENCH / f"{name}.py"), *args],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert proc.returncode == 0, proc.stdout[-2000:] + proc.stderr[-3000:]
    return proc


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_quick_run_writes_finite_positive_ratios(name: str, tmp_path: Path) -> None:
    out = tmp_path / f"{name}.json"
    proc = run_bench(name, "--quick", "--out", str(out))
    result = json.loads(out.read_text())
    assert result["benchmark"] == name
    for key in ("platform", "cpu_count", "python", "numpy", "pyzmq", "fabtwin", "timestamp_utc"):
        assert result["machine"][key], key
    assert result["config"]["quick"] is True
    assert result["repetitions"]
    for key in EXPECTED[name]:
        value = result["ratios"][key]
        assert isinstance(value, float) and math.isfinite(value) and value > 0, (key, value)
        assert key in result["targets"]
    assert "ratio" in proc.stdout  # the printed table


def test_nr_check_mode_bounds_the_failure_rate_by_the_rule_of_three(tmp_path: Path) -> None:
    out = tmp_path / "check.json"
    args = ["--check", "mu3:2", "--packets", "100", "--min-duration-s", "0.01", "--out", str(out)]
    run_bench("bench_nr", *args)
    (run,) = json.loads(out.read_text())["results"]["check"]
    assert (run["ues"], run["sent"], run["failures"]) == (2, 100, 0)
    # No failure among n packets: the one-sided 95 % bound is 1 - 0.05^(1/n), about 3 / n.
    bound = json.loads(out.read_text())["ratios"]["failure_rate_upper95_mu3_2ue"]
    assert bound == pytest.approx(1 - 0.05 ** (1 / 100), rel=1e-9)


def test_wifi_scaling_control_frames_are_ac_vo_on_both_sides(tmp_path: Path) -> None:
    # The conventional program's UDP packets reach AC_VO only through the IP ToS (DSCP CS6):
    # every one of them must enter the VO queue, and fabtwin's injected packets too.
    out = tmp_path / "wifi.json"
    args = ["--quick", "--stations", "3", "--loads", "issue", "--out", str(out)]
    run_bench("bench_wifi_scaling", *args)
    result = json.loads(out.read_text())
    acs = result["results"]["access_categories"]
    case = result["results"]["cases"]["3sta"]
    sent = case["sent"]["conventional"]
    # 10 ms at 1 ms per flow: station k's uplink starts at k/3 ms (10 packets each), its
    # downlink half a period later, at 0.5, 0.833 and 1.167 ms (10, 10 and 9 packets).
    assert sent == 3 * 10 + 10 + 10 + 9
    assert acs["conventional"]["3"] == {"BE": 0, "BK": 0, "VI": 0, "VO": sent}
    # fabtwin's check is a 10 ms standalone run of the same cell: the same packets, all VO.
    assert acs["fabtwin"]["3"] == {"BE": 0, "BK": 0, "VI": 0, "VO": sent}
    assert case["sent"]["fabtwin"] == sent
    assert 0 < case["delivered"]["fabtwin"] <= sent
    assert 0 < case["delivered"]["conventional"] <= sent
    assert not result["notes"]  # no run had non-VO control frames

"""`fabtwin sweep` over real ns-3: local processes and Ray give one table; resuming skips runs."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pandas as pd
import pytest
import yaml

from twin.results_index import TIMING_COLUMNS, runs_table
from twin.run_plots import plot
from twin.sweep import run_sweep
from twin.sweep_spec import load_sweep

pytestmark = [pytest.mark.ns3, pytest.mark.slow]

#: Tiny runs: 0.1 s of the star cell (2 or 3 control stations, 1 best-effort station).
SWEEP = {
    "base": "star.yaml",
    "set": [
        "run.duration_s=0.1",
        "cell.template.n_best_effort=1",
        "cell.template.best_effort.period_s=0.004",
    ],
    "grid": {"cell.wifi.mcs": [3, 7], "cell.template.n_stations": [2, 3]},
    "seeds": [1, 2],
}


def _write(tmp_path: Path, name: str, **changes: object) -> Path:
    path = tmp_path / f"{name}.yaml"
    path.write_text(yaml.safe_dump({**SWEEP, "out": str(tmp_path / name), **changes}))
    return path


def _comparable(df: pd.DataFrame) -> pd.DataFrame:
    drop = [c for c in df.columns if c in TIMING_COLUMNS or c == "run"]
    return df.drop(columns=drop).sort_values("run_id").reset_index(drop=True)


def test_local_and_ray_sweeps_give_identical_tables(tmp_path: Path) -> None:
    ray = pytest.importorskip("ray")
    local_spec = load_sweep(_write(tmp_path, "local"))
    lines: list[str] = []
    local = run_sweep(local_spec, workers=2, progress=False, log=lines.append)
    assert len(local.ran) == 8 and not local.failed and not local.skipped
    assert sum("ok," in line for line in lines) == 8  # one summary line per run
    ray.init(num_cpus=2, include_dashboard=False, log_to_driver=False)
    try:
        ray_spec = load_sweep(_write(tmp_path, "ray"))
        remote = run_sweep(ray_spec, ray_address="auto", progress=False, log=lambda _: None)
    finally:
        ray.shutdown()
    assert len(remote.ran) == 8 and not remote.failed
    # Same configurations and seeds -> the same numbers, wherever they ran.
    pd.testing.assert_frame_equal(_comparable(local.runs), _comparable(remote.runs))
    pd.testing.assert_frame_equal(local.table, remote.table)
    table = local.table
    assert len(table) == 4 and (table["runs"] == 2).all() and (table["failed"] == 0).all()
    # 0.1 s: 10 packets per control flow each way (10 ms period), 25 best-effort (4 ms).
    sent = dict(zip(table["cell.template.n_stations"], table["net/sent mean"], strict=False))
    assert sent == {2: 2 * 2 * 10 + 25, 3: 3 * 2 * 10 + 25}
    assert (table["net/sent std"] == 0).all()
    assert (tmp_path / "local" / "sweep_table.csv").is_file()
    assert (tmp_path / "local" / "sweep_runs.csv").is_file()
    # A run directory is self-describing.
    run_dir = tmp_path / "local" / local_spec.runs[0].run_id
    summary = json.loads((run_dir / "summary.json").read_text())
    assert summary["params"] == {"cell.wifi.mcs": 3, "cell.template.n_stations": 2}
    assert summary["seed"] == 1 and summary["status"] == "ok"
    config = yaml.safe_load((run_dir / "config.yaml").read_text())
    assert config["cell"]["wifi"]["mcs"] == 3 and config["run"]["seed"] == 1
    given = yaml.safe_load((run_dir / "experiment.yaml").read_text())
    assert given["cell"]["template"]["n_stations"] == 2
    assert "--set cell.wifi.mcs=3" in (run_dir / "command.txt").read_text()
    assert json.loads((run_dir / "versions.json").read_text())["packages"]["ray"] == "2.58.0"
    # Filter and export: the 4 runs at MCS 7, as Parquet and CSV.
    runs = runs_table(tmp_path / "local", ["cell.wifi.mcs=7"])
    assert len(runs) == 4 and set(runs["cell.wifi.mcs"]) == {7}
    assert len(runs_table(tmp_path / "local", ["cell.wifi.mcs=7", "seed=2", "status=ok"])) == 2
    # A sweep directory stands for its runs in `fabtwin plot cdf`.
    png = plot("cdf", [tmp_path / "local"], tmp_path / "sweep-cdf.png")
    assert png.stat().st_size > 10_000


def test_a_failed_run_is_recorded_and_the_others_finish(tmp_path: Path) -> None:
    path = _write(tmp_path, "bad", grid={"cell.wifi.mcs": [7, 12]}, seeds=[1], set=SWEEP["set"])
    out = run_sweep(load_sweep(path), workers=2, progress=False, log=lambda _: None)
    assert len(out.ran) == 2 and len(out.failed) == 1
    bad = out.runs[out.runs["status"] == "failed"].iloc[0]
    assert "cell.wifi.mcs: must be in 0..11" in bad["error"]
    assert (tmp_path / "bad" / bad["run_id"] / "error.json").is_file()
    assert (out.runs["status"] == "ok").sum() == 1
    assert list(out.table["failed"]) == [0, 1]


def test_an_interrupted_sweep_finishes_only_the_missing_runs(tmp_path: Path) -> None:
    path = _write(tmp_path, "resume", grid={"cell.wifi.mcs": [3, 7]}, seeds=[1, 2])
    cmd = [sys.executable, "-m", "twin.cli", "sweep", str(path), "--workers", "1", "--quiet"]
    proc = subprocess.Popen(
        cmd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, start_new_session=True
    )
    out_dir = tmp_path / "resume"
    deadline = time.monotonic() + 240
    while not list(out_dir.glob("*/summary.json")):
        assert proc.poll() is None, proc.communicate()[0]
        assert time.monotonic() < deadline, "the first run took too long"
        time.sleep(0.05)
    os.killpg(proc.pid, signal.SIGINT)
    first, _ = proc.communicate(timeout=60)
    assert proc.returncode == 130, first
    assert "interrupted" in first
    done_before = {p.parent.name: p.stat().st_mtime_ns for p in out_dir.glob("*/summary.json")}
    assert 1 <= len(done_before) < 4
    again = subprocess.run(cmd, capture_output=True, text=True, timeout=300)
    assert again.returncode == 0, again.stdout + again.stderr
    assert f"{len(done_before)} of 4 runs already finished" in again.stdout
    assert f"4/4 runs finished ({4 - len(done_before)} now, {len(done_before)} earlier)" in (
        again.stdout
    )
    for run_id, mtime in done_before.items():  # finished runs were not run again
        assert (out_dir / run_id / "summary.json").stat().st_mtime_ns == mtime
    assert len(list(out_dir.glob("*/summary.json"))) == 4

"""Smoke test of scripts/bench/bench_robots.py with --quick."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_bench_quick(tmp_path: Path) -> None:
    out = tmp_path / "robots.json"
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    subprocess.run(
        [sys.executable, str(ROOT / "scripts/bench/bench_robots.py"), "--quick", "--out", str(out)],
        check=True,
        cwd=ROOT,
        env=env,
        timeout=120,
    )
    data = json.loads(out.read_text())
    assert {"platform", "cpu_count", "python", "numpy"} <= set(data["machine"])
    kinds = {(r["kind"], r["devices"]) for r in data["results"]}
    assert kinds == {(k, n) for k in ("arms", "agvs", "plants") for n in (1, 10)}
    assert all(r["vectorized_s_per_step"] > 0 and r["speedup"] > 0 for r in data["results"])

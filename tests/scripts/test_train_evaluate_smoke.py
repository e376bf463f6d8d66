"""Smoke tests of scripts/train.py and scripts/evaluate.py with tiny budgets (real ns-3)."""

from __future__ import annotations

import csv
import json
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
import yaml

from agents.training import load_policy, load_train_config
from twin.config import ConfigError
from twin.envs import make

pytestmark = pytest.mark.ns3

ROOT = Path(__file__).resolve().parents[2]
TINY = [
    "env.kwargs={n_plants: 3, horizon_steps: 16}",
    "n_envs=1",
    "vec_env=dummy",
    "total_timesteps=64",
    "algo.n_steps=32",
    "algo.batch_size=32",
    "algo.n_epochs=1",
    "eval.freq=32",
    "eval.n_episodes=1",
    "checkpoint_freq=32",
    "progress_bar=false",
]


def _run(script: str, *args: str, cwd: Path) -> str:
    proc = subprocess.run(
        [sys.executable, str(ROOT / "scripts" / script), *args],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
        cwd=cwd,
    )
    assert proc.returncode == 0, proc.stdout[-2000:] + proc.stderr[-3000:]
    return proc.stdout


def test_overrides_are_validated_naming_the_field() -> None:
    cfg, data = load_train_config(ROOT / "agents/configs/ppo.yaml", ["algo.learning_rate=1e-4"])
    assert cfg.algo["learning_rate"] == 1e-4 and data["algo"]["learning_rate"] == 1e-4
    with pytest.raises(ConfigError, match="train.algo.name: 'dqn' is not allowed"):
        load_train_config(ROOT / "agents/configs/ppo.yaml", ["algo.name=dqn"])
    with pytest.raises(ConfigError, match="train.n_envs: must be in 1..64"):
        load_train_config(ROOT / "agents/configs/sac.yaml", ["n_envs=0"])


def test_train_saves_a_loadable_policy_logs_and_resumes(tmp_path: Path) -> None:
    run = tmp_path / "run"
    sets = [a for s in TINY for a in ("--set", s)]
    cfg = str(ROOT / "agents/configs/ppo.yaml")
    _run("train.py", "--config", cfg, "--run-dir", str(run), *sets, cwd=tmp_path)
    for name in ("progress.csv", "evaluations.npz", "final_model.zip", "config.yaml", "meta.json"):
        assert (run / name).is_file(), name
    assert list(run.glob("events.out.tfevents.*"))  # TensorBoard
    assert (run / "checkpoints" / "ppo_32_steps.zip").is_file()
    meta = json.loads((run / "meta.json").read_text())
    assert meta["seed"] == 1 and meta["versions"]["torch"].startswith("2.13.0")
    assert yaml.safe_load((run / "config.yaml").read_text())["total_timesteps"] == 64
    evals = np.load(run / "evaluations.npz")
    assert list(evals["timesteps"]) == [32, 64] and evals["results"].shape == (2, 1)
    with (run / "progress.csv").open() as fh:
        assert "time/total_timesteps" in next(csv.reader(fh))
    # What `fabtwin plot training RUN_DIR` reads.
    from twin.run_plots import plot_training

    assert plot_training([run], tmp_path / "training.png").is_file()
    policy = load_policy(run / "final_model.zip")
    env = make("fabtwin/ControlScheduling-v0", n_plants=3, horizon_steps=2)
    try:
        obs, _ = env.reset(seed=1)
        action, _ = policy.predict(obs, deterministic=True)
        assert env.action_space.contains(np.asarray(action, np.float32))
    finally:
        env.close()
    # Resume from the first checkpoint up to 96 steps.
    _run(
        "train.py",
        "--config",
        cfg,
        "--run-dir",
        str(run),
        *sets,
        "--set",
        "total_timesteps=96",
        "--resume",
        str(run / "checkpoints" / "ppo_32_steps.zip"),
        cwd=tmp_path,
    )
    assert load_policy(run / "final_model.zip").num_timesteps == 96


def test_evaluate_writes_tables_with_confidence_intervals_and_plots(tmp_path: Path) -> None:
    out = tmp_path / "eval"
    stdout = _run(
        "evaluate.py",
        "--env-kwargs",
        "{n_plants: 4, horizon_steps: 5}",
        "--policy",
        "round_robin",
        "--policy",
        "control_aware",
        "--seeds",
        "2",
        "--reference",
        "round_robin",
        "--out",
        str(out),
        cwd=tmp_path,
    )
    assert "control_aware" in stdout
    for name in (
        "steps.csv",
        "episodes.csv",
        "comparison.csv",
        "comparison.md",
        "reward.png",
        "cost.png",
        "latency_cdf.png",
    ):
        assert (out / name).is_file(), name
    with (out / "steps.csv").open() as fh:
        rows = list(csv.DictReader(fh))
    assert len(rows) == 2 * 2 * 5 and "control/mean_cost" in rows[0]
    with (out / "comparison.csv").open() as fh:
        comp = list(csv.DictReader(fh))
    ret = [r for r in comp if r["policy"] == "control_aware" and r["figure"] == "return"][0]
    assert float(ret["ci95"]) >= 0 and ret["diff_vs_ref"] != ""


def test_off_policy_sac_trains_and_checkpoints_its_replay_buffer(tmp_path: Path) -> None:
    run = tmp_path / "sac"
    sets = [s for s in TINY if not s.startswith("algo.")] + [
        "total_timesteps=48",
        "algo.learning_starts=16",
        "algo.batch_size=16",
    ]
    args = [a for s in sets for a in ("--set", s)]
    cfg = str(ROOT / "agents/configs/sac.yaml")
    _run("train.py", "--config", cfg, "--run-dir", str(run), *args, cwd=tmp_path)
    assert (run / "checkpoints" / "sac_replay_buffer_32_steps.pkl").is_file()
    model = load_policy(run / "final_model.zip")
    assert type(model).__name__ == "SAC" and model.num_timesteps == 48

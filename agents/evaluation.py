"""Evaluation of schedulers and trained policies on held-out seeds (behind ``scripts/evaluate.py``).

Every policy (a baseline from :mod:`agents.baselines` by name, or a saved SB3 model) runs one
episode per seed on the same env options. Outputs in the output directory:

* ``steps.csv``: one row per (policy, seed, step) with the reward and every scalar ``info`` key;
* ``episodes.csv``: one row per (policy, seed): return, steps, mean of each scalar info key;
* ``comparison.csv`` / ``comparison.md``: per policy the mean of the episode figures with a 95 %
  confidence interval (Student t over seeds), and, against a reference policy, the paired
  difference with its interval;
* ``reward.png`` (mean reward per step), ``cost.png`` (the env's main cost per step) and
  ``latency_cdf.png`` (empirical CDF of every delivery latency) .
"""

from __future__ import annotations

import csv
import math
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import scipy.stats

from agents.baselines import BASELINES, make_baseline
from twin.envs import make

#: The per-step info key plotted as "cost" per env (lower is better).
COST_KEY = {
    "fabtwin/ControlScheduling-v0": "control/mean_cost",
    "fabtwin/ControlScheduling-v1": "control/mean_cost",
    "fabtwin/Workcell-v0": "rewards/idle",
}


@dataclass
class Episode:
    """One policy on one seed."""

    policy: str
    seed: int
    rows: list[dict[str, float]]
    latencies_ms: list[float]

    @property
    def episode_return(self) -> float:
        """Sum of rewards."""
        return float(sum(r["reward"] for r in self.rows))

    def means(self) -> dict[str, float]:
        """Return, length and the mean of every per-step column."""
        keys = [k for k in self.rows[0] if k not in ("step",)] if self.rows else []
        out = {"return": self.episode_return, "steps": float(len(self.rows))}
        for k in keys:
            out[f"mean_{k}"] = float(np.mean([r[k] for r in self.rows]))
        return out


def _act_fn(policy: str) -> tuple[str, Any]:
    """``(label, act(env, obs))`` for a baseline name or a model path."""
    if policy in BASELINES:
        sched = make_baseline(policy)

        def act_baseline(env: Any, obs: np.ndarray, first: bool) -> np.ndarray:
            if first:
                sched.reset()
            return sched.act(env.unwrapped.scheduler_view())

        return policy, act_baseline
    path = Path(policy)
    if not path.is_file():
        raise ValueError(
            f"policy: {policy!r} is neither a baseline ({', '.join(BASELINES)}) nor a model file"
        )
    from agents.training import load_policy

    model = load_policy(path)

    def act_model(env: Any, obs: np.ndarray, first: bool) -> np.ndarray:
        action, _ = model.predict(obs, deterministic=True)
        return np.asarray(action, dtype=np.float32)

    label = path.parent.name + "/" + path.stem if path.parent.name else path.stem
    return label, act_model


def run_episode(env: Any, label: str, act: Any, seed: int) -> Episode:
    """One episode; per step the reward and every scalar info entry."""
    obs, info = env.reset(seed=seed)
    rows: list[dict[str, float]] = []
    lat: list[float] = []
    first = True
    while True:
        obs, reward, terminated, truncated, info = env.step(act(env, obs, first))
        first = False
        row = {"step": float(len(rows) + 1), "reward": float(reward)}
        row.update({k: float(v) for k, v in info.items() if isinstance(v, int | float)})
        rows.append(row)
        lat.extend(info.get("net/latency_ms", []))
        if terminated or truncated:
            return Episode(label, seed, rows, lat)


def evaluate(
    env_id: str, env_kwargs: dict[str, Any], policies: Sequence[str], seeds: Sequence[int]
) -> list[Episode]:
    """Every policy on every seed (one env, reset in-process between episodes)."""
    env = make(env_id, **env_kwargs)
    out = []
    try:
        for policy in policies:
            label, act = _act_fn(policy)
            for seed in seeds:
                out.append(run_episode(env, label, act, seed))
    finally:
        env.close()
    return out


def mean_ci95(x: Sequence[float]) -> tuple[float, float]:
    """Mean and the half-width of its 95 % confidence interval (Student t; 0 for one value)."""
    a = np.asarray(x, dtype=float)
    if len(a) < 2:
        return float(a.mean()) if len(a) else math.nan, 0.0
    half = scipy.stats.t.ppf(0.975, len(a) - 1) * a.std(ddof=1) / math.sqrt(len(a))
    return float(a.mean()), float(half)


def comparison(episodes: Sequence[Episode], reference: str | None = None) -> list[dict[str, Any]]:
    """Per policy and figure: mean and CI over seeds; paired difference to ``reference``."""
    by_policy: dict[str, list[Episode]] = {}
    for e in episodes:
        by_policy.setdefault(e.policy, []).append(e)
    ref = by_policy.get(reference or "", [])
    ref_by_seed = {e.seed: e.means() for e in ref}
    rows = []
    for policy, eps in by_policy.items():
        figures = eps[0].means().keys()
        for fig in figures:
            values = [e.means()[fig] for e in eps]
            m, h = mean_ci95(values)
            row: dict[str, Any] = {
                "policy": policy,
                "figure": fig,
                "mean": m,
                "ci95": h,
                "n": len(values),
            }
            if ref_by_seed and policy != reference:
                diffs = [
                    e.means()[fig] - ref_by_seed[e.seed][fig] for e in eps if e.seed in ref_by_seed
                ]
                dm, dh = mean_ci95(diffs)
                row["diff_vs_ref"], row["diff_ci95"] = dm, dh
            rows.append(row)
    return rows


def write_outputs(
    episodes: Sequence[Episode], out_dir: Path, env_id: str, reference: str | None = None
) -> list[dict[str, Any]]:
    """Writes the tables and plots (see the module docstring); returns the comparison rows."""
    out_dir.mkdir(parents=True, exist_ok=True)
    keys = sorted({k for e in episodes for r in e.rows for k in r})
    with (out_dir / "steps.csv").open("w", newline="") as fh:
        w = csv.writer(fh)
        w.writerow(["policy", "seed", *keys])
        for e in episodes:
            for r in e.rows:
                w.writerow([e.policy, e.seed, *(r.get(k, "") for k in keys)])
    ep_keys = sorted({k for e in episodes for k in e.means()})
    with (out_dir / "episodes.csv").open("w", newline="") as fh:
        w = csv.writer(fh)
        w.writerow(["policy", "seed", *ep_keys])
        for e in episodes:
            m = e.means()
            w.writerow([e.policy, e.seed, *(m.get(k, "") for k in ep_keys)])
    rows = comparison(episodes, reference)
    cols = ["policy", "figure", "mean", "ci95", "n", "diff_vs_ref", "diff_ci95"]
    with (out_dir / "comparison.csv").open("w", newline="") as fh:
        w = csv.writer(fh)
        w.writerow(cols)
        for r in rows:
            w.writerow([r.get(c, "") for c in cols])
    cost = COST_KEY.get(env_id, "reward")
    shown = {"return", f"mean_{cost}"}
    lines = [
        f"| policy | figure | mean +- 95 % CI | diff vs {reference or '-'} (95 % CI) |",
        "|---|---|---|---|",
    ]
    for r in rows:
        if r["figure"] in shown:
            diff = f"{r['diff_vs_ref']:.4g} +- {r['diff_ci95']:.3g}" if "diff_vs_ref" in r else "-"
            lines.append(
                f"| {r['policy']} | {r['figure']} | {r['mean']:.4g} +- {r['ci95']:.3g} | {diff} |"
            )
    (out_dir / "comparison.md").write_text("\n".join(lines) + "\n")
    _plots(episodes, out_dir, cost)
    return rows


def _plots(episodes: Sequence[Episode], out_dir: Path, cost: str) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    policies = list(dict.fromkeys(e.policy for e in episodes))
    for key, fname, ylabel in (("reward", "reward.png", "reward"), (cost, "cost.png", cost)):
        fig, ax = plt.subplots(figsize=(6, 3.5))
        for p in policies:
            eps = [e for e in episodes if e.policy == p]
            n = max(len(e.rows) for e in eps)
            curve = [np.mean([e.rows[i][key] for e in eps if i < len(e.rows)]) for i in range(n)]
            ax.plot(np.arange(1, n + 1), curve, label=p)
        ax.set_xlabel("step")
        ax.set_ylabel(ylabel)
        if key == cost and cost != "reward":
            ax.set_yscale("log")
        ax.legend(fontsize=7)
        fig.tight_layout()
        fig.savefig(out_dir / fname, dpi=120)
        plt.close(fig)
    fig, ax = plt.subplots(figsize=(6, 3.5))
    for p in policies:
        lat = np.sort(
            np.concatenate([np.asarray(e.latencies_ms) for e in episodes if e.policy == p])
        )
        if len(lat):
            ax.step(lat, np.arange(1, len(lat) + 1) / len(lat), where="post", label=p)
    ax.set_xscale("log")
    ax.set_xlabel("latency (ms)")
    ax.set_ylabel("CDF")
    ax.legend(fontsize=7)
    fig.tight_layout()
    fig.savefig(out_dir / "latency_cdf.png", dpi=120)
    plt.close(fig)

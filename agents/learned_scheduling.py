"""Eisen et al.'s deep-learning variant: a learned scheduler against round robin (issue 8, part 3).

Setting (../shared/published-results.md, section 1, "Deep-learning variant"; arXiv 1906.06225):
20 switched scalar plants (closed-loop gain ~ U(0.8, 0.95), open-loop ~ U(1.01, 1.3), W = 1,
states clipped to [-10, 10]) whose sensors share 5 channels per cycle with tau_max = 0.5 ms and
100-byte updates. Ours runs it on ``fabtwin/ControlScheduling-v1``: each cycle the scheduler
picks 5 of the 20 sensors, which send in one trigger-based UL OFDMA PPDU of ns-3's 802.11ax
(the paper's 5 channels become 5 RUs of one PPDU; ``ControlScheduling-v1`` explains the cycle).

The learned scheduler is PPO with ``agents.device_set_policy.DeviceSetPolicy`` (one scoring
network shared by the devices) trained on the env's reward (:data:`REWARD_WEIGHTS`: the
plants' normalized quadratic cost plus a deadline-miss penalty) rather than the paper's
primal-dual policy gradient on a DNN of (256, 128, 64, 32): the latency constraint the paper's
dual variable enforces holds by construction here (a cycle's PPDU either fits tau_max or its
updates count as lost, and the env penalises that), so we report it as the deadline-miss rate.

Compared on held-out seeds: round robin (the paper's baseline), the learned policy, and the
hand-written greedy ``largest_estimate`` (largest estimated plant cost first), which tells how
much of the learned gain a one-line rule already gets.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from agents.evaluation import Episode, comparison, evaluate
from agents.training import load_train_config, train
from twin.config import ConfigError

ENV_ID = "fabtwin/ControlScheduling-v1"
#: The study's reward: the plants' normalized quadratic cost (ControlScheduling-v1's
#: ``state_cost``; Eisen et al.'s control cost is ``x'Px``), a deadline-miss penalty, and not the
#: log-scaled ``control_cost`` (with it, halving a large state is worth no more than halving a
#: small one, so knowing the states would barely matter).
REWARD_WEIGHTS = {"control_cost": 0.0, "state_cost": -0.1, "deadline_miss": -1.0}
#: The training run's YAML (hyperparameters; the env options come from the study).
TRAIN_CONFIG = Path(__file__).parent / "configs" / "ppo_learned_scheduling.yaml"


@dataclass(frozen=True)
class LearnedSchedulingConfig:
    """One study: the setting, the training budget and the evaluation.

    Attributes:
        n_plants: Switched scalar plants (= sensors), 1..200.
        channels: Sensors served per cycle (RUs of the cycle's PPDU), 1..9.
        tau_max_ms: Latency budget of an update from the sampling instant, in (0, period].
        noise_var: Process-noise variance W, > 0.
        period_s: Sampling period, 0.001..1 s.
        horizon_steps: Cycles per episode (training and evaluation), >= 1.
        train_timesteps: PPO's env steps (both workers together), >= 1; 0 = no training
            (evaluate ``policy``).
        n_envs: Training workers (one ns-3 each), 1..8.
        train_seed: Root seed of the training run.
        eval_seeds: Held-out evaluation seeds (one episode each; at least 2 for a CI).
        baselines: Hand-written schedulers to compare (``agents.baselines``).
        policy: A saved model to evaluate instead of training one ("" = train).
        hyperparameters: ``key=value`` overrides of :data:`TRAIN_CONFIG`.
    """

    n_plants: int = 20
    channels: int = 5
    tau_max_ms: float = 0.5
    noise_var: float = 1.0
    period_s: float = 0.01
    horizon_steps: int = 200
    train_timesteps: int = 8000
    n_envs: int = 2
    train_seed: int = 1
    eval_seeds: list[int] = field(default_factory=lambda: list(range(100001, 100006)))
    baselines: list[str] = field(default_factory=lambda: ["round_robin", "largest_estimate"])
    policy: str = ""
    hyperparameters: list[str] = field(default_factory=list)

    def check(self, path: str) -> None:
        """Raises :class:`ConfigError` naming the field and its allowed range."""
        from agents.baselines import BASELINES

        if not 1 <= self.n_plants <= 200:
            raise ConfigError(f"{path}.n_plants: must be in 1..200 (got {self.n_plants})")
        if not 1 <= self.channels <= min(9, self.n_plants):
            raise ConfigError(
                f"{path}.channels: must be in 1..{min(9, self.n_plants)} (got {self.channels})"
            )
        if not 0 < self.tau_max_ms <= self.period_s * 1e3:
            raise ConfigError(
                f"{path}.tau_max_ms: must be in (0, {self.period_s * 1e3}] (got {self.tau_max_ms})"
            )
        if not self.noise_var > 0:
            raise ConfigError(f"{path}.noise_var: must be > 0 (got {self.noise_var})")
        if not 1e-3 <= self.period_s <= 1.0:
            raise ConfigError(f"{path}.period_s: must be in 0.001..1 s (got {self.period_s})")
        if self.horizon_steps < 1:
            raise ConfigError(f"{path}.horizon_steps: must be >= 1 (got {self.horizon_steps})")
        if self.train_timesteps < 0 or (self.train_timesteps == 0 and not self.policy):
            raise ConfigError(
                f"{path}.train_timesteps: must be >= 1, or 0 with a policy to evaluate "
                f"(got {self.train_timesteps})"
            )
        if not 1 <= self.n_envs <= 8:
            raise ConfigError(f"{path}.n_envs: must be in 1..8 (got {self.n_envs})")
        if len(self.eval_seeds) < 1:
            raise ConfigError(f"{path}.eval_seeds: must list at least 1 seed (got 0)")
        for name in self.baselines:
            if name not in BASELINES:
                raise ConfigError(
                    f"{path}.baselines: {name!r} is not allowed; allowed: {', '.join(BASELINES)}"
                )
        if "round_robin" not in self.baselines:
            raise ConfigError(f"{path}.baselines: must include round_robin (the reference)")
        if self.policy and not Path(self.policy).is_file():
            raise ConfigError(f"{path}.policy: {self.policy!r} is not a file")

    def env_kwargs(self) -> dict[str, Any]:
        """``gymnasium.make`` options of ``ControlScheduling-v1`` for this setting."""
        return {
            "plant": "switched_scalar",
            "n_plants": self.n_plants,
            "max_devices": self.channels,
            "tau_max_s": self.tau_max_ms * 1e-3,
            "noise_var": self.noise_var,
            "period_s": self.period_s,
            "horizon_steps": self.horizon_steps,
            "reward_weights": dict(REWARD_WEIGHTS),
            "bridge": {"timeout_s": 900},
        }


def train_policy(cfg: LearnedSchedulingConfig, run_dir: Path) -> Path:
    """Trains PPO in the study's setting; returns the model to evaluate.

    The best model on the validation seeds (200001..) if an evaluation ran, else the final one.
    """
    overrides = [
        f"env.id={ENV_ID}",
        f"total_timesteps={cfg.train_timesteps}",
        f"n_envs={cfg.n_envs}",
        f"seed={cfg.train_seed}",
        *(
            f"env.kwargs.{k}={v}"
            for k, v in cfg.env_kwargs().items()
            if k not in ("bridge", "reward_weights")
        ),
        *(f"env.kwargs.reward_weights.{k}={v}" for k, v in REWARD_WEIGHTS.items()),
        *cfg.hyperparameters,
    ]
    tcfg, data = load_train_config(TRAIN_CONFIG, overrides)
    final = train(tcfg, data, run_dir)
    best = run_dir / "best_model.zip"
    return best if best.is_file() else final


def evaluate_study(cfg: LearnedSchedulingConfig, policy: Path) -> list[Episode]:
    """Every baseline and the learned policy on the held-out seeds."""
    return evaluate(ENV_ID, cfg.env_kwargs(), [*cfg.baselines, str(policy)], cfg.eval_seeds)


def outcome_rows(episodes: list[Episode]) -> list[dict[str, Any]]:
    """Per policy: the control-cost term, state energy, return, deadline misses, with 95 % CIs.

    Figures (means over the held-out episodes of per-episode means, each with its paired
    difference to round robin, ``<key>_diff`` and ``<key>_diff_ci95``): ``x2`` = mean ``x^2``
    over plants and cycles (the plants' states; the published figure of merit),
    ``state_term`` = the env's ``state_cost`` term (the same normalized by each plant's
    ideal-network cost ``c``: what the agent is trained on), ``cost_term`` = the env's
    ``control_cost`` term (mean of ``log(1 + x^2 / c)``: issue 7's "control cost"), ``return``;
    and ``miss`` = share of selected updates that missed tau_max (late or lost).
    """
    comp = comparison(episodes, reference="round_robin")
    pick = {
        "mean_rewards/control_cost": "cost_term",
        "mean_rewards/state_cost": "state_term",
        "mean_control/mean_lyapunov": "x2",
        "return": "return",
    }
    out: dict[str, dict[str, Any]] = {}
    for r in comp:
        key = pick.get(r["figure"])
        if key is None:
            continue
        row = out.setdefault(r["policy"], {"policy": r["policy"]})
        row[key], row[f"{key}_ci95"] = r["mean"], r["ci95"]
        if "diff_vs_ref" in r:
            row[f"{key}_diff"], row[f"{key}_diff_ci95"] = r["diff_vs_ref"], r["diff_ci95"]
    for policy, row in out.items():
        eps = [e for e in episodes if e.policy == policy]
        sel = sum(r.get("net/selected", 0.0) for e in eps for r in e.rows)
        ok = sum(r.get("net/on_time", 0.0) for e in eps for r in e.rows)
        row["miss"] = (sel - ok) / sel if sel else math.nan
        row["selected_per_cycle"] = sel / max(sum(len(e.rows) for e in eps), 1)
    return list(out.values())


def learned_label(episodes: list[Episode], baselines: list[str]) -> str:
    """The policy label of the learned model among the episodes."""
    labels = [e.policy for e in episodes if e.policy not in baselines]
    if not labels:
        raise ValueError("no learned policy among the episodes")
    return labels[0]


def finding_holds(rows: list[dict[str, Any]], learned: str, max_miss: float = 0.01) -> bool:
    """Whether the published outcome holds: lower plant states than round robin, latency met.

    Lower states: the paired difference of the mean ``x^2`` to round robin is below zero with
    its 95 % CI; latency met: a deadline-miss rate of at most ``max_miss``.
    """
    row = next(r for r in rows if r["policy"] == learned)
    diff, half = row.get("x2_diff", math.nan), row.get("x2_diff_ci95", math.nan)
    return bool(diff + half < 0 and row["miss"] <= max_miss)

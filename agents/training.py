"""RL training on the fabtwin envs with stable-baselines3 (the logic behind ``scripts/train.py``).

A run is described by a YAML file (``agents/configs/*.yaml``) with ``--set key=value`` overrides
(``twin.configio.apply_overrides``), validated here, and saved resolved in the run directory with
the seed and package versions. The run directory holds what ``fabtwin plot training RUN_DIR``
reads: SB3's CSV log ``progress.csv`` and EvalCallback's ``evaluations.npz``; plus TensorBoard
event files (``events.out.tfevents.*``), checkpoints (``checkpoints/``), the best model on the
validation seeds (``best_model.zip``) and the final one (``final_model.zip``).

Workers of the vector env are seeded ``seed + rank`` (each runs its own ns-3); evaluation during
training runs on validation seeds ``eval.seed, eval.seed + 1, ...`` (200001.. in the shipped
configs, apart from the 100001.. that final comparisons use), re-seeded before every evaluation
so every evaluation sees the same episodes.
"""

from __future__ import annotations

import json
import platform
import subprocess
from dataclasses import dataclass, field
from importlib import metadata
from pathlib import Path
from typing import Any

import numpy as np
import yaml

from twin.config import ConfigError
from twin.configio import apply_overrides, build, load_yaml
from twin.envs import ENV_IDS, env_factory

ALGOS = ("ppo", "sac", "td3", "a2c")


@dataclass(frozen=True)
class EnvSection:
    """Which env, with which ``gymnasium.make`` keyword arguments."""

    id: str = "fabtwin/ControlScheduling-v0"
    kwargs: dict[str, Any] = field(default_factory=dict)

    def check(self, path: str) -> None:
        """The id must be a fabtwin env."""
        if self.id not in ENV_IDS:
            raise ConfigError(
                f"{path}.id: {self.id!r} is not allowed; allowed: {', '.join(ENV_IDS)}"
            )


@dataclass(frozen=True)
class EvalSection:
    """Evaluation on held-out seeds during training."""

    freq: int = 2000
    n_episodes: int = 3
    seed: int = 200001

    def check(self, path: str) -> None:
        """Positive counts."""
        if self.freq < 1 or self.n_episodes < 1:
            raise ConfigError(f"{path}: freq and n_episodes must be >= 1")


@dataclass(frozen=True)
class TrainConfig:
    """One training run (see ``agents/configs/ppo.yaml``).

    Attributes:
        env: The env and its options.
        n_envs: Vector-env workers, 1..64.
        vec_env: ``subproc`` (a process, hence an ns-3, per worker) or ``dummy``.
        seed: Root seed; worker i gets ``seed + i``.
        total_timesteps: Env steps to train for (all workers together).
        algo: ``name`` (ppo, sac, td3, a2c), ``policy`` and the algorithm's keyword arguments.
        eval: Held-out evaluation.
        checkpoint_freq: Env steps between checkpoints.
        progress_bar: Show SB3's progress bar.
    """

    env: EnvSection = field(default_factory=EnvSection)
    n_envs: int = 2
    vec_env: str = "subproc"
    seed: int = 1
    total_timesteps: int = 20000
    algo: dict[str, Any] = field(default_factory=lambda: {"name": "ppo", "policy": "MlpPolicy"})
    eval: EvalSection = field(default_factory=EvalSection)
    checkpoint_freq: int = 5000
    progress_bar: bool = True

    def check(self, path: str) -> None:
        """Ranges of every field."""
        self.env.check(f"{path}.env")
        self.eval.check(f"{path}.eval")
        if not 1 <= self.n_envs <= 64:
            raise ConfigError(f"{path}.n_envs: must be in 1..64 (got {self.n_envs})")
        if self.vec_env not in ("subproc", "dummy"):
            raise ConfigError(
                f"{path}.vec_env: {self.vec_env!r} is not allowed; allowed: subproc, dummy"
            )
        if self.total_timesteps < 1:
            raise ConfigError(f"{path}.total_timesteps: must be >= 1 (got {self.total_timesteps})")
        if self.algo.get("name") not in ALGOS:
            raise ConfigError(
                f"{path}.algo.name: {self.algo.get('name')!r} is not allowed; allowed: "
                + ", ".join(ALGOS)
            )
        if self.checkpoint_freq < 1:
            raise ConfigError(f"{path}.checkpoint_freq: must be >= 1 (got {self.checkpoint_freq})")


def _number(value: Any) -> Any:
    """YAML 1.1 reads ``1e-4`` (no dot) as a string; hyperparameters mean the number."""
    if isinstance(value, str):
        try:
            return float(value)
        except ValueError:
            return value
    return value


def load_train_config(
    path: str | Path, overrides: list[str] | None = None
) -> tuple[TrainConfig, dict[str, Any]]:
    """Reads a YAML run description, applies ``key=value`` overrides, validates.

    Returns:
        The config and the merged plain mapping (saved with the run).
    """
    data = apply_overrides(load_yaml(path), overrides or [])
    if isinstance(data.get("algo"), dict):
        data["algo"] = {k: _number(v) for k, v in data["algo"].items()}
    cfg: TrainConfig = build(TrainConfig, data, "train")
    cfg.check("train")
    return cfg, data


def versions() -> dict[str, str | None]:
    """Versions of the packages a result depends on."""
    out: dict[str, str | None] = {"python": platform.python_version()}
    for dist in ("fabtwin", "stable-baselines3", "torch", "gymnasium", "numpy", "ns3"):
        try:
            out[dist] = metadata.version(dist)
        except metadata.PackageNotFoundError:
            out[dist] = None
    try:
        out["git_commit"] = (
            subprocess.run(
                ["git", "rev-parse", "HEAD"],  # noqa: S607 - informational only
                capture_output=True,
                text=True,
                check=False,
                cwd=Path(__file__).parent,
            ).stdout.strip()
            or None
        )
    except OSError:
        out["git_commit"] = None
    return out


def algo_class(name: str) -> Any:
    """The SB3 class of an algorithm name."""
    import stable_baselines3 as sb3

    return {"ppo": sb3.PPO, "sac": sb3.SAC, "td3": sb3.TD3, "a2c": sb3.A2C}[name]


def policy_class(name: str) -> Any:
    """SB3 policy for ``algo.policy``: an SB3 name (``MlpPolicy``) or ``DeviceSetPolicy``."""
    if name == "DeviceSetPolicy":
        from agents.device_set_policy import DeviceSetPolicy

        return DeviceSetPolicy
    return name


def make_vec_env(cfg: TrainConfig, n_envs: int, seed: int, vec_env: str) -> Any:
    """A monitored vector env; worker ``i`` is seeded ``seed + i``."""
    from stable_baselines3.common.env_util import make_vec_env as sb3_make_vec_env
    from stable_baselines3.common.vec_env import DummyVecEnv, SubprocVecEnv

    cls = SubprocVecEnv if vec_env == "subproc" and n_envs > 1 else DummyVecEnv
    return sb3_make_vec_env(
        env_factory(cfg.env.id, **cfg.env.kwargs), n_envs=n_envs, seed=seed, vec_env_cls=cls
    )


def _held_out_eval_callback(cfg: TrainConfig, run_dir: Path, eval_env: Any) -> Any:
    from stable_baselines3.common.callbacks import EvalCallback

    class HeldOutEvalCallback(EvalCallback):
        """EvalCallback that replays the same held-out seeds at every evaluation."""

        def _on_step(self) -> bool:
            if self.eval_freq > 0 and self.n_calls % self.eval_freq == 0:
                self.eval_env.seed(cfg.eval.seed)
            out: bool = super()._on_step()
            return out

    return HeldOutEvalCallback(
        eval_env,
        n_eval_episodes=cfg.eval.n_episodes,
        eval_freq=max(cfg.eval.freq // cfg.n_envs, 1),
        log_path=str(run_dir),
        best_model_save_path=str(run_dir),
        deterministic=True,
        verbose=0,
    )


def train(
    cfg: TrainConfig,
    data: dict[str, Any],
    run_dir: Path,
    resume: Path | None = None,
) -> Path:
    """Trains, evaluating on held-out seeds and checkpointing; returns the final model path.

    Args:
        cfg: The validated run description.
        data: Its plain form (saved as ``config.yaml``).
        run_dir: Output directory (created).
        resume: A checkpoint ``.zip`` to continue from (its replay buffer too, if saved).
    """
    from stable_baselines3.common.callbacks import CallbackList, CheckpointCallback
    from stable_baselines3.common.logger import configure

    run_dir.mkdir(parents=True, exist_ok=True)
    (run_dir / "config.yaml").write_text(yaml.safe_dump(data, sort_keys=False))
    meta = {
        "seed": cfg.seed,
        "algo": cfg.algo["name"],
        "env_id": cfg.env.id,
        "versions": versions(),
    }
    (run_dir / "meta.json").write_text(json.dumps(meta, indent=2) + "\n")
    env = make_vec_env(cfg, cfg.n_envs, cfg.seed, cfg.vec_env)
    eval_env = make_vec_env(cfg, 1, cfg.eval.seed, "dummy")
    cls = algo_class(cfg.algo["name"])
    kwargs = {k: v for k, v in cfg.algo.items() if k not in ("name", "policy")}
    try:
        if resume is not None:
            model = cls.load(str(resume), env=env)
            prefix, n_steps, _ = resume.stem.rsplit("_", 2)  # <prefix>_<n>_steps.zip
            buffer = resume.with_name(f"{prefix}_replay_buffer_{n_steps}_steps.pkl")
            if hasattr(model, "load_replay_buffer") and buffer.is_file():
                model.load_replay_buffer(str(buffer))
        else:
            model = cls(
                policy_class(cfg.algo.get("policy", "MlpPolicy")),
                env,
                seed=cfg.seed,
                verbose=0,
                **kwargs,
            )
        model.set_logger(configure(str(run_dir), ["stdout", "csv", "tensorboard"]))
        callbacks = CallbackList(
            [
                CheckpointCallback(
                    save_freq=max(cfg.checkpoint_freq // cfg.n_envs, 1),
                    save_path=str(run_dir / "checkpoints"),
                    name_prefix=cfg.algo["name"],
                    save_replay_buffer=cfg.algo["name"] in ("sac", "td3"),
                ),
                _held_out_eval_callback(cfg, run_dir, eval_env),
            ]
        )
        remaining = cfg.total_timesteps - (model.num_timesteps if resume is not None else 0)
        model.learn(
            total_timesteps=max(remaining, 0),
            callback=callbacks,
            progress_bar=cfg.progress_bar,
            reset_num_timesteps=resume is None,
        )
        final = run_dir / "final_model.zip"
        model.save(str(final))
    finally:
        env.close()
        eval_env.close()
    return final


def load_policy(path: Path) -> Any:
    """A saved SB3 model; the algorithm comes from the run's ``meta.json`` when present."""
    meta = path.parent / "meta.json"
    names = [json.loads(meta.read_text())["algo"]] if meta.is_file() else list(ALGOS)
    last: Exception | None = None
    for name in names:
        try:
            return algo_class(name).load(str(path), device="cpu")
        except Exception as e:  # noqa: BLE001 - try the next algorithm
            last = e
    raise ValueError(f"policy {path}: not loadable as {', '.join(names)} ({last})")


def as_array(x: Any) -> np.ndarray:
    """Numpy view of an action (SB3 returns arrays already)."""
    return np.asarray(x, dtype=np.float32)

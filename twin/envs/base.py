"""The shape every fabtwin gymnasium env shares (after highway-env's ``AbstractEnv``).

A step is :meth:`CoSimEnv._apply_action` (scores -> devices), :meth:`CoSimEnv._simulate` (the
twin and ns-3 advance together for one decision interval), then :meth:`CoSimEnv._rewards` (named
cost terms), the reward ``sum(weight[name] * term[name])`` with the weights of the config,
:meth:`CoSimEnv._is_terminated` (an event of the task), :meth:`CoSimEnv._is_truncated` (the
horizon) and :meth:`CoSimEnv._info` (stable, JSON-serializable keys).

Configuration is a frozen dataclass per env (units in field names), given as keyword arguments of
``gymnasium.make`` and changeable per episode by ``reset(options={...})`` as long as the spaces
stay the same. ``reset(seed=s)`` seeds the env's generator; every episode then draws one root
seed from it, which seeds the robots side and ns-3's ``RngRun``: the same ``s`` gives the same
rollout, another ``s`` another one.
"""

from __future__ import annotations

import dataclasses
import time
from dataclasses import dataclass
from typing import Any, ClassVar, Generic, TypeVar

import gymnasium as gym
import numpy as np

from twin.config import BridgeConfig, ConfigError
from twin.configio import build
from twin.cosim import CoSimulation
from twin.envs.device_stats import DEVICE_FEATURES, DeviceStats

C = TypeVar("C")

#: Largest root seed drawn per episode (ns-3's RngRun is a 64-bit integer; keep it readable).
MAX_ROOT_SEED = 2**31 - 1


@dataclass(frozen=True)
class SchedulerView:
    """What a hand-written scheduler sees of an env (raw units, one entry per device).

    Attributes:
        names: Device names.
        age: Cycles since the device's last on-time delivery.
        urgency: Expected cost of not serving the device now (env-specific units, >= 0).
        sinr_db: SINR of its last delivery (NaN: none seen).
        success: Rate of on-time deliveries when selected (EWMA).
        latency_s: Latency of its last delivery.
        selected: Selected in the last cycle.
        max_selected: Most devices one action may select (the RU plan's bound).
        latency_budget_s: The deadline the env counts against.
        estimate: The controller's estimated cost of each device's plant now, normalized as
            ``urgency`` (None: the env does not observe plant states; ControlScheduling-v1 does).
    """

    names: tuple[str, ...]
    age: np.ndarray
    urgency: np.ndarray
    sinr_db: np.ndarray
    success: np.ndarray
    latency_s: np.ndarray
    selected: np.ndarray
    max_selected: int
    latency_budget_s: float
    estimate: np.ndarray | None = None


def merged_config(cls: type[C], current: C | None, updates: dict[str, Any], path: str) -> C:
    """``current`` (or the defaults) with ``updates`` applied, validated in one place.

    Nested sections (e.g. ``wifi``) may be given partially as mappings or whole as dataclasses.
    """
    base = dataclasses.asdict(current) if current is not None else {}  # type: ignore[call-overload]
    for key, value in updates.items():
        if dataclasses.is_dataclass(value) and not isinstance(value, type):
            value = dataclasses.asdict(value)
        elif isinstance(value, tuple | list):
            value = [
                dataclasses.asdict(v)
                if dataclasses.is_dataclass(v) and not isinstance(v, type)
                else v
                for v in value
            ]
        if isinstance(value, dict) and isinstance(base.get(key), dict):
            value = {**base[key], **value}
        base[key] = value
    obj: C = build(cls, base, path)
    return obj


def first_root_seed(seed: int) -> int:
    """The root seed of the first episode after ``reset(seed=seed)`` (no ns-3 needed)."""
    rng, _ = gym.utils.seeding.np_random(seed)
    return int(rng.integers(1, MAX_ROOT_SEED))


def check_common(cfg: Any, path: str, reward_terms: tuple[str, ...]) -> None:
    """Checks the sections every env config has: reward weights, radio, channel, bridge."""
    unknown = sorted(set(cfg.reward_weights) - set(reward_terms))
    if unknown:
        raise ConfigError(
            f"{path}.reward_weights.{unknown[0]}: unknown term; terms: " + ", ".join(reward_terms)
        )
    cfg.wifi.check(f"{path}.wifi")
    cfg.channel.check(f"{path}.channel")
    for i, x in enumerate(cfg.interferers):
        x.check(f"{path}.interferers[{i}]")
    cfg.bridge.check(f"{path}.bridge")


class CoSimEnv(gym.Env[np.ndarray, np.ndarray], Generic[C]):
    """Base of the fabtwin envs: one ns-3 process per env, reset in-process between episodes.

    Subclasses set ``config_class``, build their episode in :meth:`_build_episode` and implement
    the highway-env hooks.
    """

    metadata = {"render_modes": ["ansi"], "render_fps": 10}
    config_class: ClassVar[type]
    #: Spaces depend on these config fields; ``reset(options=...)`` may not change them.
    space_fields: ClassVar[tuple[str, ...]] = ()

    def __init__(self, render_mode: str | None = None, **config: Any) -> None:
        if render_mode is not None and render_mode not in self.metadata["render_modes"]:
            raise ValueError(
                f"render_mode: {render_mode!r} is not allowed; allowed: "
                + ", ".join(self.metadata["render_modes"])
            )
        self.render_mode = render_mode
        self.config: C = merged_config(self.config_class, None, config, "env")
        self._sim: CoSimulation | None = None
        self.root_seed = 0
        self.steps = 0
        self.last_terms: dict[str, float] = {}
        self.timing = {"robots_s": 0.0, "bridge_ns3_s": 0.0, "steps": 0}
        self.stats = DeviceStats(1, 1.0)
        self._setup_spaces()

    # ------------------------------------------------------------------ hooks for subclasses
    def _setup_spaces(self) -> None:
        raise NotImplementedError

    def _build_episode(self, rng: np.random.Generator) -> None:
        raise NotImplementedError

    def _apply_action(self, action: np.ndarray) -> None:
        raise NotImplementedError

    def _simulate(self) -> None:
        raise NotImplementedError

    def _observe(self) -> np.ndarray:
        raise NotImplementedError

    def _rewards(self) -> dict[str, float]:
        raise NotImplementedError

    def _is_terminated(self) -> bool:
        raise NotImplementedError

    def _is_truncated(self) -> bool:
        raise NotImplementedError

    def _info(self) -> dict[str, Any]:
        raise NotImplementedError

    def scheduler_view(self) -> SchedulerView:
        """The raw per-device view hand-written schedulers use (see :mod:`agents.baselines`)."""
        raise NotImplementedError

    # ------------------------------------------------------------------ gymnasium API
    @property
    def sim(self) -> CoSimulation:
        """The co-simulation (started by the first reset)."""
        if self._sim is None:
            raise RuntimeError("call reset() first")
        return self._sim

    def ns3_pid(self) -> int | None:
        """Process id of this env's ns-3 (one per env, hence one per vector-env worker)."""
        return self.sim.ns3.pid

    def reset(
        self, *, seed: int | None = None, options: dict[str, Any] | None = None
    ) -> tuple[np.ndarray, dict[str, Any]]:
        """Starts an episode; ``options`` update the config (not the fields spaces depend on)."""
        super().reset(seed=seed)
        if options:
            fixed = sorted(set(options) & set(self.space_fields))
            changed = [k for k in fixed if options[k] != getattr(self.config, k)]
            if changed:
                raise ConfigError(
                    f"options.{changed[0]}: changes the spaces; give it to gymnasium.make instead"
                )
            self.config = merged_config(self.config_class, self.config, options, "options")
        self.root_seed = int(self.np_random.integers(1, MAX_ROOT_SEED))
        self.steps = 0
        self.last_terms = {}
        self.timing = {"robots_s": 0.0, "bridge_ns3_s": 0.0, "steps": 0}
        self._build_episode(np.random.default_rng(self.root_seed))
        return self._observe(), self._info()

    def step(self, action: np.ndarray) -> tuple[np.ndarray, float, bool, bool, dict[str, Any]]:
        """One decision interval: ``(obs, reward, terminated, truncated, info)``."""
        if self._sim is None:
            raise RuntimeError("call reset() before step()")
        self._apply_action(np.asarray(action, dtype=np.float32))
        self._simulate()
        self.steps += 1
        self.timing["steps"] += 1
        self.last_terms = self._rewards()
        weights: dict[str, float] = self.config.reward_weights  # type: ignore[attr-defined]
        reward = float(sum(weights.get(k, 0.0) * v for k, v in self.last_terms.items()))
        return self._observe(), reward, self._is_terminated(), self._is_truncated(), self._info()

    def render(self) -> str | None:
        """``ansi``: one line per device with its features, then the reward terms."""
        if self.render_mode != "ansi":
            return None
        v = self.scheduler_view()
        lines = [f"t={self.sim.now_s:.3f} s step {self.steps}"]
        for i, name in enumerate(v.names):
            lines.append(
                f"{name:<12} age {v.age[i]:>3d} urg {v.urgency[i]:9.3g} sinr {v.sinr_db[i]:6.1f} "
                f"ok {v.success[i]:.2f} {'*' if v.selected[i] else ' '}"
            )
        lines.append(", ".join(f"{k} {x:.4g}" for k, x in self.last_terms.items()))
        return "\n".join(lines)

    def close(self) -> None:
        """Stops ns-3."""
        if self._sim is not None:
            self._sim.close()
            self._sim = None

    # ------------------------------------------------------------------ shared helpers
    def _start_sim(self, cell: Any, bridge: BridgeConfig | None = None) -> CoSimulation:
        """Resets the env's co-simulation to ``cell`` with the episode's root seed."""
        if self._sim is None:
            self._sim = CoSimulation(cell, seed=self.root_seed, bridge=bridge)
        self._sim.reset(seed=self.root_seed, cell=cell)
        return self._sim

    def _timed(self, key: str, t0: float) -> float:
        now = time.perf_counter()
        self.timing[key] += now - t0
        return now

    def _view(
        self, names: tuple[str, ...], urgency: np.ndarray, k: int, budget_s: float
    ) -> SchedulerView:
        s = self.stats
        return SchedulerView(
            names=names,
            age=s.age.copy(),
            urgency=urgency,
            sinr_db=s.sinr_db.copy(),
            success=s.success.copy(),
            latency_s=s.latency_s.copy(),
            selected=s.selected.copy(),
            max_selected=k,
            latency_budget_s=budget_s,
        )


__all__ = ["DEVICE_FEATURES", "CoSimEnv", "SchedulerView", "merged_config"]

"""Both envs over the real co-simulation: checkers, determinism, options, vector envs."""

from __future__ import annotations

import json
from typing import Any

import gymnasium as gym
import numpy as np
import pytest
from gymnasium.utils.env_checker import check_env as gym_check_env

import twin.envs  # noqa: F401 - registers the envs
from twin.config import ConfigError
from twin.envs.base import first_root_seed

pytestmark = pytest.mark.ns3

#: Small, fast settings per env (the defaults are already small; these are smaller still).
FAST: dict[str, dict[str, Any]] = {
    "fabtwin/ControlScheduling-v0": {"n_plants": 3, "horizon_steps": 8},
    "fabtwin/ControlScheduling-v1": {"n_plants": 3, "horizon_steps": 8},
    "fabtwin/Workcell-v0": {"n_best_effort": 1, "horizon_s": 0.1, "decision_interval_s": 0.05},
}


def _rollout(env: gym.Env, seed: int, steps: int) -> tuple[list[np.ndarray], list[float], list]:
    obs, info = env.reset(seed=seed)
    rng = np.random.default_rng(0)
    observations, rewards, latencies = [obs], [], [info]
    for _ in range(steps):
        obs, reward, terminated, truncated, info = env.step(
            rng.uniform(-1, 1, env.action_space.shape).astype(np.float32)
        )
        observations.append(obs)
        rewards.append(reward)
        latencies.append(info["net/latency_ms"])
        if terminated or truncated:
            break
    return observations, rewards, latencies


@pytest.mark.parametrize("env_id", sorted(FAST))
def test_env_passes_the_gymnasium_and_sb3_checkers(env_id: str) -> None:
    from stable_baselines3.common.env_checker import check_env as sb3_check_env

    env = gym.make(env_id, **FAST[env_id])
    try:
        gym_check_env(env.unwrapped, skip_render_check=True)
        sb3_check_env(env.unwrapped, warn=True)
    finally:
        env.close()


@pytest.mark.parametrize("env_id", sorted(FAST))
def test_same_seed_same_rollout_other_seed_another(env_id: str) -> None:
    env = gym.make(env_id, **FAST[env_id])
    try:
        obs_a, rew_a, lat_a = _rollout(env, 11, 4)
        seed_a = env.unwrapped.sim.seed
        assert seed_a == first_root_seed(11)  # what ns-3 was started with
        obs_b, rew_b, lat_b = _rollout(env, 11, 4)
        obs_c, rew_c, lat_c = _rollout(env, 12, 4)
        seed_c = env.unwrapped.sim.seed
    finally:
        env.close()
    assert all(np.array_equal(a, b) for a, b in zip(obs_a, obs_b, strict=True))
    assert rew_a == rew_b and lat_a == lat_b
    # The seed reaches ns-3 (its RngRun) and the twin: the rollout changes.
    assert seed_a != seed_c
    assert rew_a != rew_c or lat_a != lat_c


@pytest.mark.parametrize("env_id", sorted(FAST))
def test_spaces_dtypes_and_info_keys_are_stable_and_json(env_id: str) -> None:
    env = gym.make(env_id, **FAST[env_id])
    try:
        obs, info0 = env.reset(seed=1)
        assert obs.dtype == np.float32 and env.observation_space.contains(obs)
        _, _, _, _, info1 = env.step(np.ones(env.action_space.shape, np.float32))
        assert sorted(info0) == sorted(info1)
        json.dumps(info1)
        assert any(k.startswith("rewards/") for k in info1)
    finally:
        env.close()


def test_options_change_the_episode_but_not_the_spaces() -> None:
    env = gym.make("fabtwin/ControlScheduling-v0", **FAST["fabtwin/ControlScheduling-v0"])
    try:
        env.reset(seed=1, options={"tau_max_s": 0.0005, "wifi": {"mcs": 3}})
        assert env.unwrapped.config.tau_max_s == 0.0005
        assert env.unwrapped.sim.cell.wifi.mcs == 3
        with pytest.raises(ConfigError, match="options.n_plants: changes the spaces"):
            env.reset(options={"n_plants": 5})
        with pytest.raises(ConfigError, match="tau_max_s: must be in"):
            env.reset(options={"tau_max_s": 0.5})
    finally:
        env.close()
    with pytest.raises(ConfigError, match="env.plant: 'robot' is not allowed"):
        gym.make("fabtwin/ControlScheduling-v0", plant="robot")


def test_registration_is_idempotent() -> None:
    before = gym.registry["fabtwin/Workcell-v0"]
    twin.envs.register_envs()
    assert gym.registry["fabtwin/Workcell-v0"] is before


def _make(env_id: str, **kw: Any) -> Any:
    return twin.envs.env_factory(env_id, **kw)


@pytest.mark.parametrize("env_id", ["fabtwin/ControlScheduling-v0", "fabtwin/ControlScheduling-v1"])
def test_async_vector_env_two_workers_seed_plus_rank(env_id: str) -> None:
    vec = gym.vector.AsyncVectorEnv([_make(env_id, **FAST[env_id]) for _ in range(2)])
    try:
        obs, info = vec.reset(seed=5)
        assert obs.shape == (2, *gym.make(env_id, **FAST[env_id]).observation_space.shape)
        pids = vec.call("ns3_pid")
        assert len(set(pids)) == 2  # one ns-3 process per worker
        for _ in range(3):
            obs, rew, term, trunc, info = vec.step(vec.action_space.sample())
        seeds = list(info["root_seed"])
    finally:
        vec.close()
    # Worker i was reset with seed 5 + i.
    assert seeds == [first_root_seed(5), first_root_seed(6)] and seeds[0] != seeds[1]


def test_sb3_subproc_vec_env_two_workers_seed_plus_rank() -> None:
    from stable_baselines3.common.vec_env import SubprocVecEnv

    env_id = "fabtwin/Workcell-v0"
    vec = SubprocVecEnv([_make(env_id, **FAST[env_id]) for _ in range(2)])
    try:
        vec.seed(9)
        vec.reset()
        pids = vec.env_method("ns3_pid")
        assert len(set(pids)) == 2
        seeds = vec.get_attr("root_seed")
        obs, rew, done, infos = vec.step(np.stack([vec.action_space.sample()] * 2))
        assert obs.shape[0] == 2 and np.isfinite(rew).all()
    finally:
        vec.close()
    assert seeds == [first_root_seed(9), first_root_seed(10)]

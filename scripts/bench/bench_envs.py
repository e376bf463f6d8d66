"""Env benchmark: steps per second with 1 env and with 2 workers, and where a step's time goes.

Cases: ``fabtwin/ControlScheduling-v0`` (20 inverted pendulums, tau_max 1 ms, 10 ms per step) over
single-user EDCA (``control_20pend``) and, without ``--quick``, over the env's default UL OFDMA
(``control_20pend_ofdma``: 3-4x the ns-3 CPU, docs/envs.md "Speed"), and
``fabtwin/Workcell-v0`` (the fast workcell, 2 best-effort stations, 50 ms per step), random
actions. For each: (a) one env stepped in this process; (b) gymnasium's AsyncVectorEnv with two
workers (a process and an ns-3 each); ratio = (b) / (a) env steps per second (2 would be
perfect scaling; the machine has 2 cores that also run ns-3). Repetitions alternate (a) and (b).

The split of one step (single env): robots = the models' ``step`` (plants or workcell), ns-3 =
CPU time of the ns-3 process, bridge = the lockstep round trip (``CoSimulation.step_ns`` wall
time) minus ns-3's CPU time (messages, ZeroMQ, waiting), env = everything else (action decoding,
observations, rewards, info).

Run: ``.venv/bin/python scripts/bench/bench_envs.py [--quick]``
"""

from __future__ import annotations

import argparse
import sys
import time
from typing import Any

import gymnasium as gym
import numpy as np
from _common import (
    BenchResult,
    Ratio,
    alternate,
    finish,
    make_parser,
    median,
    paired_ratios,
    print_table,
    process_cpu_s,
)

from twin.envs import env_factory, make

NAME = "bench_envs"
#: Cases left out of ``--quick`` (the smoke test's budget).
FULL_ONLY = ("control_20pend_ofdma", "control_20scalar_v1")
CASES: dict[str, tuple[str, dict[str, Any]]] = {
    "control_20pend": (
        "fabtwin/ControlScheduling-v0",
        {"n_plants": 20, "tau_max_s": 0.001, "horizon_steps": 10_000, "mu_schedule": False},
    ),
    "control_20pend_ofdma": (
        "fabtwin/ControlScheduling-v0",
        {"n_plants": 20, "tau_max_s": 0.001, "horizon_steps": 10_000},
    ),
    "control_20scalar_v1": (
        "fabtwin/ControlScheduling-v1",
        {
            "plant": "switched_scalar",
            "n_plants": 20,
            "max_devices": 5,
            "tau_max_s": 0.0005,
            "noise_var": 1.0,
            "horizon_steps": 10_000,
        },
    ),
    "workcell": ("fabtwin/Workcell-v0", {"horizon_s": 1000.0}),
}


def single_rate(env_id: str, kwargs: dict[str, Any], steps: int) -> float:
    """Env steps per second of one env (after its reset)."""
    env = make(env_id, **kwargs)
    try:
        env.reset(seed=1)
        rng = np.random.default_rng(0)
        t0 = time.perf_counter()
        for _ in range(steps):
            env.step(rng.uniform(-1, 1, env.action_space.shape).astype(np.float32))
        return steps / (time.perf_counter() - t0)
    finally:
        env.close()


def vector_rate(env_id: str, kwargs: dict[str, Any], steps: int) -> float:
    """Env steps per second (both workers together) of a 2-worker AsyncVectorEnv."""
    vec = gym.vector.AsyncVectorEnv([env_factory(env_id, **kwargs) for _ in range(2)])
    try:
        vec.reset(seed=1)
        vec.action_space.seed(0)
        t0 = time.perf_counter()
        for _ in range(steps):
            vec.step(vec.action_space.sample())
        return 2 * steps / (time.perf_counter() - t0)
    finally:
        vec.close()


def split(env_id: str, kwargs: dict[str, Any], steps: int) -> dict[str, float]:
    """Seconds per step in robots, bridge, ns-3 and env logic (single env)."""
    env = make(env_id, **kwargs)
    spent = {"robots": 0.0, "lockstep": 0.0}
    try:
        env.reset(seed=1)
        u = env.unwrapped
        if not hasattr(u, "link"):  # ControlScheduling-v1 times its own parts
            return _split_from_env_timing(env, steps)
        model, sim = u.link.model, u.sim
        model_step, sim_step = model.step, sim.step_ns

        def timed_model_step(*a: Any) -> Any:
            t = time.perf_counter()
            out = model_step(*a)
            spent["robots"] += time.perf_counter() - t
            return out

        def timed_sim_step(*a: Any) -> Any:
            t = time.perf_counter()
            out = sim_step(*a)
            spent["lockstep"] += time.perf_counter() - t
            return out

        model.step, sim.step_ns = timed_model_step, timed_sim_step
        rng = np.random.default_rng(0)
        pid = sim.ns3.pid
        assert pid is not None  # noqa: S101
        cpu0 = process_cpu_s(pid)
        t0 = time.perf_counter()
        for _ in range(steps):
            env.step(rng.uniform(-1, 1, env.action_space.shape).astype(np.float32))
        total = time.perf_counter() - t0
        ns3 = min(process_cpu_s(pid) - cpu0, spent["lockstep"])
    finally:
        env.close()
    return {
        "total_s": total / steps,
        "robots_s": spent["robots"] / steps,
        "ns3_s": ns3 / steps,
        "bridge_s": (spent["lockstep"] - ns3) / steps,
        "env_s": (total - spent["robots"] - spent["lockstep"]) / steps,
    }


def _split_from_env_timing(env: Any, steps: int) -> dict[str, float]:
    """:func:`split` for an env that times its parts itself (``timing``: robots, bridge+ns-3)."""
    u = env.unwrapped
    pid = u.sim.ns3.pid
    assert pid is not None  # noqa: S101
    rng = np.random.default_rng(0)
    before = dict(u.timing)
    cpu0 = process_cpu_s(pid)
    t0 = time.perf_counter()
    for _ in range(steps):
        env.step(rng.uniform(-1, 1, env.action_space.shape).astype(np.float32))
    total = time.perf_counter() - t0
    lockstep = u.timing["bridge_ns3_s"] - before["bridge_ns3_s"]
    robots = u.timing["robots_s"] - before["robots_s"]
    ns3 = min(process_cpu_s(pid) - cpu0, lockstep)
    return {
        "total_s": total / steps,
        "robots_s": robots / steps,
        "ns3_s": ns3 / steps,
        "bridge_s": (lockstep - ns3) / steps,
        "env_s": (total - robots - lockstep) / steps,
    }


def main(argv: list[str] | None = None) -> int:
    parser: argparse.ArgumentParser = make_parser(NAME, __doc__ or "")
    args = parser.parse_args(argv)
    reps = 1 if args.quick else 3
    steps = {
        "control_20pend": 20 if args.quick else 300,
        "control_20pend_ofdma": 100,
        "control_20scalar_v1": 300,
        "workcell": 4 if args.quick else 40,
    }
    result = BenchResult(NAME, {"quick": args.quick, "steps": steps, "reps": reps})
    rows = []
    for case, (env_id, kwargs) in CASES.items():
        if args.quick and case in FULL_ONLY:
            continue
        n = steps[case]
        figs = alternate(
            reps,
            {
                "one": lambda env_id=env_id, kwargs=kwargs, n=n: single_rate(env_id, kwargs, n),
                "two": lambda env_id=env_id, kwargs=kwargs, n=n: vector_rate(env_id, kwargs, n),
            },
        )
        ratio = median(paired_ratios(figs["two"], figs["one"]))
        result.ratios.append(
            Ratio(
                f"two_workers_over_one_{case}",
                ratio,
                None,
                True,
                f"{env_id}: env steps/s of a 2-worker AsyncVectorEnv over one env",
            )
        )
        sp = split(env_id, kwargs, n)
        result.results[case] = {
            "env_id": env_id,
            "kwargs": kwargs,
            "steps_per_s_one": median(figs["one"]),
            "steps_per_s_two_workers": median(figs["two"]),
            "step_split_s": sp,
            "step_split_share": {k: v / sp["total_s"] for k, v in sp.items() if k != "total_s"},
        }
        result.repetitions[case] = figs
        share = result.results[case]["step_split_share"]
        rows.append(
            (
                case,
                median(figs["one"]),
                median(figs["two"]),
                ratio,
                1e3 * sp["total_s"],
                share["robots_s"],
                share["bridge_s"],
                share["ns3_s"],
                share["env_s"],
            )
        )
    print_table(
        ["case", "steps/s 1", "steps/s 2w", "ratio", "ms/step", "robots", "bridge", "ns-3", "env"],
        rows,
    )
    result.notes.append(
        "ns-3 share is its process CPU time (10 ms resolution); bridge = lockstep wall - ns-3 CPU"
    )
    finish(result, args.out)
    return 0


if __name__ == "__main__":
    sys.exit(main())

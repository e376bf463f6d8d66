"""gymnasium environments over the co-simulation (``import twin.envs`` registers them).

* ``fabtwin/ControlScheduling-v0`` (:mod:`twin.envs.control_scheduling`): which control loops'
  sensors transmit each sampling period.
* ``fabtwin/ControlScheduling-v1`` (:mod:`twin.envs.control_scheduling_v1`): the same with the
  controller's state estimate observed and one trigger-based PPDU per cycle.
* ``fabtwin/Workcell-v0`` (:mod:`twin.envs.workcell_env`): which stations of the machine-tending
  workcell's BSS get the air each decision interval.

Example:
    >>> import gymnasium as gym, twin.envs                       # doctest: +SKIP
    >>> env = gym.make("fabtwin/ControlScheduling-v0", n_plants=20, tau_max_s=0.001)
"""

from __future__ import annotations

from functools import partial
from typing import Any

import gymnasium as gym

ENV_IDS = {
    "fabtwin/ControlScheduling-v0": "twin.envs.control_scheduling:ControlSchedulingEnv",
    "fabtwin/ControlScheduling-v1": "twin.envs.control_scheduling_v1:ControlSchedulingV1Env",
    "fabtwin/Workcell-v0": "twin.envs.workcell_env:WorkcellEnv",
}


def register_envs() -> None:
    """Registers every fabtwin env with gymnasium; calling it again changes nothing."""
    for env_id, entry_point in ENV_IDS.items():
        if env_id not in gym.registry:
            gym.register(id=env_id, entry_point=entry_point, disable_env_checker=True)


def make(env_id: str, **kwargs: Any) -> gym.Env:
    """``gymnasium.make`` after registering: safe in fresh worker processes."""
    register_envs()
    return gym.make(env_id, **kwargs)


def env_factory(env_id: str, **kwargs: Any) -> Any:
    """A picklable zero-argument constructor for vector-env workers."""
    return partial(make, env_id, **kwargs)


register_envs()

"""DeviceSetPolicy: one shared scoring network, equivariant to relabelling the devices."""

from __future__ import annotations

from typing import Any

import numpy as np
import pytest
import torch
from gymnasium import spaces

from agents.device_set_policy import DeviceSetPolicy


def _policy(m: int, n_globals: int = 0) -> DeviceSetPolicy:
    obs = spaces.Box(-1.0, 1.0, (6 * m + n_globals,), np.float32)
    act = spaces.Box(-1.0, 1.0, (m,), np.float32)
    return DeviceSetPolicy(obs, act, lambda _: 3e-4, hidden=16)


@pytest.mark.parametrize("n_globals", [0, 3])
def test_permuting_devices_permutes_the_scores_and_keeps_the_value(n_globals: int) -> None:
    torch.manual_seed(0)
    m = 5
    pol = _policy(m, n_globals)
    rng = np.random.default_rng(1)
    obs = rng.uniform(-1, 1, (1, 6 * m + n_globals)).astype(np.float32)
    perm = np.array([3, 0, 4, 1, 2])
    dev = obs[:, : 6 * m].reshape(1, m, 6)[:, perm].reshape(1, 6 * m)
    obs_p = np.concatenate([dev, obs[:, 6 * m :]], axis=1)

    def mean_and_value(x: np.ndarray) -> tuple[torch.Tensor, torch.Tensor]:
        t = torch.as_tensor(x)
        with torch.no_grad():
            dist: Any = pol.get_distribution(t).distribution
            return dist.mean, pol.predict_values(t)

    mean, value = mean_and_value(obs)
    mean_p, value_p = mean_and_value(obs_p)
    assert torch.allclose(mean_p[0], mean[0, perm], atol=1e-6)
    assert torch.allclose(value_p, value, atol=1e-6)


def test_parameters_do_not_grow_with_the_device_count_and_the_optimizer_has_them_all() -> None:
    small, large = _policy(4), _policy(40)

    def count(p: DeviceSetPolicy) -> int:
        # log_std has one entry per action dimension (SB3's diagonal Gaussian)
        return sum(t.numel() for name, t in p.named_parameters() if name != "log_std")

    assert count(small) == count(large)
    in_optimizer = {id(t) for g in large.optimizer.param_groups for t in g["params"]}
    assert {id(t) for t in large.parameters()} == in_optimizer


def test_bad_spaces_are_refused_by_name() -> None:
    obs = spaces.Box(-1.0, 1.0, (10,), np.float32)
    with pytest.raises(ValueError, match="n_device_features"):
        DeviceSetPolicy(obs, spaces.Box(-1.0, 1.0, (4,), np.float32), lambda _: 3e-4)

"""A permutation-equivariant actor-critic policy for the per-device score actions of fabtwin.

The fabtwin scheduling envs observe ``F`` features per device, device after device, then ``G``
global features, and act with one score per device (docs/envs.md). A plain MLP over the
flattened observation has to learn the same scoring rule once per device position; this policy
scores every device with one shared network instead (a Deep Sets layer, Zaheer et al., NeurIPS
2017): each device's features (with the globals) are embedded by a shared MLP ``phi``, the mean
embedding over devices is appended as context, and a shared MLP ``rho`` and a shared linear head
turn that into the device's mean score. Relabelling the devices permutes the scores the same way,
and the parameter count does not grow with the number of devices. The critic pools the embedding
of a separate ``phi`` (mean and max over devices) into the value.

Use it with SB3's PPO or A2C (``algo.policy: DeviceSetPolicy`` in ``agents/configs/*.yaml``);
``policy_kwargs``: ``n_device_features`` (default 6, ``DEVICE_FEATURES``), ``hidden`` (64).
"""

from __future__ import annotations

from typing import Any

import numpy as np
import torch
from gymnasium import spaces
from stable_baselines3.common.policies import ActorCriticPolicy
from torch import nn

from twin.envs.device_stats import DEVICE_FEATURES


def _mlp(n_in: int, hidden: int) -> nn.Sequential:
    return nn.Sequential(nn.Linear(n_in, hidden), nn.Tanh(), nn.Linear(hidden, hidden), nn.Tanh())


class DeviceSetExtractor(nn.Module):
    """Actor latent ``(batch, m * hidden)`` (one embedding per device) and critic latent.

    Args:
        n_devices: Devices m (= the action's length).
        n_features: Features per device F.
        n_globals: Global features G after the device features.
        hidden: Width of the shared networks.
    """

    def __init__(self, n_devices: int, n_features: int, n_globals: int, hidden: int) -> None:
        super().__init__()
        self.m, self.f, self.g, self.hidden = n_devices, n_features, n_globals, hidden
        self.phi_pi = _mlp(n_features + n_globals, hidden)
        self.rho_pi = _mlp(2 * hidden, hidden)
        self.phi_vf = _mlp(n_features + n_globals, hidden)
        self.latent_dim_pi = n_devices * hidden
        self.latent_dim_vf = 2 * hidden

    def _per_device(self, obs: torch.Tensor) -> torch.Tensor:
        dev = obs[:, : self.m * self.f].reshape(-1, self.m, self.f)
        if self.g:
            glob = obs[:, self.m * self.f :].unsqueeze(1).expand(-1, self.m, self.g)
            dev = torch.cat([dev, glob], dim=-1)
        return dev

    def forward_actor(self, obs: torch.Tensor) -> torch.Tensor:
        """Per-device embeddings with the set's mean as context, flattened."""
        e = self.phi_pi(self._per_device(obs))
        ctx = e.mean(dim=1, keepdim=True).expand(-1, self.m, -1)
        return self.rho_pi(torch.cat([e, ctx], dim=-1)).reshape(-1, self.m * self.hidden)

    def forward_critic(self, obs: torch.Tensor) -> torch.Tensor:
        """Mean and max over devices of the critic's embeddings."""
        e = self.phi_vf(self._per_device(obs))
        return torch.cat([e.mean(dim=1), e.amax(dim=1)], dim=-1)

    def forward(self, obs: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
        """Both latents."""
        return self.forward_actor(obs), self.forward_critic(obs)


class DeviceScoreHead(nn.Module):
    """One shared linear map from each device's embedding to its mean score."""

    def __init__(self, n_devices: int, hidden: int) -> None:
        super().__init__()
        self.m, self.hidden = n_devices, hidden
        self.linear = nn.Linear(hidden, 1)

    def forward(self, latent: torch.Tensor) -> torch.Tensor:
        """``(batch, m * hidden)`` -> ``(batch, m)``."""
        out: torch.Tensor = self.linear(latent.reshape(-1, self.m, self.hidden)).squeeze(-1)
        return out


class DeviceSetPolicy(ActorCriticPolicy):
    """SB3 actor-critic whose actor scores devices with shared weights (module docstring)."""

    def __init__(
        self,
        observation_space: spaces.Space[Any],
        action_space: spaces.Space[Any],
        lr_schedule: Any,
        *args: Any,
        n_device_features: int = len(DEVICE_FEATURES),
        hidden: int = 64,
        **kwargs: Any,
    ) -> None:
        if not isinstance(action_space, spaces.Box) or len(action_space.shape) != 1:
            raise ValueError("DeviceSetPolicy: the action must be a Box of one score per device")
        m = int(action_space.shape[0])
        n_obs = int(np.prod(observation_space.shape or (0,)))
        if n_obs < m * n_device_features:
            raise ValueError(
                f"n_device_features: {n_device_features} per device needs >= "
                f"{m * n_device_features} observations (got {n_obs})"
            )
        self.n_devices, self.n_device_features, self.hidden = m, n_device_features, hidden
        self.n_globals = n_obs - m * n_device_features
        super().__init__(observation_space, action_space, lr_schedule, *args, **kwargs)

    def _build_mlp_extractor(self) -> None:
        self.mlp_extractor = DeviceSetExtractor(  # type: ignore[assignment]
            self.n_devices, self.n_device_features, self.n_globals, self.hidden
        )

    def _build(self, lr_schedule: Any) -> None:
        super()._build(lr_schedule)
        # Replace the per-position linear action net by the shared head (small initial scores,
        # as SB3 initializes its action net), then rebuild the optimizer over the new parameters.
        self.action_net = DeviceScoreHead(self.n_devices, self.hidden)
        if self.ortho_init:
            self.action_net.apply(lambda mod: self.init_weights(mod, gain=0.01))
        self.optimizer = self.optimizer_class(  # type: ignore[call-arg]
            self.parameters(), lr=lr_schedule(1), **self.optimizer_kwargs
        )

    def _get_constructor_parameters(self) -> dict[str, Any]:
        data = super()._get_constructor_parameters()
        data.update(n_device_features=self.n_device_features, hidden=self.hidden)
        return data

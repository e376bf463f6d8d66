"""Hand-written schedulers for every fabtwin scheduling env.

Each scheduler maps the env's :class:`twin.envs.base.SchedulerView` (raw per-device ages, urgency,
SINR, on-time rate, latency) to the env's action (scores per device; ``twin.envs.selection``), so
every baseline runs on every env. Up to ``view.max_selected`` devices are chosen per cycle.

* ``round_robin``: devices in cyclic order, ``k`` per cycle, regardless of what happened.
* ``largest_age``: largest age of information first (with one deadline per cycle this is also
  earliest deadline first); ties to the lower index.
* ``channel_aware``: best SINR of the last delivery first (devices never heard from count as
  the worst); ties by age. It starves far devices by design.
* ``fixed_target``: the control-agnostic baseline of Eisen et al.: every device gets the same
  delivery target (0.99). Devices go in round-robin order and the number served per cycle is
  the largest whose observed on-time rate meets the target (additive increase after a streak
  of cycles meeting it, decrease by one when a cycle misses it).
* ``control_aware``: largest expected cost increase first: ``success * urgency`` (the env's
  urgency is the expected increase of the normalized Lyapunov cost if the device is not served,
  weighted by the chance that serving it works).
* ``largest_estimate``: largest estimated plant cost first (the controller's ``x_hat' P x_hat``,
  ``SchedulerView.estimate``, observed by ControlScheduling-v1); a greedy state-aware rule, the
  hand-written counterpart of a learned scheduler. Where the env has no estimate it ranks by
  ``urgency``.
"""

from __future__ import annotations

from typing import Protocol

import numpy as np

from twin.envs.base import SchedulerView
from twin.envs.selection import scores_for


class Scheduler(Protocol):
    """A policy over scheduler views."""

    name: str

    def reset(self) -> None:
        """Forgets any state (new episode)."""
        ...

    def act(self, view: SchedulerView) -> np.ndarray:
        """Scores per device for this cycle."""
        ...


def _rank(primary: np.ndarray, secondary: np.ndarray) -> np.ndarray:
    """Indices by ``primary`` descending, then ``secondary`` descending, then index."""
    return np.lexsort((np.arange(len(primary)), -secondary, -primary))


class RoundRobin:
    """``k`` devices per cycle in cyclic order."""

    name = "round_robin"

    def __init__(self) -> None:
        self.next = 0

    def reset(self) -> None:
        """Starts at device 0."""
        self.next = 0

    def act(self, view: SchedulerView) -> np.ndarray:
        """The next ``k`` devices in cyclic order."""
        n, k = len(view.names), min(view.max_selected, len(view.names))
        ranking = (self.next + np.arange(n)) % n
        self.next = (self.next + k) % n
        return scores_for(ranking, k, n)


class LargestAge:
    """Largest age of information (earliest deadline) first."""

    name = "largest_age"

    def reset(self) -> None:
        """Stateless."""

    def act(self, view: SchedulerView) -> np.ndarray:
        """Oldest first."""
        n = len(view.names)
        return scores_for(_rank(view.age.astype(float), np.zeros(n)), view.max_selected, n)


class ChannelAware:
    """Best SINR of the last delivery first."""

    name = "channel_aware"

    def reset(self) -> None:
        """Stateless."""

    def act(self, view: SchedulerView) -> np.ndarray:
        """Best channel first, then oldest."""
        n = len(view.names)
        sinr = np.nan_to_num(view.sinr_db, nan=-np.inf)
        return scores_for(_rank(sinr, view.age.astype(float)), view.max_selected, n)


class FixedTarget:
    """Control-agnostic fixed delivery target (Eisen et al.'s baseline, target 0.99).

    Args:
        target: Delivery target per device.
        streak: Cycles meeting the target before one more device is served.
    """

    name = "fixed_target"

    def __init__(self, target: float = 0.99, streak: int = 10) -> None:
        if not 0 < target < 1:
            raise ValueError(f"target: must be in (0, 1) (got {target})")
        self.target = target
        self.streak = streak
        self.k: int | None = None
        self.good = 0
        self.next = 0
        self.pending: np.ndarray | None = None

    def reset(self) -> None:
        """Starts optimistic: the full RU plan."""
        self.k = None
        self.good = 0
        self.next = 0
        self.pending = None

    def act(self, view: SchedulerView) -> np.ndarray:
        """Round-robin order, as many devices as met the target."""
        n = len(view.names)
        if self.k is None:
            self.k = min(view.max_selected, n)
        if self.pending is not None and self.pending.any():
            # The env's age is 1 right after an on-time delivery.
            rate = float(np.mean(view.age[self.pending] == 1))
            if rate < self.target:
                self.k = max(1, self.k - 1)
                self.good = 0
            else:
                self.good += 1
                if self.good >= self.streak:
                    self.k = min(self.k + 1, view.max_selected, n)
                    self.good = 0
        ranking = (self.next + np.arange(n)) % n
        self.next = (self.next + self.k) % n
        self.pending = np.zeros(n, dtype=bool)
        self.pending[ranking[: self.k]] = True
        return scores_for(ranking, self.k, n)


class ControlAware:
    """Largest expected cost increase first: ``success * urgency``, ties by age."""

    name = "control_aware"

    def reset(self) -> None:
        """Stateless."""

    def act(self, view: SchedulerView) -> np.ndarray:
        """Most valuable update first."""
        n = len(view.names)
        value = np.clip(view.success, 0.05, 1.0) * view.urgency
        return scores_for(_rank(value, view.age.astype(float)), view.max_selected, n)


class LargestEstimate:
    """Largest estimated plant cost first (``urgency`` without an estimate), ties by age."""

    name = "largest_estimate"

    def reset(self) -> None:
        """Stateless."""

    def act(self, view: SchedulerView) -> np.ndarray:
        """Worst-looking plant first."""
        value = view.urgency if view.estimate is None else view.estimate
        return scores_for(_rank(value, view.age.astype(float)), view.max_selected, len(view.names))


BASELINES: dict[str, type] = {
    cls.name: cls
    for cls in (RoundRobin, LargestAge, ChannelAware, FixedTarget, ControlAware, LargestEstimate)
}


def make_baseline(name: str) -> Scheduler:
    """A fresh scheduler by name (one of :data:`BASELINES`)."""
    if name not in BASELINES:
        raise ValueError(f"baseline: {name!r} is not known; known: {', '.join(BASELINES)}")
    out: Scheduler = BASELINES[name]()
    return out

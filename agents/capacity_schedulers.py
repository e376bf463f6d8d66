"""Who sends in a control cycle's OFDMA slots: Eisen et al.'s fixed-PDR baseline and control-aware.

Eisen, Rashid, Gatsis, Cavalcanti, Himayat, Ribeiro, "Control Aware Radio Resource Allocation in
Low Latency Wireless Control Systems" (IEEE IoT-J 2019, arXiv 1811.00409) compare, on one 802.11ax
uplink, a control-agnostic scheduler that gives every sensor the same delivery target (0.99) every
cycle with one that sets each sensor's target from its plant's state. Their RU/MCS heuristic is
not published; these are our allocators over the packet-level cycle of
:class:`twin.uplink_cycle.UplinkCycle` (a fixed number of trigger-based PPDU slots of at most
``per_slot`` stations each fit within ``tau_max``):

* :class:`FixedPdr`: every sensor, every cycle, in a static plan (device order, as the baseline's
  per-device target leaves no sensor out). When the plan needs more slots than fit within
  ``tau_max`` the baseline's problem is infeasible; the plan's tail would be late, so those sensors
  never update (their plants run open loop on the prediction).
* :class:`RoundRobin` (extra, control-agnostic): the same plan rotated by the capacity each cycle,
  so every sensor gets its turn; separates "skipping a cycle is tolerable" from state awareness.
* :class:`ControlAware`: the cycle's capacity goes to the sensors whose update avoids the largest
  increase of the Lyapunov cost ``x'Px`` one step ahead. With the controller's estimate
  ``x_hat`` and the sensor's state ``x`` (the paper's scheduler knows the states), not serving
  plant ``i`` applies ``u = -K x_hat`` instead of ``-K x``: the next state is ``F x + B K e``
  instead of ``F x`` (``F = A - BK``, ``e = x - x_hat``), so the avoided increase is
  ``2 (F x)' P B K e + e' K'B'PBK e``. Ties (``e = 0``) go to the oldest update. This is the
  limit of state-dependent delivery targets when serving a sensor costs only air time: the
  plants that can do without an update this cycle yield their slot.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol

import numpy as np

from robots.plants import PlantBatch


@dataclass(frozen=True)
class CycleView:
    """What an allocator knows at the start of a cycle.

    Attributes:
        x: True plant states at this cycle's sampling instant, ``(m, n)``.
        x_hat: The controller's open-loop estimate of them, ``(m, n)``.
        age: Cycles since each plant's last on-time update, ``(m,)``.
        capacity: Sensors whose uplink fits within ``tau_max`` this cycle.
    """

    x: np.ndarray
    x_hat: np.ndarray
    age: np.ndarray
    capacity: int


class Allocator(Protocol):
    """Chooses the sensors of a cycle, in transmission order."""

    name: str

    def reset(self, batch: PlantBatch) -> None:
        """New run with these plants."""
        ...

    def select(self, view: CycleView) -> np.ndarray:
        """Device indices in slot order; entries past ``view.capacity`` miss ``tau_max``."""
        ...


class FixedPdr:
    """Every sensor every cycle, static plan in device order (target 0.99 for all)."""

    name = "fixed_pdr"

    def reset(self, batch: PlantBatch) -> None:
        """Stateless."""
        self.m = batch.m

    def select(self, view: CycleView) -> np.ndarray:
        """All devices, always in the same order."""
        return np.arange(len(view.age))


class RoundRobin:
    """Every sensor in turn: the static plan rotated by the cycle's capacity."""

    name = "round_robin"

    def __init__(self) -> None:
        self.next = 0

    def reset(self, batch: PlantBatch) -> None:
        """Starts at device 0."""
        self.next = 0

    def select(self, view: CycleView) -> np.ndarray:
        """The next ``capacity`` devices in cyclic order first."""
        m = len(view.age)
        order = (self.next + np.arange(m)) % m
        self.next = (self.next + min(view.capacity, m)) % m
        return order


class ControlAware:
    """Largest avoided one-step Lyapunov cost increase first (see the module docstring)."""

    name = "control_aware"

    def __init__(self) -> None:
        self.fpbk = np.zeros((0, 0, 0))
        self.bkpbk = np.zeros((0, 0, 0))

    def reset(self, batch: PlantBatch) -> None:
        """Precomputes ``F'PBK`` and ``K'B'PBK`` per plant."""
        bk = batch.b @ batch.k
        f = batch.closed_loop()
        pbk = batch.p @ bk
        self.fpbk = np.transpose(f, (0, 2, 1)) @ pbk
        self.bkpbk = np.transpose(bk, (0, 2, 1)) @ pbk

    def value(self, view: CycleView) -> np.ndarray:
        """The avoided cost increase per plant, ``(m,)``."""
        e = view.x - view.x_hat
        cross = np.einsum("mi,mij,mj->m", view.x, self.fpbk, e)
        quad = np.einsum("mi,mij,mj->m", e, self.bkpbk, e)
        out: np.ndarray = 2.0 * cross + quad
        return out

    def select(self, view: CycleView) -> np.ndarray:
        """Devices by value descending, then age descending, then index."""
        m = len(view.age)
        v = self.value(view)
        return np.lexsort((np.arange(m), -view.age.astype(float), -v))


ALLOCATORS: dict[str, type] = {cls.name: cls for cls in (FixedPdr, RoundRobin, ControlAware)}


def make_allocator(name: str) -> Allocator:
    """A fresh allocator by name (one of :data:`ALLOCATORS`)."""
    if name not in ALLOCATORS:
        raise ValueError(f"scheduler: {name!r} is not known; known: {', '.join(ALLOCATORS)}")
    out: Allocator = ALLOCATORS[name]()
    return out

"""A stand-in network for tests and quick studies: fixed delay, optional jitter and loss.

:func:`run_lockstep` drives a model and a network with the same loop ``twin.cosim`` uses, so a
model that works here works over ns-3 too (see :mod:`robots.messages` for the timing contract).
"""

from __future__ import annotations

import heapq
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

import numpy as np

from robots.messages import Message, NetworkedModel


@dataclass(frozen=True)
class LossBurst:
    """Drop every message created in ``[start_s, end_s)`` on the matching flows.

    Attributes:
        start_s: First creation time that is dropped.
        end_s: Creation time from which messages pass again.
        flow_prefixes: Only flows whose name starts with one of these are hit; empty hits all.
    """

    start_s: float
    end_s: float
    flow_prefixes: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        if not self.end_s >= self.start_s:
            raise ValueError(
                f"LossBurst.end_s must be >= start_s, got {self.start_s}..{self.end_s}"
            )

    def hits(self, msg: Message) -> bool:
        """Whether the burst drops ``msg``."""
        if not self.start_s <= msg.created_s < self.end_s:
            return False
        return not self.flow_prefixes or msg.flow.startswith(self.flow_prefixes)


@dataclass
class IdealNetwork:
    """Delivers every message after ``delay_s`` (+ uniform jitter), dropping some on request.

    Attributes:
        delay_s: Fixed one-way delay, >= 0.
        jitter_s: Extra delay drawn uniformly from ``[0, jitter_s)``, >= 0.
        loss_probability: Independent drop probability per message, in ``[0, 1]``.
        bursts: Deterministic loss bursts.
        drop: Optional predicate; a message it returns True for is dropped.
        rng: Generator for jitter and random loss (seeded -> reproducible).
    """

    delay_s: float = 0.0
    jitter_s: float = 0.0
    loss_probability: float = 0.0
    bursts: Sequence[LossBurst] = ()
    drop: Callable[[Message], bool] | None = None
    rng: np.random.Generator = field(default_factory=lambda: np.random.default_rng(0))
    sent: int = 0
    dropped: int = 0
    _queue: list[tuple[float, int, Message]] = field(default_factory=list)

    def __post_init__(self) -> None:
        if self.delay_s < 0.0:
            raise ValueError(f"IdealNetwork.delay_s must be >= 0, got {self.delay_s}")
        if self.jitter_s < 0.0:
            raise ValueError(f"IdealNetwork.jitter_s must be >= 0, got {self.jitter_s}")
        if not 0.0 <= self.loss_probability <= 1.0:
            raise ValueError(
                f"IdealNetwork.loss_probability must be in [0, 1], got {self.loss_probability}"
            )

    def send(self, msgs: Sequence[Message]) -> None:
        """Hand messages to the network at their ``created_s``."""
        if not msgs:
            return
        n = len(msgs)
        u_loss = self.rng.random(n) if self.loss_probability > 0.0 else np.ones(n)
        jitter = self.rng.random(n) * self.jitter_s if self.jitter_s > 0.0 else np.zeros(n)
        for i, m in enumerate(msgs):
            self.sent += 1
            lost = bool(u_loss[i] < self.loss_probability)
            lost = lost or any(b.hits(m) for b in self.bursts)
            lost = lost or (self.drop is not None and self.drop(m))
            if lost:
                self.dropped += 1
                continue
            rx = m.created_s + self.delay_s + float(jitter[i])
            heapq.heappush(self._queue, (rx, self.sent, m))

    def pop_until(self, t_s: float) -> list[tuple[float, Message]]:
        """Remove and return ``(rx_s, msg)`` for every delivery with ``rx_s <= t_s``, in order."""
        out: list[tuple[float, Message]] = []
        while self._queue and self._queue[0][0] <= t_s + 1e-12:
            rx, _, m = heapq.heappop(self._queue)
            out.append((rx, m))
        return out


def run_lockstep(
    model: NetworkedModel,
    network: IdealNetwork,
    dt_s: float,
    t_end_s: float,
    stop: Callable[[], bool] | None = None,
) -> float:
    """Run ``model`` over ``network`` in lockstep, as ``twin.cosim`` does.

    Per period: ``step(t, dt)`` returns messages created at ``t + dt``; the network carries them;
    deliveries with receive time ``<= t + 2 dt`` go to the model before ``step(t + dt, dt)``.

    Args:
        model: The model to run.
        network: The carrier.
        dt_s: Control period, > 0.
        t_end_s: Time at which to stop at the latest.
        stop: Optional predicate checked after every step; True ends the run early.

    Returns:
        The simulation time reached.
    """
    if dt_s <= 0.0:
        raise ValueError(f"dt_s must be > 0, got {dt_s}")
    k = 0
    t = 0.0
    while t < t_end_s - 1e-12:
        t = k * dt_s
        msgs = model.step(t, dt_s)
        network.send(msgs)
        for rx, m in network.pop_until((k + 2) * dt_s):
            model.deliver(m, rx)
        k += 1
        t = k * dt_s
        if stop is not None and stop():
            break
    return t

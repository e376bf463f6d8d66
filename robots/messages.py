"""The transport-agnostic message interface every networked model speaks.

A model never talks to a network directly. The co-simulation (``twin.cosim``) or, in tests,
:class:`robots.ideal_network.IdealNetwork` carries its :class:`Message` objects:

* ``flows()`` declares every logical flow up front (so ns-3 can be configured once);
* ``step(t_s, dt_s)`` advances the model from ``t_s`` to ``t_s + dt_s`` and returns the messages
  created at ``t_s + dt_s`` (their ``created_s``);
* ``deliver(msg, rx_s)`` hands over one message that arrived at receive time ``rx_s``.

Timing contract (the same for every model in this package):

1. The carrier delivers every message whose receive time lies in ``(t_s, t_s + dt_s]`` *before*
   calling ``step(t_s, dt_s)`` (in the lockstep loop the network is advanced to ``t_s + dt_s``
   first, which is causal because the messages it carries were created at ``t_s`` or earlier).
   Deliveries may arrive in any order; the model sorts them by receive time.
2. Inside ``step`` every device acts at its tick ``t_s + dt_s`` and sees exactly the messages with
   receive time ``<= t_s + dt_s``; what it sends is stamped ``created_s = t_s + dt_s``.
3. Consequently a message hop costs ``max(1, ceil(delay / dt))`` control periods: one period on an
   ideal (zero-delay) network, like a PLC that reads its inputs once per scan.

Only ``size_bytes`` travels over the simulated network; ``payload`` stays in Python.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol, runtime_checkable


@dataclass(frozen=True)
class Message:
    """One application message.

    Attributes:
        flow: Logical flow name, e.g. ``"arm1.setpoint"``; one of the model's ``flows()``.
        src: Sending device name, e.g. ``"edge"``.
        dst: Receiving device name, e.g. ``"arm1"``.
        size_bytes: Application payload size carried over the simulated network.
        payload: Python object handed to ``deliver`` unchanged; never serialized.
        created_s: Simulation time at which the message was handed to the network.
    """

    flow: str
    src: str
    dst: str
    size_bytes: int
    payload: object
    created_s: float


@dataclass(frozen=True)
class FlowSpec:
    """Static description of one logical flow, declared to the network before the run.

    Attributes:
        name: Flow name, unique within a model.
        src: Sending device name.
        dst: Receiving device name.
        size_bytes: Size of every message of the flow.
        period_s: Nominal period for cyclic flows; ``None`` for event-driven flows.
    """

    name: str
    src: str
    dst: str
    size_bytes: int
    period_s: float | None

    def __post_init__(self) -> None:
        if self.size_bytes <= 0:
            raise ValueError(f"FlowSpec.size_bytes must be > 0, got {self.size_bytes}")
        if self.period_s is not None and self.period_s <= 0.0:
            raise ValueError(f"FlowSpec.period_s must be > 0 or None, got {self.period_s}")


@runtime_checkable
class NetworkedModel(Protocol):
    """What the co-simulation needs from a model (see the module docstring for timing)."""

    def devices(self) -> list[str]:
        """Names of every device (network node) of the model."""
        ...

    def flows(self) -> list[FlowSpec]:
        """Every flow the model will ever send on."""
        ...

    def step(self, t_s: float, dt_s: float) -> list[Message]:
        """Advance from ``t_s`` to ``t_s + dt_s``; return the messages created at ``t_s + dt_s``."""
        ...

    def deliver(self, msg: Message, t_s: float) -> None:
        """Accept one message received at ``t_s``."""
        ...

    def summary(self) -> dict[str, float]:
        """JSON-serializable metrics of the run so far."""
        ...

    def device_positions_m(self) -> dict[str, tuple[float, float, float]]:
        """Current location of every device (moving devices change between steps)."""
        ...


class Inbox:
    """Receive-side buffer shared by the models: deliveries waiting for their tick."""

    def __init__(self) -> None:
        self._pending: list[tuple[float, int, Message]] = []
        self._count = 0

    def put(self, msg: Message, rx_s: float) -> None:
        """Store a delivery (any order)."""
        self._pending.append((rx_s, self._count, msg))
        self._count += 1

    def take_until(self, t_s: float) -> list[tuple[float, Message]]:
        """Remove and return deliveries with receive time ``<= t_s``, sorted by receive time."""
        eps = 1e-12
        due = [p for p in self._pending if p[0] <= t_s + eps]
        if not due:
            return []
        self._pending = [p for p in self._pending if p[0] > t_s + eps]
        due.sort(key=lambda p: (p[0], p[1]))
        return [(rx, m) for rx, _, m in due]

    def __len__(self) -> int:
        return len(self._pending)

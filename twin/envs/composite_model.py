"""Several networked models as one (``robots.messages.NetworkedModel``).

E.g. a workcell plus best-effort traffic sources, so that one ``ModelLink`` carries all of their
messages.
"""

from __future__ import annotations

from collections.abc import Sequence

from robots.messages import FlowSpec, Message, NetworkedModel


class CompositeModel:
    """Forwards every call to its parts; deliveries go to the part that owns the flow.

    Args:
        parts: Models with disjoint flow names; devices may be shared (e.g. the AP device).
    """

    def __init__(self, parts: Sequence[NetworkedModel]) -> None:
        self.parts = list(parts)
        self._owner: dict[str, NetworkedModel] = {}
        for part in self.parts:
            for spec in part.flows():
                if spec.name in self._owner:
                    raise ValueError(f"flow {spec.name!r} is declared by two models")
                self._owner[spec.name] = part

    def devices(self) -> list[str]:
        """Every part's devices, first occurrence first."""
        return list(dict.fromkeys(d for p in self.parts for d in p.devices()))

    def flows(self) -> list[FlowSpec]:
        """Every part's flows."""
        return [f for p in self.parts for f in p.flows()]

    def step(self, t_s: float, dt_s: float) -> list[Message]:
        """Steps every part; their messages in part order."""
        return [m for p in self.parts for m in p.step(t_s, dt_s)]

    def deliver(self, msg: Message, t_s: float) -> None:
        """Hands the message to the part that declared its flow."""
        self._owner[msg.flow].deliver(msg, t_s)

    def summary(self) -> dict[str, float]:
        """Every part's metrics (later parts win on equal keys)."""
        out: dict[str, float] = {}
        for p in self.parts:
            out.update(p.summary())
        return out

    def device_positions_m(self) -> dict[str, tuple[float, float, float]]:
        """Every part's positions."""
        out: dict[str, tuple[float, float, float]] = {}
        for p in self.parts:
            out.update(p.device_positions_m())
        return out


class BestEffortSources:
    """Stations that send best-effort uplink packets to ``sink`` at a fixed rate.

    At each tick of ``dt_s`` a source creates ``round(dt_s / period_s)`` packets (at least one),
    i.e. the rate of one packet per ``period_s``, in bursts at the tick.

    Args:
        names: Station names.
        sink: Receiving device (the AP's device).
        positions_m: Station positions.
        size_bytes: Packet size.
        period_s: Mean spacing of one station's packets.
    """

    def __init__(
        self,
        names: Sequence[str],
        sink: str,
        positions_m: dict[str, tuple[float, float, float]],
        size_bytes: int,
        period_s: float,
    ) -> None:
        if not period_s > 0:
            raise ValueError(f"period_s: must be > 0 (got {period_s})")
        self.names = list(names)
        self.sink = sink
        self.positions = dict(positions_m)
        self.size_bytes = size_bytes
        self.period_s = period_s
        self.offered = 0
        self.delivered = 0

    def devices(self) -> list[str]:
        """The sources (the sink belongs to another part)."""
        return list(self.names)

    def flows(self) -> list[FlowSpec]:
        """``<name>.up`` per source."""
        return [
            FlowSpec(f"{n}.up", n, self.sink, self.size_bytes, self.period_s) for n in self.names
        ]

    def step(self, t_s: float, dt_s: float) -> list[Message]:
        """This tick's burst of every source."""
        burst = max(1, round(dt_s / self.period_s))
        t1 = t_s + dt_s
        out = [
            Message(f"{n}.up", n, self.sink, self.size_bytes, None, t1)
            for n in self.names
            for _ in range(burst)
        ]
        self.offered += len(out)
        return out

    def deliver(self, msg: Message, t_s: float) -> None:
        """Counts a delivery."""
        self.delivered += 1

    def summary(self) -> dict[str, float]:
        """Offered and delivered packets."""
        return {
            "best_effort/offered": float(self.offered),
            "best_effort/delivered": float(self.delivered),
        }

    def device_positions_m(self) -> dict[str, tuple[float, float, float]]:
        """Static positions."""
        return dict(self.positions)

"""Carries a robots model's messages over the co-simulated network.

``robots`` models speak a transport-agnostic interface (``robots.messages``): they declare their
flows, return the messages they create at each control tick, and accept deliveries at exact
receive times. :class:`ModelLink` is the carrier over ns-3: every control period it advances the
network one period (with the messages created at the previous tick and any background traffic),
hands each delivered message to the model at its receive time, then ticks the model.

:func:`cell_for_model` builds the cell from the model itself: one Wi-Fi station per device at the
device's position, except the device chosen to sit at the AP (an edge server wired to the AP; that
wire is ideal in this model), and one flow per model flow.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from robots.messages import Message, NetworkedModel
from twin.config import (
    CellConfig,
    ChannelConfig,
    ConfigError,
    FlowConfig,
    NodeConfig,
    WifiConfig,
)
from twin.cosim import NS_PER_S, CoSimulation, StepResult
from twin.talker_schedule import TalkerSchedule
from twin.traffic import PeriodicTraffic


def cell_for_model(
    model: NetworkedModel,
    *,
    ap_device: str,
    wifi: WifiConfig | None = None,
    channel: ChannelConfig | None = None,
    access_category: str = "VO",
    background_nodes: Sequence[NodeConfig] = (),
    background_flows: Sequence[FlowConfig] = (),
) -> CellConfig:
    """The cell that carries ``model``'s flows (plus optional background stations and flows).

    Args:
        model: The networked model.
        ap_device: The device whose node is the AP.
        wifi: BSS settings.
        channel: Path-loss settings.
        access_category: EDCA access category of every model flow.
        background_nodes: Extra stations (e.g. best-effort traffic sources).
        background_flows: Extra periodic flows, e.g. best-effort load.

    Returns:
        A validated cell. Each model flow's deadline is its nominal period (or 10 ms).
    """
    devices = model.devices()
    if ap_device not in devices:
        raise ConfigError(
            f"ap_device: {ap_device!r} is not a device; devices: {', '.join(devices)}"
        )
    pos = model.device_positions_m()
    nodes = [NodeConfig(ap_device, "ap", tuple(pos[ap_device]))]  # type: ignore[arg-type]
    nodes += [
        NodeConfig(d, "sta", tuple(pos[d]))  # type: ignore[arg-type]
        for d in devices
        if d != ap_device
    ]
    flows = [
        FlowConfig(
            name=spec.name,
            src=spec.src,
            dst=spec.dst,
            size_bytes=spec.size_bytes,
            period_s=None,  # the model decides when it sends
            access_category=access_category,
            deadline_s=spec.period_s or 0.01,
        )
        for spec in model.flows()
    ]
    return CellConfig(
        nodes=tuple(nodes) + tuple(background_nodes),
        flows=tuple(flows) + tuple(background_flows),
        wifi=wifi or WifiConfig(),
        channel=channel or ChannelConfig(),
    )


@dataclass
class LinkCounters:
    """What the carrier counted.

    Attributes:
        sent: Model messages handed to the network.
        delivered: Model messages delivered to the model.
        dropped: Model messages dropped by ns-3.
        withheld: Model messages a scheduler did not let onto the air (``period(keep=...)``).
    """

    sent: int = 0
    delivered: int = 0
    dropped: int = 0
    withheld: int = 0


class ModelLink:
    """Runs ``model`` with its messages carried by ``sim``, one control period per :meth:`period`.

    Args:
        model: The networked model; its flows must exist (by name) in ``sim.cell``.
        sim: A co-simulation that has been reset.
        period_s: The control period (the model's tick).
        mobile: Devices that move (AGVs): after every tick their positions from
            ``model.device_positions_m()`` become their nodes' positions in ns-3.
        talkers: Send the messages of 802.1Qbv streams at their talker instants (the next one
            at or after the tick that created them) instead of at the tick.
    """

    def __init__(
        self,
        model: NetworkedModel,
        sim: CoSimulation,
        period_s: float,
        mobile: Sequence[str] = (),
        talkers: TalkerSchedule | None = None,
    ) -> None:
        if not period_s > 0:
            raise ValueError(f"period_s: must be > 0 (got {period_s})")
        self.model = model
        self.sim = sim
        self.period_ns = round(period_s * NS_PER_S)
        self._flow_index = {f.name: i for i, f in enumerate(sim.cell.flows)}
        missing = [s.name for s in model.flows() if s.name not in self._flow_index]
        if missing:
            raise ConfigError(f"cell.flows: no flow for the model's {', '.join(missing)}")
        self._background = PeriodicTraffic(sim.cell)
        self._mobile = list(mobile)
        self._talkers = talkers
        try:
            self._mobile_nodes = np.array([sim.cell.node_index(d) for d in self._mobile], np.uint32)
        except KeyError as e:
            raise ConfigError(f"mobile: {e.args[0]!r} is not a node of the cell") from None
        self._outbox: list[Message] = []
        self._in_flight: dict[int, Message] = {}
        self.counters = LinkCounters()
        self.ticks = 0
        self.last_step: StepResult | None = None

    @property
    def now_s(self) -> float:
        """The time of both sides."""
        return self.sim.now_s

    def period(self, keep: Callable[[Message], bool] | None = None) -> None:
        """One control period: network to the next tick, deliveries, then the model's tick.

        Args:
            keep: An application-level scheduler: only messages for which it returns True are
                sent this period; the others are discarded (counted in ``counters.withheld``).
        """
        t_ns = self.sim.now_ns
        t1_ns = t_ns + self.period_ns
        if keep is not None and self._outbox:
            kept = [m for m in self._outbox if keep(m)]
            self.counters.withheld += len(self._outbox) - len(kept)
            self._outbox = kept
        self._send_outbox(t_ns)
        flow, size, send = self._background.window(t1_ns)
        if len(flow):
            self.sim.send_many(flow, size, send)
        self.last_step = self.sim.step_ns(t1_ns)
        report = self.last_step.report
        # Latencies stay in sim.ledger (every packet's fate); here only the payloads move.
        for seq, rx_ns in zip(
            report.deliveries["seq"].tolist(),
            report.deliveries["rx_time_ns"].tolist(),
            strict=True,
        ):
            msg = self._in_flight.pop(seq, None)
            if msg is not None:
                self.model.deliver(msg, rx_ns / NS_PER_S)
                self.counters.delivered += 1
        for seq in report.drops["seq"].tolist():
            if self._in_flight.pop(seq, None) is not None:
                self.counters.dropped += 1
        self._outbox = self.model.step(t_ns / NS_PER_S, self.period_ns / NS_PER_S)
        if self._mobile:
            pos = self.model.device_positions_m()
            self.sim.move(self._mobile_nodes, np.array([pos[d] for d in self._mobile]))
        self.ticks += 1

    def _send_outbox(self, t_ns: int) -> None:
        if not self._outbox:
            return
        n = len(self._outbox)
        flow = np.fromiter((self._flow_index[m.flow] for m in self._outbox), np.uint32, n)
        size = np.fromiter((m.size_bytes for m in self._outbox), np.uint32, n)
        send = np.full(n, t_ns, np.int64)
        if self._talkers is not None:
            send = self._talkers.send_times(flow, send)
        seqs = self.sim.send_many(flow, size, send)
        self._in_flight.update(zip(seqs.tolist(), self._outbox, strict=True))
        self.counters.sent += n
        self._outbox = []

    def run(self, max_s: float, done: Any = None) -> None:
        """Runs periods until ``done()`` is true or ``max_s`` of simulated time has passed."""
        end_ns = round(max_s * NS_PER_S)
        while self.sim.now_ns + self.period_ns <= end_ns:
            if done is not None and done():
                return
            self.period()

"""Configuration of the cell's wired segment: Ethernet end stations on one TSN bridge.

Nodes with ``radio: wired`` and the AP's Ethernet port hang on one store-and-forward bridge by
full-duplex links; a station reaches a wired node through the AP, which bridges the BSS and its
port. With ``qbv.enabled`` every bridge port has an 802.1Qbv shaper whose gate control list the
802.1Qcc-style configurator computes from ``qbv.streams`` (docs/tsn.md, "Wired segment").
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any


def _require(ok: bool, field_path: str, rule: str, value: object) -> None:
    # Imported here: twin.config imports this module.
    from twin.config import _require as require

    require(ok, field_path, rule, value)


@dataclass(frozen=True)
class WiredStreamConfig:
    """A stream the configurator schedules on the bridge ports (802.1Qcc requirements).

    Attributes:
        flow: Flow name; its talker is a wired node or the AP, and it crosses the bridge.
        period_ns: Period; 0 = the flow's period.
        max_latency_ns: Maximum latency over the wired hops; 0 = the period.
    """

    flow: str
    period_ns: int = 0
    max_latency_ns: int = 0

    def check(self, path: str) -> None:
        """Raises ``ConfigError`` for an invalid value, naming ``path``."""
        _require(self.period_ns >= 0, f"{path}.period_ns", "must be >= 0", self.period_ns)
        _require(
            self.max_latency_ns >= 0, f"{path}.max_latency_ns", "must be >= 0", self.max_latency_ns
        )


@dataclass(frozen=True)
class WiredQbvConfig:
    """802.1Qbv on the bridge's egress ports.

    Attributes:
        enabled: Install a time-aware shaper on every bridge port (needs ``streams``).
        sync_error_bound_ns: The configurator's clock-offset bound on the wired links (a bound
            widens every window by twice it); -1: derived, i.e. 0 without a ``tsn`` section (the
            bridge's clock is ideal), else the 802.1AS-over-Ethernet bound of docs/tsn.md
            ("Hybrid wired/wireless TSN") for the farthest port.
        guard_band_ns: Extra all-gates-closed time before each window.
        streams: The scheduled streams.
    """

    enabled: bool = False
    sync_error_bound_ns: int = -1
    guard_band_ns: int = 0
    streams: tuple[WiredStreamConfig, ...] = ()

    def check(self, path: str) -> None:
        """Raises ``ConfigError`` for an invalid value, naming ``path``."""
        _require(
            -1 <= self.sync_error_bound_ns <= 1_000_000,
            f"{path}.sync_error_bound_ns",
            "must be in 0..1e6 ns, or -1 (derived)",
            self.sync_error_bound_ns,
        )
        _require(
            0 <= self.guard_band_ns <= 1_000_000,
            f"{path}.guard_band_ns",
            "must be in 0..1e6 ns",
            self.guard_band_ns,
        )
        _require(
            self.enabled == bool(self.streams),
            f"{path}.enabled" if self.enabled else f"{path}.streams",
            "enabled needs streams and streams need enabled (the gates come from the streams)",
            self.enabled,
        )
        for i, s in enumerate(self.streams):
            s.check(f"{path}.streams[{i}]")


@dataclass(frozen=True)
class WiredConfig:
    """The wired segment (defaults: 1000BASE-T links of 10 m).

    Attributes:
        rate_bps: Link rate in bit/s (802.3: 1e7, 1e8, 1e9, 2.5e9, 1e10), 1e6..1e11.
        delay_ns: Propagation delay of each link (about 5 ns per metre of cable), 0..1e6.
        processing_delay_ns: Bridge: from the whole frame's reception to its egress queue, 0..1e6.
        queue_packets: Egress queue size per port (per traffic class with qbv), 1..100000.
        qbv: 802.1Qbv on the bridge ports.
    """

    rate_bps: float = 1e9
    delay_ns: int = 50
    processing_delay_ns: int = 1000
    queue_packets: int = 1000
    qbv: WiredQbvConfig = field(default_factory=WiredQbvConfig)

    def check(self, path: str) -> None:
        """Raises ``ConfigError`` for an invalid value, naming ``path``."""
        _require(
            1e6 <= self.rate_bps <= 1e11, f"{path}.rate_bps", "must be in 1e6..1e11", self.rate_bps
        )
        for name in ("delay_ns", "processing_delay_ns"):
            value = getattr(self, name)
            _require(0 <= value <= 1_000_000, f"{path}.{name}", "must be in 0..1e6 ns", value)
        _require(
            1 <= self.queue_packets <= 100_000,
            f"{path}.queue_packets",
            "must be in 1..100000",
            self.queue_packets,
        )
        self.qbv.check(f"{path}.qbv")

    def to_json(self, flow_periods_ns: dict[str, int]) -> dict[str, Any]:
        """The handshake's ``wired`` section (stream periods and latencies filled in)."""
        doc = asdict(self)
        doc["qbv"]["streams"] = [
            {
                "flow": s.flow,
                "period_ns": s.period_ns or flow_periods_ns[s.flow],
                "max_latency_ns": s.max_latency_ns or s.period_ns or flow_periods_ns[s.flow],
            }
            for s in self.qbv.streams
        ]
        return doc

"""Typed, validated configuration of a co-simulation (defaults live here, in code).

Every value that can be wrong is checked in ``__post_init__`` and the error names the field and the
allowed range, before ns-3 is ever started. YAML files and ``--set`` overrides are turned into these
dataclasses in one place, :mod:`twin.configio`.
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass, field

ACCESS_CATEGORIES = ("VO", "VI", "BE", "BK")
ROLES = ("ap", "sta")
RADIOS = ("wifi",)
BANDS = ("2.4GHz", "5GHz", "6GHz")
CHANNEL_WIDTHS_MHZ = (20, 40, 80, 160)
GUARD_INTERVALS_NS = (800, 1600, 3200)
RATE_MANAGERS = ("constant", "ideal")
CHANNEL_MODELS = ("log_distance",)
#: Largest packet the twin may inject: the 2304-byte MSDU less the 8-byte LLC/SNAP header.
MAX_PACKET_BYTES = 2296


class ConfigError(ValueError):
    """A configuration value is missing, of the wrong type or out of range."""


def _require(ok: bool, field_path: str, rule: str, value: object) -> None:
    if not ok:
        raise ConfigError(f"{field_path}: {rule} (got {value!r})")


def _one_of(value: object, allowed: tuple[object, ...], field_path: str) -> None:
    if value not in allowed:
        raise ConfigError(
            f"{field_path}: {value!r} is not allowed; allowed: {', '.join(map(str, allowed))}"
        )


@dataclass(frozen=True)
class NodeConfig:
    """A node of the cell.

    Attributes:
        name: Unique name, used by flows.
        role: ``ap`` (exactly one per cell) or ``sta``.
        position_m: Initial position (x, y, z) in metres.
        radio: Radio technology; ``wifi`` (802.11ax).
    """

    name: str
    role: str = "sta"
    position_m: tuple[float, float, float] = (0.0, 0.0, 1.0)
    radio: str = "wifi"

    def check(self, path: str) -> None:
        """Raises :class:`ConfigError` for an invalid value, naming ``path``."""
        _require(bool(self.name), f"{path}.name", "must be a non-empty string", self.name)
        _one_of(self.role, ROLES, f"{path}.role")
        _one_of(self.radio, RADIOS, f"{path}.radio")
        _require(
            len(self.position_m) == 3 and all(math.isfinite(v) for v in self.position_m),
            f"{path}.position_m",
            "must be three finite numbers [x, y, z]",
            self.position_m,
        )


@dataclass(frozen=True)
class FlowConfig:
    """A flow of packets from one node to another (through the AP between two stations).

    Attributes:
        name: Unique name.
        src: Sending node's name.
        dst: Receiving node's name.
        size_bytes: Packet size, 1..2296.
        period_s: Period of the flow's own periodic traffic; ``None`` when another model (a robot
            controller, say) decides when it sends.
        start_s: Time of the first periodic packet.
        access_category: EDCA access category: VO, VI, BE or BK.
        deadline_s: Latency budget; later packets count as deadline misses.
    """

    name: str
    src: str
    dst: str
    size_bytes: int = 100
    period_s: float | None = 0.01
    start_s: float = 0.0
    access_category: str = "VO"
    deadline_s: float = 0.01

    def check(self, path: str) -> None:
        """Raises :class:`ConfigError` for an invalid value, naming ``path``."""
        _require(bool(self.name), f"{path}.name", "must be a non-empty string", self.name)
        _require(
            1 <= self.size_bytes <= MAX_PACKET_BYTES,
            f"{path}.size_bytes",
            f"must be in 1..{MAX_PACKET_BYTES}",
            self.size_bytes,
        )
        if self.period_s is not None:
            _require(self.period_s > 0, f"{path}.period_s", "must be > 0 or null", self.period_s)
        _require(self.start_s >= 0, f"{path}.start_s", "must be >= 0", self.start_s)
        _require(self.deadline_s > 0, f"{path}.deadline_s", "must be > 0", self.deadline_s)
        _one_of(self.access_category, ACCESS_CATEGORIES, f"{path}.access_category")


@dataclass(frozen=True)
class WifiConfig:
    """The 802.11ax BSS.

    Attributes:
        band: ``2.4GHz``, ``5GHz`` or ``6GHz``.
        channel_number: Channel number; 0 picks the band's default for the width.
        channel_width_mhz: 20, 40, 80 or 160.
        guard_interval_ns: HE guard interval, 800, 1600 or 3200.
        rate_manager: ``constant`` (uses ``mcs``) or ``ideal`` (SNR-driven).
        mcs: HE-MCS 0..11 for the constant manager.
        tx_power_dbm: Transmit power of every Wi-Fi node, -10..30 dBm.
        max_queue_packets: MAC queue size per access category.
        msdu_lifetime_ms: Time after which the MAC drops a queued MSDU.
    """

    band: str = "5GHz"
    channel_number: int = 0
    channel_width_mhz: int = 20
    guard_interval_ns: int = 800
    rate_manager: str = "constant"
    mcs: int = 7
    tx_power_dbm: float = 20.0
    max_queue_packets: int = 500
    msdu_lifetime_ms: float = 500.0

    def check(self, path: str) -> None:
        """Raises :class:`ConfigError` for an invalid value, naming ``path``."""
        _one_of(self.band, BANDS, f"{path}.band")
        _one_of(self.channel_width_mhz, CHANNEL_WIDTHS_MHZ, f"{path}.channel_width_mhz")
        _one_of(self.guard_interval_ns, GUARD_INTERVALS_NS, f"{path}.guard_interval_ns")
        _one_of(self.rate_manager, RATE_MANAGERS, f"{path}.rate_manager")
        _require(0 <= self.mcs <= 11, f"{path}.mcs", "must be in 0..11 (HE-MCS)", self.mcs)
        _require(
            0 <= self.channel_number <= 233,
            f"{path}.channel_number",
            "must be in 0..233",
            self.channel_number,
        )
        _require(
            -10 <= self.tx_power_dbm <= 30,
            f"{path}.tx_power_dbm",
            "must be in -10..30",
            self.tx_power_dbm,
        )
        _require(
            1 <= self.max_queue_packets <= 100_000,
            f"{path}.max_queue_packets",
            "must be in 1..100000",
            self.max_queue_packets,
        )
        _require(
            self.msdu_lifetime_ms > 0,
            f"{path}.msdu_lifetime_ms",
            "must be > 0",
            self.msdu_lifetime_ms,
        )


@dataclass(frozen=True)
class ChannelConfig:
    """Path loss between nodes.

    Attributes:
        model: ``log_distance``.
        exponent: Path-loss exponent, 1..6.
        reference_distance_m: Reference distance, > 0.
        reference_loss_db: Loss at the reference distance (default: free space at 5.18 GHz).
    """

    model: str = "log_distance"
    exponent: float = 3.0
    reference_distance_m: float = 1.0
    reference_loss_db: float = 46.6777

    def check(self, path: str) -> None:
        """Raises :class:`ConfigError` for an invalid value, naming ``path``."""
        _one_of(self.model, CHANNEL_MODELS, f"{path}.model")
        _require(1 <= self.exponent <= 6, f"{path}.exponent", "must be in 1..6", self.exponent)
        _require(
            self.reference_distance_m > 0,
            f"{path}.reference_distance_m",
            "must be > 0",
            self.reference_distance_m,
        )


@dataclass(frozen=True)
class CellConfig:
    """Everything ns-3 needs to build the cell (sent in the handshake).

    Attributes:
        nodes: The nodes, exactly one with role ``ap``.
        flows: The flows between them.
        wifi: The BSS settings.
        channel: The path-loss model.
    """

    nodes: tuple[NodeConfig, ...]
    flows: tuple[FlowConfig, ...] = ()
    wifi: WifiConfig = field(default_factory=WifiConfig)
    channel: ChannelConfig = field(default_factory=ChannelConfig)

    def __post_init__(self) -> None:
        self.check("cell")

    def check(self, path: str) -> None:
        """Raises :class:`ConfigError` for an invalid value, naming ``path``."""
        _require(
            len(self.nodes) >= 2,
            f"{path}.nodes",
            "needs an AP and at least one station",
            len(self.nodes),
        )
        seen: set[str] = set()
        for i, n in enumerate(self.nodes):
            n.check(f"{path}.nodes[{i}]")
            if n.name in seen:
                raise ConfigError(f"{path}.nodes[{i}].name: duplicate node name {n.name!r}")
            seen.add(n.name)
        aps = [n.name for n in self.nodes if n.role == "ap"]
        _require(len(aps) == 1, f"{path}.nodes", "exactly one node must have role 'ap'", aps)
        flow_names: set[str] = set()
        for i, f in enumerate(self.flows):
            f.check(f"{path}.flows[{i}]")
            if f.name in flow_names:
                raise ConfigError(f"{path}.flows[{i}].name: duplicate flow name {f.name!r}")
            flow_names.add(f.name)
            for end in ("src", "dst"):
                node = getattr(f, end)
                if node not in seen:
                    raise ConfigError(
                        f"{path}.flows[{i}].{end}: no node named {node!r}; nodes are: "
                        f"{', '.join(n.name for n in self.nodes)}"
                    )
            _require(f.src != f.dst, f"{path}.flows[{i}].dst", "must differ from src", f.dst)
        self.wifi.check(f"{path}.wifi")
        self.channel.check(f"{path}.channel")

    def node_index(self, name: str) -> int:
        """Index of the node called ``name`` (its id on the wire)."""
        for i, n in enumerate(self.nodes):
            if n.name == name:
                return i
        raise KeyError(name)

    def flow_index(self, name: str) -> int:
        """Index of the flow called ``name`` (its id on the wire)."""
        for i, f in enumerate(self.flows):
            if f.name == name:
                return i
        raise KeyError(name)

    def to_ns3_json(self, seed: int) -> str:
        """The handshake's cell description for ``fabtwin-ns3`` (node and flow ids are indices)."""
        index = {n.name: i for i, n in enumerate(self.nodes)}
        w, c = self.wifi, self.channel
        doc = {
            "seed": seed,
            "wifi": {
                "band": w.band,
                "channel_number": w.channel_number,
                "channel_width_mhz": w.channel_width_mhz,
                "guard_interval_ns": w.guard_interval_ns,
                "rate_manager": w.rate_manager,
                "mcs": w.mcs,
                "tx_power_dbm": w.tx_power_dbm,
                "max_queue_packets": w.max_queue_packets,
                "msdu_lifetime_ms": w.msdu_lifetime_ms,
            },
            "channel": {
                "model": c.model,
                "exponent": c.exponent,
                "reference_distance_m": c.reference_distance_m,
                "reference_loss_db": c.reference_loss_db,
            },
            "nodes": [
                {"name": n.name, "role": n.role, "radio": n.radio, "position_m": list(n.position_m)}
                for n in self.nodes
            ],
            "flows": [
                {
                    "name": f.name,
                    "src": index[f.src],
                    "dst": index[f.dst],
                    "access_category": f.access_category,
                    "size_bytes": f.size_bytes,
                    "period_ns": round(f.period_s * 1e9) if f.period_s else 0,
                    "start_ns": round(f.start_s * 1e9),
                }
                for f in self.flows
            ],
        }
        return json.dumps(doc)


@dataclass(frozen=True)
class BridgeConfig:
    """How the twin talks to ns-3.

    Attributes:
        transport: ``ipc`` (Unix socket in a private directory) or ``tcp`` (127.0.0.1 only).
        timeout_s: Limit on every request, including building the cell.
    """

    transport: str = "ipc"
    timeout_s: float = 120.0

    def check(self, path: str) -> None:
        """Raises :class:`ConfigError` for an invalid value, naming ``path``."""
        _one_of(self.transport, ("ipc", "tcp"), f"{path}.transport")
        _require(self.timeout_s > 0, f"{path}.timeout_s", "must be > 0", self.timeout_s)


@dataclass(frozen=True)
class RunConfig:
    """One co-simulation run.

    Attributes:
        duration_s: Simulated time, > 0.
        step_s: Lockstep interval (twin and ns-3 meet every step), 10 us..1 s.
        seed: Root seed, >= 1: reaches Python's RNGs and ns-3 (``RngRun``).
        out_dir: Parent directory of results directories.
        drain_s: Extra simulated time at the end, without new packets, so that packets in
            flight can arrive; undelivered packets are then counted as lost.
    """

    duration_s: float = 2.0
    step_s: float = 0.001
    seed: int = 1
    out_dir: str = "results"
    drain_s: float = 0.05

    def check(self, path: str) -> None:
        """Raises :class:`ConfigError` for an invalid value, naming ``path``."""
        _require(self.duration_s > 0, f"{path}.duration_s", "must be > 0", self.duration_s)
        _require(1e-5 <= self.step_s <= 1.0, f"{path}.step_s", "must be in 1e-05..1 s", self.step_s)
        _require(1 <= self.seed <= 2**63 - 1, f"{path}.seed", "must be in 1..2**63-1", self.seed)
        _require(self.drain_s >= 0, f"{path}.drain_s", "must be >= 0", self.drain_s)


@dataclass(frozen=True)
class ExperimentConfig:
    """The whole configuration of ``fabtwin run``.

    Attributes:
        cell: The factory cell.
        run: Duration, step and seed.
        bridge: Transport and timeouts.
    """

    cell: CellConfig
    run: RunConfig = field(default_factory=RunConfig)
    bridge: BridgeConfig = field(default_factory=BridgeConfig)

    def __post_init__(self) -> None:
        self.run.check("run")
        self.bridge.check("bridge")

"""Typed, validated configuration of a co-simulation (defaults live here, in code).

Every value that can be wrong is checked in ``__post_init__`` and the error names the field and the
allowed range, before ns-3 is ever started. YAML files and ``--set`` overrides are turned into these
dataclasses in one place, :mod:`twin.configio`.
"""

from __future__ import annotations

import dataclasses
import importlib.util
import json
import math
from dataclasses import dataclass, field
from pathlib import Path

ACCESS_CATEGORIES = ("VO", "VI", "BE", "BK")
ROLES = ("ap", "sta")
RADIOS = ("wifi",)
BANDS = ("2.4GHz", "5GHz", "6GHz")
CHANNEL_WIDTHS_MHZ = (20, 40, 80, 160)
GUARD_INTERVALS_NS = (800, 1600, 3200)
RATE_MANAGERS = ("constant", "ideal")
CHANNEL_MODELS = ("log_distance", "inf")
INF_SUB_SCENARIOS = ("InF-SL", "InF-DL", "InF-SH", "InF-DH", "InF-HH")
INTERFERER_KINDS = ("duty_cycled", "narrowband", "bursty")
SYNC_TIMESTAMPS = ("software", "phy")
#: Largest packet the twin may inject: the 2304-byte MSDU less the 8-byte LLC/SNAP header.
MAX_PACKET_BYTES = 2296
#: Where packaged workcell layouts live (``workcell.config`` names one of them). Found without
#: importing ``robots`` (which would load every model and scipy just for a path).
_ROBOTS_SPEC = importlib.util.find_spec("robots")
WORKCELL_CONFIG_DIR = (
    Path(_ROBOTS_SPEC.origin).parent / "configs"
    if _ROBOTS_SPEC is not None and _ROBOTS_SPEC.origin
    else Path("robots/configs")
)


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
        if self.band == "2.4GHz":
            # HE allows 20 and 40 MHz at 2.4 GHz, but ns-3 3.44's SpectrumWifiPhy aborts on a
            # 40 MHz 2.4 GHz BSS ("ChannelWidth 22 unsupported", a DSSS-width frame), so: 20.
            _one_of(self.channel_width_mhz, (20,), f"{path}.channel_width_mhz (2.4GHz)")
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
    """Path loss between nodes (docs/wifi.md has the models' details and validation).

    Attributes:
        model: ``log_distance`` or ``inf`` (3GPP TR 38.901 indoor factory, clause 7.4).
        exponent: log_distance: path-loss exponent, 1..6.
        reference_distance_m: log_distance: reference distance, > 0.
        reference_loss_db: log_distance: loss at the reference distance (free space, 5.18 GHz).
        sub_scenario: inf: InF-SL, InF-DL, InF-SH, InF-DH or InF-HH (TR 38.901 Table 7.2-4).
        frequency_hz: inf: carrier frequency; 0 uses the Wi-Fi channel's centre.
        clutter_density: inf: r, the share of the floor covered by clutter, 0 < r < 1.
        clutter_height_m: inf: h_c, clutter height.
        clutter_size_m: inf: d_clutter, typical clutter size.
        shadowing: inf: log-normal shadow fading on or off.
        los_update_period_s: inf: how often a link's LOS state is redrawn (0: never).
    """

    model: str = "log_distance"
    exponent: float = 3.0
    reference_distance_m: float = 1.0
    reference_loss_db: float = 46.6777
    sub_scenario: str = "InF-DH"
    frequency_hz: float = 0.0
    clutter_density: float = 0.4
    clutter_height_m: float = 6.0
    clutter_size_m: float = 2.0
    shadowing: bool = True
    los_update_period_s: float = 0.0

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
        _one_of(self.sub_scenario, INF_SUB_SCENARIOS, f"{path}.sub_scenario")
        _require(
            self.frequency_hz == 0 or 0.5e9 <= self.frequency_hz <= 100e9,
            f"{path}.frequency_hz",
            "must be 0 (Wi-Fi centre) or in 0.5e9..100e9 (TR 38.901)",
            self.frequency_hz,
        )
        _require(
            0 < self.clutter_density < 1,
            f"{path}.clutter_density",
            "must be in (0, 1)",
            self.clutter_density,
        )
        _require(
            self.clutter_height_m > 0,
            f"{path}.clutter_height_m",
            "must be > 0",
            self.clutter_height_m,
        )
        _require(
            self.clutter_size_m > 0, f"{path}.clutter_size_m", "must be > 0", self.clutter_size_m
        )
        _require(
            self.los_update_period_s >= 0,
            f"{path}.los_update_period_s",
            "must be >= 0",
            self.los_update_period_s,
        )


@dataclass(frozen=True)
class InterfererConfig:
    """A non-Wi-Fi interferer: a spectrum signal source at a fixed position.

    Attributes:
        kind: ``duty_cycled`` (microwave-oven-like), ``narrowband`` (a tone) or ``bursty``
            (exponential on/off jammer).
        position_m: Position (x, y, z).
        power_dbm: Total transmit power, -30..40 dBm.
        center_frequency_hz: 0 uses the Wi-Fi channel's centre.
        bandwidth_hz: Occupied bandwidth, > 0.
        period_s: duty_cycled: cycle length.
        duty_cycle: duty_cycled: share of the cycle it is on, 0..1.
        on_mean_s: bursty: mean on time.
        off_mean_s: bursty: mean off time.
        start_s: When it starts (twin time).
    """

    kind: str
    position_m: tuple[float, float, float] = (0.0, 0.0, 1.0)
    power_dbm: float = 20.0
    center_frequency_hz: float = 0.0
    bandwidth_hz: float = 20e6
    period_s: float = 0.02
    duty_cycle: float = 0.5
    on_mean_s: float = 0.005
    off_mean_s: float = 0.015
    start_s: float = 0.0

    def check(self, path: str) -> None:
        """Raises :class:`ConfigError` for an invalid value, naming ``path``."""
        _one_of(self.kind, INTERFERER_KINDS, f"{path}.kind")
        _require(
            -30 <= self.power_dbm <= 40, f"{path}.power_dbm", "must be in -30..40", self.power_dbm
        )
        _require(self.bandwidth_hz > 0, f"{path}.bandwidth_hz", "must be > 0", self.bandwidth_hz)
        _require(self.period_s > 0, f"{path}.period_s", "must be > 0", self.period_s)
        _require(
            0 <= self.duty_cycle <= 1, f"{path}.duty_cycle", "must be in 0..1", self.duty_cycle
        )
        _require(self.on_mean_s > 0, f"{path}.on_mean_s", "must be > 0", self.on_mean_s)
        _require(self.off_mean_s > 0, f"{path}.off_mean_s", "must be > 0", self.off_mean_s)
        _require(self.start_s >= 0, f"{path}.start_s", "must be >= 0", self.start_s)


@dataclass(frozen=True)
class SyncConfig:
    """802.1AS time sync over the Wi-Fi links (docs/tsn.md, "In the cell").

    Attributes:
        enabled: Run gPTP. When False the clocks are still modelled but free-running, so the
            reported offsets show their drift.
        grandmaster: Name of the grandmaster node; empty means the AP.
        log_sync_interval: log2 of the Sync interval in seconds, -7..3 (-3 = 125 ms).
        timestamps: ``phy`` (PPDU start from the PHY monitor traces: nanosecond level) or
            ``software`` (at the send/receive calls: includes MAC queueing and channel access,
            up to about a millisecond in a busy BSS).
        ppm_max: Each clock's frequency offset is drawn uniformly in [-ppm_max, ppm_max], 0..1000
            (802.1AS-2020 Annex B.1.1: 100).
        granularity_ns: Timestamp granularity, 1..1000 ns (Annex B.1.2: at most 40).
    """

    enabled: bool = False
    grandmaster: str = ""
    log_sync_interval: int = -3
    timestamps: str = "phy"
    ppm_max: float = 100.0
    granularity_ns: int = 8

    def check(self, path: str) -> None:
        """Raises :class:`ConfigError` for an invalid value, naming ``path``."""
        _require(
            -7 <= self.log_sync_interval <= 3,
            f"{path}.log_sync_interval",
            "must be in -7..3 (7.8 ms .. 8 s)",
            self.log_sync_interval,
        )
        _one_of(self.timestamps, SYNC_TIMESTAMPS, f"{path}.timestamps")
        _require(0 <= self.ppm_max <= 1000, f"{path}.ppm_max", "must be in 0..1000", self.ppm_max)
        _require(
            1 <= self.granularity_ns <= 1000,
            f"{path}.granularity_ns",
            "must be in 1..1000",
            self.granularity_ns,
        )


@dataclass(frozen=True)
class TsnConfig:
    """TSN settings of the cell; its presence makes ns-3 model a clock on every node.

    Attributes:
        sync: 802.1AS time sync.
    """

    sync: SyncConfig = field(default_factory=SyncConfig)

    def check(self, path: str) -> None:
        """Raises :class:`ConfigError` for an invalid value, naming ``path``."""
        self.sync.check(f"{path}.sync")


@dataclass(frozen=True)
class CellConfig:
    """Everything ns-3 needs to build the cell (sent in the handshake).

    Attributes:
        nodes: The nodes, exactly one with role ``ap``.
        flows: The flows between them.
        wifi: The BSS settings.
        channel: The path-loss model.
        interferers: Non-Wi-Fi interferers.
        tsn: Clocks and time sync; None (the default) models no clocks and reports NaN offsets.
    """

    nodes: tuple[NodeConfig, ...]
    flows: tuple[FlowConfig, ...] = ()
    wifi: WifiConfig = field(default_factory=WifiConfig)
    channel: ChannelConfig = field(default_factory=ChannelConfig)
    interferers: tuple[InterfererConfig, ...] = ()
    tsn: TsnConfig | None = None

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
        for i, x in enumerate(self.interferers):
            x.check(f"{path}.interferers[{i}]")
        if self.tsn is not None:
            self.tsn.check(f"{path}.tsn")
            gm = self.tsn.sync.grandmaster
            if gm and gm not in seen:
                raise ConfigError(
                    f"{path}.tsn.sync.grandmaster: no node named {gm!r}; nodes are: "
                    f"{', '.join(n.name for n in self.nodes)}"
                )

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
            "channel": dataclasses.asdict(c),
            "interferers": [dataclasses.asdict(x) for x in self.interferers],
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
        if self.tsn is not None:
            doc["tsn"] = {"sync": dataclasses.asdict(self.tsn.sync)}
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
class WorkcellJobConfig:
    """The ``workcell`` section of an experiment.

    Attributes:
        config: A workcell YAML in ``robots/configs`` (by name, without ``.yaml``) or a path.
        n_parts: Raw parts to process; the run ends when all reach the outfeed (or at
            ``run.duration_s``).
        ap_device: The device at the AP (the edge controller, wired to it).
        n_best_effort: Extra stations sending best-effort uplink traffic on the same channel.
        best_effort_size_bytes: Frame size of that traffic.
        best_effort_period_s: Period of that traffic, per station.
        best_effort_access_category: Its access category (BE by default; VO makes it compete
            with the robots' traffic on equal terms).
        access_category: Access category of the workcell's own flows.
    """

    config: str = "nist_workcell"
    n_parts: int = 1
    ap_device: str = "edge"
    n_best_effort: int = 0
    best_effort_size_bytes: int = 1500
    best_effort_period_s: float = 0.002
    best_effort_access_category: str = "BE"
    access_category: str = "VO"

    def check(self, path: str) -> None:
        """Raises :class:`ConfigError` for an invalid value, naming ``path``."""
        if not 1 <= self.n_parts <= 10_000:
            raise ConfigError(f"{path}.n_parts: must be in 1..10000 (got {self.n_parts})")
        if not 0 <= self.n_best_effort <= 200:
            raise ConfigError(f"{path}.n_best_effort: must be in 0..200 (got {self.n_best_effort})")
        if not self.best_effort_period_s > 0:
            raise ConfigError(
                f"{path}.best_effort_period_s: must be > 0 (got {self.best_effort_period_s})"
            )
        for name in ("best_effort_access_category", "access_category"):
            value = getattr(self, name)
            if value not in ACCESS_CATEGORIES:
                raise ConfigError(
                    f"{path}.{name}: {value!r} is not allowed; allowed: "
                    + ", ".join(ACCESS_CATEGORIES)
                )
        self.config_path(path)

    def config_path(self, path: str = "workcell") -> Path:
        """The workcell YAML file this section names."""
        named = WORKCELL_CONFIG_DIR / f"{self.config}.yaml"
        if named.is_file():
            return named
        given = Path(self.config)
        if given.is_file():
            return given
        known = sorted(p.stem for p in WORKCELL_CONFIG_DIR.glob("*.yaml"))
        raise ConfigError(
            f"{path}.config: {self.config!r} is neither a packaged workcell ({', '.join(known)}) "
            "nor a YAML file"
        )


@dataclass(frozen=True)
class AgvJobConfig:
    """The ``agvs`` section of an experiment: AGVs on a grid floor plan, driven over the network.

    Attributes:
        n_agvs: AGVs (``agv1..agvN``), each a station that moves; the fleet manager is the AP.
        grid_nx: Waypoint columns of the grid floor plan.
        grid_ny: Waypoint rows.
        spacing_m: Aisle length between neighbouring waypoints.
        speed_limit_m_s: Speed limit the manager commands (None: the AGVs' top speed, 1.5 m/s).
        period_s: Control period (AGV and manager tick; commands go every 20 ms).
        access_category: Access category of the AGV flows.
        trajectory_period_s: Sampling period of ``trajectories.csv``.
    """

    n_agvs: int = 3
    grid_nx: int = 4
    grid_ny: int = 3
    spacing_m: float = 8.0
    speed_limit_m_s: float | None = None
    period_s: float = 0.01
    access_category: str = "VO"
    trajectory_period_s: float = 0.1

    def check(self, path: str) -> None:
        """Raises :class:`ConfigError` for an invalid value, naming ``path``."""
        _require(1 <= self.n_agvs <= 100, f"{path}.n_agvs", "must be in 1..100", self.n_agvs)
        for name in ("grid_nx", "grid_ny"):
            v = getattr(self, name)
            _require(1 <= v <= 50, f"{path}.{name}", "must be in 1..50", v)
        _require(
            self.grid_nx * self.grid_ny >= 2,
            f"{path}.grid_nx",
            "grid needs >= 2 nodes",
            self.grid_nx,
        )
        _require(self.spacing_m > 0, f"{path}.spacing_m", "must be > 0", self.spacing_m)
        if self.speed_limit_m_s is not None:
            _require(
                0 < self.speed_limit_m_s <= 1.5,
                f"{path}.speed_limit_m_s",
                "must be in (0, 1.5] m/s (the AGVs' top speed)",
                self.speed_limit_m_s,
            )
        _require(
            self.period_s in (0.001, 0.002, 0.004, 0.005, 0.01, 0.02),
            f"{path}.period_s",
            "must divide the 20 ms command period: 0.001, 0.002, 0.004, 0.005, 0.01 or 0.02",
            self.period_s,
        )
        _one_of(self.access_category, ACCESS_CATEGORIES, f"{path}.access_category")
        _require(
            self.trajectory_period_s >= self.period_s,
            f"{path}.trajectory_period_s",
            f"must be >= period_s ({self.period_s})",
            self.trajectory_period_s,
        )


@dataclass(frozen=True)
class ExperimentConfig:
    """The whole configuration of ``fabtwin run``.

    Attributes:
        cell: The factory cell (built from the workcell when there is one).
        run: Duration (the limit, with a workcell), step and seed.
        bridge: Transport and timeouts.
        workcell: The machine-tending workcell whose traffic the cell carries, if any.
        agvs: AGVs driven by a fleet manager whose traffic the cell carries, if any.
    """

    cell: CellConfig
    run: RunConfig = field(default_factory=RunConfig)
    bridge: BridgeConfig = field(default_factory=BridgeConfig)
    workcell: WorkcellJobConfig | None = None
    agvs: AgvJobConfig | None = None

    def __post_init__(self) -> None:
        self.run.check("run")
        self.bridge.check("bridge")
        if self.workcell is not None:
            self.workcell.check("workcell")
        if self.agvs is not None:
            self.agvs.check("agvs")
            if self.workcell is not None:
                raise ConfigError("agvs: give either a workcell or an agvs section, not both")

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

from twin.obss_config import ObssConfig
from twin.wired_config import WiredConfig

ACCESS_CATEGORIES = ("VO", "VI", "BE", "BK")
ROLES = ("ap", "sta", "gnb", "ue")
RADIOS = ("wifi", "nr", "both")
#: Networks of the workcell job (WorkcellJobConfig.network).
WORKCELL_NETWORKS = ("wifi", "hybrid", "wired")
NR_MCS_TABLES = ("qam64", "qam256", "qam64_lowse")
NR_UL_ACCESS = ("dynamic_grant", "configured_grant")
#: RBs at the NR carrier top that carry PUCCH; no configured grant may use them.
NR_PUCCH_RBS = 4
BANDS = ("2.4GHz", "5GHz", "6GHz")
CHANNEL_WIDTHS_MHZ = (20, 40, 80, 160)
GUARD_INTERVALS_NS = (800, 1600, 3200)
RATE_MANAGERS = ("constant", "ideal", "minstrel_ht", "thompson_sampling")
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
        role: ``ap`` (exactly one per cell), ``sta``, ``gnb`` (the NR base station) or ``ue``
            (an NR-only device).
        position_m: Initial position (x, y, z) in metres.
        radio: ``wifi`` (802.11ax), ``nr`` (5G NR; roles gnb and ue), ``both`` (the ap is also
            the gNB, a sta is also an NR UE) or ``wired`` (a sta on the cell's Ethernet TSN
            bridge; twin/wired_config.py). Empty: ``nr`` for gnb/ue, else ``wifi``.
    """

    name: str
    role: str = "sta"
    position_m: tuple[float, float, float] = (0.0, 0.0, 1.0)
    radio: str = ""

    @property
    def radio_kind(self) -> str:
        """The radio, with the default of the role filled in."""
        if self.radio:
            return self.radio
        return "nr" if self.role in ("gnb", "ue") else "wifi"

    @property
    def has_wifi(self) -> bool:
        """The node has an 802.11ax device."""
        return self.radio_kind in ("wifi", "both")

    @property
    def has_nr(self) -> bool:
        """The node has an NR device (gNB or UE)."""
        return self.radio_kind in ("nr", "both")

    @property
    def is_wired(self) -> bool:
        """The node is an Ethernet end station on the cell's bridge."""
        return self.radio_kind == "wired"

    def check(self, path: str) -> None:
        """Raises :class:`ConfigError` for an invalid value, naming ``path``."""
        _require(bool(self.name), f"{path}.name", "must be a non-empty string", self.name)
        _one_of(self.role, ROLES, f"{path}.role")
        if self.role in ("gnb", "ue"):
            _one_of(self.radio_kind, ("nr",), f"{path}.radio (role {self.role})")
        else:
            allowed = ("wifi", "both", "wired") if self.role == "sta" else ("wifi", "both")
            _one_of(self.radio_kind, allowed, f"{path}.radio (role {self.role})")
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
        radio: ``wifi``, ``nr`` (one end is the gNB, the other a UE) or ``both``: every packet
            is sent over Wi-Fi and NR and the receiver keeps the first copy (802.1CB-style
            duplicate elimination; docs/nr.md).
    """

    name: str
    src: str
    dst: str
    size_bytes: int = 100
    period_s: float | None = 0.01
    start_s: float = 0.0
    access_category: str = "VO"
    deadline_s: float = 0.01
    radio: str = "wifi"

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
        _one_of(self.radio, RADIOS, f"{path}.radio")


#: MU EDCA Timer unit: 8 TUs (IEEE 802.11ax-2021 9.4.2.251).
MU_EDCA_TIMER_UNIT_MS = 8.192


@dataclass(frozen=True)
class OfdmaConfig:
    """DL and UL OFDMA of the BSS (docs/wifi.md, "OFDMA with an external scheduler").

    The AP runs fabtwin's ``TwinMultiUserScheduler``: ns-3's round robin unless the twin gives a
    schedule (:meth:`twin.cosim.CoSimulation.schedule_mu`).

    Attributes:
        ul: Also trigger-based UL OFDMA (Basic Trigger Frames); False: DL MU PPDUs only.
        max_stations: Round robin: at most this many stations per MU PPDU, 1..74.
        ul_access_interval_us: The AP asks for the medium this often to send UL triggers even
            without downlink frames, 0..1000000 us (0: only when it has frames of its own).
        mu_edca_timer_ms: 0 (no MU EDCA: stations keep contending for their uplink) or k x 8.192
            ms, k in 1..255: after a station's data went out in a TB PPDU, its EDCA stays disabled
            this long (MU AIFSN 0) so its uplink waits for triggers. Started for every station at
            twin time 0.
        ul_psdu_size_bytes: PSDU size a Basic Trigger Frame asks of a station whose buffer
            status the AP does not know, 1..6500631.
    """

    ul: bool = True
    max_stations: int = 4
    ul_access_interval_us: int = 1000
    mu_edca_timer_ms: float = 0.0
    ul_psdu_size_bytes: int = 500

    def check(self, path: str) -> None:
        """Raises :class:`ConfigError` for an invalid value, naming ``path``."""
        _require(
            1 <= self.max_stations <= 74,
            f"{path}.max_stations",
            "must be in 1..74",
            self.max_stations,
        )
        _require(
            0 <= self.ul_access_interval_us <= 1_000_000,
            f"{path}.ul_access_interval_us",
            "must be in 0..1000000",
            self.ul_access_interval_us,
        )
        units = self.mu_edca_timer_ms / MU_EDCA_TIMER_UNIT_MS
        _require(
            self.mu_edca_timer_ms == 0 or (abs(units - round(units)) < 1e-6 and 1 <= units <= 255),
            f"{path}.mu_edca_timer_ms",
            "must be 0 or k x 8.192 ms with k in 1..255",
            self.mu_edca_timer_ms,
        )
        _require(
            1 <= self.ul_psdu_size_bytes <= 6_500_631,
            f"{path}.ul_psdu_size_bytes",
            "must be in 1..6500631",
            self.ul_psdu_size_bytes,
        )


@dataclass(frozen=True)
class WifiConfig:
    """The 802.11ax BSS.

    Attributes:
        band: ``2.4GHz``, ``5GHz`` or ``6GHz``.
        channel_number: Channel number; 0 picks the band's default for the width.
        channel_width_mhz: 20, 40, 80 or 160.
        guard_interval_ns: HE guard interval, 800, 1600 or 3200.
        rate_manager: ``constant`` (uses ``mcs``), ``ideal`` (SNR-driven, an oracle),
            ``minstrel_ht`` or ``thompson_sampling`` (learn from ACK outcomes, as real drivers).
        mcs: HE-MCS 0..11 for the constant manager.
        tx_power_dbm: Transmit power of every Wi-Fi node, -10..30 dBm.
        max_queue_packets: MAC queue size per access category.
        msdu_lifetime_ms: Time after which the MAC drops a queued MSDU.
        ofdma: DL/UL OFDMA; None (the default): SU PPDUs only.
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
    ofdma: OfdmaConfig | None = None

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
        if self.ofdma is not None:
            self.ofdma.check(f"{path}.ofdma")


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
class GateWindowConfig:
    """One window of a node's 802.1Qbv gate control list (docs/tsn.md, "802.1Qbv in the cell").

    Attributes:
        node: Node name.
        offset_ns: Start within the cycle.
        duration_ns: Length; offset + duration must lie within the cycle.
        gate_mask: Open gates, bit i = traffic class i (0..255); gaps close every gate.
    """

    node: str
    offset_ns: int
    duration_ns: int
    gate_mask: int = 0xFF

    def check(self, path: str) -> None:
        """Raises :class:`ConfigError` for an invalid value, naming ``path``."""
        _require(self.offset_ns >= 0, f"{path}.offset_ns", "must be >= 0", self.offset_ns)
        _require(self.duration_ns > 0, f"{path}.duration_ns", "must be > 0", self.duration_ns)
        _require(
            0 <= self.gate_mask <= 255, f"{path}.gate_mask", "must be in 0..255", self.gate_mask
        )


@dataclass(frozen=True)
class QbvConfig:
    """802.1Qbv time-aware shapers on every node's egress (docs/tsn.md, "802.1Qbv in the cell").

    Attributes:
        enabled: Install the shapers (needs ``sync.enabled``).
        cycle_ns: Cycle; 0 takes the streams' hypercycle (required without streams).
        base_time_ns: Twin time of a cycle start.
        sync_error_bound_ns: The configurator's bound on any node's clock offset.
        guard_band_ns: Extra all-gates-closed time before each window; -1 = the airtime of the
            longest unscheduled frame exchange.
        processing_delay_ns: The configurator's relay processing delay.
        windows: Explicit lists; they replace the computed list of the nodes they name.
    """

    enabled: bool = True
    cycle_ns: int = 0
    base_time_ns: int = 0
    sync_error_bound_ns: int = 2000
    guard_band_ns: int = -1
    processing_delay_ns: int = 5000
    windows: tuple[GateWindowConfig, ...] = ()

    def check(self, path: str) -> None:
        """Raises :class:`ConfigError` for an invalid value, naming ``path``."""
        _require(
            0 <= self.cycle_ns <= 1_000_000_000,
            f"{path}.cycle_ns",
            "must be in 0..1e9",
            self.cycle_ns,
        )
        for name in ("base_time_ns", "sync_error_bound_ns", "processing_delay_ns"):
            value = getattr(self, name)
            _require(value >= 0, f"{path}.{name}", "must be >= 0", value)
        _require(
            self.guard_band_ns >= -1,
            f"{path}.guard_band_ns",
            "must be >= 0 or -1 (automatic)",
            self.guard_band_ns,
        )
        for i, w in enumerate(self.windows):
            w.check(f"{path}.windows[{i}]")
            if self.cycle_ns:
                _require(
                    w.offset_ns + w.duration_ns <= self.cycle_ns,
                    f"{path}.windows[{i}].duration_ns",
                    f"offset_ns + duration_ns must be <= cycle_ns {self.cycle_ns}",
                    w.duration_ns,
                )


@dataclass(frozen=True)
class StreamConfig:
    """A scheduled stream (802.1Qcc requirements) over one of the cell's flows.

    The talker, listener and frame size are the flow's; the configurator computes the gate
    control lists of every node from all streams, or rejects the set naming stream and link.

    Attributes:
        flow: Flow name (to or from the AP).
        period_ns: Period; 0 = the flow's period.
        max_latency_ns: Maximum latency; 0 = the period.
        attempts: Transmissions budgeted per frame on Wi-Fi (1 + retries), 1..8.
    """

    flow: str
    period_ns: int = 0
    max_latency_ns: int = 0
    attempts: int = 1

    def check(self, path: str) -> None:
        """Raises :class:`ConfigError` for an invalid value, naming ``path``."""
        _require(self.period_ns >= 0, f"{path}.period_ns", "must be >= 0", self.period_ns)
        _require(
            self.max_latency_ns >= 0, f"{path}.max_latency_ns", "must be >= 0", self.max_latency_ns
        )
        _require(1 <= self.attempts <= 8, f"{path}.attempts", "must be in 1..8", self.attempts)


@dataclass(frozen=True)
class TsnConfig:
    """TSN settings of the cell; its presence makes ns-3 model a clock on every node.

    Attributes:
        sync: 802.1AS time sync.
        qbv: 802.1Qbv shapers; None installs none.
        streams: Scheduled streams (need ``qbv``).
    """

    sync: SyncConfig = field(default_factory=SyncConfig)
    qbv: QbvConfig | None = None
    streams: tuple[StreamConfig, ...] = ()

    def check(self, path: str) -> None:
        """Raises :class:`ConfigError` for an invalid value, naming ``path``."""
        self.sync.check(f"{path}.sync")
        if self.qbv is not None:
            self.qbv.check(f"{path}.qbv")
            _require(
                not self.qbv.enabled or self.sync.enabled,
                f"{path}.qbv.enabled",
                "needs sync.enabled (the gates run on synchronized clocks)",
                self.qbv.enabled,
            )
            _require(
                self.qbv.cycle_ns > 0 or bool(self.streams) or not self.qbv.enabled,
                f"{path}.qbv.cycle_ns",
                "must be > 0 when there are no streams",
                self.qbv.cycle_ns,
            )
        _require(
            not self.streams or (self.qbv is not None and self.qbv.enabled),
            f"{path}.streams",
            "need qbv (streams are scheduled by the shapers)",
            len(self.streams),
        )
        for i, st in enumerate(self.streams):
            st.check(f"{path}.streams[{i}]")

    def to_json(self, flows: tuple[FlowConfig, ...]) -> dict[str, object]:
        """The ``tsn`` section of the handshake (periods and latencies filled in from flows)."""
        doc: dict[str, object] = {"sync": dataclasses.asdict(self.sync)}
        if self.qbv is not None:
            doc["qbv"] = dataclasses.asdict(self.qbv)
        if self.streams:
            period = {f.name: round(f.period_s * 1e9) if f.period_s else 0 for f in flows}
            doc["streams"] = [
                {
                    "flow": s.flow,
                    "period_ns": s.period_ns or period[s.flow],
                    "max_latency_ns": s.max_latency_ns or s.period_ns or period[s.flow],
                    "attempts": s.attempts,
                }
                for s in self.streams
            ]
        return doc


@dataclass(frozen=True)
class ReportConfig:
    """Optional parts of every REPORT.

    Attributes:
        transmissions: Report every PPDU on the air (``TransmissionRecord``).
    """

    transmissions: bool = False

    def check(self, path: str) -> None:
        """Nothing to check (booleans)."""


def _in(value: float, lo: float, hi: float, field_path: str, why: str = "") -> None:
    _require(lo <= value <= hi, field_path, f"must be in {lo}..{hi}{why}", value)


@dataclass(frozen=True)
class NrSrConfig:
    """Scheduling-request PUCCH resource (TS 38.331 SchedulingRequestResourceConfig).

    Attributes:
        period_symbols: SR period in symbols, 1..8960.
        offset_symbols: SR symbol within the period, 0..period-1.
        grant_bytes: Bytes the gNB grants on an SR (no BSR yet), 8..10000.
    """

    period_symbols: int = 14
    offset_symbols: int = 13
    grant_bytes: int = 64

    def check(self, path: str) -> None:
        """Raises :class:`ConfigError` for an invalid value, naming ``path``."""
        _in(self.period_symbols, 1, 8960, f"{path}.period_symbols")
        _in(self.offset_symbols, 0, self.period_symbols - 1, f"{path}.offset_symbols")
        _in(self.grant_bytes, 8, 10000, f"{path}.grant_bytes")


@dataclass(frozen=True)
class NrCgConfig:
    """Configured grant Type 1 (TS 38.321 §5.8.2; TS 38.331 ConfiguredGrantConfig).

    Attributes:
        period_symbols: Periodicity in symbols, 2..8960.
        offset_slots: timeDomainOffset in slots, 0..5119.
        start_symbol: First symbol of the occasion in its slot, 0..13.
        bytes: TB capacity the UE fills, 8..10000 (must fit ``rbs_per_ue`` at ``mcs``).
        rbs_per_ue: RBs of each UE's resource; UE k uses RBs k*n .. k*n+n-1.
        mcs: MCS index of the resource, in the cell's ``mcs_table``.
    """

    period_symbols: int = 14
    offset_slots: int = 0
    start_symbol: int = 0
    bytes: int = 64
    rbs_per_ue: int = 20
    mcs: int = 20

    def check(self, path: str) -> None:
        """Raises :class:`ConfigError` for an invalid value, naming ``path``."""
        _in(self.period_symbols, 2, 8960, f"{path}.period_symbols")
        _in(self.offset_slots, 0, 5119, f"{path}.offset_slots")
        _in(self.start_symbol, 0, 13, f"{path}.start_symbol")
        _in(self.bytes, 8, 10000, f"{path}.bytes")
        _in(self.rbs_per_ue, 1, 271, f"{path}.rbs_per_ue")
        _in(self.mcs, 0, 28, f"{path}.mcs")


@dataclass(frozen=True)
class NrBlerConfig:
    """The BLER curves of the NR link abstraction (docs/nr.md).

    Attributes:
        implementation_gap_db: SNR gap to Shannon capacity at 10 % BLER, 0..10 dB.
        curve_sigma_db: Width of the waterfall, 0.01..5 dB.
    """

    implementation_gap_db: float = 2.0
    curve_sigma_db: float = 0.5

    def check(self, path: str) -> None:
        """Raises :class:`ConfigError` for an invalid value, naming ``path``."""
        _in(self.implementation_gap_db, 0.0, 10.0, f"{path}.implementation_gap_db")
        _in(self.curve_sigma_db, 0.01, 5.0, f"{path}.curve_sigma_db")


@dataclass(frozen=True)
class NrConfig:
    """The 5G NR cell: one gNB and its UEs on the cell's channel (docs/nr.md, "In the cell").

    Attributes:
        numerology: mu, 0..3 (subcarrier spacing 15 * 2**mu kHz, TS 38.211 §4.2).
        duplex: ``FDD`` or a TDD slot pattern of D, S, U (e.g. ``DDDSU``), repeated from slot 0.
        special_slot_symbols: An S slot's [DL, guard, UL] symbols, summing to 14.
        allocation_symbols: Scheduling unit: 14 (slot) or a 2, 4, 7-symbol mini-slot.
        coreset_symbols: PDCCH duration, 1..3 symbols.
        pucch_symbols: Short PUCCH duration, 1..2 symbols.
        carrier_frequency_hz: DL (TDD: the) carrier, 0.4e9..52.6e9.
        ul_carrier_frequency_hz: FDD UL carrier; 0 places it two carrier widths below.
        num_rbs: Carrier width in RBs (12 subcarriers each), 11..275; 51 at mu 1 is 20 MHz.
        control_rbs: PDCCH region, 4 RBs per UL grant, 4..num_rbs.
        gnb_tx_power_dbm: gNB transmit power over the carrier.
        ue_tx_power_dbm: UE transmit power on its allocation.
        gnb_noise_figure_db: gNB noise figure.
        ue_noise_figure_db: UE noise figure.
        mcs_table: ``qam64``, ``qam256`` or ``qam64_lowse`` (TS 38.214 Tables 5.1.3.1-1..3).
        target_bler: Link adaptation target of a first transmission, 1e-9..0.5.
        bler: The BLER curves.
        ue_capability: UE processing capability 1 or 2 (TS 38.214 §5.3; 2 not at mu 3).
        ul_access: ``dynamic_grant`` (SR, grant, PUSCH) or ``configured_grant`` (Type 1).
        sr: Scheduling request resource.
        cg: Configured grant resource.
        gnb_scheduling_symbols: gNB scheduling delay in symbols (not standardized).
        gnb_decoding_symbols: gNB PUSCH decoding delay in symbols (not standardized).
        harq_max_transmissions: HARQ transmissions of a TB before it is dropped, 1..16.
        core_delay_s: One-way core network (UPF) delay, 0..1 s.
        initial_sinr_db: SINR link adaptation assumes before a UE's first report.
        max_queue_packets: SDUs a UE (UL) or the gNB per UE (DL) may hold; more are dropped.
    """

    numerology: int = 1
    duplex: str = "DDDSU"
    special_slot_symbols: tuple[int, int, int] = (10, 2, 2)
    allocation_symbols: int = 14
    coreset_symbols: int = 1
    pucch_symbols: int = 1
    carrier_frequency_hz: float = 3.7e9
    ul_carrier_frequency_hz: float = 0.0
    num_rbs: int = 51
    control_rbs: int = 8
    gnb_tx_power_dbm: float = 30.0
    ue_tx_power_dbm: float = 23.0
    gnb_noise_figure_db: float = 5.0
    ue_noise_figure_db: float = 7.0
    mcs_table: str = "qam64"
    target_bler: float = 0.1
    bler: NrBlerConfig = field(default_factory=NrBlerConfig)
    ue_capability: int = 1
    ul_access: str = "dynamic_grant"
    sr: NrSrConfig = field(default_factory=NrSrConfig)
    cg: NrCgConfig = field(default_factory=NrCgConfig)
    gnb_scheduling_symbols: float = 4.0
    gnb_decoding_symbols: float = 4.0
    harq_max_transmissions: int = 4
    core_delay_s: float = 0.0
    initial_sinr_db: float = 10.0
    max_queue_packets: int = 500

    def check(self, path: str) -> None:
        """Raises :class:`ConfigError` for an invalid value, naming ``path``."""
        _in(self.numerology, 0, 3, f"{path}.numerology", " (TS 38.211 Table 4.2-1)")
        d = self.duplex
        _require(
            d == "FDD" or (0 < len(d) <= 80 and set(d) <= set("DSU") and bool(set(d) & set("SU"))),
            f"{path}.duplex",
            "must be FDD or a TDD pattern of 1..80 slots D, S, U with an S or U slot",
            d,
        )
        sp = self.special_slot_symbols
        _require(
            len(sp) == 3 and min(sp) >= 0 and sum(sp) == 14,
            f"{path}.special_slot_symbols",
            "must be [DL, guard, UL] symbols summing to 14",
            sp,
        )
        _one_of(self.allocation_symbols, (2, 4, 7, 14), f"{path}.allocation_symbols")
        _in(self.coreset_symbols, 1, 3, f"{path}.coreset_symbols")
        _in(self.pucch_symbols, 1, 2, f"{path}.pucch_symbols")
        _require(
            self.allocation_symbols == 14 or self.coreset_symbols < self.allocation_symbols,
            f"{path}.coreset_symbols",
            "must be shorter than a mini-slot (allocation_symbols)",
            self.coreset_symbols,
        )
        _in(self.carrier_frequency_hz, 0.4e9, 52.6e9, f"{path}.carrier_frequency_hz")
        if self.ul_carrier_frequency_hz != 0:
            _in(self.ul_carrier_frequency_hz, 0.4e9, 52.6e9, f"{path}.ul_carrier_frequency_hz")
        _in(self.num_rbs, 11, 275, f"{path}.num_rbs", " (TS 38.101-1 Table 5.3.2-1)")
        _in(self.control_rbs, 4, self.num_rbs, f"{path}.control_rbs")
        _in(self.gnb_tx_power_dbm, -10, 50, f"{path}.gnb_tx_power_dbm")
        _in(self.ue_tx_power_dbm, -10, 33, f"{path}.ue_tx_power_dbm")
        _in(self.gnb_noise_figure_db, 0, 20, f"{path}.gnb_noise_figure_db")
        _in(self.ue_noise_figure_db, 0, 20, f"{path}.ue_noise_figure_db")
        _one_of(self.mcs_table, NR_MCS_TABLES, f"{path}.mcs_table")
        _in(self.target_bler, 1e-9, 0.5, f"{path}.target_bler")
        self.bler.check(f"{path}.bler")
        _in(self.ue_capability, 1, 2, f"{path}.ue_capability")
        _require(
            not (self.ue_capability == 2 and self.numerology == 3),
            f"{path}.ue_capability",
            "2 is not defined for numerology 3 (TS 38.214 Table 5.3-2)",
            self.ue_capability,
        )
        _one_of(self.ul_access, NR_UL_ACCESS, f"{path}.ul_access")
        self.sr.check(f"{path}.sr")
        self.cg.check(f"{path}.cg")
        _in(self.cg.rbs_per_ue, 1, self.num_rbs - NR_PUCCH_RBS, f"{path}.cg.rbs_per_ue")
        _in(self.cg.mcs, 0, 27 if self.mcs_table == "qam256" else 28, f"{path}.cg.mcs")
        _in(self.gnb_scheduling_symbols, 0, 140, f"{path}.gnb_scheduling_symbols")
        _in(self.gnb_decoding_symbols, 0, 140, f"{path}.gnb_decoding_symbols")
        _in(self.harq_max_transmissions, 1, 16, f"{path}.harq_max_transmissions")
        _in(self.core_delay_s, 0.0, 1.0, f"{path}.core_delay_s")
        _in(self.initial_sinr_db, -20, 50, f"{path}.initial_sinr_db")
        _in(self.max_queue_packets, 1, 100_000, f"{path}.max_queue_packets")

    def to_json(self) -> dict[str, object]:
        """The handshake's ``nr`` section."""
        doc = dataclasses.asdict(self)
        doc["special_slot_symbols"] = list(self.special_slot_symbols)
        return doc


@dataclass(frozen=True)
class CellConfig:
    """Everything ns-3 needs to build the cell (sent in the handshake).

    Attributes:
        nodes: The nodes, exactly one with role ``ap``.
        flows: The flows between them.
        wifi: The BSS settings.
        channel: The path-loss model.
        interferers: Non-Wi-Fi interferers.
        obss: Overlapping BSSs (foreign APs and stations; twin/obss_config.py).
        tsn: Clocks and time sync; None (the default) models no clocks and reports NaN offsets.
        report: Optional parts of each REPORT.
        nr: The 5G NR cell, used when a node has an NR radio (docs/nr.md).
        wired: The Ethernet TSN bridge segment (twin/wired_config.py); None: the defaults when
            a node has radio ``wired``, else no bridge.
    """

    nodes: tuple[NodeConfig, ...]
    flows: tuple[FlowConfig, ...] = ()
    wifi: WifiConfig = field(default_factory=WifiConfig)
    channel: ChannelConfig = field(default_factory=ChannelConfig)
    interferers: tuple[InterfererConfig, ...] = ()
    tsn: TsnConfig | None = None
    report: ReportConfig = field(default_factory=ReportConfig)
    obss: tuple[ObssConfig, ...] = ()
    nr: NrConfig = field(default_factory=NrConfig)
    wired: WiredConfig | None = None

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
        self._check_nr(path)
        self.wifi.check(f"{path}.wifi")
        self.channel.check(f"{path}.channel")
        for i, x in enumerate(self.interferers):
            x.check(f"{path}.interferers[{i}]")
        for i, o in enumerate(self.obss):
            o.check(f"{path}.obss[{i}]")
        if self.tsn is not None:
            self.tsn.check(f"{path}.tsn")
            gm = self.tsn.sync.grandmaster
            if gm and gm not in seen:
                raise ConfigError(
                    f"{path}.tsn.sync.grandmaster: no node named {gm!r}; nodes are: "
                    f"{', '.join(n.name for n in self.nodes)}"
                )
            self._check_tsn_names(f"{path}.tsn", self.tsn, seen, flow_names)
        if self.wired is not None:
            self.wired.check(f"{path}.wired")
            self._check_wired_streams(f"{path}.wired.qbv.streams", self.wired)

    def _check_wired_streams(self, path: str, wired: WiredConfig) -> None:
        """A wired stream's flow exists, starts wired or at the AP, and crosses the bridge."""
        nodes = {n.name: n for n in self.nodes}
        for i, st in enumerate(wired.qbv.streams):
            names = [f.name for f in self.flows]
            if st.flow not in names:
                raise ConfigError(
                    f"{path}[{i}].flow: no flow named {st.flow!r}; flows are: {', '.join(names)}"
                )
            flow = self.flows[self.flow_index(st.flow)]
            src, dst = nodes[flow.src], nodes[flow.dst]
            _require(
                src.is_wired or (src.role == "ap" and dst.is_wired),
                f"{path}[{i}].flow",
                "the talker must be wired, or the AP with a wired listener",
                st.flow,
            )
            _require(
                st.period_ns > 0 or flow.period_s is not None,
                f"{path}[{i}].period_ns",
                "must be > 0 for a flow without period_s",
                st.period_ns,
            )

    def _check_tsn_names(self, path: str, tsn: TsnConfig, nodes: set[str], flows: set[str]) -> None:
        """Stream flows and window nodes must exist; a stream needs a period."""
        for i, st in enumerate(tsn.streams):
            if st.flow not in flows:
                raise ConfigError(
                    f"{path}.streams[{i}].flow: no flow named {st.flow!r}; flows are: "
                    f"{', '.join(sorted(flows))}"
                )
            flow = self.flows[self.flow_index(st.flow)]
            _require(
                st.period_ns > 0 or flow.period_s is not None,
                f"{path}.streams[{i}].period_ns",
                "must be > 0 for a flow without period_s",
                st.period_ns,
            )
        for i, w in enumerate(tsn.qbv.windows if tsn.qbv else ()):
            if w.node not in nodes:
                raise ConfigError(
                    f"{path}.qbv.windows[{i}].node: no node named {w.node!r}; nodes are: "
                    f"{', '.join(n.name for n in self.nodes)}"
                )

    @property
    def has_nr(self) -> bool:
        """Some node has an NR radio (the cell builds an NR gNB and UEs)."""
        return any(n.has_nr for n in self.nodes)

    def _check_nr(self, path: str) -> None:
        """Checks the NR roles, the flows' radios and the nr section against each other."""
        nodes = {n.name: n for n in self.nodes}
        gnbs = [n.name for n in self.nodes if n.has_nr and n.role in ("ap", "gnb")]
        ues = [n.name for n in self.nodes if n.has_nr and n.role in ("sta", "ue")]
        if self.has_nr:
            _require(
                len(gnbs) == 1,
                f"{path}.nodes",
                "NR needs exactly one gNB (role gnb, or the ap with radio both)",
                gnbs,
            )
            self.nr.check(f"{path}.nr")
            if self.nr.ul_access == "configured_grant":
                _require(
                    len(ues) * self.nr.cg.rbs_per_ue <= self.nr.num_rbs - NR_PUCCH_RBS,
                    f"{path}.nr.cg.rbs_per_ue",
                    f"{len(ues)} UEs x rbs_per_ue must fit the "
                    f"{self.nr.num_rbs - NR_PUCCH_RBS} RBs below the PUCCH region",
                    self.nr.cg.rbs_per_ue,
                )
        for i, f in enumerate(self.flows):
            src, dst = nodes[f.src], nodes[f.dst]
            where = f"{path}.flows[{i}].radio"
            if f.radio == "wifi":
                _require(
                    (src.has_wifi or src.is_wired) and (dst.has_wifi or dst.is_wired),
                    where,
                    f"{f.radio} needs a Wi-Fi radio or a wired port at both ends "
                    f"({f.src}, {f.dst})",
                    f.radio,
                )
            if f.radio == "both":
                _require(
                    src.has_wifi and dst.has_wifi,
                    where,
                    f"{f.radio} needs a Wi-Fi radio at both ends ({f.src}, {f.dst})",
                    f.radio,
                )
            if f.radio != "wifi":
                _require(
                    src.has_nr and dst.has_nr and (f.src in gnbs or f.dst in gnbs),
                    where,
                    f"{f.radio} needs an NR radio at both ends and the gNB at one of them",
                    f.radio,
                )
        if self.tsn is not None:
            # gPTP runs over Wi-Fi and over the wired segment's Ethernet links (docs/tsn.md).
            wireless = [n.name for n in self.nodes if not (n.has_wifi or n.is_wired)]
            _require(
                not wireless,
                f"{path}.tsn",
                "clocks and gPTP run over Wi-Fi and Ethernet; these nodes have no Wi-Fi radio "
                "and no wired port",
                wireless,
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
                "ofdma": dataclasses.asdict(w.ofdma) if w.ofdma is not None else None,
            },
            "channel": dataclasses.asdict(c),
            "interferers": [dataclasses.asdict(x) for x in self.interferers],
            "obss": [dataclasses.asdict(o) for o in self.obss],
            "nodes": [
                {
                    "name": n.name,
                    "role": n.role,
                    "radio": n.radio_kind,
                    "position_m": list(n.position_m),
                }
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
                    **({"radio": f.radio} if f.radio != "wifi" else {}),
                }
                for f in self.flows
            ],
        }
        if self.tsn is not None:
            doc["tsn"] = self.tsn.to_json(self.flows)
        if self.report.transmissions:
            doc["report"] = {"transmissions": True}
        if self.has_nr:
            doc["nr"] = self.nr.to_json()
        if self.wired is not None or any(n.is_wired for n in self.nodes):
            periods = {f.name: round(f.period_s * 1e9) if f.period_s else 0 for f in self.flows}
            doc["wired"] = (self.wired or WiredConfig()).to_json(periods)
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
        network: ``wifi`` (every device but the AP's on Wi-Fi), ``hybrid`` (``wired_devices``
            on the Ethernet TSN bridge behind the AP, the rest on Wi-Fi) or ``wired`` (every
            device, best-effort stations included, on the bridge: the wired baseline).
        wired_devices: The devices wired in ``hybrid``; empty: the workcell's PLC.
    """

    config: str = "nist_workcell"
    n_parts: int = 1
    ap_device: str = "edge"
    n_best_effort: int = 0
    best_effort_size_bytes: int = 1500
    best_effort_period_s: float = 0.002
    best_effort_access_category: str = "BE"
    access_category: str = "VO"
    network: str = "wifi"
    wired_devices: tuple[str, ...] = ()

    def check(self, path: str) -> None:
        """Raises :class:`ConfigError` for an invalid value, naming ``path``."""
        _one_of(self.network, WORKCELL_NETWORKS, f"{path}.network")
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

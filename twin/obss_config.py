"""Configuration of an overlapping BSS (OBSS): a foreign AP and its stations sharing the air.

An OBSS is interference the cell cannot schedule: its frames defer to the cell's (and the cell's to
its) through CSMA/CA when it is co-channel, or leak into the cell's channel through the transmit
spectrum mask when it is on an adjacent channel. Its traffic is not reported to the twin as flows;
it shows up in the cell's latency, loss, SINR and busy fraction (docs/wifi.md, "Overlapping BSSs").
"""

from __future__ import annotations

import math
from dataclasses import dataclass

OBSS_LOADS = ("saturated", "periodic", "poisson")
OBSS_DIRECTIONS = ("up", "down", "both")
OBSS_ACCESS_CATEGORIES = ("VO", "VI", "BE", "BK")
#: Largest OBSS packet: the 2304-byte MSDU less the 8-byte LLC/SNAP header.
OBSS_MAX_PACKET_BYTES = 2296


def _require(ok: bool, field_path: str, rule: str, value: object) -> None:
    if not ok:
        # Imported here: twin.config imports this module.
        from twin.config import ConfigError

        raise ConfigError(f"{field_path}: {rule} (got {value!r})")


@dataclass(frozen=True)
class ObssConfig:
    """A foreign 802.11ax BSS placed in the hall: an AP and ``stations`` stations around it.

    Attributes:
        ap_position_m: Position (x, y, z) of the OBSS AP in metres.
        stations: Number of OBSS stations, 1..64, evenly spaced on a circle around the AP.
        station_radius_m: Radius of that circle, > 0 m.
        station_height_m: Height of the OBSS stations, m.
        tx_power_dbm: Transmit power of every OBSS node, -10..30 dBm.
        channel_number: 0: the cell's channel (co-channel); otherwise a channel number of the cell's
            band and width, e.g. 40 next to the cell's 36 (adjacent 20 MHz channel).
        mcs: HE-MCS 0..11 of the OBSS (constant rate).
        load: ``saturated`` (every queue always full), ``periodic`` (one ``size_bytes`` packet
            every ``period_s`` per stream) or ``poisson`` (exponential gaps, ``rate_pps`` packets/s
            per stream).
        direction: ``up`` (stations to AP), ``down`` (AP to each station) or ``both``; each
            station-direction pair is one stream with the load above.
        size_bytes: Packet size, 1..2296.
        period_s: periodic: gap between packets, > 0.
        rate_pps: poisson: mean packets per second, > 0.
        access_category: EDCA access category of the OBSS traffic: VO, VI, BE or BK.
        start_s: Twin time at which its traffic starts (the OBSS associates during the warm-up).
    """

    ap_position_m: tuple[float, float, float] = (20.0, 0.0, 3.0)
    stations: int = 2
    station_radius_m: float = 3.0
    station_height_m: float = 1.0
    tx_power_dbm: float = 20.0
    channel_number: int = 0
    mcs: int = 7
    load: str = "saturated"
    direction: str = "both"
    size_bytes: int = 1500
    period_s: float = 0.01
    rate_pps: float = 100.0
    access_category: str = "BE"
    start_s: float = 0.0

    def check(self, path: str) -> None:
        """Raises :class:`twin.config.ConfigError` for an invalid value, naming ``path``."""
        _require(
            len(self.ap_position_m) == 3 and all(math.isfinite(v) for v in self.ap_position_m),
            f"{path}.ap_position_m",
            "must be three finite numbers [x, y, z]",
            self.ap_position_m,
        )
        _require(1 <= self.stations <= 64, f"{path}.stations", "must be in 1..64", self.stations)
        _require(
            self.station_radius_m > 0,
            f"{path}.station_radius_m",
            "must be > 0",
            self.station_radius_m,
        )
        _require(
            math.isfinite(self.station_height_m),
            f"{path}.station_height_m",
            "must be finite",
            self.station_height_m,
        )
        _require(
            -10 <= self.tx_power_dbm <= 30,
            f"{path}.tx_power_dbm",
            "must be in -10..30",
            self.tx_power_dbm,
        )
        _require(
            0 <= self.channel_number <= 233,
            f"{path}.channel_number",
            "must be 0 (the cell's channel) or a channel number in 1..233",
            self.channel_number,
        )
        _require(0 <= self.mcs <= 11, f"{path}.mcs", "must be in 0..11 (HE-MCS)", self.mcs)
        _require(
            self.load in OBSS_LOADS,
            f"{path}.load",
            f"allowed: {', '.join(OBSS_LOADS)}",
            self.load,
        )
        _require(
            self.direction in OBSS_DIRECTIONS,
            f"{path}.direction",
            f"allowed: {', '.join(OBSS_DIRECTIONS)}",
            self.direction,
        )
        _require(
            1 <= self.size_bytes <= OBSS_MAX_PACKET_BYTES,
            f"{path}.size_bytes",
            f"must be in 1..{OBSS_MAX_PACKET_BYTES}",
            self.size_bytes,
        )
        _require(self.period_s > 0, f"{path}.period_s", "must be > 0", self.period_s)
        _require(self.rate_pps > 0, f"{path}.rate_pps", "must be > 0", self.rate_pps)
        _require(
            self.access_category in OBSS_ACCESS_CATEGORIES,
            f"{path}.access_category",
            f"allowed: {', '.join(OBSS_ACCESS_CATEGORIES)}",
            self.access_category,
        )
        _require(self.start_s >= 0, f"{path}.start_s", "must be >= 0", self.start_s)

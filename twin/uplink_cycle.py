"""A control cycle's uplink as back-to-back trigger-based OFDMA PPDUs scheduled by the twin.

Eisen et al. (IEEE IoT-J 2019) pack each cycle's sensor updates into multi-user PPDUs that must all
end within ``tau_max`` of the sampling instant. Over ns-3's 802.11ax (docs/wifi.md, "OFDMA with an
external scheduler") one such PPDU is a whole frame exchange: the AP wins the medium (AC_VO, AIFS
and backoff), sends a Basic Trigger Frame, the solicited stations answer SIFS later in one HE TB
PPDU, each on its RU, and the AP acknowledges them with a Multi-STA BlockAck (IEEE 802.11ax-2021
26.5.2). :class:`UplinkCycle` runs a cycle as ``slots`` such exchanges: at the start of slot ``j``
it hands ns-3 the UL schedule of slot ``j``'s stations (:meth:`twin.cosim.CoSimulation.schedule_mu`)
and advances to the slot's end; after the last slot a downlink-only schedule (no downlink traffic)
keeps the AP from triggering until the next cycle. Stations' EDCA is off (MU EDCA, 26.2.7), so an
uplink sample waits for its trigger.

The slot length is the exchange's duration plus the AP's channel access, measured on this stack
(:data:`SLOT_NS`), and the number of slots within ``tau_max`` follows from it.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from twin.bridge.messages import Report
from twin.config import OfdmaConfig
from twin.cosim import CoSimulation
from twin.envs.selection import RU_COUNT, ru_tones

#: MU EDCA timer: 255 x 8.192 ms, the largest (IEEE 802.11ax-2021 9.4.2.251); sensors' uplink
#: waits for triggers for that long after each TB PPDU.
MU_EDCA_TIMER_MS = 255 * 8.192
#: The same in ns: a sensor left without a TB PPDU this long contends with EDCA again (26.2.7).
MU_EDCA_TIMER_NS = round(MU_EDCA_TIMER_MS * 1e6)


def sensor_ofdma(access_interval_us: int = 50) -> OfdmaConfig:
    """The OFDMA settings of a cell whose sensors send only when triggered.

    The AP asks for the medium every ``access_interval_us`` (ns-3's ``AccessReqInterval``; the
    timer restarts at every access), so a new schedule is triggered within about that plus AIFS
    and backoff (measured: 2-110 us after the slot start at 50 us). A Basic Trigger Frame asks
    150 bytes of a station whose buffer it does not know: one 100-byte update is a 142-byte
    A-MPDU subframe (4 delimiter + 26 QoS header + 8 LLC/SNAP + 100 + 4 FCS). Asking only 100
    bytes, the update does not fit, the station answers with a QoS Null and its update rides in
    the next cycle's TB PPDU instead (seen while building this).
    """
    return OfdmaConfig(
        ul=True,
        max_stations=9,
        ul_access_interval_us=access_interval_us,
        mu_edca_timer_ms=MU_EDCA_TIMER_MS,
        ul_psdu_size_bytes=150,
    )


@dataclass(frozen=True)
class UplinkPlan:
    """How a cycle's uplink is cut into trigger-based PPDU slots.

    Attributes:
        tau_max_ns: Every update must be received this long after the sampling instant.
        slot_ns: Time given to one trigger exchange (channel access included).
        slots: Slots per cycle whose updates arrive within ``tau_max_ns``.
        width_mhz: Channel width; one slot holds at most its count of 26-tone RUs.
        arm_ns: How long a slot's UL schedule stays in force before the quiet schedule: long
            enough for the AP to win the medium and build the Trigger Frame, shorter than an
            exchange (so it is not triggered twice).
    """

    tau_max_ns: int
    slot_ns: int
    slots: int
    width_mhz: int = 20
    arm_ns: int = 150_000

    def __post_init__(self) -> None:
        if self.slot_ns <= 0:
            raise ValueError(f"slot_ns: must be > 0 (got {self.slot_ns})")
        if self.tau_max_ns <= 0:
            raise ValueError(f"tau_max_ns: must be > 0 (got {self.tau_max_ns})")
        if self.slots < 0:
            raise ValueError(f"slots: must be >= 0 (got {self.slots})")
        if not 0 < self.arm_ns < self.slot_ns:
            raise ValueError(f"arm_ns: must be in (0, slot_ns={self.slot_ns}) (got {self.arm_ns})")

    @property
    def per_slot(self) -> int:
        """Stations per TB PPDU: the channel's 26-tone RUs (9 in 20 MHz, 27.3.2.2)."""
        return RU_COUNT[self.width_mhz][26]

    @property
    def capacity(self) -> int:
        """Stations whose update fits within ``tau_max`` in one cycle."""
        return self.slots * self.per_slot

    def groups(self, devices: np.ndarray) -> list[np.ndarray]:
        """``devices`` (in order, at most :attr:`capacity`) cut into slots, fullest first."""
        devices = np.asarray(devices, dtype=np.int64)[: self.capacity]
        return [devices[j : j + self.per_slot] for j in range(0, len(devices), self.per_slot)]


class UplinkCycle:
    """Runs cycles of scheduled UL OFDMA slots on a co-simulation.

    Args:
        sim: A reset co-simulation whose cell has ``wifi.ofdma`` with ``ul: true``.
        stations: Node name of each device's sensor.
        flows: Flow index of each device's uplink flow.
        plan: The slot plan.
        size_bytes: Size of an update.
        last_rx_ns: Time of each device's latest delivered update, carried over from an
            earlier :class:`UplinkCycle` on the same co-simulation (default: now, as if every
            device had just been served, which a fresh cell's warm-up cycle does).
    """

    def __init__(
        self,
        sim: CoSimulation,
        stations: Sequence[str],
        flows: Sequence[int],
        plan: UplinkPlan,
        size_bytes: int = 100,
        last_rx_ns: np.ndarray | None = None,
    ) -> None:
        if len(stations) != len(flows):
            raise ValueError("stations and flows: one of each per device")
        self.sim = sim
        self.stations = list(stations)
        self.flows = np.asarray(flows, dtype=np.uint32)
        self.plan = plan
        self.size_bytes = size_bytes
        self.device_of_flow = np.full(len(sim.cell.flows), -1, dtype=np.int64)
        self.device_of_flow[self.flows] = np.arange(len(self.flows))
        self.slots_used = 0
        self.pending = np.zeros(len(self.flows), dtype=bool)
        #: Receive SINR in dB of each device's latest update (NaN: none yet).
        self.sinr_db = np.full(len(self.flows), np.nan)
        n = len(self.flows)
        if last_rx_ns is not None and np.shape(last_rx_ns) != (n,):
            raise ValueError(f"last_rx_ns: one time per device ({n}), got {np.shape(last_rx_ns)}")
        #: Time of each device's latest delivered update (ns, ns-3 clock of the twin).
        self.last_rx_ns = (
            np.full(n, sim.now_ns, np.int64)
            if last_rx_ns is None
            else np.asarray(last_rx_ns, np.int64).copy()
        )
        #: Longest time between two delivered updates of each device seen by this object.
        self.longest_gap_ns = np.zeros(n, np.int64)

    def run(self, devices: np.ndarray, end_ns: int) -> np.ndarray:
        """One cycle from now: the updates of ``devices`` (slot order), then idle to ``end_ns``.

        Devices past the plan's capacity are not sent (their update could not meet ``tau_max``).
        A sensor holds one update at most: if its previous one is still queued (it missed its
        trigger), that packet now carries the fresh sample and no second one is queued. (Queued
        behind a stale update, every later update would ride one cycle late, since a slot's TB
        PPDU holds one update; an MSDU lifetime below the period would drop it instead, but it
        also stalls the association warm-up of the cell.)

        Returns:
            Latency in ns from the cycle start of each device's update received in this cycle
            (``-1``: none), ``(n_devices,)``.
        """
        t0 = self.sim.now_ns
        lat = np.full(len(self.flows), -1, dtype=np.int64)
        groups = self.plan.groups(devices)
        chosen = np.concatenate(groups) if groups else np.zeros(0, np.int64)
        fresh = chosen[~self.pending[chosen]]
        if len(fresh):
            self.sim.send_many(
                self.flows[fresh],
                np.full(len(fresh), self.size_bytes, np.uint32),
                np.full(len(fresh), t0, np.int64),
            )
        self.pending[chosen] = True
        for j, group in enumerate(groups):
            tones = ru_tones(len(group), self.plan.width_mhz)
            self.sim.schedule_mu(ul={self.stations[i]: tones for i in group.tolist()})
            start = t0 + j * self.plan.slot_ns
            self._collect(self.sim.step_ns(start + self.plan.arm_ns).report, t0, lat)
            self._quiet()
            self._collect(self.sim.step_ns(start + self.plan.slot_ns).report, t0, lat)
        self.slots_used += len(groups)
        if end_ns > self.sim.now_ns:
            self._collect(self.sim.step_ns(end_ns).report, t0, lat)
        mine = np.zeros(len(self.flows), dtype=bool)
        mine[chosen] = True
        lat[~mine] = -1
        return lat

    def longest_silence_ns(self) -> int:
        """Longest time any device went without a delivered update, counting until now.

        A sensor silent for longer than :data:`MU_EDCA_TIMER_NS` has its EDCA back on and
        contends for the medium when it next has an update, colliding with the AP's triggers
        (measured: a control-aware run after a fixed-PDR run that had starved 9 of 18 sensors
        for 10 s lost whole slots for about 0.5 s; 93.5 % of its updates arrived in time).
        """
        silent_now = self.sim.now_ns - self.last_rx_ns
        return int(max(self.longest_gap_ns.max(initial=0), silent_now.max(initial=0)))

    def _quiet(self) -> None:
        # A downlink-only schedule and no downlink traffic: the AP triggers nobody.
        self.sim.schedule_mu(dl={self.stations[0]: 242})

    def _collect(self, report: Report, t0: int, lat: np.ndarray) -> None:
        d = report.deliveries
        dev = self.device_of_flow[d["flow"]]
        mine = dev >= 0
        dev = dev[mine]
        rx = d["rx_time_ns"][mine].astype(np.int64)
        lat[dev] = rx - t0
        np.maximum.at(self.longest_gap_ns, dev, rx - self.last_rx_ns[dev])
        np.maximum.at(self.last_rx_ns, dev, rx)
        self.sinr_db[dev] = d["sinr_db"][mine]
        self.pending[dev] = False
        gone = self.device_of_flow[report.drops["flow"]]
        self.pending[gone[gone >= 0]] = False

"""``fabtwin/Workcell-v0``: which stations of the machine-tending workcell's BSS get the air.

The workcell of ``robots.workcell`` (PLC, edge arm controller at the AP, two arms, four machining
stations) runs over 802.11ax (``twin.model_link``), next to ``n_best_effort`` stations that load
the same channel with best-effort uplink traffic. Every decision interval the agent scores the
schedulable devices (every station: PLC, arms, machining stations, best-effort stations); the
devices with positive scores, at most ``max_devices`` of them (``twin.envs.selection``), get the
air during the interval: their uplink messages and the edge controller's downlink messages to
them are sent, those of the other devices are not (application-level scheduling; the robots'
change-of-state + heartbeat and hold semantics absorb short gaps, and an arm without setpoints
for longer than its survival time makes a safety stop).

Observation: ``Box(-1, 1, (n_devices * 6 + 3,))`` float32: per device the features of
``twin.envs.device_stats.DEVICE_FEATURES`` (urgency = age times the decision interval over the
arms' survival time for robot devices, 0 for best-effort stations, clipped to 1), then the share
of parts done, the share of the horizon elapsed and the share of arms safety-stopped.

Reward terms (weighted by ``reward_weights``): ``idle`` (arm idle time in the interval over
``n_arms * interval``), ``deadline_miss`` (workcell messages of the interval that were withheld,
dropped or later than their flow's deadline, over those created), ``safety_stops`` (new watchdog
stops) and ``best_effort`` (share of the offered best-effort packets delivered). Terminated when
every part is at the outfeed; truncated at ``horizon_s``.

Version history: v0 (this) - first version.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field, replace
from typing import Any

import numpy as np
from gymnasium import spaces

from robots.arm_fleet import ServoConfig
from robots.messages import Message
from robots.workcell import Workcell, WorkcellConfig, load_workcell_config
from twin.config import (
    ACCESS_CATEGORIES,
    BridgeConfig,
    ChannelConfig,
    ConfigError,
    InterfererConfig,
    WifiConfig,
    WorkcellJobConfig,
)
from twin.cosim import NS_PER_S
from twin.envs.base import CoSimEnv, SchedulerView, check_common
from twin.envs.composite_model import BestEffortSources, CompositeModel
from twin.envs.device_stats import DEVICE_FEATURES, DeviceStats
from twin.envs.selection import select_top_k
from twin.model_link import ModelLink, cell_for_model

REWARD_TERMS = ("idle", "deadline_miss", "safety_stops", "best_effort")
AP_DEVICE = "edge"


def fast_workcell() -> WorkcellConfig:
    """The default layout made fast for learning.

    10 ms control period, fast arms, 0.2 s machining, 50 ms heartbeats, 40 ms survival time (one
    part takes 4.56 s on an ideal network).
    """
    cfg = load_workcell_config()
    link = replace(
        cfg.arm_link,
        period_s=0.01,
        max_joint_speed_rad_s=(6.0,) * 6,
        max_joint_accel_rad_s2=(30.0,) * 6,
        servo=ServoConfig(
            natural_frequency_rad_s=40.0,
            max_servo_accel_rad_s2=80.0,
            survival_time_s=0.04,
            max_age_s=0.04,
            resume_updates=3,
        ),
    )
    stations = tuple(replace(s, cycle_time_s=0.2) for s in cfg.stations)
    return replace(
        cfg,
        arm_link=link,
        stations=stations,
        grip_time_s=0.05,
        release_time_s=0.05,
        io_heartbeat_period_s=0.05,
    )


@dataclass(frozen=True)
class WorkcellEnvConfig:
    """Options of ``fabtwin/Workcell-v0`` (``gymnasium.make`` keyword arguments).

    Attributes:
        workcell: ``fast`` (:func:`fast_workcell`) or a workcell YAML in ``robots/configs`` by
            name (``nist_workcell``: 4 ms period, slower) or path.
        n_parts: Parts to process, 1..1000.
        n_best_effort: Best-effort stations, 0..50. Changes the spaces.
        best_effort_size_bytes: Their packet size, 1..2296.
        best_effort_period_s: One packet per station every this long, > 0.
        best_effort_access_category: Their access category (VO competes with the robots).
        access_category: The workcell flows' access category.
        decision_interval_s: Agent step; a whole number of control periods.
        horizon_s: Episode length in simulated seconds (truncation).
        max_devices: Most devices allowed per interval; 0 = all.
        wifi: BSS, channel (path loss), interferers and bridge: the sections of
            ``twin.config`` (like ``ControlSchedulingConfig``).
        reward_weights: Weight per reward term (``REWARD_TERMS``).
    """

    workcell: str = "fast"
    n_parts: int = 1
    n_best_effort: int = 2
    best_effort_size_bytes: int = 1500
    best_effort_period_s: float = 0.002
    best_effort_access_category: str = "VO"
    access_category: str = "VO"
    decision_interval_s: float = 0.05
    horizon_s: float = 1.0
    max_devices: int = 0
    wifi: WifiConfig = field(default_factory=WifiConfig)
    channel: ChannelConfig = field(default_factory=ChannelConfig)
    interferers: tuple[InterfererConfig, ...] = ()
    bridge: BridgeConfig = field(default_factory=BridgeConfig)
    reward_weights: dict[str, float] = field(
        default_factory=lambda: {
            "idle": -1.0,
            "deadline_miss": -1.0,
            "safety_stops": -1.0,
            "best_effort": 0.2,
        }
    )

    def check(self, path: str) -> None:
        """Raises :class:`ConfigError` naming the field and its allowed range."""
        if self.workcell != "fast":
            WorkcellJobConfig(config=self.workcell).config_path(f"{path}.workcell")
        if not 1 <= self.n_parts <= 1000:
            raise ConfigError(f"{path}.n_parts: must be in 1..1000 (got {self.n_parts})")
        if not 0 <= self.n_best_effort <= 50:
            raise ConfigError(f"{path}.n_best_effort: must be in 0..50 (got {self.n_best_effort})")
        if not 1 <= self.best_effort_size_bytes <= 2296:
            raise ConfigError(
                f"{path}.best_effort_size_bytes: must be in 1..2296 "
                f"(got {self.best_effort_size_bytes})"
            )
        if not self.best_effort_period_s > 0:
            raise ConfigError(
                f"{path}.best_effort_period_s: must be > 0 (got {self.best_effort_period_s})"
            )
        for name in ("best_effort_access_category", "access_category"):
            if getattr(self, name) not in ACCESS_CATEGORIES:
                raise ConfigError(
                    f"{path}.{name}: {getattr(self, name)!r} is not allowed; allowed: "
                    + ", ".join(ACCESS_CATEGORIES)
                )
        if not 0 < self.decision_interval_s <= 10:
            raise ConfigError(
                f"{path}.decision_interval_s: must be in (0, 10] s (got {self.decision_interval_s})"
            )
        if not self.horizon_s >= self.decision_interval_s:
            raise ConfigError(
                f"{path}.horizon_s: must be >= decision_interval_s (got {self.horizon_s})"
            )
        if self.max_devices < 0:
            raise ConfigError(f"{path}.max_devices: must be >= 0 (got {self.max_devices})")
        check_common(self, path, REWARD_TERMS)

    def workcell_config(self) -> WorkcellConfig:
        """The robots-side layout."""
        if self.workcell == "fast":
            return fast_workcell()
        return load_workcell_config(WorkcellJobConfig(config=self.workcell).config_path())


def schedulable_devices(wc: WorkcellConfig, n_best_effort: int) -> tuple[str, ...]:
    """The stations, in a fixed order: PLC, arms, machining stations, best-effort stations."""
    arms = tuple(a.name for a in wc.arms)
    stations = tuple(s.name for s in wc.stations)
    best_effort = tuple(f"be{k + 1}" for k in range(n_best_effort))
    return (wc.plc, *arms, *stations, *best_effort)


class WorkcellEnv(CoSimEnv[WorkcellEnvConfig]):
    """See the module docstring (spaces, reward terms, options)."""

    config_class = WorkcellEnvConfig
    space_fields = ("n_best_effort", "workcell")
    n_global = 3

    def _setup_spaces(self) -> None:
        wc = self.config.workcell_config()
        self.names = schedulable_devices(wc, self.config.n_best_effort)
        n = len(self.names) * len(DEVICE_FEATURES) + self.n_global
        self.action_space = spaces.Box(-1.0, 1.0, (len(self.names),), np.float32)
        self.observation_space = spaces.Box(-1.0, 1.0, (n,), np.float32)

    def _build_episode(self, rng: np.random.Generator) -> None:
        cfg = self.config
        wc = cfg.workcell_config()
        self.period_s = wc.arm_link.period_s
        ratio = cfg.decision_interval_s / self.period_s
        if abs(ratio - round(ratio)) > 1e-9 or round(ratio) < 1:
            raise ConfigError(
                f"decision_interval_s: must be a whole number of control periods "
                f"({self.period_s} s) (got {cfg.decision_interval_s})"
            )
        self.periods_per_step = round(ratio)
        self.workcell = Workcell(wc, n_parts=cfg.n_parts, rng=rng)
        ap = self.workcell.device_positions_m()[AP_DEVICE]
        be_names = [f"be{k + 1}" for k in range(cfg.n_best_effort)]
        self.best_effort = BestEffortSources(
            be_names,
            AP_DEVICE,
            {n: (ap[0] + 3.0 + k, ap[1] + 3.0, 1.0) for k, n in enumerate(be_names)},
            cfg.best_effort_size_bytes,
            cfg.best_effort_period_s,
        )
        model = CompositeModel([self.workcell, self.best_effort])
        cell = cell_for_model(
            model,
            ap_device=AP_DEVICE,
            wifi=cfg.wifi,
            channel=cfg.channel,
            access_category=cfg.access_category,
        )
        be_flows = {f"{n}.up" for n in be_names}
        flows = tuple(
            replace(f, access_category=cfg.best_effort_access_category, deadline_s=0.1)
            if f.name in be_flows
            else f
            for f in cell.flows
        )
        cell = replace(cell, flows=flows, interferers=cfg.interferers)
        self.cell = cell
        sim = self._start_sim(cell, cfg.bridge)
        dev_index = {n: i for i, n in enumerate(self.names)}
        self.dev_index = dev_index
        self.flow_device = np.array([dev_index.get(f.src, -1) for f in cell.flows], np.int64)
        self.flow_deadline_ns = np.array([round(f.deadline_s * NS_PER_S) for f in cell.flows])
        self.flow_is_be = np.array([f.name in be_flows for f in cell.flows])
        self.link = ModelLink(model, sim, self.period_s)
        self.stats = DeviceStats(
            len(self.names), float(np.median(self.flow_deadline_ns)) / NS_PER_S
        )
        self.survival_s = wc.arm_link.servo.survival_time_s
        self.critical = np.array([not n.startswith("be") for n in self.names])
        self.n_arms = len(wc.arms)
        self.selected = np.ones(len(self.names), dtype=bool)
        self.counts = dict.fromkeys(("offered", "withheld", "late", "dropped"), 0)
        self.interval: dict[str, float] = {k: 0.0 for k in REWARD_TERMS}
        self.latency_ms: list[float] = []
        self._summary = self.workcell.summary()

    def _apply_action(self, action: np.ndarray) -> None:
        if action.shape != self.action_space.shape:
            raise ValueError(f"action: shape {action.shape}, expected {self.action_space.shape}")
        k = self.config.max_devices or len(self.names)
        self.selected = select_top_k(action, k)

    def _keep(self, msg: Message) -> bool:
        """A station's selection gates its uplink and the edge's downlink to it."""
        i = self.dev_index.get(msg.src, self.dev_index.get(msg.dst))
        ok = i is None or bool(self.selected[i])
        if not msg.flow.endswith(".up"):  # a workcell message
            self.counts["offered"] += 1
            self.counts["withheld"] += not ok
        return ok

    def _simulate(self) -> None:
        t0 = time.perf_counter()
        before = self._summary
        be_offered0, be_delivered0 = self.best_effort.offered, self.best_effort.delivered
        self.counts = dict.fromkeys(self.counts, 0)
        n = len(self.names)
        on_time = np.zeros(n, dtype=bool)
        last_lat = np.full(n, np.nan)
        lat_ms: list[float] = []
        for _ in range(self.periods_per_step):
            self.link.period(keep=self._keep)
            step = self.link.last_step
            assert step is not None  # noqa: S101 - set by period()
            d = step.report.deliveries
            lat = d["rx_time_ns"] - d["send_time_ns"]
            flow = d["flow"].astype(np.int64)
            robot = ~self.flow_is_be[flow]
            late = robot & (lat > self.flow_deadline_ns[flow])
            self.counts["late"] += int(late.sum())
            drops = step.report.drops["flow"].astype(np.int64)
            self.counts["dropped"] += int((~self.flow_is_be[drops]).sum())
            dev = self.flow_device[flow]
            up = dev >= 0
            self.stats.record_sinr(dev[up], d["sinr_db"][up].astype(float))
            good = up & ~late
            on_time[dev[good]] = True
            last_lat[dev[up]] = lat[up] / NS_PER_S
            lat_ms.extend((lat[robot] / 1e6).tolist())
            if self.workcell.finished:
                break
        self.stats.update(self.selected, on_time & self.selected, last_lat)
        self.latency_ms = sorted(lat_ms)
        after = self.workcell.summary()
        interval = self.periods_per_step * self.period_s
        idle = sum(after[f"{a}/idle_s"] - before[f"{a}/idle_s"] for a in self.workcell.arm_names)
        offered = max(self.counts["offered"], 1)
        be_offered = self.best_effort.offered - be_offered0
        self.interval = {
            "idle": idle / (self.n_arms * interval),
            "deadline_miss": (
                self.counts["withheld"] + self.counts["late"] + self.counts["dropped"]
            )
            / offered,
            "safety_stops": after["cell/safety_stops"] - before["cell/safety_stops"],
            "best_effort": (self.best_effort.delivered - be_delivered0) / be_offered
            if be_offered
            else 0.0,
        }
        self._summary = after
        self.timing["bridge_ns3_s"] += time.perf_counter() - t0

    def _urgency(self) -> np.ndarray:
        u = self.stats.age * self.config.decision_interval_s / self.survival_s
        out: np.ndarray = np.where(self.critical, u, 0.0)
        return out

    def _observe(self) -> np.ndarray:
        dev = self.stats.features(np.minimum(self._urgency(), 1.0)).ravel()
        s = self._summary
        stopped = np.mean(self.workcell.link.fleet.stopped)
        glob = np.array(
            [
                s["cell/parts_done"] / self.config.n_parts,
                min(self.sim.now_s / self.config.horizon_s, 1.0),
                stopped,
            ],
            dtype=np.float32,
        )
        return np.concatenate([dev, glob]).astype(np.float32)

    def _rewards(self) -> dict[str, float]:
        return {k: float(v) for k, v in self.interval.items()}

    def _is_terminated(self) -> bool:
        return bool(self.workcell.finished)

    def _is_truncated(self) -> bool:
        return self.sim.now_s >= self.config.horizon_s - 1e-9

    def _info(self) -> dict[str, Any]:
        s = self._summary
        arms = self.workcell.arm_names
        return {
            "time_s": float(self.sim.now_s),
            "step": self.steps,
            "root_seed": self.root_seed,
            **{f"rewards/{k}": float(self.last_terms.get(k, 0.0)) for k in REWARD_TERMS},
            "cell/parts_done": float(s["cell/parts_done"]),
            "cell/safety_stops": float(s["cell/safety_stops"]),
            "cell/idle_s": float(sum(s[f"{a}/idle_s"] for a in arms)),
            "cell/wait_network_s": float(sum(s[f"{a}/wait_network_s"] for a in arms)),
            "net/selected": int(self.selected.sum()),
            "net/offered": int(self.counts["offered"]),
            "net/withheld": int(self.counts["withheld"]),
            "net/late": int(self.counts["late"]),
            "net/dropped": int(self.counts["dropped"]),
            "net/latency_ms": [float(x) for x in self.latency_ms],
        }

    def scheduler_view(self) -> SchedulerView:
        """Raw per-device statistics; urgency = age over the arms' survival time (robots)."""
        k = self.config.max_devices or len(self.names)
        return self._view(self.names, self._urgency(), k, self.stats.budget_s)

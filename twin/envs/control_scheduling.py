"""``fabtwin/ControlScheduling-v0``: who among m control loops' sensors gets the air each cycle.

m linear plants (``robots.plants``: the inverted pendulum or ball board of Eisen et al., or the
switched scalar plants of their deep-learning variant) are closed over one 802.11ax BSS: each
plant's sensor sends its state (100 B) to the controller at the AP every sampling period, and a
sample counts only if it arrives within ``tau_max_s`` of the cycle start (later = lost; the
controller then runs on its open-loop prediction, ``robots.plant_loops.NetworkedPlants``).

One env step is one sampling period. The action is a ``Box(-1, 1, (m,))`` of scores; the
devices with positive scores are candidates and the (at most) ``max_devices`` highest transmit
this cycle (``twin.envs.selection``). Only the selected sensors send their sample; with
``mu_schedule=True`` (the default) the BSS runs UL OFDMA and the env hands ns-3 the uplink
schedule of the cycle (``CoSimulation.schedule_mu``): every Basic Trigger Frame solicits exactly
the selected stations, each on an RU of the largest size of which that many fit in the channel
(``twin.envs.selection.ru_tones``; 9 x 26 tones in 20 MHz), so the selected samples share one
trigger-based PPDU. With ``mu_schedule=False`` they contend by single-user EDCA instead.

Observation: ``Box(-1, 1, (m * 6,))`` float32, per device (in device order) the features of
``twin.envs.device_stats.DEVICE_FEATURES``: age of information / 20, urgency (expected increase
of the normalized Lyapunov cost if the device is not served, ``log1p`` scaled by the cost clip),
last uplink SINR / 50 dB, on-time rate when selected (EWMA), last latency / (2 tau_max), and
whether it was selected last cycle.

Reward: ``sum(reward_weights[k] * term[k])`` with the terms ``control_cost`` (mean over plants
of ``log(1 + c)``, where ``c`` is ``x'Px`` after the step divided by the plant's steady-state
cost on an ideal network, clipped at ``cost_clip``: 0 for a perfect network, scale-free, and
bounded for learning; ``info["control/mean_cost"]`` has the linear mean) and ``deadline_miss``
(share of the selected devices whose sample missed ``tau_max_s``: late or lost). Terminated when
a plant's normalized cost reaches ``cost_clip`` (the loop is lost) if ``terminate_on_loss``;
truncated after ``horizon_steps``.

Version history: v0 (this) - first version; before the first release its default radio
access became UL OFDMA with the env's schedule (``mu_schedule=True``; docs/envs.md).
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field, replace
from typing import Any

import numpy as np
import scipy.linalg
from gymnasium import spaces

from robots.plant_loops import NetworkedPlants
from robots.plants import (
    BALL_BOARD,
    INVERTED_PENDULUM,
    INVERTED_PENDULUM_REVISED,
    LinearPlant,
    PlantBatch,
    switched_scalar_gains,
)
from twin.config import (
    ACCESS_CATEGORIES,
    MU_EDCA_TIMER_UNIT_MS,
    BridgeConfig,
    CellConfig,
    ChannelConfig,
    ConfigError,
    InterfererConfig,
    OfdmaConfig,
    WifiConfig,
)
from twin.cosim import NS_PER_S
from twin.envs.base import CoSimEnv, SchedulerView, check_common
from twin.envs.device_stats import AGE_CAP, DEVICE_FEATURES, DeviceStats
from twin.envs.selection import max_stations, ru_tones, select_top_k
from twin.model_link import ModelLink, cell_for_model

PLANTS: dict[str, LinearPlant | None] = {
    "inverted_pendulum": INVERTED_PENDULUM,
    "inverted_pendulum_revised": INVERTED_PENDULUM_REVISED,
    "ball_board": BALL_BOARD,
    "switched_scalar": None,
}


@dataclass(frozen=True)
class ControlSchedulingConfig:
    """Options of ``fabtwin/ControlScheduling-v0`` (``gymnasium.make`` keyword arguments).

    Attributes:
        plant: ``inverted_pendulum``, ``inverted_pendulum_revised``, ``ball_board`` or
            ``switched_scalar``.
        n_plants: Number of plants (= sensors = devices), 1..200. Changes the spaces.
        period_s: Sampling period = one env step, 1 ms..1 s.
        tau_max_s: Latency budget from the cycle start, in (0, period_s].
        noise_var: Process-noise variance (``W = noise_var * I``), > 0. Costs are normalized
            by the ideal-network cost, which scales with it.
        max_devices: Most devices per cycle; 0 = the channel's 26-tone RU count (9 in 20 MHz).
        distance_m: Sensor-to-AP distances are drawn uniformly from this range per episode.
        horizon_steps: Episode length in steps (truncation), >= 1.
        warmup_s: Network time before the first cycle (association, one probe per sensor).
        cost_clip: Normalized cost at which a plant counts as lost, > 1; the cost term is
            clipped there.
        terminate_on_loss: End the episode (terminated) when a plant is lost. Off by default:
            with per-step costs, ending early would look attractive to an agent.
        mu_schedule: UL OFDMA with the env's schedule (True, the default: the selected sensors
            share trigger-based PPDUs, EDCA disabled by MU EDCA) or single-user EDCA (False).
            With True, ``wifi.ofdma`` defaults to :data:`SENSOR_OFDMA`; a given one needs
            ``ul: true``.
        access_category: EDCA access category of the sensor flows.
        wifi: The BSS (band, width, MCS or rate manager, power).
        channel: Path loss.
        interferers: Non-Wi-Fi interferers.
        bridge: Transport and timeouts.
        reward_weights: Weight per reward term.
    """

    plant: str = "inverted_pendulum"
    n_plants: int = 4
    period_s: float = 0.01
    tau_max_s: float = 0.001
    noise_var: float = 1e-4
    max_devices: int = 0
    distance_m: tuple[float, float] = (1.0, 20.0)
    horizon_steps: int = 100
    warmup_s: float = 0.05
    cost_clip: float = 1e6
    terminate_on_loss: bool = False
    mu_schedule: bool = True
    access_category: str = "VO"
    wifi: WifiConfig = field(default_factory=WifiConfig)
    channel: ChannelConfig = field(default_factory=ChannelConfig)
    interferers: tuple[InterfererConfig, ...] = ()
    bridge: BridgeConfig = field(default_factory=BridgeConfig)
    reward_weights: dict[str, float] = field(
        default_factory=lambda: {"control_cost": -1.0, "deadline_miss": -0.1}
    )

    def check(self, path: str) -> None:
        """Raises :class:`ConfigError` naming the field and its allowed range."""
        if self.plant not in PLANTS:
            raise ConfigError(
                f"{path}.plant: {self.plant!r} is not allowed; allowed: {', '.join(PLANTS)}"
            )
        if not 1 <= self.n_plants <= 200:
            raise ConfigError(f"{path}.n_plants: must be in 1..200 (got {self.n_plants})")
        if not 1e-3 <= self.period_s <= 1.0:
            raise ConfigError(f"{path}.period_s: must be in 0.001..1 s (got {self.period_s})")
        if not 0 < self.tau_max_s <= self.period_s:
            raise ConfigError(
                f"{path}.tau_max_s: must be in (0, period_s={self.period_s}] (got {self.tau_max_s})"
            )
        if not self.noise_var > 0:
            raise ConfigError(f"{path}.noise_var: must be > 0 (got {self.noise_var})")
        k_max = max_stations(self.wifi.channel_width_mhz)
        if not 0 <= self.max_devices <= k_max:
            raise ConfigError(
                f"{path}.max_devices: must be in 0..{k_max} for {self.wifi.channel_width_mhz} MHz "
                f"(got {self.max_devices})"
            )
        lo, hi = self.distance_m
        if not 0 < lo <= hi <= 1000:
            raise ConfigError(f"{path}.distance_m: need 0 < min <= max <= 1000 (got {lo}, {hi})")
        if self.horizon_steps < 1:
            raise ConfigError(f"{path}.horizon_steps: must be >= 1 (got {self.horizon_steps})")
        if not 0 <= self.warmup_s <= 10:
            raise ConfigError(f"{path}.warmup_s: must be in 0..10 s (got {self.warmup_s})")
        if not self.cost_clip > 1:
            raise ConfigError(f"{path}.cost_clip: must be > 1 (got {self.cost_clip})")
        if self.access_category not in ACCESS_CATEGORIES:
            raise ConfigError(
                f"{path}.access_category: {self.access_category!r} is not allowed; allowed: "
                + ", ".join(ACCESS_CATEGORIES)
            )
        if self.mu_schedule and self.wifi.ofdma is not None and not self.wifi.ofdma.ul:
            raise ConfigError(
                f"{path}.wifi.ofdma.ul: must be true with mu_schedule (the schedule is uplink)"
            )
        check_common(self, path, self.reward_terms)

    @property
    def reward_terms(self) -> tuple[str, ...]:
        """Names of the reward terms this env version computes."""
        return REWARD_TERMS

    @property
    def cell_wifi(self) -> WifiConfig:
        """The BSS of the cell: ``wifi``, with :data:`SENSOR_OFDMA` under ``mu_schedule``."""
        if self.mu_schedule and self.wifi.ofdma is None:
            return replace(self.wifi, ofdma=SENSOR_OFDMA)
        return self.wifi

    @property
    def devices_per_cycle(self) -> int:
        """The bound on selected devices per cycle."""
        return self.max_devices or max_stations(self.wifi.channel_width_mhz)


REWARD_TERMS = ("control_cost", "deadline_miss")

#: The BSS's OFDMA under ``mu_schedule`` unless ``wifi.ofdma`` is given. UL triggers; the AP asks
#: for the medium every 250 us (ns-3 restarts that timer at each of its accesses, so the phase
#: to the cycle drifts: the cycle's trigger comes 0.05-0.55 ms after its start, within a 1 ms
#: budget); the trigger asks 150 bytes of a station whose buffer it does not know, the sample's
#: A-MPDU subframe (delimiter 4 + QoS header 26 + LLC/SNAP 8 + 100 + FCS 4 = 142 bytes, rounded
#: up), so that an empty poll is short; MU EDCA keeps EDCA off for the longest timer,
#: 255 x 8.192 ms (IEEE 802.11ax-2021 9.4.2.251, 26.2.7), so a selected sensor sends only in the
#: trigger-based PPDU. A sensor not selected for that long (2.09 s) would contend again until it
#: is next served.
SENSOR_OFDMA = OfdmaConfig(
    ul=True,
    ul_access_interval_us=250,
    mu_edca_timer_ms=255 * MU_EDCA_TIMER_UNIT_MS,
    ul_psdu_size_bytes=150,
)


def plant_batch(cfg: ControlSchedulingConfig, rng: np.random.Generator) -> PlantBatch:
    """The episode's plants (switched scalar gains are drawn from ``rng``)."""
    plant = PLANTS[cfg.plant]
    if plant is None:
        a_open, a_closed = switched_scalar_gains(cfg.n_plants, rng)
        return PlantBatch.switched_scalar(a_open, a_closed)
    return PlantBatch.from_plant(plant, cfg.n_plants)


def ideal_cost(batch: PlantBatch, w: np.ndarray) -> np.ndarray:
    """Steady-state ``E[x'Px]`` per plant with every update delivered.

    It is ``trace(P S)`` where ``S = F S F' + W`` and ``F = A - B K``.
    """
    f = batch.closed_loop()
    out = np.empty(batch.m)
    for i in range(batch.m):
        s = scipy.linalg.solve_discrete_lyapunov(f[i], w)
        out[i] = float(np.trace(batch.p[i] @ s))
    return out


def urgency_table(batch: PlantBatch, w: np.ndarray, ages: int) -> np.ndarray:
    """Expected increase of ``x'Px`` one step ahead if plant i is not updated at age a.

    With estimation error ``e = x - x_hat`` of covariance ``S(a) = sum_{j<a} A^j W A'^j`` after
    ``a`` cycles without an update, serving the plant removes ``B K e`` from the next state, so
    the expected increase is ``trace(N S(a))`` with ``N = K'B'PBK + F'PBK + K'B'PF``.

    Returns:
        ``(m, ages + 1)``: entry ``[i, a]`` for ages ``0..ages`` (age 0 costs nothing).
    """
    out = np.zeros((batch.m, ages + 1))
    f = batch.closed_loop()
    for i in range(batch.m):
        a, bk, p = batch.a[i], batch.b[i] @ batch.k[i], batch.p[i]
        n = bk.T @ p @ bk + f[i].T @ p @ bk + bk.T @ p @ f[i]
        s = np.zeros_like(a)
        for age in range(1, ages + 1):
            s = a @ s @ a.T + w
            out[i, age] = max(float(np.trace(n @ s)), 0.0)
    return out


class ControlSchedulingEnv(CoSimEnv[ControlSchedulingConfig]):
    """See the module docstring (spaces, reward terms, options)."""

    config_class = ControlSchedulingConfig
    space_fields = ("n_plants",)

    def _setup_spaces(self) -> None:
        m = self.config.n_plants
        self.action_space = spaces.Box(-1.0, 1.0, (m,), np.float32)
        self.observation_space = spaces.Box(-1.0, 1.0, (m * len(DEVICE_FEATURES),), np.float32)

    # ------------------------------------------------------------------ episode
    def _build_episode(self, rng: np.random.Generator) -> None:
        cfg = self.config
        m = cfg.n_plants
        batch = plant_batch(cfg, rng)
        n = batch.n
        w = cfg.noise_var * np.eye(n)
        self.cost_scale = ideal_cost(batch, w)
        self.urgency_norm = urgency_table(batch, w, 10 * AGE_CAP) / self.cost_scale[:, None]
        # Initial states from the ideal-network stationary distribution.
        f = batch.closed_loop()
        for i in range(m):
            s = scipy.linalg.solve_discrete_lyapunov(f[i], w)
            batch.x[i] = rng.multivariate_normal(np.zeros(n), s)
        dist = rng.uniform(*cfg.distance_m, size=m)
        ang = rng.uniform(0.0, 2.0 * np.pi, size=m)
        names = [f"sensor{i + 1}" for i in range(m)]
        positions = {"controller": (0.0, 0.0, 3.0)}
        for i, name in enumerate(names):
            positions[name] = (
                float(dist[i] * np.cos(ang[i])),
                float(dist[i] * np.sin(ang[i])),
                1.0,
            )
        plant = PLANTS[cfg.plant]
        pendulum = plant is not None and plant.name.startswith("inverted_pendulum")
        self.plants = NetworkedPlants(
            batch,
            w,
            np.random.default_rng(rng.integers(2**63)),
            period_s=cfg.period_s,
            deadline_s=cfg.tau_max_s,
            on_loss="zero_input" if plant is None else "predict",
            names=names,
            watch_index=2 if pendulum else None,
            watch_bound=0.05 if pendulum else None,
            positions_m=positions,
        )
        self.names = tuple(names)
        self.distance_m = dist
        cell = cell_for_model(
            self.plants,
            ap_device="controller",
            wifi=cfg.cell_wifi,
            channel=cfg.channel,
            access_category=cfg.access_category,
        )
        if cfg.interferers:
            cell = replace(cell, interferers=cfg.interferers)
        self.cell = cell
        self._start_network(cell)
        self.selected = np.zeros(m, dtype=bool)
        self.on_time = np.zeros(m, dtype=bool)
        self.late = np.zeros(m, dtype=bool)
        self.step_latency_s = np.full(m, np.nan)
        self._norm_cost = batch.lyapunov_cost() / self.cost_scale
        self._clip_log = float(np.log1p(cfg.cost_clip))

    def _start_network(self, cell: CellConfig) -> None:
        """Starts ns-3 on ``cell``, warms it up and takes the plants' first samples."""
        cfg = self.config
        m = cfg.n_plants
        names = self.names
        sim = self._start_sim(cell, cfg.bridge)
        self._index_devices(cell)
        period_ns = round(cfg.period_s * NS_PER_S)
        warm = int(np.ceil(cfg.warmup_s / cfg.period_s)) * period_ns
        if warm:
            # One probe per sensor, spread over the warm-up: association and a first SINR.
            flows = np.array([cell.flow_index(f"{nm}.state") for nm in names], np.uint32)
            send = (np.arange(m, dtype=np.int64) * (warm // 2)) // m
            sim.send_many(flows, np.full(m, 100, np.uint32), send)
            rep = sim.step_ns(warm).report
            d = rep.deliveries
            self.stats.record_sinr(self.flow_device[d["flow"]], d["sinr_db"].astype(float))
        self.link = ModelLink(self.plants, sim, cfg.period_s)
        self.link.period()  # the first tick: samples of step 0 wait in the outbox

    def _index_devices(self, cell: CellConfig) -> None:
        """Device of each flow, node of each device, fresh per-device statistics."""
        self.flow_device = np.array(
            [self.plants.index.get(f.name, -1) for f in cell.flows], dtype=np.int64
        )
        self.node_of_device = np.array([cell.node_index(nm) for nm in self.names], dtype=np.uint32)
        self.stats = DeviceStats(self.config.n_plants, self.config.tau_max_s)

    # ------------------------------------------------------------------ step parts
    def _select(self, action: np.ndarray) -> None:
        """The devices of this cycle: the (at most) ``devices_per_cycle`` best positive scores."""
        if action.shape != self.action_space.shape:
            raise ValueError(f"action: shape {action.shape}, expected {self.action_space.shape}")
        self.selected = select_top_k(action, self.config.devices_per_cycle)

    def _apply_action(self, action: np.ndarray) -> None:
        self._select(action)
        if self.config.mu_schedule and self.selected.any():
            # Replaces the schedule in force; with nothing selected it stays (nobody sends).
            chosen = np.flatnonzero(self.selected)
            tones = ru_tones(len(chosen), self.config.wifi.channel_width_mhz)
            self.sim.schedule_mu(ul={int(self.node_of_device[i]): tones for i in chosen})

    def _simulate(self) -> None:
        t0 = time.perf_counter()
        cycle_ns = self.sim.now_ns
        sel = self.selected
        index = self.plants.index
        used_before = self.plants.updates_used.copy()
        # ModelLink.period: network for one period (bridge + ns-3), then the plants' tick.
        self.link.period(keep=lambda msg: bool(sel[index[msg.flow]]))
        step = self.link.last_step
        assert step is not None  # noqa: S101 - set by period()
        d = step.report.deliveries
        dev = self.flow_device[d["flow"]]
        mine = dev >= 0
        self.stats.record_sinr(dev[mine], d["sinr_db"][mine].astype(float))
        this = mine & (d["send_time_ns"] == cycle_ns)
        lat = np.full(self.config.n_plants, np.nan)
        lat[dev[this]] = (d["rx_time_ns"][this] - d["send_time_ns"][this]) / NS_PER_S
        self.step_latency_s = lat
        self.on_time = (self.plants.updates_used - used_before) > 0
        self.late = sel & np.isfinite(lat) & ~self.on_time
        self.stats.update(sel, self.on_time, lat)
        self._norm_cost = self.plants.batch.lyapunov_cost() / self.cost_scale
        self.timing["bridge_ns3_s"] += time.perf_counter() - t0

    def _urgency(self) -> np.ndarray:
        age = np.minimum(self.stats.age, self.urgency_norm.shape[1] - 1)
        out: np.ndarray = self.urgency_norm[np.arange(self.config.n_plants), age]
        return out

    def _scaled(self, cost: np.ndarray) -> np.ndarray:
        """A normalized cost as an observation in [0, 1]: ``log1p`` over ``log1p(cost_clip)``."""
        out: np.ndarray = np.minimum(np.log1p(cost) / self._clip_log, 1.0)
        return out

    def _observe(self) -> np.ndarray:
        return self.stats.features(self._scaled(self._urgency())).ravel()

    def _rewards(self) -> dict[str, float]:
        n_sel = int(self.selected.sum())
        missed = int((self.selected & ~self.on_time).sum())
        return {
            "control_cost": float(
                np.mean(np.log1p(np.minimum(self._norm_cost, self.config.cost_clip)))
            ),
            "deadline_miss": missed / n_sel if n_sel else 0.0,
        }

    def _is_terminated(self) -> bool:
        lost = bool(np.any(self._norm_cost >= self.config.cost_clip))
        return lost and self.config.terminate_on_loss

    def _is_truncated(self) -> bool:
        return self.steps >= self.config.horizon_steps

    def _info(self) -> dict[str, Any]:
        sel = self.selected
        lat_ms = self.step_latency_s[sel & np.isfinite(self.step_latency_s)] * 1e3
        return {
            "time_s": float(self.sim.now_s),
            "step": self.steps,
            "root_seed": self.root_seed,
            **{
                f"rewards/{k}": float(self.last_terms.get(k, 0.0)) for k in self.config.reward_terms
            },
            "control/mean_cost": float(np.mean(self._norm_cost)),
            "control/max_cost": float(np.max(self._norm_cost)),
            "control/mean_lyapunov": float(np.mean(self.plants.batch.lyapunov_cost())),
            "net/selected": int(sel.sum()),
            "net/on_time": int((sel & self.on_time).sum()),
            "net/late": int(self.late.sum()),
            "net/lost": int((sel & ~self.on_time & ~self.late).sum()),
            "net/latency_ms": [float(x) for x in np.sort(lat_ms)],
        }

    def scheduler_view(self) -> SchedulerView:
        """Raw per-device statistics; urgency = expected normalized cost increase if unserved."""
        return self._view(
            self.names, self._urgency(), self.config.devices_per_cycle, self.config.tau_max_s
        )

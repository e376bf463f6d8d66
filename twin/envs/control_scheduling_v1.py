"""``fabtwin/ControlScheduling-v1``: v0 plus the controller's state estimate, one trigger a cycle.

Three changes to ``fabtwin/ControlScheduling-v0`` (same options and action):

1. Observation: a seventh per-device feature, ``estimate``: the normalized Lyapunov cost of the
   controller's estimate of the plant's current state, ``x_hat' P x_hat`` divided by the plant's
   ideal-network cost, ``log1p``-scaled by the cost clip like ``urgency``. The controller at the
   AP knows ``x_hat`` (the last received sample propagated open loop with the inputs it applied),
   so a scheduler there may use it; it tells apart two plants of the same age whose states differ,
   which v0's age-based ``urgency`` cannot. Eisen et al.'s deep-learning variant (arXiv 1906.06225)
   feeds its scheduler the plant states likewise.
2. Network cycle: the selected sensors' samples go out in ONE trigger-based UL PPDU per cycle,
   armed by the twin at the cycle start (:class:`twin.uplink_cycle.UplinkCycle`: the AP accesses
   the channel within about 50 us, sends a Basic Trigger Frame soliciting exactly the selected
   stations, each on the largest RU of which that many fit, and acknowledges them with a
   Multi-STA BlockAck, IEEE 802.11ax-2021 26.5.2); then a schedule that triggers nobody keeps the
   AP quiet until the next cycle. v0 lets the AP trigger every 250 us whoever is scheduled, which
   costs ns-3 several times more events per cycle and puts the trigger anywhere in the first
   0.55 ms; here the trigger follows the cycle start, so tau_max down to 0.5 ms is meaningful.
   Hence ``mu_schedule`` must be true and ``max_devices`` at most one PPDU's 26-tone RU count.
3. Reward: a third term, ``state_cost``, the mean over plants of the normalized Lyapunov cost
   ``min(x'Px / c, cost_clip)`` itself rather than its logarithm (weight 0 by default, so the
   default reward is v0's). The log in ``control_cost`` makes halving a large state worth as much
   as halving a small one; the quadratic cost of Eisen et al. (their control cost is ``x'Px``)
   values the large state more, which is what a state-aware scheduler exploits. It suits plants
   whose cost stays bounded (the switched scalar plants clip their states at 10).

Version history: v1 (this) - added for issue 8's learned-scheduling reproduction and issue 7's
PPO run; v0 stays as it was.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, replace

import numpy as np
from gymnasium import spaces

from twin.config import CellConfig, ConfigError, WifiConfig
from twin.cosim import NS_PER_S
from twin.envs.base import SchedulerView
from twin.envs.control_scheduling import ControlSchedulingConfig, ControlSchedulingEnv
from twin.envs.device_stats import DEVICE_FEATURES
from twin.uplink_cycle import UplinkCycle, UplinkPlan, sensor_ofdma

#: Per-device observation features of v1, in order.
DEVICE_FEATURES_V1 = (*DEVICE_FEATURES, "estimate")
#: Reward terms of v1 (v0's plus ``state_cost``).
REWARD_TERMS_V1 = ("control_cost", "deadline_miss", "state_cost")
#: Time given to a cycle's trigger exchange before the quiet schedule (``UplinkPlan.slot_ns``):
#: channel access (about 50 us), Trigger Frame, SIFS, TB PPDU, SIFS, Multi-STA BlockAck.
SLOT_NS = 500_000


@dataclass(frozen=True)
class ControlSchedulingV1Config(ControlSchedulingConfig):
    """Options of ``fabtwin/ControlScheduling-v1``: those of v0 (see its docstring).

    ``mu_schedule`` must stay true; ``wifi.ofdma`` defaults to
    :func:`twin.uplink_cycle.sensor_ofdma` (the AP asks for the channel every 50 us while a
    schedule is armed).
    """

    def check(self, path: str) -> None:
        """Raises :class:`ConfigError` naming the field and its allowed range."""
        super().check(path)
        if not self.mu_schedule:
            raise ConfigError(
                f"{path}.mu_schedule: must be true in v1 (one trigger-based PPDU per cycle)"
            )
        if self.period_s * NS_PER_S < SLOT_NS:
            raise ConfigError(
                f"{path}.period_s: must be >= {SLOT_NS / NS_PER_S} s in v1 (one trigger "
                f"exchange per cycle; got {self.period_s})"
            )

    @property
    def reward_terms(self) -> tuple[str, ...]:
        """v0's terms plus ``state_cost``."""
        return REWARD_TERMS_V1

    @property
    def cell_wifi(self) -> WifiConfig:
        """The BSS of the cell: ``wifi``, with :func:`sensor_ofdma` unless given."""
        if self.wifi.ofdma is None:
            return replace(self.wifi, ofdma=sensor_ofdma())
        return self.wifi


class ControlSchedulingV1Env(ControlSchedulingEnv):
    """See the module docstring; everything else as in :class:`ControlSchedulingEnv`."""

    config_class = ControlSchedulingV1Config

    def _setup_spaces(self) -> None:
        m = self.config.n_plants
        self.action_space = spaces.Box(-1.0, 1.0, (m,), np.float32)
        self.observation_space = spaces.Box(-1.0, 1.0, (m * len(DEVICE_FEATURES_V1),), np.float32)

    def _start_network(self, cell: CellConfig) -> None:
        cfg = self.config
        m = cfg.n_plants
        names = list(self.names)
        sim = self._start_sim(cell, cfg.bridge)
        self._index_devices(cell)
        flows = [cell.flow_index(f"{nm}.state") for nm in names]
        period_ns = round(cfg.period_s * NS_PER_S)
        self.period_ns = period_ns
        self.tau_ns = round(cfg.tau_max_s * NS_PER_S)
        # Quiet through the warm-up (a downlink-only schedule: no triggers), then one unscored
        # cycle serving every sensor, in as many PPDUs as needed: in the first trigger after
        # association a station may answer with a QoS Null (seen in the capacity study), and it
        # gives every device a first SINR.
        sim.schedule_mu(dl={names[0]: 242})
        warm = max(1, int(np.ceil(cfg.warmup_s / cfg.period_s))) * period_ns
        sim.step_ns(warm)
        slots = min(-(-m // UplinkPlan(period_ns, SLOT_NS, 1).per_slot), period_ns // SLOT_NS)
        first = UplinkCycle(sim, names, flows, UplinkPlan(period_ns, SLOT_NS, slots))
        first.run(np.arange(m), sim.now_ns + period_ns)
        self.stats.record_sinr(np.arange(m), first.sinr_db)
        self.cycle = UplinkCycle(sim, names, flows, UplinkPlan(self.tau_ns, SLOT_NS, 1))
        self.cycle.pending[:] = first.pending
        # The first tick: the samples of step 0, taken now.
        self.outbox = self.plants.step(sim.now_s - cfg.period_s, cfg.period_s)

    def _apply_action(self, action: np.ndarray) -> None:
        self._select(action)  # the cycle's schedule is armed by UplinkCycle in _simulate

    def _simulate(self) -> None:
        t0 = time.perf_counter()
        cfg = self.config
        cycle_ns = self.sim.now_ns
        chosen = np.flatnonzero(self.selected)
        lat_ns = self.cycle.run(chosen, cycle_ns + self.period_ns)
        t1 = self._timed("bridge_ns3_s", t0)
        by_src = {msg.src: msg for msg in self.outbox}
        used_before = self.plants.updates_used.copy()
        got = lat_ns >= 0
        for i in np.flatnonzero(got & (lat_ns <= self.tau_ns)).tolist():
            self.plants.deliver(by_src[self.names[i]], (cycle_ns + int(lat_ns[i])) / NS_PER_S)
        self.outbox = self.plants.step(cycle_ns / NS_PER_S, cfg.period_s)
        self.on_time = (self.plants.updates_used - used_before) > 0
        lat = np.where(got, lat_ns / NS_PER_S, np.nan)
        self.step_latency_s = lat
        self.late = self.selected & got & ~self.on_time
        self.stats.record_sinr(np.flatnonzero(got), self.cycle.sinr_db[got])
        self.stats.update(self.selected, self.on_time, lat)
        self._norm_cost = self.plants.batch.lyapunov_cost() / self.cost_scale
        self._timed("robots_s", t1)

    def _rewards(self) -> dict[str, float]:
        terms = super()._rewards()
        terms["state_cost"] = float(np.mean(np.minimum(self._norm_cost, self.config.cost_clip)))
        return terms

    def estimate(self) -> np.ndarray:
        """The controller's estimated normalized cost ``x_hat' P x_hat / c`` per plant."""
        x_hat = self.plants.predictor.x_hat
        p = self.plants.batch.p
        cost: np.ndarray = np.einsum("mi,mij,mj->m", x_hat, p, x_hat) / self.cost_scale
        return cost

    def _observe(self) -> np.ndarray:
        features = self.stats.features(self._scaled(self._urgency()))
        est01 = self._scaled(self.estimate()).astype(np.float32)
        return np.concatenate([features, est01[:, None]], axis=1).ravel()

    def scheduler_view(self) -> SchedulerView:
        """v0's view plus the controller's estimated normalized cost per plant."""
        return replace(super().scheduler_view(), estimate=self.estimate())

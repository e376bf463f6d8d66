"""How many control loops an 802.11ax uplink keeps stable: Eisen et al.'s capacity experiment.

m identical plants (``robots.plants``: the inverted pendulum or the ball board) close their loops
over one 802.11ax BSS in ns-3: every 10 ms each sensor samples its state, a scheduler
(``agents.capacity_schedulers``) picks who sends, and the cycle's uplink runs as trigger-based
OFDMA PPDUs (``twin.uplink_cycle``); an update counts if it arrives within ``tau_max`` of the
sampling instant, otherwise the controller applies ``-K x_hat`` on its open-loop prediction
(``robots.plant_loops.NetworkedPlants``). A plant is kept stable when its watched states (the
pendulum angle; the ball's two positions) stay within ``bound`` for the whole run; a number of
plants is supported when every plant of every run is kept stable.

One ns-3 cell per (m, seed): the network does not depend on the plant, the scheduler or
``tau_max``, so all their episodes run one after the other on the same running co-simulation
(one association warm-up instead of one per episode), except that an episode which left a
sensor silent for half the MU EDCA timer (1.04 s) or more has the cell rebuilt before the next
one: that sensor's EDCA would be on again, or soon, and its contention would cost the next
scheduler whole slots.

Choices the paper leaves open (published-results.md section 1), ours: LQR weights ``Q = I``,
``R = I``, ``P`` the Riccati solution; process noise ``W = w I`` with ``w`` set so that on an ideal
network the watched state's stationary standard deviation is ``bound / noise_margin``
(:func:`noise_for_margin`; the linear loops scale with ``sqrt(w)``, so the margin is the one
number that matters); initial states from that ideal stationary distribution.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

import numpy as np
import scipy.linalg

from agents.capacity_schedulers import CycleView, make_allocator
from robots.messages import Message
from robots.plant_loops import NetworkedPlants
from robots.plants import BALL_BOARD, INVERTED_PENDULUM, LinearPlant, PlantBatch
from twin.bridge.errors import RUN_FAILURES
from twin.config import (
    BridgeConfig,
    CellConfig,
    ChannelConfig,
    ConfigError,
    FlowConfig,
    NodeConfig,
    WifiConfig,
)
from twin.cosim import NS_PER_S, CoSimulation
from twin.uplink_cycle import MU_EDCA_TIMER_NS, UplinkCycle, UplinkPlan, sensor_ofdma

#: The plants and the state indices whose bound defines "kept stable".
PLANTS: dict[str, tuple[LinearPlant, tuple[int, ...]]] = {
    "inverted_pendulum": (INVERTED_PENDULUM, (2,)),
    "ball_board": (BALL_BOARD, (0, 2)),
}


@dataclass(frozen=True)
class CapacityConfig:
    """One capacity study (units in the names).

    Attributes:
        plants: Plant names (keys of :data:`PLANTS`).
        tau_max_ms: Latency budgets from the sampling instant.
        schedulers: ``fixed_pdr``, ``control_aware``, ``round_robin``.
        n_plants: Plant counts tried (one cell each per seed).
        seeds: Root seeds (ns-3 RngRun, positions, plant noise).
        duration_s: Simulated time per episode.
        noise_margin: Ideal-network bound / stationary std of the watched state, one or more
            (a sensitivity sweep when several).
        bound: Stability bound on the watched states (|theta| <= 0.05).
        period_s: Sampling period.
        distance_m: Sensor-to-AP distances, uniform in this range (random bearings).
        tx_power_dbm: Transmit power of every node.
        mcs: HE-MCS of every TB PPDU.
        slot_us: One trigger exchange's slot (see ``twin.uplink_cycle``).
        exchange_us: Latency of a slot's updates from the slot start (access, Trigger Frame,
            SIFS, TB PPDU): slot ``j`` counts within ``tau_max`` if ``j slot + exchange <= tau``.
        channel: Path-loss model (``inf`` = 3GPP TR 38.901 indoor factory).
        bridge_timeout_s: Bridge timeout (large cells take long to associate).
    """

    plants: tuple[str, ...] = ("inverted_pendulum", "ball_board")
    tau_max_ms: tuple[float, ...] = (0.5, 1.0, 1.5)
    schedulers: tuple[str, ...] = ("fixed_pdr", "control_aware")
    n_plants: tuple[int, ...] = (9, 18)
    seeds: tuple[int, ...] = (1,)
    duration_s: float = 1.0
    noise_margin: tuple[float, ...] = (6.0,)
    bound: float = 0.05
    period_s: float = 0.01
    distance_m: tuple[float, float] = (1.0, 50.0)
    tx_power_dbm: float = 23.0
    mcs: int = 7
    slot_us: int = 500
    exchange_us: int = 450
    channel: str = "inf"
    bridge_timeout_s: float = 900.0

    def check(self, path: str) -> None:
        """Raises :class:`ConfigError` naming the field and its allowed range."""
        for p in self.plants:
            if p not in PLANTS:
                raise ConfigError(
                    f"{path}.plants: {p!r} is not allowed; allowed: {', '.join(PLANTS)}"
                )
        for s in self.schedulers:
            if s not in ("fixed_pdr", "control_aware", "round_robin"):
                raise ConfigError(
                    f"{path}.schedulers: {s!r} is not allowed; allowed: fixed_pdr, control_aware, "
                    "round_robin"
                )
        for t in self.tau_max_ms:
            if not 0 < t <= self.period_s * 1e3:
                raise ConfigError(
                    f"{path}.tau_max_ms: must be in (0, {self.period_s * 1e3}] (got {t})"
                )
        for m in self.n_plants:
            if not 1 <= m <= 200:
                raise ConfigError(f"{path}.n_plants: must be in 1..200 (got {m})")
        if not self.seeds:
            raise ConfigError(f"{path}.seeds: give at least one seed")
        if not self.period_s <= self.duration_s <= 100_000:
            raise ConfigError(
                f"{path}.duration_s: must be in {self.period_s}..100000 s (got {self.duration_s})"
            )
        for k in self.noise_margin:
            if not k > 0:
                raise ConfigError(f"{path}.noise_margin: must be > 0 (got {k})")
        lo, hi = self.distance_m
        if not 0 < lo <= hi <= 1000:
            raise ConfigError(f"{path}.distance_m: need 0 < min <= max <= 1000 (got {lo}, {hi})")
        if not 0 < self.exchange_us <= self.slot_us:
            raise ConfigError(
                f"{path}.exchange_us: must be in (0, slot_us={self.slot_us}] "
                f"(got {self.exchange_us})"
            )
        WifiConfig(tx_power_dbm=self.tx_power_dbm, mcs=self.mcs).check(f"{path}.wifi")
        ChannelConfig(model=self.channel).check(f"{path}.channel")


def noise_for_margin(
    plant: LinearPlant, watch: tuple[int, ...], bound: float, margin: float
) -> float:
    """``w`` of ``W = w I`` that makes the ideal-network std of the watched states ``bound/margin``.

    With every update delivered the loop is ``x+ = F x + w``; its stationary covariance is
    ``w S1`` with ``S1 = F S1 F' + I``, so the largest watched std is ``sqrt(w) max sqrt(S1_ii)``.
    """
    batch = PlantBatch.from_plant(plant, 1)
    s1 = scipy.linalg.solve_discrete_lyapunov(batch.closed_loop()[0], np.eye(batch.n))
    std1 = float(np.sqrt(np.max(np.diag(s1)[list(watch)])))
    return float((bound / margin / std1) ** 2)


def sensor_cell(cfg: CapacityConfig, m: int, seed: int) -> CellConfig:
    """The controller at the AP and ``m`` sensors, 1-50 m away, one 100-byte VO uplink each."""
    rng = np.random.default_rng([seed, m])
    dist = rng.uniform(*cfg.distance_m, size=m)
    ang = rng.uniform(0.0, 2.0 * np.pi, size=m)
    nodes = [NodeConfig("controller", "ap", (0.0, 0.0, 3.0))]
    nodes += [
        NodeConfig(
            f"sensor{i + 1}",
            "sta",
            (float(dist[i] * np.cos(ang[i])), float(dist[i] * np.sin(ang[i])), 1.0),
        )
        for i in range(m)
    ]
    flows = [
        FlowConfig(
            f"sensor{i + 1}.state", f"sensor{i + 1}", "controller", size_bytes=100, period_s=None
        )
        for i in range(m)
    ]
    wifi = WifiConfig(
        channel_width_mhz=20,
        tx_power_dbm=cfg.tx_power_dbm,
        mcs=cfg.mcs,
        ofdma=sensor_ofdma(),
    )
    return CellConfig(
        nodes=tuple(nodes), flows=tuple(flows), wifi=wifi, channel=ChannelConfig(model=cfg.channel)
    )


def _plan(cfg: CapacityConfig, tau_ms: float) -> UplinkPlan:
    # Slot j's updates arrive about j * slot + exchange after the cycle start.
    tau_ns = round(tau_ms * 1e6)
    slots = max(0, (tau_ns - cfg.exchange_us * 1000) // (cfg.slot_us * 1000) + 1)
    return UplinkPlan(tau_max_ns=tau_ns, slot_ns=cfg.slot_us * 1000, slots=int(slots))


def run_episode(
    cycle: UplinkCycle,
    plant_name: str,
    scheduler: str,
    w: float,
    cfg: CapacityConfig,
    rng: np.random.Generator,
) -> dict[str, Any]:
    """One run of ``m`` plants under one scheduler on the running network.

    Returns:
        Per-run figures: plants within the bound, sent/on-time updates, worst watched state.
    """
    plant, watch = PLANTS[plant_name]
    sim = cycle.sim
    m = len(cycle.stations)
    period_ns = round(cfg.period_s * NS_PER_S)
    batch = PlantBatch.from_plant(plant, m)
    wm = w * np.eye(batch.n)
    s = scipy.linalg.solve_discrete_lyapunov(batch.closed_loop()[0], wm)
    batch.x = rng.multivariate_normal(np.zeros(batch.n), s, size=m)
    names = list(cycle.stations)
    plants = NetworkedPlants(
        batch,
        wm,
        np.random.default_rng(rng.integers(2**63)),
        period_s=cfg.period_s,
        deadline_s=cycle.plan.tau_max_ns / NS_PER_S,
        names=names,
        positions_m={n: (0.0, 0.0, 0.0) for n in ["controller", *names]},
    )
    allocator = make_allocator(scheduler)
    allocator.reset(batch)
    t_ns = sim.now_ns
    outbox = plants.step(t_ns / NS_PER_S - cfg.period_s, cfg.period_s)
    start_abs = np.abs(batch.x[:, list(watch)]).max(axis=1)
    age = np.zeros(m, dtype=np.int64)
    sent = on_time = 0
    n_cycles = round(cfg.duration_s / cfg.period_s)
    for _ in range(n_cycles):
        t_ns = sim.now_ns
        view = CycleView(
            x=batch.x.copy(),
            x_hat=plants.predictor.x_hat.copy(),
            age=age,
            capacity=cycle.plan.capacity,
        )
        order = allocator.select(view)
        lat = cycle.run(order, t_ns + period_ns)
        ok = (lat >= 0) & (lat <= cycle.plan.tau_max_ns)
        sent += min(len(order), cycle.plan.capacity)
        on_time += int(ok.sum())
        by_name: dict[str, Message] = {msg.src: msg for msg in outbox}
        for i in np.flatnonzero(ok).tolist():
            plants.deliver(by_name[names[i]], (t_ns + int(lat[i])) / NS_PER_S)
        age = np.where(ok, 0, age + 1)
        outbox = plants.step(t_ns / NS_PER_S, cfg.period_s)
    worst = np.maximum(plants.max_abs_x[:, list(watch)].max(axis=1), start_abs)
    stable = worst <= cfg.bound
    return {
        "stable_plants": int(stable.sum()),
        "stable_fraction": float(stable.mean()),
        "all_stable": bool(stable.all()),
        "updates_sent": sent,
        "updates_on_time": on_time,
        "on_time_rate": on_time / sent if sent else float("nan"),
        "update_rate": float(plants.updates_used.mean() / max(n_cycles, 1)),
        "worst_watched": float(worst.max()),
        "cycles": n_cycles,
    }


def episodes(cfg: CapacityConfig) -> Iterator[tuple[int, int, str, float, float, str]]:
    """Every (m, seed, plant, margin, tau_max_ms, scheduler) of the study, cell by cell."""
    for m in cfg.n_plants:
        for seed in cfg.seeds:
            for plant in cfg.plants:
                for margin in cfg.noise_margin:
                    for tau in cfg.tau_max_ms:
                        for sched in cfg.schedulers:
                            yield m, seed, plant, margin, tau, sched


def run_study(
    cfg: CapacityConfig,
    progress: Callable[[str], None] | None = None,
    on_cell: Callable[[dict[str, Any]], None] | None = None,
    failures: list[dict[str, Any]] | None = None,
) -> list[dict[str, Any]]:
    """Runs every episode of ``cfg``; one row per episode (see :func:`run_episode`).

    A cell that ns-3 fails (crash, timeout) is recorded in ``failures`` (``n_plants``, ``seed``,
    the episodes it had done, the error) and the study goes on with the next cell; its finished
    episodes are kept.

    Args:
        cfg: The study.
        progress: Called with a line of text after every episode.
        on_cell: Called with the ns-3 facts of each new cell (versions).
        failures: Receives one entry per failed cell (not collected when None: the error is
            raised).
    """
    cfg.check("capacity")
    rows: list[dict[str, Any]] = []
    per_cell = len(cfg.plants) * len(cfg.noise_margin) * len(cfg.tau_max_ms) * len(cfg.schedulers)
    todo = list(episodes(cfg))
    for start in range(0, len(todo), per_cell):
        m, seed = todo[start][0], todo[start][1]
        cell = sensor_cell(cfg, m, seed)
        done = len(rows)
        try:
            _run_cell(cfg, cell, m, seed, todo[start : start + per_cell], rows, progress, on_cell)
        except RUN_FAILURES as e:
            if failures is None:
                raise
            failures.append(
                {"n_plants": m, "seed": seed, "episodes_done": len(rows) - done, "error": str(e)}
            )
            if progress is not None:
                progress(f"m={m} seed={seed}: ns-3 FAILED, cell skipped: {e}")
    return rows


def _run_cell(
    cfg: CapacityConfig,
    cell: CellConfig,
    m: int,
    seed: int,
    todo: list[tuple[int, int, str, float, float, str]],
    rows: list[dict[str, Any]],
    progress: Callable[[str], None] | None,
    on_cell: Callable[[dict[str, Any]], None] | None,
) -> None:
    """Runs the episodes ``todo`` of one (m, seed) cell on one co-simulation, into ``rows``.

    The episodes run one after the other on the running network while every sensor keeps its
    MU EDCA timer running. An episode that left a sensor without a delivered update for half
    the MU EDCA timer or more (a fixed-PDR plan's tail, for one) would hand the next episode a
    network whose silent sensors contend with EDCA again, or soon, which the next scheduler
    did not cause; the cell is rebuilt (ns-3 reset to time zero) before that next episode
    (``fresh_network`` in its row), so every run starts with at least 1 s left on each timer.
    """
    stations = [f"sensor{i + 1}" for i in range(m)]
    flows = [cell.flow_index(f"{n}.state") for n in stations]
    rng = np.random.default_rng([seed, m, 7])
    last_rx_ns: np.ndarray | None = None
    with CoSimulation(cell, seed=seed, bridge=BridgeConfig(timeout_s=cfg.bridge_timeout_s)) as sim:
        if on_cell is not None:
            on_cell(dict(sim.info))
        for k, (_, _, plant, margin, tau, sched) in enumerate(todo):
            fresh = last_rx_ns is None
            t0 = time.perf_counter()
            if fresh:
                _fresh_network(sim, cfg, stations, flows, rebuild=k > 0)
            warm_s = time.perf_counter() - t0
            cycle = UplinkCycle(sim, stations, flows, _plan(cfg, tau), last_rx_ns=last_rx_ns)
            w = noise_for_margin(PLANTS[plant][0], PLANTS[plant][1], cfg.bound, margin)
            e0 = time.perf_counter()
            row: dict[str, Any] = {
                "plant": plant,
                "n_plants": m,
                "seed": seed,
                "noise_margin": margin,
                "noise_w": w,
                "tau_max_ms": tau,
                "scheduler": sched,
                "slots": cycle.plan.slots,
                "capacity_per_cycle": cycle.plan.capacity,
                "fresh_network": fresh,
            }
            row.update(run_episode(cycle, plant, sched, w, cfg, rng))
            row["wall_s"] = time.perf_counter() - e0 + warm_s
            rows.append(row)
            silent = cycle.longest_silence_ns() >= MU_EDCA_TIMER_NS // 2
            last_rx_ns = None if silent else cycle.last_rx_ns
            if progress is not None:
                progress(
                    f"m={m} seed={seed} {plant} margin={margin} tau={tau} ms {sched}: "
                    f"{row['stable_plants']}/{m} stable, on-time {row['on_time_rate']:.3f}, "
                    f"{row['wall_s']:.1f} s" + (" (fresh network)" if fresh and k > 0 else "")
                )


def _fresh_network(
    sim: CoSimulation,
    cfg: CapacityConfig,
    stations: list[str],
    flows: list[int],
    rebuild: bool,
) -> None:
    """Brings ``sim`` to a cell whose sensors have all just been served in a TB PPDU.

    Args:
        sim: The cell's co-simulation (started).
        cfg: The study.
        stations: Sensor node names.
        flows: Their uplink flow indices.
        rebuild: Rebuild ns-3's cell first (a new association warm-up at time zero).
    """
    if rebuild:
        sim.reset()
    period_ns = round(cfg.period_s * NS_PER_S)
    # Quiet until the first cycle (a downlink-only schedule: no triggers), then one unscored
    # cycle serving every sensor: in the first trigger after the warm-up a station may answer
    # with a QoS Null (measured), which would count against the first run.
    sim.schedule_mu(dl={stations[0]: 242})
    sim.step_ns(period_ns)
    warm = UplinkPlan(period_ns, cfg.slot_us * 1000, -(-len(stations) // 9))
    UplinkCycle(sim, stations, flows, warm).run(np.arange(len(stations)), sim.now_ns + period_ns)


def capacities(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Plants kept stable per (plant, margin, tau_max, scheduler).

    ``supported`` is the largest tried m such that every run at it and at every smaller tried m
    kept all its plants stable (0 if none); ``censored`` says it is the largest m tried (the true
    capacity may be higher).
    """
    keys = sorted({(r["plant"], r["noise_margin"], r["tau_max_ms"], r["scheduler"]) for r in rows})
    out = []
    for plant, margin, tau, sched in keys:
        mine = [
            r
            for r in rows
            if (r["plant"], r["noise_margin"], r["tau_max_ms"], r["scheduler"])
            == (plant, margin, tau, sched)
        ]
        ms = sorted({r["n_plants"] for r in mine})
        supported = 0
        for m in ms:
            if all(r["all_stable"] for r in mine if r["n_plants"] == m):
                supported = m
            else:
                break
        out.append(
            {
                "plant": plant,
                "noise_margin": margin,
                "tau_max_ms": tau,
                "scheduler": sched,
                "supported": supported,
                "censored": bool(ms) and supported == ms[-1],
                "on_time_rate": float(np.nanmean([r["on_time_rate"] for r in mine])),
            }
        )
    return out

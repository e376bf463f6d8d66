"""The wireless-TSN workcell study (issue 8, part 2): one workcell over four networks.

Sudhakaran et al. (IEEE Access 2022) compare a collaborative-robot machine-tending workcell over
wired Ethernet, over Wi-Fi, over Wi-Fi shared with best-effort traffic, and over wireless TSN
(802.1AS over Wi-Fi plus 802.1Qbv windows configured to the time budget of the robot traffic).
This module runs the same four configurations of our workcell job (``twin.workcell_job``: a PLC,
an edge arm controller at the AP, two arms, four machining stations) for several seeds and
collects what the report compares (``agents.wtsn_report``):

- ``wired``: every device (and the best-effort stations) on the Ethernet TSN bridge behind the
  AP (``workcell.network: wired``), with the same best-effort load: the baseline;
- ``wifi``: every device on the 802.11ax BSS, no other traffic;
- ``wifi_be``: the same with ``n_best_effort`` stations offering ``be_mbps`` of 1500-byte BE
  uplink frames in total (plain EDCA);
- ``wifi_be_tsn``: the same load, with 802.1AS over the BSS and every arm's setpoint and state
  flow a scheduled stream (802.1Qbv windows from the central configurator, period = the arms'
  control period, max latency = that period); the twin sends the streams at their talker offsets
  (``twin.talker_schedule``).

Per run: the latency (send to delivery, ns-3's per-packet ledger) of the robot flows (arm
setpoints and states) and of the PLC flows (task/status with the edge controller, commands and
status with the machining stations), losses, and the workcell's own metrics (arm idle time and
its network part, task completion time, parts per hour, safety stops).
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from robots.workcell import load_workcell_config
from twin.bridge.errors import RUN_FAILURES
from twin.config import ConfigError, ExperimentConfig, WorkcellJobConfig
from twin.configio import experiment_from_dict
from twin.experiment import run_experiment
from twin.packet_ledger import DELIVERED

#: The four configurations, in report order.
CONFIGS: tuple[str, ...] = ("wired", "wifi", "wifi_be", "wifi_be_tsn")

#: What each configuration is, for the report.
CONFIG_TEXT: dict[str, str] = {
    "wired": "fully wired cell (1 Gb/s Ethernet TSN bridge), same best-effort load",
    "wifi": "802.11ax Wi-Fi, no other traffic",
    "wifi_be": "Wi-Fi shared with best-effort stations (plain EDCA)",
    "wifi_be_tsn": "Wi-Fi with the same best-effort load, 802.1AS + 802.1Qbv (WTSN)",
}

#: Suffixes of the flows of each group (``robots.workcell`` flow names).
ROBOT_FLOWS = (".setpoint", ".state")
PLC_FLOWS = (".task", ".task_status", ".cmd", ".status")

#: Machine metrics kept per run (mean over arms for the per-arm ones).
MACHINE_KEYS = (
    "completion_time_s",
    "parts_per_hour",
    "parts_done",
    "idle_s",
    "wait_network_s",
    "stopped_s",
    "safety_stops",
)


@dataclass(frozen=True)
class WtsnStudyConfig:
    """The study.

    Attributes:
        configs: Configurations to run (of :data:`CONFIGS`).
        seeds: Root seeds (one run per configuration and seed).
        workcell: Workcell YAML in ``robots/configs`` (``nist_workcell_fast``: the NIST layout
            and 4 ms control period with fast arms and 0.2 s machining) or a path.
        n_parts: Parts per run.
        max_s: Simulated-time limit per run (a run ends when its parts are done).
        n_best_effort: Best-effort stations (``wired``, ``wifi_be``, ``wifi_be_tsn``).
        be_mbps: Their offered load in total, Mbit/s of 1500-byte BE frames, split evenly
            (Intel's Wi-Fi TSN demo sweeps 1-100 Mbit/s).
        be_size_bytes: Best-effort frame size.
        mcs: HE-MCS of the BSS.
        sync_error_bound_ns: The configurator's sync error bound (Intel: about 2 us p99 and
            4 us max over Wi-Fi 6).
        log_sync_interval: gPTP Sync interval, log2 s (Intel: -3, 8 per second).
        attempts: Transmissions budgeted per scheduled frame (1 + retries). The cell's retry
            limit of every frame becomes this number (docs/tsn.md), so 1 leaves the unscheduled
            PLC frames no retransmission: with 1, 60 % of them were lost and no part was done in
            20 s (seed 1, 100 Mbit/s); 2 fits four arm windows in the 4 ms cycle.
        sweep_be_mbps: Best-effort loads of the optional sweep (``wifi_be`` and ``wifi_be_tsn``
            with the first seed); empty: no sweep.
    """

    configs: tuple[str, ...] = CONFIGS
    seeds: tuple[int, ...] = (1, 2)
    workcell: str = "nist_workcell_fast"
    n_parts: int = 1
    max_s: float = 20.0
    n_best_effort: int = 2
    be_mbps: float = 100.0
    be_size_bytes: int = 1500
    mcs: int = 7
    sync_error_bound_ns: int = 2000
    log_sync_interval: int = -3
    attempts: int = 2
    sweep_be_mbps: tuple[float, ...] = field(default_factory=tuple)

    def check(self, path: str) -> None:
        """Raises :class:`ConfigError` for an invalid value, naming ``path``."""
        for i, c in enumerate(self.configs):
            if c not in CONFIGS:
                raise ConfigError(
                    f"{path}.configs[{i}]: {c!r} is not allowed; allowed: {', '.join(CONFIGS)}"
                )
        if not self.configs:
            raise ConfigError(f"{path}.configs: must name at least one configuration")
        if not self.seeds or min(self.seeds) < 1:
            raise ConfigError(f"{path}.seeds: must be one or more seeds >= 1 (got {self.seeds})")
        if not 1 <= self.n_parts <= 100:
            raise ConfigError(f"{path}.n_parts: must be in 1..100 (got {self.n_parts})")
        if not self.max_s > 0:
            raise ConfigError(f"{path}.max_s: must be > 0 (got {self.max_s})")
        if not 1 <= self.n_best_effort <= 20:
            raise ConfigError(f"{path}.n_best_effort: must be in 1..20 (got {self.n_best_effort})")
        for i, mbps in enumerate((self.be_mbps, *self.sweep_be_mbps)):
            if not 0 < mbps <= 1000:
                name = "be_mbps" if i == 0 else f"sweep_be_mbps[{i - 1}]"
                raise ConfigError(f"{path}.{name}: must be in (0, 1000] Mbit/s (got {mbps})")
        if not 1 <= self.attempts <= 8:
            raise ConfigError(f"{path}.attempts: must be in 1..8 (got {self.attempts})")
        WorkcellJobConfig(config=self.workcell).config_path(f"{path}.workcell")

    def control_period_ns(self) -> int:
        """The arms' control period (the period of the scheduled streams)."""
        job = WorkcellJobConfig(config=self.workcell)
        return round(load_workcell_config(job.config_path()).arm_link.period_s * 1e9)


def experiment_data(study: WtsnStudyConfig, config: str, seed: int, be_mbps: float) -> dict:
    """The experiment mapping (``fabtwin run`` YAML) of one configuration and seed."""
    per_station_bps = be_mbps * 1e6 / study.n_best_effort
    loaded = config != "wifi"
    workcell: dict[str, Any] = {
        "config": study.workcell,
        "n_parts": study.n_parts,
        "network": "wired" if config == "wired" else "wifi",
        "n_best_effort": study.n_best_effort if loaded else 0,
        "best_effort_size_bytes": study.be_size_bytes,
        "best_effort_period_s": study.be_size_bytes * 8 / per_station_bps,
        "best_effort_access_category": "BE",
    }
    cell: dict[str, Any] = {
        "wifi": {"mcs": study.mcs},
        "channel": {"model": "log_distance", "exponent": 3.0},
    }
    if config == "wifi_be_tsn":
        period_ns = study.control_period_ns()
        cell["tsn"] = {
            "sync": {"enabled": True, "log_sync_interval": study.log_sync_interval},
            "qbv": {"sync_error_bound_ns": study.sync_error_bound_ns},
            "streams": [
                {"flow": f"{arm}{suffix}", "period_ns": period_ns, "attempts": study.attempts}
                for arm in _arm_names(study)
                for suffix in ROBOT_FLOWS
            ],
        }
    return {
        "workcell": workcell,
        "cell": cell,
        "run": {"duration_s": study.max_s, "seed": seed, "drain_s": 0.05},
        "bridge": {"transport": "ipc", "timeout_s": 300},
    }


def _arm_names(study: WtsnStudyConfig) -> list[str]:
    job = WorkcellJobConfig(config=study.workcell)
    return [a.name for a in load_workcell_config(job.config_path()).arms]


@dataclass(frozen=True)
class Episode:
    """One run to do."""

    config: str
    seed: int
    be_mbps: float
    sweep: bool = False


def episodes(study: WtsnStudyConfig) -> Iterator[Episode]:
    """The runs of ``study``: every configuration x seed, then the sweep (first seed)."""
    for config in study.configs:
        for seed in study.seeds:
            yield Episode(config, seed, study.be_mbps)
    for mbps in study.sweep_be_mbps:
        for config in ("wifi_be", "wifi_be_tsn"):
            if config in study.configs:
                yield Episode(config, study.seeds[0], mbps, sweep=True)


@dataclass
class RunOutcome:
    """What one run measured.

    Attributes:
        row: Scalars (one CSV row): configuration, seed, load, machine metrics, latency
            percentiles per flow group, losses, wall time.
        latency_ms: Per flow group (``robot``, ``plc``), the latencies of delivered packets.
        age_ms: Robot flows: delivery time minus the control tick that created the message
            (includes the wait for the talker instant under TSN; equal to the latency otherwise).
        info: READY's facts (the TSN schedule, versions).
    """

    row: dict[str, Any]
    latency_ms: dict[str, np.ndarray]
    age_ms: np.ndarray
    info: dict[str, Any]


def flow_groups(cfg: ExperimentConfig) -> dict[str, np.ndarray]:
    """Flow indices of the robot and PLC groups."""
    names = [f.name for f in cfg.cell.flows]
    return {
        "robot": np.array([i for i, n in enumerate(names) if n.endswith(ROBOT_FLOWS)], int),
        "plc": np.array([i for i, n in enumerate(names) if n.endswith(PLC_FLOWS)], int),
    }


def run_episode(study: WtsnStudyConfig, ep: Episode) -> RunOutcome:
    """Runs one configuration and seed through the real co-simulation."""
    cfg = experiment_from_dict(experiment_data(study, ep.config, ep.seed, ep.be_mbps))
    t0 = time.perf_counter()
    result = run_experiment(cfg, write=False, progress=False)
    wall_s = time.perf_counter() - t0
    table = result.ledger.table()
    machine = result.summary["machine"]
    arms = sorted({k.split("/")[0] for k in machine if k.endswith("/idle_s")})
    row: dict[str, Any] = {
        "config": ep.config,
        "seed": ep.seed,
        "be_mbps": ep.be_mbps if ep.config != "wifi" else 0.0,
        "sweep": ep.sweep,
        "completion_time_s": machine["cell/completion_time_s"],
        "parts_per_hour": machine["cell/parts_per_hour"],
        "parts_done": machine["cell/parts_done"],
        "safety_stops": machine["cell/safety_stops"],
    }
    for key in ("idle_s", "wait_network_s", "stopped_s"):
        row[key] = float(np.mean([machine[f"{a}/{key}"] for a in arms]))
    latency: dict[str, np.ndarray] = {}
    period_ns = study.control_period_ns()
    age = np.zeros(0)
    for group, idx in flow_groups(cfg).items():
        mine = np.isin(table["flow"], idx)
        ok = mine & (table["fate"] == DELIVERED)
        lat = table["latency_ns"][ok] / 1e6
        latency[group] = lat
        sent = int(mine.sum())
        row[f"{group}_sent"] = sent
        row[f"{group}_lost"] = sent - int(ok.sum())
        row[f"{group}_late"] = int((lat > period_ns / 1e6).sum()) if group == "robot" else 0
        for name, value in percentiles(lat).items():
            row[f"{group}_{name}_ms"] = value
        if group == "robot":
            rx = table["rx_ns"][ok].astype(np.int64)
            created = (table["send_ns"][ok].astype(np.int64) // period_ns) * period_ns
            age = (rx - created) / 1e6
    row["robot_age_p99_ms"] = percentiles(age)["p99"]
    be = [i for i, f in enumerate(cfg.cell.flows) if f.name.startswith("be")]
    be_ok = np.isin(table["flow"], be) & (table["fate"] == DELIVERED)
    sim_s = float(result.summary["simulated_s"]) or 1.0
    row["be_delivered_mbps"] = float(table["size_bytes"][be_ok].sum()) * 8 / sim_s / 1e6
    row["simulated_s"] = sim_s
    row["ns3_notices"] = len(result.summary["ns3_notices"])
    row["wall_s"] = wall_s
    info = dict(result.summary.get("ns3") or {})
    return RunOutcome(row, latency, age, info)


def percentiles(values: np.ndarray) -> dict[str, float]:
    """p50, p99 and max (NaN for no values)."""
    if not len(values):
        return {"p50": float("nan"), "p99": float("nan"), "max": float("nan")}
    return {
        "p50": float(np.percentile(values, 50)),
        "p99": float(np.percentile(values, 99)),
        "max": float(np.max(values)),
    }


@dataclass
class StudyResult:
    """Every run of the study.

    Attributes:
        outcomes: One per run, in :func:`episodes` order.
        configs: The ``fabtwin run`` experiment mapping of each configuration (first seed,
            chosen load), as :func:`experiment_data` makes it: loadable as it is.
        failures: Runs that ns-3 refused or aborted: (configuration, seed, load, the error).
    """

    outcomes: list[RunOutcome] = field(default_factory=list)
    configs: dict[str, dict[str, Any]] = field(default_factory=dict)
    failures: list[tuple[str, int, float, str]] = field(default_factory=list)

    def rows(self) -> list[dict[str, Any]]:
        """One row per run."""
        return [o.row for o in self.outcomes]


def run_study(study: WtsnStudyConfig, progress: Callable[[str], None] = print) -> StudyResult:
    """Runs every episode of ``study`` in order; a run that ns-3 fails is recorded and skipped."""
    out = StudyResult()
    eps = list(episodes(study))
    for k, ep in enumerate(eps):
        try:
            outcome = run_episode(study, ep)
        except RUN_FAILURES as e:
            out.failures.append((ep.config, ep.seed, ep.be_mbps, str(e)))
            progress(f"[{k + 1}/{len(eps)}] {ep.config} seed {ep.seed} FAILED: {e}")
            continue
        out.outcomes.append(outcome)
        if not ep.sweep and ep.config not in out.configs:
            out.configs[ep.config] = experiment_data(study, ep.config, ep.seed, ep.be_mbps)
        r = outcome.row
        progress(
            f"[{k + 1}/{len(eps)}] {ep.config} seed {ep.seed} BE {r['be_mbps']:g} Mbit/s: robot "
            f"p99 {r['robot_p99_ms']:.3f} ms, idle {r['idle_s']:.3f} s, completion "
            f"{r['completion_time_s']:.3f} s, stops {r['safety_stops']:.0f} "
            f"({r['wall_s']:.0f} s wall)"
        )
    return out


def pooled(result: StudyResult, config: str) -> dict[str, Any]:
    """A configuration's runs (not the sweep's) pooled: latency percentiles, machine means."""
    mine = [o for o in result.outcomes if o.row["config"] == config and not o.row["sweep"]]
    out: dict[str, Any] = {"config": config, "runs": len(mine)}
    for group in ("robot", "plc"):
        lat = np.concatenate([o.latency_ms[group] for o in mine]) if mine else np.zeros(0)
        for name, value in percentiles(lat).items():
            out[f"{group}_{name}_ms"] = value
        sent = sum(o.row[f"{group}_sent"] for o in mine)
        out[f"{group}_loss"] = sum(o.row[f"{group}_lost"] for o in mine) / sent if sent else 0.0
    age = np.concatenate([o.age_ms for o in mine]) if mine else np.zeros(0)
    out["robot_age_p99_ms"] = percentiles(age)["p99"]
    out["robot_late"] = sum(o.row["robot_late"] for o in mine)
    for key in (*MACHINE_KEYS, "be_delivered_mbps"):
        values = np.array([o.row[key] for o in mine], float)
        out[key] = float(np.mean(values)) if len(values) else float("nan")
        out[f"{key}_min"] = float(np.min(values)) if len(values) else float("nan")
        out[f"{key}_max"] = float(np.max(values)) if len(values) else float("nan")
    return out


def verdict(table: dict[str, dict[str, Any]]) -> dict[str, Any]:
    """Whether the published finding holds in our numbers.

    Degradation: Wi-Fi with best-effort load has a higher robot-flow p99 latency and/or more arm
    idle time than wired. Recovery: with TSN the robot p99 latency is closer to wired than
    without, and the idle time no further from it.
    """
    need = {"wired", "wifi_be", "wifi_be_tsn"}
    if not need <= set(table):
        return {"compared": False}
    w, be, tsn = table["wired"], table["wifi_be"], table["wifi_be_tsn"]
    out: dict[str, Any] = {"compared": True}
    for key in ("robot_p99_ms", "idle_s", "completion_time_s"):
        out[f"{key}_be_worse_than_wired"] = bool(be[key] > w[key])
        out[f"{key}_tsn_closer_than_be"] = bool(abs(tsn[key] - w[key]) < abs(be[key] - w[key]))
    out["degrades"] = out["robot_p99_ms_be_worse_than_wired"] or out["idle_s_be_worse_than_wired"]
    # Closer on the robot p99 latency, and no further from wired on idle time.
    out["tsn_recovers"] = out["robot_p99_ms_tsn_closer_than_be"] and bool(
        abs(tsn["idle_s"] - w["idle_s"]) <= abs(be["idle_s"] - w["idle_s"])
    )
    out["finding_holds"] = out["degrades"] and out["tsn_recovers"]
    return out

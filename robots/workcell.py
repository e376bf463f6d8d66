"""Machine-tending workcell like the NIST collaborative-robot testbed, every handshake a message.

Layout (from :class:`WorkcellConfig`, default ``robots/configs/nist_workcell.yaml``): a supervisory
PLC, an edge motion controller, arms in a chain and machining stations. Each arm runs the same
PLC program on its own part of the line::

    source --arm--> station 1 (machine) --arm--> station 2 (machine) ... --arm--> sink

The first arm's source is the infeed (always stocked, ``n_parts`` raw parts), the last arm's sink
is the outfeed; between arms a handover table (unbounded) passes parts on. With the default
config, arm1 takes a raw part to station1, then station2, then the handover table; arm2 takes it
to station3, station4 and the outfeed. An arm carries one part at a time and waits by the machine.

Messages (device names ``plc``, ``edge``, ``<arm>``, ``<station>``):

=====================  ============  ===============================================
flow                   src -> dst    payload
=====================  ============  ===============================================
``<arm>.task``         plc -> edge   :class:`TaskCommand` (pick and place locations)
``<arm>.task_status``  edge -> plc   :class:`TaskStatus` (last finished task id)
``<station>.cmd``      plc -> stn    :class:`StationCommand` (job id to run)
``<station>.status``   stn -> plc    :class:`StationStatus` (last finished job id)
``<arm>.setpoint``     edge -> arm   cyclic, see :mod:`robots.arm_cell`
``<arm>.state``        arm -> edge   cyclic, see :mod:`robots.arm_cell`
=====================  ============  ===============================================

The four handshake flows are cyclic I/O with change-of-state: a device publishes its current
output at once when it changes and repeats it every ``io_heartbeat_period_s`` (so a lost message
costs at most one heartbeat; contents are idempotent ids, duplicates are harmless).

Tick order inside ``step(t, dt)`` (all devices act at ``t1 = t + dt``): arm physics over the period;
deliveries with receive time <= t1; edge starts newly commanded tasks (planned from t1); arm and
edge ticks; stations start new jobs and finish elapsed ones; PLC scan; publish.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from robots.arm_cell import ArmLink, ArmLinkConfig
from robots.arm_controller import Waypoint, plan_duration_s
from robots.arm_kinematics import arm_model
from robots.config import load_yaml
from robots.messages import FlowSpec, Inbox, Message
from robots.metrics import parts_per_hour
from robots.networked import CosPublisher

INFEED = "infeed"
OUTFEED = "outfeed"
DEFAULT_CONFIG_PATH = Path(__file__).parent / "configs" / "nist_workcell.yaml"
_EPS = 1e-9


@dataclass(frozen=True)
class StationConfig:
    """One machining station.

    Attributes:
        name: Device name.
        cycle_time_s: Machining time per part, > 0.
        position_m: Location on the floor (for the network model).
    """

    name: str
    cycle_time_s: float
    position_m: tuple[float, float, float] = (0.0, 0.0, 1.0)

    def __post_init__(self) -> None:
        if not self.cycle_time_s > 0.0:
            raise ValueError(f"StationConfig.cycle_time_s must be > 0, got {self.cycle_time_s}")


@dataclass(frozen=True)
class WorkcellArmConfig:
    """One arm and its part of the line.

    Attributes:
        name: Device name.
        source: Where it picks parts: ``"infeed"`` or the previous arm's sink.
        stations: Stations it tends, in processing order (>= 1).
        sink: Where it leaves parts: ``"outfeed"`` or a handover table name.
        poses_rad: Joint angles (6) for ``home``, the source, each station and the sink.
        model: Published DH model (``"ur5e"`` or ``"ur10e"``).
        position_m: Base location on the floor (for the network model).
    """

    name: str
    source: str
    stations: tuple[str, ...]
    sink: str
    poses_rad: dict[str, tuple[float, ...]]
    model: str = "ur5e"
    position_m: tuple[float, float, float] = (0.0, 0.0, 1.0)

    def __post_init__(self) -> None:
        arm_model(self.model)
        if not self.stations:
            raise ValueError(f"WorkcellArmConfig.stations of {self.name} must not be empty")
        for key in ("home", self.source, *self.stations, self.sink):
            pose = self.poses_rad.get(key)
            if pose is None or len(pose) != 6:
                raise ValueError(
                    f"WorkcellArmConfig.poses_rad of {self.name} needs 6 joint angles for {key!r}"
                )


@dataclass(frozen=True)
class WorkcellConfig:
    """Workcell layout, counts and times.

    Attributes:
        arms: Arms in line order (first picks from the infeed, last places on the outfeed).
        stations: Machining stations.
        arm_link: Control period, joint limits and servo/safety settings of the arms.
        grip_time_s: Standstill to close the gripper at a pick, >= 0.
        release_time_s: Standstill to open the gripper at a place, >= 0.
        io_heartbeat_period_s: Repeat period of the PLC handshake flows, > 0.
        io_bytes: Size of a handshake message, > 0.
        plc: PLC device name.
        controller: Motion controller (edge server) device name.
        plc_position_m: PLC location.
        controller_position_m: Edge server location.
    """

    arms: tuple[WorkcellArmConfig, ...]
    stations: tuple[StationConfig, ...]
    arm_link: ArmLinkConfig = field(default_factory=ArmLinkConfig)
    grip_time_s: float = 0.5
    release_time_s: float = 0.5
    io_heartbeat_period_s: float = 0.1
    io_bytes: int = 32
    plc: str = "plc"
    controller: str = "edge"
    plc_position_m: tuple[float, float, float] = (0.0, 0.0, 1.0)
    controller_position_m: tuple[float, float, float] = (0.0, 0.0, 2.5)

    def __post_init__(self) -> None:
        if not self.arms:
            raise ValueError("WorkcellConfig.arms must not be empty")
        for name in ("grip_time_s", "release_time_s"):
            if getattr(self, name) < 0.0:
                raise ValueError(f"WorkcellConfig.{name} must be >= 0, got {getattr(self, name)}")
        if not self.io_heartbeat_period_s > 0.0:
            raise ValueError(
                "WorkcellConfig.io_heartbeat_period_s must be > 0, "
                f"got {self.io_heartbeat_period_s}"
            )
        if self.io_bytes <= 0:
            raise ValueError(f"WorkcellConfig.io_bytes must be > 0, got {self.io_bytes}")
        names = [s.name for s in self.stations]
        used = [s for a in self.arms for s in a.stations]
        if sorted(used) != sorted(names):
            raise ValueError(
                f"WorkcellConfig: every station must be tended by exactly one arm; "
                f"stations {names}, tended {used}"
            )
        if self.arms[0].source != INFEED or self.arms[-1].sink != OUTFEED:
            raise ValueError(
                f"WorkcellConfig.arms: the first arm's source must be {INFEED!r} and the last "
                f"arm's sink {OUTFEED!r}"
            )
        for a, b in zip(self.arms[:-1], self.arms[1:], strict=True):
            if a.sink != b.source or a.sink in (INFEED, OUTFEED):
                raise ValueError(
                    f"WorkcellConfig.arms: {a.name}'s sink ({a.sink!r}) must be a handover table "
                    f"that is {b.name}'s source ({b.source!r})"
                )

    def station(self, name: str) -> StationConfig:
        """Station config by name."""
        return next(s for s in self.stations if s.name == name)


def load_workcell_config(path: str | Path = DEFAULT_CONFIG_PATH) -> WorkcellConfig:
    """Load a workcell config from YAML (default: the NIST-like two-arm, four-station cell)."""
    return load_yaml(WorkcellConfig, path)


# ------------------------------------------------------------------------------------------------
# closed-form timing on an ideal network


def _ticks(duration_s: float, period_s: float) -> int:
    return max(0, math.ceil(duration_s / period_s - 1e-9))


def _transfer(arm: WorkcellArmConfig, cfg: WorkcellConfig, pick: str, place: str) -> list[Waypoint]:
    return [
        Waypoint(arm.poses_rad[pick], cfg.grip_time_s),
        Waypoint(arm.poses_rad[place], cfg.release_time_s),
    ]


def arm_cycle_ticks(cfg: WorkcellConfig, arm: WorkcellArmConfig, start: str) -> int:
    """Control periods one part occupies ``arm`` on an ideal network, starting at pose ``start``.

    Each transfer costs ``ceil(T_move/dt) + 2`` periods and each machining ``ceil(c/dt) + 2``:
    the ``+2`` are the command hop and the status hop (one period each, see
    :mod:`robots.messages`).
    """
    link = cfg.arm_link
    dt = link.period_s
    vmax = np.asarray(link.max_joint_speed_rad_s)
    amax = np.asarray(link.max_joint_accel_rad_s2)
    stops = [arm.source, *arm.stations, arm.sink]
    ticks = 0
    here = np.asarray(arm.poses_rad[start], dtype=float)
    for k in range(len(stops) - 1):
        wps = _transfer(arm, cfg, stops[k], stops[k + 1])
        ticks += _ticks(plan_duration_s(here, wps, vmax, amax), dt) + 2
        here = np.asarray(arm.poses_rad[stops[k + 1]], dtype=float)
        if k < len(arm.stations):
            ticks += _ticks(cfg.station(arm.stations[k]).cycle_time_s, dt) + 2
    return ticks


def ideal_completion_time_s(cfg: WorkcellConfig, n_parts: int) -> float:
    """Time to finish ``n_parts`` on an ideal (zero-delay, lossless) network, in closed form.

    The arms form a tandem line with unbounded handover tables; arm ``a`` needs ``f_a`` periods
    for its first part (starting from ``home``) and ``s_a`` for every later one (starting from its
    sink pose), see :func:`arm_cycle_ticks`. The finish tick of part N at the last arm is the
    longest path through the (arm, part) grid, which for N >= 2 is

        1 + max_j [ sum_{a<=j} f_a + sum_{a>=j} s_a + (N - 2) max_{a>=j} s_a ]

    and ``1 + sum_a f_a`` for N = 1 (the leading 1 is the PLC's first scan at ``t = dt``).
    """
    if n_parts < 1:
        raise ValueError(f"n_parts must be >= 1, got {n_parts}")
    f = [arm_cycle_ticks(cfg, a, "home") for a in cfg.arms]
    s = [arm_cycle_ticks(cfg, a, a.sink) for a in cfg.arms]
    m = len(cfg.arms)
    if n_parts == 1:
        ticks = 1 + sum(f)
    else:
        ticks = 1 + max(sum(f[: j + 1]) + sum(s[j:]) + (n_parts - 2) * max(s[j:]) for j in range(m))
    return ticks * cfg.arm_link.period_s


# ------------------------------------------------------------------------------------------------
# payloads


@dataclass(frozen=True)
class TaskCommand:
    """PLC -> edge: run task ``task_id`` (transfer from ``pick`` to ``place``); 0 = none yet."""

    task_id: int
    pick: str
    place: str


@dataclass(frozen=True)
class TaskStatus:
    """Edge -> PLC: the last task finished."""

    done_task_id: int


@dataclass(frozen=True)
class StationCommand:
    """PLC -> station: run job ``job_id`` (0 = none yet)."""

    job_id: int


@dataclass(frozen=True)
class StationStatus:
    """Station -> PLC: the last job finished."""

    done_job_id: int


# ------------------------------------------------------------------------------------------------
# the model

_IDLE = -1


class Workcell:
    """The networked machine-tending workcell (see the module docstring).

    Args:
        config: Layout, counts and times.
        n_parts: Raw parts on the infeed.
        rng: Accepted for interface uniformity; the workcell itself is deterministic.
    """

    def __init__(
        self, config: WorkcellConfig, n_parts: int, rng: np.random.Generator | None = None
    ) -> None:
        if n_parts < 1:
            raise ValueError(f"n_parts must be >= 1, got {n_parts}")
        self.config = config
        self.n_parts = n_parts
        self.rng = rng if rng is not None else np.random.default_rng(0)
        arms = config.arms
        self.arm_names = [a.name for a in arms]
        q0 = np.array([a.poses_rad["home"] for a in arms], dtype=float)
        self.link = ArmLink(self.arm_names, config.controller, q0, config.arm_link)
        self.station_names = [s.name for s in config.stations]
        self.st_index = {n: i for i, n in enumerate(self.station_names)}
        ns = len(self.station_names)
        self.st_cycle_s = np.array([s.cycle_time_s for s in config.stations])
        self.st_job = np.zeros(ns, dtype=np.int64)  # job being run or last run
        self.st_busy_until_s = np.full(ns, -np.inf)
        self.st_running = np.zeros(ns, dtype=bool)
        self.st_done_job = np.zeros(ns, dtype=np.int64)
        self.st_cmd_rx = np.zeros(ns, dtype=np.int64)  # newest job id received
        self.st_busy_s = np.zeros(ns)
        # Edge side: newest task command per arm, task being run, last finished.
        na = len(arms)
        self.edge_cmd: list[TaskCommand] = [TaskCommand(0, "", "")] * na
        self.edge_running = np.zeros(na, dtype=np.int64)
        self.edge_done = np.zeros(na, dtype=np.int64)
        # PLC side.
        self.plc_task_done_rx = np.zeros(na, dtype=np.int64)
        self.plc_job_done_rx = np.zeros(ns, dtype=np.int64)
        self.plc_op = np.full(na, _IDLE, dtype=np.int64)
        self.plc_task: list[TaskCommand] = [TaskCommand(0, "", "")] * na
        self.plc_job = np.zeros(ns, dtype=np.int64)
        self._next_id = 1
        self.buffers: dict[str, int] = {a.sink: 0 for a in arms}
        self.buffers[INFEED] = n_parts
        self.parts_done = 0
        self.part_done_s: list[float] = []
        self.completion_time_s: float | None = None
        self.inbox = Inbox()
        self.io = CosPublisher(config.io_heartbeat_period_s)
        # Per-arm time accounting (seconds).
        self.arm_moving_s = np.zeros(na)
        self.arm_stopped_s = np.zeros(na)
        self.arm_wait_machine_s = np.zeros(na)
        self.arm_wait_part_s = np.zeros(na)
        self.arm_wait_network_s = np.zeros(na)
        self.elapsed_s = 0.0

    # -------------------------------------------------------------------------- interface
    def devices(self) -> list[str]:
        """PLC, edge, arms, stations."""
        return [self.config.plc, self.config.controller, *self.arm_names, *self.station_names]

    def device_positions_m(self) -> dict[str, tuple[float, float, float]]:
        """Static device locations for the network model."""
        cfg = self.config
        pos = {cfg.plc: cfg.plc_position_m, cfg.controller: cfg.controller_position_m}
        pos.update({a.name: a.position_m for a in cfg.arms})
        pos.update({s.name: s.position_m for s in cfg.stations})
        return pos

    def flows(self) -> list[FlowSpec]:
        """Handshake flows (change-of-state + heartbeat) and the arms' cyclic flows."""
        cfg = self.config
        hb = cfg.io_heartbeat_period_s
        out = []
        for a in self.arm_names:
            out.append(FlowSpec(f"{a}.task", cfg.plc, cfg.controller, cfg.io_bytes, hb))
            out.append(FlowSpec(f"{a}.task_status", cfg.controller, cfg.plc, cfg.io_bytes, hb))
        for s in self.station_names:
            out.append(FlowSpec(f"{s}.cmd", cfg.plc, s, cfg.io_bytes, hb))
            out.append(FlowSpec(f"{s}.status", s, cfg.plc, cfg.io_bytes, hb))
        return out + self.link.flows()

    def deliver(self, msg: Message, t_s: float) -> None:
        """Accept a delivery; it takes effect at the first tick at or after ``t_s``."""
        self.inbox.put(msg, t_s)

    @property
    def finished(self) -> bool:
        """Whether every part has reached the outfeed."""
        return self.parts_done >= self.n_parts

    def step(self, t_s: float, dt_s: float) -> list[Message]:
        """Advance to ``t_s + dt_s`` and return the messages created then."""
        t1 = t_s + dt_s
        self._account(t_s, dt_s)
        self.link.integrate(t_s, dt_s)
        rest = self.link.absorb(self.inbox.take_until(t1), t1)
        self._absorb_io(rest)
        self._edge_start_tasks(t1)
        msgs, done = self.link.tick(t1)
        self.edge_done = np.where(done, self.edge_running, self.edge_done)
        self._stations(t1)
        if not self.finished:
            self._plc_scan(t1)
        msgs.extend(self._publish(t1))
        return msgs

    # -------------------------------------------------------------------------- devices
    def _absorb_io(self, deliveries: list[tuple[float, Message]]) -> None:
        arm_idx = {n: i for i, n in enumerate(self.arm_names)}
        for _, m in deliveries:
            p = m.payload
            dev = m.flow.rsplit(".", 1)[0]
            if isinstance(p, TaskCommand):
                i = arm_idx[dev]
                if p.task_id > self.edge_cmd[i].task_id:
                    self.edge_cmd[i] = p
            elif isinstance(p, TaskStatus):
                i = arm_idx[dev]
                self.plc_task_done_rx[i] = max(self.plc_task_done_rx[i], p.done_task_id)
            elif isinstance(p, StationCommand):
                j = self.st_index[dev]
                self.st_cmd_rx[j] = max(self.st_cmd_rx[j], p.job_id)
            elif isinstance(p, StationStatus):
                j = self.st_index[dev]
                self.plc_job_done_rx[j] = max(self.plc_job_done_rx[j], p.done_job_id)

    def _edge_start_tasks(self, t1: float) -> None:
        cfg = self.config
        for i, arm in enumerate(cfg.arms):
            cmd = self.edge_cmd[i]
            if cmd.task_id > self.edge_running[i]:
                self.edge_running[i] = cmd.task_id
                start = self.link.ctl.goal[i].copy()
                self.link.ctl.plan(i, t1, start, _transfer(arm, cfg, cmd.pick, cmd.place))

    def _stations(self, t1: float) -> None:
        finished = self.st_running & (t1 >= self.st_busy_until_s - _EPS)
        self.st_done_job = np.where(finished, self.st_job, self.st_done_job)
        self.st_running &= ~finished
        start = (self.st_cmd_rx > self.st_job) & ~self.st_running
        self.st_job = np.where(start, self.st_cmd_rx, self.st_job)
        self.st_busy_until_s = np.where(start, t1 + self.st_cycle_s, self.st_busy_until_s)
        self.st_running |= start

    def _plc_scan(self, t1: float) -> None:
        for i, arm in enumerate(self.config.arms):
            stops = [arm.source, *arm.stations, arm.sink]
            n_ops = 2 * len(arm.stations) + 1  # transfer, machine, transfer, ..., transfer
            op = int(self.plc_op[i])
            if op != _IDLE:
                if op % 2 == 0:  # transfer op
                    if self.plc_task_done_rx[i] >= self.plc_task[i].task_id:
                        op += 1
                        if op == n_ops:
                            self._deposit(arm.sink, t1)
                            op = _IDLE
                        else:
                            j = self.st_index[arm.stations[op // 2]]
                            self.plc_job[j] = self._new_id()
                else:  # machining op
                    j = self.st_index[arm.stations[op // 2]]
                    if self.plc_job_done_rx[j] >= self.plc_job[j]:
                        op += 1
                        k = op // 2
                        self.plc_task[i] = TaskCommand(self._new_id(), stops[k], stops[k + 1])
            if op == _IDLE and self.buffers[arm.source] > 0:
                self.buffers[arm.source] -= 1
                op = 0
                self.plc_task[i] = TaskCommand(self._new_id(), stops[0], stops[1])
            self.plc_op[i] = op

    def _deposit(self, sink: str, t1: float) -> None:
        if sink == OUTFEED:
            self.parts_done += 1
            self.part_done_s.append(t1)
            if self.parts_done >= self.n_parts:
                self.completion_time_s = t1
        else:
            self.buffers[sink] += 1

    def _new_id(self) -> int:
        self._next_id += 1
        return self._next_id

    def _publish(self, t1: float) -> list[Message]:
        cfg = self.config
        out: list[Message] = []

        def send(flow: str, src: str, dst: str, payload: object) -> None:
            if self.io.maybe(t1, flow, payload):
                out.append(Message(flow, src, dst, cfg.io_bytes, payload, t1))

        for i, a in enumerate(self.arm_names):
            send(f"{a}.task", cfg.plc, cfg.controller, self.plc_task[i])
            send(f"{a}.task_status", cfg.controller, cfg.plc, TaskStatus(int(self.edge_done[i])))
        for j, s in enumerate(self.station_names):
            send(f"{s}.cmd", cfg.plc, s, StationCommand(int(self.plc_job[j])))
            send(f"{s}.status", s, cfg.plc, StationStatus(int(self.st_done_job[j])))
        return out

    def _account(self, t_s: float, dt_s: float) -> None:
        """Classify each arm's time over ``(t_s, t_s + dt_s]`` (until the last part is out)."""
        if self.finished:
            return
        self.elapsed_s += dt_s
        stopped = self.link.fleet.stopped
        moving = self.link.ctl.moving(t_s) & ~stopped
        idle = ~moving & ~stopped
        wait_machine = np.zeros(len(self.arm_names), dtype=bool)
        wait_part = np.zeros(len(self.arm_names), dtype=bool)
        for i, arm in enumerate(self.config.arms):
            op = int(self.plc_op[i])
            if op == _IDLE:
                wait_part[i] = self.buffers[arm.source] == 0
            elif op % 2 == 1:
                j = self.st_index[arm.stations[op // 2]]
                wait_machine[i] = bool(self.st_running[j])
        wait_machine &= idle
        wait_part &= idle
        self.arm_moving_s += np.where(moving, dt_s, 0.0)
        self.arm_stopped_s += np.where(stopped, dt_s, 0.0)
        self.arm_wait_machine_s += np.where(wait_machine, dt_s, 0.0)
        self.arm_wait_part_s += np.where(wait_part, dt_s, 0.0)
        self.arm_wait_network_s += np.where(idle & ~wait_machine & ~wait_part, dt_s, 0.0)
        self.st_busy_s += np.where(self.st_running, dt_s, 0.0)

    # -------------------------------------------------------------------------- metrics
    def summary(self) -> dict[str, float]:
        """Machine metrics so far (see docs/twin.md for definitions)."""
        done_t = self.completion_time_s
        horizon = done_t if done_t is not None else self.elapsed_s
        out: dict[str, float] = {
            "cell/parts_done": float(self.parts_done),
            "cell/completion_time_s": float(done_t) if done_t is not None else float("nan"),
            "cell/parts_per_hour": parts_per_hour(self.parts_done, horizon),
            "cell/safety_stops": float(np.sum(self.link.fleet.watchdog.stop_count)),
        }
        rms = self.link.rms_tracking_error_rad()
        for i, a in enumerate(self.arm_names):
            idle = self.elapsed_s - self.arm_moving_s[i]
            out[f"{a}/idle_s"] = float(idle)
            out[f"{a}/wait_network_s"] = float(self.arm_wait_network_s[i])
            out[f"{a}/wait_machine_s"] = float(self.arm_wait_machine_s[i])
            out[f"{a}/wait_part_s"] = float(self.arm_wait_part_s[i])
            out[f"{a}/stopped_s"] = float(self.arm_stopped_s[i])
            out[f"{a}/rms_tracking_error_rad"] = float(rms[i])
            out[f"{a}/safety_stops"] = float(self.link.fleet.watchdog.stop_count[i])
        for j, s in enumerate(self.station_names):
            out[f"{s}/utilization"] = float(self.st_busy_s[j] / horizon) if horizon > 0 else 0.0
        return out

"""AGVs and their fleet manager joined by messages.

Flows per AGV (device ``<agv>``, manager device ``fleet``):

* ``<agv>.path`` fleet -> AGV, :class:`PathCommand`, change-of-state + heartbeat;
* ``<agv>.cmd`` fleet -> AGV, :class:`SpeedCommand`, cyclic every ``cmd_period_s``;
* ``<agv>.state`` AGV -> fleet, :class:`AgvReport`, cyclic every ``cmd_period_s``.

The AGV holds the last valid speed limit (:class:`robots.networked.CommandHold`) and safety-stops
when none arrived within ``survival_time_s`` (:class:`robots.networked.SurvivalWatchdog`; resume
after ``resume_updates`` consecutive fresh commands). The manager gives an AGV its next mission
(a random destination node, the shortest path from the node nearest its reported position) when
a report says the previous path is done.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np

from robots.agv import AgvConfig, AgvFleet, FloorPlan
from robots.messages import FlowSpec, Inbox, Message
from robots.networked import CommandHold, CosPublisher, FloatArray, SurvivalWatchdog


@dataclass(frozen=True)
class PathCommand:
    """Fleet -> AGV: follow path ``path_id`` through ``waypoints_m`` (``(k, 2)``)."""

    path_id: int
    waypoints_m: tuple[tuple[float, float], ...] = field(default=())


@dataclass(frozen=True)
class SpeedCommand:
    """Fleet -> AGV: speed limit, sequence-numbered."""

    seq: int
    speed_limit_m_s: float


@dataclass(frozen=True)
class AgvReport:
    """AGV -> fleet: pose, the last path finished, safety-stop flag."""

    seq: int
    pose: tuple[float, float, float]
    path_done_id: int
    stopped: bool


class NetworkedAgvs:
    """``n`` AGVs on a floor plan driven by a fleet manager over the network.

    Args:
        floor: The waypoint graph.
        n: Number of AGVs.
        config: AGV settings.
        rng: Random generator (start nodes and missions).
        speed_limit_m_s: Speed limit the manager commands (default the AGVs' top speed).
        path_heartbeat_s: Repeat period of unchanged path messages, > 0.
        manager: Fleet manager device name.
        names: AGV device names (default ``agv1..agvN``).
        manager_position_m: Fleet manager location (default: centre of the floor plan, 3 m up).
    """

    def __init__(
        self,
        floor: FloorPlan,
        n: int,
        config: AgvConfig,
        rng: np.random.Generator,
        speed_limit_m_s: float | None = None,
        path_heartbeat_s: float = 0.5,
        manager: str = "fleet",
        names: Sequence[str] | None = None,
        manager_position_m: tuple[float, float, float] | None = None,
    ) -> None:
        if n < 1:
            raise ValueError(f"n must be >= 1, got {n}")
        self.floor = floor
        self.config = config
        self.rng = rng
        self.manager = manager
        self.names = list(names) if names is not None else [f"agv{i + 1}" for i in range(n)]
        self.speed_limit_m_s = config.max_speed_m_s if speed_limit_m_s is None else speed_limit_m_s
        start = rng.integers(0, len(floor.names), size=n)
        pose0 = np.zeros((n, 3))
        pose0[:, :2] = floor.xy[start]
        max_pts = len(floor.names) + 1
        self.fleet = AgvFleet(pose0, config, max_path_points=max_pts)
        self.hold = CommandHold(n, 1, config.max_age_s, np.zeros((n, 1)))
        self.watchdog = SurvivalWatchdog(n, config.survival_time_s, config.resume_updates)
        self.inbox = Inbox()
        self.cos = CosPublisher(path_heartbeat_s)
        self.flow_index: dict[str, tuple[str, int]] = {}
        for i, name in enumerate(self.names):
            for kind in ("path", "cmd", "state"):
                self.flow_index[f"{name}.{kind}"] = (kind, i)
        # AGV side
        self.agv_path_id = np.zeros(n, dtype=np.int64)
        self.agv_done_id = np.zeros(n, dtype=np.int64)
        self._fresh = np.zeros(n, dtype=bool)
        # Manager side
        self.mgr_path: list[PathCommand] = [PathCommand(0)] * n
        self.mgr_pose = pose0.copy()
        self.mgr_done_id = np.zeros(n, dtype=np.int64)
        self.seq = 0
        # Metrics
        self.missions_done = np.zeros(n, dtype=np.int64)
        self.dev_sq_sum = np.zeros(n)
        self.dev_max = np.zeros(n)
        self.active_ticks = np.zeros(n, dtype=np.int64)
        self.idle_s = np.zeros(n)
        self._started = False
        cx, cy = (float(v) for v in floor.xy.mean(axis=0))
        self.manager_position_m = manager_position_m or (cx, cy, 3.0)

    def device_positions_m(self) -> dict[str, tuple[float, float, float]]:
        """Manager and current AGV radio locations (the AGVs move between steps)."""
        out = {self.manager: self.manager_position_m}
        pos = self.fleet.positions_m()
        for i, name in enumerate(self.names):
            out[name] = (float(pos[i, 0]), float(pos[i, 1]), float(pos[i, 2]))
        return out

    def devices(self) -> list[str]:
        """Fleet manager and AGVs."""
        return [self.manager, *self.names]

    def positions_m(self) -> FloatArray:
        """AGV radio positions ``(n, 3)`` for the network's mobility model."""
        return self.fleet.positions_m()

    def flows(self) -> list[FlowSpec]:
        """Path, command and state flows of every AGV."""
        cfg = self.config
        path_bytes = cfg.path_header_bytes + cfg.path_bytes_per_point * len(self.floor.names)
        out: list[FlowSpec] = []
        for name in self.names:
            out.append(FlowSpec(f"{name}.path", self.manager, name, path_bytes, None))
            out.append(FlowSpec(f"{name}.cmd", self.manager, name, cfg.cmd_bytes, cfg.cmd_period_s))
            out.append(
                FlowSpec(f"{name}.state", name, self.manager, cfg.state_bytes, cfg.cmd_period_s)
            )
        return out

    def deliver(self, msg: Message, t_s: float) -> None:
        """Accept a delivery received at ``t_s``."""
        self.inbox.put(msg, t_s)

    def step(self, t_s: float, dt_s: float) -> list[Message]:
        """Advance to ``t_s + dt_s``; return messages created then."""
        t1 = t_s + dt_s
        cfg = self.config
        was_idle = ~self.fleet.active
        arrived = self.fleet.step(dt_s, self.hold.value[:, 0], self.watchdog.stopped)
        self.idle_s += np.where(was_idle, dt_s, 0.0)
        self.agv_done_id = np.where(arrived, self.agv_path_id, self.agv_done_id)
        act = self.fleet.active
        dev = self.fleet.deviation_m
        self.dev_sq_sum += np.where(act, dev * dev, 0.0)
        self.dev_max = np.maximum(self.dev_max, np.where(act, dev, 0.0))
        self.active_ticks += act
        self._absorb(t1)
        ratio = t1 / cfg.cmd_period_s
        if abs(ratio - round(ratio)) > 1e-6:
            return []
        self.watchdog.update(t1, self._fresh)
        self._fresh = np.zeros(len(self.names), dtype=bool)
        self._assign_missions()
        return self._publish(t1)

    def _absorb(self, t1: float) -> None:
        sp_idx, sp_seq, sp_val, sp_c, sp_rx = [], [], [], [], []
        for rx, m in self.inbox.take_until(t1):
            kind, i = self.flow_index.get(m.flow, ("", -1))
            p = m.payload
            if kind == "path" and isinstance(p, PathCommand):
                if p.path_id > self.agv_path_id[i]:
                    self.agv_path_id[i] = p.path_id
                    self.fleet.set_path(i, np.asarray(p.waypoints_m, dtype=float))
            elif kind == "cmd" and isinstance(p, SpeedCommand):
                sp_idx.append(i)
                sp_seq.append(p.seq)
                sp_val.append([p.speed_limit_m_s])
                sp_c.append(m.created_s)
                sp_rx.append(rx)
            elif kind == "state" and isinstance(p, AgvReport):
                self.mgr_pose[i] = p.pose
                self.mgr_done_id[i] = max(self.mgr_done_id[i], p.path_done_id)
        if sp_idx:
            self._fresh |= self.hold.offer(
                np.array(sp_idx),
                np.array(sp_seq),
                np.array(sp_val),
                np.array(sp_c),
                np.array(sp_rx),
            )

    def _assign_missions(self) -> None:
        """Manager: a new random destination for every AGV whose path is reported done."""
        n_nodes = len(self.floor.names)
        for i in range(len(self.names)):
            current = self.mgr_path[i].path_id
            if current != 0 and self.mgr_done_id[i] < current:
                continue
            if current != 0:
                self.missions_done[i] += 1
            here = self.floor.nearest(self.mgr_pose[i, :2])
            goal = int(self.rng.integers(0, n_nodes - 1))
            goal = goal + 1 if goal >= here else goal
            pts = self.floor.path(here, goal)
            wps = tuple((float(x), float(y)) for x, y in pts)
            self.mgr_path[i] = PathCommand(current + 1, wps)

    def _publish(self, t1: float) -> list[Message]:
        cfg = self.config
        self.seq += 1
        path_bytes = cfg.path_header_bytes + cfg.path_bytes_per_point * len(self.floor.names)
        out: list[Message] = []
        pose = self.fleet.pose
        stopped = self.watchdog.stopped
        for i, name in enumerate(self.names):
            if self.cos.maybe(t1, f"{name}.path", self.mgr_path[i]):
                out.append(
                    Message(f"{name}.path", self.manager, name, path_bytes, self.mgr_path[i], t1)
                )
            out.append(
                Message(
                    f"{name}.cmd",
                    self.manager,
                    name,
                    cfg.cmd_bytes,
                    SpeedCommand(self.seq, self.speed_limit_m_s),
                    t1,
                )
            )
            report = AgvReport(
                self.seq,
                (float(pose[i, 0]), float(pose[i, 1]), float(pose[i, 2])),
                int(self.agv_done_id[i]),
                bool(stopped[i]),
            )
            out.append(Message(f"{name}.state", name, self.manager, cfg.state_bytes, report, t1))
        return out

    def summary(self) -> dict[str, float]:
        """Missions, path deviation, idle time and safety stops."""
        ticks = np.maximum(self.active_ticks, 1)
        return {
            "agv/missions_done": float(np.sum(self.missions_done)),
            "agv/rms_path_deviation_m": float(np.mean(np.sqrt(self.dev_sq_sum / ticks))),
            "agv/max_path_deviation_m": float(np.max(self.dev_max)),
            "agv/mean_idle_s": float(np.mean(self.idle_s)),
            "agv/distance_m": float(np.sum(self.fleet.odometer_m)),
            "agv/safety_stops": float(np.sum(self.watchdog.stop_count)),
            "agv/stopped_s": float(np.sum(self.watchdog.stopped_time_s)),
        }

"""Networked arms: the arm side and its controller joined by setpoint and state messages.

:class:`ArmLink` is the reusable piece (used by :class:`NetworkedArms` and the workcell): ``n``
arms, each with two cyclic flows at the control period,

* ``<arm>.setpoint``: controller device -> arm (:class:`robots.arm_fleet.Setpoint`),
* ``<arm>.state``: arm -> controller device (:class:`robots.arm_fleet.ArmState`).

:class:`NetworkedArms` is a stand-alone model: every arm cycles through its own list of poses
(point-to-point moves with a dwell at each), which is enough to measure tracking error, safety
stops and cycle time over a network.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from robots.arm_controller import ArmMotionController, Waypoint
from robots.arm_fleet import ArmFleet, ArmState, ServoConfig, Setpoint
from robots.messages import FlowSpec, Inbox, Message
from robots.networked import BoolArray, FloatArray


@dataclass(frozen=True)
class ArmLinkConfig:
    """Settings shared by the arms of one link.

    Attributes:
        period_s: Control period (setpoint and state period), > 0.
        max_joint_speed_rad_s: Per-joint speed limits (6 values, > 0).
        max_joint_accel_rad_s2: Per-joint acceleration limits (6 values, > 0).
        arrive_tol_rad: Joint error at which a move counts as arrived, > 0.
        setpoint_bytes: Size of a setpoint message.
        state_bytes: Size of a state message.
        servo: Servo and safety settings.
    """

    period_s: float = 0.004
    max_joint_speed_rad_s: tuple[float, ...] = (1.0, 1.0, 1.0, 1.5, 1.5, 1.5)
    max_joint_accel_rad_s2: tuple[float, ...] = (2.0, 2.0, 2.0, 3.0, 3.0, 3.0)
    arrive_tol_rad: float = 0.01
    setpoint_bytes: int = 96
    state_bytes: int = 72
    servo: ServoConfig = ServoConfig()

    def __post_init__(self) -> None:
        if not self.period_s > 0.0:
            raise ValueError(f"ArmLinkConfig.period_s must be > 0, got {self.period_s}")
        for name in ("max_joint_speed_rad_s", "max_joint_accel_rad_s2"):
            val = getattr(self, name)
            if len(val) != 6 or min(val) <= 0.0:
                raise ValueError(f"ArmLinkConfig.{name} must be 6 values > 0, got {val}")
        if not self.arrive_tol_rad > 0.0:
            raise ValueError(f"ArmLinkConfig.arrive_tol_rad must be > 0, got {self.arrive_tol_rad}")
        for name in ("setpoint_bytes", "state_bytes"):
            if getattr(self, name) <= 0:
                raise ValueError(f"ArmLinkConfig.{name} must be > 0, got {getattr(self, name)}")


class ArmLink:
    """Arms plus their controller, exchanging setpoints and states as messages.

    Args:
        names: Arm device names.
        controller: Device name of the controller (edge server or PLC).
        q0: Initial joint angles, ``(n, 6)``.
        config: Link settings.
        t0_s: Start time.
    """

    def __init__(
        self,
        names: Sequence[str],
        controller: str,
        q0: FloatArray,
        config: ArmLinkConfig,
        t0_s: float = 0.0,
    ) -> None:
        self.names = list(names)
        self.controller = controller
        self.config = config
        self.index = {name: i for i, name in enumerate(self.names)}
        self.fleet = ArmFleet(q0, config.servo, t0_s)
        self.ctl = ArmMotionController(
            q0,
            np.asarray(config.max_joint_speed_rad_s),
            np.asarray(config.max_joint_accel_rad_s2),
            config.period_s,
            config.arrive_tol_rad,
        )
        self._setpoint_flow = {f"{name}.setpoint": i for i, name in enumerate(self.names)}
        self._state_flow = {f"{name}.state": i for i, name in enumerate(self.names)}
        n = len(self.names)
        self.sq_err_sum = np.zeros(n)
        self.max_err_rad = np.zeros(n)
        self.err_samples = 0
        self.moving_s = np.zeros(n)

    def flows(self) -> list[FlowSpec]:
        """The two cyclic flows of every arm."""
        cfg = self.config
        out: list[FlowSpec] = []
        for name in self.names:
            out.append(
                FlowSpec(
                    f"{name}.setpoint", self.controller, name, cfg.setpoint_bytes, cfg.period_s
                )
            )
            out.append(
                FlowSpec(f"{name}.state", name, self.controller, cfg.state_bytes, cfg.period_s)
            )
        return out

    def integrate(self, t_s: float, dt_s: float) -> None:
        """Arm physics over ``(t_s, t_s + dt_s]``."""
        self.moving_s += np.where(self.ctl.moving(t_s), dt_s, 0.0)
        self.fleet.integrate(dt_s)

    def absorb(
        self, deliveries: list[tuple[float, Message]], t_s: float
    ) -> list[tuple[float, Message]]:
        """Take this link's deliveries; return the others untouched."""
        rest: list[tuple[float, Message]] = []
        sp_rows: list[tuple[int, int, FloatArray, float, float]] = []
        st_rows: list[tuple[int, int, FloatArray, float, float]] = []
        for rx, m in deliveries:
            if m.flow in self._setpoint_flow and isinstance(m.payload, Setpoint):
                sp_rows.append(
                    (self._setpoint_flow[m.flow], m.payload.seq, m.payload.values, m.created_s, rx)
                )
            elif m.flow in self._state_flow and isinstance(m.payload, ArmState):
                st_rows.append(
                    (self._state_flow[m.flow], m.payload.seq, m.payload.values, m.created_s, rx)
                )
            else:
                rest.append((rx, m))
        if sp_rows:
            self.fleet.receive(*_columns(sp_rows))
        if st_rows:
            self.ctl.receive_states(*_columns(st_rows), now_s=t_s)
        return rest

    def tick(self, t_s: float) -> tuple[list[Message], BoolArray]:
        """Arm and controller ticks at ``t_s``; returns the messages and the plans done now."""
        self.fleet.tick(t_s)
        q_ref, _ = self.ctl.reference(t_s)
        err = np.abs(self.fleet.q - q_ref)
        self.sq_err_sum += np.mean(err * err, axis=1)
        self.max_err_rad = np.maximum(self.max_err_rad, np.max(err, axis=1))
        self.err_samples += 1
        setpoints, done = self.ctl.tick(t_s)
        states = self.fleet.state_values()
        cfg = self.config
        seq_sp = self.ctl.seq
        self.fleet.seq += 1
        seq_st = self.fleet.seq
        msgs: list[Message] = []
        for i, name in enumerate(self.names):
            msgs.append(
                Message(
                    f"{name}.setpoint",
                    self.controller,
                    name,
                    cfg.setpoint_bytes,
                    Setpoint(seq_sp, t_s + cfg.period_s, setpoints[i].copy()),
                    t_s,
                )
            )
            msgs.append(
                Message(
                    f"{name}.state",
                    name,
                    self.controller,
                    cfg.state_bytes,
                    ArmState(seq_st, states[i].copy()),
                    t_s,
                )
            )
        return msgs, done

    def rms_tracking_error_rad(self) -> FloatArray:
        """Per-arm RMS joint tracking error over all ticks so far."""
        return np.sqrt(self.sq_err_sum / max(self.err_samples, 1))


def _columns(
    rows: list[tuple[int, int, FloatArray, float, float]],
) -> tuple[np.ndarray, np.ndarray, FloatArray, FloatArray, FloatArray]:
    idx = np.array([r[0] for r in rows], dtype=np.int64)
    seq = np.array([r[1] for r in rows], dtype=np.int64)
    values = np.stack([r[2] for r in rows])
    created = np.array([r[3] for r in rows])
    rx = np.array([r[4] for r in rows])
    return idx, seq, values, created, rx


class NetworkedArms:
    """Stand-alone model: ``n`` arms cycling through pose lists over the network.

    Args:
        poses_rad: Per arm, the poses to visit in a loop, ``(n, k, 6)``; arm i starts at
            ``poses_rad[i, 0]``.
        dwell_s: Standstill at each pose, >= 0.
        config: Link settings.
        controller: Controller device name.
        names: Arm device names (default ``arm1..armN``).
        positions_m: Device locations (default: arms 2 m apart on the x axis at 0.9 m height,
            the controller at the origin, 2.5 m up).
    """

    def __init__(
        self,
        poses_rad: FloatArray,
        dwell_s: float = 0.2,
        config: ArmLinkConfig | None = None,
        controller: str = "edge",
        names: Sequence[str] | None = None,
        positions_m: dict[str, tuple[float, float, float]] | None = None,
    ) -> None:
        poses = np.asarray(poses_rad, dtype=float)
        if poses.ndim != 3 or poses.shape[2] != 6 or poses.shape[1] < 2:
            raise ValueError(f"poses_rad must have shape (n, k >= 2, 6), got {poses.shape}")
        if dwell_s < 0.0:
            raise ValueError(f"dwell_s must be >= 0, got {dwell_s}")
        n = poses.shape[0]
        self.poses = poses
        self.dwell_s = float(dwell_s)
        self.config = config or ArmLinkConfig()
        names = list(names) if names is not None else [f"arm{i + 1}" for i in range(n)]
        self.link = ArmLink(names, controller, poses[:, 0], self.config)
        self.inbox = Inbox()
        self.next_pose = np.ones(n, dtype=np.int64)
        self.moves_done = np.zeros(n, dtype=np.int64)
        self._started = False
        default = {controller: (0.0, 0.0, 2.5)}
        default.update({a: (2.0 * (i + 1), 0.0, 0.9) for i, a in enumerate(names)})
        self.positions = positions_m if positions_m is not None else default
        if set(self.positions) != set(self.devices()):
            raise ValueError(f"positions_m must name exactly the devices {self.devices()}")

    def devices(self) -> list[str]:
        """Controller plus arms."""
        return [self.link.controller, *self.link.names]

    def device_positions_m(self) -> dict[str, tuple[float, float, float]]:
        """Static device locations."""
        return dict(self.positions)

    def flows(self) -> list[FlowSpec]:
        """Setpoint and state flows of every arm."""
        return self.link.flows()

    def deliver(self, msg: Message, t_s: float) -> None:
        """Accept a delivery (applied at the first tick at or after ``t_s``)."""
        self.inbox.put(msg, t_s)

    def step(self, t_s: float, dt_s: float) -> list[Message]:
        """Advance to ``t_s + dt_s``; return setpoints and states created then."""
        t1 = t_s + dt_s
        self.link.integrate(t_s, dt_s)
        self.link.absorb(self.inbox.take_until(t1), t1)
        if not self._started:
            for k in range(self.poses.shape[0]):
                self._plan_next(k, t1)
            self._started = True
        msgs, done = self.link.tick(t1)
        for i in np.flatnonzero(done):
            self.moves_done[i] += 1
            self._plan_next(int(i), t1)
        return msgs

    def _plan_next(self, i: int, t_start_s: float) -> None:
        k = int(self.next_pose[i])
        goal = tuple(float(v) for v in self.poses[i, k])
        self.link.ctl.plan(i, t_start_s, self.link.ctl.goal[i], [Waypoint(goal, self.dwell_s)])
        self.next_pose[i] = (k + 1) % self.poses.shape[1]

    def summary(self) -> dict[str, float]:
        """Tracking error, moves and safety stops."""
        wd = self.link.fleet.watchdog
        return {
            "arm/rms_tracking_error_rad": float(np.mean(self.link.rms_tracking_error_rad())),
            "arm/max_tracking_error_rad": float(np.max(self.link.max_err_rad)),
            "arm/moves_done": float(np.sum(self.moves_done)),
            "arm/safety_stops": float(np.sum(wd.stop_count)),
            "arm/stopped_time_s": float(np.sum(wd.stopped_time_s)),
        }

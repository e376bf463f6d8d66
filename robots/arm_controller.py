"""Controller side (edge server or PLC) of networked arms: plans moves, streams setpoints.

Each arm's plan is a short chain of segments, each either a synchronized trapezoidal move
(:mod:`robots.trajectory`) or a dwell (gripper closing/opening). Every tick the controller sends
each arm the reference for the arm's *next* tick (one period of look-ahead, which is exactly one
message hop on an ideal network), so on time delivery gives an on-time reference.

Networked semantics on this side:

* The newest received arm state is kept (older or duplicate states are ignored).
* If the arm reports a safety stop, the plan is frozen and the arm is held where it stands
  (setpoint = its open-loop predicted position, zero velocity). When the arm reports that it
  resumed, the unfinished part of the plan is replanned from the predicted current position: an
  interrupted move restarts from there toward its goal, an interrupted dwell is repeated in full.
* A plan counts as *done* when its time is over and a state created no earlier than one period
  before the plan's end shows the arm within ``arrive_tol_rad`` of the final pose, not stopped.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from robots.arm_fleet import N_JOINTS, STATE_WIDTH
from robots.networked import BoolArray, CommandHold, FloatArray, IntArray, StatePredictor
from robots.trajectory import path_limits, unit_profile, unit_profile_duration

_EPS = 1e-9


@dataclass(frozen=True)
class Waypoint:
    """One step of a plan: move to ``pose_rad``, then stay ``dwell_s``.

    Attributes:
        pose_rad: Joint angles, 6 values.
        dwell_s: Standstill time after arriving, >= 0.
    """

    pose_rad: tuple[float, ...]
    dwell_s: float = 0.0


def plan_duration_s(
    start_rad: FloatArray,
    waypoints: list[Waypoint],
    vmax_rad_s: FloatArray,
    amax_rad_s2: FloatArray,
) -> float:
    """Total duration of a plan from ``start_rad`` through ``waypoints`` (moves + dwells)."""
    total = 0.0
    q = np.asarray(start_rad, dtype=float)
    for w in waypoints:
        goal = np.asarray(w.pose_rad, dtype=float)
        v_s, a_s = path_limits(q[None], goal[None], vmax_rad_s, amax_rad_s2)
        total += float(unit_profile_duration(v_s, a_s)[0]) + w.dwell_s
        q = goal
    return total


class ArmMotionController:
    """Plans and streams setpoints for ``n`` arms.

    Args:
        q0: Initial joint angles (and hold poses), ``(n, 6)``.
        vmax_rad_s: Joint speed limits, ``(6,)`` or ``(n, 6)``.
        amax_rad_s2: Joint acceleration limits, ``(6,)`` or ``(n, 6)``.
        period_s: Control period (setpoint period), > 0.
        arrive_tol_rad: Largest joint error at which a plan counts as done, > 0.
        max_segments: Capacity of a plan in segments (a waypoint uses two: move and dwell).
    """

    def __init__(
        self,
        q0: FloatArray,
        vmax_rad_s: FloatArray,
        amax_rad_s2: FloatArray,
        period_s: float,
        arrive_tol_rad: float = 0.01,
        max_segments: int = 8,
    ) -> None:
        q0 = np.array(q0, dtype=float)
        n = q0.shape[0]
        if period_s <= 0.0:
            raise ValueError(f"period_s must be > 0, got {period_s}")
        if arrive_tol_rad <= 0.0:
            raise ValueError(f"arrive_tol_rad must be > 0, got {arrive_tol_rad}")
        self.n = n
        self.period_s = float(period_s)
        self.arrive_tol_rad = float(arrive_tol_rad)
        self.vmax = np.broadcast_to(np.asarray(vmax_rad_s, dtype=float), (n, N_JOINTS)).copy()
        self.amax = np.broadcast_to(np.asarray(amax_rad_s2, dtype=float), (n, N_JOINTS)).copy()
        s = max_segments
        self.max_segments = s
        self.seg_start = np.full((n, s), np.inf)
        self.seg_dur = np.zeros((n, s))
        self.seg_q0 = np.repeat(q0[:, None, :], s, axis=1)
        self.seg_q1 = self.seg_q0.copy()
        self.seg_vs = np.full((n, s), np.inf)
        self.seg_as = np.full((n, s), np.inf)
        self.seg_is_dwell = np.zeros((n, s), dtype=bool)
        self.n_seg = np.zeros(n, dtype=np.int64)
        self.goal = q0.copy()
        self.plan_end_s = np.full(n, -np.inf)
        self.plan_id = np.zeros(n, dtype=np.int64)
        self.frozen = np.zeros(n, dtype=bool)
        self._frozen_at_s = np.zeros(n)
        self._frozen_tick_s = np.zeros(n)
        self.hold_pose = q0.copy()
        # Newest state per arm (layout of robots.arm_fleet.STATE_WIDTH).
        self.states = CommandHold(
            n, STATE_WIDTH, np.inf, np.concatenate([q0, np.zeros((n, N_JOINTS + 2))], axis=1)
        )
        eye = np.eye(N_JOINTS)
        a = np.block([[eye, period_s * eye], [np.zeros((N_JOINTS, N_JOINTS)), eye]])
        self.predictor = StatePredictor(
            a, np.zeros((2 * N_JOINTS, 1)), np.concatenate([q0, np.zeros_like(q0)], axis=1)
        )
        self.seq = 0
        self.replans = 0

    # ----------------------------------------------------------------------------------------
    # planning
    def plan(
        self, arm: int, t_start_s: float, start_rad: FloatArray, waypoints: list[Waypoint]
    ) -> float:
        """Replace arm ``arm``'s plan; returns its end time."""
        if 2 * len(waypoints) > self.max_segments:
            raise ValueError(
                f"a plan holds at most {self.max_segments // 2} waypoints, got {len(waypoints)}"
            )
        self.seg_start[arm] = np.inf
        self.seg_is_dwell[arm] = False
        t = float(t_start_s)
        q = np.asarray(start_rad, dtype=float)
        k = 0
        for w in waypoints:
            goal = np.asarray(w.pose_rad, dtype=float)
            v_s, a_s = path_limits(q[None], goal[None], self.vmax[arm], self.amax[arm])
            dur = float(unit_profile_duration(v_s, a_s)[0])
            self._set_segment(arm, k, t, dur, q, goal, float(v_s[0]), float(a_s[0]), False)
            t += dur
            k += 1
            self._set_segment(arm, k, t, w.dwell_s, goal, goal, np.inf, np.inf, True)
            t += w.dwell_s
            k += 1
            q = goal
        self.n_seg[arm] = k
        self.goal[arm] = q
        self.plan_end_s[arm] = t
        self.plan_id[arm] += 1
        self.frozen[arm] = False
        return t

    def _set_segment(
        self,
        arm: int,
        k: int,
        t0: float,
        dur: float,
        q0: FloatArray,
        q1: FloatArray,
        v_s: float,
        a_s: float,
        dwell: bool,
    ) -> None:
        self.seg_start[arm, k] = t0
        self.seg_dur[arm, k] = dur
        self.seg_q0[arm, k] = q0
        self.seg_q1[arm, k] = q1
        self.seg_vs[arm, k] = v_s
        self.seg_as[arm, k] = a_s
        self.seg_is_dwell[arm, k] = dwell

    def remaining_waypoints(self, arm: int, t_s: float) -> list[Waypoint]:
        """Unfinished part of arm ``arm``'s plan at ``t_s`` (see the module docstring)."""
        out: list[Waypoint] = []
        for k in range(0, int(self.n_seg[arm]), 2):
            dwell_end = self.seg_start[arm, k + 1] + self.seg_dur[arm, k + 1]
            if dwell_end <= t_s + _EPS:
                continue
            pose = tuple(float(v) for v in self.seg_q1[arm, k])
            out.append(Waypoint(pose, float(self.seg_dur[arm, k + 1])))
        return out

    # ----------------------------------------------------------------------------------------
    # sampling
    def sample(self, t_s: float) -> tuple[FloatArray, FloatArray, FloatArray]:
        """Planned ``(q, qd, qdd)`` of every arm at ``t_s`` (hold pose outside a plan)."""
        q, qd, qdd = self.sample_times(np.array([t_s]))
        return q[0], qd[0], qdd[0]

    def sample_times(self, times_s: FloatArray) -> tuple[FloatArray, FloatArray, FloatArray]:
        """Planned ``(q, qd, qdd)`` at several times at once, each ``(T, n, 6)``."""
        t = np.asarray(times_s, dtype=float)[:, None]  # (T, 1)
        started = self.seg_start[None, :, :] <= t[:, :, None] + _EPS  # (T, n, S)
        n_started = np.count_nonzero(started, axis=2)  # (T, n)
        k = np.maximum(n_started - 1, 0)
        rows = np.arange(self.n)[None, :]
        tau = t - self.seg_start[rows, k]
        s, sd, sdd = unit_profile(tau, self.seg_vs[rows, k], self.seg_as[rows, k])
        q0 = self.seg_q0[rows, k]
        dq = self.seg_q1[rows, k] - q0
        idle = ((self.n_seg == 0)[None, :] | (n_started == 0))[:, :, None]
        q = np.where(idle, self.hold_pose[None], q0 + s[..., None] * dq)
        qd = np.where(idle, 0.0, sd[..., None] * dq)
        qdd = np.where(idle, 0.0, sdd[..., None] * dq)
        return q, qd, qdd

    def reference_times(self, times_s: FloatArray) -> tuple[FloatArray, FloatArray]:
        """Intended ``(q, qd)`` at several times, each ``(T, n, 6)``.

        That is the plan, or the hold pose while frozen.
        """
        q, qd, _ = self.sample_times(times_s)
        frozen = self.frozen[None, :, None]
        return np.where(frozen, self.hold_pose[None], q), np.where(frozen, 0.0, qd)

    def reference(self, t_s: float) -> tuple[FloatArray, FloatArray]:
        """Intended ``(q, qd)`` at ``t_s``: the plan, or the hold pose while frozen."""
        q, qd = self.reference_times(np.array([t_s]))
        return q[0], qd[0]

    def moving(self, t_s: float) -> BoolArray:
        """Whether each arm's plan is running (not frozen) at ``t_s``."""
        first = self.seg_start[:, 0]
        return (first <= t_s + _EPS) & (t_s < self.plan_end_s - _EPS) & ~self.frozen

    # ----------------------------------------------------------------------------------------
    # networked side
    def receive_states(
        self,
        idx: IntArray,
        seq: IntArray,
        values: FloatArray,
        created_s: FloatArray,
        rx_s: FloatArray,
        now_s: float,
    ) -> None:
        """Offer arm states received by the tick at ``now_s`` (rows as in ``STATE_WIDTH``)."""
        fresh = self.states.offer(idx, seq, values, created_s, rx_s)
        if np.any(fresh):
            age = np.rint((now_s - self.states.created_s[fresh]) / self.period_s)
            ages = np.zeros(self.n, dtype=np.int64)
            ages[fresh] = np.maximum(age, 0).astype(np.int64)
            self.predictor.correct(fresh, self.states.value[:, : 2 * N_JOINTS], ages)

    def tick(self, t_s: float) -> tuple[FloatArray, BoolArray]:
        """Controller tick at ``t_s``.

        Handles stop/resume reports, then computes the setpoints for ``t_s + period_s``.

        Returns:
            ``(setpoints (n, 19), done (n,))`` where ``done`` flags arms whose plan just
            completed at this tick (reported once per plan).
        """
        reported_stop = self.states.value[:, 2 * N_JOINTS] > 0.5
        predicted_q = self.predictor.x_hat[:, :N_JOINTS]
        newly_stopped = reported_stop & ~self.frozen
        for arm in np.flatnonzero(newly_stopped):
            self.frozen[arm] = True
            # Plan progress: the arm executed references up to the last one it accepted.
            self._frozen_at_s[arm] = min(t_s, float(self.states.value[arm, -1]))
            self._frozen_tick_s[arm] = t_s
            self.hold_pose[arm] = predicted_q[arm]
        # While frozen, keep holding the arm where it is reported (it brakes, then stands).
        self.hold_pose = np.where(self.frozen[:, None], predicted_q, self.hold_pose)
        resumed = self.frozen & ~reported_stop & (self.states.created_s > self._frozen_tick_s)
        for arm in np.flatnonzero(resumed):
            remaining = self.remaining_waypoints(int(arm), self._frozen_at_s[arm])
            start = predicted_q[arm].copy()
            self.hold_pose[arm] = start
            if remaining:
                self.plan(int(arm), t_s, start, remaining)
                self.replans += 1
            else:
                self.frozen[arm] = False
        t_ref = t_s + self.period_s
        qs, qds = self.reference_times(np.array([t_ref, t_ref + self.period_s]))
        q, qd, qd_next = qs[0], qds[0], qds[1]
        a_ff = np.where(self.frozen[:, None], 0.0, (qd_next - qd) / self.period_s)
        setpoints = np.concatenate([q, qd, a_ff, np.full((self.n, 1), t_ref)], axis=1)
        err = np.max(np.abs(self.states.value[:, :N_JOINTS] - self.goal), axis=1)
        done = (
            (self.n_seg > 0)
            & ~self.frozen
            & (t_s >= self.plan_end_s - _EPS)
            & (self.states.created_s >= self.plan_end_s - self.period_s - _EPS)
            & (err <= self.arrive_tol_rad)
            & ~reported_stop
        )
        # A finished plan becomes the hold pose; report it once.
        for arm in np.flatnonzero(done):
            self.hold_pose[arm] = self.goal[arm]
            self.n_seg[arm] = 0
            self.seg_start[arm] = np.inf
        self.predictor.predict()
        self.seq += 1
        return setpoints, done

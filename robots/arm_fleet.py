"""Arm side of networked UR-class arms: joint servos of ``n`` arms stepped as arrays.

Each joint is a double integrator driven by a PD + feedforward servo running at the control
period (exact zero-order-hold integration of the acceleration over the period):

    a = clip(a_ff + kp (q_ref - q) + kd (qd_ref - qd), -a_servo, a_servo)

with ``kp = w**2`` and ``kd = 2 zeta w``. The reference ``(q_ref, qd_ref, a_ff)`` is the newest
valid setpoint received by the arm's tick (see :class:`robots.networked.CommandHold`). Tick rule:

* a fresh setpoint arrived since the previous tick -> track it;
* none arrived -> *hold*: keep its position ``q_ref``, drop velocity and feedforward to zero;
* no valid setpoint for longer than the survival time -> *safety stop*: brake every joint at
  ``stop_decel_rad_s2`` to standstill and stay there; resume after ``resume_updates`` consecutive
  ticks with a fresh setpoint (:class:`robots.networked.SurvivalWatchdog`). The arm reports the stop
  in its state messages; the controller then holds it where it stands and replans on resume.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from robots.networked import BoolArray, CommandHold, FloatArray, IntArray, SurvivalWatchdog

N_JOINTS = 6
#: Setpoint layout: q_ref (6), qd_ref (6), a_ff (6), ref_time_s (1).
SETPOINT_WIDTH = 3 * N_JOINTS + 1
#: State layout: q (6), qd (6), stopped (1), ref_time_s of the setpoint in force (1).
STATE_WIDTH = 2 * N_JOINTS + 2


@dataclass(frozen=True)
class ServoConfig:
    """Joint servo and safety settings of an arm.

    Attributes:
        natural_frequency_rad_s: Servo bandwidth ``w`` (kp = w^2, kd = 2 zeta w), > 0.
        damping_ratio: ``zeta``, > 0.
        max_servo_accel_rad_s2: Servo acceleration clip, > 0.
        stop_decel_rad_s2: Braking deceleration of a safety stop, > 0.
        survival_time_s: Longest gap without a valid setpoint before a safety stop, > 0.
        max_age_s: A setpoint older than this at reception counts as lost, > 0.
        resume_updates: Consecutive ticks with a fresh setpoint needed to resume, >= 1.
    """

    natural_frequency_rad_s: float = 25.0
    damping_ratio: float = 1.0
    max_servo_accel_rad_s2: float = 15.0
    stop_decel_rad_s2: float = 6.0
    survival_time_s: float = 0.016
    max_age_s: float = 0.016
    resume_updates: int = 3

    def __post_init__(self) -> None:
        for name in (
            "natural_frequency_rad_s",
            "damping_ratio",
            "max_servo_accel_rad_s2",
            "stop_decel_rad_s2",
            "survival_time_s",
            "max_age_s",
        ):
            if not getattr(self, name) > 0.0:
                raise ValueError(f"ServoConfig.{name} must be > 0, got {getattr(self, name)}")
        if self.resume_updates < 1:
            raise ValueError(f"ServoConfig.resume_updates must be >= 1, got {self.resume_updates}")


@dataclass(frozen=True)
class Setpoint:
    """Payload of an ``<arm>.setpoint`` message (controller -> arm).

    Attributes:
        seq: Per-arm sequence number.
        ref_time_s: Time the reference is meant for (the arm's next tick).
        values: ``q_ref``, ``qd_ref``, ``a_ff``, ``ref_time_s`` concatenated, shape ``(19,)``.
    """

    seq: int
    ref_time_s: float
    values: FloatArray


@dataclass(frozen=True)
class ArmState:
    """Payload of an ``<arm>.state`` message (arm -> controller).

    Attributes:
        seq: Per-arm sequence number.
        values: ``q`` (6), ``qd`` (6), ``stopped`` (1.0 or 0.0) and the reference time of the
            setpoint in force (1), shape ``(14,)``.
    """

    seq: int
    values: FloatArray


class ArmFleet:
    """Joint servos of ``n`` arms.

    Args:
        q0: Initial joint angles, ``(n, 6)``.
        servo: Servo and safety settings (shared by all arms).
        t0_s: Start time.
    """

    def __init__(self, q0: FloatArray, servo: ServoConfig, t0_s: float = 0.0) -> None:
        self.q = np.array(q0, dtype=float)
        if self.q.ndim != 2 or self.q.shape[1] != N_JOINTS:
            raise ValueError(f"q0 must have shape (n, {N_JOINTS}), got {self.q.shape}")
        n = self.q.shape[0]
        self.n = n
        self.servo = servo
        self.qd = np.zeros_like(self.q)
        initial = np.concatenate([self.q, np.zeros((n, 2 * N_JOINTS + 1))], axis=1)
        initial[:, -1] = -np.inf
        self.hold = CommandHold(n, SETPOINT_WIDTH, servo.max_age_s, initial)
        self.watchdog = SurvivalWatchdog(n, servo.survival_time_s, servo.resume_updates, t0_s)
        self.reference = initial.copy()
        self._fresh = np.zeros(n, dtype=bool)
        self._kp = servo.natural_frequency_rad_s**2
        self._kd = 2.0 * servo.damping_ratio * servo.natural_frequency_rad_s
        self.seq = 0

    @property
    def stopped(self) -> BoolArray:
        """Safety-stop flags, ``(n,)``."""
        return self.watchdog.stopped

    def receive(
        self,
        idx: IntArray,
        seq: IntArray,
        values: FloatArray,
        created_s: FloatArray,
        rx_s: FloatArray,
    ) -> None:
        """Offer setpoints received since the previous tick (see :class:`CommandHold`)."""
        self._fresh |= self.hold.offer(idx, seq, values, created_s, rx_s)

    def tick(self, t_s: float) -> None:
        """Arms' tick at ``t_s``: watchdog, then the reference for the next period."""
        fresh = self._fresh
        self._fresh = np.zeros(self.n, dtype=bool)
        self.watchdog.update(t_s, fresh)
        held = self.hold.value.copy()
        held[~fresh, N_JOINTS : 3 * N_JOINTS] = 0.0
        self.reference = held

    def state_values(self) -> FloatArray:
        """State message rows, ``(n, 14)`` (see :class:`ArmState`)."""
        return np.concatenate(
            [self.q, self.qd, self.stopped[:, None].astype(float), self.hold.value[:, -1:]], axis=1
        )

    def integrate(self, dt_s: float) -> None:
        """Advance joint states by one period with the current reference (or brake if stopped)."""
        ref = self.reference
        j = N_JOINTS
        acc = (
            ref[:, 2 * j : 3 * j]
            + self._kp * (ref[:, :j] - self.q)
            + self._kd * (ref[:, j : 2 * j] - self.qd)
        )
        lim = self.servo.max_servo_accel_rad_s2
        acc = np.clip(acc, -lim, lim)
        stop = self.servo.stop_decel_rad_s2
        brake = np.clip(-self.qd / dt_s, -stop, stop)
        acc = np.where(self.watchdog.stopped[:, None], brake, acc)
        self.q = self.q + dt_s * self.qd + 0.5 * dt_s * dt_s * acc
        self.qd = self.qd + dt_s * acc

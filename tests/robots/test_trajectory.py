"""Synchronized trapezoidal moves: durations by hand, limits respected, endpoints exact."""

from __future__ import annotations

import numpy as np
import pytest

from robots.trajectory import move_duration_s, path_limits, unit_profile


def test_duration_trapezoid_and_triangle_by_hand() -> None:
    vmax = np.full(6, 1.0)
    amax = np.full(6, 2.0)
    # 2 rad on one joint: accelerate 0.5 s (0.25 rad) each end, cruise 1.5 rad at 1 rad/s.
    q0 = np.zeros((1, 6))
    q1 = np.array([[2.0, 0, 0, 0, 0, 0]])
    assert move_duration_s(q0, q1, vmax, amax)[0] == pytest.approx(2.5)
    # 0.2 rad: triangle, 2 sqrt(0.2 / 2) s.
    q1 = np.array([[0.2, 0, 0, 0, 0, 0]])
    assert move_duration_s(q0, q1, vmax, amax)[0] == pytest.approx(2 * np.sqrt(0.1))
    assert move_duration_s(q0, q0, vmax, amax)[0] == 0.0


def test_slowest_joint_sets_the_time_and_all_joints_finish_together() -> None:
    rng = np.random.default_rng(3)
    q0 = rng.uniform(-2, 2, (20, 6))
    q1 = rng.uniform(-2, 2, (20, 6))
    vmax = np.array([1.0, 1.0, 1.0, 1.5, 1.5, 1.5])
    amax = np.array([2.0, 2.0, 2.0, 3.0, 3.0, 3.0])
    dur = move_duration_s(q0, q1, vmax, amax)
    per_joint = np.array(
        [
            [
                move_duration_s(q0[i : i + 1] * m, q1[i : i + 1] * m, vmax, amax)[0]
                for m in np.eye(6)
            ]
            for i in range(20)
        ]
    )
    np.testing.assert_allclose(dur, per_joint.max(axis=1), rtol=1e-12)
    v_s, a_s = path_limits(q0, q1, vmax, amax)
    t = np.linspace(0, 1, 2001)[:, None] * dur[None, :]
    s, sd, sdd = unit_profile(t, v_s[None, :], a_s[None, :])
    dq = np.abs(q1 - q0)
    assert np.all(sd[..., None] * dq[None] <= vmax + 1e-9)
    assert np.all(np.abs(sdd)[..., None] * dq[None] <= amax + 1e-9)
    np.testing.assert_allclose(s[-1], 1.0)
    np.testing.assert_allclose(s[0], 0.0)
    # s is the integral of s_dot.
    ds = np.diff(s, axis=0)
    mid = 0.5 * (sd[1:] + sd[:-1]) * np.diff(t, axis=0)
    np.testing.assert_allclose(ds, mid, atol=1e-6)

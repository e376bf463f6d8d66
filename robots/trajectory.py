"""Synchronized, time-optimal trapezoidal joint moves, many arms at once.

A move from ``q0`` to ``q1`` follows the straight line ``q0 + s(t) (q1 - q0)`` in joint space; the
path parameter ``s`` runs a trapezoidal (or triangular) velocity profile from 0 to 1 with the
largest speed and acceleration that keep *every* joint within its limits:

    v_s = min_j vmax_j / |dq_j|,   a_s = min_j amax_j / |dq_j|

so all joints start and finish together and the limiting joint runs its own time-optimal profile.
Duration on the unit path: ``T = 1/v_s + v_s/a_s`` if ``v_s**2 <= a_s`` (trapezoid), else
``T = 2 sqrt(1/a_s)`` (triangle). A zero-length move takes zero time.
"""

from __future__ import annotations

import numpy as np
from numpy.typing import NDArray

FloatArray = NDArray[np.float64]

_TINY = 1e-12


def path_limits(
    q0: FloatArray, q1: FloatArray, vmax: FloatArray, amax: FloatArray
) -> tuple[FloatArray, FloatArray]:
    """Speed and acceleration limits of the path parameter.

    Args:
        q0: Start configurations, ``(n, J)``.
        q1: Goal configurations, ``(n, J)``.
        vmax: Joint speed limits, ``(J,)`` or ``(n, J)``, > 0.
        amax: Joint acceleration limits, ``(J,)`` or ``(n, J)``, > 0.

    Returns:
        ``(v_s, a_s)``, each ``(n,)``; ``inf`` for zero-length moves.
    """
    dq = np.abs(np.asarray(q1, dtype=np.float64) - np.asarray(q0, dtype=np.float64))
    vmax = np.broadcast_to(np.asarray(vmax, dtype=np.float64), dq.shape)
    amax = np.broadcast_to(np.asarray(amax, dtype=np.float64), dq.shape)
    if np.any(vmax <= 0.0) or np.any(amax <= 0.0):
        raise ValueError("joint speed and acceleration limits must be > 0")
    with np.errstate(divide="ignore"):
        v_s = np.min(np.where(dq > _TINY, vmax / np.maximum(dq, _TINY), np.inf), axis=-1)
        a_s = np.min(np.where(dq > _TINY, amax / np.maximum(dq, _TINY), np.inf), axis=-1)
    return v_s, a_s


def unit_profile_duration(v_s: FloatArray, a_s: FloatArray) -> FloatArray:
    """Duration of the unit-distance trapezoid with limits ``v_s``, ``a_s`` (0 when infinite)."""
    v = np.asarray(v_s, dtype=np.float64)
    a = np.asarray(a_s, dtype=np.float64)
    finite = np.isfinite(v) & np.isfinite(a)
    vv = np.where(finite, v, 1.0)
    aa = np.where(finite, a, 1.0)
    trapezoid = vv * vv <= aa
    t = np.where(trapezoid, 1.0 / vv + vv / aa, 2.0 * np.sqrt(1.0 / aa))
    return np.where(finite, t, 0.0)


def move_duration_s(
    q0: FloatArray, q1: FloatArray, vmax: FloatArray, amax: FloatArray
) -> FloatArray:
    """Duration of synchronized moves ``q0 -> q1`` (``(n,)`` seconds)."""
    v_s, a_s = path_limits(np.atleast_2d(q0), np.atleast_2d(q1), vmax, amax)
    return unit_profile_duration(v_s, a_s)


def unit_profile(
    tau: FloatArray, v_s: FloatArray, a_s: FloatArray
) -> tuple[FloatArray, FloatArray, FloatArray]:
    """Path parameter, its rate and its acceleration at elapsed time ``tau`` (clamped to the move).

    Args:
        tau: Time since the move started (any shape).
        v_s: Path speed limit (same shape).
        a_s: Path acceleration limit (same shape).

    Returns:
        ``(s, s_dot, s_ddot)``; zero-length moves (infinite limits) return ``(1, 0, 0)``.
    """
    v = np.asarray(v_s, dtype=np.float64)
    a = np.asarray(a_s, dtype=np.float64)
    finite = np.isfinite(a)
    aa = np.where(finite, a, 1.0)
    vv = np.where(finite, v, 1.0)
    v_peak = np.minimum(vv, np.sqrt(aa))  # triangle when v_s**2 > a_s
    t_acc = v_peak / aa
    total = 2.0 * t_acc + (1.0 - v_peak * t_acc) / v_peak
    tt = np.clip(np.asarray(tau, dtype=np.float64), 0.0, total)
    rem = total - tt
    in_acc = tt < t_acc
    in_dec = rem < t_acc
    s = np.where(
        in_acc,
        0.5 * aa * tt * tt,
        np.where(in_dec, 1.0 - 0.5 * aa * rem * rem, 0.5 * v_peak * t_acc + v_peak * (tt - t_acc)),
    )
    sd = np.where(in_acc, aa * tt, np.where(in_dec, aa * rem, v_peak))
    sdd = np.where(in_acc, aa, np.where(in_dec, -aa, 0.0))
    moving = finite & (tt < total)
    return np.where(finite, s, 1.0), np.where(moving, sd, 0.0), np.where(moving, sdd, 0.0)

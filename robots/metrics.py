"""Metric definitions shared by the models' ``summary()`` (see docs/twin.md for the full list).

* task completion time: time at which the PLC registers the last part on the outfeed;
* parts per hour: ``3600 * parts / completion time`` (or elapsed time while unfinished);
* idle time of an arm: elapsed time minus time spent executing a motion plan; it splits into
  waiting for a machine, waiting for a part, safety-stopped, and *waiting on the network*
  (everything else: handshake messages in flight, including one control period per hop);
* joint tracking error: RMS over ticks of the per-arm mean squared joint error to the plan;
* control cost: Lyapunov ``x'Px`` and LQR stage cost ``x'Qx + u'Ru``, averaged over steps;
* safety stops: count of watchdog stops (and time spent stopped);
* AGV path deviation: cross-track distance to the commanded path while following it.
"""

from __future__ import annotations

import numpy as np

from robots.networked import FloatArray


def parts_per_hour(parts: int, time_s: float) -> float:
    """Throughput in parts per hour; 0 for an empty horizon."""
    return 3600.0 * parts / time_s if time_s > 0.0 else 0.0


def rms(x: FloatArray, axis: int | None = None) -> FloatArray:
    """Root mean square."""
    out: FloatArray = np.sqrt(np.mean(np.square(np.asarray(x, dtype=float)), axis=axis))
    return out


def lyapunov_cost(x: FloatArray, p: FloatArray) -> FloatArray:
    """``x'Px`` per row: ``x`` ``(m, n)``, ``p`` ``(m, n, n)`` or ``(n, n)``."""
    pp = np.broadcast_to(np.asarray(p, dtype=float), (x.shape[0], x.shape[1], x.shape[1]))
    out: FloatArray = np.einsum("mi,mij,mj->m", x, pp, x)
    return out


def lqr_stage_cost(x: FloatArray, u: FloatArray, q: FloatArray, r: FloatArray) -> FloatArray:
    """``x'Qx + u'Ru`` per row."""
    return lyapunov_cost(x, q) + lyapunov_cost(u, r)


def network_wait_s(
    idle_s: FloatArray, wait_machine_s: FloatArray, wait_part_s: FloatArray, stopped_s: FloatArray
) -> FloatArray:
    """Idle time not explained by machines, parts or safety stops (waiting on messages)."""
    out: FloatArray = np.asarray(idle_s) - wait_machine_s - wait_part_s - stopped_s
    return out

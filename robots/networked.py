"""Networked-control semantics shared by arms, AGVs and plants, vectorized over devices.

* :class:`CommandHold` - the receiving device keeps the newest valid command; a late or lost one
  leaves the previous command in force. A command is *valid* when its sequence number is newer
  than the held one and its age at reception (``rx_s - created_s``) is at most ``max_age_s``; a
  message later than that counts as lost.
* :class:`SurvivalWatchdog` - a device safety-stops when no valid update has arrived for longer
  than its survival time. **Resume rule:** a stopped device resumes after ``resume_updates``
  consecutive ticks each of which brought at least one valid update (a tick without one resets the
  count). Stops and resumes are counted.
* :class:`CosPublisher` - change-of-state publishing with a heartbeat, for event-like handshakes
  over a lossy network: an output is sent at once when it changes and repeated every heartbeat.
* :class:`StatePredictor` - the controller's open-loop estimate ``x_hat[k+1] = A x_hat + B u``,
  reset to the measured state whenever a fresh measurement arrives (aged by its delay in ticks).
"""

from __future__ import annotations

import numpy as np
from numpy.typing import NDArray

FloatArray = NDArray[np.float64]
IntArray = NDArray[np.int64]
BoolArray = NDArray[np.bool_]


def _newest_per_device(idx: IntArray, seq: IntArray) -> IntArray:
    """Positions (into idx) of the newest entry per device."""
    order = np.lexsort((seq, idx))  # sort by device, then sequence
    last = np.ones(order.size, dtype=bool)
    last[:-1] = idx[order][1:] != idx[order][:-1]
    return order[last]


class CommandHold:
    """Last-valid-command store for ``n`` devices with ``width`` command values each.

    Args:
        n: Number of devices.
        width: Command values per device.
        max_age_s: Largest accepted age at reception, > 0.
        initial: Initial command, ``(n, width)``; zeros if omitted.
    """

    def __init__(
        self, n: int, width: int, max_age_s: float, initial: FloatArray | None = None
    ) -> None:
        if max_age_s <= 0.0:
            raise ValueError(f"max_age_s must be > 0, got {max_age_s}")
        self.max_age_s = float(max_age_s)
        self.value = np.zeros((n, width)) if initial is None else np.array(initial, dtype=float)
        if self.value.shape != (n, width):
            raise ValueError(
                f"initial command must have shape {(n, width)}, got {self.value.shape}"
            )
        self.seq = np.full(n, -1, dtype=np.int64)
        self.created_s = np.full(n, -np.inf)
        self.rejected = 0

    def offer(
        self,
        idx: IntArray,
        seq: IntArray,
        value: FloatArray,
        created_s: FloatArray,
        rx_s: FloatArray,
    ) -> BoolArray:
        """Offer a batch of received commands.

        Args:
            idx: Device index per command, ``(k,)``.
            seq: Sequence number per command, ``(k,)``.
            value: Command values, ``(k, width)``.
            created_s: Creation times, ``(k,)``.
            rx_s: Receive times, ``(k,)``.

        Returns:
            Per device ``(n,)``: whether a valid command was accepted in this batch.
        """
        fresh = np.zeros(self.seq.size, dtype=bool)
        idx = np.asarray(idx, dtype=np.int64)
        if idx.size == 0:
            return fresh
        seq = np.asarray(seq, dtype=np.int64)
        age = np.asarray(rx_s, dtype=float) - np.asarray(created_s, dtype=float)
        ok = (age <= self.max_age_s + 1e-12) & (seq > self.seq[idx])
        self.rejected += int(np.count_nonzero(~ok))
        if not np.any(ok):
            return fresh
        sel = np.flatnonzero(ok)
        pick = sel[_newest_per_device(idx[sel], seq[sel])]
        dev = idx[pick]
        self.value[dev] = np.asarray(value, dtype=float)[pick]
        self.seq[dev] = seq[pick]
        self.created_s[dev] = np.asarray(created_s, dtype=float)[pick]
        fresh[dev] = True
        return fresh


class SurvivalWatchdog:
    """Safety stop after ``survival_time_s`` without a valid update; resume after K fresh ticks.

    Args:
        n: Number of devices.
        survival_time_s: Longest tolerated gap between valid updates, > 0.
        resume_updates: K, consecutive ticks with a valid update needed to resume, >= 1.
        t0_s: Start time (counts as the last valid update, so nothing stops at start-up).
    """

    def __init__(
        self, n: int, survival_time_s: float, resume_updates: int, t0_s: float = 0.0
    ) -> None:
        if survival_time_s <= 0.0:
            raise ValueError(f"survival_time_s must be > 0, got {survival_time_s}")
        if resume_updates < 1:
            raise ValueError(f"resume_updates must be >= 1, got {resume_updates}")
        self.survival_time_s = float(survival_time_s)
        self.resume_updates = int(resume_updates)
        self.last_valid_s = np.full(n, float(t0_s))
        self.stopped = np.zeros(n, dtype=bool)
        self.streak = np.zeros(n, dtype=np.int64)
        self.stop_count = np.zeros(n, dtype=np.int64)
        self.stopped_time_s = np.zeros(n)
        self._last_t_s = float(t0_s)

    def update(self, t_s: float, fresh: BoolArray) -> BoolArray:
        """Check at tick ``t_s`` whether a valid update arrived since the previous tick.

        Returns:
            The stopped flags after the check, ``(n,)``.
        """
        fresh = np.asarray(fresh, dtype=bool)
        self.stopped_time_s += np.where(self.stopped, t_s - self._last_t_s, 0.0)
        self._last_t_s = t_s
        self.last_valid_s = np.where(fresh, t_s, self.last_valid_s)
        self.streak = np.where(fresh, self.streak + 1, 0)
        expired = (t_s - self.last_valid_s) > self.survival_time_s + 1e-12
        newly = expired & ~self.stopped
        self.stop_count += newly
        resume = self.stopped & (self.streak >= self.resume_updates)
        self.stopped = (self.stopped | newly) & ~resume
        self.streak = np.where(newly, 0, self.streak)
        return self.stopped.copy()


class StatePredictor:
    """Open-loop state estimate for ``m`` linear models ``x[k+1] = A x + B u``.

    Args:
        a: State matrices, ``(m, n, n)`` or one ``(n, n)`` shared by all.
        b: Input matrices, ``(m, n, p)`` or ``(n, p)``.
        x0: Initial estimates, ``(m, n)``.
    """

    def __init__(self, a: FloatArray, b: FloatArray, x0: FloatArray) -> None:
        x0 = np.array(x0, dtype=float)
        m, n = x0.shape
        a = np.asarray(a, dtype=float)
        b = np.asarray(b, dtype=float)
        self.a = np.broadcast_to(a, (m, n, n)).copy()
        self.b = np.broadcast_to(b, (m, n, b.shape[-1])).copy()
        self.x_hat = x0
        self.age_steps = np.zeros(m, dtype=np.int64)

    def correct(self, mask: BoolArray, x: FloatArray, age_steps: IntArray | None = None) -> None:
        """Replace the estimate of the masked devices by a measurement.

        Args:
            mask: Which devices got a measurement, ``(m,)``.
            x: Measured states, ``(m, n)`` (rows outside the mask are ignored).
            age_steps: Measurement age in steps, ``(m,)``; the measurement is propagated that many
                steps open loop with zero input (``A^k x``). Default 0.
        """
        mask = np.asarray(mask, dtype=bool)
        if not np.any(mask):
            return
        xm = np.asarray(x, dtype=float)[mask]
        if age_steps is not None:
            ages = np.asarray(age_steps, dtype=np.int64)[mask]
            am = self.a[mask]
            for k in range(int(ages.max(initial=0))):
                step = ages > k
                xm[step] = np.einsum("mij,mj->mi", am[step], xm[step])
        self.x_hat[mask] = xm
        self.age_steps[mask] = 0

    def predict(self, u: FloatArray | None = None) -> FloatArray:
        """Advance every estimate one step with input ``u`` (``(m, p)``; zero if omitted)."""
        x: FloatArray = np.einsum("mij,mj->mi", self.a, self.x_hat)
        if u is not None:
            x += np.einsum("mij,mj->mi", self.b, np.asarray(u, dtype=float))
        self.x_hat = x
        self.age_steps += 1
        return x


class CosPublisher:
    """Change-of-state publishing with a heartbeat: one current output per flow.

    Args:
        heartbeat_s: Repeat period of an unchanged output, > 0.
    """

    def __init__(self, heartbeat_s: float) -> None:
        if heartbeat_s <= 0.0:
            raise ValueError(f"heartbeat_s must be > 0, got {heartbeat_s}")
        self.heartbeat_s = heartbeat_s
        self._last: dict[str, tuple[object, float]] = {}

    def maybe(self, t_s: float, flow: str, payload: object) -> bool:
        """Whether to send ``payload`` on ``flow`` now (it changed, or the heartbeat is due)."""
        prev = self._last.get(flow)
        if prev is None or prev[0] != payload or t_s - prev[1] >= self.heartbeat_s - 1e-9:
            self._last[flow] = (payload, t_s)
            return True
        return False

"""What each arm and station of a workcell did, as merged time intervals (for a Gantt chart).

The workcell accounts each arm's time per control period into exactly one of moving, stopped
(safety stop), waiting on a machine, waiting for a part and waiting on the network, and each
station's busy time (``robots.workcell.Workcell._account``); a station not busy is ``idle``. This
log reads those cumulative counters after every period and turns their increments into intervals;
it changes nothing in the model. After the last part is out nothing is accounted, so no interval
covers that time.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from robots.workcell import Workcell

#: Arm states, in the order of the workcell's counters.
ARM_STATES = ("moving", "stopped", "wait_machine", "wait_part", "wait_network")
_ARM_COUNTERS = (
    "arm_moving_s",
    "arm_stopped_s",
    "arm_wait_machine_s",
    "arm_wait_part_s",
    "arm_wait_network_s",
)


@dataclass
class _Open:
    state: str
    start_s: float
    end_s: float


@dataclass
class ActivityLog:
    """Intervals ``(device, kind, state, start_s, end_s)``; consecutive equal states merge.

    Attributes:
        rows: Closed intervals.
    """

    rows: list[tuple[str, str, str, float, float]] = field(default_factory=list)
    _open: dict[str, _Open] = field(default_factory=dict)
    _kind: dict[str, str] = field(default_factory=dict)
    _last: dict[str, np.ndarray] = field(default_factory=dict)

    def sample(self, model: Workcell, t0_s: float, t1_s: float) -> None:
        """Records what each device did in ``(t0_s, t1_s]`` (call after ``model.step``)."""
        grew = {}
        for name in (*_ARM_COUNTERS, "st_busy_s", "elapsed_s"):
            now = np.array(getattr(model, name), dtype=float)
            before = self._last.get(name, np.zeros_like(now))
            grew[name] = now > before + 1e-12
            self._last[name] = now
        for i, arm in enumerate(model.arm_names):
            state = next(
                (s for s, c in zip(ARM_STATES, _ARM_COUNTERS, strict=True) if grew[c][i]), None
            )
            self._extend(arm, "arm", state, t0_s, t1_s)
        for j, st in enumerate(model.station_names):
            state = "busy" if grew["st_busy_s"][j] else "idle"
            self._extend(st, "station", state if grew["elapsed_s"] else None, t0_s, t1_s)

    def _extend(self, device: str, kind: str, state: str | None, t0: float, t1: float) -> None:
        self._kind[device] = kind
        cur = self._open.get(device)
        if cur is not None and cur.state == state and abs(cur.end_s - t0) < 1e-9:
            cur.end_s = t1
            return
        if cur is not None:
            self.rows.append((device, kind, cur.state, cur.start_s, cur.end_s))
            del self._open[device]
        if state is not None:
            self._open[device] = _Open(state, t0, t1)

    def close(self) -> list[tuple[str, str, str, float, float]]:
        """Closes the open intervals and returns every interval, sorted by device and time."""
        for device, cur in self._open.items():
            self.rows.append((device, self._kind[device], cur.state, cur.start_s, cur.end_s))
        self._open.clear()
        self.rows.sort(key=lambda r: (r[0], r[3]))
        return self.rows

    def write_csv(self, path: Path) -> None:
        """Writes ``activity.csv``: device, kind, state, start_s, end_s."""
        with path.open("w") as fh:
            fh.write("device,kind,state,start_s,end_s\n")
            for d, k, s, a, b in self.close():
                fh.write(f"{d},{k},{s},{a:.6f},{b:.6f}\n")

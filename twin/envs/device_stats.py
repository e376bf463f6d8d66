"""Per-device network statistics a scheduler observes, kept the same way in every env.

For each schedulable device: cycles since its last on-time delivery (age of information), the
SINR of its last uplink delivery, an exponentially weighted rate of on-time deliveries when it
was selected, the latency of its last delivery and whether it was selected in the last cycle.
"""

from __future__ import annotations

import numpy as np

#: Names and order of the per-device observation features shared by the envs.
DEVICE_FEATURES = ("age", "urgency", "sinr", "success", "latency", "selected")
#: Ages are observed up to this many cycles (then saturate).
AGE_CAP = 20
#: SINR is observed on [-SINR_SCALE_DB, SINR_SCALE_DB] dB, scaled to [-1, 1].
SINR_SCALE_DB = 50.0


class DeviceStats:
    """Running statistics of ``n`` devices.

    Args:
        n: Number of devices.
        latency_budget_s: Latency that scales the latency feature (the deadline).
        success_ewma: Weight of the newest outcome in the success rate, in (0, 1].
    """

    def __init__(self, n: int, latency_budget_s: float, success_ewma: float = 0.2) -> None:
        self.n = n
        self.budget_s = latency_budget_s
        self.alpha = success_ewma
        self.age = np.ones(n, dtype=np.int64)
        self.sinr_db = np.full(n, np.nan)
        self.success = np.ones(n)
        self.latency_s = np.zeros(n)
        self.selected = np.zeros(n, dtype=bool)

    def record_sinr(self, device: np.ndarray, sinr_db: np.ndarray) -> None:
        """Remembers the newest finite SINR of each delivery (device index per delivery)."""
        ok = np.isfinite(sinr_db)
        self.sinr_db[device[ok]] = sinr_db[ok]

    def update(self, selected: np.ndarray, on_time: np.ndarray, latency_s: np.ndarray) -> None:
        """Folds in one cycle.

        Args:
            selected: Devices that were allowed to send.
            on_time: Devices whose update arrived within the budget.
            latency_s: Latency of each device's delivery this cycle (NaN: none).
        """
        self.selected = selected.copy()
        outcome = on_time[selected].astype(float)
        self.success[selected] += self.alpha * (outcome - self.success[selected])
        self.age = np.where(on_time, 1, np.minimum(self.age + 1, 10 * AGE_CAP))
        got = np.isfinite(latency_s)
        self.latency_s[got] = latency_s[got]

    def features(self, urgency01: np.ndarray) -> np.ndarray:
        """``(n, len(DEVICE_FEATURES))`` float32 features, each in [-1, 1]."""
        sinr = np.nan_to_num(self.sinr_db, nan=0.0) / SINR_SCALE_DB
        return np.stack(
            [
                np.minimum(self.age, AGE_CAP) / AGE_CAP,
                urgency01,
                np.clip(sinr, -1.0, 1.0),
                self.success,
                np.clip(self.latency_s / (2.0 * self.budget_s), 0.0, 1.0),
                self.selected.astype(float),
            ],
            axis=1,
        ).astype(np.float32)

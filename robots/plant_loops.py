"""Control loops of linear plants closed over the network (sensor -> controller uplink).

As in Eisen et al.: each plant's sensor sends its state every sampling period on flow
``<plant>.state`` (sensor -> ``controller``); the downlink to the actuator is ideal. A sample
taken at ``t_k`` counts for step ``k`` when it is received by ``t_k + deadline_s`` (the paper's
tau_max, much shorter than the period). Then ``x_hat = x_k``; otherwise ``x_hat`` is the
controller's open-loop prediction ``A x_hat + B u`` (:class:`robots.networked.StatePredictor`).
The applied input is ``u = -K x_hat`` (``on_loss="predict"``), or ``u = 0`` when the update is
lost (``on_loss="zero_input"``, the switched-plant model of the deep-learning variant).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from robots.messages import FlowSpec, Inbox, Message
from robots.networked import FloatArray, StatePredictor
from robots.plants import PlantBatch


@dataclass(frozen=True)
class PlantSample:
    """Payload of a ``<plant>.state`` message: state sample number ``seq``."""

    seq: int
    x: FloatArray


class NetworkedPlants:
    """``m`` plants whose state updates travel over the network.

    Args:
        batch: The plants (their gains and Lyapunov matrices included).
        noise_cov: Process-noise covariance ``W``, ``(n, n)``.
        rng: Random generator for the process noise.
        period_s: Sampling period, > 0; the co-simulation period must divide it.
        deadline_s: Latest receive time after sampling for an update to count (default period).
        packet_bytes: Size of a state update.
        on_loss: ``"predict"`` or ``"zero_input"`` (see the module docstring).
        names: Sensor device names (default ``plant1..plantM``).
        controller: Controller device name.
        watch_index: State index to check against ``watch_bound`` (e.g. 2 = pendulum angle).
        watch_bound: Bound for the stability criterion ``|x[watch_index]| <= bound``.
        positions_m: Device locations (default: controller at the origin 3 m up, sensors 1 m up
            on a 10 m circle around it).
    """

    def __init__(
        self,
        batch: PlantBatch,
        noise_cov: FloatArray,
        rng: np.random.Generator,
        period_s: float = 0.01,
        deadline_s: float | None = None,
        packet_bytes: int = 100,
        on_loss: str = "predict",
        names: Sequence[str] | None = None,
        controller: str = "controller",
        watch_index: int | None = None,
        watch_bound: float | None = None,
        positions_m: dict[str, tuple[float, float, float]] | None = None,
    ) -> None:
        if period_s <= 0.0:
            raise ValueError(f"period_s must be > 0, got {period_s}")
        deadline = period_s if deadline_s is None else deadline_s
        if not 0.0 < deadline <= period_s:
            raise ValueError(f"deadline_s must be in (0, period_s={period_s}], got {deadline}")
        if on_loss not in ("predict", "zero_input"):
            raise ValueError(f"on_loss must be 'predict' or 'zero_input', got {on_loss!r}")
        if packet_bytes <= 0:
            raise ValueError(f"packet_bytes must be > 0, got {packet_bytes}")
        self.batch = batch
        self.rng = rng
        w = np.asarray(noise_cov, dtype=float)
        self.noise_chol = np.linalg.cholesky(w) if np.any(w) else np.zeros_like(w)
        self.period_s = float(period_s)
        self.deadline_s = float(deadline)
        self.packet_bytes = packet_bytes
        self.on_loss = on_loss
        self.controller = controller
        m = batch.m
        self.names = list(names) if names is not None else [f"plant{i + 1}" for i in range(m)]
        self.index = {f"{name}.state": i for i, name in enumerate(self.names)}
        self.predictor = StatePredictor(batch.a, batch.b, batch.x.copy())
        self.inbox = Inbox()
        self.k = 0
        self.watch_index = watch_index
        self.watch_bound = watch_bound
        self.lyapunov_sum = np.zeros(m)
        self.stage_sum = np.zeros(m)
        self.max_abs_x = np.abs(batch.x).copy()
        self.updates_used = np.zeros(m, dtype=np.int64)
        if positions_m is None:
            ang = 2.0 * np.pi * np.arange(m) / m
            positions_m = {controller: (0.0, 0.0, 3.0)}
            for i, n in enumerate(self.names):
                positions_m[n] = (10.0 * float(np.cos(ang[i])), 10.0 * float(np.sin(ang[i])), 1.0)
        if set(positions_m) != set(self.devices()):
            raise ValueError(f"positions_m must name exactly the devices {self.devices()}")
        self.positions = positions_m

    def device_positions_m(self) -> dict[str, tuple[float, float, float]]:
        """Static device locations."""
        return dict(self.positions)

    def devices(self) -> list[str]:
        """Controller and sensors."""
        return [self.controller, *self.names]

    def flows(self) -> list[FlowSpec]:
        """One periodic uplink flow per plant."""
        return [
            FlowSpec(f"{n}.state", n, self.controller, self.packet_bytes, self.period_s)
            for n in self.names
        ]

    def deliver(self, msg: Message, t_s: float) -> None:
        """Accept a state update received at ``t_s``."""
        self.inbox.put(msg, t_s)

    def step(self, t_s: float, dt_s: float) -> list[Message]:
        """Advance the plants when ``t_s + dt_s`` is a sampling instant; return new samples."""
        t1 = t_s + dt_s
        ratio = t1 / self.period_s
        if abs(ratio - round(ratio)) > 1e-6:
            return []
        k = self.k
        fresh = np.zeros(self.batch.m, dtype=bool)
        meas = np.zeros_like(self.batch.x)
        for rx, m in self.inbox.take_until(t1):
            p = m.payload
            i = self.index.get(m.flow)
            if i is None or not isinstance(p, PlantSample):
                continue
            if p.seq == k and rx <= m.created_s + self.deadline_s + 1e-12:
                fresh[i] = True
                meas[i] = p.x
        self.predictor.correct(fresh, meas)
        x_hat = self.predictor.x_hat
        u = self.batch.control(x_hat)
        if self.on_loss == "zero_input":
            u = np.where(fresh[:, None] | (k == 0), u, 0.0)
        x = self.batch.x
        self.stage_sum += self.batch.stage_cost(x, u)
        self.lyapunov_sum += self.batch.lyapunov_cost(x)
        self.updates_used += fresh
        w = self.rng.standard_normal(x.shape) @ self.noise_chol.T
        x_new = self.batch.step(u, w)
        self.max_abs_x = np.maximum(self.max_abs_x, np.abs(x_new))
        self.predictor.predict(u)
        self.k = k + 1
        return [
            Message(
                f"{n}.state",
                n,
                self.controller,
                self.packet_bytes,
                PlantSample(self.k, x_new[i].copy()),
                t1,
            )
            for i, n in enumerate(self.names)
        ]

    def summary(self) -> dict[str, float]:
        """Control costs, delivered updates and (if configured) the stability criterion."""
        steps = max(self.k, 1)
        out = {
            "plants/mean_lyapunov_cost": float(np.mean(self.lyapunov_sum) / steps),
            "plants/mean_stage_cost": float(np.mean(self.stage_sum) / steps),
            "plants/update_rate": float(np.mean(self.updates_used) / max(self.k - 1, 1)),
            "plants/max_abs_state": float(np.max(self.max_abs_x)),
        }
        if self.watch_index is not None and self.watch_bound is not None:
            within = self.max_abs_x[:, self.watch_index] <= self.watch_bound
            out["plants/frac_within_bound"] = float(np.mean(within))
        return out

"""Linear control plants with LQR, stepped as arrays, for control-aware scheduling studies.

``x[k+1] = A x[k] + B u[k] + w[k]``, ``w ~ N(0, W)``. The plants of Eisen et al. (IEEE IoT-J 2019,
arXiv 1811.00409; ICC-W 2020, arXiv 1906.06225) are included exactly as printed there (see
``/work/shared/published-results.md`` section 1); LQR weights, ``W`` and the Lyapunov matrix are
not published, so they are our documented choices (``Q = I``, ``R = I``, ``P`` = the Riccati
solution, ``W`` chosen per study).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import scipy.linalg

from robots.networked import FloatArray


@dataclass(frozen=True)
class LinearPlant:
    """A discrete-time LTI plant.

    Attributes:
        name: Plant name.
        a: State matrix rows.
        b: Input matrix rows.
        period_s: Sampling period the matrices are discretized for.
    """

    name: str
    a: tuple[tuple[float, ...], ...]
    b: tuple[tuple[float, ...], ...]
    period_s: float = 0.01

    @property
    def a_matrix(self) -> FloatArray:
        """``A`` as an array."""
        return np.array(self.a, dtype=float)

    @property
    def b_matrix(self) -> FloatArray:
        """``B`` as an array."""
        return np.array(self.b, dtype=float)


#: Inverted pendulum on a cart (Quanser), ZOH at 10 ms, x = [x, x_dot, theta, theta_dot].
#: A as first printed by Eisen et al. (arXiv 1811.00409v1). The revised version prints row 1
#: as [1, 0.037, 3.477, 0.042] instead (see INVERTED_PENDULUM_REVISED).
INVERTED_PENDULUM = LinearPlant(
    name="inverted_pendulum",
    a=(
        (1.0, 0.0, 0.0, 0.0),
        (0.0, 2.055, -0.722, 4.828),
        (0.0, 0.023, 0.91, 0.037),
        (0.0, 0.677, -0.453, 2.055),
    ),
    b=((0.034,), (0.168,), (0.019,), (0.105,)),
)

#: The same pendulum with the revised paper's first row.
INVERTED_PENDULUM_REVISED = LinearPlant(
    name="inverted_pendulum_revised",
    a=((1.0, 0.037, 3.477, 0.042), *INVERTED_PENDULUM.a[1:]),
    b=INVERTED_PENDULUM.b,
)

#: Ball-balancing board (Acrome), ZOH at 10 ms, two decoupled axes.
BALL_BOARD = LinearPlant(
    name="ball_board",
    a=(
        (1.0, 0.01, 0.0, 0.0),
        (0.0, 1.0, 0.0, 0.0),
        (0.0, 0.0, 1.0, 0.01),
        (0.0, 0.0, 0.0, 1.0),
    ),
    b=((-0.0001, 0.0), (-0.02, 0.0), (0.0, -0.00008), (0.0, -0.01)),
)


def lqr(
    a: FloatArray, b: FloatArray, q: FloatArray | None = None, r: FloatArray | None = None
) -> tuple[FloatArray, FloatArray]:
    """Discrete-time infinite-horizon LQR via scipy's Riccati solver.

    Args:
        a: State matrix ``(n, n)``.
        b: Input matrix ``(n, p)``.
        q: State weight (default identity).
        r: Input weight (default identity).

    Returns:
        ``(K, P)`` with ``u = -K x`` and ``P`` the Riccati solution (cost-to-go ``x'Px``).
    """
    a = np.asarray(a, dtype=float)
    b = np.asarray(b, dtype=float)
    q = np.eye(a.shape[0]) if q is None else np.asarray(q, dtype=float)
    r = np.eye(b.shape[1]) if r is None else np.asarray(r, dtype=float)
    p = scipy.linalg.solve_discrete_are(a, b, q, r)
    k = np.linalg.solve(r + b.T @ p @ b, b.T @ p @ a)
    return k, p


def spectral_radius(m: FloatArray) -> float:
    """Largest eigenvalue magnitude."""
    return float(np.max(np.abs(np.linalg.eigvals(np.asarray(m, dtype=float)))))


def switched_scalar_gains(m: int, rng: np.random.Generator) -> tuple[FloatArray, FloatArray]:
    """Gains of the deep-learning variant's scalar switched plants.

    Returns:
        ``(a_open, a_closed)``, each ``(m,)``: open-loop ~ U(1.01, 1.3), closed-loop ~ U(0.8, 0.95).
    """
    if m < 1:
        raise ValueError(f"m must be >= 1, got {m}")
    a_closed = rng.uniform(0.8, 0.95, size=m)
    a_open = rng.uniform(1.01, 1.3, size=m)
    return a_open, a_closed


class PlantBatch:
    """``m`` plants of equal dimensions stepped together.

    Args:
        a: State matrices, ``(m, n, n)``.
        b: Input matrices, ``(m, n, p)``.
        k: Feedback gains, ``(m, p, n)`` (``u = -K x``).
        p: Lyapunov matrices for the cost ``x'Px``, ``(m, n, n)``.
        x0: Initial states, ``(m, n)``.
        q: Stage-cost state weights, ``(m, n, n)`` (default identity).
        r: Stage-cost input weights, ``(m, p, p)`` (default identity).
        state_clip: States are clipped to ``[-state_clip, state_clip]`` if given.
    """

    def __init__(
        self,
        a: FloatArray,
        b: FloatArray,
        k: FloatArray,
        p: FloatArray,
        x0: FloatArray,
        q: FloatArray | None = None,
        r: FloatArray | None = None,
        state_clip: float | None = None,
    ) -> None:
        self.a = np.asarray(a, dtype=float)
        self.b = np.asarray(b, dtype=float)
        self.k = np.asarray(k, dtype=float)
        self.p = np.asarray(p, dtype=float)
        self.x = np.array(x0, dtype=float)
        m, n = self.x.shape
        pdim = self.b.shape[2]
        if self.a.shape != (m, n, n) or self.b.shape[:2] != (m, n) or self.k.shape != (m, pdim, n):
            raise ValueError(
                f"shapes must be a (m,n,n), b (m,n,p), k (m,p,n) for m={m}, n={n}; got "
                f"{self.a.shape}, {self.b.shape}, {self.k.shape}"
            )
        self.q = np.broadcast_to(np.eye(n), (m, n, n)) if q is None else np.asarray(q, dtype=float)
        self.r = (
            np.broadcast_to(np.eye(pdim), (m, pdim, pdim))
            if r is None
            else np.asarray(r, dtype=float)
        )
        if state_clip is not None and state_clip <= 0.0:
            raise ValueError(f"state_clip must be > 0, got {state_clip}")
        self.state_clip = state_clip
        self.m, self.n, self.p_dim = m, n, pdim

    @classmethod
    def from_plant(
        cls,
        plant: LinearPlant,
        m: int,
        x0: FloatArray | None = None,
        q: FloatArray | None = None,
        r: FloatArray | None = None,
    ) -> PlantBatch:
        """``m`` copies of ``plant`` with its LQR gain (weights ``q``, ``r``; identity default)."""
        a, b = plant.a_matrix, plant.b_matrix
        k, p = lqr(a, b, q, r)
        n, pd = b.shape
        qq = np.eye(n) if q is None else np.asarray(q, dtype=float)
        rr = np.eye(pd) if r is None else np.asarray(r, dtype=float)
        return cls(
            np.broadcast_to(a, (m, n, n)).copy(),
            np.broadcast_to(b, (m, n, pd)).copy(),
            np.broadcast_to(k, (m, pd, n)).copy(),
            np.broadcast_to(p, (m, n, n)).copy(),
            np.zeros((m, n)) if x0 is None else x0,
            np.broadcast_to(qq, (m, n, n)).copy(),
            np.broadcast_to(rr, (m, pd, pd)).copy(),
        )

    @classmethod
    def switched_scalar(
        cls, a_open: FloatArray, a_closed: FloatArray, x0: FloatArray | None = None
    ) -> PlantBatch:
        """Scalar plants ``x+ = a_open x + u + w`` with ``K = a_open - a_closed``, clipped to 10.

        With the control applied the loop gain is ``a_closed``; without it, ``a_open``. The
        Lyapunov matrix is ``P = 1`` (cost ``x^2``, as in the deep-learning variant).
        """
        ao = np.asarray(a_open, dtype=float)
        ac = np.asarray(a_closed, dtype=float)
        m = ao.size
        return cls(
            ao.reshape(m, 1, 1),
            np.ones((m, 1, 1)),
            (ao - ac).reshape(m, 1, 1),
            np.ones((m, 1, 1)),
            np.zeros((m, 1)) if x0 is None else np.asarray(x0, dtype=float).reshape(m, 1),
            state_clip=10.0,
        )

    def closed_loop(self) -> FloatArray:
        """``A - B K`` per plant, ``(m, n, n)``."""
        out: FloatArray = self.a - self.b @ self.k
        return out

    def control(self, x_hat: FloatArray) -> FloatArray:
        """``u = -K x_hat``, ``(m, p)``."""
        u: FloatArray = -np.einsum("mpn,mn->mp", self.k, x_hat)
        return u

    def step(self, u: FloatArray, w: FloatArray) -> FloatArray:
        """Advance every plant one period with inputs ``u`` (m, p) and noise ``w`` (m, n)."""
        x = np.einsum("mij,mj->mi", self.a, self.x) + np.einsum("mij,mj->mi", self.b, u) + w
        if self.state_clip is not None:
            x = np.clip(x, -self.state_clip, self.state_clip)
        self.x = x
        return x

    def lyapunov_cost(self, x: FloatArray | None = None) -> FloatArray:
        """``x'Px`` per plant, ``(m,)``."""
        x = self.x if x is None else x
        out: FloatArray = np.einsum("mi,mij,mj->m", x, self.p, x)
        return out

    def stage_cost(self, x: FloatArray, u: FloatArray) -> FloatArray:
        """LQR stage cost ``x'Qx + u'Ru`` per plant, ``(m,)``."""
        out: FloatArray = np.einsum("mi,mij,mj->m", x, self.q, x) + np.einsum(
            "mi,mij,mj->m", u, self.r, u
        )
        return out

"""Plants as printed, LQR stabilization, networked loops, vectorized vs per plant."""

from __future__ import annotations

import numpy as np
import pytest

from robots.ideal_network import IdealNetwork, run_lockstep
from robots.plant_loops import NetworkedPlants
from robots.plants import (
    BALL_BOARD,
    INVERTED_PENDULUM,
    INVERTED_PENDULUM_REVISED,
    LinearPlant,
    PlantBatch,
    lqr,
    spectral_radius,
    switched_scalar_gains,
)


def test_published_matrices_as_printed() -> None:
    np.testing.assert_array_equal(
        INVERTED_PENDULUM.a_matrix,
        [
            [1, 0, 0, 0],
            [0, 2.055, -0.722, 4.828],
            [0, 0.023, 0.91, 0.037],
            [0, 0.677, -0.453, 2.055],
        ],
    )
    np.testing.assert_array_equal(INVERTED_PENDULUM.b_matrix, [[0.034], [0.168], [0.019], [0.105]])
    np.testing.assert_array_equal(INVERTED_PENDULUM_REVISED.a_matrix[0], [1, 0.037, 3.477, 0.042])
    np.testing.assert_array_equal(
        BALL_BOARD.a_matrix, [[1, 0.01, 0, 0], [0, 1, 0, 0], [0, 0, 1, 0.01], [0, 0, 0, 1]]
    )
    np.testing.assert_array_equal(
        BALL_BOARD.b_matrix, [[-0.0001, 0], [-0.02, 0], [0, -0.00008], [0, -0.01]]
    )
    # The note in published-results.md: open-loop eigenvalue about 3.85 per step.
    assert spectral_radius(INVERTED_PENDULUM.a_matrix) == pytest.approx(3.85, abs=0.01)


@pytest.mark.parametrize("plant", [INVERTED_PENDULUM, INVERTED_PENDULUM_REVISED, BALL_BOARD])
def test_lqr_stabilizes(plant: LinearPlant) -> None:
    k, p = lqr(plant.a_matrix, plant.b_matrix)
    acl = plant.a_matrix - plant.b_matrix @ k
    assert spectral_radius(acl) < 1.0
    # P solves the Riccati equation: P = A'PA - A'PB K + Q.
    a, b = plant.a_matrix, plant.b_matrix
    np.testing.assert_allclose(a.T @ p @ a - a.T @ p @ b @ k + np.eye(4), p, rtol=1e-8, atol=1e-8)
    # Lyapunov decrease along the noiseless closed loop.
    x = np.ones(4)
    v = [x @ p @ x]
    for _ in range(50):
        x = acl @ x
        v.append(x @ p @ x)
    assert all(np.diff(v) < 0)


def test_switched_scalar_gains_ranges() -> None:
    ao, ac = switched_scalar_gains(1000, np.random.default_rng(0))
    assert ao.min() >= 1.01 and ao.max() <= 1.3
    assert ac.min() >= 0.8 and ac.max() <= 0.95
    b = PlantBatch.switched_scalar(ao, ac)
    np.testing.assert_allclose(b.closed_loop()[:, 0, 0], ac)
    b.x[:] = 9.5
    b.step(np.zeros((1000, 1)), np.ones((1000, 1)))
    assert b.x.max() == 10.0  # clipped


def test_vectorized_matches_per_plant() -> None:
    rng = np.random.default_rng(4)
    m = 7
    x0 = rng.normal(0, 0.01, (m, 4))
    batch = PlantBatch.from_plant(INVERTED_PENDULUM, m, x0)
    singles = [PlantBatch.from_plant(INVERTED_PENDULUM, 1, x0[i : i + 1]) for i in range(m)]
    for _ in range(100):
        w = rng.normal(0, 1e-4, (m, 4))
        u = batch.control(batch.x)
        us = [s.control(s.x) for s in singles]
        batch.step(u, w)
        for i, s in enumerate(singles):
            s.step(us[i], w[i : i + 1])
    np.testing.assert_allclose(batch.x, np.vstack([s.x for s in singles]), rtol=1e-12, atol=1e-15)


def _pendulum_loop(loss: float, seed: int = 0) -> dict[str, float]:
    batch = PlantBatch.from_plant(INVERTED_PENDULUM, 20)
    loop = NetworkedPlants(
        batch, 1e-6 * np.eye(4), np.random.default_rng(seed), watch_index=2, watch_bound=0.05
    )
    run_lockstep(
        loop, IdealNetwork(loss_probability=loss, rng=np.random.default_rng(seed + 1)), 0.01, 5.0
    )
    return loop.summary()


def test_loss_raises_control_cost() -> None:
    costs = [_pendulum_loop(p)["plants/mean_lyapunov_cost"] for p in (0.0, 0.05, 0.2)]
    assert costs[0] < costs[1] < costs[2], costs
    clean = _pendulum_loop(0.0)
    assert clean["plants/update_rate"] == pytest.approx(1.0)
    assert clean["plants/frac_within_bound"] == 1.0


def test_late_update_counts_as_lost() -> None:
    batch = PlantBatch.from_plant(BALL_BOARD, 3)
    loop = NetworkedPlants(batch, 1e-8 * np.eye(4), np.random.default_rng(0), deadline_s=0.001)
    run_lockstep(loop, IdealNetwork(delay_s=0.002), 0.01, 1.0)
    assert loop.summary()["plants/update_rate"] == 0.0
    assert set(loop.device_positions_m()) == set(loop.devices())
    assert {f.name for f in loop.flows()} == {"plant1.state", "plant2.state", "plant3.state"}
    with pytest.raises(ValueError, match="deadline_s"):
        NetworkedPlants(batch, np.eye(4), np.random.default_rng(0), deadline_s=0.02)
    with pytest.raises(ValueError, match="on_loss"):
        NetworkedPlants(batch, np.eye(4), np.random.default_rng(0), on_loss="ignore")


def test_same_seed_same_result() -> None:
    assert _pendulum_loop(0.1, seed=3) == _pendulum_loop(0.1, seed=3)
    assert _pendulum_loop(0.1, seed=3) != _pendulum_loop(0.1, seed=4)

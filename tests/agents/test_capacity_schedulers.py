"""The capacity study's allocators, slot plan and noise choice (no ns-3)."""

from __future__ import annotations

import numpy as np
import pytest
import scipy.linalg

from agents.capacity_schedulers import CycleView, make_allocator
from agents.control_capacity import PLANTS, CapacityConfig, _plan, capacities, noise_for_margin
from robots.plants import PlantBatch
from twin.config import ConfigError
from twin.uplink_cycle import UplinkPlan


def _view(x: np.ndarray, x_hat: np.ndarray, age: list[int], capacity: int) -> CycleView:
    return CycleView(x=x, x_hat=x_hat, age=np.array(age), capacity=capacity)


def test_slot_plan_fits_nine_stations_per_slot_within_tau_max() -> None:
    cfg = CapacityConfig()  # 500 us slots, updates at most 450 us after a slot's start
    # j slots fit when (j - 1) * 500 + 450 <= tau: 1, 2 and 3 slots; 9 26-tone RUs each.
    assert [_plan(cfg, t).capacity for t in (0.5, 1.0, 1.5)] == [9, 18, 27]
    assert _plan(cfg, 0.4).capacity == 0
    plan = UplinkPlan(tau_max_ns=1_000_000, slot_ns=500_000, slots=2)
    groups = plan.groups(np.arange(20)[::-1])
    assert [g.tolist() for g in groups] == [list(range(19, 10, -1)), list(range(10, 1, -1))]
    with pytest.raises(ValueError, match="arm_ns"):
        UplinkPlan(tau_max_ns=1, slot_ns=100, slots=1, arm_ns=100)


def test_fixed_pdr_keeps_its_static_plan_and_round_robin_rotates() -> None:
    batch = PlantBatch.from_plant(PLANTS["inverted_pendulum"][0], 5)
    fixed, rr = make_allocator("fixed_pdr"), make_allocator("round_robin")
    fixed.reset(batch)
    rr.reset(batch)
    v = _view(np.zeros((5, 4)), np.zeros((5, 4)), [0, 3, 0, 0, 9], 2)
    assert fixed.select(v).tolist() == [0, 1, 2, 3, 4] == fixed.select(v).tolist()
    assert rr.select(v)[:2].tolist() == [0, 1]
    assert rr.select(v)[:2].tolist() == [2, 3]
    assert rr.select(v)[:2].tolist() == [4, 0]
    with pytest.raises(ValueError, match="scheduler: 'edf' is not known"):
        make_allocator("edf")


def test_control_aware_serves_the_largest_avoided_cost_increase_first() -> None:
    batch = PlantBatch.from_plant(PLANTS["inverted_pendulum"][0], 3)
    ca = make_allocator("control_aware")
    ca.reset(batch)
    x = np.zeros((3, 4))
    x_hat = np.zeros((3, 4))
    x_hat[1, 2] = 0.01  # plant 1's estimate is off by 0.01 rad, plant 2's by 0.02
    x_hat[2, 2] = -0.02
    v = _view(x, x_hat, [5, 1, 1], 1)
    value = ca.value(v)  # type: ignore[attr-defined]
    # At x = 0 the avoided increase is e'K'B'PBKe: quadratic in the error.
    bk = batch.b[0] @ batch.k[0]
    e = np.array([0.0, 0.0, 0.02, 0.0])
    assert value[2] == pytest.approx(e @ bk.T @ batch.p[0] @ bk @ e)
    assert value[2] == pytest.approx(4 * value[1]) and value[0] == 0.0
    assert ca.select(v).tolist() == [2, 1, 0]
    # No error anywhere: the oldest update goes first.
    assert ca.select(_view(x, x, [1, 4, 2], 1)).tolist() == [1, 2, 0]


@pytest.mark.parametrize("plant", ["inverted_pendulum", "ball_board"])
def test_noise_margin_sets_the_ideal_network_std_of_the_watched_state(plant: str) -> None:
    model, watch = PLANTS[plant]
    w = noise_for_margin(model, watch, 0.05, 6.0)
    batch = PlantBatch.from_plant(model, 1)
    s = scipy.linalg.solve_discrete_lyapunov(batch.closed_loop()[0], w * np.eye(4))
    assert np.sqrt(np.max(np.diag(s)[list(watch)])) == pytest.approx(0.05 / 6.0)


def test_capacity_is_the_largest_count_with_every_run_stable() -> None:
    def row(m: int, ok: bool, seed: int = 1) -> dict[str, object]:
        return {
            "plant": "ball_board",
            "noise_margin": 6.0,
            "tau_max_ms": 0.5,
            "scheduler": "fixed_pdr",
            "n_plants": m,
            "seed": seed,
            "all_stable": ok,
            "on_time_rate": 1.0,
        }

    rows = [row(9, True), row(9, True, 2), row(18, True), row(18, False, 2), row(27, True)]
    (cap,) = capacities(rows)
    assert cap["supported"] == 9 and not cap["censored"]
    (cap,) = capacities(rows[:3])
    assert cap["supported"] == 18 and cap["censored"]


def test_bad_study_settings_are_refused_by_name() -> None:
    with pytest.raises(ConfigError, match=r"capacity.tau_max_ms: must be in \(0, 10.0\]"):
        CapacityConfig(tau_max_ms=(12.0,)).check("capacity")
    with pytest.raises(ConfigError, match="capacity.plants: 'cartpole' is not allowed"):
        CapacityConfig(plants=("cartpole",)).check("capacity")
    with pytest.raises(ConfigError, match="capacity.exchange_us"):
        CapacityConfig(exchange_us=600).check("capacity")

"""Baseline schedulers: their rankings by hand (no ns-3), and every one on both envs."""

from __future__ import annotations

import numpy as np
import pytest

from agents.baselines import BASELINES, make_baseline
from agents.evaluation import evaluate
from twin.envs.base import SchedulerView
from twin.envs.selection import select_top_k


def _view(**kw: object) -> SchedulerView:
    n = 5
    base: dict[str, object] = {
        "names": tuple(f"d{i}" for i in range(n)),
        "age": np.array([1, 4, 2, 4, 3]),
        "urgency": np.array([0.1, 5.0, 1.0, 5.0, 2.0]),
        "sinr_db": np.array([30.0, 10.0, np.nan, 25.0, 20.0]),
        "success": np.array([1.0, 0.2, 1.0, 1.0, 1.0]),
        "latency_s": np.zeros(n),
        "selected": np.zeros(n, dtype=bool),
        "max_selected": 2,
        "latency_budget_s": 0.001,
    }
    base.update(kw)
    return SchedulerView(**base)  # type: ignore[arg-type]


def _chosen(name: str, view: SchedulerView) -> list[int]:
    return np.flatnonzero(select_top_k(make_baseline(name).act(view), view.max_selected)).tolist()


def test_rankings_by_hand() -> None:
    v = _view()
    assert _chosen("largest_age", v) == [1, 3]  # ages 4, 4
    assert _chosen("channel_aware", v) == [0, 3]  # 30 dB, 25 dB; NaN is worst
    # success * urgency: 0.1, 1.0, 1.0, 5.0, 2.0 -> d3, d4
    assert _chosen("control_aware", v) == [3, 4]


def test_round_robin_cycles_k_per_cycle() -> None:
    rr = make_baseline("round_robin")
    v = _view()
    picks = [np.flatnonzero(select_top_k(rr.act(v), 2)).tolist() for _ in range(3)]
    assert picks == [[0, 1], [2, 3], [0, 4]]


def test_fixed_target_serves_fewer_after_a_missed_target() -> None:
    ft = make_baseline("fixed_target")
    first = np.flatnonzero(select_top_k(ft.act(_view(max_selected=3)), 3)).tolist()
    assert first == [0, 1, 2]
    # d0 and d2 on time (age 1), d1 not: 2/3 < 0.99 -> one device fewer.
    second = ft.act(_view(age=np.array([1, 2, 1, 5, 5]), max_selected=3))
    assert select_top_k(second, 3).sum() == 2


@pytest.mark.ns3
@pytest.mark.parametrize(
    ("env_id", "kwargs"),
    [
        ("fabtwin/ControlScheduling-v0", {"n_plants": 4, "horizon_steps": 5}),
        ("fabtwin/ControlScheduling-v1", {"n_plants": 4, "horizon_steps": 5}),
        ("fabtwin/Workcell-v0", {"n_best_effort": 1, "horizon_s": 0.1}),
    ],
)
def test_every_baseline_runs_on_every_env(env_id: str, kwargs: dict[str, object]) -> None:
    episodes = evaluate(env_id, kwargs, list(BASELINES), [1])
    assert [e.policy for e in episodes] == list(BASELINES)
    for e in episodes:
        assert e.rows and all(np.isfinite(r["reward"]) for r in e.rows)
        assert max(r["net/selected"] for r in e.rows) >= 1

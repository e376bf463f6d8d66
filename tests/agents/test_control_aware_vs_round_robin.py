"""Issue 7: the control-aware heuristic beats round robin on control cost in
ControlScheduling-v0 with 20 pendulums at tau_max 1 ms, over 5 held-out seeds (real ns-3).

Over single-user EDCA (``mu_schedule: false``; application-level selection) a 100-byte uplink
costs about 0.2 ms of channel time, so only about 3 of the 9 devices selected per 10 ms cycle
arrive within 1 ms: no scheduler holds 20 of these pendulums (open-loop eigenvalue 3.85 per
step) near their ideal-network cost. The comparison is between degrees of failure, and the
figure compared is the env's control-cost term, the mean over plants and steps of
``log(1 + x'Px / ideal)`` (clipped at 1e6): the linear mean is dominated by the worst plant.
Measured (horizon 30 steps, seeds 100001..100005): round robin 10.75 +- 0.33, control-aware
9.80 +- 0.23, paired difference -0.95 +- 0.33 (95 % CI); control-aware's linear mean cost is
lower on every seed.
"""

from __future__ import annotations

import numpy as np
import pytest

from agents.evaluation import comparison, evaluate

pytestmark = [pytest.mark.ns3, pytest.mark.slow]

SEEDS = [100001, 100002, 100003, 100004, 100005]
# Over single-user EDCA (the env's default is UL OFDMA since; docs/training.md compares the
# schedulers there too).
KWARGS = {"n_plants": 20, "tau_max_s": 0.001, "horizon_steps": 30, "mu_schedule": False}


def test_control_aware_beats_round_robin_on_control_cost() -> None:
    episodes = evaluate(
        "fabtwin/ControlScheduling-v0", KWARGS, ["round_robin", "control_aware"], SEEDS
    )
    rows = {(r["policy"], r["figure"]): r for r in comparison(episodes, reference="round_robin")}
    rr = rows[("round_robin", "mean_rewards/control_cost")]
    ca = rows[("control_aware", "mean_rewards/control_cost")]
    assert rr["n"] == ca["n"] == 5
    assert 10.0 < rr["mean"] < 11.5  # measured 10.75
    assert ca["mean"] < rr["mean"] - 0.5  # measured 9.80
    assert ca["diff_vs_ref"] + ca["diff_ci95"] < 0  # measured -0.95 +- 0.33
    linear = {
        (e.policy, e.seed): np.mean([r["control/mean_cost"] for r in e.rows]) for e in episodes
    }
    assert all(linear["control_aware", s] < linear["round_robin", s] for s in SEEDS)
    # Both serve the same number of devices; the difference is whom.
    sel = {e.policy: np.mean([r["net/selected"] for r in e.rows]) for e in episodes}
    assert sel["round_robin"] == sel["control_aware"] == 9

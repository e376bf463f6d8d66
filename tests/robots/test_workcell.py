"""The machine-tending workcell: closed-form timing on an ideal network, degradation otherwise."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import numpy as np
import pytest

from robots.config import from_mapping
from robots.ideal_network import IdealNetwork, LossBurst, run_lockstep
from robots.messages import NetworkedModel
from robots.workcell import (
    DEFAULT_CONFIG_PATH,
    Workcell,
    WorkcellConfig,
    arm_cycle_ticks,
    ideal_completion_time_s,
    load_workcell_config,
)


def run(cfg: WorkcellConfig, n_parts: int, net: IdealNetwork, t_end_s: float = 200.0) -> Workcell:
    wc = Workcell(cfg, n_parts)
    run_lockstep(wc, net, cfg.arm_link.period_s, t_end_s, stop=lambda: wc.finished)
    return wc


def test_default_config_loads() -> None:
    cfg = load_workcell_config(DEFAULT_CONFIG_PATH)
    assert [a.name for a in cfg.arms] == ["arm1", "arm2"]
    assert [s.cycle_time_s for s in cfg.stations] == [6.0, 8.0, 7.0, 5.0]
    assert cfg.arm_link.servo.survival_time_s == 0.016


@pytest.mark.parametrize("n_parts", [1, 2, 4])
def test_ideal_network_matches_closed_form(fast_cell: WorkcellConfig, n_parts: int) -> None:
    wc = run(fast_cell, n_parts, IdealNetwork())
    assert wc.parts_done == n_parts
    assert wc.completion_time_s == pytest.approx(
        ideal_completion_time_s(fast_cell, n_parts), abs=1e-9
    )
    s = wc.summary()
    assert s["cell/safety_stops"] == 0
    assert s["arm1/rms_tracking_error_rad"] < 1e-3


def test_closed_form_by_hand_for_one_arm_cell(fast_cell: WorkcellConfig) -> None:
    """The closed form reduces to N cycles of one arm when the line has one arm."""
    arm = fast_cell.arms[0]
    one = replace(
        fast_cell,
        arms=(
            replace(
                arm,
                sink="outfeed",
                poses_rad={**arm.poses_rad, "outfeed": arm.poses_rad["handover"]},
            ),
        ),
        stations=fast_cell.stations[:2],
    )
    f = arm_cycle_ticks(one, one.arms[0], "home")
    s = arm_cycle_ticks(one, one.arms[0], "outfeed")
    dt = one.arm_link.period_s
    assert ideal_completion_time_s(one, 3) == pytest.approx((1 + f + 2 * s) * dt)
    wc = run(one, 3, IdealNetwork())
    assert wc.completion_time_s == pytest.approx((1 + f + 2 * s) * dt)


def test_delay_raises_idle_and_completion_monotonically(fast_cell: WorkcellConfig) -> None:
    results = [
        run(fast_cell, 1, IdealNetwork(delay_s=d)).summary() for d in (0.0, 0.012, 0.025, 0.035)
    ]
    done = [r["cell/completion_time_s"] for r in results]
    wait = [r["arm1/wait_network_s"] + r["arm2/wait_network_s"] for r in results]
    assert all(np.diff(done) > 0), done
    assert all(np.diff(wait) > 0), wait
    assert all(r["cell/safety_stops"] == 0 for r in results)


def test_loss_raises_completion_time(fast_cell: WorkcellConfig) -> None:
    means = []
    for p in (0.0, 0.1, 0.3):
        runs = [
            run(fast_cell, 1, IdealNetwork(loss_probability=p, rng=np.random.default_rng(s)))
            for s in (1, 2)
        ]
        means.append(np.mean([w.summary()["cell/completion_time_s"] for w in runs]))
    assert means[0] < means[1] < means[2], means


def test_loss_burst_longer_than_survival_time_stops_the_arm(fast_cell: WorkcellConfig) -> None:
    survival = fast_cell.arm_link.servo.survival_time_s
    # Burst on arm1's setpoints while it is moving its first part (starts within 0.1 s).
    short = run(
        fast_cell, 1, IdealNetwork(bursts=[LossBurst(0.5, 0.5 + survival / 2, ("arm1.setpoint",))])
    )
    long = run(
        fast_cell, 1, IdealNetwork(bursts=[LossBurst(0.5, 0.5 + 3 * survival, ("arm1.setpoint",))])
    )
    base = ideal_completion_time_s(fast_cell, 1)
    assert short.summary()["arm1/safety_stops"] == 0
    s = long.summary()
    assert s["arm1/safety_stops"] == 1
    assert s["arm2/safety_stops"] == 0
    assert s["arm1/stopped_s"] > 0
    assert long.completion_time_s is not None and long.completion_time_s > base
    assert long.parts_done == 1


def test_same_seed_same_result(fast_cell: WorkcellConfig) -> None:
    a = run(
        fast_cell, 2, IdealNetwork(loss_probability=0.2, rng=np.random.default_rng(5))
    ).summary()
    b = run(
        fast_cell, 2, IdealNetwork(loss_probability=0.2, rng=np.random.default_rng(5))
    ).summary()
    assert a == b


def test_flows_cover_every_message(fast_cell: WorkcellConfig) -> None:
    wc = Workcell(fast_cell, 1)
    flows = {f.name: f for f in wc.flows()}
    seen = set()
    for k in range(200):
        for m in wc.step(k * 0.01, 0.01):
            spec = flows[m.flow]
            assert (m.src, m.dst, m.size_bytes) == (spec.src, spec.dst, spec.size_bytes)
            seen.add(m.flow)
            wc.deliver(m, m.created_s)
    assert {"arm1.setpoint", "arm1.state", "arm1.task", "station1.cmd"} <= seen
    assert set(wc.devices()) == set(wc.device_positions_m())
    assert isinstance(wc, NetworkedModel)


def test_bad_config_names_the_field(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="cycle_time_s"):
        from_mapping(WorkcellConfig, {"arms": [], "stations": [{"name": "s", "cycle_time_s": -1}]})
    with pytest.raises(ValueError, match="unknown key"):
        from_mapping(WorkcellConfig, {"arms": [], "stations": [], "speed": 3})
    cfg = load_workcell_config()
    with pytest.raises(ValueError, match="exactly one arm"):
        replace(cfg, stations=cfg.stations[:3])

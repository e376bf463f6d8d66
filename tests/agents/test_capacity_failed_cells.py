"""A cell that ns-3 fails is recorded and skipped; the capacity study goes on (no real ns-3)."""

from __future__ import annotations

import dataclasses
from pathlib import Path
from typing import Any

import pytest

import agents.control_capacity as cc
from agents.capacity_report import write_report
from twin.bridge.errors import Ns3Crashed


def _fake_cell(cfg: Any, cell: Any, m: int, seed: int, todo: list, rows: list, *_: Any) -> None:
    for k, (_, _, plant, margin, tau, sched) in enumerate(todo):
        if m == 18 and k == 1:
            raise Ns3Crashed("ns-3 exited", -6, 'NS_ASSERT failed, cond="!EdcaDisabled(linkId)"')
        rows.append(
            {
                "plant": plant,
                "n_plants": m,
                "seed": seed,
                "noise_margin": margin,
                "noise_w": 1e-6,
                "tau_max_ms": tau,
                "scheduler": sched,
                "slots": 1,
                "capacity_per_cycle": 9,
                "stable_plants": m,
                "stable_fraction": 1.0,
                "all_stable": True,
                "on_time_rate": 1.0,
                "wall_s": 0.0,
            }
        )


def test_a_failed_cell_is_recorded_and_the_next_cells_still_run(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setattr(cc, "_run_cell", _fake_cell)
    cfg = cc.CapacityConfig(plants=("inverted_pendulum",), n_plants=(9, 18, 27), tau_max_ms=(0.5,))
    failed: list[dict[str, Any]] = []
    rows = cc.run_study(cfg, failures=failed)
    # 9 and 27 ran both schedulers; 18 finished one run before ns-3 failed.
    assert [(r["n_plants"], r["scheduler"]) for r in rows] == [
        (9, "fixed_pdr"),
        (9, "control_aware"),
        (18, "fixed_pdr"),
        (27, "fixed_pdr"),
        (27, "control_aware"),
    ]
    assert len(failed) == 1
    assert (failed[0]["n_plants"], failed[0]["seed"], failed[0]["episodes_done"]) == (18, 1, 1)
    assert "EdcaDisabled" in failed[0]["error"]
    caps = cc.capacities(rows)
    summary = {"mode": "quick", "wall_s": 0.0, "failed_cells": failed}
    text = write_report(tmp_path, dataclasses.asdict(cfg), rows, caps, summary).read_text()
    assert "1 cell(s) failed in ns-3" in text
    assert "18 plants, seed 1 (1 run(s) done)" in text


def test_without_a_failures_list_the_error_is_raised(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(cc, "_run_cell", _fake_cell)
    cfg = cc.CapacityConfig(plants=("inverted_pendulum",), n_plants=(18,), tau_max_ms=(0.5,))
    with pytest.raises(Ns3Crashed):
        cc.run_study(cfg)

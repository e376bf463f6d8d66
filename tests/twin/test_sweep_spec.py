"""Sweep files: grid and random expansion, stable run names, errors that name the field."""

from __future__ import annotations

from pathlib import Path

import pytest

from twin.config import ConfigError
from twin.configio import DEFAULT_CONFIG
from twin.sweep_spec import load_sweep, run_id, sweep_from_dict


def test_grid_times_seeds_expands_in_order_with_stable_names() -> None:
    spec = sweep_from_dict(
        {
            "base": "star.yaml",
            "set": ["run.duration_s=0.1"],
            "grid": {"cell.wifi.mcs": [3, 7], "cell.template.n_stations": [2, 3]},
            "seeds": [1, 2],
            "out": "somewhere",
        },
        Path("/nonexistent"),
    )
    assert spec.base == DEFAULT_CONFIG.with_name("star.yaml").resolve()
    assert len(spec.runs) == 8 and spec.keys == ["cell.wifi.mcs", "cell.template.n_stations"]
    assert [
        (r.params["cell.wifi.mcs"], r.params["cell.template.n_stations"], r.seed)
        for r in spec.runs[:3]
    ] == [(3, 2, 1), (3, 2, 2), (3, 3, 1)]
    assert len({r.run_id for r in spec.runs}) == 8
    first = spec.runs[0]
    assert first.run_id.startswith("mcs=3_n_stations=2_seed=1-")
    assert first.run_id == run_id({"cell.wifi.mcs": 3, "cell.template.n_stations": 2}, 1)
    assert first.overrides(spec.common) == [
        "run.duration_s=0.1",
        "cell.wifi.mcs=3",
        "cell.template.n_stations=2",
        "run.seed=1",
    ]
    assert spec.out == Path("somewhere") and spec.workers == 2


def test_random_search_draws_within_bounds_reproducibly(tmp_path: Path) -> None:
    text = """
base: star.yaml
random:
  n: 20
  seed: 5
  params:
    cell.wifi.mcs: {choice: [3, 5, 7]}
    cell.channel.exponent: {uniform: [2.5, 3.5]}
    cell.template.n_stations: {int: [2, 6]}
    run.step_s: {loguniform: [0.0005, 0.002]}
seeds: {count: 3, start: 4}
"""
    path = tmp_path / "s.yaml"
    path.write_text(text)
    a, b = load_sweep(path), load_sweep(path)
    assert a.runs == b.runs and len(a.runs) == 60
    assert {r.seed for r in a.runs} == {4, 5, 6}
    values = [r.params for r in a.runs]
    assert {v["cell.wifi.mcs"] for v in values} <= {3, 5, 7}
    assert all(2.5 <= v["cell.channel.exponent"] <= 3.5 for v in values)
    assert {v["cell.template.n_stations"] for v in values} <= set(range(2, 7))
    assert all(0.0005 <= v["run.step_s"] <= 0.002 for v in values)
    assert len({v["cell.channel.exponent"] for v in values}) == 20  # 20 distinct draws x 3 seeds


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"grid": {"cell.wifi.mcs": []}}, "grid.cell.wifi.mcs: must be a non-empty list"),
        ({"grid": {"run.seed": [1, 2]}}, "sweep seeds with the seeds key"),
        ({"grid": {"a b": [1]}}, "is not a dotted config key"),
        ({}, "grid, random: give exactly one"),
        ({"grid": {"x.y": [1]}, "seeds": [1, 1]}, "seeds: duplicates"),
        ({"grid": {"x.y": [1]}, "seeds": "1"}, "seeds: must be a non-empty list"),
        ({"grid": {"x.y": [1]}, "workers": 0}, "workers: must be an integer >= 1"),
        ({"grid": {"x.y": [1]}, "base": "nope.yaml"}, "base: 'nope.yaml' not found"),
        ({"grid": {"x.y": [1]}, "extra": 1}, "extra: unknown sweep key"),
        ({"random": {"n": 2, "params": {"x.y": {"normal": [0, 1]}}}}, "random.params.x.y"),
        ({"random": {"n": 2, "params": {"x.y": {"uniform": [2, 1]}}}}, "low <= high"),
        ({"random": {"n": 0, "params": {"x.y": {"int": [1, 2]}}}}, "random.n: must be"),
    ],
)
def test_bad_sweep_files_name_the_field(data: dict, message: str) -> None:
    with pytest.raises(ConfigError, match=message.replace("(", r"\(").replace("[", r"\[")):
        sweep_from_dict(data, Path("."))

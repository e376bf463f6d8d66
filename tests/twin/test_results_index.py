"""`fabtwin results`: finds runs, one tidy row each, filters on columns and config keys, exports."""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pytest
import yaml

from twin.cli import main
from twin.config import ConfigError
from twin.results_index import export_table, find_runs, flatten, runs_table


def _fake_run(root: Path, name: str, mcs: int, seed: int, *, ok: bool = True) -> Path:
    d = root / name
    d.mkdir(parents=True)
    (d / "config.yaml").write_text(
        yaml.safe_dump(
            {"cell": {"wifi": {"mcs": mcs}, "nodes": [{"name": "ap"}]}, "run": {"seed": seed}}
        )
    )
    (d / "experiment.yaml").write_text(
        yaml.safe_dump({"cell": {"template": {"n_stations": 4}, "wifi": {"mcs": mcs}}})
    )
    (d / "sweep_run.json").write_text(
        json.dumps({"run_id": name, "params": {"cell.wifi.mcs": mcs}, "seed": seed})
    )
    if ok:
        summary = {
            "status": "ok",
            "seed": seed,
            "simulated_s": 1.0,
            "wall_s": 2.0,
            "packets": 100,
            "totals": {"sent": 100, "lost": mcs, "loss_ratio": mcs / 100, "latency_ms_p99": 1.5},
            "flows": [{"flow": "a", "sent": 60, "lost": mcs}, {"flow": "b", "sent": 40, "lost": 0}],
        }
        (d / "summary.json").write_text(json.dumps(summary))
    else:
        (d / "error.json").write_text(json.dumps({"status": "failed", "error": "BridgeError: x"}))
    return d


@pytest.fixture
def root(tmp_path: Path) -> Path:
    _fake_run(tmp_path, "r1", 3, 1)
    _fake_run(tmp_path, "r2", 3, 2)
    _fake_run(tmp_path, "r3", 7, 1)
    _fake_run(tmp_path / "nested", "r4", 7, 2, ok=False)
    (tmp_path / "not-a-run").mkdir()
    return tmp_path


def test_rows_filters_and_flow_table(root: Path) -> None:
    assert [p.name for p in find_runs(root)] == ["r4", "r1", "r2", "r3"]
    table = runs_table(root)
    assert list(table["status"]) == ["failed", "ok", "ok", "ok"]
    assert table.loc[0, "error"] == "BridgeError: x" and table.loc[0, "run"] == "nested/r4"
    ok = table[table["status"] == "ok"]
    assert list(ok["net/lost"]) == [3, 3, 7] and list(ok["real_time_factor"]) == [0.5] * 3
    # A column, a key of the resolved config, a key of the experiment as given.
    assert list(runs_table(root, ["seed=1"])["run_id"]) == ["r1", "r3"]
    assert list(runs_table(root, ["cell.wifi.mcs=7", "status=ok"])["run_id"]) == ["r3"]
    assert len(runs_table(root, ["cell.template.n_stations=4.0"])) == 4
    assert runs_table(root, ["no.such.key=1"]).empty
    flows = runs_table(root, ["status=ok"], by_flow=True)
    assert len(flows) == 6 and list(flows.columns[:3]) == ["run", "run_id", "status"]
    assert set(flows["flow"]) == {"a", "b"}
    with pytest.raises(ConfigError, match="--filter 'mcs': expected key=value"):
        runs_table(root, ["mcs"])
    assert flatten({"a": {"b": [1, {"c": 2}]}}) == {"a.b.0": 1, "a.b.1.c": 2}


def test_export_parquet_and_csv_round_trip(root: Path, tmp_path: Path) -> None:
    table = runs_table(root)
    pq = export_table(table, tmp_path / "out" / "runs.parquet")
    csv = export_table(table, tmp_path / "out" / "runs.csv")
    back = pd.read_parquet(pq)
    assert list(back["run_id"]) == list(table["run_id"]) and back["net/lost"].iloc[1] == 3
    assert list(pd.read_csv(csv)["status"]) == list(table["status"])
    with pytest.raises(ConfigError, match="must end in .parquet or .csv"):
        export_table(table, tmp_path / "runs.xlsx")


def test_results_command_lists_filters_and_exports(
    root: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "t.parquet"
    code = main(["results", str(root), "--filter", "cell.wifi.mcs=3", "--export", str(out)])
    stdout = capsys.readouterr().out
    assert code == 0
    assert "r1" in stdout and "r3" not in stdout and "2 rows ->" in stdout
    assert len(pd.read_parquet(out)) == 2
    assert main(["results", str(tmp_path / "nope")]) == 2
    assert "not found" in capsys.readouterr().err


def test_sweep_aggregate_over_seeds(tmp_path: Path) -> None:
    from twin.sweep import aggregate, format_table

    for seed, lost in ((1, 2), (2, 4)):
        d = _fake_run(tmp_path, f"p{seed}", 3, seed)
        meta = json.loads((d / "sweep_run.json").read_text())
        meta["params"]["cell.nodes.1.position_m"] = [4, 0, 1]  # a list value becomes its JSON
        (d / "sweep_run.json").write_text(json.dumps(meta))
        summary = json.loads((d / "summary.json").read_text())
        summary["totals"]["lost"] = lost
        (d / "summary.json").write_text(json.dumps(summary))
    _fake_run(tmp_path, "p3", 3, 3, ok=False)
    runs = runs_table(tmp_path)
    keys = ["cell.wifi.mcs", "cell.nodes.1.position_m"]
    assert runs.loc[0, "cell.nodes.1.position_m"] == "[4, 0, 1]"
    table = aggregate(runs, keys)
    assert len(table) == 2  # p3 has no position value: a configuration of its own
    row = table.iloc[0]
    assert row["runs"] == 2 and row["failed"] == 0
    assert row["net/lost mean"] == 3 and row["net/lost std"] == pytest.approx(2**0.5)
    assert "wall_s mean" not in table.columns  # machine-dependent figures stay out
    assert table.iloc[1]["failed"] == 1 and table.iloc[1]["runs"] == 0
    assert "means over seeds" in format_table(table, keys)

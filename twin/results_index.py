"""Browse results directories: find runs, one tidy row per run (or run and flow), filter, export.

A run directory is any directory holding ``config.yaml``, ``summary.json`` or ``error.json`` (see
:mod:`twin.results`). A run's row has ``run`` (its path below the root), ``run_id``, ``status``
(``ok``, ``failed`` or ``incomplete``), ``error``, ``seed``, the values a sweep gave it (one column
per dotted key), run facts (``wall_s``, ``simulated_s``, ``packets``), whole-run network figures
(``net/...``) and, for a workcell, the machine metrics (``cell/...``, ``<arm>/...``).

Filters are ``key=value`` with a dotted key: a column of the row, or a key of the experiment as
given (``experiment.yaml``: base file plus overrides, e.g. ``cell.template.n_stations``) or as
resolved (``config.yaml``, e.g. ``cell.wifi.mcs``). Values compare as YAML scalars (``7`` matches
``7.0``).
"""

from __future__ import annotations

import json
import math
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import pandas as pd
import yaml

from twin.config import ConfigError
from twin.results import ERROR, SUMMARY

#: Columns that depend on the machine and the moment, not on the configuration and seed.
TIMING_COLUMNS = ("wall_s", "real_time_factor")
_MARKERS = ("config.yaml", SUMMARY, ERROR)
#: The figures a terminal table shows (every figure is in the saved tables).
MAIN_FIGURES = (
    "net/sent",
    "net/loss_ratio",
    "net/deadline_miss_ratio",
    "net/latency_ms_p50",
    "net/latency_ms_p99",
    "cell/parts_done",
    "cell/completion_time_s",
    "agv/missions_done",
)


def find_runs(root: str | Path) -> list[Path]:
    """Every run directory at or below ``root``, sorted by path."""
    root = Path(root)
    if not root.is_dir():
        raise ConfigError(f"results directory {root}: not found")
    found = {p.parent for m in _MARKERS for p in root.rglob(m)}
    return sorted(found)


def _read_json(path: Path) -> dict[str, Any]:
    try:
        data = json.loads(path.read_text())
    except (OSError, json.JSONDecodeError):
        return {}
    return data if isinstance(data, dict) else {}


def _read_yaml(path: Path) -> dict[str, Any]:
    try:
        data = yaml.safe_load(path.read_text())
    except (OSError, yaml.YAMLError):
        return {}
    return data if isinstance(data, dict) else {}


def flatten(data: Any, prefix: str = "") -> dict[str, Any]:
    """A nested mapping as ``{dotted.key: scalar}`` (list items by index, as in ``--set``)."""
    out: dict[str, Any] = {}
    if isinstance(data, dict):
        items: Iterable[tuple[Any, Any]] = data.items()
    elif isinstance(data, list):
        items = enumerate(data)
    else:
        return {prefix: data}
    for k, v in items:
        key = f"{prefix}.{k}" if prefix else str(k)
        out.update(flatten(v, key))
    return out


def run_row(run_dir: Path, root: Path | None = None) -> dict[str, Any]:
    """The tidy per-run row of ``run_dir`` (see the module docstring)."""
    summary = _read_json(run_dir / SUMMARY)
    error = _read_json(run_dir / ERROR)
    meta = _read_json(run_dir / "sweep_run.json")
    if summary.get("status") == "ok":
        status = "ok"
    elif error:
        status = "failed"
    else:
        status = "incomplete"
    config = _read_yaml(run_dir / "config.yaml")
    seed = summary.get("seed", meta.get("seed", config.get("run", {}).get("seed")))
    row: dict[str, Any] = {
        "run": str(run_dir.relative_to(root)) if root is not None else str(run_dir),
        "run_id": meta.get("run_id", run_dir.name),
        "status": status,
        "error": error.get("error") if status == "failed" else None,
        "seed": seed,
    }
    # Swept values as scalars (a list value, e.g. a position, becomes its JSON text).
    row.update(
        {
            k: v if v is None or isinstance(v, str | int | float | bool) else json.dumps(v)
            for k, v in meta.get("params", {}).items()
        }
    )
    if status != "ok":
        return row
    wall = summary.get("wall_s")
    sim = summary.get("simulated_s")
    row.update(
        {
            "simulated_s": sim,
            "wall_s": wall,
            "real_time_factor": sim / wall if wall else None,
            "packets": summary.get("packets"),
        }
    )
    row.update({f"net/{k}": v for k, v in summary.get("totals", {}).items()})
    row.update(summary.get("machine", {}))
    return row


def flow_rows(run_dir: Path, root: Path | None = None) -> list[dict[str, Any]]:
    """One row per flow of a finished run: the run's identity and values, then its figures."""
    base = run_row(run_dir, root)
    head = {k: v for k, v in base.items() if "/" not in k and k not in _RUN_FACTS}
    summary = _read_json(run_dir / SUMMARY)
    return [{**head, **flow} for flow in summary.get("flows", [])] or [head]


_RUN_FACTS = ("simulated_s", "wall_s", "real_time_factor", "packets")


def _matches(value: Any, wanted: str) -> bool:
    want = yaml.safe_load(wanted)
    if isinstance(value, bool) or isinstance(want, bool):
        return value == want
    if isinstance(value, int | float) and isinstance(want, int | float):
        return math.isclose(float(value), float(want), rel_tol=1e-9, abs_tol=1e-12)
    return str(value) == str(want) or value == want


def parse_filters(filters: list[str]) -> list[tuple[str, str]]:
    """``key=value`` strings as pairs, naming a malformed one."""
    out = []
    for f in filters:
        if "=" not in f:
            raise ConfigError(f"--filter {f!r}: expected key=value (e.g. cell.wifi.mcs=7)")
        key, value = f.split("=", 1)
        out.append((key.strip(), value))
    return out


def keep(run_dir: Path, row: dict[str, Any], filters: list[tuple[str, str]]) -> bool:
    """Whether a run passes every filter (row columns, then experiment.yaml, then config.yaml)."""
    if not filters:
        return True
    given: dict[str, Any] | None = None
    resolved: dict[str, Any] | None = None
    for key, wanted in filters:
        if key in row:
            value = row[key]
        else:
            if given is None:
                given = flatten(_read_yaml(run_dir / "experiment.yaml"))
                resolved = flatten(_read_yaml(run_dir / "config.yaml"))
            assert resolved is not None
            if key in given:
                value = given[key]
            elif key in resolved:
                value = resolved[key]
            else:
                return False
        if not _matches(value, wanted):
            return False
    return True


def runs_table(
    root: str | Path, filters: list[str] | None = None, *, by_flow: bool = False
) -> pd.DataFrame:
    """The tidy table of every run below ``root`` that passes ``filters``.

    Args:
        root: A results directory (searched recursively).
        filters: ``key=value`` strings (all must hold).
        by_flow: One row per run and flow instead of one per run.
    """
    root = Path(root)
    parsed = parse_filters(filters or [])
    rows: list[dict[str, Any]] = []
    for run_dir in find_runs(root):
        row = run_row(run_dir, root)
        if keep(run_dir, row, parsed):
            rows.extend(flow_rows(run_dir, root) if by_flow else [row])
    return pd.DataFrame(rows)


def export_table(table: pd.DataFrame, path: str | Path) -> Path:
    """Writes ``table`` as Parquet (``.parquet``) or CSV (``.csv``), by the file's suffix."""
    p = Path(path)
    if p.suffix == ".parquet":
        p.parent.mkdir(parents=True, exist_ok=True)
        # Parquet needs one type per column: mixed object columns (e.g. values of a swept key
        # that are sometimes numbers and sometimes strings) are written as text.
        out = table.copy()
        for col in [c for c in out.columns if out[c].dtype == object]:
            kinds = {type(v) for v in out[col] if v is not None and v == v}
            if len(kinds) > 1:
                out[col] = out[col].map(lambda v: None if v is None else str(v))
        out.to_parquet(p, index=False)
    elif p.suffix == ".csv":
        p.parent.mkdir(parents=True, exist_ok=True)
        table.to_csv(p, index=False)
    else:
        raise ConfigError(f"--export {p}: the file must end in .parquet or .csv")
    return p


def format_runs(table: pd.DataFrame, max_rows: int = 60) -> str:
    """A terminal view of a runs table: identity, values and the main figures."""
    if table.empty:
        return "no runs"
    main = [*MAIN_FIGURES, "wall_s"]
    skip = {"run", "error", "simulated_s", "packets", "real_time_factor"}
    ident = [c for c in table.columns if "/" not in c and c not in skip and c not in main]
    cols = ident + [c for c in main if c in table.columns]
    view = table[cols].head(max_rows)
    text = view.to_string(index=False, float_format=lambda v: f"{v:.4g}", na_rep="-")
    failed = table[table["status"] == "failed"] if "status" in table else table.iloc[0:0]
    for _, r in failed.iterrows():
        text += f"\nfailed {r['run_id']}: {r['error']}"
    if len(table) > max_rows:
        text += f"\n... {len(table) - max_rows} more runs"
    return text

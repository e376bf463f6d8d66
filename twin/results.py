"""Results directories: every run writes one self-describing directory.

Layout::

    <out_dir>/<UTC time>-seed<seed>/      (a sweep names it after the run's values instead)
        config.yaml        the resolved configuration (after template expansion and overrides)
        experiment.yaml    the experiment as given: the YAML file with the overrides applied
        sweep_run.json     sweep runs: run id, swept values, seed, overrides
        command.txt        the command line that made the run
        versions.json      fabtwin, ns-3, Python and package versions, platform, protocol
        packets.csv        one row per packet: flow, times, fate, drop reason, SINR, MCS
        link_stats.csv     one row per node per step: MPDUs, failures, SINR, queue, association
        activity.csv       workcell runs: what each arm and station did, as time intervals
        transmissions.npy  every PPDU on the air (TRANSMISSION_DTYPE), when the cell reports them
        latency_cdf.png    latency CDF per flow group
        ns3.stderr.log     ns-3's own log
        summary.json       written last: run facts, totals, per-flow statistics, machine metrics
        error.json         instead of summary.json when the run failed: the error and traceback

A directory with ``summary.json`` is a finished run (the file is renamed into place, so it is
never half-written).
"""

from __future__ import annotations

import datetime as dt
import json
import os
import platform
import shlex
import sys
import traceback
from importlib import metadata
from pathlib import Path
from typing import Any

import numpy as np
import yaml

from twin.config import CellConfig
from twin.packet_ledger import DELIVERED, PacketLedger

SUMMARY = "summary.json"
ERROR = "error.json"
#: Packages whose versions every run records.
PACKAGES = (
    "fabtwin",
    "ns3",
    "numpy",
    "pyzmq",
    "scipy",
    "PyYAML",
    "matplotlib",
    "pandas",
    "pyarrow",
    "ray",
    "tqdm",
)


def make_run_dir(out_dir: str | Path, seed: int) -> Path:
    """Creates and returns a fresh run directory under ``out_dir``."""
    stamp = dt.datetime.now(dt.UTC).strftime("%Y%m%dT%H%M%S%fZ")
    path = Path(out_dir) / f"{stamp}-seed{seed}"
    path.mkdir(parents=True, exist_ok=False)
    return path


def versions(ns3_info: dict[str, Any] | None = None) -> dict[str, Any]:
    """Versions of everything that shapes a result."""
    pkgs: dict[str, str | None] = {}
    for name in PACKAGES:
        try:
            pkgs[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            pkgs[name] = None
    return {
        "python": sys.version.split()[0],
        "platform": platform.platform(),
        "packages": pkgs,
        "ns3_simulator": (ns3_info or {}).get("ns3_version"),
        "bridge_protocol": (ns3_info or {}).get("protocol_version"),
    }


def write_columns_csv(path: Path, columns: dict[str, np.ndarray]) -> None:
    """Writes equal-length columns as CSV with a header row."""
    names = list(columns)
    n = len(next(iter(columns.values()))) if columns else 0
    with path.open("w") as fh:
        fh.write(",".join(names) + "\n")
        if n:
            stacked = np.column_stack([np.asarray(columns[c]).astype(object) for c in names])
            np.savetxt(fh, stacked, fmt="%s", delimiter=",")


def write_run_files(
    run_dir: Path,
    *,
    resolved_config: dict[str, Any],
    argv: list[str] | None = None,
    source_config: dict[str, Any] | None = None,
) -> None:
    """Writes the files a run has before it starts: config, command, versions (without ns-3's)."""
    (run_dir / "config.yaml").write_text(yaml.safe_dump(resolved_config, sort_keys=False))
    if source_config is not None:
        (run_dir / "experiment.yaml").write_text(yaml.safe_dump(source_config, sort_keys=False))
    (run_dir / "command.txt").write_text(shlex.join(argv if argv is not None else sys.argv) + "\n")
    write_versions(run_dir, None)


def write_versions(run_dir: Path, ns3_info: dict[str, Any] | None) -> None:
    """Writes ``versions.json`` (again once ns-3 has said its version and protocol)."""
    (run_dir / "versions.json").write_text(json.dumps(versions(ns3_info), indent=2) + "\n")


def _write_atomic(path: Path, text: str) -> None:
    tmp = path.with_name(path.name + ".tmp")
    tmp.write_text(text)
    os.replace(tmp, path)


def write_summary(run_dir: Path, summary: dict[str, Any]) -> None:
    """Writes ``summary.json`` last and atomically: from then on the run counts as finished."""
    (run_dir / ERROR).unlink(missing_ok=True)
    _write_atomic(run_dir / SUMMARY, json.dumps(summary, indent=2) + "\n")


def write_error(run_dir: Path, error: BaseException) -> None:
    """Writes ``error.json`` for a failed run: the error's type, message and traceback."""
    doc = {
        "status": "failed",
        "error": f"{type(error).__name__}: {error}",
        "traceback": "".join(traceback.format_exception(error)),
    }
    _write_atomic(run_dir / ERROR, json.dumps(doc, indent=2) + "\n")


def is_finished(run_dir: Path) -> bool:
    """Whether ``run_dir`` holds a completed summary."""
    path = run_dir / SUMMARY
    if not path.is_file():
        return False
    try:
        return json.loads(path.read_text()).get("status") == "ok"
    except (OSError, json.JSONDecodeError):
        return False


def run_totals(cell: CellConfig, ledger: PacketLedger) -> dict[str, Any]:
    """Whole-run network figures: packets sent and lost, deadline misses, latency percentiles."""
    table = ledger.table()
    sent = len(table["flow"])
    ok = table["fate"] == DELIVERED
    lat_ms = table["latency_ns"][ok] / 1e6
    deadline_ms = np.array([f.deadline_s * 1e3 for f in cell.flows])[table["flow"][ok]]
    delivered = int(ok.sum())
    late = int((lat_ms > deadline_ms).sum()) if delivered else 0
    out: dict[str, Any] = {
        "sent": sent,
        "delivered": delivered,
        "lost": sent - delivered,
        "loss_ratio": (sent - delivered) / sent if sent else 0.0,
        "deadline_misses": sent - delivered + late,
        "deadline_miss_ratio": (sent - delivered + late) / sent if sent else 0.0,
    }
    for p in (50, 99):
        out[f"latency_ms_p{p}"] = float(np.percentile(lat_ms, p)) if delivered else None
    out["latency_ms_max"] = float(lat_ms.max()) if delivered else None
    return out

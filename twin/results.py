"""Results directories: every run writes one self-describing directory.

Layout::

    <out_dir>/<UTC time>-seed<seed>/
        config.yaml        the resolved configuration (after template expansion and overrides)
        command.txt        the command line that made the run
        versions.json      fabtwin, ns-3, Python and package versions, platform
        packets.csv        one row per packet: flow, times, fate, drop reason, SINR, MCS
        link_stats.csv     one row per node per step: MPDUs, failures, SINR, queue, association
        summary.json       per-flow statistics and run facts (wall time, steps, seed)
        latency_cdf.png    latency CDF per flow group
        ns3.stderr.log     ns-3's own log
"""

from __future__ import annotations

import datetime as dt
import json
import platform
import shlex
import sys
from importlib import metadata
from pathlib import Path
from typing import Any

import numpy as np
import yaml


def make_run_dir(out_dir: str | Path, seed: int) -> Path:
    """Creates and returns a fresh run directory under ``out_dir``."""
    stamp = dt.datetime.now(dt.UTC).strftime("%Y%m%dT%H%M%S%fZ")
    path = Path(out_dir) / f"{stamp}-seed{seed}"
    path.mkdir(parents=True, exist_ok=False)
    return path


def versions(ns3_info: dict[str, Any] | None = None) -> dict[str, Any]:
    """Versions of everything that shapes a result."""
    pkgs: dict[str, str | None] = {}
    for name in ("fabtwin", "ns3", "numpy", "pyzmq", "scipy", "PyYAML", "matplotlib"):
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
    summary: dict[str, Any],
    ns3_info: dict[str, Any],
    argv: list[str] | None = None,
) -> None:
    """Writes config, command, versions and summary files of a run."""
    (run_dir / "config.yaml").write_text(yaml.safe_dump(resolved_config, sort_keys=False))
    (run_dir / "command.txt").write_text(shlex.join(argv if argv is not None else sys.argv) + "\n")
    (run_dir / "versions.json").write_text(json.dumps(versions(ns3_info), indent=2) + "\n")
    (run_dir / "summary.json").write_text(json.dumps(summary, indent=2) + "\n")

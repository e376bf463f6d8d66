"""Shared helpers of the benchmarks in ``scripts/bench/``.

Every benchmark measures the thing under test (A) and its baseline (B) in the same run,
alternating repetitions of A and B so that load from other processes on a shared machine hits
both alike, and reports the median of the per-repetition ratios. This module holds what they
share: the command line (``--quick``, ``--out``), machine facts, cells, repetition scheduling,
the printed table and the JSON result file.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import math
import os
import platform
import resource
import statistics
import subprocess
import sys
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from importlib import metadata
from pathlib import Path
from typing import Any

from twin.config import CellConfig
from twin.configio import experiment_from_dict, load_experiment

GIB = 1024**3
MIB = 1024**2
NS_PER_S = 1_000_000_000
#: Where results go unless ``--out`` says otherwise.
RESULTS_DIR = Path("bench-results")


# ------------------------------------------------------------------------------------ command line
def make_parser(name: str, description: str) -> argparse.ArgumentParser:
    """An argument parser with the options every benchmark has.

    Args:
        name: The benchmark's name; the default output is ``bench-results/<name>.json``.
        description: Shown by ``--help``.

    Returns:
        A parser with ``--quick`` and ``--out``; the caller adds its own options.
    """
    parser = argparse.ArgumentParser(
        description=description, formatter_class=argparse.ArgumentDefaultsHelpFormatter
    )
    parser.add_argument(
        "--quick", action="store_true", help="a few seconds' budget (smoke tests); noisy figures"
    )
    parser.add_argument(
        "--out", type=Path, default=RESULTS_DIR / f"{name}.json", help="JSON result file"
    )
    return parser


# ------------------------------------------------------------------------------------ machine facts
def _version(dist: str) -> str | None:
    try:
        return metadata.version(dist)
    except metadata.PackageNotFoundError:
        return None


def _ns3_binary() -> str | None:
    from twin.bridge.binary import find_ns3_binary
    from twin.bridge.errors import BridgeError

    try:
        return str(find_ns3_binary())
    except BridgeError:
        return None


def machine_info() -> dict[str, Any]:
    """Facts about the machine and software a figure was measured on.

    Returns:
        Platform, CPU count and model, load average, Python and package versions, the ns-3
        executable used and a UTC timestamp.
    """
    import zmq

    cpu_model = ""
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu_model = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    return {
        "timestamp_utc": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        "platform": platform.platform(),
        "machine": platform.machine(),
        "cpu_count": os.cpu_count(),
        "cpu_model": cpu_model,
        "load_average_1_5_15": list(os.getloadavg()),
        "python": platform.python_version(),
        "numpy": _version("numpy"),
        "pyzmq": zmq.__version__,
        "libzmq": zmq.zmq_version(),
        "fabtwin": _version("fabtwin"),
        "ns3_wheel": _version("ns3"),
        "ns3_binary": _ns3_binary(),
    }


# ------------------------------------------------------------------------------------ cells
def star_cell(n_stations: int, **template: Any) -> CellConfig:
    """A ``star`` template cell (twin/templates.py) with ``n_stations`` control stations.

    Args:
        n_stations: Control stations, each with an uplink and a downlink flow.
        **template: Further template parameters (``control``, ``n_best_effort``, ...).
    """
    spec = {"name": "star", "n_stations": n_stations, **template}
    return experiment_from_dict({"cell": {"template": spec}}).cell


def default_cell() -> CellConfig:
    """The cell of the default experiment (``twin/configs/default.yaml``)."""
    experiment, _ = load_experiment(None)
    return experiment.cell


def large_cell(n_stations: int) -> CellConfig:
    """The generic star cell with ``n_stations`` control stations.

    Each control station exchanges 100-byte VO packets with the AP every 10 ms each way (the
    ``star`` template's defaults); 2 best-effort stations send 1500 bytes every 2 ms.
    """
    return star_cell(n_stations, n_best_effort=2)


def case_cell(n_stations: int | None) -> CellConfig:
    """:func:`default_cell` for ``None``, else :func:`large_cell` with ``n_stations``."""
    return default_cell() if n_stations is None else large_cell(n_stations)


def describe_cell(cell: CellConfig) -> dict[str, int]:
    """Sizes of a cell, for the JSON ``config``."""
    return {
        "stations": len(cell.nodes) - 1,
        "flows": len(cell.flows),
        "periodic_flows": sum(1 for f in cell.flows if f.period_s),
    }


# ------------------------------------------------------------------------------------ measuring
def peak_rss_bytes(pid: int) -> int:
    """Peak resident set size (``VmHWM``) of a running process, in bytes."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) * 1024
    raise RuntimeError(f"/proc/{pid}/status has no VmHWM line")


def process_cpu_s(pid: int) -> float:
    """User + system CPU time a running process has used so far (10 ms resolution)."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    utime, stime = int(fields[11]), int(fields[12])  # fields 14 and 15 of proc(5)
    return (utime + stime) / os.sysconf("SC_CLK_TCK")


def children_cpu_s() -> float:
    """User + system CPU time of this process's terminated, waited-for children so far."""
    r = resource.getrusage(resource.RUSAGE_CHILDREN)
    return r.ru_utime + r.ru_stime


def run_json_line(argv: Sequence[str], what: str) -> dict[str, Any]:
    """Runs a program that ends its output with one JSON line, and parses that line.

    Args:
        argv: The command.
        what: Names the program in the error.

    Returns:
        The last line of its standard output, parsed.

    Raises:
        RuntimeError: The program exited non-zero (with the tail of its standard error).
    """
    proc = subprocess.run(list(argv), capture_output=True, text=True, timeout=3600, check=False)
    if proc.returncode != 0:
        raise RuntimeError(f"{what} failed ({proc.returncode}): {proc.stderr[-2000:]}")
    out: dict[str, Any] = json.loads(proc.stdout.strip().splitlines()[-1])
    return out


def alternate(reps: int, runs: dict[str, Callable[[], float]]) -> dict[str, list[float]]:
    """Runs each measurement ``reps`` times, interleaved, the order rotating every repetition.

    Args:
        reps: Repetitions of each measurement.
        runs: Name -> a function that performs one repetition and returns its figure.

    Returns:
        Name -> the figures of its repetitions, in repetition order (index k of every list
        comes from the same round, so per-round ratios pair neighbours in time).
    """
    names = list(runs)
    out: dict[str, list[float]] = {n: [] for n in names}
    for k in range(reps):
        shift = k % len(names)
        for name in names[shift:] + names[:shift]:
            out[name].append(float(runs[name]()))
    return out


def paired_ratios(num: Sequence[float], den: Sequence[float]) -> list[float]:
    """Per-repetition ratios ``num[k] / den[k]``."""
    return [a / b for a, b in zip(num, den, strict=True)]


def median(values: Sequence[float]) -> float:
    """The median (NaN for no values)."""
    return statistics.median(values) if values else math.nan


# ------------------------------------------------------------------------------------ reporting
@dataclass
class Ratio:
    """A ratio measured in this run and its target.

    Attributes:
        key: Name in the JSON ``ratios`` mapping.
        value: The median of the per-repetition ratios.
        target: The target value, or ``None`` when the figure is informational.
        higher_is_better: Whether the target is a lower bound (``>=``) or an upper one (``<=``).
        what: One line saying what is divided by what.
    """

    key: str
    value: float
    target: float | None
    higher_is_better: bool
    what: str

    @property
    def met(self) -> bool | None:
        """Whether the target is met (``None`` without a target)."""
        if self.target is None:
            return None
        if self.higher_is_better:
            return self.value >= self.target
        return self.value <= self.target

    def describe_target(self) -> str:
        """``>= 0.5``, ``<= 1.15`` or ``-``."""
        if self.target is None:
            return "-"
        return f"{'>=' if self.higher_is_better else '<='} {self.target:g}"


@dataclass
class BenchResult:
    """Everything one benchmark run writes.

    Attributes:
        name: Benchmark name.
        config: Parameters of the run.
        ratios: The headline ratios.
        results: Medians and other summary figures, per case.
        repetitions: The raw figures of every repetition.
        notes: Findings worth reading next to the numbers.
    """

    name: str
    config: dict[str, Any]
    ratios: list[Ratio] = field(default_factory=list)
    results: dict[str, Any] = field(default_factory=dict)
    repetitions: dict[str, Any] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)

    def to_json(self) -> dict[str, Any]:
        """The JSON document (``ratios`` maps key -> value; ``targets`` key -> target facts)."""
        return {
            "benchmark": self.name,
            "machine": machine_info(),
            "command": [Path(sys.argv[0]).name, *sys.argv[1:]],
            "config": self.config,
            "ratios": {r.key: r.value for r in self.ratios},
            "targets": {
                r.key: {
                    "target": r.target,
                    "higher_is_better": r.higher_is_better,
                    "met": r.met,
                    "what": r.what,
                }
                for r in self.ratios
            },
            "results": self.results,
            "repetitions": self.repetitions,
            "notes": self.notes,
        }


def print_table(headers: Sequence[str], rows: Sequence[Sequence[Any]]) -> None:
    """Prints an aligned text table (floats with 4 significant digits)."""

    def cell(v: Any) -> str:
        if isinstance(v, float):
            return f"{v:.4g}"
        return str(v)

    text = [[cell(v) for v in row] for row in rows]
    widths = [max([len(h), *(len(r[i]) for r in text)]) for i, h in enumerate(headers)]
    print("  ".join(h.ljust(w) for h, w in zip(headers, widths, strict=True)))
    print("  ".join("-" * w for w in widths))
    for r in text:
        print("  ".join(v.ljust(w) for v, w in zip(r, widths, strict=True)))


def print_ratios(ratios: Sequence[Ratio]) -> None:
    """Prints the ratio table with target and verdict."""
    verdict = {True: "met", False: "NOT met", None: "-"}
    print_table(
        ["ratio", "value", "target", "verdict", "what"],
        [(r.key, r.value, r.describe_target(), verdict[r.met], r.what) for r in ratios],
    )


def finish(result: BenchResult, out: Path) -> None:
    """Prints the ratios and notes and writes the JSON file.

    Args:
        result: The run's results.
        out: The JSON path (parent directories are created).
    """
    print()
    print_ratios(result.ratios)
    for note in result.notes:
        print(f"note: {note}")
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(result.to_json(), indent=2, allow_nan=True) + "\n")
    print(f"\nwrote {out}")

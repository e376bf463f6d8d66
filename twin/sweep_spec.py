"""Sweep files: a base experiment, a grid or random search over config keys, seeds, an out dir.

A sweep file is YAML::

    base: star.yaml                 # experiment file (relative to this file, or a packaged name)
    set: [run.duration_s=0.2]       # overrides applied to every run (optional)
    grid:                           # every combination of these values ...
      cell.wifi.mcs: [3, 7]
      cell.template.n_stations: [2, 4]
    seeds: [1, 2]                   # ... times every seed (or {count: 2, start: 1})
    out: results/mcs-sweep          # one directory per run below it (relative: to the cwd)
    workers: 2                      # parallel local processes (optional)

or, instead of ``grid``, a random search::

    random:
      n: 8                          # configurations drawn
      seed: 0                       # of the draw itself
      params:
        cell.wifi.mcs: {choice: [3, 5, 7]}
        cell.channel.exponent: {uniform: [2.5, 3.5]}
        cell.template.n_stations: {int: [2, 6]}      # inclusive
        run.step_s: {loguniform: [0.0005, 0.002]}

Keys are dotted paths exactly as in ``fabtwin run --set``. Each run is named after its values and
seed plus a short hash of them, so the same sweep file always names the same directories (that is
what makes a sweep resumable).
"""

from __future__ import annotations

import hashlib
import itertools
import json
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import yaml

from twin.config import ConfigError
from twin.configio import DEFAULT_CONFIG, load_yaml

_KNOWN = {"base", "set", "grid", "random", "seeds", "out", "workers"}
_DISTRIBUTIONS = ("choice", "uniform", "loguniform", "int")


@dataclass(frozen=True)
class RunSpec:
    """One run of a sweep.

    Attributes:
        run_id: Directory name (stable for the same values and seed).
        params: The swept keys and this run's values.
        seed: The root seed (``run.seed``).
    """

    run_id: str
    params: dict[str, Any]
    seed: int

    def overrides(self, common: tuple[str, ...] = ()) -> list[str]:
        """``--set`` strings of this run: the common ones, its values, its seed."""
        mine = [f"{k}={json.dumps(v)}" for k, v in self.params.items()]
        return [*common, *mine, f"run.seed={self.seed}"]


@dataclass(frozen=True)
class SweepSpec:
    """A parsed sweep file.

    Attributes:
        base: The base experiment file.
        common: Overrides applied to every run.
        runs: Every run, configurations in order, seeds innermost.
        out: Parent directory of the run directories.
        workers: Default number of parallel local processes.
        source: The sweep file (None when built in code).
    """

    base: Path
    common: tuple[str, ...]
    runs: tuple[RunSpec, ...]
    out: Path
    workers: int = 2
    source: Path | None = None

    @property
    def keys(self) -> list[str]:
        """The swept keys, in file order."""
        return list(self.runs[0].params) if self.runs else []


def load_sweep(path: str | Path, out: str | Path | None = None) -> SweepSpec:
    """Reads and checks a sweep file; ``out`` replaces its ``out``."""
    p = Path(path)
    data = load_yaml(p)
    return sweep_from_dict(data, p.parent, source=p, out=out)


def sweep_from_dict(
    data: dict[str, Any],
    base_dir: Path,
    *,
    source: Path | None = None,
    out: str | Path | None = None,
) -> SweepSpec:
    """Checks a sweep mapping and expands it into runs (``base`` is looked up in ``base_dir``)."""
    unknown = sorted(set(data) - _KNOWN)
    if unknown:
        raise ConfigError(f"{unknown[0]}: unknown sweep key; known: {', '.join(sorted(_KNOWN))}")
    base = _base_path(data.get("base"), base_dir)
    common = data.get("set") or []
    if not isinstance(common, list) or not all(isinstance(s, str) and "=" in s for s in common):
        raise ConfigError(f"set: must be a list of key.path=value strings (got {common!r})")
    if ("grid" in data) == ("random" in data):
        raise ConfigError("grid, random: give exactly one of them")
    configs = _grid(data["grid"]) if "grid" in data else _random(data["random"])
    seeds = _seeds(data.get("seeds", [1]))
    out_dir = Path(out) if out is not None else _out(data.get("out"))
    workers = data.get("workers", 2)
    if not isinstance(workers, int) or isinstance(workers, bool) or workers < 1:
        raise ConfigError(f"workers: must be an integer >= 1 (got {workers!r})")
    runs = tuple(RunSpec(run_id(c, s), c, s) for c in configs for s in seeds)
    ids = [r.run_id for r in runs]
    if len(set(ids)) != len(ids):
        raise ConfigError("grid/random: two runs have the same values and seed")
    return SweepSpec(base, tuple(common), runs, out_dir, workers, source)


def run_id(params: dict[str, Any], seed: int) -> str:
    """Directory name of a run: its values (leaf key names), its seed, a hash of both."""
    blob = json.dumps({"params": params, "seed": seed}, sort_keys=True)
    digest = hashlib.sha256(blob.encode()).hexdigest()[:8]
    parts = [f"{k.rsplit('.', 1)[-1]}={_short(v)}" for k, v in params.items()]
    slug = re.sub(r"[^A-Za-z0-9_.=-]+", "-", "_".join([*parts, f"seed={seed}"]))[:80]
    return f"{slug}-{digest}"


def _short(v: Any) -> str:
    return f"{v:.4g}" if isinstance(v, float) else str(v)


def _base_path(base: Any, base_dir: Path) -> Path:
    if base is None:
        return DEFAULT_CONFIG
    if not isinstance(base, str):
        raise ConfigError(f"base: must be a path to an experiment file (got {base!r})")
    for candidate in (base_dir / base, Path(base), DEFAULT_CONFIG.with_name(base)):
        if candidate.is_file():
            return candidate.resolve()
    raise ConfigError(
        f"base: {base!r} not found (relative to {base_dir}, the current directory, or among "
        f"the packaged configs in {DEFAULT_CONFIG.parent})"
    )


def _out(out: Any) -> Path:
    if out is None:
        return Path("results") / "sweep"
    if not isinstance(out, str):
        raise ConfigError(f"out: must be a directory path (got {out!r})")
    return Path(out)


def _check_key(key: Any, where: str) -> str:
    if not isinstance(key, str) or not re.fullmatch(r"[A-Za-z0-9_]+(\.[A-Za-z0-9_]+)*", key):
        raise ConfigError(f"{where}: {key!r} is not a dotted config key like cell.wifi.mcs")
    if key == "run.seed":
        raise ConfigError(f"{where}: sweep seeds with the seeds key, not run.seed")
    return key


def _grid(grid: Any) -> list[dict[str, Any]]:
    if not isinstance(grid, dict) or not grid:
        raise ConfigError("grid: must be a non-empty mapping of key: [values]")
    keys = [_check_key(k, "grid") for k in grid]
    values = []
    for k in keys:
        v = grid[k]
        if not isinstance(v, list) or not v:
            raise ConfigError(f"grid.{k}: must be a non-empty list of values (got {v!r})")
        values.append(v)
    return [dict(zip(keys, combo, strict=True)) for combo in itertools.product(*values)]


def _random(spec: Any) -> list[dict[str, Any]]:
    if not isinstance(spec, dict) or set(spec) - {"n", "seed", "params"}:
        raise ConfigError("random: must be a mapping with n, seed and params")
    n = spec.get("n")
    if not isinstance(n, int) or isinstance(n, bool) or n < 1:
        raise ConfigError(f"random.n: must be an integer >= 1 (got {n!r})")
    params = spec.get("params")
    if not isinstance(params, dict) or not params:
        raise ConfigError("random.params: must be a non-empty mapping of key: {distribution}")
    rng = np.random.default_rng(spec.get("seed", 0))
    draws: dict[str, list[Any]] = {}
    for key, dist in params.items():
        _check_key(key, "random.params")
        draws[key] = _draw(rng, dist, n, f"random.params.{key}")
    return [{k: draws[k][i] for k in draws} for i in range(n)]


def _draw(rng: np.random.Generator, dist: Any, n: int, where: str) -> list[Any]:
    if not isinstance(dist, dict) or len(dist) != 1 or next(iter(dist)) not in _DISTRIBUTIONS:
        raise ConfigError(f"{where}: must be one of {{{': ..., '.join(_DISTRIBUTIONS)}: ...}}")
    kind, arg = next(iter(dist.items()))
    if kind == "choice":
        if not isinstance(arg, list) or not arg:
            raise ConfigError(f"{where}.choice: must be a non-empty list")
        return [arg[i] for i in rng.integers(0, len(arg), n)]
    if (
        not isinstance(arg, list)
        or len(arg) != 2
        or not all(isinstance(a, int | float) for a in arg)
        or not arg[0] <= arg[1]
    ):
        raise ConfigError(f"{where}.{kind}: must be [low, high] with low <= high (got {arg!r})")
    lo, hi = arg
    if kind == "int":
        return [int(v) for v in rng.integers(int(lo), int(hi) + 1, n)]
    if kind == "loguniform":
        if lo <= 0:
            raise ConfigError(f"{where}.loguniform: low must be > 0 (got {lo})")
        return [float(v) for v in np.exp(rng.uniform(np.log(lo), np.log(hi), n))]
    return [float(v) for v in rng.uniform(lo, hi, n)]


def _seeds(seeds: Any) -> list[int]:
    if isinstance(seeds, dict):
        count, start = seeds.get("count"), seeds.get("start", 1)
        if set(seeds) - {"count", "start"} or not isinstance(count, int) or count < 1:
            raise ConfigError(f"seeds: {{count: N >= 1, start: S}} (got {seeds!r})")
        return list(range(int(start), int(start) + count))
    if (
        not isinstance(seeds, list)
        or not seeds
        or not all(isinstance(s, int) and not isinstance(s, bool) and s >= 0 for s in seeds)
    ):
        raise ConfigError(f"seeds: must be a non-empty list of integers >= 0 (got {seeds!r})")
    if len(set(seeds)) != len(seeds):
        raise ConfigError(f"seeds: duplicates in {seeds}")
    return list(seeds)


def dump_spec(spec: SweepSpec) -> str:
    """The expanded sweep as YAML (saved as ``sweep.yaml`` in the out directory)."""
    return yaml.safe_dump(
        {
            "base": str(spec.base),
            "set": list(spec.common),
            "runs": [{"run_id": r.run_id, "params": r.params, "seed": r.seed} for r in spec.runs],
        },
        sort_keys=False,
    )

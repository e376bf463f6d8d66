"""Run a sweep (:mod:`twin.sweep_spec`) in parallel local processes or as Ray tasks, resumably.

Every run is one call of :func:`execute_run` in its own process (a local worker or a Ray task),
which starts and owns its own ns-3 process. A run whose directory already holds a completed
``summary.json`` is skipped, so rerunning an interrupted sweep finishes only the missing runs. A
run that fails leaves ``error.json`` in its directory and the others go on. At the end the rows of
all runs are read back from their directories (so skipped, local and Ray runs give the same table)
and saved as ``sweep_runs.csv`` (one row per run) and ``sweep_table.csv`` (mean, std and count over
seeds per configuration).
"""

from __future__ import annotations

import json
import multiprocessing as mp
import sys
import time
from collections.abc import Callable, Iterator
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pandas as pd
from tqdm import tqdm

from twin.results import ERROR, is_finished, write_error
from twin.results_index import MAIN_FIGURES, TIMING_COLUMNS, run_row
from twin.sweep_spec import RunSpec, SweepSpec, dump_spec

RUNS_CSV = "sweep_runs.csv"
TABLE_CSV = "sweep_table.csv"


def execute_run(
    base: str, overrides: list[str], run_dir: str, meta: dict[str, Any]
) -> dict[str, Any]:
    """Runs one configuration in this process (its own ns-3) and returns a short outcome.

    Never raises for a failed run: the error goes to ``error.json`` and into the outcome.

    Args:
        base: The base experiment file.
        overrides: ``--set`` strings (common, swept values, seed).
        run_dir: The run's directory.
        meta: ``run_id``, ``params`` and ``seed``; saved as ``sweep_run.json`` and in the summary.
    """
    from twin.configio import load_experiment
    from twin.experiment import run_experiment

    path = Path(run_dir)
    path.mkdir(parents=True, exist_ok=True)
    (path / "sweep_run.json").write_text(json.dumps({**meta, "overrides": overrides}, indent=2))
    t0 = time.perf_counter()
    try:
        cfg, merged = load_experiment(base, overrides)
        argv = ["fabtwin", "run", "--config", base, *(x for o in overrides for x in ("--set", o))]
        result = run_experiment(
            cfg, progress=False, argv=argv, run_dir=path, extra=meta, source_config=merged
        )
    except Exception as e:  # noqa: BLE001 - every failure is recorded, none stops the sweep
        if not (path / ERROR).is_file():
            write_error(path, e)
        return {"status": "failed", "error": f"{type(e).__name__}: {e}", "wall_s": 0.0}
    return {"status": "ok", "totals": result.summary["totals"], "wall_s": time.perf_counter() - t0}


@dataclass(frozen=True)
class SweepOutcome:
    """What :func:`run_sweep` did.

    Attributes:
        runs: One row per run (every run of the sweep, finished earlier or now).
        table: Mean, std and count over seeds per configuration.
        ran: Run ids executed now.
        skipped: Run ids finished earlier.
        failed: Run ids that failed now.
        interrupted: Whether the sweep was stopped before every run was done.
    """

    runs: pd.DataFrame
    table: pd.DataFrame
    ran: list[str]
    skipped: list[str]
    failed: list[str]
    interrupted: bool = False


def _one_line(run: RunSpec, outcome: dict[str, Any]) -> str:
    values = " ".join(f"{k.rsplit('.', 1)[-1]}={v}" for k, v in run.params.items())
    head = f"{values} seed={run.seed}"
    if outcome["status"] != "ok":
        return f"{head}: FAILED {outcome['error']}"
    t = outcome["totals"]
    p99 = t.get("latency_ms_p99")
    p99_text = f"{p99:.3f} ms" if p99 is not None else "-"
    return (
        f"{head}: ok, {t['sent']} packets, {100 * t['loss_ratio']:.2f} % lost, "
        f"p99 {p99_text}, {outcome['wall_s']:.1f} s wall"
    )


def run_sweep(
    spec: SweepSpec,
    *,
    workers: int | None = None,
    ray_address: str | None = None,
    progress: bool = True,
    log: Callable[[str], None] | None = None,
) -> SweepOutcome:
    """Runs every unfinished run of ``spec`` and returns the aggregated tables.

    Args:
        spec: The expanded sweep.
        workers: Parallel local processes (default: the spec's ``workers``).
        ray_address: Run as Ray tasks instead: ``"local"`` starts Ray on this machine, ``"auto"``
            joins the running cluster, ``"ray://host:10001"`` a remote one. An already
            initialised Ray (``ray.init`` in this process) is used as it is.
        progress: Show a progress bar with an ETA (stderr).
        log: Where each run's one-line outcome goes (default: above the progress bar).
    """
    spec.out.mkdir(parents=True, exist_ok=True)
    (spec.out / "sweep.yaml").write_text(dump_spec(spec))
    pending = [r for r in spec.runs if not is_finished(spec.out / r.run_id)]
    skipped = [r.run_id for r in spec.runs if r not in pending]
    say = log or tqdm.write
    if skipped:
        say(f"{len(skipped)} of {len(spec.runs)} runs already finished in {spec.out}: skipped")
    ran: list[str] = []
    failed: list[str] = []
    interrupted = False
    out = spec.out.resolve()  # workers (Ray tasks too) may run in another directory
    jobs = [
        (str(spec.base), r.overrides(spec.common), str(out / r.run_id), _meta(r, spec))
        for r in pending
    ]
    by_dir = {str(out / r.run_id): r for r in pending}
    execute = _ray_runs if ray_address is not None else _local_runs
    with tqdm(
        total=len(pending), unit="run", desc="sweep", disable=not progress, file=sys.stderr
    ) as bar:
        try:
            for run_dir, outcome in execute(jobs, workers or spec.workers, ray_address):
                run = by_dir[run_dir]
                ran.append(run.run_id)
                if outcome["status"] != "ok":
                    failed.append(run.run_id)
                say(f"[{len(ran)}/{len(pending)}] {_one_line(run, outcome)}")
                bar.update(1)
                bar.set_postfix(failed=len(failed))
        except KeyboardInterrupt:
            interrupted = True
    runs = pd.DataFrame([run_row(spec.out / r.run_id, spec.out) for r in spec.runs])
    table = aggregate(runs, spec.keys)
    runs.to_csv(spec.out / RUNS_CSV, index=False)
    table.to_csv(spec.out / TABLE_CSV, index=False)
    return SweepOutcome(runs, table, ran, skipped, failed, interrupted)


def _meta(run: RunSpec, spec: SweepSpec) -> dict[str, Any]:
    return {
        "run_id": run.run_id,
        "params": run.params,
        "seed": run.seed,
        "sweep": str(spec.source) if spec.source else None,
    }


Job = tuple[str, list[str], str, dict[str, Any]]


def _local_runs(
    jobs: list[Job], workers: int, _address: str | None
) -> Iterator[tuple[str, dict[str, Any]]]:
    """Runs jobs in ``workers`` spawned processes; yields (run dir, outcome) as they finish."""
    if not jobs:
        return
    pool = ProcessPoolExecutor(max_workers=workers, mp_context=mp.get_context("spawn"))
    futures: dict[Future[dict[str, Any]], str] = {
        pool.submit(execute_run, *job): job[2] for job in jobs
    }
    try:
        pending = set(futures)
        while pending:
            done, pending = wait(pending, return_when=FIRST_COMPLETED)
            for fut in done:
                try:
                    outcome = fut.result()
                except Exception as e:  # noqa: BLE001 - a worker that died still counts as a run
                    write_error(Path(futures[fut]), e)
                    outcome = {"status": "failed", "error": f"{type(e).__name__}: {e}"}
                yield futures[fut], outcome
    except BaseException:
        # Interrupted: stop the workers now (their ns-3 children die with them, PDEATHSIG); the
        # runs they had started have no summary and run again next time.
        for proc in list(getattr(pool, "_processes", {}).values()):
            proc.terminate()
        pool.shutdown(wait=False, cancel_futures=True)
        raise
    pool.shutdown(wait=True)


def _ray_runs(
    jobs: list[Job], _workers: int, address: str | None
) -> Iterator[tuple[str, dict[str, Any]]]:
    """Runs jobs as Ray tasks (one CPU each); yields (run dir, outcome) as they finish."""
    import ray

    if not ray.is_initialized():
        if address == "local":
            ray.init(include_dashboard=False)
        else:
            ray.init(address=address)
    task = ray.remote(num_cpus=1, max_retries=0)(execute_run)
    refs = {task.remote(*job): job[2] for job in jobs}
    pending = list(refs)
    try:
        while pending:
            done, pending = ray.wait(pending, num_returns=1)
            for ref in done:
                try:
                    outcome = ray.get(ref)
                except Exception as e:  # noqa: BLE001 - a lost task still counts as a run
                    write_error(Path(refs[ref]), e)
                    outcome = {"status": "failed", "error": f"{type(e).__name__}: {e}"}
                yield refs[ref], outcome
    finally:
        for ref in pending:
            ray.cancel(ref, force=True)


def aggregate(runs: pd.DataFrame, keys: list[str]) -> pd.DataFrame:
    """Mean and standard deviation over seeds of every numeric figure, per configuration.

    Columns: the swept keys, ``runs`` (finished), ``failed``, then ``<figure> mean`` and
    ``<figure> std`` for each figure (timing columns excluded: they depend on the machine).
    """
    if runs.empty:
        return pd.DataFrame()
    ok = runs[runs["status"] == "ok"]
    skip = {"seed", *TIMING_COLUMNS, *keys}
    figures = [c for c in ok.columns if c not in skip and pd.api.types.is_numeric_dtype(ok[c])]
    rows = []
    for values, group in runs.groupby(keys, sort=False, dropna=False) if keys else [((), runs)]:
        vals = values if isinstance(values, tuple) else (values,)
        good = group[group["status"] == "ok"]
        row: dict[str, Any] = dict(zip(keys, vals, strict=True))
        row["runs"] = len(good)
        row["failed"] = int((group["status"] == "failed").sum())
        for f in figures:
            col = pd.to_numeric(good[f], errors="coerce")
            row[f"{f} mean"] = col.mean()
            row[f"{f} std"] = col.std(ddof=1) if len(col) > 1 else 0.0
        rows.append(row)
    return pd.DataFrame(rows)


def format_table(table: pd.DataFrame, keys: list[str]) -> str:
    """The aggregated table for the terminal: the values, counts and the main figures' means."""
    if table.empty:
        return "no runs"
    cols = [*keys, "runs", "failed"]
    cols += [f"{m} mean" for m in MAIN_FIGURES if f"{m} mean" in table.columns]
    view = table[cols].rename(columns=lambda c: c.replace("net/", "").replace(" mean", ""))
    text = view.to_string(index=False, float_format=lambda v: f"{v:.4g}", na_rep="-")
    return f"{text}\n(means over seeds; standard deviations and every figure in {TABLE_CSV})"

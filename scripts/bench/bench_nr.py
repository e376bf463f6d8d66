"""NR benchmark: simulation speed of NR uplink cells and the URLLC capacity of one cell.

Two NR configurations, both FDD with 2-symbol mini-slots, dynamic UL grants and a scheduling
request occasion every 2 symbols (the URLLC setting of docs/nr.md): mu 1 (30 kHz, 51 RBs =
20 MHz at 3.7 GHz) and mu 3 (120 kHz, 66 RBs = 100 MHz at 28 GHz). Every UE sends a 32-byte
packet every 1 ms to the gNB (the AP of the Wi-Fi BSS, which carries no traffic); the UEs' start
times are spread evenly over the 1 ms period.

1. Speed: ``fabtwin-ns3 --standalone`` (traffic generated inside ns-3, no Python in the loop)
   for 10, 50 and 100 UEs; simulated seconds per wall second of the run (building excluded).
2. Capacity: the largest number of such UEs one cell serves with 99.999 % of the packets
   delivered within 1 ms, found by doubling and then bisecting the UE count, each count run over
   the real bridge (``CoSimulation``, 10 ms steps) with every packet's latency in the ledger.
   Claiming 1e-5 needs many packets: with no failure among n packets the 95 % upper bound of the
   failure rate is 3 / n (rule of three), so n >= 300 000 packets (``--packets``, default). A run
   simulates max(``--min-duration-s``, packets / (UEs x 1000 per s)) seconds, at most
   ``--max-duration-s``; a count passes when its failures (late or lost) are at most
   1e-5 x sent, which for fewer than 100 000 packets means none. ``--quick`` simulates 20 ms per
   count: a smoke test, which bounds the failure rate only to about 3 / (UEs x 20).

Run: ``.venv/bin/python scripts/bench/bench_nr.py [--quick]``
"""

from __future__ import annotations

import argparse
import tempfile
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np
from _common import NS_PER_S, BenchResult, Ratio, finish, make_parser, print_table
from bench_loop_overhead import run_standalone, standalone_build_cpu_s
from scipy.stats import beta

from twin.config import CellConfig, NrConfig, NrSrConfig
from twin.cosim import CoSimulation
from twin.nr_cells import nr_uplink_cell
from twin.traffic import PeriodicTraffic

NAME = "bench_nr"
PERIOD_S = 1e-3
SIZE_BYTES = 32
DEADLINE_NS = 1_000_000
RELIABILITY = 0.99999
STEP_NS = 10_000_000
#: The two configurations (module docstring).
CONFIGS: dict[str, NrConfig] = {
    "mu1": NrConfig(
        numerology=1,
        duplex="FDD",
        allocation_symbols=2,
        num_rbs=51,
        control_rbs=16,
        sr=NrSrConfig(period_symbols=2, offset_symbols=1),
    ),
    "mu3": NrConfig(
        numerology=3,
        duplex="FDD",
        allocation_symbols=2,
        num_rbs=66,
        carrier_frequency_hz=28e9,
        control_rbs=16,
        sr=NrSrConfig(period_symbols=2, offset_symbols=1),
    ),
}


def cell_for(config: str, n_ues: int) -> CellConfig:
    """``n_ues`` UEs with a 32-byte uplink packet every 1 ms, starts spread over the period."""
    return nr_uplink_cell(
        CONFIGS[config], n_ues, size_bytes=SIZE_BYTES, period_s=PERIOD_S, stagger=True
    )


def speed(config: str, n_ues: int, duration_s: float, seed: int) -> dict[str, Any]:
    """One standalone run: simulated seconds per wall second and per CPU second, packet counts.

    The CPU figure (the process's user + system time less that of a 1 ms run, i.e. launching,
    building and warm-up) does not depend on how many other processes share the machine.
    """
    with tempfile.TemporaryDirectory(prefix="fabtwin-bench-nr-") as tmp:
        path = Path(tmp) / "cell.json"
        path.write_text(cell_for(config, n_ues).to_ns3_json(seed))
        out = run_standalone(path, duration_s, standalone_build_cpu_s(path, 1))
    return {
        "ues": n_ues,
        "simulated_s": duration_s,
        "wall_s": out.wall_s,
        "sim_s_per_wall_s": duration_s / out.wall_s,
        "cpu_s": out.cpu_s,
        "sim_s_per_cpu_s": duration_s / max(out.cpu_s, 0.01),
        "delivered": out.delivered,
        "dropped": out.dropped,
        "median_latency_ms": out.median_latency_ms,
    }


def reliability(
    sim: CoSimulation, cell: CellConfig, duration_s: float, seed: int
) -> dict[str, Any]:
    """Runs ``cell`` for ``duration_s`` over the bridge; counts packets late (> 1 ms) or lost."""
    sim.reset(seed=seed, cell=cell)
    traffic = PeriodicTraffic(cell)
    end_ns = round(duration_s * NS_PER_S)
    until = 0
    while until < end_ns:
        until = min(until + STEP_NS, end_ns)
        flow, size, send = traffic.window(until)
        if len(flow):
            sim.send_many(flow, size, send)
        sim.step_ns(until)
    sim.step_ns(end_ns + STEP_NS)  # drain: anything later than this is late anyway
    table = sim.ledger.table()
    latency = table["latency_ns"]
    sent = len(latency)
    failures = int(((latency < 0) | (latency > DEADLINE_NS)).sum())
    ok = latency[latency >= 0]
    return {
        "ues": len(cell.flows),
        "simulated_s": duration_s,
        "sent": sent,
        "failures": failures,
        "served": failures <= int((1 - RELIABILITY) * sent + 1e-9),
        "p50_ms": float(np.percentile(ok, 50)) / 1e6 if len(ok) else float("nan"),
        "max_ms": float(ok.max()) / 1e6 if len(ok) else float("nan"),
    }


def capacity(config: str, args: argparse.Namespace) -> dict[str, Any]:
    """Largest UE count served at 1 ms / 99.999 %: doubling, then bisection."""
    tried: dict[int, dict[str, Any]] = {}
    with CoSimulation(cell_for(config, 1), seed=args.seed) as sim:

        def served(n: int) -> bool:
            if n not in tried:
                duration = max(args.min_duration_s, args.packets / (n / PERIOD_S))
                duration = min(duration, args.max_duration_s)
                duration = round(duration, 2) if not args.quick else args.min_duration_s
                tried[n] = reliability(sim, cell_for(config, n), duration, args.seed)
                print(f"  {config} {n:4d} UEs: {tried[n]}")
            return bool(tried[n]["served"])

        lo, hi = 0, 1
        while hi <= args.max_ues and served(hi):
            lo, hi = hi, hi * 2
        hi = min(hi, args.max_ues + 1)
        while hi - lo > 1:
            mid = (lo + hi) // 2
            if served(mid):
                lo = mid
            else:
                hi = mid
    return {"max_ues": lo, "runs": [tried[n] for n in sorted(tried)]}


def parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    parser = make_parser(NAME, __doc__.split("\n")[0])
    parser.add_argument("--ues", default="10,50,100", help="UE counts of the speed runs")
    parser.add_argument("--duration-s", type=float, help="speed runs; default 1 (quick 0.02)")
    parser.add_argument("--packets", type=int, default=300_000, help="capacity: packets per run")
    parser.add_argument("--min-duration-s", type=float, help="capacity; default 0.2 (quick 0.02)")
    parser.add_argument("--max-duration-s", type=float, default=10.0, help="capacity run cap")
    parser.add_argument("--max-ues", type=int, help="capacity search bound; default 256 (quick 8)")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument(
        "--check",
        help="only run the capacity check at these counts, e.g. mu1:43,mu3:224 (no speed runs, "
        "no search): confirms a count found by a shorter search at --packets packets",
    )
    args = parser.parse_args(argv)
    args.duration_s = args.duration_s or (0.02 if args.quick else 1.0)
    args.min_duration_s = args.min_duration_s or (0.02 if args.quick else 0.2)
    args.max_ues = args.max_ues or (8 if args.quick else 256)
    return args


def check(args: argparse.Namespace) -> int:
    """``--check``: the reliability run at each given count; exit status 1 if any fails."""
    runs = []
    for item in args.check.split(","):
        config, _, count = item.partition(":")
        if config not in CONFIGS or not count.isdigit() or int(count) < 1:
            raise SystemExit(f"--check: {item!r}: expected CONFIG:N, CONFIG one of {list(CONFIGS)}")
        n = int(count)
        duration = round(min(max(args.min_duration_s, args.packets / (n / PERIOD_S)), 1e9), 3)
        with CoSimulation(cell_for(config, n), seed=args.seed) as sim:
            run = {"config": config, **reliability(sim, cell_for(config, n), duration, args.seed)}
        print(f"  {run}")
        runs.append(run)
    print_table(
        ["config", "UEs", "sent", "late or lost", "served at 99.999 %", "p50 ms", "max ms"],
        [
            (r["config"], r["ues"], r["sent"], r["failures"], r["served"], r["p50_ms"], r["max_ms"])
            for r in runs
        ],
    )
    config = {"check": args.check, "packets": args.packets, "seed": args.seed}
    result = BenchResult(NAME + "_check", config=config, results={"check": runs})
    for r in runs:
        # One-sided 95 % Clopper-Pearson upper bound of the failure rate (3 / n with none).
        bound = float(beta.ppf(0.95, r["failures"] + 1, max(r["sent"] - r["failures"], 1)))
        result.ratios.append(
            Ratio(
                f"failure_rate_upper95_{r['config']}_{r['ues']}ue",
                bound,
                1 - RELIABILITY,
                False,
                f"95 % upper bound of (late or lost) / sent, {r['config']}, {r['ues']} UEs",
            )
        )
    finish(result, args.out)
    return 0 if all(r["served"] for r in runs) else 1


def main(argv: Sequence[str] | None = None) -> int:
    args = parse_args(argv)
    if args.check:
        return check(args)
    ues = [int(u) for u in args.ues.split(",")]
    speeds = {c: [speed(c, n, args.duration_s, args.seed) for n in ues] for c in CONFIGS}
    print_table(
        ["config", "UEs", "sim s / wall s", "sim s / CPU s", "delivered", "median latency ms"],
        [
            (
                c,
                r["ues"],
                r["sim_s_per_wall_s"],
                r["sim_s_per_cpu_s"],
                r["delivered"],
                r["median_latency_ms"],
            )
            for c, rs in speeds.items()
            for r in rs
        ],
    )
    caps = {c: capacity(c, args) for c in CONFIGS}
    print_table(
        ["config", "max UEs at 1 ms / 99.999 %", "runs"],
        [(c, cap["max_ues"], len(cap["runs"])) for c, cap in caps.items()],
    )
    result = BenchResult(
        NAME,
        config={
            "quick": args.quick,
            "ues": ues,
            "duration_s": args.duration_s,
            "packets": args.packets,
            "min_duration_s": args.min_duration_s,
            "max_duration_s": args.max_duration_s,
            "max_ues": args.max_ues,
            "seed": args.seed,
            "nr": {c: CONFIGS[c].to_json() for c in CONFIGS},
        },
        results={"speed": speeds, "capacity": caps},
        repetitions={"speed": speeds},
    )
    for c, rs in speeds.items():
        for r in rs:
            result.ratios.append(
                Ratio(
                    f"sim_s_per_wall_s_{c}_{r['ues']}ue",
                    r["sim_s_per_wall_s"],
                    None,
                    True,
                    f"simulated / wall seconds, {c}, {r['ues']} UEs x 32 B / 1 ms uplink",
                )
            )
            result.ratios.append(
                Ratio(
                    f"sim_s_per_cpu_s_{c}_{r['ues']}ue",
                    r["sim_s_per_cpu_s"],
                    None,
                    True,
                    f"simulated / CPU seconds (ns-3 process), {c}, {r['ues']} UEs",
                )
            )
    for c, cap in caps.items():
        result.ratios.append(
            Ratio(
                f"max_ues_1ms_99999_{c}",
                float(cap["max_ues"]),
                None,
                True,
                f"largest UE count served within 1 ms at 99.999 % ({c})",
            )
        )
        bound = min((r["sent"] for r in cap["runs"] if r["served"]), default=0)
        result.notes.append(
            f"{c}: the smallest passing run sent {bound} packets; with none failing the 95 % "
            f"bound on the failure rate is {3 / bound if bound else float('nan'):.2g}"
        )
    finish(result, args.out)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

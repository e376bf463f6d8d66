"""Wi-Fi scaling benchmark: fabtwin's lockstep cell vs a conventional ns-3 program, 10-100 stations.

Each station has a 100-byte uplink and downlink control flow every 1 ms (downlinks half a period
later), in AC_BE in both setups: ns-3's UdpClient ``Tos`` attribute did not move the conventional
program's packets out of AC_BE (ToS 0 and 0x10 gave identical runs), and the same class on both
sides is what makes the comparison fair (11+ saturated VO contenders with CWmin 3 would compare
collision storms). One overlapping BSS (an AP and 2 stations, 8 m away, co-channel, 1500-byte BE
packets every 10 ms each way) interferes. Both setups use the same 802.11ax configuration
(SpectrumWifiPhy on a MultiModelSpectrumChannel, 5 GHz channel 36, 20 MHz, HE-MCS 7, 20 dBm,
log-distance loss, 500-packet queues, 500 ms MSDU lifetime) and the same positions (AP at
(0, 0, 3), stations on a 5 m circle).

- fabtwin: ``CoSimulation`` + ``PeriodicTraffic`` at 1 ms steps over the ZeroMQ bridge; packets
  are injected below IP (WifiNetDevice::Send); the OBSS is the cell description's ``obss`` entry.
- conventional: ``conventional-wifi-cell`` (ns3-scenarios/examples/), an ordinary ns-3 program:
  InternetStack, IPv4, UdpClient/UdpServer applications (AC_BE), ns-3's default
  traffic control, the OBSS with its own UDP applications, one Simulator::Run.

Both are timed over the traffic only (building and association excluded). Figures: simulated
seconds per wall second, the wall and CPU ratio conventional / fabtwin (target: fabtwin >= 1.5x
faster), the cost per device-second (wall time / (cell devices x simulated seconds)) and its
growth relative to 10 stations (target: no faster than linear, i.e. the growth factor at 100
stations <= 10). Repetitions alternate the two setups; ratios are medians of per-repetition ones.

Run: ``.venv/bin/python scripts/bench/bench_wifi_scaling.py [--quick] [--duration-s 0.5]``
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import math
import subprocess
import sys
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from _common import (
    NS_PER_S,
    BenchResult,
    Ratio,
    alternate,
    finish,
    make_parser,
    median,
    paired_ratios,
    print_table,
)
from bench_loop_overhead import STEP_NS, run_lockstep

from twin.bridge.binary import find_ns3_binary
from twin.config import BridgeConfig, CellConfig, FlowConfig, NodeConfig
from twin.obss_config import ObssConfig

NAME = "bench_wifi_scaling"
SPEEDUP_TARGET = 1.5
RADIUS_M = 5.0
#: The interfering BSS, identical in both setups (conventional-wifi-cell's defaults).
OBSS = ObssConfig(
    ap_position_m=(8.0, 0.0, 3.0),
    stations=2,
    station_radius_m=2.0,
    load="periodic",
    period_s=0.01,
    size_bytes=1500,
    direction="both",
)


def bench_cell(n_stations: int) -> CellConfig:
    """The benchmark cell: AP, ``n_stations`` stations on a circle, two VO flows each, the OBSS."""
    nodes = [NodeConfig("ap", "ap", (0.0, 0.0, 3.0))]
    flows = []
    for k in range(n_stations):
        a = 2 * math.pi * (k + 1) / n_stations
        name = f"sta{k + 1}"
        nodes.append(NodeConfig(name, "sta", (RADIUS_M * math.cos(a), RADIUS_M * math.sin(a), 1.0)))
        flows.append(FlowConfig(f"{name}.up", name, "ap", period_s=0.001, access_category="BE"))
        flows.append(
            FlowConfig(
                f"{name}.down", "ap", name, period_s=0.001, start_s=0.0005, access_category="BE"
            )
        )
    return CellConfig(nodes=tuple(nodes), flows=tuple(flows), obss=(OBSS,))


@dataclass(frozen=True)
class Outcome:
    """One timed run.

    Attributes:
        wall_s: Wall time of the traffic phase.
        cpu_s: CPU time (user + system) of every process involved, same phase.
        delivered: Control packets delivered.
        events: ns-3 events executed in the traffic phase (conventional only; -1 if unknown).
    """

    wall_s: float
    cpu_s: float
    delivered: int
    events: int


def run_fabtwin(cell: CellConfig, seed: int, duration_ns: int) -> Outcome:
    """One lockstep run at 1 ms steps (bench_loop_overhead's loop, building excluded)."""
    # Associating 100 stations on a loaded 2-core machine can take minutes of wall time.
    out = run_lockstep(cell, seed, duration_ns, BridgeConfig(timeout_s=3600))
    return Outcome(out.wall_s, out.cpu_s, out.delivered, -1)


def run_conventional(n_stations: int, seed: int, duration_s: float) -> Outcome:
    """One run of the conventional ns-3 program; parses its JSON line."""
    exe = find_ns3_binary().with_name("conventional-wifi-cell")
    proc = subprocess.run(
        [
            str(exe),
            f"--stations={n_stations}",
            f"--simTime={duration_s!r}",
            f"--seed={seed}",
            f"--radius={RADIUS_M}",
            f"--obssStations={OBSS.stations}",
            f"--obssPeriodMs={OBSS.period_s * 1e3:g}",
            f"--obssSize={OBSS.size_bytes}",
        ],
        capture_output=True,
        text=True,
        timeout=3600,
        check=False,
    )
    if proc.returncode != 0:
        raise RuntimeError(f"{exe.name} failed ({proc.returncode}): {proc.stderr[-2000:]}")
    out = json.loads(proc.stdout.strip().splitlines()[-1])
    return Outcome(
        float(out["traffic_wall_s"]),
        float(out["traffic_cpu_s"]),
        int(out["received"]),
        int(out["traffic_events"]),
    )


def parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    parser = make_parser(NAME, __doc__.split("\n")[0])
    parser.add_argument(
        "--stations",
        type=int,
        nargs="+",
        help="cell sizes; default 10 25 50 100 (quick 2 4)",
    )
    parser.add_argument("--duration-s", type=float, help="simulated time; default 0.5 (quick 0.01)")
    parser.add_argument("--reps", type=int, help="runs of each setup per size; default 2 (quick 1)")
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args(argv)
    args.stations = args.stations or ([2, 4] if args.quick else [10, 25, 50, 100])
    args.duration_s = args.duration_s or (0.01 if args.quick else 0.5)
    args.reps = args.reps or (1 if args.quick else 2)
    return args


def main(argv: Sequence[str] | None = None) -> int:
    args = parse_args(argv)
    duration_ns = round(args.duration_s * NS_PER_S)
    if duration_ns % STEP_NS:
        raise SystemExit("--duration-s: must be a whole number of 1 ms steps")
    per_size: dict[str, Any] = {}
    reps: dict[str, Any] = {}
    rows = []
    ratios: list[Ratio] = []
    base_cost: float | None = None
    for n in args.stations:
        cell = bench_cell(n)
        outcomes: dict[str, list[Outcome]] = {"fabtwin": [], "conventional": []}

        def fab(cell: CellConfig = cell, outs: dict[str, list[Outcome]] = outcomes) -> float:
            outs["fabtwin"].append(run_fabtwin(cell, args.seed, duration_ns))
            return outs["fabtwin"][-1].wall_s

        def conv(n: int = n, outs: dict[str, list[Outcome]] = outcomes) -> float:
            outs["conventional"].append(run_conventional(n, args.seed, args.duration_s))
            return outs["conventional"][-1].wall_s

        walls = alternate(args.reps, {"fabtwin": fab, "conventional": conv})
        cpu = {k: [o.cpu_s for o in v] for k, v in outcomes.items()}
        speedup = median(paired_ratios(walls["conventional"], walls["fabtwin"]))
        speedup_cpu = median(paired_ratios(cpu["conventional"], cpu["fabtwin"]))
        devices = n + 1
        cost = {k: median(walls[k]) / (devices * args.duration_s) for k in walls}
        if base_cost is None:
            base_cost = cost["fabtwin"]
        growth = cost["fabtwin"] / base_cost
        per_size[str(n)] = {
            "sim_s_per_wall_s": {k: args.duration_s / median(walls[k]) for k in walls},
            "sim_s_per_cpu_s": {k: args.duration_s / median(cpu[k]) for k in cpu},
            "wall_s": {k: median(walls[k]) for k in walls},
            "cpu_s": {k: median(cpu[k]) for k in cpu},
            "cost_wall_s_per_device_s": cost,
            "fabtwin_cost_growth_vs_first": growth,
            "delivered": {k: [o.delivered for o in v] for k, v in outcomes.items()},
            "sent": 2 * n * round(args.duration_s * 1000),
            "conventional_events": [o.events for o in outcomes["conventional"]],
        }
        reps[str(n)] = {"wall_s": walls, "cpu_s": cpu}
        ratios.append(
            Ratio(
                f"conventional_over_fabtwin_{n}sta",
                speedup,
                SPEEDUP_TARGET,
                True,
                f"wall time conventional / fabtwin, {n} stations",
            )
        )
        ratios.append(
            Ratio(
                f"conventional_over_fabtwin_cpu_{n}sta",
                speedup_cpu,
                SPEEDUP_TARGET,
                True,
                f"CPU time conventional / fabtwin (ns-3 + Python), {n} stations",
            )
        )
        print(
            f"{n} stations: fabtwin {median(walls['fabtwin']):.3g} s, conventional "
            f"{median(walls['conventional']):.3g} s of wall time for {args.duration_s} s",
            flush=True,
        )
        rows.append(
            (
                n,
                per_size[str(n)]["sim_s_per_wall_s"]["fabtwin"],
                per_size[str(n)]["sim_s_per_wall_s"]["conventional"],
                speedup,
                speedup_cpu,
                cost["fabtwin"] * 1e3,
                cost["conventional"] * 1e3,
                growth,
            )
        )
    first, last = args.stations[0], args.stations[-1]
    ratios.append(
        Ratio(
            f"fabtwin_cost_growth_{first}_to_{last}sta",
            per_size[str(last)]["fabtwin_cost_growth_vs_first"],
            last / first,
            False,
            f"fabtwin wall s per device-second at {last} / at {first} stations "
            "(<= the station ratio: no faster than linear)",
        )
    )
    result = BenchResult(
        NAME,
        {
            "stations": args.stations,
            "duration_s": args.duration_s,
            "reps": args.reps,
            "seed": args.seed,
            "quick": args.quick,
            "step_s": STEP_NS / NS_PER_S,
            "obss": dataclasses.asdict(OBSS),
        },
        ratios=ratios,
        results=per_size,
        repetitions=reps,
    )
    print_table(
        [
            "stations",
            "fabtwin sim s/wall s",
            "conventional sim s/wall s",
            "wall ratio",
            "CPU ratio",
            "fabtwin ms/device-s",
            "conv ms/device-s",
            "fabtwin cost growth",
        ],
        rows,
    )
    finish(result, args.out)
    return 0


if __name__ == "__main__":
    sys.exit(main())

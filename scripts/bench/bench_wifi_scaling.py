"""Wi-Fi scaling benchmark: fabtwin's lockstep cell vs a conventional ns-3 program, 10-100 stations.

Each station has a 100-byte uplink and downlink control flow in AC_VO. Two loads:

- ``issue``: one packet per flow every 1 ms (issue 3's workload). From about 10 stations on
  this saturates the 20 MHz cell: neither setup delivers what is offered, and the two deliver
  different amounts, so their CPU times are not for the same MAC work.
- ``light``: the same cells at ``--light-load-pps`` packets per second in total (default 2000,
  i.e. a period of ``stations`` ms per flow), where both setups deliver (nearly) everything
  offered: the comparison at equal delivered load.

Station k's uplink starts k / stations of a period after time zero, its downlink half a period
after its uplink (the stations' loops are not synchronized). One overlapping BSS (an AP and 2
stations, 8 m away, co-channel, 1500-byte AC_BE packets every 10 ms each way) interferes. Both
setups use the same 802.11ax configuration (SpectrumWifiPhy on a MultiModelSpectrumChannel,
5 GHz channel 36, 20 MHz, HE-MCS 7, 20 dBm, log-distance loss, 500-packet queues, 500 ms MSDU
lifetime) and the same positions (AP at (0, 0, 3), stations on a 5 m circle).

- fabtwin: ``CoSimulation`` + ``PeriodicTraffic`` at 1 ms steps over the ZeroMQ bridge; packets
  are injected below IP (WifiNetDevice::Send) with the flow's user priority; the OBSS is the cell
  description's ``obss`` entry.
- conventional: ``conventional-wifi-cell`` (ns3-scenarios/examples/), an ordinary ns-3 program:
  InternetStack, IPv4, UdpClient/UdpServer applications with IP ToS 0xc0 (DSCP CS6, which ns-3's
  Wi-Fi queue selection maps to user priority 6, AC_VO), ns-3's default traffic control, ARP
  caches filled by ns-3's NeighborCacheHelper, the OBSS with its own UDP applications, one
  Simulator::Run.

Access categories are checked, not assumed: the conventional program counts the QoS data frames
enqueued per AC at the cell's devices in every run; for fabtwin a short ``fabtwin-ns3
--standalone`` run of the same cell description (same injection path) counts the twin's MPDUs per
AC queue. Both are printed and written to the JSON (``access_categories``).

Both are timed over the traffic only (building and association excluded). Figures: simulated
seconds per CPU second, packets delivered, the CPU ratio conventional / fabtwin (target: fabtwin
>= 1.5x faster), the CPU cost per delivered packet and per device-second (CPU time / (cell
devices x simulated seconds)) and fabtwin's growth of the latter relative to the smallest cell
(target: no faster than linear, i.e. at most the ratio of the station counts). Wall-time ratios
are in the JSON too. Repetitions alternate the two setups; ratios are medians of
per-repetition ones.

Run: ``.venv/bin/python scripts/bench/bench_wifi_scaling.py [--quick] [--duration-s 0.2]``
"""

from __future__ import annotations

import argparse
import dataclasses
import math
import sys
import tempfile
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
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
    run_json_line,
)
from bench_loop_overhead import STEP_NS, run_lockstep, standalone_summary

from twin.bridge.binary import find_ns3_binary
from twin.config import BridgeConfig, CellConfig, FlowConfig, NodeConfig
from twin.obss_config import ObssConfig
from twin.traffic import PeriodicTraffic

NAME = "bench_wifi_scaling"
SPEEDUP_TARGET = 1.5
RADIUS_M = 5.0
SIZE_BYTES = 100
#: Issue 3's period of every control flow.
ISSUE_PERIOD_NS = 1_000_000
#: Access categories in the order of ns-3's AcIndex.
ACS = ("BE", "BK", "VI", "VO")
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


def bench_cell(n_stations: int, period_ns: int) -> CellConfig:
    """The benchmark cell: AP, ``n_stations`` stations on a circle, two VO flows each, the OBSS.

    Args:
        n_stations: Stations in the cell.
        period_ns: Packet period of every control flow (a whole number of microseconds, as the
            conventional program takes it).
    """
    nodes = [NodeConfig("ap", "ap", (0.0, 0.0, 3.0))]
    flows = []
    for k in range(n_stations):
        a = 2 * math.pi * (k + 1) / n_stations
        name = f"sta{k + 1}"
        nodes.append(NodeConfig(name, "sta", (RADIUS_M * math.cos(a), RADIUS_M * math.sin(a), 1.0)))
        up_ns = period_ns * k // n_stations  # integer ns, as the conventional program's Time
        for flow, src, dst, start_ns in (
            (f"{name}.up", name, "ap", up_ns),
            (f"{name}.down", "ap", name, up_ns + period_ns // 2),
        ):
            flows.append(
                FlowConfig(
                    flow,
                    src,
                    dst,
                    size_bytes=SIZE_BYTES,
                    period_s=period_ns / NS_PER_S,
                    start_s=start_ns / NS_PER_S,
                    access_category="VO",
                )
            )
    return CellConfig(nodes=tuple(nodes), flows=tuple(flows), obss=(OBSS,))


@dataclass(frozen=True)
class Outcome:
    """One timed run.

    Attributes:
        wall_s: Wall time of the traffic phase.
        cpu_s: CPU time (user + system) of every process involved, same phase.
        sent: Control packets sent.
        delivered: Control packets delivered.
        events: ns-3 events executed in the traffic phase (conventional only; -1 if unknown).
        enqueued_by_ac: QoS data frames enqueued per access category at the cell's devices
            (conventional only; empty if unknown).
        unassociated: Stations not associated when the traffic started (conventional only:
            fabtwin's warm-up waits for all).
    """

    wall_s: float
    cpu_s: float
    sent: int
    delivered: int
    events: int
    enqueued_by_ac: dict[str, int]
    unassociated: int = 0


def run_fabtwin(cell: CellConfig, seed: int, duration_ns: int) -> Outcome:
    """One lockstep run at 1 ms steps (bench_loop_overhead's loop, building excluded)."""
    # Associating 100 stations on a loaded 2-core machine can take minutes of wall time.
    out = run_lockstep(cell, seed, duration_ns, BridgeConfig(timeout_s=3600))
    sent = len(PeriodicTraffic(cell).window(duration_ns)[0])
    return Outcome(out.wall_s, out.cpu_s, sent, out.delivered, -1, {})


def fabtwin_access_categories(cell: CellConfig, seed: int, duration_s: float) -> dict[str, int]:
    """The twin's MPDUs per AC queue, from a short ``fabtwin-ns3 --standalone`` run of the cell.

    The standalone mode injects the cell's periodic packets through the same path as the bridge
    (FactoryCell::Inject); the scenario counts each twin MPDU at the EDCA queue it enters.
    """
    with tempfile.TemporaryDirectory(prefix="fabtwin-bench-") as tmp:
        cell_json = Path(tmp) / "cell.json"
        cell_json.write_text(cell.to_ns3_json(seed))
        counts = standalone_summary(cell_json, duration_s)["enqueued_by_ac"]
    return {ac: int(counts[ac]) for ac in ACS}


def run_conventional(n_stations: int, seed: int, duration_s: float, period_ns: int) -> Outcome:
    """One run of the conventional ns-3 program; parses its JSON line."""
    exe = find_ns3_binary().with_name("conventional-wifi-cell")
    argv = [
        str(exe),
        f"--stations={n_stations}",
        f"--simTime={duration_s!r}",
        f"--periodMs={period_ns / 1e6!r}",
        f"--seed={seed}",
        f"--radius={RADIUS_M}",
        f"--obssStations={OBSS.stations}",
        f"--obssPeriodMs={OBSS.period_s * 1e3:g}",
        f"--obssSize={OBSS.size_bytes}",
    ]
    out = run_json_line(argv, exe.name)
    return Outcome(
        float(out["traffic_wall_s"]),
        float(out["traffic_cpu_s"]),
        int(out["sent"]),
        int(out["received"]),
        int(out["traffic_events"]),
        {ac: int(out["enqueued_by_ac"][ac]) for ac in ACS},
        n_stations - int(out["associated_at_start"]),
    )


def parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    parser = make_parser(NAME, __doc__.split("\n")[0])
    parser.add_argument(
        "--stations",
        type=int,
        nargs="+",
        help="cell sizes; default 10 25 50 100 (quick 2 4)",
    )
    parser.add_argument(
        "--duration-s",
        type=float,
        help="simulated time at the issue load; default 0.2 (quick 0.01)",
    )
    parser.add_argument(
        "--light-duration-s",
        type=float,
        help="simulated time at the light load; default 0.5 (quick 0.02)",
    )
    parser.add_argument(
        "--light-load-pps",
        type=float,
        default=2000.0,
        help="light load: control packets per second offered by the whole cell",
    )
    parser.add_argument(
        "--loads",
        nargs="+",
        choices=("issue", "light"),
        default=["issue", "light"],
        help="which loads to run",
    )
    parser.add_argument("--reps", type=int, help="runs of each setup per case; default 2 (quick 1)")
    parser.add_argument(
        "--ac-check-s",
        type=float,
        default=0.01,
        help="simulated time of fabtwin's standalone access-category check per cell size",
    )
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args(argv)
    args.stations = args.stations or ([2, 4] if args.quick else [10, 25, 50, 100])
    args.duration_s = args.duration_s or (0.01 if args.quick else 0.2)
    args.light_duration_s = args.light_duration_s or (0.02 if args.quick else 0.5)
    args.reps = args.reps or (1 if args.quick else 2)
    return args


def light_period_ns(n_stations: int, load_pps: float) -> int:
    """Per-flow period that offers ``load_pps`` packets/s from the whole cell (whole us)."""
    return round(2 * n_stations / load_pps * 1e6) * 1000


@dataclass
class Case:
    """One load and cell size, both setups measured.

    Attributes:
        load: ``issue`` or ``light``.
        stations: Cell size.
        period_ns: Per-flow packet period.
        duration_s: Simulated time.
        outcomes: Setup name -> its repetitions.
        walls: Setup name -> wall time of each repetition (the order ``alternate`` ran them).
    """

    load: str
    stations: int
    period_ns: int
    duration_s: float
    outcomes: dict[str, list[Outcome]]
    walls: dict[str, list[float]]

    @property
    def tag(self) -> str:
        """Key suffix of this case's ratios: ``10sta`` or ``light_10sta``."""
        return f"{self.stations}sta" if self.load == "issue" else f"light_{self.stations}sta"

    def cpu(self, setup: str) -> list[float]:
        """CPU seconds of each repetition of one setup."""
        return [o.cpu_s for o in self.outcomes[setup]]

    def delivered(self, setup: str) -> int:
        """Packets delivered (median over repetitions; a seed gives the same packets)."""
        return round(median([o.delivered for o in self.outcomes[setup]]))

    def sent(self, setup: str) -> int:
        """Packets sent (median over repetitions)."""
        return round(median([o.sent for o in self.outcomes[setup]]))

    def per_delivered_us(self, setup: str) -> float:
        """CPU microseconds per delivered packet."""
        return median(self.cpu(setup)) / max(self.delivered(setup), 1) * 1e6

    def per_device_s(self, setup: str) -> float:
        """CPU seconds per device-second (cell devices: AP and stations)."""
        return median(self.cpu(setup)) / ((self.stations + 1) * self.duration_s)

    def summary(self) -> dict[str, Any]:
        """The JSON ``results`` entry."""
        setups = list(self.outcomes)
        return {
            "load": self.load,
            "stations": self.stations,
            "period_ms": self.period_ns / 1e6,
            "duration_s": self.duration_s,
            "sim_s_per_cpu_s": {k: self.duration_s / median(self.cpu(k)) for k in setups},
            "sim_s_per_wall_s": {k: self.duration_s / median(self.walls[k]) for k in setups},
            "cpu_s": {k: median(self.cpu(k)) for k in setups},
            "wall_s": {k: median(self.walls[k]) for k in setups},
            "sent": {k: self.sent(k) for k in setups},
            "delivered": {k: self.delivered(k) for k in setups},
            "delivered_fraction": {k: self.delivered(k) / max(self.sent(k), 1) for k in setups},
            "cpu_us_per_delivered_packet": {k: self.per_delivered_us(k) for k in setups},
            "cpu_s_per_device_s": {k: self.per_device_s(k) for k in setups},
            "conventional_events": [o.events for o in self.outcomes["conventional"]],
        }


def measure(args: argparse.Namespace, load: str, n: int) -> Case:
    """Runs both setups ``args.reps`` times, alternating, for one load and cell size."""
    if load == "issue":
        period_ns, duration_s = ISSUE_PERIOD_NS, args.duration_s
    else:
        period_ns, duration_s = light_period_ns(n, args.light_load_pps), args.light_duration_s
    duration_ns = round(duration_s * NS_PER_S)
    if duration_ns % STEP_NS:
        raise SystemExit(f"--{'light-' if load == 'light' else ''}duration-s: whole 1 ms steps")
    cell = bench_cell(n, period_ns)
    outcomes: dict[str, list[Outcome]] = {"fabtwin": [], "conventional": []}

    def fab() -> float:
        outcomes["fabtwin"].append(run_fabtwin(cell, args.seed, duration_ns))
        return outcomes["fabtwin"][-1].wall_s

    def conv() -> float:
        outcomes["conventional"].append(run_conventional(n, args.seed, duration_s, period_ns))
        return outcomes["conventional"][-1].wall_s

    walls = alternate(args.reps, {"fabtwin": fab, "conventional": conv})
    return Case(load, n, period_ns, duration_s, outcomes, walls)


def case_ratios(case: Case) -> list[Ratio]:
    """The speed-up ratios of one case (CPU, wall, and per delivered packet)."""
    what = f"{case.stations} stations, {case.load} load ({case.period_ns / 1e6:g} ms period)"
    cpu = median(paired_ratios(case.cpu("conventional"), case.cpu("fabtwin")))
    wall = median(paired_ratios(case.walls["conventional"], case.walls["fabtwin"]))
    per_packet = case.per_delivered_us("conventional") / case.per_delivered_us("fabtwin")
    return [
        Ratio(
            f"conventional_over_fabtwin_cpu_{case.tag}",
            cpu,
            SPEEDUP_TARGET,
            True,
            f"CPU time conventional / fabtwin (ns-3 + Python), {what}",
        ),
        Ratio(
            f"conventional_over_fabtwin_{case.tag}",
            wall,
            SPEEDUP_TARGET,
            True,
            f"wall time conventional / fabtwin, {what}",
        ),
        Ratio(
            f"conventional_over_fabtwin_cpu_per_delivered_{case.tag}",
            per_packet,
            None,
            True,
            f"CPU per delivered packet conventional / fabtwin, {what}",
        ),
    ]


def growth_ratio(cases: list[Case], load: str) -> Ratio:
    """Fabtwin's CPU cost per device-second at the largest cell over the smallest, one load."""
    mine = [c for c in cases if c.load == load]
    first, last = mine[0], mine[-1]
    suffix = "" if load == "issue" else "light_"
    return Ratio(
        f"fabtwin_cost_growth_{suffix}{first.stations}_to_{last.stations}sta",
        last.per_device_s("fabtwin") / first.per_device_s("fabtwin"),
        last.stations / first.stations,
        False,
        f"fabtwin CPU s per device-second at {last.stations} / at {first.stations} stations, "
        f"{load} load (<= the station ratio: no faster than linear)",
    )


def access_category_notes(acs: dict[str, dict[str, dict[str, int]]]) -> list[str]:
    """A note for every run whose control frames were not all AC_VO."""
    notes = []
    for setup, per_size in acs.items():
        for n, counts in per_size.items():
            other = {ac: c for ac, c in counts.items() if ac != "VO" and c}
            if other or not counts["VO"]:
                notes.append(f"{setup}, {n} stations: control frames NOT all AC_VO: {counts}")
    return notes


def main(argv: Sequence[str] | None = None) -> int:
    args = parse_args(argv)
    cases: list[Case] = []
    acs: dict[str, dict[str, dict[str, int]]] = {"fabtwin": {}, "conventional": {}}
    for n in args.stations:
        acs["fabtwin"][str(n)] = fabtwin_access_categories(
            bench_cell(n, ISSUE_PERIOD_NS), args.seed, args.ac_check_s
        )
        for load in args.loads:
            case = measure(args, load, n)
            cases.append(case)
            if load == args.loads[0]:
                acs["conventional"][str(n)] = case.outcomes["conventional"][0].enqueued_by_ac
            print(
                f"{n} stations, {load} load: CPU fabtwin {median(case.cpu('fabtwin')):.3g} s, "
                f"conventional {median(case.cpu('conventional')):.3g} s for {case.duration_s} s; "
                f"delivered {case.delivered('fabtwin')} / {case.delivered('conventional')} of "
                f"{case.sent('fabtwin')} / {case.sent('conventional')}",
                flush=True,
            )
    ratios = [r for c in cases for r in case_ratios(c)]
    ratios += [growth_ratio(cases, load) for load in args.loads]
    result = BenchResult(
        NAME,
        {
            "stations": args.stations,
            "loads": args.loads,
            "duration_s": args.duration_s,
            "light_duration_s": args.light_duration_s,
            "light_load_pps": args.light_load_pps,
            "issue_period_ms": ISSUE_PERIOD_NS / 1e6,
            "size_bytes": SIZE_BYTES,
            "access_category": "VO",
            "reps": args.reps,
            "seed": args.seed,
            "quick": args.quick,
            "step_s": STEP_NS / NS_PER_S,
            "obss": dataclasses.asdict(OBSS),
        },
        ratios=ratios,
        results={
            "cases": {c.tag: c.summary() for c in cases},
            "access_categories": acs,
        },
        repetitions={
            c.tag: {"wall_s": c.walls, "cpu_s": {k: c.cpu(k) for k in c.outcomes}} for c in cases
        },
        notes=access_category_notes(acs)
        + [
            f"conventional, {c.tag}: {o.unassociated} stations not associated at the start"
            for c in cases
            for o in c.outcomes["conventional"]
            if o.unassociated
        ],
    )
    print()
    print_table(
        ["setup", "stations", "BE", "BK", "VI", "VO (enqueued control frames per AC)"],
        [(s, n, *(c[ac] for ac in ACS)) for s, per in acs.items() for n, c in per.items()],
    )
    print()
    print_table(
        [
            "load",
            "stations",
            "period ms",
            "fab sim s/CPU s",
            "conv sim s/CPU s",
            "CPU ratio",
            "fab delivered/sent",
            "conv delivered/sent",
            "fab us/pkt",
            "conv us/pkt",
            "fab CPU s/device-s",
            "conv CPU s/device-s",
        ],
        [
            (
                c.load,
                c.stations,
                c.period_ns / 1e6,
                c.duration_s / median(c.cpu("fabtwin")),
                c.duration_s / median(c.cpu("conventional")),
                median(paired_ratios(c.cpu("conventional"), c.cpu("fabtwin"))),
                f"{c.delivered('fabtwin')}/{c.sent('fabtwin')}",
                f"{c.delivered('conventional')}/{c.sent('conventional')}",
                c.per_delivered_us("fabtwin"),
                c.per_delivered_us("conventional"),
                c.per_device_s("fabtwin"),
                c.per_device_s("conventional"),
            )
            for c in cases
        ],
    )
    finish(result, args.out)
    return 0


if __name__ == "__main__":
    sys.exit(main())

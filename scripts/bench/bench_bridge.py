"""Bridge benchmark: lockstep round trips per second next to a raw pyzmq REQ/REP ping-pong.

For a cell of N stations (N + 1 nodes), each fabtwin round trip is one
``Ns3Process.advance`` with a ``PositionRecord`` per node and an empty network step; the
REPORT carries a ``LinkStatsRecord`` per node. Two step lengths are measured: 1 us of
simulated time and 0 ns (ADVANCE to the current time, which the protocol allows), the latter
isolating the bridge from ns-3's own events. The baseline is a raw pyzmq REQ/REP ping-pong
over ``ipc://`` in a private temporary directory, with a Python REP echo peer in a separate
process, sending and receiving multipart messages with exactly the same frame sizes.
Repetitions of the three alternate; the ratio is the median of per-repetition ratios.

Target (issue 2): fabtwin rate >= 0.5 x raw rate.

Run: ``.venv/bin/python scripts/bench/bench_bridge.py [--quick] [--stations 16 256]``
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import numpy as np
import zmq
from _common import (
    BenchResult,
    Ratio,
    alternate,
    finish,
    make_parser,
    median,
    paired_ratios,
    print_table,
    star_cell,
)

from twin.bridge import protocol as P
from twin.bridge.errors import BridgeError
from twin.bridge.messages import header, parse_header, parse_report
from twin.bridge.ns3_process import Ns3Process
from twin.config import CellConfig

NAME = "bench_bridge"
TARGET = 0.5
SEED = 1


# ------------------------------------------------------------------------------------ raw baseline
def echo_peer(endpoint: str, reply_sizes: Sequence[int]) -> None:
    """The raw baseline's REP side: answers every request with frames of ``reply_sizes`` bytes.

    Runs in its own process (``bench_bridge.py --echo-peer ENDPOINT --reply-sizes ...``)
    until it receives a request whose first frame is empty.
    """
    ctx = zmq.Context()
    sock = ctx.socket(zmq.REP)
    sock.connect(endpoint)
    reply = [bytes(n) for n in reply_sizes]
    while True:
        frames = sock.recv_multipart()
        sock.send_multipart(reply)
        if not frames[0]:
            break
    sock.close(linger=0)
    ctx.term()


class RawPingPong:
    """A raw pyzmq REQ socket bound in a private directory, and its echo peer process.

    Args:
        request_sizes: Byte counts of the request's frames.
        reply_sizes: Byte counts of the reply's frames.
    """

    def __init__(self, request_sizes: Sequence[int], reply_sizes: Sequence[int]) -> None:
        self._dir = tempfile.mkdtemp(prefix="fabtwin-bench-")  # mode 0700
        endpoint = f"ipc://{self._dir}/raw"
        self._ctx = zmq.Context()
        self._sock = self._ctx.socket(zmq.REQ)
        self._sock.setsockopt(zmq.LINGER, 0)
        self._sock.setsockopt(zmq.RCVTIMEO, 30_000)
        self._sock.bind(endpoint)
        self._request = [bytes(n) for n in request_sizes]
        if self._request and not self._request[0]:
            raise ValueError("request frame 0 must not be empty (an empty one stops the peer)")
        self._peer = subprocess.Popen(
            [
                sys.executable,
                str(Path(__file__).resolve()),
                "--echo-peer",
                endpoint,
                "--reply-sizes",
                *map(str, reply_sizes),
            ]
        )
        self.round_trips(10)  # connected and warm

    def round_trips(self, n: int) -> float:
        """Performs ``n`` round trips; returns round trips per second."""
        sock, request = self._sock, self._request
        t0 = time.perf_counter()
        for _ in range(n):
            sock.send_multipart(request)
            sock.recv_multipart()
        return n / (time.perf_counter() - t0)

    def close(self) -> None:
        """Stops the peer and removes the private directory."""
        try:
            self._sock.send_multipart([b""])
            self._sock.recv_multipart()
        except zmq.ZMQError:
            pass
        try:
            self._peer.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self._peer.kill()
            self._peer.wait()
        self._sock.close(linger=0)
        self._ctx.term()
        shutil.rmtree(self._dir, ignore_errors=True)


# ------------------------------------------------------------------------------------ fabtwin side
def position_records(cell: CellConfig) -> np.ndarray:
    """One ``PositionRecord`` per node, at the node's configured position."""
    pos = np.zeros(len(cell.nodes), P.POSITION_DTYPE)
    pos["node"] = np.arange(len(cell.nodes), dtype=np.uint32)
    xyz = np.array([n.position_m for n in cell.nodes], dtype=np.float64)
    pos["x_m"], pos["y_m"], pos["z_m"] = xyz[:, 0], xyz[:, 1], xyz[:, 2]
    return pos


class LockstepRunner:
    """Empty lockstep steps on one running ``fabtwin-ns3``.

    Args:
        ns3: A started process.
        positions: The records every ADVANCE carries.
    """

    def __init__(self, ns3: Ns3Process, positions: np.ndarray) -> None:
        self.ns3 = ns3
        self.positions = positions
        self.now_ns = 0
        self.last_report = ns3.advance(0, positions)

    def batch(self, n: int, step_ns: int) -> Callable[[], float]:
        """A function running ``n`` ADVANCEs of ``step_ns`` each; it returns round trips/s."""

        def run() -> float:
            t0 = time.perf_counter()
            for _ in range(n):
                self.now_ns += step_ns
                self.last_report = self.ns3.advance(self.now_ns, self.positions)
            return n / (time.perf_counter() - t0)

        return run

    def frame_sizes(self) -> tuple[list[int], list[int]]:
        """Byte counts of the ADVANCE and REPORT frames (header, then record frames)."""
        r = self.last_report
        request = [P.HEADER_DTYPE.itemsize, self.positions.nbytes, 0, 0, 0]
        reply = [
            P.HEADER_DTYPE.itemsize,
            r.deliveries.nbytes,
            r.drops.nbytes,
            r.link_stats.nbytes,
            r.transmissions.nbytes,
        ]
        return request, reply


def codec_us(positions: np.ndarray, reply_sizes: Sequence[int], n: int) -> float:
    """Python-side encode + decode cost of one round trip with no transport (microseconds)."""
    n_nodes = len(positions)
    reply: list[bytes | memoryview] = [header(P.MsgType.REPORT, 0, (0, 0, n_nodes))]
    reply += [bytes(s) for s in reply_sizes[1:]]
    t0 = time.perf_counter()
    for _ in range(n):
        header(P.MsgType.ADVANCE, 1000, (n_nodes, 0, 0, 0))
        np.ascontiguousarray(positions).data  # noqa: B018 - as Ns3Process.advance does
        parse_report(reply, parse_header(reply[0]))
    return (time.perf_counter() - t0) / n * 1e6


# ------------------------------------------------------------------------------------ one case
def measure_case(
    n_stations: int, steps: int, reps: int, ns3_args: list[str], timeout_s: float
) -> dict[str, Any]:
    """Measures one cell size: fabtwin at 1 us and 0 ns steps, and the raw ping-pong.

    Returns:
        Per-case facts, rates per repetition and the median ratios.
    """
    cell = star_cell(n_stations)
    ns3 = Ns3Process(timeout_s=timeout_s, ns3_args=ns3_args)
    try:
        t0 = time.perf_counter()
        info = ns3.start(cell.to_ns3_json(SEED))
        start_s = time.perf_counter() - t0
        lockstep = LockstepRunner(ns3, position_records(cell))
        request_sizes, reply_sizes = lockstep.frame_sizes()
        raw = RawPingPong(request_sizes, reply_sizes)
        try:
            rates = alternate(
                reps,
                {
                    "fabtwin_1us": lockstep.batch(steps, 1_000),
                    "fabtwin_0ns": lockstep.batch(steps, 0),
                    "raw": lambda: raw.round_trips(steps),
                },
            )
        finally:
            raw.close()
        simulated_ns = lockstep.now_ns
    finally:
        ns3.close()
    return {
        "n_stations": n_stations,
        "n_nodes": len(cell.nodes),
        "request_frame_bytes": request_sizes,
        "reply_frame_bytes": reply_sizes,
        "start_s": start_s,
        "warmup_ns": info.get("warmup_ns"),
        "build_wall_ms": info.get("build_wall_ms"),
        "simulated_ns_in_1us_batches": simulated_ns,
        "rates_per_s": rates,
        "ratio_1us": paired_ratios(rates["fabtwin_1us"], rates["raw"]),
        "ratio_0ns": paired_ratios(rates["fabtwin_0ns"], rates["raw"]),
        "python_codec_us": codec_us(position_records(cell), reply_sizes, steps),
    }


# ------------------------------------------------------------------------------------ main
def parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    parser = make_parser(NAME, __doc__.split("\n")[0])
    parser.add_argument(
        "--stations", type=int, nargs="+", help="cell sizes; default 16 256 (quick: 16)"
    )
    parser.add_argument("--steps", type=int, help="round trips per batch; default 2000 (quick 300)")
    parser.add_argument("--reps", type=int, help="batches of each kind; default 7 (quick 3)")
    parser.add_argument(
        "--assoc-timeout-ms",
        type=float,
        default=50.0,
        help="ns3::StaWifiMac::AssocRequestTimeout during the run (shortens the association "
        "warm-up of large cells; empty steps do not depend on it); 0 keeps ns-3's 1 s default",
    )
    parser.add_argument(
        "--build-timeout-s", type=float, default=3600.0, help="limit on building one cell"
    )
    parser.add_argument("--echo-peer", help=argparse.SUPPRESS)
    parser.add_argument("--reply-sizes", type=int, nargs="*", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    args.stations = args.stations or ([16] if args.quick else [16, 256])
    args.steps = args.steps or (300 if args.quick else 2000)
    args.reps = args.reps or (3 if args.quick else 7)
    return args


def summarize(case: dict[str, Any]) -> list[Ratio]:
    """The case's headline ratios."""
    n = case["n_stations"]
    what = f"fabtwin / raw round trips per s, {n} stations ({case['n_nodes']} records each way)"
    return [
        Ratio(
            f"fabtwin_over_raw_{n}sta_1us",
            median(case["ratio_1us"]),
            TARGET,
            True,
            what + ", 1 us step",
        ),
        Ratio(
            f"fabtwin_over_raw_{n}sta_0ns",
            median(case["ratio_0ns"]),
            TARGET,
            True,
            what + ", 0 ns step",
        ),
    ]


def main(argv: Sequence[str] | None = None) -> int:
    args = parse_args(argv)
    if args.echo_peer:
        echo_peer(args.echo_peer, args.reply_sizes or [])
        return 0
    ns3_args = []
    if args.assoc_timeout_ms > 0:
        ns3_args.append(f"--ns3::StaWifiMac::AssocRequestTimeout={args.assoc_timeout_ms:g}ms")
    result = BenchResult(
        NAME,
        {
            "stations": args.stations,
            "steps_per_batch": args.steps,
            "reps": args.reps,
            "seed": SEED,
            "transport": "ipc",
            "ns3_args": ns3_args,
            "quick": args.quick,
        },
    )
    rows = []
    for n in args.stations:
        slow = " (the association warm-up of a large cell takes minutes)" if n > 64 else ""
        print(f"cell with {n} stations: building{slow} ...", flush=True)
        try:
            case = measure_case(n, args.steps, args.reps, ns3_args, args.build_timeout_s)
        except BridgeError as e:
            result.notes.append(f"{n} stations: not measured: {type(e).__name__}: {e}")
            result.results[f"{n}sta"] = {"error": f"{type(e).__name__}: {e}"}
            continue
        result.repetitions[f"{n}sta"] = case.pop("rates_per_s")
        result.results[f"{n}sta"] = case
        result.ratios += summarize(case)
        reps = result.repetitions[f"{n}sta"]
        rows.append(
            (
                n,
                case["start_s"],
                median(reps["fabtwin_1us"]),
                median(reps["fabtwin_0ns"]),
                median(reps["raw"]),
                case["python_codec_us"],
            )
        )
    print_table(
        ["stations", "build s", "fabtwin 1us /s", "fabtwin 0ns /s", "raw /s", "py codec us"], rows
    )
    finish(result, args.out)
    return 0 if result.ratios else 1


if __name__ == "__main__":
    sys.exit(main())

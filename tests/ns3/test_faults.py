"""Bad input and faults over the real bridge: clear errors on both sides, no hangs, no orphans."""

from __future__ import annotations

import json
import multiprocessing as mp
import os
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import numpy as np
import pytest

from tests.conftest import small_cell
from twin.bridge import messages
from twin.bridge import protocol as P
from twin.bridge.errors import BridgeTimeout, Ns3Crashed, Ns3Error, ProtocolError, ProtocolMismatch
from twin.bridge.ns3_process import Ns3Process
from twin.cosim import CoSimulation
from twin.traffic import PeriodicTraffic

pytestmark = pytest.mark.ns3
MS = 1_000_000


def _pid_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    # A zombie (exited, not reaped) is not alive for our purpose.
    try:
        with open(f"/proc/{pid}/stat") as fh:
            return fh.read().split(")")[-1].split()[0] != "Z"
    except FileNotFoundError:
        return False


def test_version_mismatch_is_reported_on_both_sides(tmp_path: Path, monkeypatch) -> None:
    proc = Ns3Process(run_dir=tmp_path)
    real_header = messages.header

    def wrong_version(*args, **kwargs):  # the twin speaks a future version
        raw = np.frombuffer(real_header(*args, **kwargs), P.HEADER_DTYPE).copy()
        raw["version"] = P.PROTOCOL_VERSION + 1
        return raw.tobytes()

    monkeypatch.setattr("twin.bridge.ns3_process.header", wrong_version)
    t0 = time.monotonic()
    with pytest.raises(ProtocolMismatch, match="version mismatch"):
        proc.start(small_cell(1).to_ns3_json(1))
    assert time.monotonic() - t0 < 10
    proc.close()
    log = (tmp_path / "ns3.stderr.log").read_text()
    assert f"fabtwin-ns3 speaks version {P.PROTOCOL_VERSION}" in log
    assert f"the twin sent version {P.PROTOCOL_VERSION + 1}" in log


def test_malformed_messages_get_errors_and_ns3_keeps_serving(tmp_path: Path) -> None:
    proc = Ns3Process(run_dir=tmp_path)
    proc.start(small_cell(1).to_ns3_json(1))
    try:
        sock = proc._sock
        sock.send_multipart([b"junk"])  # not a header at all
        reply = sock.recv_multipart()
        assert messages.parse_header(reply[0])["type"] == P.MsgType.ERROR
        assert b"frame 0 has 4 bytes" in reply[1]
        # An ADVANCE whose frame size does not match its announced record count.
        with pytest.raises(ProtocolError, match="TxRequestRecord frame has 24 bytes"):
            proc._request(
                [
                    messages.header(P.MsgType.ADVANCE, MS, (0, 2, 0, 0)),
                    b"",
                    np.zeros(1, P.TX_REQUEST_DTYPE).tobytes(),
                    b"",
                    b"",
                ],
                expect=P.MsgType.REPORT,
            )
        # A well-formed request the scenario refuses: a send time in the past.
        proc.advance(2 * MS)
        bad = np.zeros(1, P.TX_REQUEST_DTYPE)
        bad["send_time_ns"], bad["size_bytes"] = MS, 100
        with pytest.raises(Ns3Error, match="outside the step"):
            proc.advance(3 * MS, tx=bad)
        # Features the cell was not built with are refused by name.
        mu = np.zeros(1, P.MU_SCHEDULE_DTYPE)
        mu["node"], mu["ru_tones"] = 1, 26
        with pytest.raises(Ns3Error, match="MU schedule records: this cell has no OFDMA"):
            proc.advance(3 * MS, mu_schedule=mu)
        # ... and it still serves.
        assert proc.advance(3 * MS).now_ns == 3 * MS
    finally:
        proc.close()
    assert "protocol error" in (tmp_path / "ns3.stderr.log").read_text()


def test_invalid_description_reaching_ns3_names_the_field(tmp_path: Path) -> None:
    doc = json.loads(small_cell(1).to_ns3_json(1))
    doc["flows"][0]["dst"] = 9
    with Ns3Process(run_dir=tmp_path) as proc, pytest.raises(Ns3Error, match=r"flows\[0\].dst"):
        proc.start(json.dumps(doc))


def test_killed_ns3_raises_with_stderr_tail_and_reset_recovers(tmp_path: Path) -> None:
    cell = small_cell(2)
    sim = CoSimulation(cell, seed=1, run_dir=tmp_path)
    sim.reset()
    try:
        sim.step(0.002)
        first_pid = sim.ns3.pid
        sim.ns3.kill(signal.SIGKILL)
        t0 = time.monotonic()
        with pytest.raises(Ns3Crashed) as err:
            sim.step(0.004)
        assert time.monotonic() - t0 < 5
        assert err.value.returncode == -signal.SIGKILL
        assert "tail of ns-3 stderr" in str(err.value)
        sim.reset()  # relaunches
        assert sim.ns3.launches == 2 and sim.ns3.pid != first_pid
        sim.send("sta1.up")
        assert len(sim.step(0.002).report.deliveries) == 1
    finally:
        sim.close()
    assert not _pid_alive(first_pid)


def test_a_hung_ns3_times_out_and_is_killed(tmp_path: Path) -> None:
    proc = Ns3Process(run_dir=tmp_path, timeout_s=1.0)
    proc.start(small_cell(1).to_ns3_json(1))
    pid = proc.pid
    assert pid is not None
    os.kill(pid, signal.SIGSTOP)
    t0 = time.monotonic()
    with pytest.raises(BridgeTimeout, match="did not answer within 1 s"):
        proc.advance(MS)
    assert time.monotonic() - t0 < 3
    proc.close()
    proc.close()  # idempotent
    time.sleep(0.2)
    assert not _pid_alive(pid)


def _episode(seed: int) -> np.ndarray:
    cell = small_cell(2, period_s=0.001)
    with CoSimulation(cell, seed=seed) as sim:
        tr = PeriodicTraffic(cell)
        for k in range(1, 31):
            sim.send_many(*tr.window(k * MS))
            sim.step_ns(k * MS)
        sim.step_ns(50 * MS)
        return sim.ledger.rx_ns[: len(sim.ledger)].copy()


def test_eight_cosimulations_in_one_process_do_not_collide() -> None:
    cell = small_cell(2, period_s=0.001)
    seeds = list(range(1, 9))
    sims = [CoSimulation(cell, seed=s) for s in seeds]
    try:
        for s in sims:
            s.reset()
        assert len({s.ns3.pid for s in sims}) == 8
        tr = [PeriodicTraffic(cell) for _ in sims]
        for k in range(1, 31):  # interleaved steps
            for sim, t in zip(sims, tr, strict=False):
                sim.send_many(*t.window(k * MS))
                sim.step_ns(k * MS)
        for sim in sims:
            sim.step_ns(50 * MS)
        together = [s.ledger.rx_ns[: len(s.ledger)].copy() for s in sims]
    finally:
        for s in sims:
            s.close()
    for seed, rx in zip(seeds[:3], together[:3], strict=False):
        np.testing.assert_array_equal(rx, _episode(seed))  # same as alone
    assert not np.array_equal(together[0], together[1])


def test_eight_cosimulations_in_eight_processes() -> None:
    ctx = mp.get_context("spawn")
    with ctx.Pool(8) as pool:
        results = pool.map(_episode, [1, 1, 2, 2, 3, 3, 4, 4])
    for a, b in zip(results[::2], results[1::2], strict=False):
        np.testing.assert_array_equal(a, b)
    assert not np.array_equal(results[0], results[2])


def test_no_orphan_when_the_python_parent_is_sigkilled(tmp_path: Path) -> None:
    script = textwrap.dedent(
        """
        import sys, time
        from tests.conftest import small_cell
        from twin.cosim import CoSimulation
        sim = CoSimulation(small_cell(1), seed=1)
        sim.reset()
        print(sim.ns3.pid, flush=True)
        time.sleep(600)
        """
    )
    parent = subprocess.Popen(
        [sys.executable, "-c", script],
        stdout=subprocess.PIPE,
        text=True,
        cwd=Path(__file__).resolve().parents[2],
    )
    try:
        line = parent.stdout.readline() if parent.stdout else ""
        child = int(line)
        assert _pid_alive(child)
        parent.send_signal(signal.SIGKILL)
        parent.wait(timeout=10)
        deadline = time.monotonic() + 5
        while _pid_alive(child) and time.monotonic() < deadline:
            time.sleep(0.05)
        assert not _pid_alive(child), "ns-3 outlived its SIGKILLed parent"
    finally:
        if parent.poll() is None:
            parent.kill()

"""The Python end of the lockstep bridge: owns one ``fabtwin-ns3`` child process.

The child is started without a shell, in an explicit run directory, and connects to an
endpoint that this side binds: ``ipc://`` in a private (0700) temporary directory, or
``tcp://127.0.0.1`` on a free port. Every send and receive has a timeout and watches the
child, so a crash surfaces at once as :class:`Ns3Crashed` with the tail of ns-3's stderr. The
child dies with this process (``PR_SET_PDEATHSIG``; Linux sends it when the *thread* that
started the child exits, so start it from a long-lived thread such as the main one).
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import tempfile
import time
import weakref
from collections.abc import Sequence
from pathlib import Path
from typing import Any, Literal

import numpy as np
import zmq

from twin.bridge import protocol as P
from twin.bridge.binary import find_ns3_binary
from twin.bridge.errors import (
    BridgeError,
    BridgeTimeout,
    Ns3Crashed,
    Ns3Error,
    ProtocolError,
    ProtocolMismatch,
)
from twin.bridge.messages import Report, header, parse_header, parse_report

_STDERR_FILE = "ns3.stderr.log"
_POLL_MS = 50
_EMPTY_POSITIONS = np.zeros(0, dtype=P.POSITION_DTYPE)
_EMPTY_TX = np.zeros(0, dtype=P.TX_REQUEST_DTYPE)
_EMPTY_MU = np.zeros(0, dtype=P.MU_SCHEDULE_DTYPE)
_EMPTY_GATES = np.zeros(0, dtype=P.GATE_WINDOW_DTYPE)

_contexts: dict[int, zmq.Context] = {}


def _context() -> zmq.Context:
    """One ZeroMQ context per OS process (contexts must not cross a fork)."""
    pid = os.getpid()
    if pid not in _contexts:
        _contexts[pid] = zmq.Context()
    return _contexts[pid]


def _tail(path: Path, lines: int = 30) -> str:
    try:
        text = path.read_text(errors="replace")
    except OSError:
        return "(no stderr captured)"
    return "\n".join(text.splitlines()[-lines:]) or "(stderr was empty)"


def _terminate(proc: subprocess.Popen[bytes] | None, sock: Any, private_dir: str | None) -> None:
    """Kills the child and removes the private directory (also used as the GC finalizer)."""
    if sock is not None:
        sock.close(linger=0)
    if proc is not None and proc.poll() is None:
        proc.kill()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:  # pragma: no cover - a kill that does not land
            pass
    if private_dir:
        shutil.rmtree(private_dir, ignore_errors=True)


class Ns3Process:
    """One ns-3 co-simulation process and the request/reply channel to it.

    Args:
        run_dir: Working directory of the child; its stderr goes to ``run_dir/ns3.stderr.log``.
            ``None`` uses the private temporary directory.
        transport: ``"ipc"`` (default, a Unix socket in a 0700 directory) or ``"tcp"``
            (127.0.0.1 only, a free port).
        timeout_s: Limit on every send and receive, including building the cell.
        binary: The executable; default :func:`~twin.bridge.binary.find_ns3_binary`.
        ns3_args: Extra command-line arguments, e.g. ``["--ns3::WifiMacQueue::MaxSize=100p"]``.
    """

    def __init__(
        self,
        *,
        run_dir: Path | None = None,
        transport: Literal["ipc", "tcp"] = "ipc",
        timeout_s: float = 120.0,
        binary: Path | None = None,
        ns3_args: Sequence[str] = (),
    ) -> None:
        if transport not in ("ipc", "tcp"):
            raise ValueError(f"transport: '{transport}' is not allowed; allowed: ipc, tcp")
        if not timeout_s > 0:
            raise ValueError(f"timeout_s: must be > 0 (got {timeout_s})")
        self.transport = transport
        self.timeout_s = float(timeout_s)
        self.binary = Path(binary or find_ns3_binary()).resolve()
        self.ns3_args = list(ns3_args)
        self._run_dir = run_dir
        self._proc: subprocess.Popen[bytes] | None = None
        self._sock: Any = None
        self._private_dir: str | None = None
        self._finalizer: weakref.finalize | None = None
        self._cell_json: str | None = None
        self.launches = 0
        self.info: dict[str, Any] = {}

    # ----------------------------------------------------------------------------- lifecycle
    @property
    def pid(self) -> int | None:
        """The child's pid while it runs."""
        return self._proc.pid if self._proc is not None and self._proc.poll() is None else None

    @property
    def alive(self) -> bool:
        """Whether the child is running."""
        return self._proc is not None and self._proc.poll() is None

    @property
    def stderr_path(self) -> Path:
        """Where the child's stderr is written."""
        assert self._private_dir is not None or self._run_dir is not None
        return Path(self._run_dir or self._private_dir or ".") / _STDERR_FILE

    def start(self, cell_json: str) -> dict[str, Any]:
        """Launches ns-3 and builds the cell described by ``cell_json``.

        Returns:
            The READY facts (node MAC addresses, warm-up time, versions).
        """
        self.close()
        self._private_dir = tempfile.mkdtemp(prefix="fabtwin-")  # mode 0700
        sock = _context().socket(zmq.REQ)
        sock.setsockopt(zmq.LINGER, 0)
        if self.transport == "ipc":
            endpoint = f"ipc://{self._private_dir}/bridge"
            sock.bind(endpoint)
        else:
            sock.bind("tcp://127.0.0.1:*")
            endpoint = sock.getsockopt_string(zmq.LAST_ENDPOINT)
        self._sock = sock
        run_dir = Path(self._run_dir or self._private_dir)
        run_dir.mkdir(parents=True, exist_ok=True)
        argv = [
            str(self.binary),
            f"--endpoint={endpoint}",
            f"--parent-pid={os.getpid()}",
            *self.ns3_args,
        ]
        with open(run_dir / _STDERR_FILE, "ab") as err:
            self._proc = subprocess.Popen(  # noqa: S603 - fixed argv, no shell
                argv,
                cwd=run_dir,
                stdin=subprocess.DEVNULL,
                stdout=err,
                stderr=err,
                close_fds=True,
            )
        self.launches += 1
        self._finalizer = weakref.finalize(
            self, _terminate, self._proc, self._sock, self._private_dir
        )
        return self._build(P.MsgType.HELLO, cell_json)

    def reset(self, cell_json: str) -> dict[str, Any]:
        """Rebuilds the topology for a new episode.

        Inside the running process when it is healthy (``Simulator::Destroy`` and a new cell);
        relaunches ns-3 only when it is gone or broken.
        """
        if self.alive and self._sock is not None:
            return self._build(P.MsgType.RESET, cell_json)
        return self.start(cell_json)

    def close(self) -> None:
        """Asks ns-3 to exit, then makes sure it has. Safe to call any number of times."""
        if self._proc is not None and self._proc.poll() is None and self._sock is not None:
            try:
                self._sock.send_multipart([header(P.MsgType.CLOSE)], flags=zmq.NOBLOCK)
                if self._sock.poll(2000):
                    self._sock.recv_multipart()
                self._proc.wait(timeout=5)
            except (zmq.ZMQError, subprocess.TimeoutExpired):
                pass
        if self._finalizer is not None:
            self._finalizer()  # kills if still running, closes the socket, removes the dir
            self._finalizer = None
        self._proc = None
        self._sock = None
        self._private_dir = None

    def kill(self, sig: int = signal.SIGKILL) -> None:
        """Sends a signal to the child (fault-injection in tests)."""
        if self._proc is not None and self._proc.poll() is None:
            self._proc.send_signal(sig)

    def __enter__(self) -> Ns3Process:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # ----------------------------------------------------------------------------- requests
    def advance(
        self,
        until_ns: int,
        positions: np.ndarray | None = None,
        tx: np.ndarray | None = None,
        mu_schedule: np.ndarray | None = None,
        gate_windows: np.ndarray | None = None,
    ) -> Report:
        """Runs ns-3 until ``until_ns`` (twin time).

        Args:
            until_ns: End of the step.
            positions: ``POSITION_DTYPE`` records for nodes that moved.
            tx: ``TX_REQUEST_DTYPE`` records, send times within ``[now, until_ns]``.
            mu_schedule: ``MU_SCHEDULE_DTYPE`` records: the external OFDMA schedule from now on.
            gate_windows: ``GATE_WINDOW_DTYPE`` records: new 802.1Qbv windows per node.

        Returns:
            The step's deliveries, drops and per-node link statistics.
        """
        pos = _EMPTY_POSITIONS if positions is None else positions
        txs = _EMPTY_TX if tx is None else tx
        mu = _EMPTY_MU if mu_schedule is None else mu_schedule
        gates = _EMPTY_GATES if gate_windows is None else gate_windows
        if (
            pos.dtype != P.POSITION_DTYPE
            or txs.dtype != P.TX_REQUEST_DTYPE
            or mu.dtype != P.MU_SCHEDULE_DTYPE
            or gates.dtype != P.GATE_WINDOW_DTYPE
        ):
            raise TypeError(
                "positions/tx/mu_schedule/gate_windows must use POSITION_DTYPE / "
                "TX_REQUEST_DTYPE / MU_SCHEDULE_DTYPE / GATE_WINDOW_DTYPE"
            )
        frames = [
            header(P.MsgType.ADVANCE, until_ns, (len(pos), len(txs), len(mu), len(gates))),
            np.ascontiguousarray(pos).data,
            np.ascontiguousarray(txs).data,
            np.ascontiguousarray(mu).data,
            np.ascontiguousarray(gates).data,
        ]
        reply, h = self._request(frames, expect=P.MsgType.REPORT)
        return parse_report(reply, h)

    def _build(self, msg_type: P.MsgType, cell_json: str) -> dict[str, Any]:
        reply, _ = self._request([header(msg_type), cell_json.encode()], expect=P.MsgType.READY)
        info: dict[str, Any] = json.loads(bytes(reply[1]).decode())
        if int(info.get("protocol_version", -1)) != P.PROTOCOL_VERSION:
            raise ProtocolMismatch(
                f"fabtwin-ns3 reports protocol version {info.get('protocol_version')}, the twin "
                f"speaks {P.PROTOCOL_VERSION}; rebuild with ./setup.sh"
            )
        self._cell_json = cell_json
        self.info = info
        return info

    def _request(
        self, frames: list[Any], expect: P.MsgType
    ) -> tuple[list[bytes | memoryview], np.void]:
        """Sends one request and waits for its reply, watching the child all along."""
        if self._sock is None or self._proc is None:
            raise BridgeError("ns-3 is not running; call start() or reset() first")
        deadline = time.monotonic() + self.timeout_s
        while not self._sock.poll(_POLL_MS, zmq.POLLOUT):
            self._check_alive_or_timeout(deadline, "sending")
        self._sock.send_multipart(frames, copy=False)
        while not self._sock.poll(_POLL_MS, zmq.POLLIN):
            self._check_alive_or_timeout(deadline, "waiting for the reply")
        reply: list[bytes | memoryview] = self._sock.recv_multipart()
        h = parse_header(reply[0])
        got = P.MsgType(int(h["type"])) if int(h["type"]) in P.MsgType._value2member_map_ else None
        if got is P.MsgType.ERROR:
            text = bytes(reply[1]).decode(errors="replace") if len(reply) > 1 else ""
            if "protocol version mismatch" in text:
                raise ProtocolMismatch(text)
            if text.startswith("protocol error"):
                raise ProtocolError(text)
            raise Ns3Error(text)
        if got is not expect:
            raise ProtocolError(
                f"expected a {expect.name} reply, got message type {int(h['type'])}"
            )
        return reply, h

    def _check_alive_or_timeout(self, deadline: float, doing: str) -> None:
        assert self._proc is not None
        code = self._proc.poll()
        if code is not None:
            tail = _tail(self.stderr_path)
            self._abandon()
            raise Ns3Crashed(f"ns-3 exited with status {code} while {doing}", code, tail)
        if time.monotonic() > deadline:
            tail = _tail(self.stderr_path)
            self._abandon()
            raise BridgeTimeout(
                f"ns-3 did not answer within {self.timeout_s:g} s while {doing}; it was killed "
                f"(raise bridge.timeout_s for larger cells)\n--- tail of ns-3 stderr ---\n{tail}"
            )

    def _abandon(self) -> None:
        """After a crash or timeout the REQ socket is unusable: drop the process and socket."""
        if self._finalizer is not None:
            self._finalizer()
            self._finalizer = None
        self._sock = None

"""Typed errors of the bridge. Every failure of the ns-3 side surfaces as one of these."""

from __future__ import annotations


class BridgeError(RuntimeError):
    """Base class of every bridge failure."""


class BridgeTimeout(BridgeError):
    """ns-3 did not answer within the receive timeout (it is killed; reset relaunches it)."""


class Ns3Crashed(BridgeError):
    """The ns-3 process exited; carries its exit status and the tail of its stderr.

    Attributes:
        returncode: The exit status (negative: killed by that signal).
        stderr_tail: The last lines ns-3 wrote to stderr.
    """

    def __init__(self, message: str, returncode: int | None, stderr_tail: str) -> None:
        super().__init__(f"{message}\n--- tail of ns-3 stderr ---\n{stderr_tail}")
        self.returncode = returncode
        self.stderr_tail = stderr_tail


class ProtocolMismatch(BridgeError):
    """The two sides speak different protocol versions."""


class ProtocolError(BridgeError):
    """A message was malformed (bad magic, frame count or record size)."""


class Ns3Error(BridgeError):
    """ns-3 understood the request but refused it (its ERROR reply carries the reason)."""


#: Failures that end one co-simulation run but leave the next one possible (a crash, a hang,
#: a refused cell); studies record them per run and go on. Protocol errors are not among them:
#: they would fail every run.
RUN_FAILURES: tuple[type[BridgeError], ...] = (Ns3Crashed, BridgeTimeout, Ns3Error)

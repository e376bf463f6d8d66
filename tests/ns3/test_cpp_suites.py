"""Runs every fabtwin-* ns-3 TestSuite of fabtwin-ns3-tests, one pytest test per suite."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

from twin.bridge.binary import find_ns3_binary


def _suites() -> list[str]:
    try:
        runner = find_ns3_binary().with_name("fabtwin-ns3-tests")
        out = subprocess.run(
            [str(runner), "--list"], capture_output=True, text=True, check=True, timeout=60
        ).stdout
    except Exception as e:  # noqa: BLE001 - surfaced as a failing test below
        return [f"<cannot list suites: {e}>"]
    return sorted(line.strip() for line in out.splitlines() if line.strip().startswith("fabtwin-"))


SUITES = _suites()


def test_there_are_fabtwin_suites() -> None:
    assert SUITES and not SUITES[0].startswith("<"), SUITES


@pytest.mark.ns3
@pytest.mark.parametrize("suite", SUITES)
def test_cpp_suite(suite: str, ns3_tests_binary: Path) -> None:
    proc = subprocess.run(
        [str(ns3_tests_binary), f"--suite={suite}", "--verbose"],
        capture_output=True,
        text=True,
        timeout=900,
    )
    assert proc.returncode == 0, proc.stdout[-4000:] + proc.stderr[-4000:]
    assert f"PASS {suite}" in proc.stdout, proc.stdout[-2000:]

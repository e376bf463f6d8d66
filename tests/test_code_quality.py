"""The code is ruff-clean, ruff-formatted, mypy-clean and clang-formatted (run with the tests)."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
PY_PATHS = ["twin", "robots", "agents", "tests", "scripts"]


def _run(*cmd: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(cmd, cwd=ROOT, capture_output=True, text=True, timeout=600)


def test_ruff_lint() -> None:
    proc = _run(sys.executable, "-m", "ruff", "check", *PY_PATHS)
    assert proc.returncode == 0, proc.stdout[-4000:]


def test_ruff_format() -> None:
    proc = _run(sys.executable, "-m", "ruff", "format", "--check", *PY_PATHS)
    assert proc.returncode == 0, proc.stdout[-4000:]


def test_mypy() -> None:
    proc = _run(sys.executable, "-m", "mypy")
    assert proc.returncode == 0, proc.stdout[-4000:]


@pytest.mark.skipif(shutil.which("clang-format") is None, reason="clang-format not installed")
def test_clang_format() -> None:
    files = sorted(str(p.relative_to(ROOT)) for p in (ROOT / "ns3-scenarios").rglob("*.[ch]*"))
    files = [f for f in files if f.endswith((".cc", ".h"))]
    proc = _run("clang-format", "--dry-run", "--Werror", *files)
    assert proc.returncode == 0, proc.stderr[-4000:]

"""A build tree newer than the installed fabtwin-ns3 is reported (no ns-3 run)."""

from __future__ import annotations

import os
import warnings
from pathlib import Path

import pytest

from twin.bridge.binary import warn_if_build_is_newer


def _exe(path: Path, mtime: float) -> Path:
    path.write_bytes(b"")
    os.utime(path, (mtime, mtime))
    return path


def test_a_newer_build_is_reported_with_the_two_ways_out(tmp_path: Path) -> None:
    installed = _exe(tmp_path / "installed", 1000.0)
    built = _exe(tmp_path / "built", 2000.0)
    with pytest.warns(UserWarning, match="newer than the installed") as rec:
        warn_if_build_is_newer(installed, [built])
    assert "pip install --no-build-isolation -e ." in str(rec[0].message)
    assert f"FABTWIN_NS3_BINARY={built}" in str(rec[0].message)


def test_an_older_or_missing_build_is_silent(tmp_path: Path) -> None:
    installed = _exe(tmp_path / "installed", 2000.0)
    built = _exe(tmp_path / "built", 1500.0)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        warn_if_build_is_newer(installed, [built])
        warn_if_build_is_newer(installed, [])

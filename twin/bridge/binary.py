"""Finds the ``fabtwin-ns3`` executable with no environment variable set by the user."""

from __future__ import annotations

import os
import warnings
from importlib import metadata
from pathlib import Path

from twin.bridge.errors import BridgeError

BINARY_NAME = "fabtwin-ns3"
_REPO_ROOT = Path(__file__).resolve().parents[2]


def find_ns3_binary() -> Path:
    """Returns the path of the scenario executable.

    Looks, in order, at ``$FABTWIN_NS3_BINARY`` (for developers), the copy installed with the
    ``fabtwin`` distribution (``pip install .`` or editable), then a developer build tree
    (``build/*/ns3-scenarios``), newest first.

    Raises:
        BridgeError: If no executable is found, with the command that builds it.
    """
    override = os.environ.get("FABTWIN_NS3_BINARY")
    if override:
        path = Path(override).resolve()
        if not (path.is_file() and os.access(path, os.X_OK)):
            raise BridgeError(f"FABTWIN_NS3_BINARY={override} is not an executable file")
        return path
    installed: list[Path] = []
    try:
        for f in metadata.distribution("fabtwin").files or []:
            if f.name == BINARY_NAME:
                installed.append(Path(str(f.locate())))
    except metadata.PackageNotFoundError:
        pass
    built = sorted(
        _REPO_ROOT.glob(f"build/*/ns3-scenarios/{BINARY_NAME}"),
        key=lambda p: p.stat().st_mtime,
        reverse=True,
    )
    for path in installed + built:
        if path.is_file() and os.access(path, os.X_OK):
            if path in installed:
                warn_if_build_is_newer(path, built)
            return path
    raise BridgeError(
        f"{BINARY_NAME} was not found; build it with ./setup.sh (or "
        "`pip install --no-build-isolation -e .` inside the project's virtual environment)"
    )


def warn_if_build_is_newer(installed: Path, built: list[Path]) -> None:
    """Warns when a build tree holds a newer ``fabtwin-ns3`` than the installed copy that runs.

    After ``cmake --build`` without a reinstall the installed copy is stale, and results would
    silently come from the old C++ code.
    """
    if not built:
        return
    newest = built[0]
    if newest.stat().st_mtime > installed.stat().st_mtime + 1.0:
        warnings.warn(
            f"{newest} is newer than the installed {installed}, which is the one that runs; "
            "reinstall (`.venv/bin/python -m pip install --no-build-isolation -e .`) or set "
            f"FABTWIN_NS3_BINARY={newest}",
            stacklevel=3,
        )

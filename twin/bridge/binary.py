"""Finds the ``fabtwin-ns3`` executable with no environment variable set by the user."""

from __future__ import annotations

import os
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
    candidates: list[Path] = []
    try:
        for f in metadata.distribution("fabtwin").files or []:
            if f.name == BINARY_NAME:
                candidates.append(Path(str(f.locate())))
    except metadata.PackageNotFoundError:
        pass
    candidates += sorted(
        _REPO_ROOT.glob(f"build/*/ns3-scenarios/{BINARY_NAME}"),
        key=lambda p: p.stat().st_mtime,
        reverse=True,
    )
    for path in candidates:
        if path.is_file() and os.access(path, os.X_OK):
            return path
    raise BridgeError(
        f"{BINARY_NAME} was not found; build it with ./setup.sh (or "
        "`pip install --no-build-isolation -e .` inside the project's virtual environment)"
    )

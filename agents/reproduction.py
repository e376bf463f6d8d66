"""What every reproduction script shares: its command line, its study config, its report's tail.

A reproduction (``scripts/reproduce_*.py``) takes ``--quick`` (default) or ``--full``, any number
of ``--set field=value`` overrides of its study dataclass (YAML values) and ``--out``; its
report ends with the plots and the command that regenerates it.
"""

from __future__ import annotations

import argparse
import dataclasses
import shlex
import sys
from pathlib import Path
from typing import Any, TypeVar

import yaml

from twin.configio import build

T = TypeVar("T")


def parse_args(
    doc: str | None, argv: list[str] | None, default_out: str, full_help: str
) -> tuple[argparse.Namespace, str, str]:
    """Parses a reproduction's command line.

    Returns:
        The arguments, the mode (``quick`` or ``full``) and the command as a shell line.
    """
    parser = argparse.ArgumentParser(
        description=doc, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    mode = parser.add_mutually_exclusive_group()
    mode.add_argument("--quick", action="store_true", help="minutes (default)")
    mode.add_argument("--full", action="store_true", help=full_help)
    parser.add_argument("--set", action="append", default=[], help="field=value (repeatable)")
    parser.add_argument("--out", type=Path, default=Path(default_out))
    args = parser.parse_args(argv)
    command = shlex.join([sys.executable, *sys.argv]) if argv is None else shlex.join(argv)
    return args, "full" if args.full else "quick", command


def study_config(cls: type[T], mode_data: dict[str, Any], overrides: list[str], path: str) -> T:
    """``cls``'s defaults, then ``mode_data``, then ``key=value`` overrides, validated.

    :func:`twin.configio.build` runs the class's ``check``.
    """
    data: dict[str, Any] = dataclasses.asdict(cls())  # type: ignore[call-overload]
    data.update(mode_data)
    for item in overrides:
        key, sep, value = item.partition("=")
        if not sep or key not in data:
            raise SystemExit(
                f"--set {item!r}: expected field=value with field one of {', '.join(data)}"
            )
        data[key] = yaml.safe_load(value)
    cfg: T = build(cls, data, path)
    return cfg


def report_tail(pngs: list[str], command: str, files: str) -> list[str]:
    """The report's last sections: the plots, the command that regenerates it, its files."""
    return [
        "## Plots",
        "",
        *[f"![{p}]({p})" for p in pngs],
        "",
        "## Reproduce",
        "",
        "```bash",
        command,
        "```",
        "",
        f"Files: {files}",
        "",
    ]

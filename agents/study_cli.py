"""The command line every reproduction script shares: modes, ``--set`` overrides, the run dir.

A study is a frozen dataclass with ``check(path)``; a script gives its quick and full presets.
"""

from __future__ import annotations

import argparse
import dataclasses
import shlex
import sys
from pathlib import Path
from typing import Any, TypeVar

import yaml

from twin.config import ConfigError
from twin.configio import build, to_plain
from twin.results import make_run_dir, write_run_files, write_summary

S = TypeVar("S")


def study_config(cls: type[S], preset: dict[str, Any], overrides: list[str], path: str) -> S:
    """``cls``'s defaults, then ``preset``, then ``field=value`` overrides (YAML values), checked.

    Raises:
        SystemExit: An override names no field of ``cls``, or a value is out of range (the
            message names the field and the allowed range).
    """
    data: dict[str, Any] = dataclasses.asdict(cls())  # type: ignore[call-overload]
    data.update(preset)
    for item in overrides:
        key, sep, value = item.partition("=")
        if not sep or key not in data:
            raise SystemExit(
                f"--set {item!r}: expected field=value with field one of {', '.join(data)}"
            )
        data[key] = yaml.safe_load(value)
    try:
        cfg: S = build(cls, data, path)
        cfg.check(path)  # type: ignore[attr-defined]
    except ConfigError as e:
        raise SystemExit(f"error: {e}") from e
    return cfg


@dataclasses.dataclass(frozen=True)
class StudyRun:
    """A parsed command line: the mode, the checked study, its run directory and plain config."""

    mode: str
    config: Any
    run_dir: Path
    plain: dict[str, Any]
    command: str


def start_study(
    doc: str | None,
    argv: list[str] | None,
    cls: type,
    presets: dict[str, dict[str, Any]],
    default_out: str,
    path: str,
    seed_of: Any,
) -> StudyRun:
    """Parses ``--quick|--full``, ``--set`` and ``--out``; creates the run directory.

    Args:
        doc: The script's docstring (its ``--help``).
        argv: Arguments (None: ``sys.argv``).
        cls: The study dataclass.
        presets: ``{"quick": {...}, "full": {...}}`` field values per mode.
        default_out: Default output directory.
        path: Config path prefix in error messages.
        seed_of: Maps the study to the seed named in the run directory.
    """
    parser = argparse.ArgumentParser(
        description=doc, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    mode = parser.add_mutually_exclusive_group()
    mode.add_argument("--quick", action="store_true", help="minutes (default)")
    mode.add_argument("--full", action="store_true", help="the full run (see the docstring)")
    parser.add_argument("--set", action="append", default=[], help="field=value (repeatable)")
    parser.add_argument("--out", type=Path, default=Path(default_out))
    args = parser.parse_args(argv)
    mode_name = "full" if args.full else "quick"
    cfg: Any = study_config(cls, presets[mode_name], args.set, path)
    command = shlex.join([sys.executable, *sys.argv]) if argv is None else shlex.join(argv)
    run_dir = make_run_dir(args.out, seed_of(cfg))
    plain = to_plain(cfg)
    write_run_files(run_dir, resolved_config=plain, argv=None if argv is None else argv)
    return StudyRun(mode_name, cfg, run_dir, plain, command)


def finish_study(run_dir: Path, report: Path, summary: dict[str, Any]) -> int:
    """Writes ``summary.json`` last (the run counts as finished), prints the report; exit code 0."""
    write_summary(run_dir, summary)
    print(report.read_text())
    print(f"wrote {run_dir}")
    return 0

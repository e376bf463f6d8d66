"""YAML experiment files and ``--set key=value`` overrides, merged and validated in one place.

An experiment file has up to three sections, ``cell``, ``run`` and ``bridge`` (see
:mod:`twin.config`). ``cell`` lists ``nodes`` and ``flows`` explicitly, or names a ``template``
(:mod:`twin.templates`) with its parameters. Overrides use dotted keys (list items by index) and
YAML values: ``--set run.seed=3 --set cell.wifi.mcs=5 --set cell.template.n_stations=20``.
"""

from __future__ import annotations

import copy
import dataclasses
import types
import typing
from pathlib import Path
from typing import Any

import yaml

from twin.config import BridgeConfig, CellConfig, ConfigError, ExperimentConfig, RunConfig
from twin.templates import TEMPLATES

DEFAULT_CONFIG = Path(__file__).parent / "configs" / "default.yaml"


def load_yaml(path: str | Path) -> dict[str, Any]:
    """Reads a YAML mapping, naming the file in any error."""
    p = Path(path)
    if not p.is_file():
        raise ConfigError(f"config file {p}: not found")
    try:
        data = yaml.safe_load(p.read_text()) or {}
    except yaml.YAMLError as e:
        raise ConfigError(f"config file {p}: not valid YAML: {e}") from e
    if not isinstance(data, dict):
        raise ConfigError(f"config file {p}: must be a mapping with cell/run/bridge sections")
    return data


def apply_overrides(data: dict[str, Any], overrides: list[str]) -> dict[str, Any]:
    """Returns a copy of ``data`` with each ``key.path=value`` applied (value parsed as YAML)."""
    out = copy.deepcopy(data)
    for item in overrides:
        if "=" not in item:
            raise ConfigError(f"--set {item!r}: expected key.path=value")
        key, raw = item.split("=", 1)
        try:
            value = yaml.safe_load(raw)
        except yaml.YAMLError as e:
            raise ConfigError(f"--set {key}: value {raw!r} is not valid YAML: {e}") from e
        parts = key.strip().split(".")
        node: Any = out
        for depth, part in enumerate(parts[:-1]):
            node = _child(node, part, ".".join(parts[: depth + 1]), create=True)
        last = parts[-1]
        if isinstance(node, list):
            node[_index(node, last, key)] = value
        else:
            node[last] = value
    return out


def _index(seq: list[Any], part: str, path: str) -> int:
    if not part.isdigit() or int(part) >= len(seq):
        raise ConfigError(f"--set {path}: index {part!r} is out of range 0..{len(seq) - 1}")
    return int(part)


def _child(node: Any, part: str, path: str, create: bool) -> Any:
    if isinstance(node, list):
        return node[_index(node, part, path)]
    if not isinstance(node, dict):
        raise ConfigError(f"--set {path}: {path.rsplit('.', 1)[0]} is not a mapping")
    if part not in node and create:
        node[part] = {}
    return node[part]


def build(cls: type[Any], data: Any, path: str) -> Any:
    """Builds dataclass ``cls`` from plain data, checking keys and types, naming ``path``."""
    if not isinstance(data, dict):
        raise ConfigError(f"{path}: must be a mapping (got {data!r})")
    fields = {f.name: f for f in dataclasses.fields(cls)}
    unknown = sorted(set(data) - set(fields))
    if unknown:
        raise ConfigError(
            f"{path}.{unknown[0]}: unknown key; known keys: {', '.join(sorted(fields))}"
        )
    hints = typing.get_type_hints(cls)
    kwargs = {name: _convert(hints[name], value, f"{path}.{name}") for name, value in data.items()}
    missing = [
        n
        for n, f in fields.items()
        if n not in kwargs
        and f.default is dataclasses.MISSING
        and f.default_factory is dataclasses.MISSING
    ]
    if missing:
        raise ConfigError(f"{path}.{missing[0]}: required")
    obj = cls(**kwargs)
    check = getattr(obj, "check", None)
    if check is not None and not hasattr(cls, "__post_init__"):
        check(path)
    return obj


def _convert(hint: Any, value: Any, path: str) -> Any:
    origin = typing.get_origin(hint)
    args = typing.get_args(hint)
    if origin in (typing.Union, types.UnionType):
        if value is None and type(None) in args:
            return None
        inner = [a for a in args if a is not type(None)]
        return _convert(inner[0], value, path)
    if dataclasses.is_dataclass(hint):
        return build(hint, value, path)  # type: ignore[arg-type]
    if origin is tuple:
        if not isinstance(value, (list, tuple)):
            raise ConfigError(f"{path}: must be a list (got {value!r})")
        if len(args) == 2 and args[1] is Ellipsis:
            return tuple(_convert(args[0], v, f"{path}[{i}]") for i, v in enumerate(value))
        if len(value) != len(args):
            raise ConfigError(f"{path}: must have {len(args)} items (got {value!r})")
        return tuple(
            _convert(a, v, f"{path}[{i}]")
            for i, (a, v) in enumerate(zip(args, value, strict=False))
        )
    if hint is float:
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            raise ConfigError(f"{path}: must be a number (got {value!r})")
        return float(value)
    if hint is int:
        if isinstance(value, bool) or not isinstance(value, int):
            raise ConfigError(f"{path}: must be an integer (got {value!r})")
        return value
    if hint is str:
        if not isinstance(value, str):
            raise ConfigError(f"{path}: must be a string (got {value!r})")
        return value
    if hint is bool:
        if not isinstance(value, bool):
            raise ConfigError(f"{path}: must be true or false (got {value!r})")
        return value
    return value


def expand_cell(cell: Any) -> dict[str, Any]:
    """Turns a ``cell`` section that names a template into explicit nodes and flows."""
    if not isinstance(cell, dict):
        raise ConfigError(f"cell: must be a mapping (got {cell!r})")
    if "template" not in cell:
        return cell
    spec = dict(cell["template"] or {})
    name = spec.pop("name", None)
    if name not in TEMPLATES:
        raise ConfigError(
            f"cell.template.name: {name!r} is not a template; allowed: {', '.join(TEMPLATES)}"
        )
    if "nodes" in cell or "flows" in cell:
        raise ConfigError("cell: give either template or nodes/flows, not both")
    expanded = TEMPLATES[name](spec, "cell.template")
    rest = {k: v for k, v in cell.items() if k != "template"}
    return {**expanded, **rest}


def experiment_from_dict(data: dict[str, Any]) -> ExperimentConfig:
    """Validates a merged experiment mapping into an :class:`ExperimentConfig`."""
    unknown = sorted(set(data) - {"cell", "run", "bridge"})
    if unknown:
        raise ConfigError(f"{unknown[0]}: unknown section; known: bridge, cell, run")
    if "cell" not in data:
        raise ConfigError("cell: required")
    return ExperimentConfig(
        cell=build(CellConfig, expand_cell(data["cell"]), "cell"),
        run=build(RunConfig, data.get("run") or {}, "run"),
        bridge=build(BridgeConfig, data.get("bridge") or {}, "bridge"),
    )


def load_experiment(
    path: str | Path | None = None, overrides: list[str] | None = None
) -> tuple[ExperimentConfig, dict[str, Any]]:
    """Loads a YAML experiment (default: the packaged default), applies overrides, validates.

    Returns:
        The validated configuration and the merged mapping it came from (saved with the run).
    """
    data = load_yaml(path or DEFAULT_CONFIG)
    merged = apply_overrides(data, overrides or [])
    return experiment_from_dict(merged), merged


def to_plain(obj: Any) -> Any:
    """A dataclass tree as plain YAML/JSON-serialisable data (the resolved config)."""
    if dataclasses.is_dataclass(obj) and not isinstance(obj, type):
        return {f.name: to_plain(getattr(obj, f.name)) for f in dataclasses.fields(obj)}
    if isinstance(obj, (list, tuple)):
        return [to_plain(v) for v in obj]
    return obj

"""YAML experiment files and ``--set key=value`` overrides, merged and validated in one place.

An experiment file has up to three sections, ``cell``, ``run`` and ``bridge`` (see
:mod:`twin.config`). ``cell`` lists ``nodes`` and ``flows`` explicitly, or names a ``template``
(:mod:`twin.templates`) with its parameters. Overrides use dotted keys (list items by index) and
YAML values: ``--set run.seed=3 --set cell.wifi.mcs=5 --set cell.template.n_stations=20``.
"""

from __future__ import annotations

import copy
import dataclasses
from dataclasses import replace
from pathlib import Path
from typing import Any

import yaml

from robots.config import from_mapping
from twin.config import (
    AgvJobConfig,
    BridgeConfig,
    CellConfig,
    ChannelConfig,
    ConfigError,
    ExperimentConfig,
    InterfererConfig,
    RunConfig,
    TsnConfig,
    WifiConfig,
    WorkcellJobConfig,
)
from twin.obss_config import ObssConfig
from twin.templates import TEMPLATES
from twin.wired_config import WiredConfig

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
    """Builds dataclass ``cls`` from plain data, checking keys and types, naming ``path``.

    The conversion is ``robots.config.from_mapping`` (one implementation for every config in the
    project); its ``ValueError`` becomes :class:`ConfigError`, and a class's ``check(path)`` runs.
    """
    if not isinstance(data, dict):
        raise ConfigError(f"{path}: must be a mapping (got {data!r})")
    try:
        obj = from_mapping(cls, data, path)
    except ConfigError:
        raise
    except ValueError as e:
        raise ConfigError(str(e)) from e
    check = getattr(obj, "check", None)
    if check is not None and not hasattr(cls, "__post_init__"):
        check(path)
    return obj


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
    """Validates a merged experiment mapping into an :class:`ExperimentConfig`.

    With a ``workcell`` (or ``agvs``) section the cell's nodes and flows come from that model, and
    the ``cell`` section may only set ``wifi``, ``channel``, ``interferers`` (and ``tsn``).
    """
    unknown = sorted(set(data) - {"cell", "run", "bridge", "workcell", "agvs"})
    if unknown:
        raise ConfigError(
            f"{unknown[0]}: unknown section; known: agvs, bridge, cell, run, workcell"
        )
    run = build(RunConfig, data.get("run") or {}, "run")
    bridge = build(BridgeConfig, data.get("bridge") or {}, "bridge")
    if data.get("agvs") is not None and data.get("workcell") is not None:
        raise ConfigError("agvs: give either a workcell or an agvs section, not both")
    if data.get("agvs") is not None:
        from twin.agv_job import agv_cell

        agvs = build(AgvJobConfig, data["agvs"], "agvs")
        agv_cell_data = data.get("cell") or {}
        cell = agv_cell(agvs, run.seed, *_model_cell_parts(agv_cell_data, "agvs"))
        cell = _with_obss(cell, agv_cell_data)
        return ExperimentConfig(cell=cell, run=run, bridge=bridge, agvs=agvs)
    if data.get("workcell") is not None:
        from twin.workcell_job import workcell_cell

        job = build(WorkcellJobConfig, data["workcell"], "workcell")
        cell_data = data.get("cell") or {}
        wifi, channel, interferers = _model_cell_parts(cell_data, "workcell")
        cell = _with_obss(workcell_cell(job, wifi, channel, interferers), cell_data)
        if cell_data.get("tsn") is not None:
            cell = replace(cell, tsn=build(TsnConfig, cell_data["tsn"], "cell.tsn"))
        if cell_data.get("wired") is not None:
            cell = replace(cell, wired=build(WiredConfig, cell_data["wired"], "cell.wired"))
        return ExperimentConfig(
            cell=cell,
            run=run,
            bridge=bridge,
            workcell=job,
        )
    if "cell" not in data:
        raise ConfigError("cell: required")
    return ExperimentConfig(
        cell=build(CellConfig, expand_cell(data["cell"]), "cell"), run=run, bridge=bridge
    )


def _with_obss(cell: CellConfig, cell_data: dict[str, Any]) -> CellConfig:
    """``cell`` with the overlapping BSSs of a model section's ``cell.obss`` list, if any."""
    if not cell_data.get("obss"):
        return cell
    obss = tuple(build(ObssConfig, x, f"cell.obss[{i}]") for i, x in enumerate(cell_data["obss"]))
    return replace(cell, obss=obss)


def _model_cell_parts(
    cell_data: dict[str, Any], section: str
) -> tuple[WifiConfig, ChannelConfig, tuple[InterfererConfig, ...]]:
    """The parts of ``cell`` that a model section (workcell, agvs) leaves to the user."""
    extra = sorted(set(cell_data) - {"wifi", "channel", "interferers", "tsn", "obss", "wired"})
    if extra:
        raise ConfigError(
            f"cell.{extra[0]}: not allowed with {'an' if section[0] in 'aeiou' else 'a'} "
            f"{section} section (its devices and flows make the cell); allowed: wifi, channel, "
            "interferers, tsn, obss, wired"
        )
    if section == "agvs" and cell_data.get("tsn") is not None:
        raise ConfigError("cell.tsn: not supported with an agvs section yet")
    wifi = build(WifiConfig, cell_data.get("wifi") or {}, "cell.wifi")
    channel = build(ChannelConfig, cell_data.get("channel") or {}, "cell.channel")
    interferers = tuple(
        build(InterfererConfig, x, f"cell.interferers[{i}]")
        for i, x in enumerate(cell_data.get("interferers") or [])
    )
    return wifi, channel, interferers


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

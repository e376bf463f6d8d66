"""The machine-tending workcell over the simulated network (the main job of ``fabtwin run``).

The workcell (``robots.workcell``: a PLC, an edge arm controller, two arms, four machining
stations) runs at its control period; every PLC/robot/station handshake, every arm setpoint and
every arm state report travels through ns-3 as a packet of its size. The cell is built from the
workcell itself (:func:`twin.model_link.cell_for_model`): the edge controller sits at the AP (wired
to it, ideally), every other device is a Wi-Fi station at its position, and optional best-effort
stations load the same channel.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from robots.workcell import Workcell, WorkcellConfig, load_workcell_config
from twin.config import (
    CellConfig,
    ChannelConfig,
    ConfigError,
    FlowConfig,
    InterfererConfig,
    NodeConfig,
    WifiConfig,
    WorkcellJobConfig,
)
from twin.model_link import cell_for_model


def load_workcell(job: WorkcellJobConfig) -> WorkcellConfig:
    """The robots-side workcell configuration that ``job`` names."""
    try:
        return load_workcell_config(job.config_path())
    except ValueError as e:
        raise ConfigError(f"workcell.config ({job.config_path()}): {e}") from e


def make_workcell(job: WorkcellJobConfig, workcell: WorkcellConfig | None = None) -> Workcell:
    """A fresh workcell model (one per episode)."""
    return Workcell(workcell or load_workcell(job), n_parts=job.n_parts)


def workcell_cell(
    job: WorkcellJobConfig,
    wifi: WifiConfig,
    channel: ChannelConfig,
    interferers: tuple[InterfererConfig, ...] = (),
) -> CellConfig:
    """The network cell that carries the workcell's traffic (plus best-effort stations)."""
    model = make_workcell(job)
    positions = model.device_positions_m()
    ap = positions.get(job.ap_device, (0.0, 0.0, 2.5))
    extra_nodes, extra_flows = [], []
    for k in range(job.n_best_effort):
        name = f"be{k + 1}"
        extra_nodes.append(NodeConfig(name, "sta", (ap[0] + 3.0 + k, ap[1] + 3.0, 1.0)))
        extra_flows.append(
            FlowConfig(
                f"{name}.up",
                name,
                job.ap_device,
                size_bytes=job.best_effort_size_bytes,
                period_s=job.best_effort_period_s,
                start_s=k * job.best_effort_period_s / max(job.n_best_effort, 1),
                access_category=job.best_effort_access_category,
                deadline_s=0.1,
            )
        )
    cell = cell_for_model(
        model,
        ap_device=job.ap_device,
        wifi=wifi,
        channel=channel,
        access_category=job.access_category,
        background_nodes=extra_nodes,
        background_flows=extra_flows,
    )
    cell = _wire(cell, job, model.config.plc)
    return replace(cell, interferers=interferers) if interferers else cell


def _wire(cell: CellConfig, job: WorkcellJobConfig, plc: str) -> CellConfig:
    """``cell`` with the devices that ``job.network`` puts on the Ethernet TSN bridge wired."""
    if job.network == "wifi":
        return cell
    names = [n.name for n in cell.nodes if n.role != "ap"]
    if job.network == "wired":
        wired = set(names)
    else:
        wired = set(job.wired_devices or (plc,))
        for i, d in enumerate(job.wired_devices):
            if d not in names:
                raise ConfigError(
                    f"workcell.wired_devices[{i}]: {d!r} is not a device off the AP; devices: "
                    + ", ".join(names)
                )
    nodes = tuple(replace(n, radio="wired") if n.name in wired else n for n in cell.nodes)
    return replace(cell, nodes=nodes)


def machine_table(summary: dict[str, Any]) -> str:
    """The workcell's metrics as a small text table for the terminal."""
    cell = {k.split("/", 1)[1]: v for k, v in summary.items() if k.startswith("cell/")}
    lines = [
        f"parts done {cell['parts_done']:.0f}, completion {cell['completion_time_s']:.2f} s, "
        f"{cell['parts_per_hour']:.1f} parts/h, safety stops {cell['safety_stops']:.0f}",
        f"{'arm':<8}{'idle s':>9}{'wait net s':>12}{'wait mach s':>13}{'wait part s':>13}"
        f"{'stopped s':>11}{'stops':>7}{'rms err mrad':>14}",
    ]
    arms = sorted({k.split("/")[0] for k in summary if k.endswith("/idle_s")})
    for a in arms:
        lines.append(
            f"{a:<8}{summary[f'{a}/idle_s']:>9.2f}{summary[f'{a}/wait_network_s']:>12.3f}"
            f"{summary[f'{a}/wait_machine_s']:>13.2f}{summary[f'{a}/wait_part_s']:>13.2f}"
            f"{summary[f'{a}/stopped_s']:>11.3f}{summary[f'{a}/safety_stops']:>7.0f}"
            f"{1e3 * summary[f'{a}/rms_tracking_error_rad']:>14.4f}"
        )
    return "\n".join(lines)

"""Small NR cells for tests, benchmarks and examples: an AP that is also the gNB, NR UEs around it.

The AP (role ``ap``, radio ``both``) carries the cell's Wi-Fi BSS and the gNB; each UE (role
``ue``) has only an NR radio and one uplink flow to the gNB, or a station (role ``sta``, radio
``both``) when ``dual_radio`` is set, so that its flows may use Wi-Fi, NR or both.
"""

from __future__ import annotations

import math

from twin.config import CellConfig, FlowConfig, InterfererConfig, NodeConfig, NrConfig


def nr_uplink_cell(
    nr: NrConfig,
    n_ues: int = 1,
    *,
    size_bytes: int = 32,
    period_s: float | None = None,
    radius_m: float = 5.0,
    radio: str = "nr",
    dual_radio: bool = False,
    downlink: bool = False,
    stagger: bool = False,
    interferers: tuple[InterfererConfig, ...] = (),
) -> CellConfig:
    """An AP + gNB at (0, 0, 3) and ``n_ues`` devices evenly on a circle of ``radius_m``.

    Args:
        nr: The NR settings.
        n_ues: Number of UEs (flows ``ue<k>.up``, and ``ue<k>.down`` with ``downlink``).
        size_bytes: Packet size of every flow.
        period_s: Period of the flows' own traffic; None when the caller sends.
        radius_m: Distance of the UEs from the gNB (horizontal).
        radio: Radio of every flow: ``nr``, ``wifi`` or ``both``.
        dual_radio: UEs are Wi-Fi stations with an NR radio too (needed for ``wifi``/``both``).
        downlink: Add a gNB-to-UE flow per UE.
        stagger: Spread the periodic flows' start times evenly over one period (UE k starts at
            k / n_ues periods); else every flow starts at 0.
        interferers: Non-Wi-Fi interferers of the cell.

    Returns:
        The cell.
    """
    nodes = [NodeConfig("ap", "ap", (0.0, 0.0, 3.0), radio="both")]
    flows = []
    for k in range(n_ues):
        name = f"ue{k + 1}"
        a = 2 * math.pi * k / max(n_ues, 1)
        pos = (radius_m * math.cos(a), radius_m * math.sin(a), 1.0)
        if dual_radio:
            nodes.append(NodeConfig(name, "sta", pos, radio="both"))
        else:
            nodes.append(NodeConfig(name, "ue", pos))
        start = (period_s or 0.0) * k / n_ues if stagger else 0.0
        flows.append(
            FlowConfig(
                f"{name}.up", name, "ap", size_bytes, period_s, start, radio=radio, deadline_s=1e-3
            )
        )
        if downlink:
            flows.append(
                FlowConfig(
                    f"{name}.down", "ap", name, size_bytes, period_s, radio=radio, deadline_s=1e-3
                )
            )
    return CellConfig(nodes=tuple(nodes), flows=tuple(flows), nr=nr, interferers=interferers)

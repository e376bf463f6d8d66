"""One cycle of the cell on a time axis: gate windows, PPDUs on the air and deliveries, per node.

Rows are nodes. In each row, 802.1Qbv gate windows (``GATE_WINDOW_DTYPE``: offsets within the
cycle, a traffic-class bit mask) are shaded bars in thin lanes at the top of the row, one lane per
traffic class that appears; the PPDUs a node put on the air (``TRANSMISSION_DTYPE``) are bars in the
middle, coloured by :class:`~twin.bridge.protocol.TxKind` and hatched when not decoded; deliveries
(``DELIVERY_DTYPE``) are markers at their receive time with a faint line back to the send time, on
the destination node's row when ``flow_nodes`` says which node that is (else on a row of their
own).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
from matplotlib.artist import Artist  # noqa: E402
from matplotlib.lines import Line2D  # noqa: E402
from matplotlib.patches import Patch  # noqa: E402

from twin.bridge import protocol as P  # noqa: E402

_KIND_COLOURS = {
    P.TxKind.DATA: "tab:blue",
    P.TxKind.CONTROL: "tab:orange",
    P.TxKind.MANAGEMENT: "tab:gray",
    P.TxKind.TIME_SYNC: "tab:purple",
    P.TxKind.OTHER_DATA: "tab:cyan",
}
_N_CLASSES = 8


_KIND_VALUES = {int(k) for k in P.TxKind}


def gate_windows_from_tsn(tsn: Mapping[str, Any], node_index: Mapping[str, int]) -> np.ndarray:
    """The gate lists READY reports (``tsn.gcls``) as ``GATE_WINDOW_DTYPE`` records.

    Offsets are within the cycle that starts at ``tsn["base_time_ns"]`` (twin time); entries with
    every gate closed are left out.

    Args:
        tsn: READY's ``tsn`` section (docs/tsn.md): ``gcls`` maps a node name to its
            ``[gate_mask, duration_ns]`` entries in order.
        node_index: Node name to node index.
    """
    rows = []
    for name, entries in tsn["gcls"].items():
        offset = 0
        for mask, duration in entries:
            if mask:
                rows.append((offset, duration, node_index[name], mask))
            offset += duration
    out = np.zeros(len(rows), P.GATE_WINDOW_DTYPE)
    for k, (offset, duration, node, mask) in enumerate(rows):
        out[k]["offset_ns"], out[k]["duration_ns"] = offset, duration
        out[k]["node"], out[k]["gate_mask"] = node, mask
    return out


def _check(array: np.ndarray, dtype: np.dtype, name: str, dtype_name: str) -> None:
    if array.dtype != dtype:
        raise TypeError(f"{name}: must use protocol.{dtype_name} records (got {array.dtype})")


def plot_cycle_timeline(
    transmissions: np.ndarray,
    deliveries: np.ndarray,
    gate_windows: np.ndarray,
    *,
    cycle_start_ns: int,
    cycle_ns: int,
    node_names: list[str],
    path: Path,
    flow_nodes: Sequence[int] | None = None,
    flow_names: Sequence[str] | None = None,
) -> Path:
    """Draws the cycle ``[cycle_start_ns, cycle_start_ns + cycle_ns)`` and saves it as PNG.

    Args:
        transmissions: ``TRANSMISSION_DTYPE`` records (any time range; those overlapping the
            cycle are drawn).
        deliveries: ``DELIVERY_DTYPE`` records (those received within the cycle are drawn).
        gate_windows: ``GATE_WINDOW_DTYPE`` records (offsets relative to the cycle start).
        cycle_start_ns: Start of the cycle drawn (simulation time, ns).
        cycle_ns: Cycle length (ns), > 0.
        node_names: Name of each node index (one row each).
        path: The PNG to write.
        flow_nodes: Destination node index of each flow (places deliveries on that row).
        flow_names: Name of each flow (legend of the delivery markers, when few).

    Returns:
        ``path``.
    """
    _check(transmissions, P.TRANSMISSION_DTYPE, "transmissions", "TRANSMISSION_DTYPE")
    _check(deliveries, P.DELIVERY_DTYPE, "deliveries", "DELIVERY_DTYPE")
    _check(gate_windows, P.GATE_WINDOW_DTYPE, "gate_windows", "GATE_WINDOW_DTYPE")
    if cycle_ns <= 0:
        raise ValueError(f"cycle_ns: must be > 0 (got {cycle_ns})")
    t0, t1 = cycle_start_ns, cycle_start_ns + cycle_ns
    us = 1e-3  # ns -> us
    n_nodes = len(node_names)
    own_row = flow_nodes is None
    labels = list(node_names) + (["deliveries"] if own_row else [])
    fig_h = 1.2 + 0.45 * len(labels)
    fig, ax = plt.subplots(figsize=(10, fig_h))

    classes = sorted(
        {c for m in gate_windows["gate_mask"].tolist() for c in range(_N_CLASSES) if m >> c & 1}
    )
    lane_h = 0.3 / max(len(classes), 1)
    cmap = plt.get_cmap("Set2")
    for g in gate_windows:
        node = int(g["node"])
        if node >= n_nodes:
            continue
        start = int(g["offset_ns"]) * us
        width = int(g["duration_ns"]) * us
        for lane, c in enumerate(classes):
            if int(g["gate_mask"]) >> c & 1:
                y = node + 0.45 - (lane + 1) * lane_h
                ax.broken_barh(
                    [(start, width)], (y, lane_h), facecolors=cmap(c % 8), alpha=0.45, lw=0
                )

    tx = transmissions[
        (transmissions["start_ns"] < t1)
        & (transmissions["start_ns"] + transmissions["duration_ns"] > t0)
    ]
    for rec in tx:
        node = int(rec["node"])
        if node >= n_nodes:
            continue
        k = int(rec["kind"])
        colour = _KIND_COLOURS[P.TxKind(k)] if k in _KIND_VALUES else "black"
        ax.broken_barh(
            [((int(rec["start_ns"]) - t0) * us, int(rec["duration_ns"]) * us)],
            (node - 0.2, 0.4),
            facecolors=colour,
            edgecolor="black" if not rec["ok"] else colour,
            hatch="//" if not rec["ok"] else None,
            lw=0.5,
        )

    dl = deliveries[(deliveries["rx_time_ns"] >= t0) & (deliveries["rx_time_ns"] < t1)]
    if len(dl):
        flows = dl["flow"].astype(np.int64)
        if own_row:
            rows = np.full(len(dl), n_nodes, dtype=float)
        else:
            assert flow_nodes is not None
            fn = np.asarray(flow_nodes, dtype=float)
            rows = np.where(flows < len(fn), fn[np.minimum(flows, len(fn) - 1)], n_nodes)
        rows = rows - 0.3
        rx = (dl["rx_time_ns"] - t0) * us
        send = np.maximum(dl["send_time_ns"] - t0, 0) * us
        ax.hlines(rows, send, rx, colors="tab:green", alpha=0.3, lw=1)
        ax.scatter(rx, rows, marker="v", s=28, color="tab:green", zorder=3)
        if flow_names is not None and len(np.unique(flows)) <= 6:
            for f in np.unique(flows):
                i = int(np.argmax(flows == f))
                name = flow_names[f] if f < len(flow_names) else str(f)
                ax.annotate(
                    name, (rx[i], rows[i]), fontsize=6, xytext=(2, -8), textcoords="offset points"
                )

    ax.set_yticks(range(len(labels)), labels)
    ax.set_ylim(len(labels) - 0.5, -0.6)
    ax.set_xlim(0, cycle_ns * us)
    ax.set_xlabel(f"time in cycle (us) from t = {t0 / 1e9:.6f} s")
    ax.grid(True, axis="x", alpha=0.3)
    handles: list[Artist] = [
        Patch(color=c, label=f"PPDU {k.name.lower()}") for k, c in _KIND_COLOURS.items()
    ]
    handles.append(Patch(facecolor="white", edgecolor="black", hatch="//", label="not decoded"))
    handles += [Patch(color=cmap(c % 8), alpha=0.45, label=f"gate TC{c} open") for c in classes]
    handles.append(
        Line2D([], [], marker="v", ls="", color="tab:green", label="delivery (line: latency)")
    )
    ax.legend(handles=handles, fontsize=7, loc="upper left", bbox_to_anchor=(1.01, 1.0))
    ax.set_title(f"Cycle of {cycle_ns / 1e3:g} us: gates, transmissions, deliveries")
    fig.tight_layout()
    fig.savefig(path, dpi=120)
    plt.close(fig)
    return path

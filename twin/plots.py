"""Plots of a run (PNG, headless)."""

from __future__ import annotations

from pathlib import Path

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402

from twin.config import CellConfig  # noqa: E402
from twin.packet_ledger import DELIVERED, PacketLedger  # noqa: E402


def plot_latency_cdf(
    cell: CellConfig, ledger: PacketLedger, path: Path, max_lines: int = 12
) -> None:
    """One-way latency CDF per flow (log x axis); lost packets keep the CDF below 1.

    With more than ``max_lines`` flows, flows are grouped by access category and direction.
    """
    table = ledger.table()
    lat_ms = table["latency_ns"] / 1e6
    ok = table["fate"] == DELIVERED
    groups: dict[str, np.ndarray] = {}
    if len(cell.flows) <= max_lines:
        for i, f in enumerate(cell.flows):
            groups[f.name] = table["flow"] == i
    else:
        for i, f in enumerate(cell.flows):
            ap = _ap(cell)
            direction = "uplink" if f.dst == ap else "downlink" if f.src == ap else "relay"
            key = f"{f.access_category} {direction}"
            groups[key] = groups.get(key, np.zeros(len(table["flow"]), bool)) | (table["flow"] == i)
    fig, ax = plt.subplots(figsize=(7, 4.5))
    for name, mine in groups.items():
        sent = int(mine.sum())
        if not sent:
            continue
        lat = np.sort(lat_ms[mine & ok])
        if not len(lat):
            continue
        ax.step(lat, np.arange(1, len(lat) + 1) / sent, where="post", label=name)
    ax.set_xscale("log")
    ax.set_xlabel("one-way latency (ms)")
    ax.set_ylabel("fraction of packets sent")
    ax.set_ylim(0, 1.01)
    ax.grid(True, which="both", alpha=0.3)
    ax.legend(fontsize=7, ncol=2)
    ax.set_title("Latency CDF per flow (lost packets keep a curve below 1)")
    fig.tight_layout()
    fig.savefig(path, dpi=120)
    plt.close(fig)


def _ap(cell: CellConfig) -> str:
    return next(n.name for n in cell.nodes if n.role == "ap")

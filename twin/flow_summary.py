"""Per-flow statistics of a run: counts, losses, latency percentiles, deadline misses."""

from __future__ import annotations

from typing import Any

import numpy as np

from twin.config import CellConfig
from twin.packet_ledger import DELIVERED, DROPPED, PacketLedger

PERCENTILES = (50, 90, 99, 99.9)


def flow_summary(cell: CellConfig, ledger: PacketLedger) -> list[dict[str, Any]]:
    """One row per flow.

    Keys: ``flow``, ``src``, ``dst``, ``access_category``, ``sent``, ``delivered``, ``dropped``
    (by ns-3), ``lost`` (dropped or never delivered), ``loss_ratio``, ``deadline_misses`` (lost or
    later than the flow's ``deadline_s``), ``latency_ms_p50/p90/p99/p99.9/max/mean`` (of delivered
    packets; ``None`` when none arrived).
    """
    table = ledger.table()
    fate = table["fate"]
    lat_ms = table["latency_ns"] / 1e6
    rows = []
    for i, f in enumerate(cell.flows):
        mine = table["flow"] == i
        sent = int(mine.sum())
        ok = mine & (fate == DELIVERED)
        delivered = int(ok.sum())
        lat = lat_ms[ok]
        late = int((lat > f.deadline_s * 1e3).sum())
        row: dict[str, Any] = {
            "flow": f.name,
            "src": f.src,
            "dst": f.dst,
            "access_category": f.access_category,
            "sent": sent,
            "delivered": delivered,
            "dropped": int((mine & (fate == DROPPED)).sum()),
            "lost": sent - delivered,
            "loss_ratio": (sent - delivered) / sent if sent else 0.0,
            "deadline_misses": (sent - delivered) + late,
        }
        for p in PERCENTILES:
            row[f"latency_ms_p{p:g}"] = float(np.percentile(lat, p)) if delivered else None
        row["latency_ms_max"] = float(lat.max()) if delivered else None
        row["latency_ms_mean"] = float(lat.mean()) if delivered else None
        rows.append(row)
    return rows


def format_table(rows: list[dict[str, Any]], max_rows: int = 40) -> str:
    """A fixed-width text table of :func:`flow_summary` rows for the terminal."""
    head = (
        f"{'flow':<14}{'AC':>3}{'sent':>8}{'lost':>7}{'loss%':>8}{'miss':>7}"
        + "".join(f"{'p' + format(p, 'g') + ' ms':>10}" for p in PERCENTILES)
        + f"{'max ms':>10}"
    )
    lines = [head, "-" * len(head)]

    def fmt(v: float | None) -> str:
        return f"{v:>10.3f}" if v is not None else f"{'-':>10}"

    for r in rows[:max_rows]:
        lines.append(
            f"{r['flow']:<14}{r['access_category']:>3}{r['sent']:>8}{r['lost']:>7}"
            f"{100 * r['loss_ratio']:>8.2f}{r['deadline_misses']:>7}"
            + "".join(fmt(r[f"latency_ms_p{p:g}"]) for p in PERCENTILES)
            + fmt(r["latency_ms_max"])
        )
    if len(rows) > max_rows:
        lines.append(f"... {len(rows) - max_rows} more flows in summary.json")
    return "\n".join(lines)

"""Cell templates: named generators of nodes and flows for common layouts.

A template takes its parameters from ``cell.template`` in an experiment file and returns the
``nodes`` and ``flows`` lists, which then go through the same validation as hand-written ones.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import Any

from twin.config import ConfigError

_STAR_DEFAULTS: dict[str, Any] = {
    "n_stations": 10,
    "radius_m": 10.0,
    "ap_height_m": 3.0,
    "station_height_m": 1.0,
    "control": {"size_bytes": 100, "period_s": 0.01, "access_category": "VO", "deadline_s": 0.01},
    "n_best_effort": 0,
    "best_effort": {
        "size_bytes": 1500,
        "period_s": 0.002,
        "access_category": "BE",
        "deadline_s": 0.1,
    },
}


def star(spec: dict[str, Any], path: str) -> dict[str, Any]:
    """An AP in the middle and stations evenly on a circle.

    Every control station has an uplink (``<sta>.up``, station to AP) and a downlink
    (``<sta>.down``) control flow, the downlink offset by half a period; ``n_best_effort`` extra
    stations send best-effort uplink traffic. Parameters (defaults in ``_STAR_DEFAULTS``):
    n_stations, radius_m, ap_height_m, station_height_m, control{...}, n_best_effort,
    best_effort{...}.
    """
    unknown = sorted(set(spec) - set(_STAR_DEFAULTS))
    if unknown:
        raise ConfigError(
            f"{path}.{unknown[0]}: unknown key; known keys: name, "
            + ", ".join(sorted(_STAR_DEFAULTS))
        )
    p = {**_STAR_DEFAULTS, **spec}
    n, n_be = p["n_stations"], p["n_best_effort"]
    if not isinstance(n, int) or not 1 <= n <= 1000:
        raise ConfigError(f"{path}.n_stations: must be an integer in 1..1000 (got {n!r})")
    if not isinstance(n_be, int) or not 0 <= n_be <= 1000:
        raise ConfigError(f"{path}.n_best_effort: must be an integer in 0..1000 (got {n_be!r})")
    radius = p["radius_m"]
    if not isinstance(radius, (int, float)) or not radius > 0:
        raise ConfigError(f"{path}.radius_m: must be > 0 (got {radius!r})")
    control = {**_STAR_DEFAULTS["control"], **(p["control"] or {})}
    best = {**_STAR_DEFAULTS["best_effort"], **(p["best_effort"] or {})}
    nodes: list[dict[str, Any]] = [
        {"name": "ap", "role": "ap", "position_m": [0.0, 0.0, float(p["ap_height_m"])]}
    ]
    flows: list[dict[str, Any]] = []
    total = n + n_be
    for k in range(total):
        angle = 2 * math.pi * k / total
        name = f"sta{k + 1}" if k < n else f"be{k - n + 1}"
        nodes.append(
            {
                "name": name,
                "role": "sta",
                "position_m": [
                    round(radius * math.cos(angle), 6),
                    round(radius * math.sin(angle), 6),
                    float(p["station_height_m"]),
                ],
            }
        )
        if k < n:
            flows.append({"name": f"{name}.up", "src": name, "dst": "ap", **control})
            down = dict(control)
            if down.get("period_s"):
                down["start_s"] = down.get("start_s", 0.0) + down["period_s"] / 2
            flows.append({"name": f"{name}.down", "src": "ap", "dst": name, **down})
        else:
            flows.append({"name": f"{name}.up", "src": name, "dst": "ap", **best})
    return {"nodes": nodes, "flows": flows}


TEMPLATES: dict[str, Callable[[dict[str, Any], str], dict[str, Any]]] = {"star": star}

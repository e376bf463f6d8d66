"""From an agent's per-device scores to the devices that transmit in one cycle, and their RUs.

The action of every fabtwin scheduling env is a ``Box(-1, 1, (n_devices,))`` of scores (so that
on-policy PPO and off-policy SAC/TD3 can both drive it). A device is a *candidate* when its score
is positive; of the candidates, the ``k`` with the highest scores transmit (ties go to the lower
device index), ``k`` being bounded by the RU plan of the channel: at most as many stations as the
channel has 26-tone resource units.
"""

from __future__ import annotations

import numpy as np

#: RU sizes in tones and how many of each fit in a channel width (IEEE 802.11ax-2021,
#: 27.3.2.2 "Resource unit, guard, and DC subcarriers": the RU locations of 20/40/80/160 MHz).
RU_COUNT: dict[int, dict[int, int]] = {
    20: {26: 9, 52: 4, 106: 2, 242: 1},
    40: {26: 18, 52: 8, 106: 4, 242: 2, 484: 1},
    80: {26: 37, 52: 16, 106: 8, 242: 4, 484: 2, 996: 1},
    160: {26: 74, 52: 32, 106: 16, 242: 8, 484: 4, 996: 2},
}


def max_stations(width_mhz: int) -> int:
    """Most stations one MU PPDU can carry in ``width_mhz``: its count of 26-tone RUs."""
    if width_mhz not in RU_COUNT:
        raise ValueError(f"width_mhz: {width_mhz} is not allowed; allowed: 20, 40, 80, 160")
    return RU_COUNT[width_mhz][26]


def ru_tones(n_stations: int, width_mhz: int) -> int:
    """The largest RU size of which ``n_stations`` fit side by side in ``width_mhz``."""
    if not 1 <= n_stations <= max_stations(width_mhz):
        raise ValueError(
            f"n_stations: must be in 1..{max_stations(width_mhz)} for {width_mhz} MHz "
            f"(got {n_stations})"
        )
    fitting = [tones for tones, count in RU_COUNT[width_mhz].items() if count >= n_stations]
    return max(fitting)


def select_top_k(scores: np.ndarray, k: int) -> np.ndarray:
    """Boolean mask of the (at most) ``k`` devices with the highest positive scores.

    Args:
        scores: One score per device; NaN counts as not positive.
        k: Largest number of devices selected, >= 0.

    Returns:
        ``(n,)`` boolean mask.
    """
    s = np.nan_to_num(np.asarray(scores, dtype=np.float64).ravel(), nan=-np.inf)
    mask = np.zeros(s.shape, dtype=bool)
    candidates = np.flatnonzero(s > 0.0)
    if k <= 0 or len(candidates) == 0:
        return mask
    order = candidates[np.argsort(-s[candidates], kind="stable")]
    mask[order[:k]] = True
    return mask


def scores_for(ranking: np.ndarray, k: int, n: int) -> np.ndarray:
    """An action that selects ``ranking[:k]`` (highest first) out of ``n`` devices.

    Baseline schedulers rank devices; this turns a ranking into the score vector the envs take.
    """
    scores = np.full(n, -1.0, dtype=np.float32)
    top = np.asarray(ranking, dtype=np.int64)[: max(k, 0)]
    if len(top):
        scores[top] = np.linspace(1.0, 0.5, len(top), dtype=np.float32)
    return scores

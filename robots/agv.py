"""Differential-drive AGVs following paths on a factory floor plan, fleet stepped as arrays.

Kinematics: unicycle ``x' = v cos(theta)``, ``y' = v sin(theta)``, ``theta' = w`` with limits on
``v``, ``|dv/dt|`` and ``|w|`` (midpoint integration per period). Path following: pure pursuit
(Coulter 1992): project the AGV on its path (never moving backwards along it), take the point
``lookahead_m`` further along the path, steer on the circle through it, ``kappa = 2 y_local / L^2``,
``w = v kappa``. A look-ahead point behind the AGV makes it stop and turn on the spot. Speed: the
commanded speed limit, lowered so ``|w| <= max_turn_rate`` and so the AGV can stop at the end of
its path.

Paths run on a waypoint graph (:class:`FloorPlan`, shortest paths by Dijkstra).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from scipy.sparse import csr_matrix
from scipy.sparse.csgraph import dijkstra

from robots.networked import BoolArray, FloatArray

_EPS = 1e-9


@dataclass(frozen=True)
class AgvConfig:
    """AGV limits, path following and safety settings (shared by the fleet).

    Attributes:
        max_speed_m_s: Top speed, > 0.
        max_accel_m_s2: Speed change limit, > 0.
        max_turn_rate_rad_s: Yaw-rate limit, > 0.
        lookahead_m: Pure-pursuit look-ahead distance, > 0.
        goal_tol_m: Distance to the path end at which a path counts as done, > 0.
        antenna_height_m: z of the AGV's radio (for the network model).
        stop_decel_m_s2: Braking deceleration of a safety stop, > 0.
        survival_time_s: Longest gap without a valid speed command before a safety stop, > 0.
        max_age_s: A command older than this at reception counts as lost, > 0.
        resume_updates: Consecutive periods with a fresh command needed to resume, >= 1.
        cmd_period_s: Period of the speed command and state flows, > 0.
        cmd_bytes: Size of a speed command.
        state_bytes: Size of a state report.
        path_header_bytes: Size of a path message without its waypoints.
        path_bytes_per_point: Bytes per waypoint of a path message.
    """

    max_speed_m_s: float = 1.5
    max_accel_m_s2: float = 0.8
    max_turn_rate_rad_s: float = 1.2
    lookahead_m: float = 1.0
    goal_tol_m: float = 0.15
    antenna_height_m: float = 0.5
    stop_decel_m_s2: float = 1.5
    survival_time_s: float = 0.1
    max_age_s: float = 0.1
    resume_updates: int = 3
    cmd_period_s: float = 0.02
    cmd_bytes: int = 24
    state_bytes: int = 48
    path_header_bytes: int = 16
    path_bytes_per_point: int = 8

    def __post_init__(self) -> None:
        for name in (
            "max_speed_m_s",
            "max_accel_m_s2",
            "max_turn_rate_rad_s",
            "lookahead_m",
            "goal_tol_m",
            "stop_decel_m_s2",
            "survival_time_s",
            "max_age_s",
            "cmd_period_s",
        ):
            if not getattr(self, name) > 0.0:
                raise ValueError(f"AgvConfig.{name} must be > 0, got {getattr(self, name)}")
        if self.resume_updates < 1:
            raise ValueError(f"AgvConfig.resume_updates must be >= 1, got {self.resume_updates}")


class FloorPlan:
    """A waypoint graph: named nodes at floor coordinates, undirected aisles between them.

    Args:
        nodes: ``{name: (x_m, y_m)}``.
        edges: Pairs of node names joined by an aisle.
    """

    def __init__(self, nodes: dict[str, tuple[float, float]], edges: list[tuple[str, str]]) -> None:
        if len(nodes) < 2:
            raise ValueError(f"a floor plan needs >= 2 nodes, got {len(nodes)}")
        self.names = list(nodes)
        self.index = {n: i for i, n in enumerate(self.names)}
        self.edges: tuple[tuple[str, str], ...] = tuple((a, b) for a, b in edges)
        self.xy = np.array([nodes[n] for n in self.names], dtype=float)
        rows, cols, w = [], [], []
        for a, b in edges:
            if a not in self.index or b not in self.index:
                raise ValueError(f"edge ({a!r}, {b!r}) names an unknown node")
            i, j = self.index[a], self.index[b]
            d = float(np.linalg.norm(self.xy[i] - self.xy[j]))
            rows += [i, j]
            cols += [j, i]
            w += [d, d]
        n = len(self.names)
        graph = csr_matrix((w, (rows, cols)), shape=(n, n))
        self.dist, self.pred = dijkstra(graph, return_predecessors=True)

    @classmethod
    def grid(cls, nx: int, ny: int, spacing_m: float) -> FloorPlan:
        """Aisles on an ``nx`` by ``ny`` grid, nodes named ``n<i>_<j>``."""
        if nx < 1 or ny < 1 or nx * ny < 2 or spacing_m <= 0.0:
            raise ValueError(
                f"grid needs nx*ny >= 2 and spacing_m > 0, got {nx}, {ny}, {spacing_m}"
            )
        nodes = {f"n{i}_{j}": (i * spacing_m, j * spacing_m) for i in range(nx) for j in range(ny)}
        edges = [(f"n{i}_{j}", f"n{i + 1}_{j}") for i in range(nx - 1) for j in range(ny)]
        edges += [(f"n{i}_{j}", f"n{i}_{j + 1}") for i in range(nx) for j in range(ny - 1)]
        return cls(nodes, edges)

    def path(self, start: int, goal: int) -> FloatArray:
        """Waypoints ``(k, 2)`` of the shortest path between node indices."""
        if not np.isfinite(self.dist[start, goal]):
            raise ValueError(f"no path from {self.names[start]} to {self.names[goal]}")
        seq = [goal]
        while seq[-1] != start:
            seq.append(int(self.pred[start, seq[-1]]))
        return self.xy[seq[::-1]]

    def nearest(self, xy: FloatArray) -> int:
        """Index of the node nearest to a point."""
        return int(np.argmin(np.linalg.norm(self.xy - np.asarray(xy), axis=1)))


class AgvFleet:
    """Kinematics and pure-pursuit path following of ``n`` AGVs.

    Args:
        pose0: Initial ``(x, y, theta)`` per AGV, ``(n, 3)``.
        config: Limits and following settings.
        max_path_points: Capacity of a path in waypoints.
    """

    def __init__(self, pose0: FloatArray, config: AgvConfig, max_path_points: int = 32) -> None:
        self.pose = np.array(pose0, dtype=float)
        if self.pose.ndim != 2 or self.pose.shape[1] != 3:
            raise ValueError(f"pose0 must have shape (n, 3), got {self.pose.shape}")
        n = self.pose.shape[0]
        self.n = n
        self.config = config
        self.v = np.zeros(n)
        self.w = np.zeros(n)
        self.cap = max_path_points
        self.path = np.repeat(self.pose[:, None, :2], max_path_points, axis=1)
        self.cum = np.zeros((n, max_path_points))
        self.length = np.zeros(n)
        self.progress = np.zeros(n)
        self.active = np.zeros(n, dtype=bool)
        self.deviation_m = np.zeros(n)
        self.odometer_m = np.zeros(n)

    def set_path(self, i: int, waypoints: FloatArray) -> None:
        """Give AGV ``i`` a new path (its current position is prepended)."""
        pts = np.vstack([self.pose[i, :2], np.asarray(waypoints, dtype=float)])
        if pts.shape[0] > self.cap:
            raise ValueError(
                f"a path holds at most {self.cap - 1} waypoints, got {pts.shape[0] - 1}"
            )
        self.path[i] = pts[-1]
        self.path[i, : pts.shape[0]] = pts
        seg = np.linalg.norm(np.diff(self.path[i], axis=0), axis=1)
        self.cum[i] = np.concatenate([[0.0], np.cumsum(seg)])
        self.length[i] = self.cum[i, -1]
        self.progress[i] = 0.0
        self.active[i] = self.length[i] > self.config.goal_tol_m

    def _project(self) -> tuple[FloatArray, FloatArray]:
        """Arc-length position on the path (not moving backwards) and cross-track distance.

        Each segment's projection is clamped so it never lies behind the current progress, and
        only segments starting within two look-ahead distances of it are candidates (so a path
        that passes near itself cannot make the AGV skip ahead).
        """
        p0 = self.path[:, :-1]
        d = self.path[:, 1:] - p0
        seg_len2 = np.einsum("nkj,nkj->nk", d, d)
        seg_len = np.sqrt(seg_len2)
        rel = self.pose[:, None, :2] - p0
        t = np.einsum("nkj,nkj->nk", rel, d) / np.maximum(seg_len2, _EPS)
        c0 = self.cum[:, :-1]
        t_min = np.clip((self.progress[:, None] - c0) / np.maximum(seg_len, _EPS), 0.0, 1.0)
        t = np.clip(t, t_min, 1.0)
        closest = p0 + t[..., None] * d
        dist = np.linalg.norm(self.pose[:, None, :2] - closest, axis=2)
        window = c0 <= self.progress[:, None] + 2.0 * self.config.lookahead_m
        dist = np.where(window, dist, np.inf)
        k = np.argmin(dist, axis=1)
        rows = np.arange(self.n)
        s = c0[rows, k] + t[rows, k] * seg_len[rows, k]
        return np.maximum(s, self.progress), dist[rows, k]

    def _point_at(self, s: FloatArray) -> FloatArray:
        s = np.clip(s, 0.0, self.length)
        k = np.clip(np.sum(self.cum <= s[:, None], axis=1) - 1, 0, self.cap - 2)
        rows = np.arange(self.n)
        c0 = self.cum[rows, k]
        seg = np.maximum(self.cum[rows, k + 1] - c0, _EPS)
        f = np.clip((s - c0) / seg, 0.0, 1.0)[:, None]
        out: FloatArray = self.path[rows, k] + f * (self.path[rows, k + 1] - self.path[rows, k])
        return out

    def step(self, dt_s: float, speed_limit_m_s: FloatArray, stopped: BoolArray) -> BoolArray:
        """Advance every AGV one period.

        Args:
            dt_s: Period.
            speed_limit_m_s: Commanded speed limit per AGV, ``(n,)``.
            stopped: Safety-stop flags; stopped AGVs brake to standstill.

        Returns:
            AGVs that reached the end of their path during this period.
        """
        cfg = self.config
        s, dev = self._project()
        self.progress = np.where(self.active, s, self.progress)
        self.deviation_m = np.where(self.active, dev, 0.0)
        target = self._point_at(self.progress + cfg.lookahead_m)
        th = self.pose[:, 2]
        dx = target[:, 0] - self.pose[:, 0]
        dy = target[:, 1] - self.pose[:, 1]
        x_local = np.cos(th) * dx + np.sin(th) * dy
        y_local = -np.sin(th) * dx + np.cos(th) * dy
        # A differential drive turns on the spot toward a look-ahead point behind it.
        behind = x_local < 0.0
        l2 = np.maximum(dx * dx + dy * dy, _EPS)
        kappa = 2.0 * y_local / l2
        remaining = np.maximum(self.length - self.progress, 0.0)
        v_des = np.minimum(np.asarray(speed_limit_m_s, dtype=float), cfg.max_speed_m_s)
        v_des = np.minimum(v_des, np.sqrt(2.0 * cfg.max_accel_m_s2 * remaining))
        v_des = np.minimum(v_des, cfg.max_turn_rate_rad_s / np.maximum(np.abs(kappa), _EPS))
        v_des = np.where(self.active & ~stopped & ~behind, v_des, 0.0)
        a_lim = np.where(stopped, cfg.stop_decel_m_s2, cfg.max_accel_m_s2) * dt_s
        v = self.v + np.clip(v_des - self.v, -a_lim, a_lim)
        w = np.clip(v * kappa, -cfg.max_turn_rate_rad_s, cfg.max_turn_rate_rad_s)
        spin = behind & self.active & ~stopped & (np.abs(v) < _EPS)
        w = np.where(spin, np.where(y_local >= 0.0, 1.0, -1.0) * cfg.max_turn_rate_rad_s, w)
        mid = th + 0.5 * w * dt_s
        self.pose[:, 0] += v * dt_s * np.cos(mid)
        self.pose[:, 1] += v * dt_s * np.sin(mid)
        self.pose[:, 2] = np.arctan2(np.sin(th + w * dt_s), np.cos(th + w * dt_s))
        self.v, self.w = v, w
        self.odometer_m += np.abs(v) * dt_s
        end = self.path[np.arange(self.n), -1]
        near = np.linalg.norm(self.pose[:, :2] - end, axis=1) <= cfg.goal_tol_m
        arrived = self.active & near & (remaining <= cfg.goal_tol_m + cfg.lookahead_m)
        self.active &= ~arrived
        return arrived

    def positions_m(self) -> FloatArray:
        """Radio positions ``(n, 3)``: floor x, y and the antenna height."""
        out = np.empty((self.n, 3))
        out[:, :2] = self.pose[:, :2]
        out[:, 2] = self.config.antenna_height_m
        return out

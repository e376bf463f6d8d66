"""Forward kinematics of UR-class 6-DOF arms from standard (Denavit-Hartenberg) parameters.

The parameters are Universal Robots' own published table, "DH parameters for calculations of
kinematics and dynamics" (Universal Robots support article, e-Series values), standard DH
convention: joint i transform = Rot_z(theta_i) Trans_z(d_i) Trans_x(a_i) Rot_x(alpha_i).
Lengths in metres, angles in radians. With every joint at zero the arm is stretched out along the
base's -x axis (a2, a3 < 0).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

FloatArray = NDArray[np.float64]

_HALF_PI = np.pi / 2.0


@dataclass(frozen=True)
class DHParams:
    """Standard DH parameters of a 6-joint serial arm.

    Attributes:
        name: Model name.
        d_m: Link offsets d1..d6.
        a_m: Link lengths a1..a6.
        alpha_rad: Link twists alpha1..alpha6.
    """

    name: str
    d_m: tuple[float, float, float, float, float, float]
    a_m: tuple[float, float, float, float, float, float]
    alpha_rad: tuple[float, float, float, float, float, float]


# Universal Robots, published DH table (UR5e row).
UR5E = DHParams(
    name="ur5e",
    d_m=(0.1625, 0.0, 0.0, 0.1333, 0.0997, 0.0996),
    a_m=(0.0, -0.425, -0.3922, 0.0, 0.0, 0.0),
    alpha_rad=(_HALF_PI, 0.0, 0.0, _HALF_PI, -_HALF_PI, 0.0),
)

# Universal Robots, published DH table (UR10e row).
UR10E = DHParams(
    name="ur10e",
    d_m=(0.1807, 0.0, 0.0, 0.17415, 0.11985, 0.11655),
    a_m=(0.0, -0.6127, -0.57155, 0.0, 0.0, 0.0),
    alpha_rad=(_HALF_PI, 0.0, 0.0, _HALF_PI, -_HALF_PI, 0.0),
)

ARM_MODELS: dict[str, DHParams] = {UR5E.name: UR5E, UR10E.name: UR10E}


def arm_model(name: str) -> DHParams:
    """Look up a published DH table by name (``"ur5e"`` or ``"ur10e"``)."""
    try:
        return ARM_MODELS[name]
    except KeyError:
        raise ValueError(f"arm model must be one of {sorted(ARM_MODELS)}, got {name!r}") from None


def dh_transforms(theta: FloatArray, dh: DHParams) -> FloatArray:
    """Per-joint homogeneous transforms.

    Args:
        theta: Joint angles, shape ``(n, 6)``.
        dh: The arm's DH parameters.

    Returns:
        Array ``(n, 6, 4, 4)``; entry ``[:, i]`` is the transform from frame i to frame i+1.
    """
    q = np.asarray(theta, dtype=np.float64)
    if q.ndim != 2 or q.shape[1] != 6:
        raise ValueError(f"joint angles must have shape (n, 6), got {q.shape}")
    d = np.asarray(dh.d_m)
    a = np.asarray(dh.a_m)
    alpha = np.asarray(dh.alpha_rad)
    ct, st = np.cos(q), np.sin(q)
    ca, sa = np.cos(alpha), np.sin(alpha)
    t = np.zeros((q.shape[0], 6, 4, 4))
    t[..., 0, 0] = ct
    t[..., 0, 1] = -st * ca
    t[..., 0, 2] = st * sa
    t[..., 0, 3] = a * ct
    t[..., 1, 0] = st
    t[..., 1, 1] = ct * ca
    t[..., 1, 2] = -ct * sa
    t[..., 1, 3] = a * st
    t[..., 2, 1] = sa
    t[..., 2, 2] = ca
    t[..., 2, 3] = d
    t[..., 3, 3] = 1.0
    return t


def forward_kinematics(q: FloatArray, dh: DHParams = UR5E) -> FloatArray:
    """Base-to-flange pose of many arms at once.

    Args:
        q: Joint angles in radians, shape ``(n, 6)``.
        dh: DH parameters (default UR5e).

    Returns:
        Homogeneous transforms, shape ``(n, 4, 4)``.
    """
    t = dh_transforms(q, dh)
    out = t[:, 0]
    for i in range(1, 6):
        out = out @ t[:, i]
    return out


def tool_positions(q: FloatArray, dh: DHParams = UR5E) -> FloatArray:
    """Flange positions in the base frame, shape ``(n, 3)``."""
    return forward_kinematics(q, dh)[:, :3, 3]

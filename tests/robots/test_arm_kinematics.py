"""Forward kinematics against the published UR DH model, computed independently."""

from __future__ import annotations

import math

import numpy as np
import pytest

from robots.arm_kinematics import UR5E, UR10E, DHParams, arm_model, forward_kinematics

# Universal Robots' published standard DH table (e-Series), written out again here on purpose.
PUBLISHED = {
    "ur5e": {
        "d": [0.1625, 0, 0, 0.1333, 0.0997, 0.0996],
        "a": [0, -0.425, -0.3922, 0, 0, 0],
        "alpha": [math.pi / 2, 0, 0, math.pi / 2, -math.pi / 2, 0],
    },
    "ur10e": {
        "d": [0.1807, 0, 0, 0.17415, 0.11985, 0.11655],
        "a": [0, -0.6127, -0.57155, 0, 0, 0],
        "alpha": [math.pi / 2, 0, 0, math.pi / 2, -math.pi / 2, 0],
    },
}


def _rot_z(t: float) -> np.ndarray:
    c, s = math.cos(t), math.sin(t)
    return np.array([[c, -s, 0, 0], [s, c, 0, 0], [0, 0, 1, 0], [0, 0, 0, 1.0]])


def _rot_x(t: float) -> np.ndarray:
    c, s = math.cos(t), math.sin(t)
    return np.array([[1, 0, 0, 0], [0, c, -s, 0], [0, s, c, 0], [0, 0, 0, 1.0]])


def _trans(x: float, y: float, z: float) -> np.ndarray:
    m = np.eye(4)
    m[:3, 3] = [x, y, z]
    return m


def reference_fk(q: list[float], model: str) -> np.ndarray:
    """Per-joint product Rot_z(theta) Trans_z(d) Trans_x(a) Rot_x(alpha), one joint at a time."""
    p = PUBLISHED[model]
    t = np.eye(4)
    for i in range(6):
        t = t @ _rot_z(q[i]) @ _trans(0, 0, p["d"][i]) @ _trans(p["a"][i], 0, 0)
        t = t @ _rot_x(p["alpha"][i])
    return t


@pytest.mark.parametrize("dh", [UR5E, UR10E])
def test_parameters_are_the_published_ones(dh: DHParams) -> None:
    p = PUBLISHED[dh.name]
    assert dh.d_m == pytest.approx(p["d"])
    assert dh.a_m == pytest.approx(p["a"])
    assert dh.alpha_rad == pytest.approx(p["alpha"])


def test_zero_pose_by_hand() -> None:
    # All joints zero: x = a2 + a3, y = -(d4 + d6), z = d1 - d5 (worked out by hand).
    t = forward_kinematics(np.zeros((1, 6)), UR5E)[0]
    assert t[:3, 3] == pytest.approx([-0.8172, -0.2329, 0.0628], abs=1e-12)
    t10 = forward_kinematics(np.zeros((1, 6)), UR10E)[0]
    assert t10[:3, 3] == pytest.approx([-1.18425, -0.2907, 0.06085], abs=1e-12)
    # Tool z axis points along -y of the base at zero pose.
    assert t[:3, 2] == pytest.approx([0.0, -1.0, 0.0], abs=1e-12)


def test_shoulder_up_pose_by_hand() -> None:
    # q2 = -pi/2 turns everything after the shoulder by +90 deg about the base y axis: the arm
    # (a2 + a3, along -x at zero) now points up, and the wrist offset d5 (along -z at zero) now
    # points along -x. So x = -d5, y = -(d4 + d6), z = d1 + |a2| + |a3|.
    q = np.array([[0.0, -math.pi / 2, 0.0, 0.0, 0.0, 0.0]])
    pos = forward_kinematics(q, UR5E)[0, :3, 3]
    assert pos == pytest.approx([-0.0997, -0.2329, 0.1625 + 0.425 + 0.3922], abs=1e-12)


@pytest.mark.parametrize("model", ["ur5e", "ur10e"])
def test_matches_reference_at_random_angles(model: str) -> None:
    rng = np.random.default_rng(7)
    q = rng.uniform(-math.pi, math.pi, size=(50, 6))
    fk = forward_kinematics(q, arm_model(model))
    assert fk.shape == (50, 4, 4)
    for i in range(50):
        np.testing.assert_allclose(fk[i], reference_fk(list(q[i]), model), atol=1e-12)


def test_bad_input() -> None:
    with pytest.raises(ValueError, match=r"\(n, 6\)"):
        forward_kinematics(np.zeros((3, 5)))
    with pytest.raises(ValueError, match="ur5e"):
        arm_model("ur3")

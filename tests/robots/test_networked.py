"""CommandHold, SurvivalWatchdog and StatePredictor semantics."""

from __future__ import annotations

import numpy as np
import pytest

from robots.networked import CommandHold, StatePredictor, SurvivalWatchdog


def test_command_hold_keeps_newest_valid() -> None:
    h = CommandHold(3, 2, max_age_s=0.01)
    fresh = h.offer(
        np.array([0, 0, 1, 2]),
        np.array([1, 2, 5, 1]),
        np.array([[1.0, 1], [2, 2], [5, 5], [9, 9]]),
        np.array([0.0, 0.0, 0.0, 0.0]),
        np.array([0.001, 0.001, 0.001, 0.02]),  # device 2's command is too old
    )
    assert fresh.tolist() == [True, True, False]
    np.testing.assert_array_equal(h.value, [[2, 2], [5, 5], [0, 0]])
    # An older sequence number is rejected and the held value stays.
    fresh = h.offer(np.array([0]), np.array([1]), np.array([[7.0, 7]]), np.zeros(1), np.zeros(1))
    assert not fresh.any()
    np.testing.assert_array_equal(h.value[0], [2, 2])
    assert h.rejected == 2


def test_watchdog_stops_after_survival_time_and_resumes_after_k() -> None:
    w = SurvivalWatchdog(2, survival_time_s=0.016, resume_updates=3)
    dt = 0.004
    stopped_at = None
    resumed_at = None
    for k in range(1, 40):
        t = k * dt
        # Device 0 loses updates at ticks 5..12; device 1 never does.
        fresh = np.array([not 5 <= k <= 12, True])
        s = w.update(t, fresh)
        if s[0] and stopped_at is None:
            stopped_at = k
        if stopped_at is not None and not s[0] and resumed_at is None:
            resumed_at = k
        assert not s[1]
    # Last valid at tick 4; the gap exceeds 16 ms at tick 9 (20 ms).
    assert stopped_at == 9
    # Fresh again from tick 13: ticks 13, 14, 15 -> resumes at 15.
    assert resumed_at == 15
    assert w.stop_count.tolist() == [1, 0]
    assert w.stopped_time_s[0] == pytest.approx(6 * dt)


def test_state_predictor_open_loop_and_aged_correction() -> None:
    a = np.array([[1.0, 0.1], [0.0, 1.0]])
    b = np.array([[0.0], [0.1]])
    p = StatePredictor(a, b, np.zeros((2, 2)))
    p.correct(np.array([True, False]), np.array([[1.0, 2.0], [9, 9]]))
    x = p.predict(np.array([[1.0], [0.0]]))
    np.testing.assert_allclose(x[0], [1.2, 2.1])
    np.testing.assert_allclose(x[1], [0.0, 0.0])
    # A measurement two steps old is propagated two steps open loop.
    p.correct(np.array([False, True]), np.array([[0, 0], [1.0, 1.0]]), np.array([0, 2]))
    np.testing.assert_allclose(p.x_hat[1], [1.2, 1.0])

"""Small, fast variants of the robots configs for tests."""

from __future__ import annotations

from dataclasses import replace

import pytest

from robots.arm_fleet import ServoConfig
from robots.workcell import WorkcellConfig, load_workcell_config


def fast_workcell_config() -> WorkcellConfig:
    """The default layout with short machining times, fast arms and a 10 ms period."""
    cfg = load_workcell_config()
    link = replace(
        cfg.arm_link,
        period_s=0.01,
        max_joint_speed_rad_s=(3.0,) * 6,
        max_joint_accel_rad_s2=(8.0,) * 6,
        servo=ServoConfig(
            natural_frequency_rad_s=20.0,
            max_servo_accel_rad_s2=30.0,
            survival_time_s=0.04,
            max_age_s=0.04,
            resume_updates=3,
        ),
    )
    times = {"station1": 0.6, "station2": 0.9, "station3": 0.7, "station4": 0.5}
    stations = tuple(replace(s, cycle_time_s=times[s.name]) for s in cfg.stations)
    return replace(
        cfg,
        arm_link=link,
        stations=stations,
        grip_time_s=0.1,
        release_time_s=0.1,
        io_heartbeat_period_s=0.05,
    )


@pytest.fixture
def fast_cell() -> WorkcellConfig:
    """Fast workcell config."""
    return fast_workcell_config()

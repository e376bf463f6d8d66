"""Plain-numpy models of robot cells whose control loops close over a network.

Arms (UR-class kinematics, trajectories, servos), a machine-tending workcell with a supervisory
PLC, AGVs, and linear control plants with LQR. Every networked model speaks the
transport-agnostic interface of :mod:`robots.messages`; :mod:`robots.ideal_network` carries it
without ns-3. No ZeroMQ, no gymnasium, no imports from ``twin`` or ``agents``.
"""

from robots.agv import AgvConfig, AgvFleet, FloorPlan
from robots.agv_network import NetworkedAgvs
from robots.arm_cell import ArmLink, ArmLinkConfig, NetworkedArms
from robots.arm_controller import ArmMotionController, Waypoint
from robots.arm_fleet import ArmFleet, ServoConfig
from robots.arm_kinematics import UR5E, UR10E, DHParams, forward_kinematics
from robots.ideal_network import IdealNetwork, LossBurst, run_lockstep
from robots.messages import FlowSpec, Message, NetworkedModel
from robots.networked import CommandHold, CosPublisher, StatePredictor, SurvivalWatchdog
from robots.plant_loops import NetworkedPlants
from robots.plants import (
    BALL_BOARD,
    INVERTED_PENDULUM,
    INVERTED_PENDULUM_REVISED,
    LinearPlant,
    PlantBatch,
    lqr,
)
from robots.workcell import (
    Workcell,
    WorkcellConfig,
    ideal_completion_time_s,
    load_workcell_config,
)

__all__ = [
    "BALL_BOARD",
    "INVERTED_PENDULUM",
    "INVERTED_PENDULUM_REVISED",
    "UR5E",
    "UR10E",
    "AgvConfig",
    "AgvFleet",
    "ArmFleet",
    "ArmLink",
    "ArmLinkConfig",
    "ArmMotionController",
    "CommandHold",
    "CosPublisher",
    "DHParams",
    "FloorPlan",
    "FlowSpec",
    "IdealNetwork",
    "LinearPlant",
    "LossBurst",
    "Message",
    "NetworkedAgvs",
    "NetworkedArms",
    "NetworkedModel",
    "NetworkedPlants",
    "PlantBatch",
    "ServoConfig",
    "StatePredictor",
    "SurvivalWatchdog",
    "Waypoint",
    "Workcell",
    "WorkcellConfig",
    "forward_kinematics",
    "ideal_completion_time_s",
    "load_workcell_config",
    "lqr",
    "run_lockstep",
]

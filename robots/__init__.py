"""Plain-numpy models of robot cells whose control loops close over a network.

Arms (UR-class kinematics, trajectories, servos), a machine-tending workcell with a supervisory
PLC, AGVs, and linear control plants with LQR. Every networked model speaks the
transport-agnostic interface of :mod:`robots.messages`; :mod:`robots.ideal_network` carries it
without ns-3. No ZeroMQ, no gymnasium, no imports from ``twin`` or ``agents``.
"""

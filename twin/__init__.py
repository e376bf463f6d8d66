"""fabtwin's co-simulation core: the lockstep loop, the ns-3 bridge, configuration and the CLI."""

__version__ = "0.1.0"

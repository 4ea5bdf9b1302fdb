"""A Freshdesk API v2 simulator: a real HTTP server on loopback, faithful to the documented API.

See README.md beside this file for what it models and how to drive it.
"""

from tests.simulator.config import SimulatorConfig
from tests.simulator.simulator import RequestRecord, Simulator

__all__ = ["RequestRecord", "Simulator", "SimulatorConfig"]

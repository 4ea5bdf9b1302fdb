"""Fixtures: a Freshdesk simulator on a real loopback port, and tap configs pointing at it."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from tests.simulator import Simulator, SimulatorConfig


@pytest.fixture
def simulator(request: pytest.FixtureRequest) -> Iterator[Simulator]:
    """A fresh simulator per test; `@pytest.mark.simulator(tickets=…)` sets its config."""
    marker = request.node.get_closest_marker("simulator")
    settings = marker.kwargs if marker else {}
    with Simulator(SimulatorConfig(**settings)) as sim:
        yield sim


@pytest.fixture
def config(simulator: Simulator) -> dict[str, Any]:
    """Tap settings for the simulator; tests adjust a copy."""
    return {"api_key": simulator.api_key, "base_url": simulator.base_url, "page_size": 100}

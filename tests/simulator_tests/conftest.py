"""Fixtures: the simulator under test (`@pytest.mark.simulator(…)` sets its config), a client."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
import requests

from tests.simulator import Simulator


@pytest.fixture
def sim(simulator: Simulator) -> Simulator:
    """The suite's simulator fixture (tests/conftest.py), by the short name these tests use."""
    return simulator


@pytest.fixture
def http(sim: Simulator) -> Iterator[requests.Session]:
    """A client authenticated with the simulator's API key."""
    session = requests.Session()
    session.auth = (sim.api_key, "X")
    yield session
    session.close()

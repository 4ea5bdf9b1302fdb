"""The Singer SDK's standard tap tests, run against the simulator on a real port."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from singer_sdk.testing import SuiteConfig, get_tap_test_class

from tap_freshdesk.tap import TapFreshdesk
from tests.simulator import Simulator, SimulatorConfig

# The suite builds its taps from this dict; the fixture below fills in the simulator's address
# before the first sync, since the port is only known once the simulator listens.
CONFIG = {"api_key": "sim-api-key", "base_url": "http://127.0.0.1:9/api/v2"}

StandardTests = get_tap_test_class(
    TapFreshdesk, config=CONFIG, suite_config=SuiteConfig(max_records_limit=150)
)


class TestTapFreshdesk(StandardTests):  # type: ignore[misc,valid-type]
    @pytest.fixture(scope="class", autouse=True)
    @classmethod
    def _simulator(cls) -> Iterator[Simulator]:
        with Simulator(SimulatorConfig(tickets=120)) as sim:
            CONFIG.update(api_key=sim.api_key, base_url=sim.base_url)
            yield sim

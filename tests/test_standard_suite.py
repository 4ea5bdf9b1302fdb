"""The Singer SDK's standard tap tests, run against the simulator on a real port."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from singer_sdk.testing import SuiteConfig, get_tap_test_class

from tap_freshdesk.tap import TapFreshdesk
from tests.simulator import Simulator, SimulatorConfig

# The suite builds a tap, and discovers its streams (reading the account's field definitions),
# when this module is imported, so the simulator must already listen then.
SIMULATOR = Simulator(SimulatorConfig(tickets=120))
SIMULATOR.start()
CONFIG = {
    "api_key": SIMULATOR.api_key,
    "base_url": SIMULATOR.base_url,
    # Streams that cost a request per ticket are off until their setting: on, so the suite
    # checks their records too.
    "include_ticket_watchers": True,
    "include_ticket_summaries": True,
}

StandardTests = get_tap_test_class(
    TapFreshdesk, config=CONFIG, suite_config=SuiteConfig(max_records_limit=150)
)


@pytest.fixture(scope="session", autouse=True)
def _simulator() -> Iterator[Simulator]:
    """Stop the simulator when the session ends: however pytest-xdist spreads the suite's
    tests over workers and over time, it still answers the last of them."""
    yield SIMULATOR
    SIMULATOR.stop()


class TestTapFreshdesk(StandardTests):  # type: ignore[misc,valid-type]
    """The SDK's standard tests of the tap, against SIMULATOR."""

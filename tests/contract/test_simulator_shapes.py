"""The simulator serves the shapes real accounts serve: held to the contract fixtures.

Per stream, the simulator's records and the fixtures' have the same top-level keys, and
where both carry a value for a key, the same JSON types: a variant real accounts send (a
string `to_emails`, a boolean `auto_ticket_assign`) appears in the simulator too, and the
simulator invents no field a real record lacks.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
import requests

from tests.contract.payloads import EXCLUDED_STREAMS, fixtures, records
from tests.contract.shapes import value_types
from tests.simulator import Simulator, SimulatorConfig

STREAMS = sorted(set(fixtures()) - EXCLUDED_STREAMS)
#: What the real ticket rows were listed with (Airbyte source-freshdesk asks for these).
TICKET_INCLUDES = "description,requester,stats"
#: Flags of the removed views (deleted, spam, blocked): the fixtures hold the default lists.
VIEW_FLAGS = ("deleted", "spam", "blocked")


SIZES = {"tickets": 120, "contacts": 40, "companies": 10, "solution_articles": 20}


@pytest.fixture(scope="module")
def sim() -> Iterator[Simulator]:
    with Simulator(SimulatorConfig(**SIZES)) as simulator:
        yield simulator


@pytest.fixture(scope="module")
def other_account() -> Iterator[Simulator]:
    """An account sending the variants one account never mixes with the default forms."""
    with Simulator(SimulatorConfig(**SIZES, boolean_auto_assign=True)) as simulator:
        yield simulator


def served(sim: Simulator, stream: str) -> list[dict[str, Any]]:
    """The simulator's records of `stream` as its default list serves them."""
    if stream == "tickets":
        answer = requests.get(
            f"{sim.base_url}/tickets",
            params={
                "updated_since": "2000-01-01T00:00:00Z",
                "include": TICKET_INCLUDES,
                "per_page": 100,
            },
            auth=(sim.api_key, "X"),
            timeout=30,
        )
        answer.raise_for_status()
        return list(answer.json())
    return [r for r in sim.truth(stream) if not any(r.get(flag) for flag in VIEW_FLAGS)]


@pytest.mark.parametrize("stream", STREAMS)
def test_simulator_records_have_the_real_keys_and_types(
    sim: Simulator, other_account: Simulator, stream: str
) -> None:
    real = value_types(records(stream))
    simulated = value_types(served(sim, stream) + served(other_account, stream))
    assert sorted(simulated) == sorted(real)
    clashes = {
        key: {"simulator": sorted(simulated[key]), "real": sorted(real[key])}
        for key in real
        if real[key] and simulated[key] and simulated[key] != real[key]
    }
    assert clashes == {}

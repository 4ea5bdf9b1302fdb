"""With the SDK's flattening on, records and their flattened SCHEMA agree, for every stream.

Loaders given `flattening_enabled` create one column per property of the flattened SCHEMA and
drop (or fail on) any other key, so a RECORD key the SCHEMA lacks is data lost.
"""

from __future__ import annotations

from typing import Any

import pytest

from tap_freshdesk.streams import STREAM_TYPES
from tests.contract.payloads import EXCLUDED_STREAMS, fixtures
from tests.harness import run_tap
from tests.schema_checks import keys_outside_schema
from tests.simulator import Simulator

STREAMS = sorted({s.name for s in STREAM_TYPES} - EXCLUDED_STREAMS)


@pytest.mark.simulator(tickets=40, contacts=20, companies=8, solution_articles=20)
@pytest.mark.parametrize("depth", [1, 10])
def test_flattened_records_stay_within_the_flattened_schema(
    simulator: Simulator, config: dict[str, Any], depth: int
) -> None:
    settings = {"flattening_enabled": True, "flattening_max_depth": depth}
    per_ticket = {"include_ticket_watchers": True, "include_ticket_summaries": True}
    run = run_tap({**config, **settings, **per_ticket}, streams=STREAMS)
    assert run.returncode == 0, run.stderr[-3000:]
    with_records = {m["stream"] for m in run.messages if m["type"] == "RECORD"}
    assert set(fixtures()) - EXCLUDED_STREAMS <= with_records
    assert keys_outside_schema(run) == {}

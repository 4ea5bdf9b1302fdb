"""STATE is written when it is worth it: every thousand records or few seconds, never per ticket.

Each STATE is a deep copy of the state for the tap and a parse for every target; a resumed run
only needs one every so often (tests/guarantees/test_kill_resume.py proves resumes stay exact).
The cadence's own rules are unit tests on a fake clock: tests/unit/test_state_cadence.py.
"""

from __future__ import annotations

import math
import re

import pytest

from tap_freshdesk.sync.state_cadence import STATE_EVERY_SECONDS
from tests.harness import TapRun, run_tap


def timed_states(run: TapRun) -> int:
    """The STATEs the seconds rule allows: one per STATE_EVERY_SECONDS of the sync, as the tap
    measured it. A slow machine earns more of them; a STATE per ticket would still far exceed."""
    seconds = re.search(r"Sync finished in ([\d.]+) s", run.stderr)
    assert seconds, "the tap did not say how long the sync took"
    return math.ceil(float(seconds[1]) / STATE_EVERY_SECONDS)


@pytest.mark.simulator(tickets=800)
def test_a_ticket_sync_writes_one_state_per_thousand_records_plus_one_per_stream(simulator, config):
    run = run_tap(config, streams=["tickets", "conversations"])

    assert run.returncode == 0, run.stderr
    records = sum(m["type"] == "RECORD" for m in run.messages)
    states = sum(m["type"] == "STATE" for m in run.messages)
    assert records > 2000
    # + 1: the state given at start is echoed (no state here, but the allowance is the SDK's).
    assert states <= records // 1000 + 2 + 1 + timed_states(run), states
    assert run.state["bookmarks"]["tickets"], "the last STATE holds the tickets' bookmarks"


@pytest.mark.simulator(tickets=300)
def test_an_incremental_run_with_few_changes_writes_one_state_per_stream(simulator, config):
    streams = ["tickets", "conversations"]
    first = run_tap(config, streams=streams)
    assert first.returncode == 0, first.stderr
    simulator.mutate(tickets=5, conversations=5, new_tickets=2, delete_tickets=1, spam_tickets=1)

    second = run_tap(config, streams=streams, state=first.state)

    assert second.returncode == 0, second.stderr
    records = sum(m["type"] == "RECORD" for m in second.messages)
    states = sum(m["type"] == "STATE" for m in second.messages)
    assert 0 < records < 1000
    assert states <= len(streams) + timed_states(second), states

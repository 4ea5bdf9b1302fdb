"""STATE is written when it is worth it: every thousand records or few seconds, never per ticket.

Each STATE is a deep copy of the state for the tap and a parse for every target; a resumed run
only needs one every so often (tests/guarantees/test_kill_resume.py proves resumes stay exact).
The cadence's own rules are unit tests on a fake clock: tests/unit/test_state_cadence.py.
"""

from __future__ import annotations

import pytest

from tests.harness import run_tap


@pytest.mark.simulator(tickets=2000)
def test_a_ticket_sync_writes_one_state_per_thousand_records_plus_one_per_stream(simulator, config):
    run = run_tap(config, streams=["tickets", "conversations"])

    assert run.returncode == 0, run.stderr
    records = sum(m["type"] == "RECORD" for m in run.messages)
    states = sum(m["type"] == "STATE" for m in run.messages)
    assert records > 5000
    # + 1: the state given at start is echoed (no state here, but the allowance is the SDK's).
    assert states <= records // 1000 + 2 + 1, states
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
    assert states <= len(streams), states

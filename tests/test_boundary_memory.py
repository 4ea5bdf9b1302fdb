"""An incremental run spends nothing on tickets it emitted last run at the bookmark's second.

The bookmark is inclusive, so each run lists again the tickets sharing its second; each costs a
conversations call and a re-emitted record unless the STATE remembers them (BoundaryMemory).
"""

from __future__ import annotations

import time
from datetime import UTC, datetime

import pytest

from tests.harness import run_tap

STREAMS = ["tickets", "conversations"]
#: Sleep that lets the changes' second end, and one more, before a run reads them (a scheduled run).
SECOND_OVER = 2.1


def conversations_calls(simulator, since: int) -> set[int]:
    """Ticket ids whose conversations were requested after the `since`th logged request."""
    return {
        int(r.path.split("/")[-2])
        for r in simulator.request_log[since:]
        if r.path.endswith("/conversations")
    }


@pytest.mark.simulator(tickets=200)
def test_run_two_neither_re_emits_nor_calls_for_unchanged_boundary_tickets(simulator, config):
    first = run_tap(config, streams=STREAMS)
    simulator.mutate(tickets=6, conversations=3, new_tickets=2)
    time.sleep(SECOND_OVER)
    second = run_tap(config, state=first.state, streams=STREAMS)
    bookmark_second = {r["updated_at"] for r in second.records("tickets")}
    assert len(second.ids("tickets")) > 1

    touched = simulator.mutate(tickets=2, conversations=1)
    logged = len(simulator.request_log)
    third = run_tap(config, state=second.state, streams=STREAMS)

    assert third.returncode == 0, third.stderr
    changed = set(touched["tickets"])
    assert set(third.ids("tickets")) == changed
    assert conversations_calls(simulator, logged) == changed
    assert bookmark_second, "run two emitted tickets at a bookmark second"


#: Earlier than the real clock, later than all seeded history: every change lands on it, and
#: Freshdesk's clock (the `Date` it answers with) stays in it.
FROZEN = datetime(2026, 1, 1, 12, 0, 0, tzinfo=UTC)


@pytest.mark.simulator(tickets=100, clock=lambda: FROZEN)
def test_a_ticket_changed_again_within_the_bookmark_second_is_emitted_again(simulator, config):
    first = run_tap(config, streams=STREAMS)
    touched = simulator.mutate(tickets=3)
    second = run_tap(config, state=first.state, streams=STREAMS)
    assert set(touched["tickets"]) <= set(second.ids("tickets"))

    again = touched["tickets"][0]
    simulator.update_ticket(again)  # same second: `updated_at` does not move
    third = run_tap(config, state=second.state, streams=STREAMS)

    assert third.returncode == 0, third.stderr
    assert again in third.ids("tickets"), "a change within the remembered second was skipped"


@pytest.mark.simulator(tickets=200)
def test_deleted_and_spam_passes_remember_their_own_boundary(simulator, config):
    first = run_tap(config, streams=["tickets"])
    simulator.mutate(delete_tickets=3, spam_tickets=3)
    time.sleep(SECOND_OVER)
    second = run_tap(config, state=first.state, streams=["tickets"])
    assert len(second.ids("tickets")) >= 6

    third = run_tap(config, state=second.state, streams=["tickets"])

    assert third.returncode == 0, third.stderr
    assert third.ids("tickets") == []

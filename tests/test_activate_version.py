"""ACTIVATE_VERSION goes only to streams a run reads whole; the setting is a declared one.

A target that honours ACTIVATE_VERSION (target-postgres) marks deleted every row older than
the version: after a read of part of a stream's records, that deletes the rest.
"""

from __future__ import annotations

import pytest

from tests.harness import run_tap

#: The top-level streams without a replication key: every run reads each of them whole.
READ_WHOLE = {"settings", "canned_response_folders", "solution_categories", "discussion_categories"}


#: Those, and streams read in part: incremental ones, children (once per parent; conversations
#: only for the tickets changed since the last run), and the activities export (the days since
#: its own bookmark).
STREAMS = [
    *READ_WHOLE,
    "tickets",
    "conversations",
    "ticket_activities",
    "canned_responses",
    "solution_folders",
    "discussion_forums",
]


def activated(run) -> list[str]:
    return [m["stream"] for m in run.messages if m["type"] == "ACTIVATE_VERSION"]


@pytest.mark.simulator(tickets=20, contacts=5, companies=2)
def test_activate_version_only_for_streams_read_whole(simulator, config):
    config = {**config, "emit_activate_version_messages": True}
    first = run_tap(config, streams=STREAMS)
    assert first.returncode == 0, first.stderr
    assert sorted(activated(first)) == sorted(READ_WHOLE)

    simulator.mutate(tickets=2, conversations=1)
    second = run_tap(config, state=first.state, streams=STREAMS)
    assert second.returncode == 0, second.stderr
    assert second.records("conversations"), "no partial child read: the check proves nothing"
    assert first.state["bookmarks"]["ticket_activities"], "the export kept no bookmark"
    assert sorted(activated(second)) == sorted(READ_WHOLE)
    assert "Ignoring unknown settings" not in second.stderr


@pytest.mark.simulator(tickets=5, contacts=2, companies=1)
def test_no_activate_version_by_default(config):
    run = run_tap(config, streams=["settings", "solution_categories"])
    assert run.returncode == 0, run.stderr
    assert activated(run) == []
